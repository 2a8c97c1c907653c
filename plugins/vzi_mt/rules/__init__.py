"""VZI certification norms for medical technicians MT3/MT4/MT5 as pure functions.

Certificatienormen, Kwaliteitsregister voor medisch technici (VZI, 1 June 2025),
VZI certificatienormen. Everything here takes plain values (dates, Decimals, small frozen
dataclasses) and returns plain values: no Flask, no database, no I/O, no clock.
Hours are ``Decimal`` with two places; domain dates are ``datetime.date``.

Section references ``§n`` are the numbered norms of each level's chapter in the
seed (1 Opleiding, 2 Werk/functie, 3 Deskundigheidsbevordering, 4 Aanduiding);
"Inleiding", "Samenvatting" and "Deskundigheidsgebieden" are the seed's other
chapters.

The readings of the seed are explained, with the seed's words, in ``docs/vzi.md``.
In short:

* Completed years (voltooide jaren) are calendar years: experience is the
  merged days of the positions, laid as one unbroken run ending the day before
  the day of measurement (that day is not yet worked); n years are completed on the n-th anniversary of its first day,
  never earlier because of leap days. A run starting on 29 February has its
  anniversary on 1 March in a common year (again: never a day early). Every
  threshold ("1 tot 3 jaar", "Meer dan 3 jaar", "6 jaar werkervaring") compares
  these dates, never rounded decimals; the decimal years in the answer are for
  display (completed years plus the elapsed share of the running year,
  truncated to two places).
* "Meer dan 3 / 6 jaar": the anniversary itself is still professional; expert
  from the day after.
* The dispensation is fixed at the start of a certification period ("Bij de
  start van een registratieperiode wordt de dispensatie berekend"): an
  application judges the CPD against the dispensation of the period it falls
  in (stored on the period), a first certification against the one computed
  on the application date.
* The level is the highest level of the positions held on the day ("De
  indeling kan niet (op verzoek) lager of hoger zijn"): an extra, lower
  appointment does not lower the norm.
* A basisregistratie, once begun, lasts until it is cancelled ("behoudt een
  persoon tot opzegging een basisregistratie"), also after the position ended
  or a re-certification failed.
* Additional certificates and the CPD norm are waived only at toelating (a
  first certification) with the designation i.o.; the single i.o. extension is
  a re-certification and needs them ("Geldt niet voor toelating i.o.").
* Every evaluation names the norm set it applied (these norms: 1 June 2025); a
  date before that is history entered after the fact, judged by these norms
  unless an earlier norm set is configured, and says so.
* Day counting is inclusive: a position's end date is its last day; a
  position without end date is held on the day of measurement (it gives the
  level) and its experience runs up to the day before. The CPD window
  (as_of - 3 years, as_of] includes the day of measurement. A work-experience
  record straddling the window edge counts pro rata by inclusive days,
  rounded to cents.
* The 50 % technical share is half of the *required* hours.
* Dispensation = completed years as MT (any level) when >= 6 (7 years -> 7 %),
  capped at 100 % only so a required number can never go negative.
"""

# ruff: noqa: F401 - the package re-exports every name of its modules (callers and tests import them from here)
from __future__ import annotations

from core.dates import add_months as _add_months
from core.dates import inclusive_days as _inclusive_days
from core.dates import add_years
from plugins.vzi_mt.rules.vocabulary import (
    CertificateCode,
    Designation,
    EducationComponent,
    EducationField,
    EducationLevel,
    Level,
    Registration,
    UnmetCode,
)
from plugins.vzi_mt.rules.norms import (
    CARRY_OVER_FROM,
    CARRY_OVER_MAX_YEARS,
    CENT,
    CERTIFICATE_EQUIVALENCE_YEARS,
    CERTIFICATE_EQUIVALENCE_YEARS_AT_MT5,
    CPD_NORM_HOURS,
    DESIGNATION_YEARS,
    DISPENSATION_MAX_PERCENT,
    DISPENSATION_MIN_YEARS,
    EDUCATION_COMPONENTS,
    EDUCATION_EQUIVALENCE,
    EDUCATION_MINIMUM,
    EDUCATION_RANK,
    EXPERTISE_CPD_HOURS,
    EXPERTISE_WORK_HOURS,
    LEVEL_RANK,
    MAX_IN_TRAINING_PERIODS,
    PERIOD_YEARS,
    REQUIRED_CERTIFICATES,
    TECHNICAL_SHARE,
    TECHNOLOGY_GROUPS,
)
from plugins.vzi_mt.rules.numbers import (
    MONTHS_NL,
    _cents,
    _fmt,
    _nl,
    _nl_date,
    in_window,
    window_start,
)
from plugins.vzi_mt.rules.norm_sets import (
    NORMS_2025,
    NORM_SETS,
    NormSet,
    NormsApplied,
    norms_for,
)
from plugins.vzi_mt.rules.portfolio import (
    Certificate,
    Certification,
    CpdActivity,
    CpdStatus,
    Education,
    Evaluation,
    Forecast,
    Portfolio,
    Position,
    Unmet,
    WorkExperience,
    _check_group,
    _check_hours,
    _check_member,
)
from plugins.vzi_mt.rules.experience import (
    Experience,
    _merged_spans,
    anniversary,
    completed_years,
    current_position,
    designation_experience,
    designation_years,
    experience,
    experience_days,
    experience_years,
)
from plugins.vzi_mt.rules.expertise import (
    expertise_areas,
    work_hours_in_window,
)
from plugins.vzi_mt.rules.cpd import (
    applicable_dispensation,
    cpd_hours,
    dispensation_percent,
    judged_period,
    period_dispensation,
    required_cpd,
)
from plugins.vzi_mt.rules.designation import (
    consecutive_in_training,
    designate,
    earlier_certifications,
)
from plugins.vzi_mt.rules.education import (
    COMPONENT_NL,
    FIELD_NL,
    _accepted_for,
    _diploma_meets,
    _education_shortfall,
    _level_at_least,
    _names,
    _valid_education,
    check_certificates,
    check_education,
)
from plugins.vzi_mt.rules.forecast import (
    _months_remaining,
    _per_month,
    forecast,
)
from plugins.vzi_mt.rules.registration import (
    _base_norm_met_between,
    registration_state,
)
from plugins.vzi_mt.rules.evaluation import (
    _cpd_unmet,
    _exhausted,
    evaluate,
)

__all__ = [
    "Level",
    "EducationLevel",
    "EducationField",
    "EducationComponent",
    "CertificateCode",
    "Designation",
    "Registration",
    "UnmetCode",
    "Education",
    "Certificate",
    "Position",
    "CpdActivity",
    "WorkExperience",
    "Certification",
    "Portfolio",
    "Unmet",
    "CpdStatus",
    "Evaluation",
    "Forecast",
    "add_years",
    "window_start",
    "in_window",
    "current_position",
    "experience_days",
    "anniversary",
    "Experience",
    "experience",
    "experience_years",
    "completed_years",
    "designation_experience",
    "designation_years",
    "dispensation_percent",
    "judged_period",
    "period_dispensation",
    "applicable_dispensation",
    "required_cpd",
    "cpd_hours",
    "work_hours_in_window",
    "expertise_areas",
    "designate",
    "earlier_certifications",
    "consecutive_in_training",
    "check_education",
    "check_certificates",
    "registration_state",
    "NormSet",
    "NormsApplied",
    "NORM_SETS",
    "norms_for",
    "evaluate",
    "forecast",
]
