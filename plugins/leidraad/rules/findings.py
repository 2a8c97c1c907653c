"""What a person's competences for a device type show on a day: each requirement a finding."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from plugins.leidraad.rules.expiry import is_valid_on
from plugins.leidraad.rules.levels import method_sufficient
from plugins.leidraad.rules.policy import DEFAULT_POLICY, Policy, Requirement, requirement
from plugins.leidraad.rules.vocabulary import COMPETENCE_EXPIRED, COMPETENCE_MISSING, COMPETENT, METHODS, METHOD_INSUFFICIENT, NOT_SCREENED, REINSTRUCTION_DUE


@dataclass(frozen=True)
class Finding:
    """A reason in a can-perform answer: ``ok`` True supports a yes."""

    ok: bool
    code: str
    message: str
    message_nl: str | None = None  # the same in Dutch, for the pages (and the API with Accept-Language: nl)


# The stored codes in the Leidraad's Dutch words (the codes stay English in the data and the API).
ROLE_NL = {"user": "gebruiker", "key_user": "key user", "trainer": "trainer"}
METHOD_NL = {"instruction": "instructie", "training": "training", "training_and_assessment": "training en toetsing"}


def _day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class CompetenceRecord:
    """One registered competence (bekwaamheid) of a person for a device type and role."""

    obtained_on: date
    method: str
    expires_on: date | None


@dataclass(frozen=True)
class SafetyNotice:
    """Veiligheidsmelding / recall requiring re-instruction (herinstructie) by a date."""

    issued_on: date
    reinstruct_by: date

    def __post_init__(self) -> None:
        if self.reinstruct_by < self.issued_on:
            raise ValueError("reinstruct_by must not be before issued_on")


def _records(records: Iterable[CompetenceRecord | tuple]) -> list[CompetenceRecord]:
    return [r if isinstance(r, CompetenceRecord) else CompetenceRecord(*r) for r in records]


def _notices(notices: Iterable[SafetyNotice | tuple]) -> list[SafetyNotice]:
    return [n if isinstance(n, SafetyNotice) else SafetyNotice(*n) for n in notices]


def _overdue_notices(
    notices: list[SafetyNotice], records: list[CompetenceRecord], on: date
) -> list[SafetyNotice]:
    """Notices whose re-instruction date has passed (on > reinstruct_by) without a
    competence obtained on or after the notice date (and not after ``on``)."""
    return [
        notice
        for notice in notices
        if on > notice.reinstruct_by
        and not any(notice.issued_on <= r.obtained_on <= on for r in records)
    ]


def competence_findings(
    risk_class: str | None,
    role: str,
    records: Iterable[CompetenceRecord | tuple],
    on: date,
    *,
    policy: Policy = DEFAULT_POLICY,
    override: Mapping[str, Requirement] | None = None,
    safety_notices: Iterable[SafetyNotice | tuple] = (),
) -> list[Finding]:
    """Is a person competent (bekwaam) for a device type in ``role`` on ``on``?

    ``risk_class`` is the device type's class on that date (None: never
    screened); ``records`` are the person's competences for that device type
    and role as ``(obtained_on, method, expires_on)``; ``safety_notices`` are
    the device type's notices as ``(issued_on, reinstruct_by)``.

    Exactly one finding is ``ok`` (``competent``) when the person is
    competent; otherwise every finding is not ok:

    - ``not_screened`` alone when there is no risk class (Leidraad Medische Technologie 2026, risicoscreening);
    - ``method_insufficient`` when a valid record's method is below the
      requirement, and ``competence_expired`` when a record with a sufficient
      method has expired — both may appear;
    - ``competence_missing`` when neither applies;
    - ``reinstruction_due``, one per overdue safety notice, replaces
      ``competent`` for someone otherwise competent.
    """
    if risk_class is None:
        message = "The device type has not been risk-screened; nobody is competent for it yet."
        return [Finding(False, NOT_SCREENED, message, "Het apparaattype heeft geen risicoscreening; niemand is er "
                                                      "nog bekwaam voor.")]
    req = requirement(policy, risk_class, role, override)
    recs = _records(records)
    valid = [r for r in recs if is_valid_on(r.obtained_on, r.expires_on, on)]
    sufficient = [r for r in valid if method_sufficient(r.method, req.method)]
    if sufficient:
        overdue = _overdue_notices(_notices(safety_notices), recs, on)
        if overdue:
            return [
                Finding(
                    False,
                    REINSTRUCTION_DUE,
                    f"Re-instruction after the safety notice of {n.issued_on.isoformat()} "
                    f"was due by {n.reinstruct_by.isoformat()}.",
                    f"Herinstructie na de veiligheidsmelding van {_day(n.issued_on)} moest vóór "
                    f"{_day(n.reinstruct_by)} gebeuren.",
                )
                for n in overdue
            ]
        best = max(sufficient, key=lambda r: (r.expires_on is None, r.expires_on or date.min))
        until = f"until {best.expires_on.isoformat()}" if best.expires_on else "without expiry"
        until_nl = f"tot {_day(best.expires_on)}" if best.expires_on else "zonder vervaldatum"
        return [Finding(True, COMPETENT, f"Competent as {role} by {best.method}, {until}.",
                        f"Bekwaam als {ROLE_NL.get(role, role)} door {METHOD_NL.get(best.method, best.method)}, "
                        f"{until_nl}.")]

    findings = []
    if valid:
        best_method = max((r.method for r in valid), key=METHODS.index)
        findings.append(
            Finding(False, METHOD_INSUFFICIENT, f"{best_method} is below the required {req.method}.",
                    f"{METHOD_NL.get(best_method, best_method).capitalize()} is lichter dan de vereiste "
                    f"{METHOD_NL.get(req.method, req.method)}.")
        )
    expired = [
        r
        for r in recs
        if r.expires_on is not None
        and r.obtained_on <= on
        and r.expires_on <= on
        and method_sufficient(r.method, req.method)
    ]
    if expired:
        last = max(r.expires_on for r in expired)
        message = f"The competence as {role} expired on {last.isoformat()}."
        findings.append(Finding(False, COMPETENCE_EXPIRED, message,
                                f"De bekwaamheid als {ROLE_NL.get(role, role)} is verlopen op {_day(last)}."))
    if not findings:
        findings.append(
            Finding(
                False,
                COMPETENCE_MISSING,
                f"No competence as {role} by {req.method} or higher is registered.",
                f"Geen bekwaamheid als {ROLE_NL.get(role, role)} door {METHOD_NL.get(req.method, req.method)} of "
                "hoger geregistreerd.",
            )
        )
    return findings
