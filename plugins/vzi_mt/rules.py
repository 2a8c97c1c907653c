"""VZI certification norms for medical technicians MT3/MT4/MT5 as pure functions.

Certificatienormen, Kwaliteitsregister voor medisch technici (VZI, 1 June 2025),
seed 000. Everything here takes plain values (dates, Decimals, small frozen
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

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

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


# --- vocabulary (values are the SPEC 8.2 contract strings) -------------------


class Level(StrEnum):
    """Niveau: the profile level of a medical technician."""

    MT3 = "MT3"
    MT4 = "MT4"
    MT5 = "MT5"  # medisch technoloog


class EducationLevel(StrEnum):
    """Opleidingsniveau."""

    LTS = "LTS"
    MBO3 = "MBO3"
    MBO4 = "MBO4"
    HBO = "HBO"
    WO = "WO"


class EducationField(StrEnum):
    """Kenmerk of a diploma (seed §1: at least one of these four)."""

    ELECTRICAL = "electrical"  # elektrotechniek, elektronica
    ICT = "ict"  # informatica, ICT
    MECHANICAL = "mechanical"  # werktuigbouwkunde, fijnmechanica
    MEDICAL_TECHNOLOGY = "medical_technology"  # medische techniek


class EducationComponent(StrEnum):
    """Onderdeel of a diploma (seed MT4/MT5 §1)."""

    WORK_PREPARATION = "work_preparation"  # werkvoorbereiding
    PROJECT_MANAGEMENT = "project_management"  # projectmanagement
    RISK_MANAGEMENT = "risk_management"  # risicomanagement
    TECHNICAL_BUSINESS_ADMINISTRATION = "technical_business_administration"  # technische bedrijfskunde


class CertificateCode(StrEnum):
    """Aanvullende opleiding Medische Technologie A/B/C."""

    MTA = "MTA"
    MTB = "MTB"
    MTC = "MTC"


class Designation(StrEnum):
    """Aanduiding: in opleiding (i.o.), professional (pro), expert."""

    IN_TRAINING = "in_training"
    PROFESSIONAL = "professional"
    EXPERT = "expert"


class Registration(StrEnum):
    """Registration state: none, basisregistratie, or a running certification."""

    NONE = "none"
    BASE = "base"
    CERTIFIED = "certified"


class UnmetCode(StrEnum):
    """Codes of norms that are not met."""

    EDUCATION = "education"
    CERTIFICATES = "certificates"
    POSITION = "position"
    CPD_TOTAL = "cpd_total"
    CPD_TECHNICAL = "cpd_technical"
    IN_TRAINING_EXHAUSTED = "in_training_exhausted"


# --- the norms as data ---------------------------------------------------------

PERIOD_YEARS = 3  # seed Inleiding: "Een certificatieperiode bedraagt 3 jaar"
CENT = Decimal("0.01")

LEVEL_RANK = {Level.MT3: 0, Level.MT4: 1, Level.MT5: 2}
# SPEC 3.1: LTS = MBO3 < MBO4 < HBO < WO; seed MT3 §1 "LTS of technische MBO 3"
EDUCATION_RANK = {
    EducationLevel.LTS: 0,
    EducationLevel.MBO3: 0,
    EducationLevel.MBO4: 1,
    EducationLevel.HBO: 2,
    EducationLevel.WO: 3,
}
TECHNOLOGY_GROUPS = range(1, 28)  # seed Deskundigheidsgebieden: groups 1..27

# seed §1 of each level: minimum diploma level ("of hoger niveau")
EDUCATION_MINIMUM = {
    Level.MT3: EducationLevel.MBO3,
    Level.MT4: EducationLevel.MBO4,
    Level.MT5: EducationLevel.HBO,
}
# seed §1: "met inbegrip van één of meer van de volgende onderdelen"
EDUCATION_COMPONENTS = {
    Level.MT3: frozenset(),
    Level.MT4: frozenset({EducationComponent.WORK_PREPARATION, EducationComponent.PROJECT_MANAGEMENT}),
    Level.MT5: frozenset(
        {
            EducationComponent.PROJECT_MANAGEMENT,
            EducationComponent.RISK_MANAGEMENT,
            EducationComponent.TECHNICAL_BUSINESS_ADMINISTRATION,
        }
    ),
}
# seed MT4/MT5 §1 footnote: "MBO 3 diploma + 3 jaar werkervaring op het niveau van MT4",
# "MBO 4 diploma + 3 jaar werkervaring op het niveau van MT5"
EDUCATION_EQUIVALENCE = {
    Level.MT4: (EducationLevel.MBO3, 3),
    Level.MT5: (EducationLevel.MBO4, 3),
}
# seed §1.2: MT4 "MTA + MTB", MT5 "MTA + MTB + MTC"; MT3 "geen"
REQUIRED_CERTIFICATES = {
    Level.MT3: (),
    Level.MT4: (CertificateCode.MTA, CertificateCode.MTB),
    Level.MT5: (CertificateCode.MTA, CertificateCode.MTB, CertificateCode.MTC),
}
# seed MT4 §1.2 footnote: 6 years at MT4; MT5 §1.2 footnote: 6 years as MT of which >= 3 at MT5
CERTIFICATE_EQUIVALENCE_YEARS = 6
CERTIFICATE_EQUIVALENCE_YEARS_AT_MT5 = 3
# seed §3: MT3 "24 uur", MT4/MT5 "72 uur" per certification period, "minimaal 50% technische scholing"
CPD_NORM_HOURS = {Level.MT3: Decimal("24"), Level.MT4: Decimal("72"), Level.MT5: Decimal("72")}
TECHNICAL_SHARE = Decimal("0.5")
# seed Inleiding: "1% dispensatie ... toegekend vanaf 6 jaar voltooide werkervaring"
DISPENSATION_MIN_YEARS = 6
DISPENSATION_MAX_PERCENT = 100
# seed §4: years from which a level's designation is professional / expert
DESIGNATION_YEARS = {Level.MT3: (1, 3), Level.MT4: (3, 6), Level.MT5: (3, 6)}
# seed MT4/MT5 §4 footnote: after an earlier certification one level lower, 3 years of that level count
CARRY_OVER_FROM = {Level.MT4: Level.MT3, Level.MT5: Level.MT4}
CARRY_OVER_MAX_YEARS = 3
# seed §4: "i.o. kan éénmaal verlengd worden" -> at most two consecutive i.o. periods
MAX_IN_TRAINING_PERIODS = 2
# seed Deskundigheidsgebieden: "600 uur werkervaring ... plus 12 uur aan een deskundigheidsbevordering"
EXPERTISE_WORK_HOURS = Decimal("600")
EXPERTISE_CPD_HOURS = Decimal("12")


# --- input dataclasses ---------------------------------------------------------


def _check_member(value: object, enum: type[StrEnum], name: str) -> None:
    if value not in {member.value for member in enum}:
        raise ValueError(f"{name}: unknown value {value!r}")


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
    # fixed at the start of the period (seed Inleiding "Ervaringsjaren"); None: compute for ``start``
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


# --- output dataclasses --------------------------------------------------------


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
    """The verdict for one person on ``as_of`` (SPEC 8.2 evaluation)."""

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
    # extras beyond the SPEC contract
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


# --- dates and numbers ---------------------------------------------------------


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    return str(_cents(value))


def _nl(value: Decimal) -> str:
    """Dutch notation: decimal comma ("32,39")."""
    return _fmt(value).replace(".", ",")


MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


def _nl_date(day: date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(as_of: date) -> date:
    """Exclusive start of the measurement window (as_of - 3 years, as_of].

    seed Inleiding: "wordt gemeten of een persoon over de laatste 3 jaar aan de normen voldoet".
    """
    return add_years(as_of, -PERIOD_YEARS)


def in_window(day: date, as_of: date) -> bool:
    return window_start(as_of) < day <= as_of


def _inclusive_days(first: date, last: date) -> int:
    return (last - first).days + 1 if last >= first else 0


# --- experience (werkervaring from positions) ---------------------------------


def current_position(positions: tuple[Position, ...], as_of: date) -> Position | None:
    """The function (functie) held on ``as_of`` whose level is the certification level.

    seed Inleiding "Indeling bij certificatie": "Het certificatieniveau behoort
    overeen te komen met het functieniveau ... De indeling kan niet (op verzoek)
    lager of hoger zijn". With several positions at once the highest level held
    counts: an extra, lower appointment does not lower the norm. Among positions
    at that level the most recently started one is returned.
    """
    running = [
        p for p in positions if p.start_date <= as_of and (p.end_date is None or p.end_date >= as_of)
    ]
    if not running:
        return None
    return max(running, key=lambda p: (LEVEL_RANK[Level(p.level)], p.start_date))


def _merged_spans(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | None
) -> list[tuple[date, date]]:
    spans = sorted(
        (p.start_date, min(p.end_date or until, until))
        for p in positions
        if p.start_date <= until and (levels is None or p.level in levels)
    )
    merged: list[tuple[date, date]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:  # overlapping: a shared day counts once
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def experience_days(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | str | None = None
) -> int:
    """Days as medical technician up to and including ``until``; overlaps counted once.

    ``levels`` restricts to positions at those levels (None: any level).
    """
    if isinstance(levels, str):
        levels = frozenset({levels})
    return sum(_inclusive_days(first, last) for first, last in _merged_spans(positions, until, levels))


def anniversary(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start``: the day ``years`` completed years are reached.

    seed Inleiding "6 jaar voltooide werkervaring": a completed year is a
    calendar year. 29 February falls on 1 March in a common year, so a year is
    never completed a day early.
    """
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return start.replace(year=year)


@dataclass(frozen=True)
class Experience:
    """Werkervaring as one unbroken run of ``days`` that ends the day before ``until``.

    Merged positions with gaps are laid end to end before ``until``; for one
    continuous position ``start`` is its start date. The day of measurement is
    not yet a worked day: on the n-th anniversary of ``start`` exactly n years
    are completed, the day before n - 1 (seed Inleiding "6 jaar voltooide
    werkervaring"). Thresholds compare anniversaries of ``start`` with
    ``until``: dates, not rounded decimals.
    """

    days: int
    until: date

    @property
    def start(self) -> date:
        """First day of the run; no experience at all is a run that starts on ``until``."""
        return self.until - timedelta(days=self.days)

    def at_least(self, years: int) -> bool:
        """``years`` completed on ``until``: the anniversary has been reached."""
        return anniversary(self.start, years) <= self.until

    def more_than(self, years: int) -> bool:
        """Meer dan ``years`` jaar: past the anniversary (the anniversary itself is not more)."""
        return anniversary(self.start, years) < self.until

    @property
    def completed_years(self) -> int:
        years = self.until.year - self.start.year
        # this year's anniversary may still be ahead; last year's has then been reached
        return years - 1 if anniversary(self.start, years) > self.until else years

    @property
    def years(self) -> Decimal:
        """For display: completed years plus the elapsed share of the running year, truncated.

        Truncation keeps ``years >= n`` identical to ``at_least(n)``.
        """
        done = self.completed_years
        last, following = anniversary(self.start, done), anniversary(self.start, done + 1)
        share = Decimal((self.until - last).days) / Decimal((following - last).days)
        return (done + share).quantize(CENT, rounding=ROUND_DOWN)


def experience(
    positions: tuple[Position, ...], until: date, levels: frozenset[str] | str | None = None
) -> Experience:
    """Werkervaring as MT before ``until`` (``levels``: only positions at those levels).

    Days worked up to and including the day before ``until``; a position that
    starts on ``until`` is held (it gives the level) but has no experience yet.
    """
    return Experience(experience_days(positions, until - timedelta(days=1), levels), until)


def experience_years(positions: tuple[Position, ...], until: date, levels=None) -> Decimal:
    """Decimal years for display (see ``Experience.years``)."""
    return experience(positions, until, levels).years


def completed_years(positions: tuple[Position, ...], until: date, levels=None) -> int:
    """Voltooide jaren: anniversaries of the experience run reached on ``until``."""
    return experience(positions, until, levels).completed_years


def designation_experience(
    positions: tuple[Position, ...],
    level: str,
    as_of: date,
    earlier: tuple[Certification, ...] = (),
) -> Experience:
    """Experience that meets the level's criterion, with the carry-over from one level lower.

    seed MT4/MT5 §4 footnote: "Na een eerdere certificering als medisch technicus 3
    kunnen 3 werkervaringsjaren meegerekend worden die vallen onder de criteria van
    medisch technicus 3" (MT4 toward MT5 likewise). The carried years are laid
    before the years at the level and capped at 3 calendar years.
    """
    at_level = experience(positions, as_of, level)
    lower = CARRY_OVER_FROM.get(Level(level))
    if lower is None or not any(c.level == lower for c in earlier):
        return at_level
    # days at the lower level that do not overlap days already counted at this level
    lower_only = experience_days(positions, as_of - timedelta(days=1), frozenset({level, lower})) - at_level.days
    begin = at_level.start
    cap = (begin - add_years(begin, -CARRY_OVER_MAX_YEARS)).days
    return Experience(at_level.days + min(lower_only, cap), as_of)


def designation_years(
    positions: tuple[Position, ...],
    level: str,
    as_of: date,
    earlier: tuple[Certification, ...] = (),
) -> Decimal:
    """Display years of ``designation_experience``."""
    return designation_experience(positions, level, as_of, earlier).years


# --- CPD (deskundigheidsbevordering) -----------------------------------------


def dispensation_percent(positions: tuple[Position, ...], period_start: date) -> int:
    """Dispensatie: 1 % per completed year as MT (any level), only from 6 completed years on.

    seed Inleiding "Ervaringsjaren": "Voor elk ervaringsjaar geldt 1% dispensatie
    ... Bij de start van een registratieperiode wordt de dispensatie berekend ...
    Ervaringsjaren worden toegekend vanaf 6 jaar voltooide werkervaring".
    """
    years = completed_years(positions, period_start)
    if years < DISPENSATION_MIN_YEARS:
        return 0
    return min(years, DISPENSATION_MAX_PERCENT)


def judged_period(certifications: tuple[Certification, ...], as_of: date) -> Certification | None:
    """The certification period an application on ``as_of`` re-certifies, if any.

    The latest period that started on or before ``as_of`` and had not yet ended
    the day before (``start <= as_of <= end``; ``end`` is the first day not
    covered, so an application on the expiry day still re-certifies it). After
    a lapse the person is in basisregistratie and a new certification starts
    from there (seed Samenvatting "Nieuwe certificatie start altijd met een
    basisregistratie"): no period is judged.
    """
    candidates = [c for c in certifications if c.start <= as_of <= c.end]
    return max(candidates, key=lambda c: c.start, default=None)


def period_dispensation(portfolio: Portfolio, period: Certification) -> int:
    """The dispensation fixed when ``period`` started: as stored, else computed for its start."""
    if period.dispensation_percent is not None:
        return period.dispensation_percent
    return dispensation_percent(portfolio.positions, period.start)


def applicable_dispensation(portfolio: Portfolio, as_of: date) -> tuple[int, date]:
    """(dispensation %, the date it was fixed) that CPD measured on ``as_of`` is judged against.

    seed Inleiding: "Bij de start van een registratieperiode wordt de dispensatie
    berekend": at re-certification the norm fixed when the running period began,
    never recomputed on the application date; for a first certification the
    application date is the start of the period.
    """
    period = judged_period(portfolio.certifications, as_of)
    if period is None:
        return dispensation_percent(portfolio.positions, as_of), as_of
    return period_dispensation(portfolio, period), period.start


def required_cpd(level: str, dispensation: int) -> tuple[Decimal, Decimal]:
    """(required hours, required technical hours) for a period.

    seed §3: norm x (100 - dispensation) / 100, of which at least 50 % technical.
    """
    required = _cents(CPD_NORM_HOURS[Level(level)] * (100 - dispensation) / 100)
    return required, _cents(required * TECHNICAL_SHARE)


def cpd_hours(activities: tuple[CpdActivity, ...], as_of: date) -> tuple[Decimal, Decimal]:
    """(all hours, technical hours) of CPD dated in the window (as_of - 3 years, as_of]."""
    counted = [a for a in activities if in_window(a.date, as_of)]
    total = sum((a.hours for a in counted), Decimal(0))
    technical = sum((a.hours for a in counted if a.technical), Decimal(0))
    return _cents(total), _cents(technical)


# --- expertise areas (deskundigheidsgebieden) ------------------------------------


def work_hours_in_window(record: WorkExperience, as_of: date) -> Decimal:
    """Hours of a work-experience record inside the window, pro rata by inclusive days."""
    first = max(record.period_start, window_start(as_of) + timedelta(days=1))
    last = min(record.period_end, as_of)
    inside = _inclusive_days(first, last)
    total = _inclusive_days(record.period_start, record.period_end)
    return _cents(record.hours * inside / total)


def expertise_areas(portfolio: Portfolio, as_of: date) -> tuple[int, ...]:
    """Technology groups that are a deskundigheidsgebied on ``as_of``, sorted.

    seed Deskundigheidsgebieden: 600 h work experience plus 12 h CPD in the group
    within the period.
    """
    work: dict[int, Decimal] = {}
    for record in portfolio.work_experience:
        code = record.technology_group_code
        work[code] = work.get(code, Decimal(0)) + work_hours_in_window(record, as_of)
    cpd: dict[int, Decimal] = {}
    for activity in portfolio.cpd_activities:
        if activity.technical and in_window(activity.date, as_of):
            code = activity.technology_group_code
            cpd[code] = cpd.get(code, Decimal(0)) + activity.hours
    return tuple(
        sorted(
            code
            for code in work.keys() & cpd.keys()
            if work[code] >= EXPERTISE_WORK_HOURS and cpd[code] >= EXPERTISE_CPD_HOURS
        )
    )


# --- designation (aanduiding) ------------------------------------------------


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


# --- education and certificates --------------------------------------------------

FIELD_NL = {
    EducationField.ELECTRICAL: "elektrotechniek/elektronica",
    EducationField.ICT: "informatica/ICT",
    EducationField.MECHANICAL: "werktuigbouwkunde/fijnmechanica",
    EducationField.MEDICAL_TECHNOLOGY: "medische techniek",
}
COMPONENT_NL = {
    EducationComponent.WORK_PREPARATION: "werkvoorbereiding",
    EducationComponent.PROJECT_MANAGEMENT: "projectmanagement",
    EducationComponent.RISK_MANAGEMENT: "risicomanagement",
    EducationComponent.TECHNICAL_BUSINESS_ADMINISTRATION: "technische bedrijfskunde",
}


def _valid_education(educations: tuple[Education, ...], as_of: date) -> list[Education]:
    # a diploma obtained on the day of measurement counts on that day
    return [e for e in educations if e.obtained_on is None or e.obtained_on <= as_of]


def _level_at_least(education: Education, minimum: str) -> bool:
    return EDUCATION_RANK[EducationLevel(education.level)] >= EDUCATION_RANK[EducationLevel(minimum)]


def _accepted_for(education: Education, level: str) -> bool:
    accepted = education.equivalence_accepted_for
    return accepted is not None and LEVEL_RANK[Level(accepted)] >= LEVEL_RANK[Level(level)]


def _diploma_meets(education: Education, level: str) -> bool:
    """seed §1: level "of hoger niveau" AND a field AND (MT4/MT5) a component: all required."""
    components = EDUCATION_COMPONENTS[Level(level)]
    return (
        _level_at_least(education, EDUCATION_MINIMUM[Level(level)])
        and bool(education.fields)
        and (not components or bool(education.components & components))
    )


def _names(values, dutch: dict | None = None) -> str:
    return ", ".join(sorted((dutch or {}).get(v, str(v)) for v in values))


def _education_shortfall(level: str, educations: list[Education], years_at_level: Experience) -> Unmet:
    minimum = EDUCATION_MINIMUM[Level(level)]
    components = EDUCATION_COMPONENTS[Level(level)]
    high_enough = [e for e in educations if _level_at_least(e, minimum)]
    if not high_enough:
        highest = max(educations, key=lambda e: EDUCATION_RANK[EducationLevel(e.level)], default=None)
        en = f"{minimum} or higher required, highest is {highest.level if highest else 'none'}"
        nl = f"{minimum} of hoger vereist, hoogste is {highest.level if highest else 'geen'}"
    elif not any(e.fields for e in high_enough):
        en = f"{minimum} or higher without a required field ({_names(frozenset(EducationField))})"
        nl = f"{minimum} of hoger zonder vereist kenmerk ({_names(frozenset(EducationField), FIELD_NL)})"
    else:
        en = f"{minimum} or higher with a field lacks a required component ({_names(components)})"
        nl = (f"{minimum} of hoger met kenmerk mist een vereist onderdeel"
              f" ({_names(components, COMPONENT_NL)})")
    route = EDUCATION_EQUIVALENCE.get(Level(level))
    if route is not None:
        diploma, years = route
        has = any(_level_at_least(e, diploma) and e.fields for e in educations)
        done = years_at_level.years
        en += (f"; or {diploma} diploma ({'present' if has else 'missing'})"
               f" + {years} years at {level}: {_fmt(done)} of {years}.00 years")
        nl += (f"; of {diploma}-diploma ({'aanwezig' if has else 'ontbreekt'})"
               f" + {years} jaar op niveau {level}: {_nl(done)} van {years},00 jaar")
    return Unmet(UnmetCode.EDUCATION, f"Education: {en}", f"Opleiding: {nl}")


def check_education(
    level: str, educations: tuple[Education, ...], positions: tuple[Position, ...], as_of: date
) -> Unmet | None:
    """Opleiding (seed §1): diploma level, field and component, or an accepted equivalent."""
    valid = _valid_education(educations, as_of)
    if any(_diploma_meets(e, level) or _accepted_for(e, level) for e in valid):
        return None
    years_at_level = experience(positions, as_of, level)
    route = EDUCATION_EQUIVALENCE.get(Level(level))
    if route is not None:
        diploma, years = route
        # seed MT4/MT5 §1 footnote: "MBO 3 diploma + 3 jaar werkervaring op het niveau van MT4"
        if years_at_level.at_least(years) and any(_level_at_least(e, diploma) and e.fields for e in valid):
            return None
    return _education_shortfall(level, valid, years_at_level)


def check_certificates(
    level: str, certificates: tuple[Certificate, ...], positions: tuple[Position, ...], as_of: date
) -> Unmet | None:
    """Aanvullende certificaten (seed §1.2), or their equivalent by experience."""
    held = {c.code for c in certificates if c.obtained_on is None or c.obtained_on <= as_of}
    missing = tuple(code for code in REQUIRED_CERTIFICATES[Level(level)] if code not in held)
    if not missing:
        return None
    total = experience(positions, as_of)
    at_mt4 = experience(positions, as_of, Level.MT4)
    at_mt5 = experience(positions, as_of, Level.MT5)
    six = CERTIFICATE_EQUIVALENCE_YEARS
    if level == Level.MT4:
        # seed MT4 §1.2 footnote: "6 jaar werkervaring op het niveau van medisch technicus 4"
        if at_mt4.at_least(six):
            return None
        en = f"6 years at MT4: {_fmt(at_mt4.years)} of {six}.00 years"
        nl = f"6 jaar op niveau MT4: {_nl(at_mt4.years)} van {six},00 jaar"
    else:
        # seed MT5 §1.2 footnote: "6 jaar werkervaring als medisch technicus,
        # waarvan ten minste 3 jaar werkervaring op het niveau van medisch technicus 5"
        three = CERTIFICATE_EQUIVALENCE_YEARS_AT_MT5
        if total.at_least(six) and at_mt5.at_least(three):
            return None
        en = (f"6 years as MT: {_fmt(total.years)} of {six}.00 years,"
              f" of which at MT5: {_fmt(at_mt5.years)} of {three}.00 years")
        nl = (f"6 jaar als MT: {_nl(total.years)} van {six},00 jaar,"
              f" waarvan op niveau MT5: {_nl(at_mt5.years)} van {three},00 jaar")
    codes = ", ".join(missing)
    return Unmet(UnmetCode.CERTIFICATES, f"Certificates: missing {codes} (or {en})",
                 f"Certificaten: {codes} ontbreekt (of {nl})")


# --- registration ------------------------------------------------------------------


def _base_norm_met_between(portfolio: Portfolio, first: date | None, last: date) -> bool:
    """Was the basisregistratie norm met on some day in [first, last]?

    seed Samenvatting "Basisregistratie": "gevraagde opleiding + aanstelling als
    medisch technicus", at least the diploma norm of MT3, on one and the same day.
    """
    for position in portfolio.positions:
        begin = max(position.start_date, first) if first else position.start_date
        end = min(position.end_date or last, last)
        if begin > end:
            continue
        # the diploma must be held on some day of the position: by its last day in the range
        if check_education(Level.MT3, portfolio.educations, (), end) is None:
            return True
    return False


def registration_state(portfolio: Portfolio, as_of: date) -> Registration:
    """Certified, basisregistratie or none on ``as_of``.

    seed Samenvatting "Basisregistratie": "Nieuwe certificatie start altijd met een
    basisregistratie. Bij niet voldoen aan de certificatienorm behoudt een persoon
    tot opzegging een basisregistratie." Once begun (education + position on one
    day, or a certification), the basisregistratie lasts, also after the position
    ended or a re-certification failed, until a cancellation (opzegging). A
    cancellation takes effect on its date and ends a running certification too;
    registration can begin again afterwards.
    """
    cancelled = max((d for d in portfolio.cancellations if d <= as_of), default=None)
    since = [c for c in portfolio.certifications if cancelled is None or c.start >= cancelled]
    if any(c.covers(as_of) for c in since):
        return Registration.CERTIFIED
    if any(c.end <= as_of for c in since):  # a certification that ended (expired, failed, cut short)
        return Registration.BASE
    if _base_norm_met_between(portfolio, cancelled, as_of):
        return Registration.BASE
    return Registration.NONE


# --- the norm set ----------------------------------------------------------------------


@dataclass(frozen=True)
class NormSet:
    """A version of the certification norms and the day it took effect."""

    name: str
    effective_from: date


# seed title page "Ingangsdatum 1 juni 2025"; Status: "gelden voor elke nieuwe certificatie en
# hercertificatie vanaf de ingangsdatum van dit document"
NORMS_2025 = NormSet("VZI certificatienormen", date(2025, 6, 1))
NORM_SETS = (NORMS_2025,)


@dataclass(frozen=True)
class NormsApplied:
    """Which norm set an evaluation applied; ``retroactive`` when dated before it took effect."""

    name: str
    effective_from: date
    retroactive: bool
    note: str
    note_nl: str


def norms_for(as_of: date, norm_sets: tuple[NormSet, ...] = NORM_SETS) -> NormsApplied:
    """The latest norm set in effect on ``as_of``; before the first, the first (history entered later)."""
    ordered = sorted(norm_sets, key=lambda n: n.effective_from)
    in_effect = [n for n in ordered if n.effective_from <= as_of]
    if in_effect:
        chosen = in_effect[-1]
        return NormsApplied(chosen.name, chosen.effective_from, False,
                            f"{chosen.name}, in effect from {chosen.effective_from.isoformat()}.",
                            f"{chosen.name}, ingangsdatum {_nl_date(chosen.effective_from)}.")
    chosen = ordered[0]
    return NormsApplied(
        chosen.name, chosen.effective_from, True,
        f"{as_of.isoformat()} lies before {chosen.name} took effect on {chosen.effective_from.isoformat()}:"
        " history entered after the fact, judged by these norms (no earlier norm set is configured).",
        f"{_nl_date(as_of)} ligt voor de ingangsdatum van de {chosen.name} ({_nl_date(chosen.effective_from)}):"
        " achteraf ingevoerde historie, getoetst aan deze normen (er is geen eerdere normenset ingesteld).",
    )


# --- the evaluation ------------------------------------------------------------------


def _cpd_unmet(cpd: CpdStatus) -> list[Unmet]:
    unmet = []
    if cpd.done_hours < cpd.required_hours:
        unmet.append(Unmet(
            UnmetCode.CPD_TOTAL,
            f"CPD: {_fmt(cpd.done_hours)} of {_fmt(cpd.required_hours)} h",
            f"CPD: {_nl(cpd.done_hours)} van {_nl(cpd.required_hours)} uur",
        ))
    if cpd.technical_hours < cpd.required_technical_hours:
        unmet.append(Unmet(
            UnmetCode.CPD_TECHNICAL,
            f"CPD technical: {_fmt(cpd.technical_hours)} of {_fmt(cpd.required_technical_hours)} h",
            f"CPD technisch: {_nl(cpd.technical_hours)} van {_nl(cpd.required_technical_hours)} uur",
        ))
    return unmet


def _exhausted(level: str, run: int, years: Experience) -> Unmet:
    professional_from = DESIGNATION_YEARS[Level(level)][0]
    return Unmet(
        UnmetCode.IN_TRAINING_EXHAUSTED,
        f"In training: {run} consecutive i.o. periods at {level} already granted"
        f" (at most {MAX_IN_TRAINING_PERIODS}); professional needs"
        f" {_fmt(years.years)} of {professional_from}.00 years",
        f"In opleiding: al {run} opeenvolgende i.o.-perioden op {level} toegekend"
        f" (hoogstens {MAX_IN_TRAINING_PERIODS}); professional vraagt"
        f" {_nl(years.years)} van {professional_from},00 jaar",
    )


def evaluate(portfolio: Portfolio, as_of: date, period_start: date | None = None) -> Evaluation:
    """Toets aan de certificatienormen: may this person be (re)certified on ``as_of``?

    The CPD is judged against the dispensation fixed at the start of the period
    it re-certifies (``applicable_dispensation``); ``period_start`` overrides the
    day the dispensation is computed for (a what-if).
    """
    positions = portfolio.positions
    position = current_position(positions, as_of)
    level = position.level if position else None
    # the new period starts on the application date: what came before it is "earlier"
    earlier = earlier_certifications(portfolio.certifications, as_of)
    first = not earlier
    areas = expertise_areas(portfolio, as_of)
    done, technical = cpd_hours(portfolio.cpd_activities, as_of)
    if period_start is None:
        dispensation, period_start = applicable_dispensation(portfolio, as_of)
    else:
        dispensation = dispensation_percent(positions, period_start)
    common = dict(
        level=level,
        registration=registration_state(portfolio, as_of),
        experience_years=experience(positions, as_of).years,
        dispensation_percent=dispensation,
        expertise_areas=areas,
        as_of=as_of,
        window_start=window_start(as_of),
        period_start=period_start,
        first_certification=first,
        norms=norms_for(as_of),
    )

    if level is None:
        # seed §2 "Werk / functie": without an appointment there is no level to measure against
        zero = Decimal("0.00")
        return Evaluation(
            eligible=False,
            designation=None,
            experience_years_at_level=zero,
            designation_years=zero,
            cpd=CpdStatus(zero, done, zero, technical),
            unmet=(Unmet(UnmetCode.POSITION,
                         f"Position: no appointment as medical technician on {as_of.isoformat()}",
                         f"Functie: geen aanstelling als medisch technicus op {_nl_date(as_of)}"),),
            **common,
        )

    years = designation_experience(positions, level, as_of, earlier)
    designation = designate(level, years, areas)
    # seed §1.2 and §3 footnotes: neither certificates nor CPD at toelating (first certification) as i.o.
    first_in_training = first and designation == Designation.IN_TRAINING
    required, required_technical = required_cpd(level, dispensation)
    cpd = CpdStatus(required, done, required_technical, technical, waived=first_in_training)

    unmet: list[Unmet] = []
    education = check_education(level, portfolio.educations, positions, as_of)
    if education:
        unmet.append(education)
    if not first_in_training:
        certificates = check_certificates(level, portfolio.certificates, positions, as_of)
        if certificates:
            unmet.append(certificates)
        unmet.extend(_cpd_unmet(cpd))
    if designation == Designation.IN_TRAINING:
        run = consecutive_in_training(earlier, level)
        if run >= MAX_IN_TRAINING_PERIODS:
            unmet.append(_exhausted(level, run, years))

    return Evaluation(
        eligible=not unmet,
        designation=designation,
        experience_years_at_level=experience(positions, as_of, level).years,
        designation_years=years.years,
        cpd=cpd,
        unmet=tuple(unmet),
        **common,
    )


# --- forecast for a running period ------------------------------------------------------


def _months_remaining(as_of: date, end: date) -> int:
    """Calendar months from ``as_of`` to ``end``; a started month counts as a whole one."""
    if as_of >= end:
        return 0
    months = (end.year - as_of.year) * 12 + end.month - as_of.month
    if _add_months(as_of, months) > end:  # the day of the month is past end's: one month less
        months -= 1
    return months + (1 if _add_months(as_of, months) < end else 0)


def _per_month(needed: Decimal, months: int) -> Decimal:
    return _cents(needed / months) if months else needed


def forecast(portfolio: Portfolio, period_start: date, as_of: date) -> Forecast:
    """Voortgang: what the running period still needs for re-certification at its end.

    The period ends at ``period_start + 3 years``. Hours counted are those that
    will fall in the window measured at the period end, up to ``as_of``. The
    required hours are those an application on ``as_of`` is judged against:
    the dispensation fixed at the period start (seed Inleiding), so forecast,
    evaluation, grant and alerts agree on the same day. The first-i.o. waiver
    is ignored: at the end of a period the next step is a re-certification.
    ``on_track`` holds when done hours (total and technical) are at least the
    required hours times the elapsed fraction of the period.
    """
    period = next((c for c in portfolio.certifications if c.start == period_start), None)
    period_end = period.end if period is not None else add_years(period_start, PERIOD_YEARS)
    position = current_position(portfolio.positions, as_of)
    level = position.level if position else None
    if period is not None:
        dispensation = period_dispensation(portfolio, period)
    else:
        dispensation = dispensation_percent(portfolio.positions, period_start)
    if level is None:
        required = required_technical = Decimal("0.00")
    else:
        required, required_technical = required_cpd(level, dispensation)
    counted = tuple(a for a in portfolio.cpd_activities if a.date > window_start(period_end))
    done, technical = cpd_hours(counted, as_of)

    needed = max(required - done, Decimal("0.00"))
    technical_needed = max(required_technical - technical, Decimal("0.00"))
    months = _months_remaining(as_of, period_end)
    period_days = (period_end - period_start).days
    elapsed = min(max((as_of - period_start).days, 0), period_days)
    fraction = Decimal(elapsed) / period_days
    on_track = done >= _cents(required * fraction) and technical >= _cents(required_technical * fraction)
    return Forecast(
        level=level,
        period_start=period_start,
        period_end=period_end,
        as_of=as_of,
        dispensation_percent=dispensation,
        required_hours=required,
        done_hours=done,
        required_technical_hours=required_technical,
        technical_hours=technical,
        hours_needed=_cents(needed),
        technical_hours_needed=_cents(technical_needed),
        months_remaining=months,
        hours_needed_per_month=_per_month(_cents(needed), months),
        technical_hours_needed_per_month=_per_month(_cents(technical_needed), months),
        elapsed_fraction=fraction.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        on_track=on_track,
    )
