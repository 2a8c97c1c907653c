"""Herregistratie (Wet BIG art. 8): the work hours entered (within sane bounds), the periods,
the hours worked in them, a missed re-registration and its warnings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.dates import add_months as _add_months
from core.contract import FieldMessage
from core.dates import add_years
from core.dates import dutch_day
from core.dates import periods_overlap
from plugins.big_kt.rules.numbers import format_hours, format_hours_nl
from plugins.big_kt.rules.registration import DEFAULT_CONFIG, Registration, ReregistrationConfig, registration_effective_on
from plugins.big_kt.rules.vocabulary import TWO_PLACES


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


def work_hours_errors(rec: WorkHours, today: date, others: list[WorkHours] = ()) -> dict[str, list[str]]:
    """Problems with one record of patient-care hours, per field.

    Only hours already worked count; a record cannot hold more hours than its
    days have (24 h a day); and records of one person may not overlap, so the
    same hours never count twice towards the 2,080 h of re-registration.
    """
    errors: dict[str, list[str]] = {}
    days = (rec.period_end - rec.period_start).days + 1
    if days < 1:
        errors["period_end"] = [FieldMessage("The period ends before it starts.",
                                             "De periode eindigt voordat ze begint.")]
    elif rec.period_end > today:
        errors["period_end"] = [FieldMessage("Only hours already worked count; the period ends in the future.",
                                             "Alleen gewerkte uren tellen; de periode eindigt in de toekomst.")]
    elif rec.hours > HOURS_PER_DAY * days:
        errors["hours"] = [FieldMessage(f"More hours than the period has ({HOURS_PER_DAY} h x {days} days).",
                                        f"Meer uren dan de periode heeft ({HOURS_PER_DAY} uur × {days} dagen).")]
    if not errors:
        clash = sorted((o.period_start, o.period_end) for o in others
                       if periods_overlap(rec.period_start, rec.period_end, o.period_start, o.period_end))
        if clash:
            text = ", ".join(f"{s.isoformat()} to {e.isoformat()}" for s, e in clash)
            text_nl = ", ".join(f"{dutch_day(s)} tot en met {dutch_day(e)}" for s, e in clash)
            message = FieldMessage(f"Overlaps another work-hours record ({text}); the same hours may not count twice.",
                                   f"Overlapt een andere registratie van werkuren ({text_nl}); dezelfde uren tellen "
                                   "niet twee keer.")
            errors["period_start"] = [message]
            errors["period_end"] = [message]
    return errors


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
    """Besluit periodieke registratie Wet BIG: a diploma from before the effective date starts the first period on
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
    """Periodic re-registration: 2,080 h in 5 years (Besluit periodieke
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

    def message_nl(self) -> str:
        last_day = self.due - timedelta(days=1)
        return (f"Herregistratietermijn {dutch_day(self.due)} gemist: {format_hours_nl(self.hours_done)} van "
                f"{format_hours_nl(self.hours_required)} uur patiëntenzorg van {dutch_day(self.period_start)} tot en "
                f"met {dutch_day(last_day)}; niet zelfstandig bevoegd vanaf {dutch_day(self.due + timedelta(days=1))} "
                "tot de herregistratie.")


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
    """The plugin warns ``warn_months`` before the deadline (default 12 and 6)."""
    return sorted(_add_months(due, -months) for months in config.warn_months)
