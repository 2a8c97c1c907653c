"""Risk levels and training methods, ordered (Leidraad Medische Technologie 2026, risicoclassificatie)."""
from __future__ import annotations

from plugins.leidraad.rules.vocabulary import DEVICE_CLASSES, LEVELS, LEVEL_SCORES, METHODS, _PRODUCT_RISK


def _check_level(value: str, what: str) -> str:
    if value not in LEVEL_SCORES:
        raise ValueError(f"{what} must be one of {', '.join(LEVELS)}, not {value!r}")
    return value


def higher_level(a: str, b: str) -> str:
    """The higher of two levels (low < medium < high)."""
    return a if LEVEL_SCORES[a] >= LEVEL_SCORES[b] else b


def level_at_least(value: str, minimum: str | None) -> bool:
    """Whether ``value`` reaches ``minimum``; a None minimum is never reached."""
    return minimum is not None and LEVEL_SCORES[value] >= LEVEL_SCORES[minimum]


def product_risk_for_class(mdr_class: str) -> str:
    """Productrisico: default product risk from an MDR or IVDR class (Leidraad Medische Technologie 2026, risicoscreening)."""
    try:
        return _PRODUCT_RISK[mdr_class]
    except KeyError:
        raise ValueError(
            f"unknown MDR/IVDR class {mdr_class!r}; expected one of {', '.join(DEVICE_CLASSES)}"
        ) from None


def method_sufficient(method: str, required_method: str) -> bool:
    """Whether a competence obtained by ``method`` meets ``required_method``.

    Leidraad Medische Technologie 2026, bekwaamheidseisen: instruction < training < training_and_assessment.
    """
    for value in (method, required_method):
        if value not in METHODS:
            raise ValueError(f"unknown method {value!r}; expected one of {', '.join(METHODS)}")
    return METHODS.index(method) >= METHODS.index(required_method)
