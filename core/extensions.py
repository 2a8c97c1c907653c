"""Unbound extension objects; ``create_app`` binds them to an app.

The flask-smorest ``Api`` is not here: it holds per-app state, so each app builds its own.
"""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def execute_core(statement, params=None, session=None):
    """Run a plain (non-ORM) statement on the session's connection (``session``, or the app's):
    for hot paths.

    ``Session.execute`` spends more on ORM result handling than a small indexed
    query spends in the database (the large-hospital benchmarks, benchmarks/RESULTS.md). The session
    is flushed first, as ORM execution would autoflush, so pending changes are seen.
    """
    session = db.session if session is None else session
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params or {})


def dialect_name() -> str:
    """The database's dialect (``postgresql``, ``sqlite``): for statements built once per dialect."""
    return db.engine.dialect.name


def id_in(column, name: str, dialect: str, one: bool = False):
    """``column IN (the ids bound as ``name``)``, bound the cheapest way the dialect has.

    PostgreSQL takes the list as one array (``= ANY(:name)``): an expanding IN of a
    thousand ids renders and parses a thousand bind parameters on every execution
    (in SQLAlchemy and in psycopg), which cost more than the query itself for a
    device type's thousand candidates. Elsewhere an expanding IN.

    ``one``: the statement is for one id (can_perform's one person), bound as the scalar
    ``:<name>_one`` (give both with ``id_params``). PostgreSQL never settles on a generic plan
    for ``= ANY($1)`` in a prepared statement (it cannot cost the array), so it planned
    can_perform's TVB statement afresh on every call: 0.4 ms of planning for 0.05 ms of work
    (benchmarks/RESULTS.md, "Under load"). ``= $1`` is planned once per connection.
    """
    from sqlalchemy import ARRAY, Integer, any_, bindparam

    if one:
        return column == bindparam(f"{name}_one", type_=Integer)
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def id_params(name: str, ids) -> dict:
    """The bind parameters of ``id_in(…, name, …)`` for ``ids``, with or without ``one``."""
    ids = list(ids)
    return {name: ids, f"{name}_one": ids[0] if len(ids) == 1 else None}
