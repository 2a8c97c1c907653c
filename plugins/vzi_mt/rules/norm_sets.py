"""Which norm set applies on a day (certificatienormen, title page: "Ingangsdatum 1 juni 2025")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plugins.vzi_mt.rules.numbers import _nl_date


@dataclass(frozen=True)
class NormSet:
    """A version of the certification norms and the day it took effect."""

    name: str
    effective_from: date


# seed title page "Ingangsdatum 1 juni 2025"; Status: "gelden voor elke nieuwe certificatie en
# hercertificatie vanaf de ingangsdatum van dit document"
NORMS_2025 = NormSet("VZI certificatienormen", date(2025, 6, 1))


NORM_SETS = (NORMS_2025,)


@dataclass(frozen=True)
class NormsApplied:
    """Which norm set an evaluation applied; ``retroactive`` when dated before it took effect."""

    name: str
    effective_from: date
    retroactive: bool
    note: str
    note_nl: str


def norms_for(as_of: date, norm_sets: tuple[NormSet, ...] = NORM_SETS) -> NormsApplied:
    """The latest norm set in effect on ``as_of``; before the first, the first (history entered later)."""
    ordered = sorted(norm_sets, key=lambda n: n.effective_from)
    in_effect = [n for n in ordered if n.effective_from <= as_of]
    if in_effect:
        chosen = in_effect[-1]
        return NormsApplied(chosen.name, chosen.effective_from, False,
                            f"{chosen.name}, in effect from {chosen.effective_from.isoformat()}.",
                            f"{chosen.name}, ingangsdatum {_nl_date(chosen.effective_from)}.")
    chosen = ordered[0]
    return NormsApplied(
        chosen.name, chosen.effective_from, True,
        f"{as_of.isoformat()} lies before {chosen.name} took effect on {chosen.effective_from.isoformat()}:"
        " history entered after the fact, judged by these norms (no earlier norm set is configured).",
        f"{_nl_date(as_of)} ligt voor de ingangsdatum van de {chosen.name} ({_nl_date(chosen.effective_from)}):"
        " achteraf ingevoerde historie, getoetst aan deze normen (er is geen eerdere normenset ingesteld).",
    )
