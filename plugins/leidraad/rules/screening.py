"""Risicoscreening (Leidraad Medische Technologie 2026, fase 2): the risk class of a device type
from its scores."""
from __future__ import annotations

from dataclasses import dataclass

from plugins.leidraad.rules.levels import _check_level, higher_level, level_at_least
from plugins.leidraad.rules.policy import DEFAULT_POLICY, MAX_SUM, MIN_SUM, Policy, ScreeningPolicy
from plugins.leidraad.rules.vocabulary import LEVEL_SCORES


@dataclass(frozen=True)
class ScreeningOutcome:
    """Uitkomst risicoscreening: summed score, risk class and whether a PRI is needed."""

    score_sum: int
    risk_class: str
    pri_required: bool


def sum_class(score_sum: int, screening: ScreeningPolicy) -> str:
    """The risk class whose band holds ``score_sum`` (Leidraad Medische Technologie 2026, risicoscreening: 4-6, 7-9, 10-12)."""
    for name, (lo, hi) in screening.sum_bands.items():
        if lo <= score_sum <= hi:
            return name
    raise ValueError(f"score sum {score_sum} outside {MIN_SUM}..{MAX_SUM}")


def screen(
    product_risk: str,
    usage_context: str,
    novelty: str,
    impact: str,
    policy: Policy = DEFAULT_POLICY,
    *,
    new_or_adapted_use: bool = False,
    new_risk_insights: bool = False,
) -> ScreeningOutcome:
    """Risicoscreening of a device type on four factors, each low/medium/high.

    Leidraad Medische Technologie 2026, risicomanagement: "productrisico,
    gebruikscontext, mate van vernieuwing en impact op specifieke
    deskundigheidsgebieden". A PRI is required by the policy's class and
    novelty triggers and, whatever the policy, "bij nieuwe of aangepaste
    toepassingen en bij nieuwe inzichten die leiden tot een verhoogd risico"
    (``new_or_adapted_use``, ``new_risk_insights``).
    """
    factors = {
        "product_risk": product_risk,
        "usage_context": usage_context,
        "novelty": novelty,
        "impact": impact,
    }
    for name, value in factors.items():
        _check_level(value, name)
    rules = policy.screening
    score_sum = sum(LEVEL_SCORES[value] for value in factors.values())
    risk_class = sum_class(score_sum, rules)
    if rules.product_risk_floor:  # risicoscreening: the higher of product risk and sum class
        risk_class = higher_level(risk_class, product_risk)
    pri_required = (
        level_at_least(risk_class, rules.pri_min_risk_class)
        or level_at_least(novelty, rules.pri_min_novelty)
        or new_or_adapted_use is True
        or new_risk_insights is True
    )
    return ScreeningOutcome(score_sum, risk_class, pri_required)
