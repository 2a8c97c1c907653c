"""Fail closed through the API: the decision never says 'allowed' where a BIG rule says no.

Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog and
the periodic re-registration of the Wet BIG; every boundary is tried on the day
itself, the last day and the day after.
"""
import datetime as dt

import pytest
from sqlalchemy import update

from core.competence.models import Competence
from core.extensions import db
from tests.plugins.big_kt.conftest import BIG, big_reasons


def post_hours(client, admin, staff_id, start, end, hours):
    return client.post(f"{BIG}/staff/{staff_id}/work-hours", headers=admin, json={
        "period_start": str(start), "period_end": str(end), "hours": str(hours)})


# ------------------------------------------------------- work hours: overlap


@pytest.mark.parametrize("start, end, overlaps", [
    ("2024-01-01", "2024-01-31", True),   # same period
    ("2023-12-01", "2024-01-01", True),   # shares the first day
    ("2024-06-30", "2024-07-31", True),   # shares the last day
    ("2024-03-01", "2024-03-31", True),   # inside
    ("2023-12-01", "2023-12-31", False),  # ends the day before
    ("2024-07-01", "2024-07-31", False),  # starts the day after
])
def test_overlapping_work_hours_are_refused(big, client, admin, start, end, overlaps):
    staff_id = big.staff()
    big.work_hours(staff_id, "2024-01-01", "2024-06-30", "500")
    response = post_hours(client, admin, staff_id, start, end, "10")
    if overlaps:
        assert response.status_code == 422, response.json
        assert {"period_start", "period_end"} <= set(response.json["errors"])
        assert "2024-01-01 to 2024-06-30" in response.json["errors"]["period_start"][0]
    else:
        assert response.status_code == 201, response.json


def test_overlap_of_another_person_does_not_count(big, client, admin):
    big.work_hours(big.staff(), "2024-01-01", "2024-06-30", "500")
    assert post_hours(client, admin, big.staff(), "2024-01-01", "2024-06-30", "500").status_code == 201


def test_patch_into_an_overlap_is_refused_and_changes_nothing(big, client, admin):
    staff_id = big.staff()
    big.work_hours(staff_id, "2024-01-01", "2024-06-30", "500")
    second = big.work_hours(staff_id, "2024-07-01", "2024-12-31", "400")
    url = f"{BIG}/staff/{staff_id}/work-hours/{second['id']}"
    response = client.patch(url, json={"period_start": "2024-06-30"}, headers=admin)
    assert response.status_code == 422 and "period_start" in response.json["errors"]
    assert client.get(url, headers=admin).json["period_start"] == "2024-07-01"
    # a record does not overlap itself
    assert client.patch(url, json={"hours": "410"}, headers=admin).status_code == 200


def test_the_same_hours_never_count_twice(big, client, admin):
    staff_id = big.register(registered_on="2023-06-01", diploma_on="2023-05-01")
    big.work_hours(staff_id, "2024-01-01", "2024-12-31", "1000")
    post_hours(client, admin, staff_id, "2024-01-01", "2024-12-31", "1000")
    assert big.evaluation(staff_id, "2025-01-01")["reregistration"]["hours_done"] == "1000.00"


# ------------------------------------------------------------------- bounds


@pytest.mark.parametrize("hours, ok", [
    ("0.01", True), ("10000", True), ("10000.00", True), ("10000.01", False), ("0", False), ("-1", False),
    ("1.234", False), ("1.230", True), ("1e400", False), ("-1e400", False), ("NaN", False), ("Infinity", False),
    ("99999999999999999999999999", False), ("abc", False), (True, False),
])
def test_hours_bounds(big, client, admin, hours, ok):
    staff_id = big.staff()
    response = client.post(f"{BIG}/staff/{staff_id}/work-hours", headers=admin, json={
        "period_start": "2020-01-01", "period_end": "2024-12-31", "hours": hours})
    assert response.status_code == (201 if ok else 422), response.json
    if not ok:
        assert "hours" in response.json["errors"]


@pytest.mark.parametrize("hours, ok", [("48.00", True), ("48.01", False)])
def test_no_more_hours_than_the_period_holds(big, client, admin, hours, ok):
    response = post_hours(client, admin, big.staff(), "2024-02-28", "2024-02-29", hours)
    assert response.status_code == (201 if ok else 422), response.json


@pytest.mark.parametrize("day, ok", [("1950-01-01", True), ("1949-12-31", False),
                                     ("2100-12-31", True), ("2101-01-01", False), ("9999-12-31", False)])
def test_evaluation_date_bounds(big, client, admin, day, ok):
    staff_id = big.register()
    response = client.get(f"{BIG}/staff/{staff_id}/evaluation?as_of={day}", headers=admin)
    assert response.status_code == (200 if ok else 422), response.json
    if not ok:
        assert "as_of" in response.json["errors"]


@pytest.mark.parametrize("field", ["registered_on", "diploma_on", "status_since", "restriction_from",
                                   "restriction_until"])
@pytest.mark.parametrize("value", ["1949-12-31", "2101-01-01", "9999-12-31", "0001-01-01"])
def test_registration_date_bounds(big, field, value):
    response = big.put(big.staff(), **{field: value})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize("field", ["period_start", "period_end"])
def test_work_hours_date_bounds(big, client, admin, field):
    body = {"period_start": "2024-01-01", "period_end": "2024-01-31", "hours": "10", field: "1949-12-31"}
    response = client.post(f"{BIG}/staff/{big.staff()}/work-hours", headers=admin, json=body)
    assert response.status_code == 422 and field in response.json["errors"]


def reason(decision, code):
    return next(r for r in decision["reasons"] if r["source"] == "big_kt" and r["code"] == code)


def kt_without_competence(big, activity, **registration):
    staff_id = big.register(**registration)
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.assign(staff_id, activity["role_id"])
    return staff_id


# --------------------------------------- 1. reserved-procedure competence


@pytest.mark.parametrize("method, assessor, expires, shortfall", [
    ("training_and_assessment", None, "2099-01-10", "not signed off by an assessor"),
    ("training_and_assessment", "self", "2099-01-10", "signed off by the person themself"),
    ("instruction", "specialist", "2099-01-10", "method instruction, not training_and_assessment"),
    ("training", "specialist", "2099-01-10", "method training, not training_and_assessment"),
    ("training_and_assessment", "specialist", None, "no expiry date of its own"),
])
def test_competence_that_is_not_signed_off_does_not_count(app, big, method, assessor, expires, shortfall):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity)
    row = big.competence(staff_id, activity["id"], method=method, expires_on=expires,
                         assessor_id="specialist" if assessor == "self" else assessor)
    if assessor == "self":
        # the core API refuses self-assessment; a record from before that check or an import still reads as such
        with app.app_context():
            db.session.execute(update(Competence).where(Competence.id == row["id"]).values(assessor_id=staff_id))
            db.session.commit()
    decision = big.can(staff_id, activity["id"], "2024-06-01")
    assert decision["allowed"] is False
    found = reason(decision, "procedure_competence_unsigned")
    assert found["ok"] is False and shortfall in found["message"]


def test_every_shortfall_is_named(big):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity)
    big.competence(staff_id, activity["id"], method="instruction", expires_on=None, assessor_id=None)
    message = reason(big.can(staff_id, activity["id"], "2024-06-01"), "procedure_competence_unsigned")["message"]
    for part in ("not signed off by an assessor", "method instruction", "no expiry date of its own"):
        assert part in message


def test_a_signed_record_beside_an_unsigned_one_counts(big):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity)
    big.competence(staff_id, activity["id"], method="training", assessor_id=None)
    big.competence(staff_id, activity["id"])
    decision = big.can(staff_id, activity["id"], "2024-06-01")
    assert decision["allowed"] is True and big_reasons(decision)["procedure_competence"] is True


@pytest.mark.parametrize("on, code", [
    ("2023-01-09", "no_procedure_competence"),   # day before it was obtained
    ("2023-01-10", "procedure_competence"),      # first day
    ("2024-01-09", "procedure_competence"),      # last day
    ("2024-01-10", "no_procedure_competence"),   # expiry day: no longer valid
])
def test_signed_competence_boundaries(big, on, code):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity)
    big.competence(staff_id, activity["id"], obtained_on="2023-01-10", expires_on="2024-01-10")
    decision = big.can(staff_id, activity["id"], on)
    assert decision["allowed"] is (code == "procedure_competence")
    assert code in big_reasons(decision)
    if on == "2024-01-10":
        assert "expired on 2024-01-10" in reason(decision, code)["message"]


def test_unsigned_record_outside_its_dates_reads_as_no_competence(big):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity)
    big.competence(staff_id, activity["id"], obtained_on="2023-01-10", expires_on="2024-01-10", method="training")
    assert "no_procedure_competence" in big_reasons(big.can(staff_id, activity["id"], "2024-01-10"))
    assert "procedure_competence_unsigned" in big_reasons(big.can(staff_id, activity["id"], "2024-01-09"))


# ------------------------------------------- 2. missed re-registration norm


@pytest.fixture
def norm_2020(app, monkeypatch):
    """Periodic registration from 2020 so that a whole period lies in the past:
    first period [2020-07-01, 2025-07-01), deadline 2025-07-01."""
    monkeypatch.setitem(app.config, "BIG_REREGISTRATION_EFFECTIVE_DATE", dt.date(2020, 1, 1))


def kt_of_2020(big, activity, hours):
    staff_id = big.register(registered_on="2020-07-01", diploma_on="2020-06-01")
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"], obtained_on="2020-07-01")
    big.work_hours(staff_id, "2020-07-01", "2025-06-30", hours)
    return staff_id


def test_missed_norm_refuses_from_the_day_after_the_deadline(big, norm_2020):
    activity = big.activity()
    staff_id = kt_of_2020(big, activity, "2079.99")
    on_deadline = big.can(staff_id, activity["id"], "2025-07-01")
    assert on_deadline["allowed"] is True and big_reasons(on_deadline)["reregistration_in_order"] is True
    day_after = big.can(staff_id, activity["id"], "2025-07-02")
    assert day_after["allowed"] is False and big_reasons(day_after)["reregistration_missed"] is False
    message = reason(day_after, "reregistration_missed")["message"]
    assert "2025-07-01" in message and "2,079.99 of 2,080.00 h" in message


def test_missed_norm_in_the_evaluation(big, norm_2020):
    staff_id = kt_of_2020(big, big.activity(), "2079.99")
    assert big.evaluation(staff_id, "2025-07-01")["independent"] is True
    answer = big.evaluation(staff_id, "2025-07-02")
    assert answer["independent"] is False
    (missed,) = [u for u in answer["unmet"] if u["code"] == "reregistration_missed"]
    assert "2,079.99 of 2,080.00 h" in missed["message"] and "2020-07-01 to 2025-06-30" in missed["message"]
    assert answer["reregistration"]["missed"] == {"period_start": "2020-07-01", "due": "2025-07-01",
                                                  "hours_required": "2080.00", "hours_done": "2079.99"}
    assert big.evaluation(staff_id, "2025-07-01")["reregistration"]["missed"] is None


def test_norm_met_exactly_is_not_missed(big, norm_2020):
    activity = big.activity()
    staff_id = kt_of_2020(big, activity, "2080.00")
    assert big.can(staff_id, activity["id"], "2025-07-02")["allowed"] is True
    assert big.evaluation(staff_id, "2025-07-02")["independent"] is True


def test_missed_norm_does_not_roll_into_the_next_period(big, norm_2020):
    activity = big.activity()
    staff_id = kt_of_2020(big, activity, "1000")
    big.work_hours(staff_id, "2025-07-01", "2026-06-30", "2100")  # plenty in the new period
    later = big.can(staff_id, activity["id"], "2026-07-01")
    assert later["allowed"] is False and big_reasons(later)["reregistration_missed"] is False
    assert "2025-07-01" in reason(later, "reregistration_missed")["message"]


def test_missed_norm_raises_an_alert_once(app, big, norm_2020):
    from tests.plugins.big_kt.test_hooks import _events
    staff_id = kt_of_2020(big, big.activity(), "2079.99")
    assert _events(app, dt.date(2025, 7, 1), "big_reregistration_missed") == []
    (event,) = _events(app, dt.date(2025, 7, 2), "big_reregistration_missed")
    assert (event.staff_id, event.due_on, event.horizon_days) == (staff_id, dt.date(2025, 7, 1), None)
    assert "2,079.99 of 2,080.00 h" in event.message
    assert {e.key for e in _events(app, dt.date(2025, 8, 2), "big_reregistration_missed")} == {event.key}


def test_no_missed_alert_when_the_norm_was_met(app, big, norm_2020):
    from tests.plugins.big_kt.test_hooks import _events
    kt_of_2020(big, big.activity(), "2080")
    assert _events(app, dt.date(2025, 7, 2), "big_reregistration_missed") == []


# ----------------------------- 4. registration before 1 July 2020; foreign diploma


def test_registration_before_the_profession_existed_holds_from_1_july_2020(big):
    activity = big.activity()
    staff_id = kt_without_competence(big, activity, registered_on="2019-11-15", diploma_on="2019-08-30")
    big.competence(staff_id, activity["id"], obtained_on="2020-01-10")
    before = big.can(staff_id, activity["id"], "2020-06-30")
    assert before["allowed"] is False and big_reasons(before)["not_registered_under_instruction"] is False
    assert big.can(staff_id, activity["id"], "2020-07-01")["allowed"] is True
    assert big.evaluation(staff_id, "2020-06-30")["status"] is None
    assert big.evaluation(staff_id, "2020-07-01")["status"] == "registered"


@pytest.mark.parametrize("outcome, decided, on, allowed", [
    ("recognised", "2021-08-01", "2022-02-01", True),
    ("recognised", "2022-02-02", "2022-02-01", False),  # recognised only from the next day
    ("recognised", "2022-02-02", "2022-02-02", True),
    ("conditions_not_met", "2021-08-01", "2022-01-01", False),
    ("refused", "2021-08-01", "2022-01-01", False),
])
def test_foreign_diploma_only_when_recognised(big, outcome, decided, on, allowed):
    activity = big.activity()
    staff_id = big.full_kt(activity, foreign_diploma=True, language_proof=True, recognition_outcome=outcome,
                           recognition_decided_on=decided)
    decision = big.can(staff_id, activity["id"], on)
    assert decision["allowed"] is allowed
    code = "diploma_recognised" if allowed else "foreign_diploma_not_recognised"
    assert big_reasons(decision)[code] is allowed
    answer = big.evaluation(staff_id, on)
    assert answer["independent"] is allowed
    assert ("foreign_diploma_not_recognised" in [u["code"] for u in answer["unmet"]]) is not allowed


def test_recognition_outcome_is_structured(big):
    response = big.put(big.staff(), foreign_diploma=True, language_proof=True, recognition_outcome="ok door CBGV",
                       recognition_decided_on="2021-08-01")
    assert response.status_code == 422 and "recognition_outcome" in response.json["errors"]
    response = big.put(big.staff(), recognition_outcome="recognised", recognition_decided_on="2021-08-01")
    assert response.status_code == 422 and "recognition_outcome" in response.json["errors"]


@pytest.mark.parametrize("decided, field", [("2021-06-29", "recognition_decided_on"),
                                            ("2099-01-01", "recognition_decided_on")])
def test_recognition_date_must_fit(big, decided, field):
    response = big.put(big.staff(), foreign_diploma=True, language_proof=True, recognition_outcome="recognised",
                       recognition_decided_on=decided)
    assert response.status_code == 422 and field in response.json["errors"]


# ----------------------------------------- 5. facts apply from their own dates


def test_restriction_recorded_late_governs_from_its_start(big, client, admin):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    big.ok(big.put(staff_id, big_number=number, status="restricted", restriction="Geen puncties",
                   restriction_from="2025-05-12"))
    assert big.can(staff_id, activity["id"], "2025-05-11")["allowed"] is True
    during = big.can(staff_id, activity["id"], "2025-05-12")
    assert during["allowed"] is False and big_reasons(during)["restricted"] is False
    history = client.get(f"{BIG}/staff/{staff_id}/registration/history", headers=admin).json
    assert history[-1]["effective_on"] == "2025-05-12"
    assert history[-1]["recorded_at"][:10] == dt.datetime.now(dt.timezone.utc).date().isoformat()


def test_suspension_recorded_late_needs_its_date_and_governs_from_it(big, client, admin):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    undated = big.put(staff_id, big_number=number, status="suspended")
    assert undated.status_code == 422 and "status_since" in undated.json["errors"]
    big.ok(big.put(staff_id, big_number=number, status="suspended", status_since="2025-03-01"))
    assert big.can(staff_id, activity["id"], "2025-02-28")["allowed"] is True
    assert big.can(staff_id, activity["id"], "2025-03-01")["allowed"] is False


@pytest.mark.parametrize("body, fields", [
    ({"status": "restricted", "restriction": "x", "restriction_from": "2024-05-01", "restriction_until": "2024-04-30"},
     {"restriction_until"}),
    ({"status": "suspended", "status_since": "2021-08-31"}, {"status_since"}),
    ({"status": "restricted", "restriction": "x", "restriction_from": "2021-08-31"}, {"restriction_from"}),
    ({"status": "restricted", "restriction": "x", "restriction_from": "2024-01-01", "status_since": "2024-01-02"},
     {"status_since", "restriction_from"}),
    ({"registered_on": "2021-09-01", "diploma_on": "2021-09-02"}, {"diploma_on"}),
])
def test_contradicting_dates_are_refused(big, body, fields):
    response = big.put(big.staff(), **body)
    assert response.status_code == 422, response.json
    assert fields <= set(response.json["errors"])


def test_status_since_on_the_day_the_registration_takes_effect_is_accepted(big, client, admin):
    staff_id = big.register(registered_on="2019-11-15", diploma_on="2019-08-30", status="suspended",
                            status_since="2020-07-01")
    rows = client.get(f"{BIG}/staff/{staff_id}/registration/history", headers=admin).json
    assert [(r["status"], r["effective_on"]) for r in rows] == [("suspended", "2020-07-01")]
    response = big.put(big.staff(), registered_on="2019-11-15", diploma_on="2019-08-30", status="suspended",
                       status_since="2020-06-30")
    assert response.status_code == 422 and "status_since" in response.json["errors"]


# -------------------------------------------------- 6. dated sub-domain links


def test_link_added_today_does_not_allow_an_earlier_date(big, day):
    activity = big.activity()
    staff_id = big.register()
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"])
    link = big.give_subdomain(staff_id, activity["subdomain_id"], valid_from=None)
    assert link["valid_from"] == str(day) and link["valid_to"] is None
    yesterday = big.can(staff_id, activity["id"], str(day - dt.timedelta(days=1)))
    assert yesterday["allowed"] is False and big_reasons(yesterday)["outside_subdomain"] is False
    assert big.can(staff_id, activity["id"], str(day))["allowed"] is True


@pytest.mark.parametrize("on, allowed", [("2023-12-31", False), ("2024-01-01", True), ("2024-06-30", True),
                                         ("2024-07-01", False)])
def test_link_holds_over_its_dates(big, on, allowed):
    activity = big.activity()
    staff_id = big.register()
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"])
    big.give_subdomain(staff_id, activity["subdomain_id"], valid_from="2024-01-01", valid_to="2024-06-30")
    decision = big.can(staff_id, activity["id"], on)
    assert decision["allowed"] is allowed
    assert big_reasons(decision)["within_subdomain" if allowed else "outside_subdomain"] is allowed


def test_ending_a_link_keeps_its_history(big, client, admin, day):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    (link,) = client.get(f"{BIG}/staff/{staff_id}/subdomains", headers=admin).json
    url = f"{BIG}/staff/{staff_id}/subdomains/{link['id']}"
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).json["valid_to"] == str(day - dt.timedelta(days=1))
    assert big.can(staff_id, activity["id"], str(day - dt.timedelta(days=1)))["allowed"] is True
    assert big.can(staff_id, activity["id"], "2022-06-01")["allowed"] is True
    assert big_reasons(big.can(staff_id, activity["id"], str(day)))["outside_subdomain"] is False
    # added again from today: a new link, the old one stays
    big.give_subdomain(staff_id, activity["subdomain_id"], valid_from=None)
    assert len(client.get(f"{BIG}/staff/{staff_id}/subdomains", headers=admin).json) == 2
    assert big.can(staff_id, activity["id"], str(day))["allowed"] is True


def test_link_end_date_by_patch_and_what_may_not_change(big, client, admin):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    (link,) = client.get(f"{BIG}/staff/{staff_id}/subdomains", headers=admin).json
    url = f"{BIG}/staff/{staff_id}/subdomains/{link['id']}"
    ended = client.patch(url, json={"valid_to": "2024-03-31"}, headers=admin)
    assert ended.status_code == 200 and ended.json["valid_to"] == "2024-03-31"
    assert big.can(staff_id, activity["id"], "2024-03-31")["allowed"] is True
    assert big.can(staff_id, activity["id"], "2024-04-01")["allowed"] is False
    for body, field in (({"valid_from": "2021-01-01"}, "valid_from"), ({"subdomain_id": big.subdomain()}, "subdomain_id"),
                        ({"valid_to": "2020-06-30"}, "valid_to")):
        response = client.patch(url, json=body, headers=admin)
        assert response.status_code == 422 and field in response.json["errors"], response.json


def test_overlapping_links_to_one_subdomain_are_refused(big, client, admin):
    staff_id = big.staff()
    sub = big.subdomain()
    big.give_subdomain(staff_id, sub, valid_from="2024-01-01", valid_to="2024-06-30")
    url = f"{BIG}/staff/{staff_id}/subdomains"
    assert client.post(url, json={"subdomain_id": sub, "valid_from": "2024-06-30"}, headers=admin).status_code == 409
    assert client.post(url, json={"subdomain_id": sub, "valid_from": "2024-07-01"}, headers=admin).status_code == 201
    bad = client.post(url, json={"subdomain_id": big.subdomain(), "valid_from": "2024-07-01",
                                 "valid_to": "2024-06-30"}, headers=admin)
    assert bad.status_code == 422 and "valid_to" in bad.json["errors"]
