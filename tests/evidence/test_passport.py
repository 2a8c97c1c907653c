"""The competence passport (PDF): one person's competences, roles, VZI and BIG standing;
for the person, their manager, admins and auditors, a 404 for anyone else."""
from __future__ import annotations

import pytest

from tests.evidence.conftest import API, ON, flat, pdf_text


def _passport(client, headers, staff_id, **query):
    return client.get(f"{API}/staff/{staff_id}/passport.pdf", headers=headers,
                      query_string={"on": ON.isoformat(), **query})


def test_the_passport_shows_competences_roles_and_registrations(client, hospital):
    response = _passport(client, hospital["users"]["anna"], hospital["anna"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Bekwaamheidspaspoort" in text and "Anna de Vries" in text and "100001" in text
    assert "Medische Techniek" in text and "Peildatum 01-06-2026" in text
    assert "MT4 Beademing" in text
    assert flat("VZI-certificering: Gecertificeerd MT4 professional") in flat(text)
    assert flat("Dräger Evita V800") in flat(text) and "trainingentoetsing" in flat(text)
    assert "Bert Jansen" in text  # the assessor
    assert "01-06-2027" in text and "geldig" in text
    assert "Pagina 1 van 1" in text


def test_the_passport_of_a_clinical_technologist_names_the_big_registration(client, hospital):
    text = pdf_text(_passport(client, hospital["users"]["admin"], hospital["bert"], lang="en").data)
    assert "Competence passport" in text
    assert flat("BIG registration, clinical technologist: BIG number 19012345678, registered") in flat(text)


def test_a_competence_obtained_after_the_day_is_not_on_it(client, hospital):
    text = pdf_text(_passport(client, hospital["users"]["admin"], hospital["anna"], on="2025-05-31").data)
    assert "Bekwaamheden (0)" in text
    text = pdf_text(_passport(client, hospital["users"]["admin"], hospital["anna"], on="2025-06-01").data)
    assert "Bekwaamheden (1)" in text


@pytest.mark.parametrize("who, status", [
    ("anna", 200), ("manager_a", 200), ("admin", 200), ("auditor", 200),
    ("bert", 404), ("manager_b", 404),
    ("tvb_admin", 403),  # the TVB administrator's role never gets a person's documents
])
def test_who_may_have_the_passport(client, hospital, who, status):
    assert _passport(client, hospital["users"][who], hospital["anna"]).status_code == status


def test_bad_day_is_named(client, hospital):
    response = _passport(client, hospital["users"]["admin"], hospital["anna"], on="31-12-2026")
    assert response.status_code == 422 and "on" in response.json["errors"]
