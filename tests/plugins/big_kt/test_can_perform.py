"""can_perform for reserved procedures through ``GET /api/v1/staff/{id}/can-perform`` (Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog, art. 5)."""
import datetime as dt

import pytest
from sqlalchemy import event, update

from core.extensions import db
from core.tvb.models import Activity
from tests.plugins.big_kt.conftest import API, BIG, big_reasons

ALL_OK = {"procedure_reserved_for_kt": True, "big_registered": True, "diploma_recognised": True,
          "not_restricted": True, "reregistration_in_order": True, "within_subdomain": True,
          "procedure_competence": True, "protocol": True}


def test_kt_meeting_every_condition_is_allowed(big):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is True
    assert big_reasons(decision) == ALL_OK
    assert any(r["source"] == "core" and r["code"] == "authorised" and r["ok"] for r in decision["reasons"])


def test_unregistered_technical_physician_only_under_instruction(big):
    activity = big.activity()
    staff_id = big.staff()
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"])
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False
    reasons = big_reasons(decision)
    assert reasons["not_registered_under_instruction"] is False
    message = next(r["message"] for r in decision["reasons"] if r["code"] == "not_registered_under_instruction")
    assert "under instruction" in message


def test_registered_after_the_date_is_not_registered_on_it(big):
    activity = big.activity()
    staff_id = big.full_kt(activity, registered_on="2023-04-03", diploma_on="2023-03-01")
    assert big_reasons(big.can(staff_id, activity["id"], "2023-04-02"))["not_registered_under_instruction"] is False
    assert big.can(staff_id, activity["id"], "2023-04-03")["allowed"] is True


def test_past_suspension_is_honoured(big, client, admin):
    activity = big.activity()
    staff_id = big.full_kt(activity)
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    big.ok(big.put(staff_id, big_number=number, status="suspended", status_since="2024-02-01"))
    big.ok(big.put(staff_id, big_number=number, status="registered", status_since="2024-05-01"))
    assert big.can(staff_id, activity["id"], "2024-01-31")["allowed"] is True
    during = big.can(staff_id, activity["id"], "2024-02-01")
    assert during["allowed"] is False and big_reasons(during)["not_registered_under_instruction"] is False
    assert "suspended" in next(r["message"] for r in during["reasons"] if r["source"] == "big_kt" and not r["ok"])
    assert big.can(staff_id, activity["id"], "2024-04-30")["allowed"] is False
    assert big.can(staff_id, activity["id"], "2024-05-01")["allowed"] is True


def test_struck_off_is_not_independent(big):
    activity = big.activity()
    staff_id = big.full_kt(activity, status="struck_off", status_since="2025-01-01")
    assert big.can(staff_id, activity["id"], "2024-12-31")["allowed"] is True
    decision = big.can(staff_id, activity["id"], "2025-01-01")
    assert big_reasons(decision)["not_registered_under_instruction"] is False and not decision["allowed"]


def test_restricted_for_that_procedure(big):
    activity = big.activity(procedure="puncture")
    staff_id = big.full_kt(activity, status="restricted", restriction="Geen puncties",
                           restricted_procedures=["puncture"])
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False and big_reasons(decision)["restricted"] is False


def test_restriction_of_another_procedure_does_not_stop_this_one(big):
    activity = big.activity(procedure="puncture")
    staff_id = big.full_kt(activity, status="restricted", restriction="Geen endoscopieën",
                           restricted_procedures=["endoscopy"])
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is True and big_reasons(decision)["not_restricted"] is True


def test_restriction_that_ended_yesterday_no_longer_applies(big, day):
    activity = big.activity()
    yesterday = day - dt.timedelta(days=1)
    staff_id = big.full_kt(activity, status="restricted", restriction="Alle voorbehouden handelingen",
                           restriction_from="2024-01-01", restriction_until=str(yesterday))
    assert big.can(staff_id, activity["id"], str(day))["allowed"] is True
    assert big_reasons(big.can(staff_id, activity["id"], str(yesterday)))["restricted"] is False


def test_outside_the_persons_subdomains(big):
    activity = big.activity()
    staff_id = big.register()
    big.give_subdomain(staff_id, big.subdomain())  # another sub-domain
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"])
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False and big_reasons(decision)["outside_subdomain"] is False


def test_without_procedure_competence(big):
    activity = big.activity()
    staff_id = big.register()
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.assign(staff_id, activity["role_id"])
    other = big.activity()
    big.competence(staff_id, other["id"])  # competent for another procedure only
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False and big_reasons(decision)["no_procedure_competence"] is False


@pytest.mark.parametrize("obtained, expires, on, ok", [
    ("2024-01-10", "2025-01-10", "2025-01-09", True),   # last valid day
    ("2024-01-10", "2025-01-10", "2025-01-10", False),  # valid while on < expires_on
    ("2024-01-10", "2025-01-10", "2024-01-10", True),   # from the day it was obtained
    ("2024-01-10", "2025-01-10", "2024-01-09", False),  # not yet obtained
])
def test_competence_valid_on_the_date(big, obtained, expires, on, ok):
    activity = big.activity()
    staff_id = big.register()
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.assign(staff_id, activity["role_id"])
    big.competence(staff_id, activity["id"], obtained_on=obtained, expires_on=expires)
    decision = big.can(staff_id, activity["id"], on)
    assert decision["allowed"] is ok
    assert big_reasons(decision)["procedure_competence" if ok else "no_procedure_competence"] is ok


def test_procedure_outside_the_nine_is_never_independent(big):
    # Wet BIG art. 36 and the Besluit klinisch technoloog art. 5: e.g. narcose is never independent for a KT
    activity = big.activity(procedure="anaesthesia")
    staff_id = big.full_kt(activity)
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False
    reasons = big_reasons(decision)
    assert reasons["procedure_not_reserved_for_kt"] is False
    assert all(ok for code, ok in reasons.items() if code != "procedure_not_reserved_for_kt")


@pytest.mark.parametrize("procedure", ["surgical", "endoscopy", "catheterisation", "injection", "puncture",
                                       "elective_cardioversion", "defibrillation", "radiation", "lithotripsy"])
def test_each_of_the_nine_reserved_procedures(big, procedure):
    activity = big.activity(procedure=procedure)
    assert big.can(big.full_kt(activity), activity["id"])["allowed"] is True


def test_without_protocol(big, app):
    # The requirement schema refuses an empty protocol; a row stored without one
    # (e.g. written before the plugin was enabled) is still refused here.
    activity = big.activity()
    staff_id = big.full_kt(activity)
    from core.tvb.models import ActivityVersion
    stored = {"big_kt": {"reserved_procedure": "puncture", "subdomain_id": activity["subdomain_id"], "protocol": ""}}
    with app.app_context():
        # Written around the ORM: the row and its dated version both.
        db.session.execute(update(Activity).where(Activity.id == activity["id"]).values(requirements=stored))
        db.session.execute(update(ActivityVersion).where(ActivityVersion.activity_id == activity["id"])
                           .values(requirements=stored))
        db.session.commit()
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False and big_reasons(decision)["no_protocol"] is False


def test_activity_without_big_requirements_gets_no_big_reasons(big, client, admin):
    activity = client.post(f"{API}/tvb/activities", json={"name": "Gebruikersinstructie"}, headers=admin).json
    role = client.post(f"{API}/tvb/roles", json={"name": "Instructeur"}, headers=admin).json
    client.post(f"{API}/tvb/cells", json={"role_id": role["id"], "activity_id": activity["id"], "letters": "B"},
                headers=admin)
    staff_id = big.staff()
    big.assign(staff_id, role["id"])
    decision = big.can(staff_id, activity["id"])
    assert big_reasons(decision) == {} and decision["allowed"] is True


def test_without_tvb_b_the_core_refuses_even_a_full_kt(big):
    activity = big.activity()
    staff_id = big.register()
    big.give_subdomain(staff_id, activity["subdomain_id"])
    big.competence(staff_id, activity["id"])  # no assignment to the role
    decision = big.can(staff_id, activity["id"])
    assert decision["allowed"] is False and big_reasons(decision) == ALL_OK


# ------------------------------------------------------------ requirement schema


@pytest.mark.parametrize("requirement, field", [
    ({"subdomain_id": 1, "protocol": "P"}, "reserved_procedure"),
    ({"reserved_procedure": "puncture", "protocol": "P"}, "subdomain_id"),
    ({"reserved_procedure": "puncture", "subdomain_id": None}, "protocol"),
    ({"reserved_procedure": "puncture", "subdomain_id": None, "protocol": ""}, "protocol"),
    ({"reserved_procedure": "puncture", "subdomain_id": None, "protocol": "   "}, "protocol"),
    ({"reserved_procedure": "puncture", "subdomain_id": 999999, "protocol": "P"}, "subdomain_id"),
    ({"reserved_procedure": "puncture", "subdomain_id": "1", "protocol": "P"}, "subdomain_id"),
    ({"reserved_procedure": "puncture", "subdomain_id": None, "protocol": "P", "extra": 1}, "extra"),
])
def test_requirement_schema_refuses(big, client, admin, requirement, field):
    if requirement.get("subdomain_id", 0) is None:
        requirement = {**requirement, "subdomain_id": big.subdomain()}
    response = client.post(f"{API}/tvb/activities", headers=admin,
                           json={"name": "Punctie", "requirements": {"big_kt": requirement}})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["requirements"][0]["big_kt"]


def test_requirement_schema_accepts_any_procedure_string(big, client, admin):
    sub = big.subdomain()
    response = client.post(f"{API}/tvb/activities", headers=admin, json={"name": "Narcose", "requirements": {
        "big_kt": {"reserved_procedure": "anaesthesia", "subdomain_id": sub, "protocol": "ANE-1"}}})
    assert response.status_code == 201
    assert response.json["requirements"]["big_kt"] == {
        "reserved_procedure": "anaesthesia", "subdomain_id": sub, "protocol": "ANE-1"}


# ------------------------------------------------------------------- set-based


def test_one_query_per_table_whatever_the_number_of_people(big, app):
    from core.decision.services import decide_many
    from plugins.big_kt.services import can_perform_conditions

    activity = big.activity()
    few = [big.full_kt(activity) for _ in range(2)]
    many = few + [big.full_kt(activity) for _ in range(6)] + [big.staff() for _ in range(4)]
    counts = []
    with app.app_context():
        act = db.session.get(Activity, activity["id"])
        for ids in (few, many):
            statements = []
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                result = can_perform_conditions(ids, act, dt.date.today())
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            counts.append(len(statements))
            assert set(result) == set(ids)
        decisions = decide_many(many, act, None, dt.date.today())
    # registration, status history, sub-domains, competences, work hours
    assert counts[0] == counts[1] <= 5
    assert [decisions[s].allowed for s in many] == [True] * 8 + [False] * 4
