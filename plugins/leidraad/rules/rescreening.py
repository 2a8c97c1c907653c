"""Re-screening after release: when a new screening raises the question of use again."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from plugins.leidraad.rules.vocabulary import LEVEL_SCORES


@dataclass(frozen=True)
class ScreeningEvent:
    """A screening as the re-screening rule needs it; ``key`` orders screenings as recorded."""

    key: int
    screened_on: date
    risk_class: str
    pri_required: bool


@dataclass(frozen=True)
class ReleaseEvent:
    """A (re-)release on ``released_on``, given on the screening ``screening_key``."""

    released_on: date
    screening_key: int


def raises_use_question(screening: ScreeningEvent, previous: ScreeningEvent | None) -> bool:
    """Whether a screening asks again whether the type may be used: it requires a PRI
    or puts the type in a higher class than the screening in force before it."""
    if screening.pri_required:
        return True
    return previous is not None and LEVEL_SCORES[screening.risk_class] > LEVEL_SCORES[previous.risk_class]


def suspended_since(
    screenings: Iterable[ScreeningEvent],
    releases: Iterable[ReleaseEvent],
    in_use_since: date | None,
    on: date,
) -> date | None:
    """The day use is suspended from by a re-screening still awaiting its re-release, or None.

    Leidraad Medische Technologie 2026: a PRI "bij nieuwe of aangepaste
    toepassingen en bij nieuwe inzichten die leiden tot een verhoogd risico",
    and fase 5: use only after full technical and clinical approval. A
    screening on or after ``in_use_since`` (the first release) that requires a
    PRI or raises the class suspends use from its ``screened_on`` until a
    release given on that screening or a later one, dated on or before ``on``.
    """
    if in_use_since is None:
        return None
    ordered = sorted(screenings, key=lambda s: (s.screened_on, s.key))
    covered = [r.screening_key for r in releases if r.released_on <= on]
    previous = None
    for screening in ordered:
        if screening.screened_on > on:
            break
        if (
            screening.screened_on >= in_use_since
            and raises_use_question(screening, previous)
            and not any(key >= screening.key for key in covered)
        ):
            return screening.screened_on
        previous = screening
    return None
