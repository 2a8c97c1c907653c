"""Fixtures: one migrated database per test run, emptied after each test.

The backend is SQLite (a file in a temp dir) unless ``BEKWAAM_TEST_DATABASE_URL``
names a PostgreSQL server; then a fresh database is created on it for this run
and dropped afterwards, so parallel runs never collide. ``.ci/run`` runs the
suite once on each backend.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
import uuid

import pytest
from sqlalchemy import delete

from core import create_app
from core.extensions import db as _db

KEEP_TABLES = {"technology_group", "alembic_version", "cache_version"}  # cache_version: one row, raised by triggers
PG_ADMIN_URL = os.environ.get("BEKWAAM_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"


def require_postgres():
    """Skip outside CI when PostgreSQL is absent; in CI its absence is a failure."""
    why = postgres_available()
    if why is None:
        return
    if os.environ.get("CI"):
        pytest.fail(why + " (CI must run the PostgreSQL tests)")
    pytest.skip(why)


def create_pg_database() -> tuple[str, callable]:
    import psycopg
    name = f"bekwaam_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    def drop():
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url, drop


def migrated_app(url: str, **config):
    from flask_migrate import upgrade
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False, "BEKWAAM_DISABLED_PLUGINS": [], **config,
    })
    with app.app_context():
        upgrade(revision="heads")
    return app


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    wanted = os.environ.get("BEKWAAM_TEST_DATABASE_URL", "")
    if wanted.startswith("postgres"):
        require_postgres()
        url, drop = create_pg_database()
        yield url
        # Engines of this run must let go before the database is dropped.
        yield_engines_disposed()
        drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "bekwaam.sqlite")


def yield_engines_disposed():
    """Close every pooled connection of the run (apps built by tests included).

    Otherwise the garbage collector closes them after the session, which
    psycopg reports as a ResourceWarning (an error here) and which would keep
    the run's database busy while it is dropped.
    """
    import gc

    from sqlalchemy.engine import Engine

    for obj in gc.get_objects():
        if isinstance(obj, Engine):
            obj.dispose()


_APPS: list = []


@pytest.fixture(scope="session")
def app(database_url):
    app = migrated_app(database_url)
    _APPS.append(app)
    empty_database(app)  # migrations ship default rows (e.g. TVB activities); tests start from nothing
    return app


def empty_database(app):
    with app.app_context():
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                _db.session.execute(delete(table))
        _db.session.commit()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that used the database."""
    yield
    if "app" not in request.fixturenames:
        return
    empty_database(request.getfixturevalue("app"))


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        _db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)


class Factory:
    """Callable factories for test data (Indico style), committed immediately."""

    def __init__(self, app):
        self.app = app

    def _add(self, obj):
        with self.app.app_context():
            _db.session.add(obj)
            _db.session.commit()
            _db.session.refresh(obj)
            _db.session.expunge(obj)
        return obj

    def department(self, **kw):
        from core.staff.models import Department
        n = next(_counter)
        return self._add(Department(code=kw.pop("code", f"D{n}"), name=kw.pop("name", f"Afdeling {n}"), **kw))

    def staff(self, **kw):
        from core.staff.models import Staff
        n = next(_counter)
        kw.setdefault("employee_number", f"E{n:05d}")
        kw.setdefault("name", f"Medewerker {n}")
        kw.setdefault("employment_type", "internal")
        kw.setdefault("active", True)
        return self._add(Staff(**kw))

    def device_type(self, **kw):
        from core.devices.models import DeviceType
        n = next(_counter)
        kw.setdefault("manufacturer", "Dräger")
        kw.setdefault("model", f"Model {n}")
        kw.setdefault("name", f"Apparaat {n}")
        kw.setdefault("technology_group_id", 1)
        kw.setdefault("lifecycle_phase", 1)
        return self._add(DeviceType(**kw))

    def user(self, role="admin", **kw):
        """A user with an API token; returns (user_id, headers)."""
        from core.auth.services import create_user, new_token
        with self.app.app_context():
            user = create_user(kw.pop("email", f"u{next(_counter)}@example.org"), role, **kw)
            token = new_token(user)
            _db.session.commit()
            return user.id, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make(app):
    return Factory(app)


@pytest.fixture
def admin(make):
    return make.user("admin")[1]


@pytest.fixture
def today():
    return dt.date.today()


@pytest.fixture
def tvb_since_long_ago(monkeypatch):
    """TVB cells and activity requirements written without ``effective_from`` count from 2000-01-01.

    For tests about other rules that ask about past dates with a matrix set up
    "today": the matrix is taken as configured long ago. The dated history
    itself is tested without this (tests/core/test_safety_invariants.py).
    """
    import core.tvb.history
    monkeypatch.setattr(core.tvb.history, "default_day", lambda: dt.date(2000, 1, 1))
