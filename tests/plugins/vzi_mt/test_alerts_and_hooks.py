"""Alert events, the staff summary, demo data and the other hooks."""
import datetime as dt

import pytest
from sqlalchemy import event, func, select

from core.extensions import db
from tests.plugins.vzi_mt.conftest import AS_OF, Vzi, insert_period


def vzi_events(app, as_of=AS_OF):
    from core.plugins_runtime import alert_events
    with app.app_context():
        return [e for e in alert_events(as_of, [90, 30, 7]) if e.source == "vzi_mt"]


def behind(app, client, admin, make, period_start):
    """The worked example of an MT4 with 5 years (70 of 72 h CPD) with a period starting on ``period_start``."""
    person = make.staff()
    Vzi(app, client, admin, person.id).example(dt.date(2020, 5, 1))
    insert_period(app, person.id, "MT4", "professional", period_start)
    return person


def test_period_ending_within_180_days_with_unmet_norms(app, client, admin, make):
    person = behind(app, client, admin, make, dt.date(2022, 9, 1))  # ends 2025-09-01, 92 days after AS_OF
    (alert,) = vzi_events(app)
    assert (alert.kind, alert.staff_id, alert.due_on, alert.horizon_days) == (
        "vzi_period_ending", person.id, dt.date(2025, 9, 1), 180)
    assert "CPD: 70.00 of 72.00 h" in alert.message


def test_horizon_boundary_180_days(app, client, admin, make):
    assert AS_OF + dt.timedelta(days=180) == dt.date(2025, 11, 28)
    warned = behind(app, client, admin, make, dt.date(2022, 11, 28))  # ends in exactly 180 days
    behind(app, client, admin, make, dt.date(2022, 11, 29))  # ends in 181 days
    assert [(e.staff_id, e.due_on) for e in vzi_events(app)] == [(warned.id, dt.date(2025, 11, 28))]


def test_no_warning_when_the_norms_are_met(app, client, admin, make):
    person = make.staff()
    Vzi(app, client, admin, person.id).example(dt.date(2018, 5, 1))
    # the period's dispensation, fixed when it started (2022-09-01: 4 completed years), is 0:
    # the 70 h of example 1 are 2 short of 72 h, whatever 7 % would give on the day of the run
    insert_period(app, person.id, "MT4", "expert", dt.date(2022, 9, 1))
    (alert,) = vzi_events(app)
    assert "CPD: 70.00 of 72.00 h" in alert.message
    assert "CPD: 70,00 van 72,00 uur" in alert.message_nl
    Vzi(app, client, admin, person.id).cpd("2")
    assert vzi_events(app) == []


def test_warn_days_configurable(app, client, admin, make, monkeypatch):
    behind(app, client, admin, make, dt.date(2022, 9, 1))  # 92 days to go
    monkeypatch.setitem(app.config, "VZI_WARN_DAYS", 91)
    assert vzi_events(app) == []
    monkeypatch.setitem(app.config, "VZI_WARN_DAYS", 92)
    assert [e.horizon_days for e in vzi_events(app)] == [92]


def test_expired_period_and_fall_back_to_base(app, client, admin, make):
    person = behind(app, client, admin, make, dt.date(2022, 1, 1))  # ended 2025-01-01
    (alert,) = vzi_events(app)
    assert (alert.kind, alert.due_on, alert.horizon_days) == ("vzi_period_expired", dt.date(2025, 1, 1), None)
    assert "falls back to basisregistratie" in alert.message
    assert "terug naar basisregistratie" in alert.message_nl
    assert alert.staff_id == person.id


def test_superseded_period_is_not_reported_as_expired(app, client, admin, make):
    person = make.staff()
    vzi = Vzi(app, client, admin, person.id).example(dt.date(2018, 5, 1))
    assert vzi.grant(dt.date(2024, 6, 1)).status_code == 201
    assert vzi.grant(AS_OF).status_code == 201
    assert vzi_events(app, AS_OF + dt.timedelta(days=10)) == []


def test_alert_queries_do_not_grow_with_the_number_of_people(app, client, admin, make):
    def count(as_of):
        with app.app_context():
            statements = []
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                from core.plugins_runtime import manager
                manager().hook.bekwaam_alert_events(session=db.session, as_of=as_of, horizons=[90])
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            return len(statements)

    behind(app, client, admin, make, dt.date(2022, 9, 1))
    one = count(AS_OF)
    for _ in range(4):
        behind(app, client, admin, make, dt.date(2022, 9, 1))
    assert len(vzi_events(app)) == 5
    assert count(AS_OF) == one


def test_staff_summary(app, client, admin, make):
    from core.plugins_runtime import staff_summaries
    certified, base, nobody = make.staff(), make.staff(), make.staff()
    Vzi(app, client, admin, base.id).example(dt.date(2018, 5, 1))
    insert_period(app, certified.id, "MT4", "expert", dt.date(2024, 1, 1))
    with app.app_context():
        assert staff_summaries(certified.id, AS_OF)["vzi_mt"] == {
            "registration": "certified", "level": "MT4", "designation": "expert", "period_end": "2027-01-01"}
        assert staff_summaries(base.id, AS_OF)["vzi_mt"] == {
            "registration": "base", "level": "MT4", "designation": None, "period_end": None}
        assert "vzi_mt" not in staff_summaries(nobody.id, AS_OF)


def test_demo_data_gives_eight_people_a_portfolio(app, make):
    from plugins.vzi_mt import hooks
    from plugins.vzi_mt.models import Certification, Position
    from plugins.vzi_mt.services import evaluation
    people = [make.staff().id for _ in range(10)]
    today = dt.date(2026, 11, 22)
    with app.app_context():
        hooks.bekwaam_demo_data(db.session, today, "small")
        db.session.commit()
        with_position = db.session.scalars(select(Position.staff_id).distinct()).all()
        assert sorted(with_position) == people[:8]
        designations = {(c.level, c.designation) for c in db.session.scalars(select(Certification))}
        assert {("MT4", "expert"), ("MT3", "in_training")} <= designations
        states = [evaluation(db.session, sid, today) for sid in people[:8]]
        assert [s["registration"] for s in states].count("base") >= 2  # the uncertified and the expired
        ending = vzi_events(app, today)
        assert any(e.kind == "vzi_period_ending" and "CPD" in e.message for e in ending)


def test_demo_data_without_staff_does_nothing(app):
    from plugins.vzi_mt import hooks
    from plugins.vzi_mt.models import Education
    with app.app_context():
        hooks.bekwaam_demo_data(db.session, dt.date(2026, 11, 22), "small")
        assert db.session.scalar(select(func.count()).select_from(Education)) == 0


def test_requirement_schema_and_migration_dirs():
    import os
    from plugins.vzi_mt import hooks
    schema = hooks.bekwaam_activity_requirement_schemas()["vzi_mt"]
    assert schema().load({"min_level": "MT4", "min_designation": "expert"}) == {
        "min_level": "MT4", "min_designation": "expert"}
    with pytest.raises(Exception):
        schema().load({"min_designation": "expert"})
    (path,) = hooks.bekwaam_migration_dirs()
    assert os.path.isfile(os.path.join(path, "vzi_mt_0001_portfolio.py"))
