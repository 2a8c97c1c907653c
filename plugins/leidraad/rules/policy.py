"""The hospital's policy: which method and repeat interval each risk class asks of each role,
checked and read from its stored form."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from plugins.leidraad.rules.levels import _check_level
from plugins.leidraad.rules.vocabulary import HIGH, INSTRUCTION, KEY_USER, LEVELS, LEVEL_SCORES, LOW, MEDIUM, METHODS, ROLES, TECHNICIAN, TRAINER, TRAINING, TRAINING_AND_ASSESSMENT, USER


MIN_INTERVAL_MONTHS, MAX_INTERVAL_MONTHS = 1, 240


MISSING = "Missing data for required field."  # same words as marshmallow


UNKNOWN = "Unknown field."


UNKNOWN_RISK_CLASS = f"Unknown risk class; expected one of {', '.join(LEVELS)}."


MIN_SUM = 4 * LEVEL_SCORES[LOW]  # four factors, each 1-3: sums 4..12


MAX_SUM = 4 * LEVEL_SCORES[HIGH]


class PolicyError(ValueError):
    """A policy that cannot be used; ``errors`` maps a dotted field path to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in sorted(errors.items()))
        )


def _add(errors: dict[str, list[str]], path: str, message: str) -> None:
    errors.setdefault(path, []).append(message)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


@dataclass(frozen=True)
class Requirement:
    """Bekwaamheidseis: how a competence must be obtained and how long it lasts.

    ``interval_months`` None means the competence does not expire.
    """

    method: str
    interval_months: int | None

    def __post_init__(self) -> None:
        errors = _requirement_errors(self.method, self.interval_months)
        if errors:
            raise PolicyError(errors)


def _requirement_errors(method: object, interval: object, prefix: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if method not in METHODS:
        _add(errors, _join(prefix, "method"), f"Must be one of: {', '.join(METHODS)}.")
    if interval is not None:
        if isinstance(interval, bool) or not isinstance(interval, int):
            _add(errors, _join(prefix, "interval_months"), "Not a valid integer.")
        elif not MIN_INTERVAL_MONTHS <= interval <= MAX_INTERVAL_MONTHS:
            # 0 months would expire a competence on the day it is obtained; more than
            # 20 years is no re-assessment at all and overflows date arithmetic.
            _add(
                errors,
                _join(prefix, "interval_months"),
                f"Must be between {MIN_INTERVAL_MONTHS} and {MAX_INTERVAL_MONTHS} months, or null for no expiry.",
            )
    return errors


def _band_errors(bands: Mapping[str, tuple[int, int]], prefix: str) -> dict[str, list[str]]:
    """The sum bands must be low, medium, high in order, covering 4..12 without gaps."""
    errors: dict[str, list[str]] = {}
    for name in bands:
        if name not in LEVEL_SCORES:
            _add(errors, _join(prefix, name), UNKNOWN_RISK_CLASS)
    for name in LEVELS:
        if name not in bands:
            _add(errors, _join(prefix, name), MISSING)
    if errors:
        return errors
    expected_min = MIN_SUM
    for name in LEVELS:
        low, high = bands[name]
        if low != expected_min:
            _add(
                errors,
                _join(prefix, f"{name}.min"),
                f"Must be {expected_min}: the bands must cover {MIN_SUM}..{MAX_SUM}"
                " without gaps or overlaps.",
            )
        if high < low:
            _add(errors, _join(prefix, f"{name}.max"), "Must not be below min.")
        expected_min = high + 1
    if not errors and bands[HIGH][1] != MAX_SUM:
        _add(errors, _join(prefix, f"{HIGH}.max"), f"Must be {MAX_SUM}, the highest possible sum.")
    return errors


def _matrix_errors(matrix: Mapping[str, Mapping[str, object]], prefix: str) -> dict[str, list[str]]:
    """Every risk class and, within it, every role must be present, nothing else."""
    errors: dict[str, list[str]] = {}
    for risk_class in matrix:
        if risk_class not in LEVEL_SCORES:
            _add(errors, _join(prefix, risk_class), UNKNOWN_RISK_CLASS)
    for risk_class in LEVELS:
        if risk_class not in matrix:
            _add(errors, _join(prefix, risk_class), MISSING)
            continue
        errors_for_roles = _role_errors(matrix[risk_class], _join(prefix, risk_class), complete=True)
        errors.update(errors_for_roles)
    return errors


def _role_errors(roles: Mapping[str, object], prefix: str, complete: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for role in roles:
        if role not in ROLES:
            _add(errors, _join(prefix, role), f"Unknown role; expected one of {', '.join(ROLES)}.")
    if complete:
        for role in ROLES:
            if role not in roles:
                _add(errors, _join(prefix, role), MISSING)
    return errors


@dataclass(frozen=True)
class ScreeningPolicy:
    """How the four screening scores become a risk class and when a PRI is needed.

    ``sum_bands`` maps each risk class to the (min, max) of the summed scores.
    ``product_risk_floor``: the class is at least the product risk (Leidraad
    Medische Technologie 2026, risicoscreening: "the higher of"). A prospective risk inventory (prospectieve
    risico-inventarisatie, PRI) is required when the class reaches
    ``pri_min_risk_class`` or the novelty reaches ``pri_min_novelty``; None
    switches that trigger off.
    """

    sum_bands: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: {LOW: (4, 6), MEDIUM: (7, 9), HIGH: (10, 12)}  # risicoscreening bands
    )
    product_risk_floor: bool = True
    pri_min_risk_class: str | None = HIGH
    pri_min_novelty: str | None = HIGH

    def __post_init__(self) -> None:
        bands = {name: (int(lo), int(hi)) for name, (lo, hi) in self.sum_bands.items()}
        object.__setattr__(self, "sum_bands", MappingProxyType(bands))
        errors = _band_errors(bands, "sum_bands")
        for name in ("pri_min_risk_class", "pri_min_novelty"):
            value = getattr(self, name)
            if value is not None and value not in LEVEL_SCORES:
                _add(errors, name, f"Must be one of: {', '.join(LEVELS)}, or null.")
        if errors:
            raise PolicyError(errors)


@dataclass(frozen=True)
class Policy:
    """Beleid: the institution's risk and competence policy (Leidraad Medische Technologie 2026, risicoscreening and bekwaamheidseisen).

    ``requirements[risk_class][role]`` is a :class:`Requirement`; every risk
    class and every role must be present.
    """

    screening: ScreeningPolicy
    requirements: Mapping[str, Mapping[str, Requirement]]

    def __post_init__(self) -> None:
        errors = _matrix_errors(self.requirements, "requirements")
        for risk_class, roles in self.requirements.items():
            for role, req in roles.items():
                if not isinstance(req, Requirement):
                    _add(errors, f"requirements.{risk_class}.{role}", "Must be a Requirement.")
        if errors:
            raise PolicyError(errors)
        frozen = {
            risk_class: MappingProxyType(dict(self.requirements[risk_class]))
            for risk_class in LEVELS
        }
        object.__setattr__(self, "requirements", MappingProxyType(frozen))


def _same_for(requirement_: Requirement, *roles: str) -> dict[str, Requirement]:
    return {role: requirement_ for role in roles}


# The default policy table of the Leidraad Medische Technologie 2026 (bekwaamheidseisen), cell by cell
DEFAULT_POLICY = Policy(
    screening=ScreeningPolicy(),
    requirements={
        HIGH: {
            USER: Requirement(TRAINING_AND_ASSESSMENT, 12),
            TECHNICIAN: Requirement(TRAINING_AND_ASSESSMENT, 24),
            **_same_for(Requirement(TRAINING_AND_ASSESSMENT, 12), KEY_USER, TRAINER),
        },
        MEDIUM: {
            USER: Requirement(TRAINING, 36),
            TECHNICIAN: Requirement(TRAINING_AND_ASSESSMENT, 36),
            **_same_for(Requirement(TRAINING_AND_ASSESSMENT, 24), KEY_USER, TRAINER),
        },
        LOW: {
            USER: Requirement(INSTRUCTION, None),
            TECHNICIAN: Requirement(TRAINING, None),
            **_same_for(Requirement(TRAINING, None), KEY_USER, TRAINER),
        },
    },
)


def requirement_to_dict(req: Requirement) -> dict:
    return {"method": req.method, "interval_months": req.interval_months}


def policy_to_dict(policy: Policy) -> dict:
    """The JSON body of ``GET /api/v1/leidraad/policy``."""
    screening = policy.screening
    return {
        "screening": {
            "sum_bands": {
                name: {"min": lo, "max": hi} for name, (lo, hi) in screening.sum_bands.items()
            },
            "product_risk_floor": screening.product_risk_floor,
            "pri_min_risk_class": screening.pri_min_risk_class,
            "pri_min_novelty": screening.pri_min_novelty,
        },
        "requirements": {
            risk_class: {role: requirement_to_dict(req) for role, req in roles.items()}
            for risk_class, roles in policy.requirements.items()
        },
    }


def _object(value: object, path: str, keys: Iterable[str], errors: dict) -> dict | None:
    """``value`` if it is a JSON object (None otherwise); records unknown and missing keys."""
    if not isinstance(value, dict):
        _add(errors, path or "_schema", "Must be an object.")
        return None
    for key in value:
        if key not in keys:
            _add(errors, _join(path, str(key)), UNKNOWN)
    for key in keys:
        if key not in value:
            _add(errors, _join(path, key), MISSING)
    return value


def _int(value: object, path: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        _add(errors, path, "Not a valid integer.")
        return None
    return value


def _parse_bands(data: object, path: str, errors: dict) -> dict[str, tuple[int, int]]:
    if not isinstance(data, dict):
        _add(errors, path, "Must be an object.")
        return {}
    before = len(errors)
    bands: dict[str, tuple[int, int]] = {}
    for name, band in data.items():
        band_path = _join(path, str(name))
        band_obj = _object(band, band_path, ("min", "max"), errors)
        if band_obj is None or "min" not in band_obj or "max" not in band_obj:
            continue
        lo = _int(band_obj["min"], _join(band_path, "min"), errors)
        hi = _int(band_obj["max"], _join(band_path, "max"), errors)
        if lo is not None and hi is not None:
            bands[name] = (lo, hi)
    if len(errors) == before:  # contiguity only makes sense on well-formed bands
        errors.update(_band_errors(bands, path))
    return bands


def _parse_screening(data: object, path: str, errors: dict) -> ScreeningPolicy | None:
    keys = ("sum_bands", "product_risk_floor", "pri_min_risk_class", "pri_min_novelty")
    obj = _object(data, path, keys, errors)
    if obj is None:
        return None
    before = len(errors)
    bands = _parse_bands(obj.get("sum_bands"), _join(path, "sum_bands"), errors) if "sum_bands" in obj else {}
    if "product_risk_floor" in obj and not isinstance(obj["product_risk_floor"], bool):
        _add(errors, _join(path, "product_risk_floor"), "Not a valid boolean.")
    for name in ("pri_min_risk_class", "pri_min_novelty"):
        if name in obj and obj[name] is not None and obj[name] not in LEVEL_SCORES:
            _add(errors, _join(path, name), f"Must be one of: {', '.join(LEVELS)}, or null.")
    if len(errors) != before:
        return None
    return ScreeningPolicy(
        sum_bands=bands,
        product_risk_floor=obj["product_risk_floor"],
        pri_min_risk_class=obj["pri_min_risk_class"],
        pri_min_novelty=obj["pri_min_novelty"],
    )


def _parse_requirement(data: object, path: str, errors: dict) -> Requirement | None:
    obj = _object(data, path, ("method", "interval_months"), errors)
    if obj is None:
        return None
    cell_errors = _requirement_errors(obj.get("method"), obj.get("interval_months"), path)
    if "method" not in obj:
        cell_errors.pop(_join(path, "method"), None)  # already reported as missing
    if cell_errors:
        errors.update(cell_errors)
        return None
    if "method" not in obj or "interval_months" not in obj:
        return None
    return Requirement(obj["method"], obj["interval_months"])


def _parse_roles(data: object, path: str, errors: dict, complete: bool) -> dict[str, Requirement]:
    if not isinstance(data, dict):
        _add(errors, path or "_schema", "Must be an object.")
        return {}
    errors.update(_role_errors(data, path, complete))
    parsed = {}
    for role, cell in data.items():
        if role in ROLES:
            req = _parse_requirement(cell, _join(path, role), errors)
            if req is not None:
                parsed[role] = req
    return parsed


def _parse_requirements(data: object, path: str, errors: dict) -> dict[str, dict[str, Requirement]]:
    if not isinstance(data, dict):
        _add(errors, path, "Must be an object.")
        return {}
    matrix = {}
    for risk_class, roles in data.items():
        if risk_class in LEVEL_SCORES:
            matrix[risk_class] = _parse_roles(roles, _join(path, risk_class), errors, complete=True)
        else:
            _add(errors, _join(path, str(risk_class)), UNKNOWN_RISK_CLASS)
    for risk_class in LEVELS:
        if risk_class not in data:
            _add(errors, _join(path, risk_class), MISSING)
    return matrix


def policy_from_dict(data: object) -> Policy:
    """Read and validate the body of ``PUT /api/v1/leidraad/policy``.

    Raises :class:`PolicyError` naming every bad field by its dotted path,
    e.g. ``requirements.high.user.interval_months``.
    """
    errors: dict[str, list[str]] = {}
    obj = _object(data, "", ("screening", "requirements"), errors)
    if obj is None:
        raise PolicyError(errors)
    screening = _parse_screening(obj["screening"], "screening", errors) if "screening" in obj else None
    matrix = (
        _parse_requirements(obj["requirements"], "requirements", errors)
        if "requirements" in obj
        else None
    )
    if errors or screening is None or matrix is None:
        raise PolicyError(errors)
    return Policy(screening=screening, requirements=matrix)


def override_from_dict(data: object) -> dict[str, Requirement]:
    """Read a device type's override: a partial mapping role -> requirement.

    Same cell shape as the policy, e.g. ``{"user": {"method": "training",
    "interval_months": 24}}``; roles left out follow the policy.
    """
    errors: dict[str, list[str]] = {}
    parsed = _parse_roles(data, "", errors, complete=False)
    if errors:
        raise PolicyError(errors)
    return parsed


def override_to_dict(override: Mapping[str, Requirement]) -> dict:
    return {role: requirement_to_dict(req) for role, req in override.items()}


def requirement(
    policy: Policy,
    risk_class: str,
    role: str,
    override: Mapping[str, Requirement] | None = None,
) -> Requirement:
    """The requirement for ``role`` on a device type of ``risk_class``.

    A per-device-type override (a hospital may set a stricter requirement for one type) wins
    over the institution's policy for the roles it names.
    """
    _check_level(risk_class, "risk class")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if override and role in override:
        return override[role]
    return policy.requirements[risk_class][role]
