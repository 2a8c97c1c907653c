"""The levensloop of medical technology (Leidraad Medische Technologie 2026, fasen 1-7)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LifecyclePhase:
    """Levensfase: one of the seven phases of a technology's life."""

    number: int
    code: str
    name_en: str
    name_nl: str


# Leidraad Medische Technologie 2026, "Levensloop" 1-7
LIFECYCLE_PHASES = (
    LifecyclePhase(1, "needs_assessment", "Needs assessment", "Behoeftebepaling"),
    LifecyclePhase(2, "risk_screening", "Risk screening / PRI", "Risicoscreening / PRI"),
    LifecyclePhase(3, "procurement", "Procurement", "Verwerving"),
    LifecyclePhase(4, "implementation", "Implementation", "Implementatie"),
    LifecyclePhase(5, "release", "Release", "Vrijgave"),
    LifecyclePhase(6, "use_and_maintenance", "Use and maintenance", "Gebruik en instandhouding"),
    LifecyclePhase(
        7,
        "decommissioning",
        "Decommissioning and disposal",
        "Buitengebruikstellen en afvoer",
    ),
)


PHASE_USE = 6


def lifecycle_phase(number: int) -> LifecyclePhase:
    """The phase with this number (1-7); ValueError otherwise."""
    if isinstance(number, bool) or number not in range(1, len(LIFECYCLE_PHASES) + 1):
        raise ValueError(f"unknown lifecycle phase {number!r}; expected 1-7")
    return LIFECYCLE_PHASES[number - 1]


def may_enter_phase(current_phase: int, target_phase: int, released: bool) -> bool:
    """Whether a device type may move from ``current_phase`` to ``target_phase``.

    Only one transition is guarded: phase 6, use and maintenance (gebruik en
    instandhouding), needs a release (vrijgave). Other moves are free, so a
    hospital can fill in the lifecycle in its own risk-based way (Leidraad Medische Technologie 2026:
    "ruimte biedend voor een risicogestuurde en lokale invulling").
    """
    lifecycle_phase(current_phase)
    lifecycle_phase(target_phase)
    if target_phase == PHASE_USE:  # Leidraad Medische Technologie 2026, fase 5 vrijgave
        return released
    return True
