"""A person's qualifications as an HL7 FHIR R4 ``Practitioner`` (FHIR 4.0.1).

For the exchange with other systems of the hospital (the HR or roster system,
a regional register): the BIG registration under the Dutch BIG naming system
(Nictiz, ``http://fhir.nl/fhir/NamingSystem/big``) as identifier and as a
qualification, the VZI certification and every competence, each with its
period. Built and validated with the SMART on FHIR R4 models (``fhirclient``,
generated from FHIR 4.0.1): a resource that breaks the R4 model is never sent.
Codes are given as text only: the hospital's competences have no
standard code system, and an invented code would mislead.
"""
from __future__ import annotations

import datetime as dt

from fhirclient.models.practitioner import Practitioner

from core.evidence import facts as fact_source
from core.evidence import texts
from core.staff.models import Staff

BIG_SYSTEM = "http://fhir.nl/fhir/NamingSystem/big"
# The hospital's employee numbers and Bekwaam's competence records have no public naming system.
EMPLOYEE_SYSTEM = "urn:bekwaam:employee-number"
COMPETENCE_SYSTEM = "urn:bekwaam:competence"
MEDIA_TYPE = "application/fhir+json"


def _period(start: dt.date | None, end_exclusive: dt.date | None) -> dict | None:
    """FHIR periods are inclusive; Bekwaam's ends are the first day no longer valid."""
    period = {}
    if start is not None:
        period["start"] = start.isoformat()
    if end_exclusive is not None:
        period["end"] = (end_exclusive - dt.timedelta(days=1)).isoformat()
    return period or None


def _compact(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v not in (None, [], {})}


def practitioner(staff: Staff, on: dt.date, lang: str = "nl") -> Practitioner:
    person = fact_source.gather([staff.id], on)[staff.id]
    nl = lang == "nl"
    identifiers = [{"system": EMPLOYEE_SYSTEM, "value": staff.employee_number}]
    qualifications = []
    for item in person.registrations:
        identifier = item.get("identifier")
        if identifier:
            identifiers.append({"system": identifier["system"], "value": identifier["value"]})
        qualifications.append(_compact({
            "identifier": [dict(identifier)] if identifier else None,
            "code": {"text": f"{item['title_nl'] if nl else item['title_en']}: "
                             f"{item['text_nl'] if nl else item['text_en']}"},
            "period": _period(item.get("period_start"), item.get("period_end")),
            "issuer": {"display": "CIBG, BIG-register" if item["kind"] == "big_registration"
                       else "VZI" if item["kind"] == "vzi_certification"
                       else item["source"]},
        }))
    for competence in person.competences:
        role = texts.pick(texts.COMPETENCE_ROLE, competence.role, lang)
        method = texts.pick(texts.METHOD, competence.method, lang)
        word = "Bekwaamheid" if nl else "Competence"
        qualifications.append(_compact({
            "code": {"text": f"{word} {role}: {competence.subject} ({method}, {texts.pick(texts.STATE, competence.state, lang)})"},
            "period": _period(competence.obtained_on, competence.expires_on),
            "issuer": {"display": competence.assessor} if competence.assessor else None,
        }))
    body = _compact({
        "resourceType": "Practitioner",
        "id": f"staff-{staff.id}",
        "identifier": identifiers,
        "active": bool(staff.active),
        "name": [{"use": "official", "text": staff.name}],
        "telecom": [{"system": "email", "value": staff.email, "use": "work"}] if staff.email else None,
        "qualification": qualifications,
    })
    return Practitioner(body, strict=True)  # raises FHIRValidationError for anything outside R4
