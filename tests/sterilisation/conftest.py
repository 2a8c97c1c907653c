"""An app with the built-in plugins and the sterilisation plugin, on its own fresh database."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, inspect as sa_inspect, text

from core.extensions import db
from tests.conftest import KEEP_TABLES, Factory, migrated_app
from tests.sterilisation import hooks
from tests.testplugin.conftest import fresh_database_url

EXTRA = [("sterilisation", hooks)]


@pytest.fixture(scope="session")
def sterile_app(tmp_path_factory):
    url, drop = fresh_database_url(tmp_path_factory)
    app = migrated_app(url, BEKWAAM_EXTRA_PLUGINS=EXTRA)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop()


@pytest.fixture
def sapp(sterile_app):
    """The app, emptied after the test (the plugin's table too)."""
    yield sterile_app
    with sterile_app.app_context():
        db.session.rollback()
        db.session.execute(text("DELETE FROM sterilisation_registration"))
        existing = set(sa_inspect(db.engine).get_table_names())
        for table in reversed(db.metadata.sorted_tables):
            if table.name in existing and table.name not in KEEP_TABLES:
                db.session.execute(delete(table))
        db.session.commit()


@pytest.fixture
def smake(sapp):
    return Factory(sapp)
