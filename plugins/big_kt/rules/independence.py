"""Whether a klinisch technoloog may perform a reserved procedure independently (Wet BIG art. 36;
Besluit klinisch technoloog, art. 5): each condition a finding."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.dates import dutch_day

from plugins.big_kt.rules.registration import DEFAULT_CONFIG, Registration, ReregistrationConfig, _in_effect_on, diploma_recognised_on, is_registered_on, restriction_applies, restriction_covers
from plugins.big_kt.rules.reregistration import WorkHours, missed_reregistration
from plugins.big_kt.rules.vocabulary import RECOGNITION_OUTCOMES, RESERVED_PROCEDURES, SIGNED_OFF_METHOD


@dataclass(frozen=True)
class Finding:
    """One condition of independent authority, met (``ok``) or not."""

    ok: bool
    code: str
    message: str
    # The same for a Dutch reader, with the person's details (dates, procedure, protocol); the API speaks English.
    message_nl: str = field(default="", compare=False)


# condition -> (code when met, code when not met)
INDEPENDENCE_CODES: dict[str, tuple[str, str]] = {
    "procedure": ("procedure_reserved_for_kt", "procedure_not_reserved_for_kt"),
    "registration": ("big_registered", "not_registered_under_instruction"),
    "restriction": ("not_restricted", "restricted"),
    "subdomain": ("within_subdomain", "outside_subdomain"),
    "protocol": ("protocol", "no_protocol"),
}


def _finding(condition: str, ok: bool, message: str, message_nl: str = "") -> Finding:
    yes, no = INDEPENDENCE_CODES[condition]
    return Finding(ok, yes if ok else no, message, message_nl)


def procedure_nl(procedure: str) -> str:
    """The reserved procedure as the Wet BIG (art. 36) names it; an unknown one as given, quoted."""
    known = RESERVED_PROCEDURES.get(procedure)
    return known[0] if known else f"'{procedure}'"


def independence_findings(
    reg: Registration | None,
    on: date,
    procedure: str,
    person_subdomain_ids: set[int],
    activity_subdomain_id: int | None,
    protocol: str | None,
    competence: Finding,
    work_hours: list[WorkHours] = (),
    config: ReregistrationConfig = DEFAULT_CONFIG,
) -> list[Finding]:
    """May this KT perform ``procedure`` independently on ``on``? One finding per
    condition, for yes as well as no; independent only when all are ``ok``.

    ``competence`` is :func:`procedure_competence_finding` for the person.
    """
    return [
        _procedure_finding(procedure),
        _registration_finding(reg, on),
        _recognition_finding(reg, on),
        _restriction_finding(reg, on, procedure),
        _reregistration_finding(reg, work_hours, on, config),
        _subdomain_finding(person_subdomain_ids, activity_subdomain_id),
        competence,
        _protocol_finding(protocol),
    ]


def may_act_independently(findings: list[Finding]) -> bool:
    return bool(findings) and all(f.ok for f in findings)


def _procedure_finding(procedure: str) -> Finding:
    # Wet BIG art. 36: only these nine; others (narcose, prescribing, ...)
    # are never independent for a KT.
    if procedure in RESERVED_PROCEDURES:
        return _finding("procedure", True, f"{procedure} is a reserved procedure the KT may perform.",
                        f"{procedure_nl(procedure).capitalize()}: een voorbehouden handeling die een klinisch "
                        "technoloog zelfstandig mag verrichten.")
    return _finding(
        "procedure",
        False,
        f"{procedure} is not one of the nine reserved procedures of the KT: never independent.",
        f"{procedure_nl(procedure)} is geen van de negen voorbehouden handelingen van de klinisch technoloog: "
        "nooit zelfstandig.",
    )


def _registration_finding(reg: Registration | None, on: date) -> Finding:
    if is_registered_on(reg, on):
        return _finding("registration", True, "BIG-registered as klinisch technoloog.",
                        f"Op {dutch_day(on)} BIG-geregistreerd als klinisch technoloog.")
    if not _in_effect_on(reg, on):
        why = "not BIG-registered"
        why_nl = f"Op {dutch_day(on)} niet BIG-geregistreerd"
    else:
        why = {"suspended": "registration suspended", "struck_off": "struck off the register"}.get(
            reg.status, f"registration status {reg.status}"
        )
        why_nl = {"suspended": f"Inschrijving op {dutch_day(on)} geschorst",
                  "struck_off": f"Op {dutch_day(on)} doorgehaald in het BIG-register"}.get(
            reg.status, f"Op {dutch_day(on)} geen geldige inschrijving in het BIG-register")
    # Wet BIG art. 35: only under instruction (opdrachtregeling)
    return _finding(
        "registration",
        False,
        f"{why[0].upper()}{why[1:]}: reserved procedures only under instruction of an "
        "independently authorised professional (opdrachtregeling).",
        f"{why_nl}: voorbehouden handelingen alleen in opdracht van een zelfstandig bevoegde (opdrachtregeling).",
    )


def _restriction_finding(reg: Registration | None, on: date, procedure: str) -> Finding:
    if reg is not None and restriction_covers(reg, on, procedure):
        text = f": {reg.restriction}" if reg.restriction else ""
        return _finding("restriction", False, f"The registration is restricted for {procedure}{text}.",
                        f"De inschrijving is op {dutch_day(on)} beperkt voor {procedure_nl(procedure)}{text}.")
    if reg is not None and restriction_applies(reg, on):
        return _finding("restriction", True, f"The restriction in force does not cover {procedure}.",
                        f"De beperking die op {dutch_day(on)} geldt, betreft geen {procedure_nl(procedure)}.")
    return _finding("restriction", True, "No restriction in force.",
                    f"Op {dutch_day(on)} geldt geen beperking van de inschrijving.")


def _subdomain_finding(person_subdomain_ids: set[int], activity_subdomain_id: int | None) -> Finding:
    # Besluit klinisch technoloog, art. 5(1) and (3): only within the technical-medical sub-domain
    # the KT was trained in and works in.
    if activity_subdomain_id is None:
        return _finding("subdomain", False, "The activity names no technical-medical sub-domain.",
                        "De activiteit noemt geen technisch-geneeskundig deelgebied.")
    if activity_subdomain_id in person_subdomain_ids:
        return _finding("subdomain", True, "Within a sub-domain the KT was trained in and works in.",
                        "Binnen een deelgebied waarin de klinisch technoloog is opgeleid en werkt.")
    return _finding("subdomain", False, "Outside the sub-domains the KT was trained in and works in.",
                    "Buiten de deelgebieden waarin de klinisch technoloog is opgeleid en werkt.")


@dataclass(frozen=True)
class ProcedureCompetence:
    """A core competence record whose subject is the reserved-procedure activity."""

    obtained_on: date
    expires_on: date | None
    method: str
    assessor_id: int | None


def competence_shortfalls(staff_id: int, rec: ProcedureCompetence) -> list[str]:
    """Why a record does not prove individual competence (empty list = it does).

    Besluit klinisch technoloog, art. 5 explanation: authority only with
    individual competence (bekwaamheid, Wet BIG art. 36(15)), which the
    supervising specialist signs off: assessed (method training_and_assessment)
    by someone else, with an expiry date of its own so that it is renewed.
    """
    shortfalls = []
    if rec.assessor_id is None:
        shortfalls.append("not signed off by an assessor")
    elif rec.assessor_id == staff_id:
        shortfalls.append("signed off by the person themself")
    if rec.method != SIGNED_OFF_METHOD:
        shortfalls.append(f"method {rec.method}, not {SIGNED_OFF_METHOD}")
    if rec.expires_on is None:
        shortfalls.append("no expiry date of its own")
    return shortfalls


def competence_shortfalls_nl(staff_id: int, rec: ProcedureCompetence) -> list[str]:
    """:func:`competence_shortfalls` for a Dutch reader."""
    shortfalls = []
    if rec.assessor_id is None:
        shortfalls.append("niet afgetekend door een beoordelaar")
    elif rec.assessor_id == staff_id:
        shortfalls.append("door de persoon zelf afgetekend")
    if rec.method != SIGNED_OFF_METHOD:
        method = {"instruction": "instructie", "training": "training"}.get(rec.method, f"'{rec.method}'")
        shortfalls.append(f"methode {method}, niet training en toetsing")
    if rec.expires_on is None:
        shortfalls.append("geen eigen vervaldatum")
    return shortfalls


def competence_current(rec: ProcedureCompetence, on: date) -> bool:
    """Obtained on or before ``on`` and not yet expired: ``obtained_on <= on < expires_on``."""
    return rec.obtained_on <= on and (rec.expires_on is None or on < rec.expires_on)


def procedure_competence_finding(staff_id: int, records: list[ProcedureCompetence], on: date) -> Finding:
    """Individually competent for the procedure on ``on`` (Besluit klinisch
    technoloog, art. 5 explanation): a current record that is signed off."""
    current = [r for r in records if competence_current(r, on)]
    if any(not competence_shortfalls(staff_id, r) for r in current):
        return Finding(True, "procedure_competence",
                       "Individually competent for the procedure, signed off by an assessor.",
                       f"Op {dutch_day(on)} individueel bekwaam voor de handeling, afgetekend door een beoordelaar.")
    if current:
        why = "; ".join(sorted({s for r in current for s in competence_shortfalls(staff_id, r)}))
        why_nl = "; ".join(sorted({s for r in current for s in competence_shortfalls_nl(staff_id, r)}))
        return Finding(False, "procedure_competence_unsigned",
                       f"The competence record for the procedure does not count: {why}.",
                       f"De bekwaamheid voor de handeling telt niet: {why_nl}.")
    expired = sorted(r.expires_on for r in records if r.expires_on is not None and r.expires_on <= on)
    if expired:
        return Finding(False, "no_procedure_competence",
                       f"The competence for the procedure expired on {expired[-1].isoformat()}.",
                       f"De bekwaamheid voor de handeling is verlopen op {dutch_day(expired[-1])}.")
    return Finding(False, "no_procedure_competence", "No valid competence record for the procedure.",
                   f"Op {dutch_day(on)} geen geldige bekwaamheid voor de handeling.")


def _recognition_finding(reg: Registration | None, on: date) -> Finding:
    # Besluit klinisch technoloog, art. 7 explanation: a foreign diploma only
    # after the CBGV recognised it.
    if reg is None or not reg.foreign_diploma:
        return Finding(True, "diploma_recognised", "Dutch diploma (no recognition needed).",
                       "Nederlands diploma (geen erkenning nodig).")
    if diploma_recognised_on(reg, on):
        return Finding(True, "diploma_recognised",
                       f"Foreign diploma recognised on {reg.recognition_decided_on.isoformat()}.",
                       f"Buitenlands diploma erkend op {dutch_day(reg.recognition_decided_on)}.")
    decided = reg.recognition_decided_on
    if decided is None or reg.recognition_outcome not in RECOGNITION_OUTCOMES:
        why = "no recognition decision recorded"
        why_nl = "geen erkenningsbesluit vastgelegd"
    elif reg.recognition_outcome == "recognised":
        why = f"recognised only from {decided.isoformat()}"
        why_nl = f"pas erkend vanaf {dutch_day(decided)}"
    else:
        what = {"conditions_not_met": "further requirements not met",
                "refused": "recognition refused"}[reg.recognition_outcome]
        what_nl = {"conditions_not_met": "niet voldaan aan de aanvullende eisen",
                   "refused": "erkenning geweigerd"}[reg.recognition_outcome]
        why = f"{what} ({decided.isoformat()})"
        why_nl = f"{what_nl} ({dutch_day(decided)})"
    return Finding(False, "foreign_diploma_not_recognised",
                   f"Foreign diploma not recognised: {why}; reserved procedures only under instruction.",
                   f"Buitenlands diploma niet erkend: {why_nl}; voorbehouden handelingen alleen in opdracht.")


def _reregistration_finding(reg: Registration | None, work_hours: list[WorkHours], on: date,
                            config: ReregistrationConfig) -> Finding:
    missed = missed_reregistration(reg, work_hours, on, config)
    if missed is None:
        return Finding(True, "reregistration_in_order", "No re-registration deadline missed.",
                       f"Tot en met {dutch_day(on)} geen herregistratietermijn gemist.")
    return Finding(False, "reregistration_missed", missed.message(), missed.message_nl())


def _protocol_finding(protocol: str | None) -> Finding:
    # Besluit klinisch technoloog, art. 5(3): following national guidelines and derived protocols.
    if protocol and protocol.strip():
        return _finding("protocol", True, f"Performed under protocol {protocol.strip()}.",
                        f"Verricht volgens protocol {protocol.strip()}.")
    return _finding("protocol", False, "No departmental protocol derived from national guidelines.",
                    "Geen protocol van de afdeling dat is afgeleid van landelijke richtlijnen.")
