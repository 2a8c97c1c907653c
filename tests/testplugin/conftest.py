"""An app with the test plugin registered, on its own fresh database."""
from __future__ import annotations

import os

import pytest
from importlib import metadata

from sqlalchemy import delete, inspect as sa_inspect, text

from core.plugins import GROUP

from core.extensions import db
from tests.conftest import KEEP_TABLES, Factory, create_pg_database, migrated_app, require_postgres
from tests.testplugin import plugin


BUILT_INS = sorted(ep.name for ep in metadata.entry_points(group=GROUP))


def fresh_database_url(tmp_path_factory) -> tuple[str, callable]:
    """A new empty database on the backend this run tests (SQLite or PostgreSQL)."""
    if os.environ.get("BEKWAAM_TEST_DATABASE_URL", "").startswith("postgres"):
        require_postgres()
        return create_pg_database()
    return "sqlite:///" + str(tmp_path_factory.mktemp("plugin_db") / "bekwaam.sqlite"), lambda: None


@pytest.fixture(scope="session")
def plugin_app(tmp_path_factory):
    url, drop = fresh_database_url(tmp_path_factory)
    # Only the test plugin is enabled, so what a hook returns is its answer alone.
    config = {"BEKWAAM_EXTRA_PLUGINS": [("testplugin", plugin)], "BEKWAAM_DISABLED_PLUGINS": BUILT_INS}
    app = migrated_app(url, **config)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop()


@pytest.fixture
def papp(plugin_app):
    """The plugin app, emptied after the test."""
    yield plugin_app
    with plugin_app.app_context():
        db.session.rollback()
        db.session.execute(text("DELETE FROM testplugin_note"))
        existing = set(sa_inspect(db.engine).get_table_names())
        for table in reversed(db.metadata.sorted_tables):
            if table.name in existing and table.name not in KEEP_TABLES:
                db.session.execute(delete(table))
        db.session.commit()


@pytest.fixture
def pclient(papp):
    return papp.test_client()


@pytest.fixture
def pmake(papp):
    return Factory(papp)


@pytest.fixture
def padmin(pmake):
    return pmake.user("admin")[1]
