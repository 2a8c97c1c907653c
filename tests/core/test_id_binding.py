"""How a statement binds its people's ids (core.extensions.id_in): one array on PostgreSQL, a
scalar for a single person so that PostgreSQL keeps one generic plan of the prepared statement."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import column, select
from sqlalchemy.dialects import postgresql, sqlite

from core.extensions import db, id_in, id_params
from tests.plugins.leidraad.test_fail_closed import released  # noqa: F401 - fixture

DAY = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _tvb_configured_long_ago(tvb_since_long_ago):
    """The question is about 2025 with a matrix set up today (tests/conftest.py)."""


def _sql(clause, dialect) -> str:
    return str(select(column("x")).where(clause).compile(dialect=dialect))


def test_many_ids_are_one_array_on_postgresql_and_an_expanding_in_elsewhere():
    assert "= ANY (%(staff_ids)s::INTEGER[])" in _sql(id_in(column("id"), "staff_ids", "postgresql"),
                                                        postgresql.dialect())
    assert "IN (__[POSTCOMPILE_staff_ids])" in _sql(id_in(column("id"), "staff_ids", "sqlite"), sqlite.dialect())


def test_one_id_is_a_scalar_on_every_dialect():
    for name, dialect in (("postgresql", postgresql.dialect()), ("sqlite", sqlite.dialect())):
        clause = id_in(column("id"), "staff_ids", name, one=True)
        where = _sql(clause, dialect).split("WHERE", 1)[1]
        assert "ANY" not in where and " IN " not in where and where.strip().startswith("id = ")
        assert clause.right.key == "staff_ids_one"


def test_the_parameters_carry_the_list_and_the_single_id():
    assert id_params("staff_ids", [7]) == {"staff_ids": [7], "staff_ids_one": 7}
    assert id_params("staff_ids", (3, 4)) == {"staff_ids": [3, 4], "staff_ids_one": None}
    assert id_params("staff_ids", []) == {"staff_ids": [], "staff_ids_one": None}


def test_one_person_and_many_get_the_same_decision(app, released):  # noqa: F811
    from core.decision.services import can_perform, decide_many
    from core.devices.models import DeviceType
    from core.tvb.models import Activity

    with app.app_context():
        device_type = db.session.get(DeviceType, released["type"])
        activity = db.session.get(Activity, released["use"])
        person = released["person"]
        others = [person, person + 1000, person + 1001]
        many = decide_many(others, activity, device_type, DAY)[person]
        one = can_perform(person, activity, device_type, DAY)
        assert (one.allowed, [r.code for r in one.reasons]) == (many.allowed, [r.code for r in many.reasons])
        assert [r.message for r in one.reasons] == [r.message for r in many.reasons]



def test_one_persons_vzi_portfolio_is_the_same_read_alone_or_with_others(app, make):
    """A profile reads one person's portfolio with the id bound as a scalar; the evaluation of
    many with an array: both give the same portfolio."""
    from decimal import Decimal

    from plugins.vzi_mt import models
    from plugins.vzi_mt.services import load_portfolios

    person, other = make.staff().id, make.staff().id
    with app.app_context():
        for staff_id, level in ((person, "MT4"), (other, "MT3")):
            db.session.add(models.Position(staff_id=staff_id, level=level, start_date=dt.date(2020, 1, 1)))
            db.session.add(models.CpdActivity(staff_id=staff_id, date=dt.date(2025, 3, 1), hours=Decimal("7.50"),
                                              title="Storingsanalyse"))
        db.session.commit()
        alone = load_portfolios(db.session, [person])[person]
        together = load_portfolios(db.session, [person, other])
    assert alone == together[person] != together[other]
    assert [p.level for p in alone.positions] == ["MT4"] and alone.cpd_activities[0].hours == Decimal("7.50")
