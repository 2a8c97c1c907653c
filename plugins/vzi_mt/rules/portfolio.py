"""What a person's portfolio holds (inputs, checked on construction) and what an evaluation
answers (outputs): small frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache

from plugins.vzi_mt.rules.norm_sets import NormsApplied
from plugins.vzi_mt.rules.norms import TECHNOLOGY_GROUPS
from plugins.vzi_mt.rules.vocabulary import CertificateCode, Designation, EducationComponent, EducationField, EducationLevel, Level


def _check_member(value: object, enum: type[StrEnum], name: str) -> None:
    if value not in _values(enum):
        raise ValueError(f"{name}: unknown value {value!r}")


@cache
def _values(enum: type[StrEnum]) -> frozenset[str]:
    # once per vocabulary: a portfolio of 500 technicians checks some 4,500 values
    return frozenset(member.value for member in enum)


def _check_hours(value: object, name: str) -> Decimal:
    # never float: binary fractions would make 599.99 + 0.01 != 600.00
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name}: hours must be a Decimal, got {type(value).__name__}")
    hours = Decimal(value)
    if not hours.is_finite() or hours < 0:
        raise ValueError(f"{name}: hours must be a non-negative number, got {value}")
    return hours


def _check_group(code: int | None, name: str, allow_none: bool) -> None:
    if code is None and allow_none:
        return
    if isinstance(code, bool) or not isinstance(code, int) or code not in TECHNOLOGY_GROUPS:
        raise ValueError(f"{name}: technology group code must be 1..27, got {code!r}")


@dataclass(frozen=True)
class Education:
    """Opleiding: a diploma with its level, fields (kenmerken) and components (onderdelen)."""

    level: str
    fields: frozenset[str] = frozenset()
    components: frozenset[str] = frozenset()
    obtained_on: date | None = None
    equivalence_accepted_for: str | None = None  # level the registration committee accepted it for

    def __post_init__(self) -> None:
        _check_member(self.level, EducationLevel, "level")
        object.__setattr__(self, "fields", frozenset(self.fields))
        object.__setattr__(self, "components", frozenset(self.components))
        for value in self.fields:
            _check_member(value, EducationField, "fields")
        for value in self.components:
            _check_member(value, EducationComponent, "components")
        if self.equivalence_accepted_for is not None:
            _check_member(self.equivalence_accepted_for, Level, "equivalence_accepted_for")


@dataclass(frozen=True)
class Certificate:
    """Aanvullend certificaat MTA/MTB/MTC; ``equivalent``: a diploma accepted instead."""

    code: str
    obtained_on: date | None = None
    equivalent: bool = False

    def __post_init__(self) -> None:
        _check_member(self.code, CertificateCode, "code")


@dataclass(frozen=True)
class Position:
    """Aanstelling als medisch technicus at a profile level; ``end_date`` inclusive."""

    level: str
    start_date: date
    end_date: date | None = None

    def __post_init__(self) -> None:
        _check_member(self.level, Level, "level")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date before start_date")


@dataclass(frozen=True)
class CpdActivity:
    """Deskundigheidsbevordering (bij- en nascholing).

    ``technology_group_code`` None is "Algemene niet-technische scholing"
    (non-technical); 1..27 is technical in that technology group.
    """

    date: date
    hours: Decimal
    technology_group_code: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", _check_hours(self.hours, "hours"))
        _check_group(self.technology_group_code, "technology_group_code", allow_none=True)

    @property
    def technical(self) -> bool:
        return self.technology_group_code is not None


@dataclass(frozen=True)
class WorkExperience:
    """Werkervaring: hours worked in one technology group over a period (inclusive)."""

    technology_group_code: int
    period_start: date
    period_end: date
    hours: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "hours", _check_hours(self.hours, "hours"))
        _check_group(self.technology_group_code, "technology_group_code", allow_none=False)
        if self.period_end < self.period_start:
            raise ValueError("period_end before period_start")


@dataclass(frozen=True)
class Certification:
    """Certificatieperiode granted earlier: level + designation over [start, end)."""

    level: str
    designation: str
    start: date
    end: date
    # fixed at the start of the period (VZI certificatienormen, Inleiding "Ervaringsjaren"); None: compute for ``start``
    dispensation_percent: int | None = None
    # deskundigheidsgebieden the certificate shows (seed: "Het toont het niveau en de deskundigheidsgebieden")
    expertise_areas: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_member(self.level, Level, "level")
        _check_member(self.designation, Designation, "designation")
        object.__setattr__(self, "expertise_areas", tuple(self.expertise_areas))

    def covers(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class Portfolio:
    """Everything the norms look at for one person."""

    educations: tuple[Education, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    positions: tuple[Position, ...] = ()
    cpd_activities: tuple[CpdActivity, ...] = ()
    work_experience: tuple[WorkExperience, ...] = ()
    certifications: tuple[Certification, ...] = ()
    # dates the registration was cancelled (opzegging): a basisregistratie lasts until then
    cancellations: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        for name in (
            "educations",
            "certificates",
            "positions",
            "cpd_activities",
            "work_experience",
            "certifications",
            "cancellations",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class Unmet:
    """A norm that is not met, with the shortfall in numbers: English and Dutch (decimal comma)."""

    code: str
    message: str
    message_nl: str = ""


@dataclass(frozen=True)
class CpdStatus:
    """Deskundigheidsbevordering over the window: required versus done."""

    required_hours: Decimal
    done_hours: Decimal
    required_technical_hours: Decimal
    technical_hours: Decimal
    waived: bool = False


@dataclass(frozen=True)
class Evaluation:
    """The verdict for one person on ``as_of`` (the API's evaluation)."""

    level: str | None
    registration: str
    eligible: bool
    designation: str | None
    experience_years: Decimal
    experience_years_at_level: Decimal
    dispensation_percent: int
    cpd: CpdStatus
    expertise_areas: tuple[int, ...]
    unmet: tuple[Unmet, ...]
    # extras beyond the API's contract
    as_of: date
    window_start: date  # exclusive: the window is (window_start, as_of]
    period_start: date
    designation_years: Decimal  # years at level plus carry-over, the basis of the designation
    first_certification: bool
    norms: NormsApplied | None = None


@dataclass(frozen=True)
class Forecast:
    """Progress in a running certification period toward the CPD norm at its end."""

    level: str | None
    period_start: date
    period_end: date
    as_of: date
    dispensation_percent: int
    required_hours: Decimal
    done_hours: Decimal
    required_technical_hours: Decimal
    technical_hours: Decimal
    hours_needed: Decimal
    technical_hours_needed: Decimal
    months_remaining: int
    hours_needed_per_month: Decimal
    technical_hours_needed_per_month: Decimal
    elapsed_fraction: Decimal
    on_track: bool
