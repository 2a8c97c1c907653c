"""Vrijgave (Leidraad Medische Technologie 2026, fase 5): what stops a device type from being
released for use."""
from __future__ import annotations

from dataclasses import dataclass

from plugins.leidraad.rules.vocabulary import NO_CLINICAL_APPROVAL, NO_COMPETENT_TECHNICIAN, NO_COMPETENT_USER, NO_PRI, NO_SCREENING, NO_TECHNICAL_APPROVAL


@dataclass(frozen=True)
class Missing:
    """An item the release (vrijgave) still lacks."""

    code: str
    message: str
    message_nl: str = ""  # for the Dutch web page and import reports; the API speaks English


def release_missing(
    has_screening: bool,
    pri_required: bool,
    has_pri_approval: bool,
    has_technical_approval: bool,
    has_clinical_approval: bool,
    competent_technicians: int,
    competent_users: int,
) -> list[Missing]:
    """Every item a device type still needs before release; empty: releasable.

    Leidraad Medische Technologie 2026, fase 5 vrijgave: "pas bij een volledig technisch en klinisch
    akkoord mag medische technologie in gebruik genomen worden".
    """
    missing = []
    if not has_screening:
        missing.append(Missing(NO_SCREENING, "No risk screening has been recorded.",
                               "Er is geen risicoscreening vastgelegd."))
    if pri_required and not has_pri_approval:
        missing.append(Missing(NO_PRI, "The policy requires a prospective risk inventory (PRI); none is approved.",
                               "Het beleid vereist een prospectieve risico-inventarisatie (PRI); er is geen "
                               "goedgekeurde."))
    if not has_technical_approval:
        missing.append(Missing(NO_TECHNICAL_APPROVAL, "No technical approval.", "Geen technisch akkoord."))
    if not has_clinical_approval:
        missing.append(Missing(NO_CLINICAL_APPROVAL, "No clinical approval.", "Geen klinisch akkoord."))
    if competent_technicians < 1:
        missing.append(Missing(NO_COMPETENT_TECHNICIAN, "No competent technician.", "Geen bekwame technicus."))
    if competent_users < 1:
        missing.append(Missing(NO_COMPETENT_USER, "No competent user.", "Geen bekwame gebruiker."))
    return missing
