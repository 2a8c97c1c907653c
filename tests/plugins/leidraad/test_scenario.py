"""One device type from risk screening to release to a refused and an allowed decision (Leidraad Medische Technologie 2026, fase 2 to fase 6)."""
from __future__ import annotations

from tests.plugins.leidraad.test_api import API, L, _get, _post, activity, ask, competence, leidraad, screen


def test_from_screening_to_release_to_decisions(client, admin, make):
    group = client.get(f"{API}/technology-groups", headers=admin).json[0]["id"]
    # Phase 1: a new ventilator for the ICU, MDR IIb.
    vent = _post(client, admin, "/device-types", {
        "manufacturer": "Hamilton", "model": "C6", "name": "Beademingstoestel", "technology_group_id": group,
        "mdr_class": "IIb"})["id"]
    assert _get(client, admin, f"/device-types/{vent}")["lifecycle_phase"] == 1

    # The TVB matrix: who approves, who maintains, who uses.
    technical = activity(client, admin, "Technische vrijgave", phase=5, approval="technical")
    clinical = activity(client, admin, "Klinische vrijgave", phase=5, approval="clinical")
    pri = activity(client, admin, "Risicoscreening en PRI", phase=2, approval="pri")
    maintain = activity(client, admin, "Preventief onderhoud", competence_role="technician")
    use = activity(client, admin, "Klinisch gebruik", competence_role="user")
    roles = {name: _post(client, admin, "/tvb/roles", {"name": name})["id"]
             for name in ("MT4 IC-techniek", "Intensivist", "IC-verpleegkundige")}
    for role, act, letters in (("MT4 IC-techniek", technical, "VB"), ("MT4 IC-techniek", maintain, "TVB"),
                               ("MT4 IC-techniek", pri, "TVB"),
                               ("Intensivist", clinical, "VB"), ("IC-verpleegkundige", use, "TB")):
        _post(client, admin, "/tvb/cells", {"role_id": roles[role], "activity_id": act, "letters": letters,
                                            "technology_group_id": group})
    people = {"engineer": make.staff(name="Eva Techniek").id, "doctor": make.staff(name="Daan Arts").id,
              "nurse": make.staff(name="Noor Verpleegkundige").id, "new_nurse": make.staff(name="Nina Nieuw").id}
    for who, role in (("engineer", "MT4 IC-techniek"), ("doctor", "Intensivist"),
                      ("nurse", "IC-verpleegkundige"), ("new_nurse", "IC-verpleegkundige")):
        _post(client, admin, "/tvb/assignments", {"staff_id": people[who], "role_id": roles[role],
                                                  "valid_from": "2024-01-01"})

    # Phase 2: risk screening. IIb → product risk high; ICU use → context high; PRI needed.
    screening = screen(client, admin, vent, usage_context="high", novelty="medium", impact="medium",
                       screened_on="2025-01-06")
    assert (screening["product_risk"], screening["score_sum"], screening["risk_class"], screening["pri_required"]) == (
        "high", 10, "high", True)
    requirements = _get(client, admin, f"{L}/{vent}/requirements?on=2025-01-06")["roles"]
    assert requirements["user"] == {"method": "training_and_assessment", "interval_months": 12}

    # Not releasable yet: every missing item is listed, and phase 6 is refused.
    check = _get(client, admin, f"{L}/{vent}/release-check?on=2025-03-01")
    assert [m["code"] for m in check["missing"]] == [
        "no_pri", "no_technical_approval", "no_clinical_approval", "no_competent_technician", "no_competent_user"]
    refused = client.patch(f"{API}/device-types/{vent}", headers=admin, json={"lifecycle_phase": 6})
    assert refused.status_code == 409 and refused.json["missing"] == check["missing"]

    # Phases 3-5: PRI, approvals by authorised people only, training.
    client.patch(f"{API}/device-types/{vent}", headers=admin, json={"lifecycle_phase": 4})
    not_allowed = client.post(f"{API}{L}/{vent}/approvals", headers=admin,
                              json={"kind": "technical", "staff_id": people["nurse"], "date": "2025-02-01"})
    assert not_allowed.status_code == 422
    for kind, who in (("pri", "engineer"), ("technical", "engineer"), ("clinical", "doctor")):
        _post(client, admin, f"{L}/{vent}/approvals", {"kind": kind, "staff_id": people[who], "date": "2025-02-01"})
    competence(client, admin, people["engineer"], vent, role="technician", obtained="2025-02-10",
               method="training_and_assessment")
    nurse_record = competence(client, admin, people["nurse"], vent, obtained="2025-02-12",
                              method="training_and_assessment")
    assert nurse_record["expires_on"] == "2026-02-12"  # high class: user every 12 months
    competence(client, admin, people["new_nurse"], vent, obtained="2025-02-12", method="training")  # no assessment

    # Release (vrijgave) on 1 March 2025: the type enters phase 6.
    assert _get(client, admin, f"{L}/{vent}/release-check?on=2025-03-01")["releasable"] is True
    released = _post(client, admin, f"{L}/{vent}/release", {"date": "2025-03-01"}, status=200)
    assert (released["lifecycle_phase"], released["released_on"]) == (6, "2025-03-01")

    # Decisions. Before the release nobody uses it, however competent.
    early = ask(client, admin, people["nurse"], use, vent, "2025-02-28")
    assert early["allowed"] is False and ("not_released", False) in leidraad(early)
    # The new nurse is authorised but trained without assessment: refused, with why.
    refused = ask(client, admin, people["new_nurse"], use, vent, "2025-03-01")
    assert refused["allowed"] is False
    assert ("authorised", True) in [(r["code"], r["ok"]) for r in refused["reasons"] if r["source"] == "core"]
    assert leidraad(refused) == [("released", True), ("method_insufficient", False)]
    # The nurse is bevoegd and bekwaam: allowed, with the reasons for yes.
    allowed = ask(client, admin, people["nurse"], use, vent, "2025-03-01")
    assert allowed["allowed"] is True
    assert [(r["source"], r["code"]) for r in allowed["reasons"]] == [
        ("core", "authorised"), ("leidraad", "released"), ("leidraad", "competent")]
    # A year on, her competence has expired; the engineer may still maintain it.
    assert ("competence_expired", False) in leidraad(ask(client, admin, people["nurse"], use, vent, "2026-02-12"))
    assert ask(client, admin, people["engineer"], maintain, vent, "2026-02-12")["allowed"] is True
    # The inspector's question for the release day.
    inspector = _get(client, admin, f"/device-types/{vent}/authorised-staff?activity_id={use}&on=2025-03-01"
                                    "&include_refused=true")
    assert [(row["name"], row["allowed"]) for row in inspector["staff"]] == [
        ("Noor Verpleegkundige", True), ("Nina Nieuw", False)]
