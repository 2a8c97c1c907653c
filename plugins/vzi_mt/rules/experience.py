"""Werkervaring: completed years from the positions held (certificatienormen §2 and §4)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from core.dates import inclusive_days as _inclusive_days
from core.dates import add_years
from plugins.vzi_mt.rules.norms import CARRY_OVER_FROM, CARRY_OVER_MAX_YEARS, CENT, LEVEL_RANK
from plugins.vzi_mt.rules.portfolio import Certification, Position
from plugins.vzi_mt.rules.vocabulary import Level


def current_position(positions: tuple[Position, ...], as_of: date) -> Position | None:
    """The function (functie) held on ``as_of`` whose level is the certification level.

    VZI certificatienormen, Inleiding "Indeling bij certificatie": "Het certificatieniveau behoort
    overeen te komen met het functieniveau ... De indeling kan niet (op verzoek)
    lager of hoger zijn". With several positions at once the highest level held
    counts: an extra, lower appointment does not lower the norm. Among positions
    at that level the most recently started one is returned.
    """
    running = [
        p for p in positions if p.start_date <= as_of and (p.end_date is None or p.end_date >= as_of)
    ]
    if not running:
        return None
    return max(running, key=lambda p: (LEVEL_RANK[Level(p.level)], p.start_date))


def _merged_spans(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | None
) -> list[tuple[date, date]]:
    spans = sorted(
        (p.start_date, min(p.end_date or until, until))
        for p in positions
        if p.start_date <= until and (levels is None or p.level in levels)
    )
    merged: list[tuple[date, date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:  # overlapping: a shared day counts once
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def experience_days(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | str | None = None
) -> int:
    """Days as medical technician up to and including ``until``; overlaps counted once.

    ``levels`` restricts to positions at those levels (None: any level).
    """
    if isinstance(levels, str):
        levels = frozenset({levels})
    return sum(_inclusive_days(first, last) for first, last in _merged_spans(positions, until, levels))


def anniversary(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start``: the day ``years`` completed years are reached.

    VZI certificatienormen, Inleiding "6 jaar voltooide werkervaring": a completed year is a
    calendar year. 29 February falls on 1 March in a common year, so a year is
    never completed a day early.
    """
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return start.replace(year=year)


@dataclass(frozen=True)
class Experience:
    """Werkervaring as one unbroken run of ``days`` that ends the day before ``until``.

    Merged positions with gaps are laid end to end before ``until``; for one
    continuous position ``start`` is its start date. The day of measurement is
    not yet a worked day: on the n-th anniversary of ``start`` exactly n years
    are completed, the day before n - 1 (VZI certificatienormen, Inleiding "6 jaar voltooide
    werkervaring"). Thresholds compare anniversaries of ``start`` with
    ``until``: dates, not rounded decimals.
    """

    days: int
    until: date

    @property
    def start(self) -> date:
        """First day of the run; no experience at all is a run that starts on ``until``."""
        return self.until - timedelta(days=self.days)

    def at_least(self, years: int) -> bool:
        """``years`` completed on ``until``: the anniversary has been reached."""
        return anniversary(self.start, years) <= self.until

    def more_than(self, years: int) -> bool:
        """Meer dan ``years`` jaar: past the anniversary (the anniversary itself is not more)."""
        return anniversary(self.start, years) < self.until

    @property
    def completed_years(self) -> int:
        years = self.until.year - self.start.year
        # this year's anniversary may still be ahead; last year's has then been reached
        return years - 1 if anniversary(self.start, years) > self.until else years

    @property
    def years(self) -> Decimal:
        """For display: completed years plus the elapsed share of the running year, truncated.

        Truncation keeps ``years >= n`` identical to ``at_least(n)``.
        """
        done = self.completed_years
        last, following = anniversary(self.start, done), anniversary(self.start, done + 1)
        share = Decimal((self.until - last).days) / Decimal((following - last).days)
        return (done + share).quantize(CENT, rounding=ROUND_DOWN)


def experience(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | str | None = None
) -> Experience:
    """Werkervaring as MT before ``until`` (``levels``: only positions at those levels).

    Days worked up to and including the day before ``until``; a position that
    starts on ``until`` is held (it gives the level) but has no experience yet.
    """
    return Experience(experience_days(positions, until - timedelta(days=1), levels), until)


def experience_years(positions: tuple[Position, ...], until: date, levels=None) -> Decimal:
    """Decimal years for display (see ``Experience.years``)."""
    return experience(positions, until, levels).years


def completed_years(positions: tuple[Position, ...], until: date, levels=None) -> int:
    """Voltooide jaren: anniversaries of the experience run reached on ``until``."""
    return experience(positions, until, levels).completed_years


def designation_experience(
    positions: tuple[Position, ...],
    level: str,
    as_of: date,
    earlier: tuple[Certification, ...] = (),
) -> Experience:
    """Experience that meets the level's criterion, with the carry-over from one level lower.

    seed MT4/MT5 §4 footnote: "Na een eerdere certificering als medisch technicus 3
    kunnen 3 werkervaringsjaren meegerekend worden die vallen onder de criteria van
    medisch technicus 3" (MT4 toward MT5 likewise). The carried years are laid
    before the years at the level and capped at 3 calendar years.
    """
    at_level = experience(positions, as_of, level)
    lower = CARRY_OVER_FROM.get(Level(level))
    if lower is None or not any(c.level == lower for c in earlier):
        return at_level
    # days at the lower level that do not overlap days already counted at this level
    lower_only = experience_days(positions, as_of - timedelta(days=1), frozenset({level, lower})) - at_level.days
    begin = at_level.start
    cap = (begin - add_years(begin, -CARRY_OVER_MAX_YEARS)).days
    return Experience(at_level.days + min(lower_only, cap), as_of)


def designation_years(
    positions: tuple[Position, ...],
    level: str,
    as_of: date,
    earlier: tuple[Certification, ...] = (),
) -> Decimal:
    """Display years of ``designation_experience``."""
    return designation_experience(positions, level, as_of, earlier).years
