"""Migrations on a fresh database per test: up to heads, equal to the models, down to nothing.

Runs on SQLite always and on PostgreSQL when it is reachable (in CI it must be).
"""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.extensions import db
from tests.conftest import create_pg_database, migrated_app, require_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "fresh.sqlite")
        return
    require_postgres()
    url, drop = create_pg_database()
    yield url
    drop()


def _check(fresh_url, **config):
    from flask_migrate import downgrade
    app = migrated_app(fresh_url, **config)
    try:
        with app.app_context():
            with db.engine.connect() as connection:
                diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
                tables = set(inspect(connection).get_table_names())
            assert diff == [], f"the migrations differ from the models: {diff}"
            assert {t.name for t in db.metadata.sorted_tables} <= tables
            assert {"staff", "department", "competence", "audit_entry", "technology_group"} <= tables
            downgrade(revision="base")
            with db.engine.connect() as connection:
                left = set(inspect(connection).get_table_names()) - {"alembic_version"}
            assert left == set(), f"downgrade base left tables behind: {sorted(left)}"
    finally:
        with app.app_context():
            db.engine.dispose()


def test_upgrade_matches_models_and_downgrade_removes_everything(fresh_url):
    _check(fresh_url)


def test_with_every_plugin_disabled_the_branches_still_migrate(fresh_url):
    """Disabling a plugin switches behaviour off; its tables stay and still match its models."""
    from importlib import metadata

    from core.plugins import GROUP
    _check(fresh_url, BEKWAAM_DISABLED_PLUGINS=[ep.name for ep in metadata.entry_points(group=GROUP)])


def test_technology_groups_are_seeded_by_the_migration(fresh_url):
    from sqlalchemy import func, select

    from core.devices.models import TechnologyGroup
    app = migrated_app(fresh_url)
    try:
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(TechnologyGroup)) == 27
            assert db.session.scalar(select(TechnologyGroup.code).order_by(TechnologyGroup.code.desc())) == 27
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_every_seeded_activity_has_a_dated_version_on_a_fresh_database(fresh_url):
    """Whatever order the branches run in, the shipped activities can be decided on any day."""
    from sqlalchemy import select

    from core.tvb.models import Activity, ActivityVersion
    app = migrated_app(fresh_url)
    try:
        with app.app_context():
            activities = set(db.session.scalars(select(Activity.id)))
            versioned = set(db.session.scalars(select(ActivityVersion.activity_id)
                                               .where(ActivityVersion.valid_until.is_(None))))
            assert activities and activities == versioned
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_records_migration_chains_the_existing_audit_rows(fresh_url):
    """Rows written before the chain (ids with gaps, as sequences leave them) are
    numbered without gaps and chained in id order; the app then appends to that chain."""
    import datetime as dt

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from core.audit.chain import verify
    from core.audit.models import AuditEntry

    app = migrated_app(fresh_url)
    try:
        with app.app_context():
            downgrade(revision="0007_core")
            at = dt.datetime(2025, 5, 1, 12, 0, 0, 123456, tzinfo=dt.timezone.utc)
            for old_id in (3, 7, 8):
                db.session.execute(text(
                    "INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, after) "
                    "VALUES (:id, :at, 'before@example.org', 'create', 'staff', :id, :after)"),
                    {"id": old_id, "at": at if fresh_url.startswith("postgres") else at.replace(tzinfo=None),
                     "after": '{"name": "Jansen", "hours": "1.50"}'})
            db.session.commit()
            upgrade(revision="heads")
            ids = [r[0] for r in db.session.execute(text("SELECT id FROM audit_entry ORDER BY id"))]
            assert ids == [1, 2, 3]
            assert verify(db.session.connection(), AuditEntry.__table__) == (3, None)
            from core.audit.services import record
            record(db.session, "login", "user_account", actor="after@example.org")
            db.session.commit()
            assert verify(db.session.connection(), AuditEntry.__table__) == (4, None)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
