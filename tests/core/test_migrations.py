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
