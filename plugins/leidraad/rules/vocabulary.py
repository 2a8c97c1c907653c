"""The Leidraad's vocabulary: risk levels, competence roles, methods, device classes and the codes
of findings and release checks (the contract strings of the API)."""
from __future__ import annotations

from types import MappingProxyType


LOW, MEDIUM, HIGH = "low", "medium", "high"


LEVELS = (LOW, MEDIUM, HIGH)


LEVEL_SCORES = MappingProxyType({LOW: 1, MEDIUM: 2, HIGH: 3})  # Leidraad Medische Technologie 2026, risicoscreening: 1-3


RISK_CLASSES = LEVELS


USER, KEY_USER, TECHNICIAN, TRAINER = "user", "key_user", "technician", "trainer"


ROLES = (USER, KEY_USER, TECHNICIAN, TRAINER)


INSTRUCTION, TRAINING, TRAINING_AND_ASSESSMENT = (
    "instruction",
    "training",
    "training_and_assessment",
)


# Leidraad Medische Technologie 2026, bekwaamheidseisen: ordered instruction < training < training_and_assessment
METHODS = (INSTRUCTION, TRAINING, TRAINING_AND_ASSESSMENT)


MDR_CLASSES = ("I", "IIa", "IIb", "III")


IVDR_CLASSES = ("A", "B", "C", "D")


DEVICE_CLASSES = MDR_CLASSES + IVDR_CLASSES


# Leidraad Medische Technologie 2026, risicoscreening: default product risk from the MDR / IVDR class
_PRODUCT_RISK = MappingProxyType(
    {
        "I": LOW,
        "IIa": MEDIUM,
        "IIb": HIGH,
        "III": HIGH,
        "A": LOW,
        "B": MEDIUM,
        "C": HIGH,
        "D": HIGH,
    }
)


# competence_state() results
COMPETENT, EXPIRING, EXPIRED, NOT_YET_VALID = (
    "competent",
    "expiring",
    "expired",
    "not_yet_valid",
)


DEFAULT_HORIZON_DAYS = 90  # the first warning horizon of the alerts


# Finding codes (reasons in can-perform answers)
NOT_SCREENED = "not_screened"


COMPETENCE_MISSING = "competence_missing"


COMPETENCE_EXPIRED = "competence_expired"


METHOD_INSUFFICIENT = "method_insufficient"


REINSTRUCTION_DUE = "reinstruction_due"


NOT_RELEASED_SINCE_RESCREENING = "not_released_since_rescreening"


# Release check codes (the API's release-check `missing`)
NO_SCREENING = "no_screening"


NO_PRI = "no_pri"


NO_TECHNICAL_APPROVAL = "no_technical_approval"


NO_CLINICAL_APPROVAL = "no_clinical_approval"


NO_COMPETENT_TECHNICIAN = "no_competent_technician"


NO_COMPETENT_USER = "no_competent_user"


# recompute_changes() / method_changes() codes
EXPIRY_SHORTENED = "expiry_shortened"
