"""Alert events, staff summary and demo data of the big_kt plugin, through the core's hook wrappers."""
import datetime as dt

from sqlalchemy import func, select

from core.extensions import db
from tests.plugins.big_kt.conftest import BIG

HORIZONS = [90, 30, 7]


def _events(app, as_of, kind=None, horizons=HORIZONS):
    from core.plugins_runtime import alert_events
    with app.app_context():
        found = [e for e in alert_events(as_of, horizons) if e.source == "big_kt"]
    return [e for e in found if kind is None or e.kind == kind]


# ----------------------------------------------------------- re-registration


def test_no_reregistration_alert_before_12_months(app, big):
    big.register()  # first period 2023-03-01 .. 2028-03-01
    assert _events(app, dt.date(2027, 2, 28), "big_reregistration_due") == []


def test_reregistration_due_within_12_months_with_hours_missing(app, big):
    staff_id = big.register()
    big.work_hours(staff_id, "2023-03-01", "2025-12-31", "1000")
    (event,) = _events(app, dt.date(2027, 3, 1), "big_reregistration_due")
    assert (event.staff_id, event.due_on, event.horizon_days) == (staff_id, dt.date(2028, 3, 1), 366)
    assert "1,080.00 h" in event.message and "12 months" in event.message


def test_reregistration_due_within_6_months(app, big):
    staff_id = big.register()
    (event,) = _events(app, dt.date(2027, 9, 1), "big_reregistration_due")
    assert (event.due_on, event.horizon_days) == (dt.date(2028, 3, 1), 182)
    assert "2,080.00 h" in event.message and "6 months" in event.message
    assert _events(app, dt.date(2027, 8, 31), "big_reregistration_due")[0].horizon_days == 366
    assert event.key != _events(app, dt.date(2027, 8, 31), "big_reregistration_due")[0].key
    assert staff_id


def test_reregistration_alert_key_is_stable_across_days(app, big):
    big.register()
    keys = {_events(app, dt.date(2027, 3, d), "big_reregistration_due")[0].key for d in (1, 2, 3)}
    assert len(keys) == 1


def test_warning_months_are_configuration(app, big, monkeypatch):
    monkeypatch.setitem(app.config, "BIG_WARN_MONTHS", (3,))
    big.register()
    assert _events(app, dt.date(2027, 11, 30), "big_reregistration_due") == []
    (event,) = _events(app, dt.date(2027, 12, 1), "big_reregistration_due")
    assert event.horizon_days == 91


def test_no_reregistration_alert_when_struck_off(app, big):
    big.register(status="struck_off", status_since="2025-01-01")
    assert _events(app, dt.date(2027, 9, 1), "big_reregistration_due") == []


# ------------------------------------------------------------------ inactive


def test_inactive_registration_is_alerted_from_its_date(app, big):
    staff_id = big.register(status="suspended", status_since="2025-01-01")
    assert _events(app, dt.date(2024, 12, 31), "big_registration_inactive") == []
    (event,) = _events(app, dt.date(2025, 1, 1), "big_registration_inactive")
    assert (event.staff_id, event.due_on, event.horizon_days) == (staff_id, dt.date(2025, 1, 1), None)
    assert "suspended" in event.message
    assert _events(app, dt.date(2025, 6, 1), "big_registration_inactive")[0].key == event.key


def test_restricted_is_not_inactive(app, big):
    big.register(status="restricted", restriction="Geen puncties", restricted_procedures=["puncture"])
    assert _events(app, dt.date(2025, 6, 1), "big_registration_inactive") == []


# ------------------------------------------------------- procedure competence


def test_procedure_competence_expiring_within_the_horizons(app, big):
    activity = big.activity()
    as_of = dt.date(2025, 6, 1)
    staff_id = big.register()
    in_30 = big.competence(staff_id, activity["id"], "2024-06-01", as_of + dt.timedelta(days=30))
    in_31 = big.competence(staff_id, activity["id"], "2024-06-01", as_of + dt.timedelta(days=31))
    big.competence(staff_id, activity["id"], "2024-06-01", as_of + dt.timedelta(days=91))
    big.competence(staff_id, activity["id"], "2024-06-01", as_of)  # already expired
    events = _events(app, as_of, "big_procedure_competence_expiring")
    assert [(e.detail, e.horizon_days) for e in events] == [
        (f"competence:{in_30['id']}", 30), (f"competence:{in_31['id']}", 90)]
    assert events[0].due_on == as_of + dt.timedelta(days=30) and events[0].staff_id == staff_id


def test_device_competences_are_not_procedure_alerts(app, big, make, client, admin):
    device_type = make.device_type()
    client.post("/api/v1/competences", headers=admin, json={
        "staff_id": big.staff(), "device_type_id": device_type.id, "role": "user",
        "obtained_on": "2024-06-01", "method": "instruction", "expires_on": "2025-06-10"})
    assert _events(app, dt.date(2025, 6, 1), "big_procedure_competence_expiring") == []


# ------------------------------------------------------------------- summary


def test_staff_summary(app, big):
    from core.plugins_runtime import staff_summaries
    kt = big.register()
    other = big.staff()
    with app.app_context():
        assert staff_summaries(kt, dt.date(2025, 6, 1)) == {
            "big_kt": {"status": "registered", "independent": True, "due": "2028-03-01"}}
        assert "big_kt" not in staff_summaries(other, dt.date(2025, 6, 1))


# ---------------------------------------------------------------------- demo


def test_demo_data_registers_the_last_three_staff(app, big, client, admin):
    from core.staff.models import Staff
    from plugins.big_kt.hooks import bekwaam_demo_data
    from plugins.big_kt.models import KtRegistration

    people = [big.staff() for _ in range(5)]
    today = dt.date.today()
    with app.app_context():
        bekwaam_demo_data(session=db.session, today=today, size="small")
        db.session.commit()
        assert sorted(db.session.scalars(select(KtRegistration.staff_id))) == people[-3:]
        assert db.session.scalar(select(func.count()).select_from(Staff)) == 5
    names = [s["name"] for s in client.get(f"{BIG}/subdomains", headers=admin).json]
    assert {"Beeldvorming en interventie", "Sensing en stimulatie", "Cardiovasculair", "Neurologie"} <= set(names)
    activities = [a for a in client.get("/api/v1/tvb/activities?page_size=1000", headers=admin).json
                  if "big_kt" in (a["requirements"] or {})]
    assert len(activities) == 3
    allowed = [client.get(f"/api/v1/staff/{p}/can-perform?activity_id={a['id']}", headers=admin).json["allowed"]
               for p in people[-3:] for a in activities]
    assert allowed.count(True) == 2  # two registered KTs, each in their own procedure; the third is suspended
    assert big.evaluation(people[-1])["status"] == "suspended"


def test_demo_data_without_staff_does_nothing(app):
    from plugins.big_kt.hooks import bekwaam_demo_data
    from plugins.big_kt.models import KtSubdomain
    with app.app_context():
        bekwaam_demo_data(session=db.session, today=dt.date.today(), size="small")
        assert db.session.scalar(select(func.count()).select_from(KtSubdomain)) == 0


def test_configuration_given_as_environment_strings(app, big, monkeypatch):
    monkeypatch.setitem(app.config, "BIG_WARN_MONTHS", "3")
    monkeypatch.setitem(app.config, "BIG_REREGISTRATION_HOURS", "1500")
    big.register()
    (event,) = _events(app, dt.date(2027, 12, 1), "big_reregistration_due")
    assert event.horizon_days == 91 and "1,500.00 h" in event.message
