"""Opleiding and certificaten (certificatienormen §1 and §1.2), with their equivalences."""
from __future__ import annotations

from datetime import date

from plugins.vzi_mt.rules.experience import Experience, experience
from plugins.vzi_mt.rules.norms import CERTIFICATE_EQUIVALENCE_YEARS, CERTIFICATE_EQUIVALENCE_YEARS_AT_MT5, EDUCATION_COMPONENTS, EDUCATION_EQUIVALENCE, EDUCATION_MINIMUM, EDUCATION_RANK, LEVEL_RANK, REQUIRED_CERTIFICATES
from plugins.vzi_mt.rules.numbers import _fmt, _nl
from plugins.vzi_mt.rules.portfolio import Certificate, Education, Position, Unmet
from plugins.vzi_mt.rules.vocabulary import EducationComponent, EducationField, EducationLevel, Level, UnmetCode


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
