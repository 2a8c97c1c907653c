"""The Leidraad Medische Technologie 2026 as pure rules.

Risk screening (risicoscreening), the competence requirements per risk class
(bekwaamheidseisen), competence states, safety-notice re-instruction, the
release check (vrijgave) and the lifecycle (levensloop) of a device type.

Everything here takes plain values (``datetime.date``, ``str`` constants, small
frozen dataclasses) and returns plain values: no Flask, no database, no I/O.
Sources are cited by name: the Leidraad Medische Technologie 2026 (risicoscreening,
bekwaamheidseisen, levensloop), read from its Dutch summary (Bijlage Samenvatting).
"""

# ruff: noqa: F401 - the package re-exports every name of its modules (callers and tests import them from here)
from __future__ import annotations

from core.dates import add_months
from plugins.leidraad.rules.vocabulary import (
    COMPETENCE_EXPIRED,
    COMPETENCE_MISSING,
    COMPETENT,
    DEFAULT_HORIZON_DAYS,
    DEVICE_CLASSES,
    EXPIRED,
    EXPIRING,
    EXPIRY_SHORTENED,
    HIGH,
    INSTRUCTION,
    IVDR_CLASSES,
    KEY_USER,
    LEVELS,
    LEVEL_SCORES,
    LOW,
    MDR_CLASSES,
    MEDIUM,
    METHODS,
    METHOD_INSUFFICIENT,
    NOT_RELEASED_SINCE_RESCREENING,
    NOT_SCREENED,
    NOT_YET_VALID,
    NO_CLINICAL_APPROVAL,
    NO_COMPETENT_TECHNICIAN,
    NO_COMPETENT_USER,
    NO_PRI,
    NO_SCREENING,
    NO_TECHNICAL_APPROVAL,
    REINSTRUCTION_DUE,
    RISK_CLASSES,
    ROLES,
    TECHNICIAN,
    TRAINER,
    TRAINING,
    TRAINING_AND_ASSESSMENT,
    USER,
    _PRODUCT_RISK,
)
from plugins.leidraad.rules.lifecycle import (
    LIFECYCLE_PHASES,
    LifecyclePhase,
    PHASE_USE,
    lifecycle_phase,
    may_enter_phase,
)
from plugins.leidraad.rules.expiry import (
    competence_state,
    expires_on,
    is_valid_on,
)
from plugins.leidraad.rules.levels import (
    _check_level,
    higher_level,
    level_at_least,
    method_sufficient,
    product_risk_for_class,
)
from plugins.leidraad.rules.release import (
    Missing,
    release_missing,
)
from plugins.leidraad.rules.rescreening import (
    ReleaseEvent,
    ScreeningEvent,
    raises_use_question,
    suspended_since,
)
from plugins.leidraad.rules.policy import (
    DEFAULT_POLICY,
    MAX_INTERVAL_MONTHS,
    MAX_SUM,
    MIN_INTERVAL_MONTHS,
    MIN_SUM,
    MISSING,
    Policy,
    PolicyError,
    Requirement,
    ScreeningPolicy,
    UNKNOWN,
    UNKNOWN_RISK_CLASS,
    _add,
    _band_errors,
    _int,
    _join,
    _matrix_errors,
    _object,
    _parse_bands,
    _parse_requirement,
    _parse_requirements,
    _parse_roles,
    _parse_screening,
    _requirement_errors,
    _role_errors,
    _same_for,
    override_from_dict,
    override_to_dict,
    policy_from_dict,
    policy_to_dict,
    requirement,
    requirement_to_dict,
)
from plugins.leidraad.rules.recompute import (
    ExpiryChange,
    NonCompliance,
    _shortened,
    method_changes,
    recompute_changes,
)
from plugins.leidraad.rules.screening import (
    ScreeningOutcome,
    screen,
    sum_class,
)
from plugins.leidraad.rules.findings import (
    CompetenceRecord,
    Finding,
    METHOD_NL,
    ROLE_NL,
    SafetyNotice,
    _notices,
    _overdue_notices,
    _records,
    competence_findings,
)
