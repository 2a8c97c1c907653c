"""The VZI certificatienormen as data, each number with the seed's words (Certificatienormen,
Kwaliteitsregister voor medisch technici, VZI, 1 juni 2025)."""
from __future__ import annotations

from decimal import Decimal

from plugins.vzi_mt.rules.vocabulary import CertificateCode, EducationComponent, EducationLevel, Level


PERIOD_YEARS = 3  # VZI certificatienormen, Inleiding: "Een certificatieperiode bedraagt 3 jaar"


CENT = Decimal("0.01")


LEVEL_RANK = {Level.MT3: 0, Level.MT4: 1, Level.MT5: 2}


# LTS = MBO3 < MBO4 < HBO < WO; VZI certificatienormen MT3 §1 "LTS of technische MBO 3"
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


# VZI certificatienormen, Inleiding: "1% dispensatie ... toegekend vanaf 6 jaar voltooide werkervaring"
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
