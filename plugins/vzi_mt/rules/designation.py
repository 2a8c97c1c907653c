"""Aanduiding (certificatienormen §4): in opleiding, professional, expert, and the single
extension of i.o."""
from __future__ import annotations

from datetime import date

from plugins.vzi_mt.rules.experience import Experience
from plugins.vzi_mt.rules.norms import DESIGNATION_YEARS
from plugins.vzi_mt.rules.portfolio import Certification
from plugins.vzi_mt.rules.vocabulary import Designation, Level


def designate(level: str, years: Experience, areas: tuple[int, ...]) -> Designation:
    """Aanduiding from the experience that meets the level's criterion and the expertise areas.

    seed §4: MT3 "Tot 1 jaar" i.o., "1 tot 3 jaar" pro, "Meer dan 3 jaar werkervaring
    + minimaal 1 deskundigheidsgebied" expert; MT4/MT5 3 and 6 years. Dates are
    compared: i.o. until the first (third) anniversary; the third (sixth)
    anniversary itself is still "3 (6) jaar", not "meer dan".
    """
    professional_from, expert_after = DESIGNATION_YEARS[Level(level)]
    if not years.at_least(professional_from):
        return Designation.IN_TRAINING
    if years.more_than(expert_after) and areas:
        return Designation.EXPERT
    return Designation.PROFESSIONAL


def earlier_certifications(
    certifications: tuple[Certification, ...], period_start: date
) -> tuple[Certification, ...]:
    """Certifications granted before the period being evaluated, oldest first."""
    return tuple(sorted((c for c in certifications if c.start < period_start), key=lambda c: c.start))


def consecutive_in_training(earlier: tuple[Certification, ...], level: str) -> int:
    """How many of the latest certifications in a row were i.o. at ``level``."""
    count = 0
    for certification in reversed(earlier):
        if certification.level != level or certification.designation != Designation.IN_TRAINING:
            break
        count += 1
    return count
