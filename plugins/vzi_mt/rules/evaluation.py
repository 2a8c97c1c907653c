"""The evaluation of a portfolio on a day against the certificatienormen: every norm, met or
unmet with its shortfall in numbers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from plugins.vzi_mt.rules.cpd import applicable_dispensation, cpd_hours, dispensation_percent, required_cpd
from plugins.vzi_mt.rules.designation import consecutive_in_training, designate, earlier_certifications
from plugins.vzi_mt.rules.education import check_certificates, check_education
from plugins.vzi_mt.rules.experience import Experience, current_position, designation_experience, experience
from plugins.vzi_mt.rules.expertise import expertise_areas
from plugins.vzi_mt.rules.norm_sets import norms_for
from plugins.vzi_mt.rules.norms import DESIGNATION_YEARS, MAX_IN_TRAINING_PERIODS
from plugins.vzi_mt.rules.numbers import _fmt, _nl, _nl_date, window_start
from plugins.vzi_mt.rules.portfolio import CpdStatus, Evaluation, Portfolio, Unmet
from plugins.vzi_mt.rules.registration import registration_state
from plugins.vzi_mt.rules.vocabulary import Designation, Level, UnmetCode


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
