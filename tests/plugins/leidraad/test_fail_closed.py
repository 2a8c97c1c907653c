"""The Leidraad never says 'allowed' where a rule says no: re-screening, PRI triggers,
approvals per screening and per TVB authorisation, bounds. Through the API."""
from __future__ import annotations

import pytest

from tests.plugins.leidraad.test_api import (
    API, L, _get, _post, _put, activity, approver, ask, authorise, competence, leidraad, screen,
)


def _missing(client, headers, type_id, on):
    return [m["code"] for m in _get(client, headers, f"{L}/{type_id}/release-check?on={on}")["missing"]]


def _approve(client, headers, type_id, signer, date, kinds=("technical", "clinical")):
    return [_post(client, headers, f"{L}/{type_id}/approvals", {"kind": k, "staff_id": signer, "date": date})
            for k in kinds]


@pytest.fixture
def released(client, admin, make):
    """A class I type, screened low on 2025-01-01, released on 2025-03-01; a competent user with B."""
    type_id = make.device_type(mdr_class="I", lifecycle_phase=5).id
    first = screen(client, admin, type_id, screened_on="2025-01-01")
    signer = approver(client, admin, make)
    _approve(client, admin, type_id, signer, "2025-02-01")
    competence(client, admin, make.staff().id, type_id, role="technician", obtained="2025-02-01",
               method="training_and_assessment")
    person = make.staff().id
    competence(client, admin, person, type_id, obtained="2025-02-01", method="training_and_assessment")
    use = activity(client, admin, "Klinisch gebruik", competence_role="user")
    authorise(client, admin, person, use)
    _post(client, admin, f"{L}/{type_id}/release", {"date": "2025-03-01"}, status=200)
    return {"type": type_id, "person": person, "use": use, "signer": signer, "screening": first["id"]}


# --- re-screening after release ---------------------------------------------------------------

def test_a_rescreening_raising_the_class_suspends_use_until_a_re_release(client, admin, released):
    t, p, use = released["type"], released["person"], released["use"]
    raised = screen(client, admin, t, usage_context="high", novelty="medium", impact="medium",
                    screened_on="2025-06-01")  # 1+3+2+2 = 8: medium, no PRI
    assert (raised["risk_class"], raised["pri_required"]) == ("medium", False)
    assert ask(client, admin, p, use, t, "2025-05-31")["allowed"] is True           # the day before
    for day in ("2025-06-01", "2025-06-02"):                                          # first day, day after
        answer = ask(client, admin, p, use, t, day)
        assert answer["allowed"] is False
        assert ("not_released_since_rescreening", False) in leidraad(answer)
        assert ("released", True) not in leidraad(answer)
    # The approvals of the first screening do not count for the new one.
    assert _missing(client, admin, t, "2025-06-10") == ["no_technical_approval", "no_clinical_approval"]
    _post(client, admin, f"{L}/{t}/release", {"date": "2025-06-10"}, status=409)
    approvals = _approve(client, admin, t, released["signer"], "2025-06-05")
    assert {a["screening_id"] for a in approvals} == {raised["id"]}
    assert _missing(client, admin, t, "2025-06-10") == []
    again = _post(client, admin, f"{L}/{t}/release", {"date": "2025-06-10"}, status=200)
    assert (again["released_on"], again["date"], again["lifecycle_phase"]) == ("2025-03-01", "2025-06-10", 6)
    assert ask(client, admin, p, use, t, "2025-06-09")["allowed"] is False           # the day before the re-release
    assert leidraad(ask(client, admin, p, use, t, "2025-06-10"))[0] == ("released", True)
    assert ask(client, admin, p, use, t, "2025-05-31")["allowed"] is True            # the past stands


def test_a_rescreening_requiring_a_pri_suspends_use_until_pri_approvals_and_re_release(client, admin, released):
    t, p, use = released["type"], released["person"], released["use"]
    pri = screen(client, admin, t, screened_on="2025-06-01", new_risk_insights=True)  # same class, PRI
    assert (pri["risk_class"], pri["pri_required"]) == ("low", True)
    assert ("not_released_since_rescreening", False) in leidraad(ask(client, admin, p, use, t, "2025-06-01"))
    _approve(client, admin, t, released["signer"], "2025-06-05")
    assert _missing(client, admin, t, "2025-06-10") == ["no_pri"]
    _approve(client, admin, t, released["signer"], "2025-06-06", kinds=("pri",))
    _post(client, admin, f"{L}/{t}/release", {"date": "2025-06-10"}, status=200)
    assert ask(client, admin, p, use, t, "2025-06-10")["allowed"] is True


def test_a_rescreening_that_neither_raises_the_class_nor_needs_a_pri_does_not_suspend(client, admin, released):
    t, p, use = released["type"], released["person"], released["use"]
    same = screen(client, admin, t, usage_context="medium", screened_on="2025-06-01")  # sum 5: low
    assert (same["risk_class"], same["pri_required"]) == ("low", False)
    assert leidraad(ask(client, admin, p, use, t, "2025-06-01")) == [("released", True), ("competent", True)]


def test_a_re_release_cannot_be_dated_before_the_last_phase_change(client, admin, released):
    t = released["type"]
    screen(client, admin, t, screened_on="2025-06-01", new_or_adapted_use=True)
    _approve(client, admin, t, released["signer"], "2025-06-05", kinds=("technical", "clinical", "pri"))
    client.patch(f"{API}/device-types/{t}", headers=admin, json={"lifecycle_phase": 4, "phase_since": "2025-07-01"})
    early = _post(client, admin, f"{L}/{t}/release", {"date": "2025-06-30"}, status=422)
    assert list(early["errors"]) == ["date"]
    _post(client, admin, f"{L}/{t}/release", {"date": "2025-07-01"}, status=200)
    assert ask(client, admin, released["person"], released["use"], t, "2025-07-01")["allowed"] is True


# --- PRI triggers as the Leidraad names them --------------------------------------------------

@pytest.mark.parametrize("flags, pri", [
    ({}, False),
    ({"new_or_adapted_use": True}, True),   # "bij nieuwe of aangepaste toepassingen"
    ({"new_risk_insights": True}, True),    # "bij nieuwe inzichten die leiden tot een verhoogd risico"
    ({"new_or_adapted_use": False, "new_risk_insights": False}, False),
])
def test_pri_triggers_of_the_leidraad(client, admin, make, flags, pri):
    type_id = make.device_type(mdr_class="I").id
    result = screen(client, admin, type_id, **flags)
    assert (result["risk_class"], result["pri_required"]) == ("low", pri)
    assert result["new_or_adapted_use"] is flags.get("new_or_adapted_use", False)
    assert result["new_risk_insights"] is flags.get("new_risk_insights", False)
    stored = _get(client, admin, f"{L}/{type_id}/screenings")[0]
    assert stored["pri_required"] is pri


# --- approvals ------------------------------------------------------------------------------------

def test_an_approval_given_before_a_screening_does_not_count_for_it(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=4).id
    signer = approver(client, admin, make)
    none_yet = _post(client, admin, f"{L}/{type_id}/approvals",
                     {"kind": "technical", "staff_id": signer, "date": "2025-01-01"}, status=422)
    assert list(none_yet["errors"]) == ["date"]
    first = screen(client, admin, type_id, screened_on="2025-01-01")
    given = _approve(client, admin, type_id, signer, "2025-01-01")                    # the screening's own day
    assert {a["screening_id"] for a in given} == {first["id"]}
    assert "no_technical_approval" not in _missing(client, admin, type_id, "2025-01-01")
    screen(client, admin, type_id, screened_on="2025-02-01")
    assert "no_technical_approval" in _missing(client, admin, type_id, "2025-02-01")
    assert "no_technical_approval" not in _missing(client, admin, type_id, "2025-01-31")


def test_an_approval_counts_only_from_someone_with_b_on_its_date(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=4).id
    screen(client, admin, type_id, screened_on="2025-01-01")
    signer = approver(client, admin, make, kinds=("technical",), since="2025-03-01")
    before = _post(client, admin, f"{L}/{type_id}/approvals",
                   {"kind": "technical", "staff_id": signer, "date": "2025-02-28"}, status=422)
    assert list(before["errors"]) == ["staff_id"]
    ok = _post(client, admin, f"{L}/{type_id}/approvals", {"kind": "technical", "staff_id": signer, "date": "2025-03-01"})
    assert ok["screening_id"] is not None
    # Holding B for technical approvals says nothing about clinical ones.
    _post(client, admin, f"{L}/{type_id}/approvals",
          {"kind": "clinical", "staff_id": signer, "date": "2025-03-01"}, status=422)


def test_without_any_configured_approval_activity_nobody_may_approve(client, admin, make):
    type_id = make.device_type(mdr_class="I", lifecycle_phase=4).id
    screen(client, admin, type_id, screened_on="2025-01-01")
    for kind in ("technical", "clinical", "pri"):
        refused = _post(client, admin, f"{L}/{type_id}/approvals",
                        {"kind": kind, "staff_id": make.staff().id, "date": "2025-02-01"}, status=422)
        assert "nobody may" in refused["errors"]["staff_id"][0]
    assert _get(client, admin, f"{L}/{type_id}/approvals") == []


# --- bounds ------------------------------------------------------------------------------------

@pytest.mark.parametrize("interval, ok", [(0, False), (1, True), (240, True), (241, False), (10**11, False)])
def test_interval_months_are_bounded_in_the_policy_and_overrides(client, admin, make, interval, ok):
    policy = _get(client, admin, "/leidraad/policy")
    policy["requirements"]["high"]["user"]["interval_months"] = interval
    response = client.put(f"{API}/leidraad/policy", headers=admin, json=policy)
    assert response.status_code == (200 if ok else 422)
    if not ok:
        assert list(response.json["errors"]) == ["requirements.high.user.interval_months"]
    type_id = make.device_type(mdr_class="I").id
    override = client.put(f"{API}{L}/{type_id}/override", headers=admin,
                          json={"user": {"method": "training", "interval_months": interval}})
    assert override.status_code == (200 if ok else 422)
    if not ok:
        assert list(override.json["errors"]) == ["user.interval_months"]


@pytest.mark.parametrize("path, body, field", [
    ("screenings", {"usage_context": "low", "novelty": "low", "impact": "low", "screened_on": "9999-12-31"},
     "screened_on"),
    ("screenings", {"usage_context": "low", "novelty": "low", "impact": "low", "screened_on": "1949-12-31"},
     "screened_on"),
    ("approvals", {"kind": "technical", "staff_id": 1, "date": "2101-01-01"}, "date"),
    ("release", {"date": "9999-12-31"}, "date"),
    ("safety-notices", {"title": "X", "issued_on": "2025-01-01", "reinstruct_by": "9999-12-31"}, "reinstruct_by"),
])
def test_dates_are_bounded(client, admin, make, path, body, field):
    type_id = make.device_type(mdr_class="I").id
    response = client.post(f"{API}{L}/{type_id}/{path}", headers=admin, json=body)
    assert response.status_code == 422 and field in response.json["errors"]


@pytest.mark.parametrize("on, status", [("1950-01-01", 200), ("2100-12-31", 200), ("2101-01-01", 422)])
def test_requirements_on_a_date_are_bounded(client, admin, make, on, status):
    type_id = make.device_type(mdr_class="I").id
    screen(client, admin, type_id, screened_on="1950-01-01")
    response = client.get(f"{API}{L}/{type_id}/requirements?on={on}", headers=admin)
    assert response.status_code == status
    if status == 422:
        assert "on" in response.json["errors"]


# --- policies carry validity dates; future ones take effect on their date ---------------------

def test_a_future_policy_takes_effect_on_its_date_and_the_nightly_run_follows(app, client, admin, make):
    import datetime as dt

    from plugins.leidraad import services
    from core.extensions import db
    today = dt.date.today()
    start = today + dt.timedelta(days=30)
    type_id = make.device_type(mdr_class="I", lifecycle_phase=6, released_on=dt.date(2020, 1, 1)).id
    screen(client, admin, type_id, screened_on="2020-01-01")                   # low: user by instruction, no expiry
    person = make.staff(name="Fleur Toekomst").id
    record = competence(client, admin, person, type_id, obtained=today - dt.timedelta(days=400),
                        method="instruction")
    assert record["expires_on"] is None
    policy = _get(client, admin, "/leidraad/policy")
    policy["requirements"]["low"]["user"]["interval_months"] = 12
    past = client.put(f"{API}/leidraad/policy?valid_from={(today - dt.timedelta(days=1)).isoformat()}",
                      headers=admin, json=policy)
    assert past.status_code == 422 and "valid_from" in past.json["errors"]
    bad = client.put(f"{API}/leidraad/policy?valid_from=9999-12-31", headers=admin, json=policy)
    assert bad.status_code == 422 and "valid_from" in bad.json["errors"]
    saved = _put(client, admin, f"/leidraad/policy?valid_from={start.isoformat()}", policy)
    assert saved["effective_on"] == start.isoformat()
    before = _get(client, admin, f"{L}/{type_id}/requirements?on={(start - dt.timedelta(days=1)).isoformat()}")
    after = _get(client, admin, f"{L}/{type_id}/requirements?on={start.isoformat()}")
    assert before["roles"]["user"]["interval_months"] is None and after["roles"]["user"]["interval_months"] == 12
    use = activity(client, admin, "Klinisch gebruik", competence_role="user")
    authorise(client, admin, person, use)
    assert ask(client, admin, person, use, type_id, (start - dt.timedelta(days=1)).isoformat())["allowed"] is True
    on_start = ask(client, admin, person, use, type_id, start.isoformat())
    assert on_start["allowed"] is False and ("competence_expired", False) in leidraad(on_start)
    # Today the stored expiry is untouched; the nightly run on the start date brings it along.
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] is None
    with app.app_context():
        services.nightly_recompute(start - dt.timedelta(days=1))
        db.session.commit()
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] is None
    with app.app_context():
        services.nightly_recompute(start)
        db.session.commit()
    assert _get(client, admin, f"/competences/{record['id']}")["expires_on"] is not None


def test_the_change_report_names_each_affected_person(client, admin, make):
    type_id = make.device_type(mdr_class="I").id
    screen(client, admin, type_id, screened_on="2020-01-01")
    import datetime as dt

    from plugins.leidraad import rules
    person = make.staff(name="Bram Bereikt").id
    obtained = dt.date.today() - dt.timedelta(days=30)
    competence(client, admin, person, type_id, obtained=obtained, method="instruction")
    report = _put(client, admin, f"{L}/{type_id}/override",
                  {"user": {"method": "instruction", "interval_months": 12}})["changes"]
    bites = rules.add_months(obtained, 12).isoformat()
    assert [(c["staff_id"], c["staff_name"], c["from"]) for c in report] == [(person, "Bram Bereikt", bites)]
