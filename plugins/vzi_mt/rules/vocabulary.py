"""The VZI vocabulary: levels, education, certificates, designations, registration states and
the codes of unmet norms (the contract strings of the API)."""
from __future__ import annotations

from enum import StrEnum


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
