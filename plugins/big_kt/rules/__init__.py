"""Rules for the klinisch technoloog (clinical technologist, KT) under the Wet BIG.

Pure functions over plain values (dates, Decimals, frozen dataclasses): no Flask,
no database. Each rule cites its source: the seed texts in ``shared/seeds``
(the Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog,
the accreditation report of the MSc Technical Medicine), the Wet BIG and its Besluiten.

Conventions:
- hours are ``Decimal`` with two places; domain dates are ``datetime.date``;
- a period written ``[start, end]`` includes both days; a re-registration or
  quality-register period ``[start, due)`` ends the day before ``due``;
- a restriction or measure with an end date still applies *on* that date and no
  longer the day after ("ended yesterday" no longer applies today).
"""

# ruff: noqa: F401 - the package re-exports every name of its modules (callers and tests import them from here)
from __future__ import annotations

from core.dates import add_months as _add_months
from core.dates import within as _within
from core.dates import add_years
from core.dates import periods_overlap
from plugins.big_kt.rules.vocabulary import (
    KNOWN_TRACKS,
    PROFESSION_REGISTERED_SINCE,
    RECOGNITION_OUTCOMES,
    RESERVED_PROCEDURES,
    SIGNED_OFF_METHOD,
    STATUSES,
    TWO_PLACES,
    _BIG_NUMBER,
)
from plugins.big_kt.rules.numbers import (
    format_hours,
    format_hours_nl,
)
from plugins.big_kt.rules.registration import (
    DEFAULT_CONFIG,
    Registration,
    ReregistrationConfig,
    _check_dates,
    _check_diploma_age,
    _check_foreign_diploma,
    _check_restriction,
    _in_effect_on,
    diploma_recognised_on,
    effective_status,
    is_registered_on,
    registration_effective_on,
    registration_errors,
    restriction_applies,
    restriction_covers,
    status_change_errors,
    status_since_default,
    valid_big_number,
)
from plugins.big_kt.rules.reregistration import (
    EARLIEST_DATE,
    HOURS_PER_DAY,
    LATEST_DATE,
    MAX_RECORD_HOURS,
    MissedReregistration,
    Reregistration,
    WorkHours,
    current_period,
    date_in_bounds,
    first_period_start,
    hours_in,
    hours_in_bounds,
    missed_reregistration,
    reregistration,
    reregistration_warning_dates,
    work_hours_errors,
)
from plugins.big_kt.rules.independence import (
    Finding,
    INDEPENDENCE_CODES,
    ProcedureCompetence,
    _finding,
    _procedure_finding,
    _protocol_finding,
    _recognition_finding,
    _registration_finding,
    _reregistration_finding,
    _restriction_finding,
    _subdomain_finding,
    competence_current,
    competence_shortfalls,
    competence_shortfalls_nl,
    procedure_nl,
    independence_findings,
    may_act_independently,
    procedure_competence_finding,
)
from plugins.big_kt.rules.quality_register import (
    QUALITY_A_POINTS,
    QUALITY_PERIOD_YEARS,
    QUALITY_POINTS,
    QualityActivity,
    QualityRegisterResult,
    quality_register,
)
from plugins.big_kt.rules.evaluation import (
    Evaluation,
    Unmet,
    _independent_at_all,
    _quality_unmet,
    _registration_unmet,
    _reregistration_unmet,
    evaluation,
)
