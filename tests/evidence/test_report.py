"""The inspection report (PDF): its text says who may and who may not, with the evidence and why."""
from __future__ import annotations

import datetime as dt

from tests.evidence.conftest import API, ON, flat, pdf_text


def _report(client, headers, hospital, on=ON, **extra):
    query = {"device_type_id": hospital["device_type"], "activity_id": hospital["activity"],
             "on": on.isoformat(), **extra}
    return client.get(f"{API}/reports/authorised-staff.pdf", query_string=query, headers=headers)


def _sections(text: str, allowed: str, refused: str) -> tuple[str, str]:
    head, _, rest = text.partition(allowed)
    yes, _, no = rest.partition(refused)
    return yes, no


def test_dutch_report_lists_the_allowed_with_evidence_and_the_refused_with_reasons(app, client, hospital):
    from core.audit import chain
    from core.audit.models import AuditEntry
    from core.extensions import db
    # A change through the API writes the audit trail, so its last hash is a real one.
    assert client.post(f"{API}/departments", headers=hospital["users"]["admin"],
                       json={"code": "IC", "name": "Intensive Care"}).status_code == 201
    with app.app_context():
        _, audit_hash = chain.head(db.session.connection(), AuditEntry.__table__)
    response = _report(client, hospital["users"]["admin"], hospital)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "Overzicht bevoegde en bekwame medewerkers" in text
    assert "Peildatum 01-06-2026" in text
    assert "Gemaakt door admin@example.org" in text
    assert audit_hash != "0" * 64 and audit_hash in flat(text)
    allowed, refused = _sections(text, "Toegestaan (2)", "Niet toegestaan (1)")
    # Anna: role and TVB cell, competence with method, assessor and expiry, VZI standing
    assert "Anna de Vries" in allowed and "Carl Bakker" in allowed
    assert "MT4 Beademing" in allowed and "TVB T, V, B" in allowed
    assert flat("methode: training en toetsing · beoordelaar: Bert Jansen") in flat(allowed)
    assert "verloopt 01-06-2027" in allowed
    assert flat("VZI-certificering: Gecertificeerd MT4 professional, periode 01-01-2025 t/m 31-12-2027") in flat(allowed)
    # Bert: refused, with the decision's reason and his BIG standing
    assert "Bert Jansen" in refused and "Bert Jansen" not in allowed.split("beoordelaar")[0]
    assert "Niet bevoegd: geen rol met B voor deze handeling" in flat(refused) or \
        flat("Niet bevoegd: geen rol met B voor deze handeling") in flat(refused)
    assert "Leerling MT" in refused and "TVB T" in refused
    assert flat("BIG-nummer 19012345678, ingeschreven") in flat(refused)
    assert "Pagina 1 van" in text


def test_the_report_of_an_earlier_day_is_decided_as_it_stood(client, hospital):
    """On 31-12-2024 nobody held the role yet: everyone refused, nobody allowed."""
    text = pdf_text(_report(client, hospital["users"]["admin"], hospital, on=dt.date(2024, 12, 31)).data)
    assert "Toegestaan (0)" in text and "Niemand is op deze datum toegestaan." in text


def test_a_leaver_moves_to_refused_on_the_leaving_day(client, hospital):
    """Carl leaves on 01-07-2026 (uit dienst): that day he is refused with why, the day before allowed."""
    before = pdf_text(_report(client, hospital["users"]["admin"], hospital, on=dt.date(2026, 6, 30)).data)
    on_expiry = pdf_text(_report(client, hospital["users"]["admin"], hospital, on=dt.date(2026, 7, 1)).data)
    assert "Toegestaan (2)" in before
    allowed, refused = _sections(on_expiry, "Toegestaan (1)", "Niet toegestaan (2)")
    assert "Carl Bakker" in refused and "Carl Bakker" not in allowed
    assert "Uit dienst" in refused


def test_english_by_parameter_and_by_accept_language(client, hospital):
    admin = hospital["users"]["admin"]
    by_param = pdf_text(_report(client, admin, hospital, lang="en").data)
    assert "Authorised and competent staff" in by_param and "As of 2026-06-01" in by_param
    assert "Refused (1)" in by_param and "Page 1 of" in by_param
    by_header = pdf_text(_report(client, {**admin, "Accept-Language": "en-GB,en;q=0.9"}, hospital).data)
    assert "Authorised and competent staff" in by_header
    dutch = pdf_text(_report(client, {**admin, "Accept-Language": "en"}, hospital, lang="nl").data)
    assert "Peildatum" in dutch


def test_a_department_manager_sees_only_their_own_people(client, hospital):
    text = pdf_text(_report(client, hospital["users"]["manager_b"], hospital).data)
    assert "Carl Bakker" in text
    assert "Anna de Vries" not in text and "Bert Jansen" not in text


def test_bad_input_names_each_field(client, hospital):
    admin = hospital["users"]["admin"]
    missing = client.get(f"{API}/reports/authorised-staff.pdf", headers=admin)
    assert missing.status_code == 422
    assert {"device_type_id", "activity_id"} <= set(missing.json["errors"])
    wrong_lang = _report(client, admin, hospital, lang="de")
    assert wrong_lang.status_code == 422 and "lang" in wrong_lang.json["errors"]
    no_type = client.get(f"{API}/reports/authorised-staff.pdf", headers=admin,
                         query_string={"device_type_id": 999999, "activity_id": hospital["activity"]})
    assert no_type.status_code == 404
    no_activity = client.get(f"{API}/reports/authorised-staff.pdf", headers=admin,
                             query_string={"device_type_id": hospital["device_type"], "activity_id": 999999})
    assert no_activity.status_code == 422 and "activity_id" in no_activity.json["errors"]
