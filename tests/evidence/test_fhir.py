"""The FHIR export: an HL7 FHIR R4 Practitioner that the R4 model accepts, with the BIG number
under the Dutch BIG naming system, the VZI certification and the competences."""
from __future__ import annotations

import pytest
from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.practitioner import Practitioner

from tests.evidence.conftest import API, ON

BIG = "http://fhir.nl/fhir/NamingSystem/big"


def _get(client, headers, staff_id, **query):
    return client.get(f"{API}/staff/{staff_id}/fhir-practitioner", headers=headers,
                      query_string={"on": ON.isoformat(), **query})


def test_the_clinical_technologist_has_the_big_number_as_identifier_and_qualification(client, hospital):
    response = _get(client, hospital["users"]["admin"], hospital["bert"])
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    body = response.get_json()
    resource = Practitioner(body, strict=True)  # the FHIR 4.0.1 model: raises on anything invalid
    assert resource.as_json()["resourceType"] == "Practitioner"
    assert {"system": BIG, "value": "19012345678"} in body["identifier"]
    assert {"system": "urn:bekwaam:employee-number", "value": "100002"} in body["identifier"]
    (big,) = [q for q in body["qualification"] if q.get("identifier")]
    assert big["identifier"] == [{"system": BIG, "value": "19012345678"}]
    assert big["code"]["text"].startswith("BIG-registratie klinisch technoloog: BIG-nummer 19012345678")
    assert big["period"] == {"start": "2024-01-01"}


def test_vzi_certification_and_competences_with_their_periods(client, hospital):
    body = _get(client, hospital["users"]["anna"], hospital["anna"], lang="en").get_json()
    Practitioner(body, strict=True)
    assert body["name"] == [{"use": "official", "text": "Anna de Vries"}]
    assert not any(i["system"] == BIG for i in body["identifier"])
    texts = {q["code"]["text"]: q for q in body["qualification"]}
    vzi = next(q for t, q in texts.items() if t.startswith("VZI certification: Certified MT4 professional"))
    # Bekwaam's end is the first day no longer valid; FHIR's period end is the last valid day.
    assert vzi["period"] == {"start": "2025-01-01", "end": "2027-12-31"}
    competence = next(q for t, q in texts.items() if "Dräger Evita V800" in t)
    assert competence["code"]["text"] == "Competence technician: Dräger Evita V800 (training and assessment, valid)"
    assert competence["period"] == {"start": "2025-06-01", "end": "2027-05-31"}
    assert competence["issuer"] == {"display": "Bert Jansen"}


def test_the_r4_model_refuses_a_qualification_without_code():
    """The check the tests rely on is real: R4 requires qualification.code."""
    with pytest.raises(FHIRValidationError):
        Practitioner({"resourceType": "Practitioner", "qualification": [{"period": {"start": "2025-01-01"}}]},
                     strict=True)


@pytest.mark.parametrize("who, status", [("anna", 200), ("manager_a", 200), ("bert", 404), ("manager_b", 404)])
def test_who_may_have_it(client, hospital, who, status):
    assert _get(client, hospital["users"][who], hospital["anna"]).status_code == status
