"""The Leidraad plugin through the API: screening, policy, expiries, decisions, release (Leidraad Medische Technologie 2026; README, Using the API)."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from plugins.leidraad import rules

API = "/api/v1"
L = "/leidraad/device-types"
TODAY = dt.date.today()


def _post(client, headers, path, body, status=201):
    response = client.post(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _put(client, headers, path, body, status=200):
    response = client.put(API + path, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def _get(client, headers, path, status=200):
    response = client.get(API + path, headers=headers)
    assert response.status_code == status, response.json
    return response.json


def screen(client, headers, type_id, usage_context="low", novelty="low", impact="low", status=201, **extra):
    return _post(client, headers, f"{L}/{type_id}/screenings",
                 {"usage_context": usage_context, "novelty": novelty, "impact": impact, **extra}, status=status)


def competence(client, headers, staff_id, type_id, role="user", obtained="2025-01-01", method="training", **extra):
    return _post(client, headers, "/competences", {
        "staff_id": staff_id, "device_type_id": type_id, "role": role,
        "obtained_on": str(obtained), "method": method, **extra})


def ask(client, headers, staff_id, activity_id, type_id=None, on=None):
    query = f"activity_id={activity_id}"
    if type_id is not None:
        query += f"&device_type_id={type_id}"
    if on is not None:
        query += f"&on={on}"
    return _get(client, headers, f"/staff/{staff_id}/can-perform?{query}")


def leidraad(answer):
    return [(r["code"], r["ok"]) for r in answer["reasons"] if r["source"] == "leidraad"]


def authorise(client, headers, staff_id, activity_id, **scope):
    """A role with B for the activity (scope: everything unless given) held since 2000."""
    role = _post(client, headers, "/tvb/roles", {"name": f"Rol {staff_id}-{activity_id}"})["id"]
    _post(client, headers, "/tvb/cells", {"role_id": role, "activity_id": activity_id, "letters": "TVB", **scope})
    _post(client, headers, "/tvb/assignments", {"staff_id": staff_id, "role_id": role, "valid_from": "2000-01-01"})
    return role


_approval_activities = iter(range(1, 10**6))


def approver(client, headers, make, kinds=("technical", "clinical", "pri"), since="2000-01-01"):
    """Someone with B, since ``since``, for activities authorising approvals of ``kinds``."""
    n = next(_approval_activities)
    person = make.staff().id
    role = _post(client, headers, "/tvb/roles", {"name": f"Vrijgeverrol {n}"})["id"]
    for kind in kinds:
        act = activity(client, headers, f"Akkoord {kind} {n}", phase=5, approval=kind)
        _post(client, headers, "/tvb/cells", {"role_id": role, "activity_id": act, "letters": "TVB"})
    _post(client, headers, "/tvb/assignments", {"staff_id": person, "role_id": role, "valid_from": since})
    return person


def activity(client, headers, name, phase=6, **leidraad_req):
    body = {"name": name, "lifecycle_phase": phase}
    if leidraad_req:
        body["requirements"] = {"leidraad": leidraad_req}
    return _post(client, headers, "/tvb/activities", body)["id"]


# --- screening (Leidraad Medische Technologie 2026, risicomanagement) -------------------------------------------------------

@pytest.mark.parametrize("mdr_class, product_risk", [
    ("I", "low"), ("IIa", "medium"), ("IIb", "high"), ("III", "high"),
    ("A", "low"), ("B", "medium"), ("C", "high"), ("D", "high"),
])
def test_product_risk_defaults_from_the_mdr_or_ivdr_class(client, admin, make, mdr_class, product_risk):
    type_id = make.device_type(mdr_class=mdr_class).id
    result = screen(client, admin, type_id)
    assert result["product_risk"] == product_risk
    # Sum of four scores is 4-6 (low); the class is the higher of that and the product risk.
    assert result["risk_class"] == product_risk
    assert result["score_sum"] == rules.LEVEL_SCORES[product_risk] + 3


def test_the_spec_example(client, admin, make):
    # the documented default policy's example: MDR I (low), context high, novelty high, impact medium → sum 9 → medium, PRI required.
    type_id = make.device_type(mdr_class="I").id
    result = screen(client, admin, type_id, usage_context="high", novelty="high", impact="medium")
    assert (result["product_risk"], result["score_sum"], result["risk_class"], result["pri_required"]) == (
        "low", 9, "medium", True)


@pytest.mark.parametrize("factors, risk_class, pri", [
    (("low", "low", "low", "low"), "low", False),          # 4
    (("low", "medium", "medium", "low"), "low", False),    # 6
    (("low", "medium", "medium", "medium"), "medium", False),  # 7
    (("medium", "high", "medium", "high"), "high", True),  # 10 → high: PRI
    (("high", "low", "low", "low"), "high", True),         # product risk floor → high: PRI
    (("low", "low", "high", "low"), "low", True),          # novelty high: PRI
])
def test_class_and_pri_boundaries(client, admin, make, factors, risk_class, pri):
    type_id = make.device_type(mdr_class="I").id
    product, context, novelty, impact = factors
    result = screen(client, admin, type_id, context, novelty, impact, product_risk=product)
    assert (result["risk_class"], result["pri_required"]) == (risk_class, pri)


def test_a_given_product_risk_wins_over_the_class(client, admin, make):
    type_id = make.device_type(mdr_class="III").id
    assert screen(client, admin, type_id, product_risk="low")["risk_class"] == "low"


def test_no_class_and_no_product_risk_is_422(client, admin, make):
    type_id = make.device_type(mdr_class=None).id
    assert "product_risk" in screen(client, admin, type_id, status=422)["errors"]
    assert _get(client, admin, f"{L}/{type_id}/screenings") == []
    assert screen(client, admin, type_id, product_risk="medium")["risk_class"] == "medium"


@pytest.mark.parametrize("body, field", [
    ({"usage_context": "extreme", "novelty": "low", "impact": "low"}, "usage_context"),
    ({"usage_context": "low", "impact": "low"}, "novelty"),
    ({"usage_context": "low", "novelty": "low", "impact": "low", "product_risk": "huge"}, "product_risk"),
    ({"usage_context": "low", "novelty": "low", "impact": "low", "risk_class": "low"}, "risk_class"),
    ({"usage_context": "low", "novelty": "low", "impact": "low", "screened_on": "yesterday"}, "screened_on"),
])
def test_bad_screening_is_422_naming_the_field(client, admin, make, body, field):
    type_id = make.device_type(mdr_class="I").id
    assert field in _post(client, admin, f"{L}/{type_id}/screenings", body, status=422)["errors"]


def test_screening_history_is_kept_newest_first_with_who_and_when(client, admin, make, app):
    user_id, headers = make.user("mt_manager")
    type_id = make.device_type(mdr_class="IIa").id
    first = screen(client, admin, type_id, screened_on="2024-01-01")
    second = screen(client, headers, type_id, "high", "high", "high", screened_on="2025-01-01")
    today = screen(client, admin, type_id)
    assert today["screened_on"] == TODAY.isoformat()
    history = _get(client, admin, f"{L}/{type_id}/screenings")
    assert [s["id"] for s in history] == [today["id"], second["id"], first["id"]]
    assert history[1]["screened_by"] == user_id and history[1]["risk_class"] == "high"
    assert history[1]["usage_context"] == "high" and history[1]["score_sum"] == 11
    assert all(s["created_at"] for s in history)
    _get(client, admin, f"{L}/999999/screenings", status=404)


def test_technician_and_auditor_cannot_screen(client, make):
    type_id = make.device_type(mdr_class="I").id
    for role in ("technician", "auditor"):
        _, headers = make.user(role, staff_id=make.staff().id)
        response = client.post(f"{API}{L}/{type_id}/screenings", headers=headers,
                               json={"usage_context": "low", "novelty": "low", "impact": "low"})
        assert response.status_code == 403


# --- policy (the shipped default) ----------------------------------------------------------

SPEC_5_2 = {
    "high": {"user": ("training_and_assessment", 12), "technician": ("training_and_assessment", 24),
             "key_user": ("training_and_assessment", 12), "trainer": ("training_and_assessment", 12)},
    "medium": {"user": ("training", 36), "technician": ("training_and_assessment", 36),
               "key_user": ("training_and_assessment", 24), "trainer": ("training_and_assessment", 24)},
    "low": {"user": ("instruction", None), "technician": ("training", None),
            "key_user": ("training", None), "trainer": ("training", None)},
}


def test_policy_default_is_spec_5_2(client, admin, make):
    _, technician = make.user("technician", staff_id=make.staff().id)
    policy = _get(client, technician, "/leidraad/policy")
    assert {rc: {role: (c["method"], c["interval_months"]) for role, c in roles.items()}
            for rc, roles in policy["requirements"].items()} == SPEC_5_2
    assert policy["screening"] == {
        "sum_bands": {"low": {"min": 4, "max": 6}, "medium": {"min": 7, "max": 9}, "high": {"min": 10, "max": 12}},
        "product_risk_floor": True, "pri_min_risk_class": "high", "pri_min_novelty": "high"}


def test_policy_put_with_errors_is_422_naming_each_field(client, admin):
    document = _get(client, admin, "/leidraad/policy")
    document["requirements"]["high"]["user"]["interval_months"] = 0
    document["requirements"]["medium"]["technician"]["method"] = "watching"
    del document["requirements"]["low"]["trainer"]
    document["screening"]["sum_bands"]["medium"]["min"] = 8
    document["screening"]["pri_min_novelty"] = "extreme"
    document["colour"] = "red"
    errors = _put(client, admin, "/leidraad/policy", document, status=422)["errors"]
    assert {"requirements.high.user.interval_months", "requirements.medium.technician.method",
            "requirements.low.trainer", "screening.pri_min_novelty", "colour"} <= set(errors)
    assert _get(client, admin, "/leidraad/policy")["requirements"]["high"]["user"]["interval_months"] == 12
    assert "_schema" in _put(client, admin, "/leidraad/policy", ["not", "an", "object"], status=422)["errors"]


def test_only_admin_puts_the_policy(client, make):
    for role in ("manager", "tvb_admin", "technician"):
        _, headers = make.user(role, staff_id=make.staff().id, department_id=make.department().id)
        assert client.put(f"{API}/leidraad/policy", headers=headers, json={}).status_code == 403


def _medium_type_with_user(client, admin, make, method="training", obtained=None):
    type_id = make.device_type(mdr_class="IIa", lifecycle_phase=6, released_on=dt.date(2000, 1, 1)).id
    screen(client, admin, type_id, screened_on="2020-01-01")  # IIa → medium: user training, 36 months
    person = make.staff().id
    obtained = obtained or TODAY - dt.timedelta(days=30)
    record = competence(client, admin, person, type_id, obtained=obtained, method=method)
    return type_id, person, record, obtained


def test_policy_put_recomputes_expiries_and_reports_who_becomes_non_compliant(client, admin, make):
    type_id, person, record, obtained = _medium_type_with_user(client, admin, make)
    assert record["expires_on"] == rules.add_months(obtained, 36).isoformat()
    document = _get(client, admin, "/leidraad/policy")
    document["requirements"]["medium"]["user"] = {"method": "training_and_assessment", "interval_months": 12}
    result = _put(client, admin, "/leidraad/policy", document)
    assert result["effective_on"] == TODAY.isoformat()
    new_expiry = rules.add_months(obtained, 12)
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] == new_expiry.isoformat()
    changes = {(c["code"], c["from"]) for c in result["changes"] if c["staff_id"] == person}
    assert changes == {("method_insufficient", TODAY.isoformat()), ("expiry_shortened", new_expiry.isoformat())}
    assert all(c["competence_id"] == record["id"] and c["device_type_id"] == type_id and c["role"] == "user"
               and c["message"] for c in result["changes"])
    assert _get(client, admin, "/leidraad/policy")["requirements"]["medium"]["user"]["interval_months"] == 12


def test_policy_put_longer_interval_reports_nobody(client, admin, make):
    _, _, record, obtained = _medium_type_with_user(client, admin, make)
    document = _get(client, admin, "/leidraad/policy")
    document["requirements"]["medium"]["user"]["interval_months"] = 48
    assert _put(client, admin, "/leidraad/policy", document)["changes"] == []
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] == rules.add_months(obtained, 48).isoformat()


def test_a_new_policy_does_not_change_the_past(client, admin, make):
    type_id, person, _, _ = _medium_type_with_user(client, admin, make, method="training")
    use = activity(client, admin, "Klinisch gebruik", competence_role="user")
    authorise(client, admin, person, use)
    document = _get(client, admin, "/leidraad/policy")
    document["requirements"]["medium"]["user"]["method"] = "training_and_assessment"
    _put(client, admin, "/leidraad/policy", document)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    assert ("competent", True) in leidraad(ask(client, admin, person, use, type_id, yesterday))
    assert ("method_insufficient", False) in leidraad(ask(client, admin, person, use, type_id))


# --- per-device-type override --------------------------------------------------------

def test_override_per_device_type(client, admin, make):
    type_id, person, record, obtained = _medium_type_with_user(client, admin, make)
    other_type, _, other_record, _ = _medium_type_with_user(client, admin, make)
    result = _put(client, admin, f"{L}/{type_id}/override", {"user": {"method": "training", "interval_months": 6}})
    assert [(c["staff_id"], c["code"]) for c in result["changes"]] == [(person, "expiry_shortened")]
    requirements = _get(client, admin, f"{L}/{type_id}/requirements")
    assert requirements["risk_class"] == "medium" and requirements["overridden_roles"] == ["user"]
    assert requirements["roles"]["user"] == {"method": "training", "interval_months": 6}
    assert requirements["roles"]["technician"] == {"method": "training_and_assessment", "interval_months": 36}
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] == rules.add_months(obtained, 6).isoformat()
    # The other type keeps the policy.
    assert _get(client, admin, f"{L}/{other_type}/requirements")["roles"]["user"]["interval_months"] == 36
    assert _get(client, admin, f"/competences/{other_record['id']}")["expires_on"] == rules.add_months(obtained, 36).isoformat()
    # A new competence follows the override too.
    fresh = competence(client, admin, make.staff().id, type_id, obtained="2026-01-31")
    assert fresh["expires_on"] == "2026-07-31"
    response = client.delete(f"{API}{L}/{type_id}/override", headers=admin)
    assert response.status_code == 200
    assert _get(client, admin, f"{L}/{type_id}/requirements")["overridden_roles"] == []
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] == rules.add_months(obtained, 36).isoformat()


def test_a_put_without_a_body_does_not_remove_the_override(client, admin, make):
    type_id = make.device_type(mdr_class="I").id
    _put(client, admin, f"{L}/{type_id}/override", {"user": {"method": "training", "interval_months": 6}})
    for body in ({"data": "not json", "content_type": "text/plain"}, {"json": ["user"]}, {}):
        response = client.put(f"{API}{L}/{type_id}/override", headers=admin, **body)
        assert response.status_code == 422 and "_schema" in response.json["errors"]
    assert _get(client, admin, f"{L}/{type_id}/requirements")["overridden_roles"] == ["user"]


@pytest.mark.parametrize("document, field", [
    ({"janitor": {"method": "training", "interval_months": 6}}, "janitor"),
    ({"user": {"method": "reading", "interval_months": 6}}, "user.method"),
    ({"user": {"method": "training", "interval_months": 0}}, "user.interval_months"),
    ({"user": {"method": "training"}}, "user.interval_months"),
])
def test_bad_override_is_422(client, admin, make, document, field):
    type_id = make.device_type(mdr_class="I").id
    assert field in _put(client, admin, f"{L}/{type_id}/override", document, status=422)["errors"]


# --- expiry in calendar months, set-based, on SQLite and PostgreSQL --------------------

MONTH_ENDS = [  # (role, obtained_on, months, expected) — calendar months: 31 Jan + 1 month = 28/29 Feb
    ("user", "2025-01-31", 1, "2025-02-28"),
    ("user", "2024-01-31", 1, "2024-02-29"),
    ("technician", "2025-08-31", 6, "2026-02-28"),
    ("key_user", "2025-03-15", 1, "2025-04-15"),
    ("trainer", "2024-12-31", 2, "2025-02-28"),
]


def _month_end_competences(client, admin, make, type_id):
    person = make.staff().id
    return [(competence(client, admin, person, type_id, role=role, obtained=obtained,
                        method="training_and_assessment")["id"], expected)
            for role, obtained, _, expected in MONTH_ENDS]


def test_calendar_months_by_a_class_change(client, admin, make):
    type_id = make.device_type(mdr_class="I").id
    records = _month_end_competences(client, admin, make, type_id)
    override = {role: {"method": "instruction", "interval_months": months} for role, _, months, _ in MONTH_ENDS}
    _put(client, admin, f"{L}/{type_id}/override", override)
    # Not screened yet: no class, so no expiry, override or not.
    assert [_get(client, admin, f"/competences/{cid}")["expires_on"] for cid, _ in records] == [None] * len(records)
    screen(client, admin, type_id)  # no class → low: the set-based recompute runs
    assert [_get(client, admin, f"/competences/{cid}")["expires_on"] for cid, _ in records] == [e for _, e in records]


def test_calendar_months_by_a_policy_put(client, admin, make):
    type_id = make.device_type(mdr_class="I").id
    screen(client, admin, type_id)  # low: no expiry for anyone
    records = _month_end_competences(client, admin, make, type_id)
    assert [_get(client, admin, f"/competences/{cid}")["expires_on"] for cid, _ in records] == [None] * len(records)
    document = _get(client, admin, "/leidraad/policy")
    for role, _, months, _ in MONTH_ENDS:
        document["requirements"]["low"][role] = {"method": "instruction", "interval_months": months}
    result = _put(client, admin, "/leidraad/policy", document)
    assert [_get(client, admin, f"/competences/{cid}")["expires_on"] for cid, _ in records] == [e for _, e in records]
    # All those expiries have passed: non-compliant from today, never retroactively.
    assert {c["from"] for c in result["changes"]} == {TODAY.isoformat()}
    assert len(result["changes"]) == len(records)


def test_a_hand_typed_expiry_is_overwritten(client, admin, make):
    type_id = make.device_type(mdr_class="IIa").id
    screen(client, admin, type_id)
    record = competence(client, admin, make.staff().id, type_id, obtained="2025-01-31", expires_on="2099-01-01")
    assert (record["expires_on"], record["expiry_source"]) == ("2028-01-31", "leidraad")
    patched = client.patch(f"{API}/competences/{record['id']}", headers=admin, json={"expires_on": "2030-01-01"})
    assert patched.status_code == 200 and patched.json["expires_on"] == "2028-01-31"


def test_a_class_change_reports_who_becomes_non_compliant(client, admin, make):
    type_id = make.device_type(mdr_class="I").id
    screen(client, admin, type_id, screened_on="2024-01-01")  # low: user by instruction, no expiry
    user, tech = make.staff().id, make.staff().id
    obtained = TODAY - dt.timedelta(days=10)
    by_instruction = competence(client, admin, user, type_id, obtained=obtained, method="instruction")
    assessed = competence(client, admin, tech, type_id, role="technician", obtained=obtained,
                          method="training_and_assessment")
    assert by_instruction["expires_on"] is None
    result = screen(client, admin, type_id, "high", "high", "high")  # now high
    assert result["risk_class"] == "high"
    changes = {(c["staff_id"], c["code"], c["from"]) for c in result["changes"]}
    assert changes == {
        (user, "method_insufficient", TODAY.isoformat()),
        (user, "expiry_shortened", rules.add_months(obtained, 12).isoformat()),
        (tech, "expiry_shortened", rules.add_months(obtained, 24).isoformat()),
    }
    assert _get(client, admin, f"/competences/{assessed['id']}")["expires_on"] == rules.add_months(obtained, 24).isoformat()
    # The same class again changes nothing and reports nobody.
    assert screen(client, admin, type_id, "high", "high", "high")["changes"] == []


# --- the can_perform conditions -----------------------------------------------------

@pytest.fixture
def clinic(client, admin, make):
    """A released medium-class type (user: training, 36 months), a use activity needing a
    user competence, and a person authorised for it everywhere."""
    type_id = make.device_type(mdr_class="IIa", lifecycle_phase=6, released_on=dt.date(2000, 1, 1)).id
    use = activity(client, admin, "Klinisch gebruik", competence_role="user")
    person = make.staff().id
    authorise(client, admin, person, use)
    return {"type": type_id, "use": use, "person": person}


def _screen_clinic(client, admin, clinic):
    screen(client, admin, clinic["type"], screened_on="2020-01-01")


def test_not_screened(client, admin, clinic):
    competence(client, admin, clinic["person"], clinic["type"])
    answer = ask(client, admin, clinic["person"], clinic["use"], clinic["type"])
    assert answer["allowed"] is False
    assert ("not_screened", False) in leidraad(answer)


def test_competence_missing(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    answer = ask(client, admin, clinic["person"], clinic["use"], clinic["type"])
    assert answer["allowed"] is False and ("competence_missing", False) in leidraad(answer)


def test_competence_of_another_role_or_type_does_not_count(client, admin, clinic, make):
    _screen_clinic(client, admin, clinic)
    competence(client, admin, clinic["person"], clinic["type"], role="technician", method="training_and_assessment")
    other = make.device_type(mdr_class="IIa").id
    competence(client, admin, clinic["person"], other)
    assert ("competence_missing", False) in leidraad(ask(client, admin, clinic["person"], clinic["use"], clinic["type"]))


def test_method_insufficient(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    competence(client, admin, clinic["person"], clinic["type"], method="instruction")  # medium needs training
    answer = ask(client, admin, clinic["person"], clinic["use"], clinic["type"])
    assert answer["allowed"] is False and ("method_insufficient", False) in leidraad(answer)


def test_competence_expired(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    competence(client, admin, clinic["person"], clinic["type"], obtained="2021-01-01")  # expires 2024-01-01
    answer = ask(client, admin, clinic["person"], clinic["use"], clinic["type"])
    assert answer["allowed"] is False and ("competence_expired", False) in leidraad(answer)
    # Valid while on < expires_on: the last valid day and the first invalid one.
    assert ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2023-12-31")["allowed"] is True
    assert not ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2024-01-01")["allowed"]


def test_competent_and_released_allow(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    competence(client, admin, clinic["person"], clinic["type"], obtained="2025-01-01")
    answer = ask(client, admin, clinic["person"], clinic["use"], clinic["type"])
    assert answer["allowed"] is True
    assert leidraad(answer) == [("released", True), ("competent", True)]
    assert [r["code"] for r in answer["reasons"] if r["source"] == "core"] == ["authorised"]


def test_external_staff_are_held_to_the_same_requirements(client, admin, clinic, make):
    _screen_clinic(client, admin, clinic)
    vendor = make.staff(employment_type="external", company="Dräger Service").id
    authorise(client, admin, vendor, clinic["use"])
    competence(client, admin, vendor, clinic["type"], method="instruction")
    assert ("method_insufficient", False) in leidraad(ask(client, admin, vendor, clinic["use"], clinic["type"]))


def test_a_competence_obtained_later_does_not_count_before(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    competence(client, admin, clinic["person"], clinic["type"], obtained="2025-01-01")
    before = ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2024-12-31")
    assert before["allowed"] is False and ("competence_missing", False) in leidraad(before)
    assert ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2025-01-01")["allowed"] is True


def test_a_screening_done_later_does_not_count_before(client, admin, clinic):
    competence(client, admin, clinic["person"], clinic["type"], obtained="2023-01-01")
    screen(client, admin, clinic["type"], screened_on="2024-01-01")
    before = ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2023-12-31")
    assert before["allowed"] is False and leidraad(before) == [("released", True), ("not_screened", False)]
    assert ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2024-01-01")["allowed"] is True


def test_the_class_of_the_day_decides(client, admin, clinic):
    screen(client, admin, clinic["type"], screened_on="2024-01-01")                         # medium: training ok
    screen(client, admin, clinic["type"], "high", "high", "high", screened_on="2025-06-01")  # high: needs assessment
    competence(client, admin, clinic["person"], clinic["type"], obtained="2025-01-01")
    assert ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2025-05-31")["allowed"] is True
    later = ask(client, admin, clinic["person"], clinic["use"], clinic["type"], "2025-06-01")
    assert ("method_insufficient", False) in leidraad(later)


def test_device_type_required(client, admin, clinic):
    answer = ask(client, admin, clinic["person"], clinic["use"])
    assert answer["allowed"] is False and leidraad(answer) == [("device_type_required", False)]


def test_an_activity_without_leidraad_requirements_needs_no_competence(client, admin, clinic):
    plain = activity(client, admin, "Rondleiding")
    authorise(client, admin, clinic["person"], plain)
    answer = ask(client, admin, clinic["person"], plain, clinic["type"])
    assert answer["allowed"] is True and leidraad(answer) == [("released", True)]


def test_not_released_refuses_use_but_not_earlier_phases(client, admin, clinic, make):
    unreleased = make.device_type(mdr_class="IIa", lifecycle_phase=4).id
    screen(client, admin, unreleased)
    competence(client, admin, clinic["person"], unreleased, obtained="2025-01-01")
    answer = ask(client, admin, clinic["person"], clinic["use"], unreleased)
    assert answer["allowed"] is False and leidraad(answer) == [("not_released", False), ("competent", True)]
    implement = activity(client, admin, "Implementatie", phase=4)
    authorise(client, admin, clinic["person"], implement)
    earlier = ask(client, admin, clinic["person"], implement, unreleased)
    assert earlier["allowed"] is True and leidraad(earlier) == []


# --- safety notices ------------------------------------------------------------------------

def test_safety_notice_sets_the_new_due_date_and_reinstruction_due(client, admin, clinic, make):
    _screen_clinic(client, admin, clinic)
    before = competence(client, admin, clinic["person"], clinic["type"], obtained="2025-01-01")
    colleague = make.staff().id
    after = competence(client, admin, colleague, clinic["type"], obtained="2025-03-01")
    notice = _post(client, admin, f"{L}/{clinic['type']}/safety-notices",
                   {"title": "FSN 2025-01: alarmgrenzen", "issued_on": "2025-02-01", "reinstruct_by": "2025-04-30"})
    assert notice["device_type_id"] == clinic["type"]
    # Valid through the re-instruction date, due the day after.
    assert _get(client, admin, f"/competences/{before['id']}")["expires_on"] == "2025-05-01"
    assert _get(client, admin, f"/competences/{after['id']}")["expires_on"] == after["expires_on"] == "2028-03-01"
    assert [n["title"] for n in _get(client, admin, f"{L}/{clinic['type']}/safety-notices")] == [notice["title"]]

    person, use, type_id = clinic["person"], clinic["use"], clinic["type"]
    assert ask(client, admin, person, use, type_id, "2025-04-30")["allowed"] is True
    due = ask(client, admin, person, use, type_id, "2025-05-01")
    assert due["allowed"] is False and ("reinstruction_due", False) in leidraad(due)
    assert "2025-04-30" in [r for r in due["reasons"] if r["code"] == "reinstruction_due"][0]["message"]
    # Re-instructed after the notice: competent again.
    again = competence(client, admin, person, type_id, obtained="2025-05-10")
    assert again["expires_on"] == "2028-05-10"
    assert ask(client, admin, person, use, type_id, "2025-05-10")["allowed"] is True
    assert ask(client, admin, person, use, type_id, "2025-05-09")["allowed"] is False


def test_a_safety_notice_is_respected_by_later_recomputes(client, admin, clinic):
    _screen_clinic(client, admin, clinic)
    record = competence(client, admin, clinic["person"], clinic["type"], obtained="2025-01-01")
    _post(client, admin, f"{L}/{clinic['type']}/safety-notices",
          {"title": "Recall", "issued_on": "2025-02-01", "reinstruct_by": "2025-04-30"})
    _put(client, admin, "/leidraad/policy", _get(client, admin, "/leidraad/policy"))
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] == "2025-05-01"


def test_safety_notice_due_before_issue_is_422(client, admin, clinic):
    body = _post(client, admin, f"{L}/{clinic['type']}/safety-notices",
                 {"title": "X", "issued_on": "2025-02-01", "reinstruct_by": "2025-01-31"}, status=422)
    assert "reinstruct_by" in body["errors"]


# --- release (Leidraad Medische Technologie 2026, fase 5 vrijgave) ----------------------------------------------------------------

def _missing(client, headers, type_id, on=None):
    body = _get(client, headers, f"{L}/{type_id}/release-check" + (f"?on={on}" if on else ""))
    assert body["releasable"] is (body["missing"] == [])
    assert all(item["message"] for item in body["missing"])
    return [item["code"] for item in body["missing"]]


ALL_MISSING = ["no_screening", "no_technical_approval", "no_clinical_approval",
               "no_competent_technician", "no_competent_user"]


def test_release_check_lists_every_missing_item(client, admin, make):
    type_id = make.device_type(mdr_class="IIa", lifecycle_phase=4).id
    assert _missing(client, admin, type_id) == ALL_MISSING
    screen(client, admin, type_id, novelty="high", screened_on="2025-01-01")  # novelty high: PRI required
    assert _missing(client, admin, type_id) == ["no_pri"] + ALL_MISSING[1:]
    signer = approver(client, admin, make)
    for kind, code in (("pri", "no_pri"), ("technical", "no_technical_approval"), ("clinical", "no_clinical_approval")):
        _post(client, admin, f"{L}/{type_id}/approvals", {"kind": kind, "staff_id": signer, "date": "2026-01-01"})
        assert code not in _missing(client, admin, type_id)
    assert _missing(client, admin, type_id, on="2025-12-31") == ["no_pri", "no_technical_approval",
                                                               "no_clinical_approval"] + ALL_MISSING[3:]
    tech, user = make.staff().id, make.staff().id
    competence(client, admin, tech, type_id, role="technician", method="training")  # medium: needs assessment
    competence(client, admin, user, type_id, method="instruction")                   # medium: needs training
    assert _missing(client, admin, type_id) == ["no_competent_technician", "no_competent_user"]
    competence(client, admin, tech, type_id, role="technician", method="training_and_assessment")
    competence(client, admin, user, type_id, method="training")
    assert _missing(client, admin, type_id) == []
    _get(client, admin, f"{L}/999999/release-check", status=404)


def test_a_refused_release_answers_in_english_with_code_and_message_only(client, admin, make):
    # The Dutch of a blocker is for the web page; the API's items keep their two fields.
    type_id = make.device_type(mdr_class="IIa", lifecycle_phase=5).id
    refused = _post(client, admin, f"{L}/{type_id}/release", {}, status=409)
    assert [item["code"] for item in refused["missing"]] == ALL_MISSING
    assert all(set(item) == {"code", "message"} for item in refused["missing"])
    check = _get(client, admin, f"{L}/{type_id}/release-check")
    assert refused["missing"] == check["missing"]


def test_an_inactive_technician_does_not_count_for_release(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=4).id
    screen(client, admin, type_id)
    competence(client, admin, make.staff(active=False).id, type_id, role="technician")
    assert "no_competent_technician" in _missing(client, admin, type_id)


def _ready_for_release(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=5).id
    screen(client, admin, type_id, screened_on="2025-01-01")
    signer = approver(client, admin, make)
    for kind in ("technical", "clinical"):
        _post(client, admin, f"{L}/{type_id}/approvals", {"kind": kind, "staff_id": signer, "date": "2026-01-01"})
    competence(client, admin, make.staff().id, type_id, role="technician")
    return type_id


def test_release_is_409_with_the_missing_items_then_200(client, admin, make):
    type_id = _ready_for_release(client, admin, make)
    refused = client.post(f"{API}{L}/{type_id}/release", headers=admin, json={"date": "2026-02-01"})
    assert refused.status_code == 409
    assert [m["code"] for m in refused.json["missing"]] == ["no_competent_user"]
    assert _get(client, admin, f"/device-types/{type_id}")["lifecycle_phase"] == 5
    competence(client, admin, make.staff().id, type_id, role="user", method="instruction")
    released = _post(client, admin, f"{L}/{type_id}/release", {"date": "2026-02-01"}, status=200)
    assert released == {"device_type_id": type_id, "lifecycle_phase": 6, "released_on": "2026-02-01",
                        "date": "2026-02-01"}
    stored = _get(client, admin, f"/device-types/{type_id}")
    assert (stored["lifecycle_phase"], stored["released_on"]) == (6, "2026-02-01")


def test_release_on_a_date_before_the_approvals_is_409(client, admin, make):
    type_id = _ready_for_release(client, admin, make)
    competence(client, admin, make.staff().id, type_id, role="user", method="instruction")
    refused = client.post(f"{API}{L}/{type_id}/release", headers=admin, json={"date": "2025-12-31"})
    assert refused.status_code == 409
    assert {"no_technical_approval", "no_clinical_approval"} <= {m["code"] for m in refused.json["missing"]}


def test_patch_to_phase_6_without_release_is_409_with_the_items(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=5).id
    response = client.patch(f"{API}/device-types/{type_id}", headers=admin, json={"lifecycle_phase": 6})
    assert response.status_code == 409
    assert [m["code"] for m in response.json["missing"]] == ALL_MISSING
    assert _get(client, admin, f"/device-types/{type_id}")["lifecycle_phase"] == 5
    # Other phases move freely.
    assert client.patch(f"{API}/device-types/{type_id}", headers=admin, json={"lifecycle_phase": 3}).status_code == 200


def test_patch_to_phase_6_with_nothing_missing_is_still_refused_only_the_release_releases(client, admin, make):
    # Leidraad Medische Technologie 2026, fase 5: in use only after the release procedure.
    type_id = _ready_for_release(client, admin, make)
    competence(client, admin, make.staff().id, type_id, role="user", method="instruction")
    response = client.patch(f"{API}/device-types/{type_id}", headers=admin, json={"lifecycle_phase": 6})
    assert response.status_code == 409 and response.json["missing"] == []
    by_hand = client.patch(f"{API}/device-types/{type_id}", headers=admin,
                           json={"lifecycle_phase": 6, "released_on": "2026-02-01"})
    assert by_hand.status_code == 422 and list(by_hand.json["errors"]) == ["released_on"]
    stored = _get(client, admin, f"/device-types/{type_id}")
    assert (stored["lifecycle_phase"], stored["released_on"], stored["legacy_registration"]) == (5, None, False)
    _post(client, admin, f"{L}/{type_id}/release", {"date": "2026-02-01"}, status=200)
    stored = _get(client, admin, f"/device-types/{type_id}")
    assert (stored["lifecycle_phase"], stored["released_on"], stored["legacy_registration"]) == (6, "2026-02-01", False)


@pytest.mark.parametrize("body", [{"released_on": "2026-01-01"}, {"lifecycle_phase": 6, "released_on": "2026-01-01"},
                                  {"lifecycle_phase": 4, "released_on": "2026-01-01"}])
def test_released_on_cannot_be_patched_it_comes_from_the_release(client, admin, make, body):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=5).id
    response = client.patch(f"{API}/device-types/{type_id}", headers=admin, json=body)
    assert response.status_code == 422 and list(response.json["errors"]) == ["released_on"]
    assert _get(client, admin, f"/device-types/{type_id}")["released_on"] is None


def test_patching_released_on_of_a_released_type_is_refused_but_echoing_it_is_fine(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=6, released_on=dt.date(2020, 1, 1)).id
    moved = client.patch(f"{API}/device-types/{type_id}", headers=admin, json={"released_on": "2019-12-31"})
    assert moved.status_code == 422 and "released_on" in moved.json["errors"]
    same = client.patch(f"{API}/device-types/{type_id}", headers=admin, json={"released_on": "2020-01-01", "name": "X"})
    assert same.status_code == 200 and same.json["released_on"] == "2020-01-01"


def test_a_type_in_use_is_registered_in_phase_6_with_its_release_date(client, admin):
    group = client.get(f"{API}/technology-groups", headers=admin).json[0]["id"]
    body = {"manufacturer": "Philips", "model": "IntelliVue MX800", "name": "Patiëntmonitor",
            "technology_group_id": group, "mdr_class": "IIb", "lifecycle_phase": 6}
    refused = client.post(f"{API}/device-types", headers=admin, json=body)
    assert refused.status_code == 422 and "released_on" in refused.json["errors"]
    created = _post(client, admin, "/device-types", {**body, "released_on": "2019-05-01"})
    assert (created["lifecycle_phase"], created["released_on"]) == (6, "2019-05-01")
    assert created["legacy_registration"] is True


# --- approvals --------------------------------------------------------------------------------

def test_approval_needs_someone_authorised_for_the_approval_activity(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=5).id
    screen(client, admin, type_id, screened_on="2025-06-01")
    technical = activity(client, admin, "Technische vrijgave", phase=5, approval="technical")
    outsider, engineer = make.staff().id, make.staff().id
    authorise(client, admin, engineer, technical, device_type_id=type_id)
    refused = _post(client, admin, f"{L}/{type_id}/approvals",
                    {"kind": "technical", "staff_id": outsider, "date": "2026-01-01"}, status=422)
    assert "staff_id" in refused["errors"] and "Technische vrijgave" in refused["errors"]["staff_id"][0]
    ok = _post(client, admin, f"{L}/{type_id}/approvals", {"kind": "technical", "staff_id": engineer, "date": "2026-01-01"})
    assert (ok["kind"], ok["staff_id"], ok["device_type_id"]) == ("technical", engineer, type_id)
    # The clinical kind has no activity configured: nobody may approve, never everybody.
    unconfigured = _post(client, admin, f"{L}/{type_id}/approvals",
                         {"kind": "clinical", "staff_id": engineer, "date": "2026-01-01"}, status=422)
    assert "nobody may" in unconfigured["errors"]["staff_id"][0]
    assert [a["kind"] for a in _get(client, admin, f"{L}/{type_id}/approvals")] == ["technical"]


def test_approval_authorisation_is_for_that_device_type(client, admin, make):
    group = client.get(f"{API}/technology-groups", headers=admin).json[:2]
    mine = make.device_type(technology_group_id=group[0]["id"]).id
    theirs = make.device_type(technology_group_id=group[1]["id"]).id
    clinical = activity(client, admin, "Klinische vrijgave", phase=5, approval="clinical")
    screen(client, admin, mine, product_risk="low", screened_on="2025-06-01")
    screen(client, admin, theirs, product_risk="low", screened_on="2025-06-01")
    doctor = make.staff().id
    authorise(client, admin, doctor, clinical, technology_group_id=group[0]["id"])
    _post(client, admin, f"{L}/{mine}/approvals", {"kind": "clinical", "staff_id": doctor, "date": "2026-01-01"})
    _post(client, admin, f"{L}/{theirs}/approvals", {"kind": "clinical", "staff_id": doctor, "date": "2026-01-01"},
          status=422)


@pytest.mark.parametrize("body, field", [
    ({"kind": "financial", "staff_id": 1, "date": "2026-01-01"}, "kind"),
    ({"kind": "technical", "staff_id": 999999, "date": "2026-01-01"}, "staff_id"),
    ({"kind": "technical", "staff_id": 1}, "date"),
])
def test_bad_approval_is_422(client, admin, make, body, field):
    type_id = make.device_type().id
    assert field in _post(client, admin, f"{L}/{type_id}/approvals", body, status=422)["errors"]


# --- the default TVB activities (leidraad_0002) on a fresh database ------------------------------

def test_default_activities_ship_with_the_migration(tmp_path):
    from sqlalchemy import select

    from core.extensions import db
    from core.tvb.models import Activity
    from tests.conftest import create_pg_database, migrated_app, require_postgres

    drop = None
    if os.environ.get("BEKWAAM_TEST_DATABASE_URL", "").startswith("postgres"):
        require_postgres()
        url, drop = create_pg_database()
    else:
        url = "sqlite:///" + str(tmp_path / "fresh.sqlite")
    app = migrated_app(url)
    try:
        with app.app_context():
            rows = {a.name: a for a in db.session.scalars(select(Activity))}
            db.session.expunge_all()
    finally:
        with app.app_context():
            db.engine.dispose()
        if drop:
            drop()
    assert {a.lifecycle_phase for a in rows.values()} >= {1, 2, 3, 4, 5, 6, 7}
    for name in ("Preventief onderhoud", "Reparatie", "Veiligheidsinspectie", "Software-update"):
        assert rows[name].requirements["leidraad"]["competence_role"] == "technician"
    assert rows["Klinisch gebruik"].requirements["leidraad"]["competence_role"] == "user"
    assert rows["Gebruikersinstructie geven"].lifecycle_phase == 6
    assert rows["Technische vrijgave"].requirements["leidraad"]["approval"] == "technical"
    assert rows["Klinische vrijgave"].requirements["leidraad"]["approval"] == "clinical"
    # leidraad_0003: the PRI, too, comes from someone the TVB matrix authorises.
    assert rows["Risicoscreening en PRI"].requirements["leidraad"]["approval"] == "pri"
    assert rows["Buitengebruikstelling en afvoer"].lifecycle_phase == 7
    assert {a.level for a in rows.values()} == {"strategic", "tactical", "operational"}


def test_the_set_based_expiry_recomputation_is_audited_per_row(client, admin, make):
    _, _, record, obtained = _medium_type_with_user(client, admin, make)
    document = _get(client, admin, "/leidraad/policy")
    document["requirements"]["medium"]["user"]["interval_months"] = 12
    _put(client, admin, "/leidraad/policy", document)
    entries = [e for e in _get(client, admin, f"/audit?entity=competence&entity_id={record['id']}")
               if e["action"] == "update" and e["after"] and "expiry_source" in e["after"]]
    assert len(entries) == 1
    (entry,) = entries
    assert entry["before"]["expires_on"] == rules.add_months(obtained, 36).isoformat()
    assert entry["after"]["expires_on"] == rules.add_months(obtained, 12).isoformat()
