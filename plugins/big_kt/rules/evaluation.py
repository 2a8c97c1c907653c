"""The evaluation of a klinisch technoloog on a day: registration, re-registration, quality register."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from plugins.big_kt.rules.independence import _recognition_finding
from plugins.big_kt.rules.numbers import format_hours
from plugins.big_kt.rules.quality_register import QualityRegisterResult
from plugins.big_kt.rules.registration import DEFAULT_CONFIG, Registration, ReregistrationConfig, diploma_recognised_on, effective_status, is_registered_on, restriction_covers
from plugins.big_kt.rules.reregistration import MissedReregistration, Reregistration, WorkHours, missed_reregistration, reregistration
from plugins.big_kt.rules.vocabulary import RESERVED_PROCEDURES


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str


@dataclass(frozen=True)
class Evaluation:
    """What ``GET /big/staff/{id}/evaluation`` returns (the API's field names)."""

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
