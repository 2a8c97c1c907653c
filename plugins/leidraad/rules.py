"""The Leidraad Medische Technologie 2026 as pure rules.

Risk screening (risicoscreening), the competence requirements per risk class
(bekwaamheidseisen), competence states, safety-notice re-instruction, the
release check (vrijgave) and the lifecycle (levensloop) of a device type.

Everything here takes plain values (``datetime.date``, ``str`` constants, small
frozen dataclasses) and returns plain values: no Flask, no database, no I/O.
Sources are cited as ``# SPEC 5.x`` (../shared/SPEC.md) and ``# seed 002``
(the Dutch summary of the Leidraad).
"""

from __future__ import annotations

import calendar
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

# --------------------------------------------------------------------------
# Vocabulary (SPEC 8.2 contract strings)
# --------------------------------------------------------------------------

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVELS = (LOW, MEDIUM, HIGH)
LEVEL_SCORES = MappingProxyType({LOW: 1, MEDIUM: 2, HIGH: 3})  # SPEC 5.1: 1-3
RISK_CLASSES = LEVELS

USER, KEY_USER, TECHNICIAN, TRAINER = "user", "key_user", "technician", "trainer"
ROLES = (USER, KEY_USER, TECHNICIAN, TRAINER)

INSTRUCTION, TRAINING, TRAINING_AND_ASSESSMENT = (
    "instruction",
    "training",
    "training_and_assessment",
)
# SPEC 5.2: ordered instruction < training < training_and_assessment
METHODS = (INSTRUCTION, TRAINING, TRAINING_AND_ASSESSMENT)

MDR_CLASSES = ("I", "IIa", "IIb", "III")
IVDR_CLASSES = ("A", "B", "C", "D")
DEVICE_CLASSES = MDR_CLASSES + IVDR_CLASSES

# SPEC 5.1: default product risk from the MDR / IVDR class
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
DEFAULT_HORIZON_DAYS = 90  # SPEC 6: first warning horizon

# Finding codes (reasons in can-perform answers)
NOT_SCREENED = "not_screened"
COMPETENCE_MISSING = "competence_missing"
COMPETENCE_EXPIRED = "competence_expired"
METHOD_INSUFFICIENT = "method_insufficient"
REINSTRUCTION_DUE = "reinstruction_due"
NOT_RELEASED_SINCE_RESCREENING = "not_released_since_rescreening"

# Release check codes (SPEC 8.2 release-check `missing`)
NO_SCREENING = "no_screening"
NO_PRI = "no_pri"
NO_TECHNICAL_APPROVAL = "no_technical_approval"
NO_CLINICAL_APPROVAL = "no_clinical_approval"
NO_COMPETENT_TECHNICIAN = "no_competent_technician"
NO_COMPETENT_USER = "no_competent_user"

# recompute_changes() / method_changes() codes
EXPIRY_SHORTENED = "expiry_shortened"


# --------------------------------------------------------------------------
# Lifecycle (levensloop)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LifecyclePhase:
    """Levensfase: one of the seven phases of a technology's life."""

    number: int
    code: str
    name_en: str
    name_nl: str


# seed 002, "Levensloop" 1-7; SPEC 5.4
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
    hospital can fill in the lifecycle in its own risk-based way (seed 002:
    "ruimte biedend voor een risicogestuurde en lokale invulling").
    """
    lifecycle_phase(current_phase)
    lifecycle_phase(target_phase)
    if target_phase == PHASE_USE:  # SPEC 5.4 / seed 002 phase 5
        return released
    return True


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months, clamped to the end of the month.

    SPEC 5.2: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year).
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def expires_on(obtained_on: date, interval_months: int | None) -> date | None:
    """Expiry of a competence obtained on ``obtained_on``; None: no expiry."""
    if interval_months is None:
        return None
    return add_months(obtained_on, interval_months)


def is_valid_on(obtained_on: date, expiry: date | None, on: date) -> bool:
    """SPEC 5.2: valid on day d when obtained_on <= d < expires_on."""
    return obtained_on <= on and (expiry is None or on < expiry)


def competence_state(
    obtained_on: date,
    expires_on: date | None,
    on: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> str:
    """State of one competence (bekwaamheid) record on day ``on``.

    ``not_yet_valid`` before ``obtained_on``; ``expired`` from ``expires_on``
    on; ``expiring`` when at most ``horizon_days`` days are left before the
    expiry; otherwise ``competent``.
    """
    if horizon_days < 0:
        raise ValueError("horizon_days must not be negative")
    if on < obtained_on:
        return NOT_YET_VALID
    if expires_on is None:
        return COMPETENT
    if on >= expires_on:
        return EXPIRED
    if (expires_on - on).days <= horizon_days:
        return EXPIRING
    return COMPETENT


# --------------------------------------------------------------------------
# Levels and methods
# --------------------------------------------------------------------------


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
    """Productrisico: default product risk from an MDR or IVDR class (SPEC 5.1)."""
    try:
        return _PRODUCT_RISK[mdr_class]
    except KeyError:
        raise ValueError(
            f"unknown MDR/IVDR class {mdr_class!r}; expected one of {', '.join(DEVICE_CLASSES)}"
        ) from None


def method_sufficient(method: str, required_method: str) -> bool:
    """Whether a competence obtained by ``method`` meets ``required_method``.

    SPEC 5.2: instruction < training < training_and_assessment.
    """
    for value in (method, required_method):
        if value not in METHODS:
            raise ValueError(f"unknown method {value!r}; expected one of {', '.join(METHODS)}")
    return METHODS.index(method) >= METHODS.index(required_method)


# --------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------

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
    ``product_risk_floor``: the class is at least the product risk (SPEC 5.1
    "the higher of"). A prospective risk inventory (prospectieve
    risico-inventarisatie, PRI) is required when the class reaches
    ``pri_min_risk_class`` or the novelty reaches ``pri_min_novelty``; None
    switches that trigger off.
    """

    sum_bands: Mapping[str, tuple[int, int]] = field(
        default_factory=lambda: {LOW: (4, 6), MEDIUM: (7, 9), HIGH: (10, 12)}  # SPEC 5.1
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
    """Beleid: the institution's risk and competence policy (SPEC 5.1, 5.2).

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


# SPEC 5.2 default policy table, cell by cell
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

    A per-device-type override (SPEC 5.2 "per device type override") wins
    over the institution's policy for the roles it names.
    """
    _check_level(risk_class, "risk class")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if override and role in override:
        return override[role]
    return policy.requirements[risk_class][role]


# --------------------------------------------------------------------------
# Screening (risicoscreening)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningOutcome:
    """Uitkomst risicoscreening: summed score, risk class and whether a PRI is needed."""

    score_sum: int
    risk_class: str
    pri_required: bool


def sum_class(score_sum: int, screening: ScreeningPolicy) -> str:
    """The risk class whose band holds ``score_sum`` (SPEC 5.1: 4-6, 7-9, 10-12)."""
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
    if rules.product_risk_floor:  # SPEC 5.1: the higher of product risk and sum class
        risk_class = higher_level(risk_class, product_risk)
    pri_required = (
        level_at_least(risk_class, rules.pri_min_risk_class)
        or level_at_least(novelty, rules.pri_min_novelty)
        or new_or_adapted_use is True
        or new_risk_insights is True
    )
    return ScreeningOutcome(score_sum, risk_class, pri_required)


# --------------------------------------------------------------------------
# Competence findings
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A reason in a can-perform answer: ``ok`` True supports a yes."""

    ok: bool
    code: str
    message: str


@dataclass(frozen=True)
class CompetenceRecord:
    """One registered competence (bekwaamheid) of a person for a device type and role."""

    obtained_on: date
    method: str
    expires_on: date | None


@dataclass(frozen=True)
class SafetyNotice:
    """Veiligheidsmelding / recall requiring re-instruction (herinstructie) by a date."""

    issued_on: date
    reinstruct_by: date

    def __post_init__(self) -> None:
        if self.reinstruct_by < self.issued_on:
            raise ValueError("reinstruct_by must not be before issued_on")


def _records(records: Iterable[CompetenceRecord | tuple]) -> list[CompetenceRecord]:
    return [r if isinstance(r, CompetenceRecord) else CompetenceRecord(*r) for r in records]


def _notices(notices: Iterable[SafetyNotice | tuple]) -> list[SafetyNotice]:
    return [n if isinstance(n, SafetyNotice) else SafetyNotice(*n) for n in notices]


def _overdue_notices(
    notices: list[SafetyNotice], records: list[CompetenceRecord], on: date
) -> list[SafetyNotice]:
    """Notices whose re-instruction date has passed (on > reinstruct_by) without a
    competence obtained on or after the notice date (and not after ``on``)."""
    return [
        notice
        for notice in notices
        if on > notice.reinstruct_by
        and not any(notice.issued_on <= r.obtained_on <= on for r in records)
    ]


def competence_findings(
    risk_class: str | None,
    role: str,
    records: Iterable[CompetenceRecord | tuple],
    on: date,
    *,
    policy: Policy = DEFAULT_POLICY,
    override: Mapping[str, Requirement] | None = None,
    safety_notices: Iterable[SafetyNotice | tuple] = (),
) -> list[Finding]:
    """Is a person competent (bekwaam) for a device type in ``role`` on ``on``?

    ``risk_class`` is the device type's class on that date (None: never
    screened); ``records`` are the person's competences for that device type
    and role as ``(obtained_on, method, expires_on)``; ``safety_notices`` are
    the device type's notices as ``(issued_on, reinstruct_by)``.

    Exactly one finding is ``ok`` (``competent``) when the person is
    competent; otherwise every finding is not ok:

    - ``not_screened`` alone when there is no risk class (SPEC 5.2);
    - ``method_insufficient`` when a valid record's method is below the
      requirement, and ``competence_expired`` when a record with a sufficient
      method has expired — both may appear;
    - ``competence_missing`` when neither applies;
    - ``reinstruction_due``, one per overdue safety notice, replaces
      ``competent`` for someone otherwise competent.
    """
    if risk_class is None:
        message = "The device type has not been risk-screened; nobody is competent for it yet."
        return [Finding(False, NOT_SCREENED, message)]
    req = requirement(policy, risk_class, role, override)
    recs = _records(records)
    valid = [r for r in recs if is_valid_on(r.obtained_on, r.expires_on, on)]
    sufficient = [r for r in valid if method_sufficient(r.method, req.method)]
    if sufficient:
        overdue = _overdue_notices(_notices(safety_notices), recs, on)
        if overdue:
            return [
                Finding(
                    False,
                    REINSTRUCTION_DUE,
                    f"Re-instruction after the safety notice of {n.issued_on.isoformat()} "
                    f"was due by {n.reinstruct_by.isoformat()}.",
                )
                for n in overdue
            ]
        best = max(sufficient, key=lambda r: (r.expires_on is None, r.expires_on or date.min))
        until = f"until {best.expires_on.isoformat()}" if best.expires_on else "without expiry"
        return [Finding(True, COMPETENT, f"Competent as {role} by {best.method}, {until}.")]

    findings = []
    if valid:
        best_method = max((r.method for r in valid), key=METHODS.index)
        findings.append(
            Finding(False, METHOD_INSUFFICIENT, f"{best_method} is below the required {req.method}.")
        )
    expired = [
        r
        for r in recs
        if r.expires_on is not None
        and r.obtained_on <= on
        and r.expires_on <= on
        and method_sufficient(r.method, req.method)
    ]
    if expired:
        last = max(r.expires_on for r in expired)
        message = f"The competence as {role} expired on {last.isoformat()}."
        findings.append(Finding(False, COMPETENCE_EXPIRED, message))
    if not findings:
        findings.append(
            Finding(
                False,
                COMPETENCE_MISSING,
                f"No competence as {role} by {req.method} or higher is registered.",
            )
        )
    return findings


# --------------------------------------------------------------------------
# Release (vrijgave)
# --------------------------------------------------------------------------


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

    SPEC 5.4; seed 002 phase 5: "pas bij een volledig technisch en klinisch
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


# --------------------------------------------------------------------------
# Re-screening after release
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Recomputing after a change of risk class or policy
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryChange:
    """A competence's expiry before and after a change of risk class or policy."""

    key: Hashable
    old_expires_on: date | None
    new_expires_on: date | None


@dataclass(frozen=True)
class NonCompliance:
    """A competence that the change makes non-compliant from ``from_date`` on."""

    key: Hashable
    code: str
    from_date: date
    message: str


def _shortened(old: date | None, new: date | None) -> bool:
    return new is not None and (old is None or new < old)


def recompute_changes(
    changes: Iterable[ExpiryChange | tuple],
    effective_on: date,
    until: date | None = None,
) -> list[NonCompliance]:
    """Who becomes non-compliant because their expiry moved earlier, and from when.

    A competence is reported when, on ``effective_on`` (the day the new class
    or policy applies), it was still valid under its old expiry and the new
    expiry is earlier than the old one (an expiry of None is later than any
    date). It is non-compliant from the new expiry, or from ``effective_on``
    when the new expiry has already passed: never retroactively. With
    ``until``, only those non-compliant on or before ``until`` are reported.
    Sorted by date, then key order of input.
    """
    result = []
    for change in changes:
        if not isinstance(change, ExpiryChange):
            change = ExpiryChange(*change)
        old, new = change.old_expires_on, change.new_expires_on
        if not _shortened(old, new):
            continue
        if old is not None and old <= effective_on:
            continue  # already expired before the change
        from_date = max(new, effective_on)
        if until is not None and from_date > until:
            continue
        old_text = old.isoformat() if old else "no expiry"
        result.append(
            NonCompliance(
                change.key,
                EXPIRY_SHORTENED,
                from_date,
                f"Expiry moved from {old_text} to {new.isoformat()}.",
            )
        )
    return sorted(result, key=lambda n: n.from_date)


def method_changes(
    methods: Iterable[tuple[Hashable, str]],
    old_required: str,
    new_required: str,
    effective_on: date,
) -> list[NonCompliance]:
    """Competences whose method met the old requirement but not the new one.

    ``methods`` are ``(key, method)`` of the competences valid on
    ``effective_on``; each such competence is non-compliant from that day.
    """
    return [
        NonCompliance(
            key,
            METHOD_INSUFFICIENT,
            effective_on,
            f"{method} is below the newly required {new_required}.",
        )
        for key, method in methods
        if method_sufficient(method, old_required) and not method_sufficient(method, new_required)
    ]
