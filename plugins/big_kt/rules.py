"""Rules for the klinisch technoloog (clinical technologist, KT) under the Wet BIG.

Pure functions over plain values (dates, Decimals, frozen dataclasses): no Flask,
no database. Each rule cites its source: the seed texts in ``shared/seeds``
(seed 001 = Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog,
seed 004 = accreditation report MSc Technical Medicine) and SPEC section 4.

Conventions:
- hours are ``Decimal`` with two places; domain dates are ``datetime.date``;
- a period written ``[start, end]`` includes both days; a re-registration or
  quality-register period ``[start, due)`` ends the day before ``due``;
- a restriction or measure with an end date still applies *on* that date and no
  longer the day after ("ended yesterday" no longer applies today).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO_PLACES = Decimal("0.01")

# The title is a BIG article-3 profession since 1 July 2020 (Wet van 24 april
# 2019, Stb. 2019, 182). Besluit klinisch technoloog, art. 6: "Indien Onze
# Minister in dat geval besluit tot inschrijving, wordt de inschrijving van
# kracht met ingang van de datum van inwerkingtreding van artikel I, onderdeel
# A" -- a registration decided earlier takes effect on that date.
PROFESSION_REGISTERED_SINCE = date(2020, 7, 1)

# Besluit klinisch technoloog, art. 7 and its explanation: a foreign diploma is
# compared by the Commissie buitenslands gediplomeerden volksgezondheid first;
# only a recognition lets the person be registered, further requirements
# (stage, examination) or a refusal do not.
RECOGNITION_OUTCOMES: tuple[str, ...] = ("recognised", "conditions_not_met", "refused")

# Besluit klinisch technoloog, art. 5 explanation (Wet BIG art. 36(15)):
# individual competence for a reserved procedure, assessed -- the only method
# that includes an assessment by the supervising specialist.
SIGNED_OFF_METHOD = "training_and_assessment"

# SPEC 4 / Wet BIG art. 36: the 9 of the 14 reserved procedures (voorbehouden
# handelingen) a KT may perform independently. Code -> (Dutch, English).
RESERVED_PROCEDURES: dict[str, tuple[str, str]] = {
    "surgical": ("heelkundige handelingen", "surgical procedures"),
    "endoscopy": ("endoscopieën", "endoscopies"),
    "catheterisation": ("catheterisaties", "catheterisations"),
    "injection": ("injecties", "injections"),
    "puncture": ("puncties", "punctures"),
    "elective_cardioversion": ("electieve cardioversie", "elective cardioversion"),
    "defibrillation": ("defibrillatie", "defibrillation"),
    "radiation": (
        "toepassen van radioactieve stoffen en ioniserende straling",
        "radioactive substances and ionising radiation",
    ),
    "lithotripsy": ("steenvergruizing", "lithotripsy"),
}

STATUSES: tuple[str, ...] = ("registered", "suspended", "struck_off", "restricted")

# Seed 004: the two tracks (afstudeerrichtingen) of the Twente master. Other
# universities name theirs differently, so the track stays free text.
KNOWN_TRACKS: tuple[str, ...] = ("Imaging & Intervention", "Sensing & Stimulation")

_BIG_NUMBER = re.compile(r"[0-9]{11}")


# --------------------------------------------------------------------------- dates


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def _within(on: date, start: date | None, end: date | None) -> bool:
    """``on`` lies in ``[start, end]``; a missing bound is open."""
    return (start is None or start <= on) and (end is None or on <= end)


def format_hours(value: Decimal) -> str:
    """``Decimal('2079')`` -> ``'2,079.00'``."""
    return f"{value.quantize(TWO_PLACES, ROUND_HALF_UP):,.2f}"


# ------------------------------------------------------------------------ bounds

# Limits on what a person can type. A date outside them is a typing error (no KT
# worked before 1950; nothing is planned beyond 2100), and the limits keep the
# five-year arithmetic far from the end of the calendar (year 9999), where it
# would overflow instead of answering.
EARLIEST_DATE = date(1950, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# One work-hours record covers at most this many hours: 10,000 h is about five
# years of full-time patient care, the length of a re-registration period.
MAX_RECORD_HOURS = Decimal("10000")
HOURS_PER_DAY = 24


def date_in_bounds(day: date) -> bool:
    """``day`` lies within ``[EARLIEST_DATE, LATEST_DATE]``."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def hours_in_bounds(value: Decimal) -> bool:
    """0 < ``value`` <= 10,000 with at most two decimals."""
    return Decimal("0") < value <= MAX_RECORD_HOURS and value == value.quantize(TWO_PLACES)


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Two periods ``[start, end]`` (both days included) share at least one day."""
    return a_start <= b_end and b_start <= a_end


def work_hours_errors(rec: WorkHours, today: date, others: list[WorkHours] = ()) -> dict[str, list[str]]:
    """Problems with one record of patient-care hours, per field.

    Only hours already worked count; a record cannot hold more hours than its
    days have (24 h a day); and records of one person may not overlap, so the
    same hours never count twice towards the 2,080 h of re-registration.
    """
    errors: dict[str, list[str]] = {}
    days = (rec.period_end - rec.period_start).days + 1
    if days < 1:
        errors["period_end"] = ["The period ends before it starts."]
    elif rec.period_end > today:
        errors["period_end"] = ["Only hours already worked count; the period ends in the future."]
    elif rec.hours > HOURS_PER_DAY * days:
        errors["hours"] = [f"More hours than the period has ({HOURS_PER_DAY} h x {days} days)."]
    if not errors:
        clash = sorted((o.period_start, o.period_end) for o in others
                       if periods_overlap(rec.period_start, rec.period_end, o.period_start, o.period_end))
        if clash:
            text = ", ".join(f"{s.isoformat()} to {e.isoformat()}" for s, e in clash)
            message = f"Overlaps another work-hours record ({text}); the same hours may not count twice."
            errors["period_start"] = [message]
            errors["period_end"] = [message]
    return errors


# -------------------------------------------------------------------- registration


def valid_big_number(s: str) -> bool:
    """A BIG number is exactly 11 digits (SPEC 4: no public check digit, format only)."""
    return isinstance(s, str) and _BIG_NUMBER.fullmatch(s) is not None


@dataclass(frozen=True)
class Registration:
    """A KT's entry in the BIG register as the hospital keeps it.

    ``restricted_procedures`` names the reserved procedures a restriction covers.
    Empty means the restriction covers *all* reserved procedures: a restriction
    whose scope was not recorded is read in the way that keeps patients safe.
    ``language_proof`` is true when sufficient Dutch has been shown by any route
    of seed 001 (art. 8 explanation): a B2+ certificate, or Dutch-language
    primary and secondary schooling.
    """

    big_number: str
    registered_on: date | None
    status: str = "registered"
    restriction: str | None = None
    restriction_from: date | None = None
    restriction_until: date | None = None
    restricted_procedures: frozenset[str] = frozenset()
    diploma_on: date | None = None
    institution: str | None = None
    track: str | None = None
    foreign_diploma: bool = False
    recognition_decision: str | None = None
    language_proof: bool = False
    recognition_outcome: str | None = None
    recognition_decided_on: date | None = None


@dataclass(frozen=True)
class ReregistrationConfig:
    """Periodic re-registration (herregistratie); configuration, not code (SPEC 4)."""

    effective_date: date = date(2023, 3, 1)
    hours_norm: Decimal = Decimal("2080")
    period_years: int = 5
    warn_months: tuple[int, ...] = (12, 6)


DEFAULT_CONFIG = ReregistrationConfig()


def registration_effective_on(reg: Registration | None) -> date | None:
    """The day the registration takes effect: the registration date, but not
    before the profession existed (Besluit klinisch technoloog, art. 6: an
    earlier decision "wordt ... van kracht met ingang van de datum van
    inwerkingtreding", 1 July 2020)."""
    if reg is None or reg.registered_on is None:
        return None
    return max(reg.registered_on, PROFESSION_REGISTERED_SINCE)


def _in_effect_on(reg: Registration | None, on: date) -> bool:
    start = registration_effective_on(reg)
    return start is not None and start <= on


def is_registered_on(reg: Registration | None, on: date) -> bool:
    """In the register on ``on``: in effect by then and not suspended or struck off."""
    return _in_effect_on(reg, on) and reg.status in ("registered", "restricted")


def diploma_recognised_on(reg: Registration, on: date) -> bool:
    """A Dutch diploma, or a foreign one recognised on or before ``on``
    (Besluit klinisch technoloog, art. 7 explanation)."""
    if not reg.foreign_diploma:
        return True
    return (reg.recognition_outcome == "recognised" and reg.recognition_decided_on is not None
            and reg.recognition_decided_on <= on)


def restriction_applies(reg: Registration, on: date) -> bool:
    """A restriction (status ``restricted`` or a restriction text) in force on ``on``.

    The end date is the last day it applies: one that ended yesterday no longer
    applies today.
    """
    if reg.status != "restricted" and not reg.restriction:
        return False
    return _within(on, reg.restriction_from, reg.restriction_until)


def restriction_covers(reg: Registration, on: date, procedure: str) -> bool:
    """The restriction in force on ``on`` covers ``procedure`` (empty set = all)."""
    if not restriction_applies(reg, on):
        return False
    return not reg.restricted_procedures or procedure in reg.restricted_procedures


def effective_status(reg: Registration | None, on: date) -> str | None:
    """The status as it stands on ``on``; ``None`` when not (yet) in the register.

    A ``restricted`` entry whose restriction has ended reads as ``registered``;
    a ``registered`` entry with a restriction in force reads as ``restricted``.
    """
    if not _in_effect_on(reg, on):
        return None
    if reg.status in ("registered", "restricted"):
        return "restricted" if restriction_applies(reg, on) else "registered"
    return reg.status


def registration_errors(
    reg: Registration, today: date, config: ReregistrationConfig = DEFAULT_CONFIG
) -> dict[str, list[str]]:
    """Problems with a registration entry, per field (empty dict = acceptable)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not valid_big_number(reg.big_number):
        add("big_number", "A BIG number is exactly 11 digits.")
    if reg.status not in STATUSES:
        add("status", f"Unknown status; expected one of {', '.join(STATUSES)}.")
    _check_dates(reg, today, add)
    _check_diploma_age(reg, config, add)
    _check_restriction(reg, add)
    _check_foreign_diploma(reg, today, add)
    return errors


def _check_dates(reg: Registration, today: date, add) -> None:
    if reg.registered_on is None:
        add("registered_on", "The registration date is required.")
    elif reg.registered_on > today:
        add("registered_on", "The registration date lies in the future.")
    # An earlier date is accepted: it takes effect on 1 July 2020
    # (Besluit klinisch technoloog, art. 6; see registration_effective_on).
    if reg.diploma_on is None:
        add("diploma_on", "The diploma date is required.")
    elif reg.diploma_on > today:
        add("diploma_on", "The diploma date lies in the future.")
    elif reg.registered_on is not None and reg.diploma_on > reg.registered_on:
        add("diploma_on", "The diploma is dated after the registration.")


def _check_diploma_age(reg: Registration, config: ReregistrationConfig, add) -> None:
    """Seed 001, explanation of art. 6: once periodic registration applies to the
    KT, a diploma *older than* five years (ouder dan vijf jaar) cannot be newly
    registered (Wet BIG art. 8(6)). A diploma of exactly five years on the
    registration date is not older, so it is accepted. The seed speaks of the
    application date; the registration date is the closest date we keep.
    Registrations from before the effective date keep their entry.
    """
    if reg.registered_on is None or reg.diploma_on is None:
        return
    if reg.registered_on < config.effective_date:
        return
    if reg.registered_on > add_years(reg.diploma_on, config.period_years):
        add(
            "diploma_on",
            f"A diploma older than {config.period_years} years on the registration date "
            "cannot be newly registered since periodic registration applies "
            f"({config.effective_date.isoformat()}).",
        )


def _check_restriction(reg: Registration, add) -> None:
    if reg.status == "restricted" and not reg.restriction:
        add("restriction", "A restricted registration needs the text of the restriction.")
    if (
        reg.restriction_from is not None
        and reg.restriction_until is not None
        and reg.restriction_until < reg.restriction_from
    ):
        add("restriction_until", "The restriction ends before it starts.")
    unknown = sorted(set(reg.restricted_procedures) - set(RESERVED_PROCEDURES))
    if unknown:
        add("restricted_procedures", f"Unknown reserved procedures: {', '.join(unknown)}.")


def _check_foreign_diploma(reg: Registration, today: date, add) -> None:
    if not reg.foreign_diploma:
        if reg.recognition_outcome is not None or reg.recognition_decided_on is not None:
            add("recognition_outcome", "A recognition decision belongs to a foreign diploma only.")
        return
    # Besluit klinisch technoloog, art. 7 explanation: KT training is not
    # harmonised internationally; the Commissie buitenslands gediplomeerden
    # volksgezondheid decides first, with a structured outcome.
    if reg.recognition_outcome not in RECOGNITION_OUTCOMES:
        add("recognition_outcome",
            f"A foreign diploma needs the recognition outcome: one of {', '.join(RECOGNITION_OUTCOMES)}.")
    if reg.recognition_decided_on is None:
        add("recognition_decided_on", "A foreign diploma needs the date of the recognition decision.")
    elif reg.recognition_decided_on > today:
        add("recognition_decided_on", "The recognition decision lies in the future.")
    elif reg.diploma_on is not None and reg.recognition_decided_on < reg.diploma_on:
        add("recognition_decided_on", "The recognition decision predates the diploma.")
    # seed 001, art. 8 explanation: Dutch at B2+ unless the KT programme or the
    # schooling was Dutch-language; a foreign programme is not (seed 004: the
    # Dutch master is taught in Dutch).
    if not reg.language_proof:
        add("language_proof", "A foreign diploma needs proof of Dutch at level B2+.")


def status_since_default(reg: Registration, status_since: date | None, is_new: bool) -> date | None:
    """From which day a recorded status holds (valid time).

    A fact recorded late applies from its own date, not from the day it was
    typed in: a new entry holds from the day the registration takes effect; a
    restriction from its ``restriction_from``. Any other change needs its date
    stated (``None`` here: the caller refuses the change).
    """
    if status_since is not None:
        return status_since
    if is_new:
        return registration_effective_on(reg)
    if reg.status == "restricted" and reg.restriction_from is not None:
        return reg.restriction_from
    return None


def status_change_errors(reg: Registration, since: date | None, last_change_on: date | None) -> dict[str, list[str]]:
    """Dates of a status change that contradict each other, per field.

    ``last_change_on`` is the start of the latest recorded status (``None`` for
    a new entry); a change cannot slip in before it, since what held from then
    on was decided on that record.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    start = registration_effective_on(reg)
    if since is None:
        add("status_since", "State from which day the new status holds (a fact recorded late applies "
                            "from its own date).")
    elif start is not None and since < start:
        add("status_since", f"A status cannot take effect before the registration does ({start.isoformat()}).")
    elif last_change_on is not None and since < last_change_on:
        add("status_since", f"A status change cannot take effect before the last one ({last_change_on.isoformat()}).")
    if reg.restriction_from is not None and start is not None and reg.restriction_from < start:
        add("restriction_from", f"A restriction cannot start before the registration takes effect "
                                f"({start.isoformat()}).")
    if (reg.status == "restricted" and since is not None and reg.restriction_from is not None
            and since > reg.restriction_from):
        message = "The restriction starts before the restricted status that carries it; give the same date."
        add("status_since", message)
        add("restriction_from", message)
    return errors


# -------------------------------------------------------------------- independence


@dataclass(frozen=True)
class Finding:
    """One condition of independent authority, met (``ok``) or not."""

    ok: bool
    code: str
    message: str


# condition -> (code when met, code when not met)
INDEPENDENCE_CODES: dict[str, tuple[str, str]] = {
    "procedure": ("procedure_reserved_for_kt", "procedure_not_reserved_for_kt"),
    "registration": ("big_registered", "not_registered_under_instruction"),
    "restriction": ("not_restricted", "restricted"),
    "subdomain": ("within_subdomain", "outside_subdomain"),
    "protocol": ("protocol", "no_protocol"),
}


def _finding(condition: str, ok: bool, message: str) -> Finding:
    yes, no = INDEPENDENCE_CODES[condition]
    return Finding(ok, yes if ok else no, message)


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
    # SPEC 4 / Wet BIG art. 36: only these nine; others (narcose, prescribing, ...)
    # are never independent for a KT.
    if procedure in RESERVED_PROCEDURES:
        return _finding("procedure", True, f"{procedure} is a reserved procedure the KT may perform.")
    return _finding(
        "procedure",
        False,
        f"{procedure} is not one of the nine reserved procedures of the KT: never independent.",
    )


def _registration_finding(reg: Registration | None, on: date) -> Finding:
    if is_registered_on(reg, on):
        return _finding("registration", True, "BIG-registered as klinisch technoloog.")
    if not _in_effect_on(reg, on):
        why = "not BIG-registered"
    else:
        why = {"suspended": "registration suspended", "struck_off": "struck off the register"}.get(
            reg.status, f"registration status {reg.status}"
        )
    # SPEC 4 / Wet BIG art. 35: only under instruction (opdrachtregeling)
    return _finding(
        "registration",
        False,
        f"{why[0].upper()}{why[1:]}: reserved procedures only under instruction of an "
        "independently authorised professional (opdrachtregeling).",
    )


def _restriction_finding(reg: Registration | None, on: date, procedure: str) -> Finding:
    if reg is not None and restriction_covers(reg, on, procedure):
        text = f": {reg.restriction}" if reg.restriction else ""
        return _finding("restriction", False, f"The registration is restricted for {procedure}{text}.")
    if reg is not None and restriction_applies(reg, on):
        return _finding("restriction", True, f"The restriction in force does not cover {procedure}.")
    return _finding("restriction", True, "No restriction in force.")


def _subdomain_finding(person_subdomain_ids: set[int], activity_subdomain_id: int | None) -> Finding:
    # seed 001, art. 5(1) and (3): only within the technical-medical sub-domain
    # the KT was trained in and works in.
    if activity_subdomain_id is None:
        return _finding("subdomain", False, "The activity names no technical-medical sub-domain.")
    if activity_subdomain_id in person_subdomain_ids:
        return _finding("subdomain", True, "Within a sub-domain the KT was trained in and works in.")
    return _finding("subdomain", False, "Outside the sub-domains the KT was trained in and works in.")


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


def competence_current(rec: ProcedureCompetence, on: date) -> bool:
    """Obtained on or before ``on`` and not yet expired: ``obtained_on <= on < expires_on``."""
    return rec.obtained_on <= on and (rec.expires_on is None or on < rec.expires_on)


def procedure_competence_finding(staff_id: int, records: list[ProcedureCompetence], on: date) -> Finding:
    """Individually competent for the procedure on ``on`` (Besluit klinisch
    technoloog, art. 5 explanation): a current record that is signed off."""
    current = [r for r in records if competence_current(r, on)]
    if any(not competence_shortfalls(staff_id, r) for r in current):
        return Finding(True, "procedure_competence",
                       "Individually competent for the procedure, signed off by an assessor.")
    if current:
        why = "; ".join(sorted({s for r in current for s in competence_shortfalls(staff_id, r)}))
        return Finding(False, "procedure_competence_unsigned",
                       f"The competence record for the procedure does not count: {why}.")
    expired = sorted(r.expires_on for r in records if r.expires_on is not None and r.expires_on <= on)
    if expired:
        return Finding(False, "no_procedure_competence",
                       f"The competence for the procedure expired on {expired[-1].isoformat()}.")
    return Finding(False, "no_procedure_competence", "No valid competence record for the procedure.")


def _recognition_finding(reg: Registration | None, on: date) -> Finding:
    # Besluit klinisch technoloog, art. 7 explanation: a foreign diploma only
    # after the CBGV recognised it.
    if reg is None or not reg.foreign_diploma:
        return Finding(True, "diploma_recognised", "Dutch diploma (no recognition needed).")
    if diploma_recognised_on(reg, on):
        return Finding(True, "diploma_recognised",
                       f"Foreign diploma recognised on {reg.recognition_decided_on.isoformat()}.")
    decided = reg.recognition_decided_on
    if decided is None or reg.recognition_outcome not in RECOGNITION_OUTCOMES:
        why = "no recognition decision recorded"
    elif reg.recognition_outcome == "recognised":
        why = f"recognised only from {decided.isoformat()}"
    else:
        what = {"conditions_not_met": "further requirements not met",
                "refused": "recognition refused"}[reg.recognition_outcome]
        why = f"{what} ({decided.isoformat()})"
    return Finding(False, "foreign_diploma_not_recognised",
                   f"Foreign diploma not recognised: {why}; reserved procedures only under instruction.")


def _reregistration_finding(reg: Registration | None, work_hours: list[WorkHours], on: date,
                            config: ReregistrationConfig) -> Finding:
    missed = missed_reregistration(reg, work_hours, on, config)
    if missed is None:
        return Finding(True, "reregistration_in_order", "No re-registration deadline missed.")
    return Finding(False, "reregistration_missed", missed.message())


def _protocol_finding(protocol: str | None) -> Finding:
    # seed 001, art. 5(3): following national guidelines and derived protocols.
    if protocol and protocol.strip():
        return _finding("protocol", True, f"Performed under protocol {protocol.strip()}.")
    return _finding("protocol", False, "No departmental protocol derived from national guidelines.")


# ----------------------------------------------------------------- re-registration


@dataclass(frozen=True)
class WorkHours:
    """Hours of individual patient care within the KT field over ``[period_start, period_end]``."""

    period_start: date
    period_end: date
    hours: Decimal


@dataclass(frozen=True)
class Reregistration:
    """Where a KT stands in the current re-registration period ``[period_start, due)``."""

    applies: bool
    period_start: date | None
    due: date | None
    hours_required: Decimal
    hours_done: Decimal
    on_track: bool
    hours_missing: Decimal
    hours_expected: Decimal = Decimal("0.00")


def first_period_start(reg: Registration, config: ReregistrationConfig = DEFAULT_CONFIG) -> date | None:
    """SPEC 4: a diploma from before the effective date starts the first period on
    that date (first deadline 1 March 2028), otherwise the registration date.

    Taken literally: a diploma from before the effective date with a registration
    after it still starts on the effective date (the seed is silent on this).
    Without a diploma date the registration date decides.
    """
    registered = registration_effective_on(reg)
    if registered is None:
        return None
    diploma = reg.diploma_on or registered
    return config.effective_date if diploma < config.effective_date else registered


def current_period(first_start: date, as_of: date, years: int) -> tuple[date, date]:
    """The rolling period ``[start, due)`` holding ``as_of``: on the due date the
    next period starts. Before ``first_start`` the first period is returned.
    """
    start, due = first_start, add_years(first_start, years)
    while as_of >= due:
        start, due = due, add_years(due, years)
    return start, due


def hours_in(records: list[WorkHours], start: date, last_day: date) -> Decimal:
    """Hours within ``[start, last_day]``; a record straddling an edge counts pro
    rata by days (each record rounded half-up to 2 places).
    """
    total = Decimal("0.00")
    for rec in records:
        days = (rec.period_end - rec.period_start).days + 1
        overlap = (min(rec.period_end, last_day) - max(rec.period_start, start)).days + 1
        if days < 1 or overlap < 1:
            continue
        share = Decimal(rec.hours) * overlap / days
        total += share.quantize(TWO_PLACES, ROUND_HALF_UP)
    return total


def reregistration(
    reg: Registration | None,
    work_hours: list[WorkHours],
    as_of: date,
    config: ReregistrationConfig = DEFAULT_CONFIG,
) -> Reregistration:
    """Periodic re-registration: 2,080 h in 5 years (SPEC 4, Besluit periodieke
    registratie Wet BIG), applying to the KT from ``config.effective_date``.

    Hours count up to and including ``as_of``. ``on_track`` compares them with
    the norm times the elapsed part of the period, ``as_of`` counted as elapsed,
    so on the last day of the period 2,079 h is behind and 2,080 h on track.
    """
    norm = config.hours_norm.quantize(TWO_PLACES)
    first = None if reg is None or reg.status == "struck_off" else first_period_start(reg, config)
    if first is None:
        zero = Decimal("0.00")
        return Reregistration(False, None, None, norm, zero, True, zero, zero)
    start, due = current_period(first, as_of, config.period_years)
    # current_period keeps as_of before due, so as_of is the last day counted
    done = hours_in(work_hours, start, as_of) if as_of >= start else Decimal("0.00")
    total_days = (due - start).days
    elapsed = max(0, min((as_of - start).days + 1, total_days))
    return Reregistration(
        applies=as_of >= config.effective_date,
        period_start=start,
        due=due,
        hours_required=norm,
        hours_done=done,
        on_track=done * total_days >= norm * elapsed,
        hours_missing=max(norm - done, Decimal("0.00")),
        hours_expected=(norm * elapsed / total_days).quantize(TWO_PLACES, ROUND_HALF_UP),
    )


@dataclass(frozen=True)
class MissedReregistration:
    """A re-registration period ``[period_start, due)`` that ended below the norm."""

    period_start: date
    due: date
    hours_required: Decimal
    hours_done: Decimal

    def message(self) -> str:
        last_day = self.due - timedelta(days=1)
        return (f"Re-registration deadline {self.due.isoformat()} missed: "
                f"{format_hours(self.hours_done)} of {format_hours(self.hours_required)} h of patient care "
                f"from {self.period_start.isoformat()} to {last_day.isoformat()}; "
                f"not independent from {(self.due + timedelta(days=1)).isoformat()} until re-registered.")


def missed_reregistration(
    reg: Registration | None,
    work_hours: list[WorkHours],
    as_of: date,
    config: ReregistrationConfig = DEFAULT_CONFIG,
) -> MissedReregistration | None:
    """The first period that ended with fewer hours than the norm, once its
    deadline (``due``) has passed: from the day after it, the shortfall stands.

    A missed norm is not forgotten when the next period starts (Besluit
    periodieke registratie Wet BIG: the registration lapses). Only a
    registration dated after that deadline -- a new entry -- clears it; periods
    that ended on or before the registration date are not held against it.
    """
    first = None if reg is None else first_period_start(reg, config)
    if first is None:
        return None
    norm = config.hours_norm.quantize(TWO_PLACES)
    start, due = first, add_years(first, config.period_years)
    # Deadlines are followed up to the last date a person can enter; a day asked
    # about beyond it (year 9999) must not run the calendar out.
    while due < min(as_of, LATEST_DATE):
        if due > reg.registered_on:
            done = hours_in(work_hours, start, due - timedelta(days=1))
            if done < norm:
                return MissedReregistration(start, due, norm, done)
        start, due = due, add_years(due, config.period_years)
    return None


def reregistration_warning_dates(due: date, config: ReregistrationConfig = DEFAULT_CONFIG) -> list[date]:
    """SPEC 4: the plugin warns ``warn_months`` before the deadline (default 12 and 6)."""
    return sorted(_add_months(due, -months) for months in config.warn_months)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ------------------------------------------------------- NVvTG quality register


@dataclass(frozen=True)
class QualityActivity:
    """A CPD activity for the NVvTG quality register; ``kind`` A = medical-technical."""

    date: date
    points: Decimal
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in ("A", "B"):
            raise ValueError("kind must be 'A' or 'B'")


@dataclass(frozen=True)
class QualityRegisterResult:
    period_start: date
    due: date
    points_required: Decimal
    a_points_required: Decimal
    points_done: Decimal
    a_points_done: Decimal
    met: bool
    points_missing: Decimal
    a_points_missing: Decimal


QUALITY_POINTS = Decimal("200")
QUALITY_A_POINTS = Decimal("100")
QUALITY_PERIOD_YEARS = 5


def quality_register(
    entry_date: date, activities: list[QualityActivity], as_of: date
) -> QualityRegisterResult:
    """NVvTG quality register (SPEC 4): 200 points per 5 years from the entry date,
    at least 100 of them A-points. Activities before the entry date do not count;
    nor do activities after ``as_of``.
    """
    start, due = current_period(entry_date, as_of, QUALITY_PERIOD_YEARS)
    # periods start at the entry date, so earlier activities never fall in one;
    # current_period keeps as_of before due, so as_of is the last day counted
    counted = [a for a in activities if start <= a.date <= as_of]
    total = sum((Decimal(a.points) for a in counted), Decimal("0")).quantize(TWO_PLACES)
    a_points = sum((Decimal(a.points) for a in counted if a.kind == "A"), Decimal("0")).quantize(
        TWO_PLACES
    )
    zero = Decimal("0.00")
    return QualityRegisterResult(
        period_start=start,
        due=due,
        points_required=QUALITY_POINTS.quantize(TWO_PLACES),
        a_points_required=QUALITY_A_POINTS.quantize(TWO_PLACES),
        points_done=total,
        a_points_done=a_points,
        met=total >= QUALITY_POINTS and a_points >= QUALITY_A_POINTS,
        points_missing=max(QUALITY_POINTS - total, zero).quantize(TWO_PLACES),
        a_points_missing=max(QUALITY_A_POINTS - a_points, zero).quantize(TWO_PLACES),
    )


# ------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str


@dataclass(frozen=True)
class Evaluation:
    """What ``GET /big/staff/{id}/evaluation`` returns (SPEC 8.2)."""

    status: str | None
    independent: bool
    reregistration: Reregistration
    unmet: list[Unmet] = field(default_factory=list)
    missed: MissedReregistration | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates ISO 8601, hours as decimal strings."""
        rr = self.reregistration
        return {
            "status": self.status,
            "independent": self.independent,
            "reregistration": {
                "applies": rr.applies,
                "period_start": rr.period_start.isoformat() if rr.period_start else None,
                "due": rr.due.isoformat() if rr.due else None,
                "hours_required": str(rr.hours_required),
                "hours_done": str(rr.hours_done),
                "on_track": rr.on_track,
                "missed": None if self.missed is None else {
                    "period_start": self.missed.period_start.isoformat(),
                    "due": self.missed.due.isoformat(),
                    "hours_required": str(self.missed.hours_required),
                    "hours_done": str(self.missed.hours_done),
                },
            },
            "unmet": [{"code": u.code, "message": u.message} for u in self.unmet],
        }


def evaluation(
    reg: Registration | None,
    work_hours: list[WorkHours],
    as_of: date,
    config: ReregistrationConfig = DEFAULT_CONFIG,
    quality: QualityRegisterResult | None = None,
) -> Evaluation:
    """The KT's standing on ``as_of``.

    ``independent``: may perform reserved procedures independently at all, i.e.
    registered, the diploma recognised, no re-registration deadline missed and
    not restricted for every reserved procedure; the per-activity conditions of
    art. 5 are in :func:`independence_findings`. A re-registration behind
    schedule is reported in ``unmet`` but withdraws nothing until the deadline
    has passed with the norm unmet.
    """
    status = effective_status(reg, as_of)
    rr = reregistration(reg, work_hours, as_of, config)
    missed = missed_reregistration(reg, work_hours, as_of, config)
    unmet = _registration_unmet(reg, status, as_of)
    if reg is not None and not diploma_recognised_on(reg, as_of):
        unmet.append(Unmet("foreign_diploma_not_recognised", _recognition_finding(reg, as_of).message))
    if missed is not None:
        unmet.append(Unmet("reregistration_missed", missed.message()))
    if rr.applies and not rr.on_track:
        unmet.append(_reregistration_unmet(rr, as_of))
    if quality is not None and not quality.met:
        unmet.extend(_quality_unmet(quality))
    independent = _independent_at_all(reg, as_of) and missed is None
    return Evaluation(status, independent, rr, unmet, missed)


def _independent_at_all(reg: Registration | None, on: date) -> bool:
    if not is_registered_on(reg, on) or not diploma_recognised_on(reg, on):
        return False
    return any(not restriction_covers(reg, on, code) for code in RESERVED_PROCEDURES)


def _registration_unmet(reg: Registration | None, status: str | None, on: date) -> list[Unmet]:
    if status is None:
        return [Unmet("not_registered", "Not BIG-registered as klinisch technoloog: "
                      "reserved procedures only under instruction (opdrachtregeling).")]
    if status == "suspended":
        return [Unmet("suspended", "The BIG registration is suspended: "
                      "reserved procedures only under instruction (opdrachtregeling).")]
    if status == "struck_off":
        return [Unmet("struck_off", "Struck off the BIG register: "
                      "reserved procedures only under instruction (opdrachtregeling).")]
    if status == "restricted":
        scope = ", ".join(sorted(reg.restricted_procedures)) or "all reserved procedures"
        until = f" until {reg.restriction_until.isoformat()}" if reg.restriction_until else ""
        text = f": {reg.restriction}" if reg.restriction else ""
        return [Unmet("restricted", f"Restricted for {scope}{until}{text}.")]
    return []


def _reregistration_unmet(rr: Reregistration, as_of: date) -> Unmet:
    return Unmet(
        "reregistration_hours",
        f"{format_hours(rr.hours_done)} of {format_hours(rr.hours_expected)} h of patient care "
        f"expected by {as_of.isoformat()}; {format_hours(rr.hours_required)} h required "
        f"by {rr.due.isoformat()} ({format_hours(rr.hours_missing)} h to go).",
    )


def _quality_unmet(q: QualityRegisterResult) -> list[Unmet]:
    unmet = []
    if q.points_missing > 0:
        unmet.append(Unmet(
            "quality_points",
            f"{format_hours(q.points_done)} of {format_hours(q.points_required)} NVvTG points "
            f"in the period to {q.due.isoformat()}.",
        ))
    if q.a_points_missing > 0:
        unmet.append(Unmet(
            "quality_a_points",
            f"{format_hours(q.a_points_done)} of {format_hours(q.a_points_required)} NVvTG "
            f"A-points in the period to {q.due.isoformat()}.",
        ))
    return unmet
