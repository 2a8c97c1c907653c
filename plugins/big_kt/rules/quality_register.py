"""The NVvTG quality register (optional per person): its periods and hours."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plugins.big_kt.rules.reregistration import current_period
from plugins.big_kt.rules.vocabulary import TWO_PLACES


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
    """NVvTG quality register (kwaliteitsregister klinisch technoloog): 200 points per 5 years from the entry date,
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
