"""What the big_kt plugin stores: the KT's BIG entry and what hangs off it.

Every table is keyed to ``staff.id``; none alters a core table (STYLE 9).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Hours, UTCDateTime, utcnow

from plugins.big_kt.rules import PROFESSION_REGISTERED_SINCE, RECOGNITION_OUTCOMES  # noqa: E402,F401

STATUSES = ("registered", "suspended", "struck_off", "restricted")
OUTCOMES = ("ok", "different", "error")
QUALITY_KINDS = ("A", "B")


class KtRegistration(Base):
    """Inschrijving in het BIG-register as klinisch technoloog: one per person.

    ``status`` and the restriction fields are the latest recorded ones; what
    held on a given date is in :class:`KtStatusChange`.
    """

    __tablename__ = "big_kt_registration"
    __table_args__ = (
        CheckConstraint("status IN ('registered', 'suspended', 'struck_off', 'restricted')", name="status"),
        CheckConstraint("recognition_outcome IN ('recognised', 'conditions_not_met', 'refused')",
                        name="recognition_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), unique=True)
    big_number: Mapped[str] = mapped_column(String(11), unique=True)
    registered_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    status_since: Mapped[dt.date] = mapped_column(Date)
    restriction: Mapped[Optional[str]] = mapped_column(Text)
    restriction_from: Mapped[Optional[dt.date]] = mapped_column(Date)
    restriction_until: Mapped[Optional[dt.date]] = mapped_column(Date)
    restricted_procedures: Mapped[list] = mapped_column(JSON, default=list)
    diploma_on: Mapped[dt.date] = mapped_column(Date)
    institution: Mapped[Optional[str]] = mapped_column(String(200))
    track: Mapped[Optional[str]] = mapped_column(String(200))
    foreign_diploma: Mapped[bool] = mapped_column(Boolean, default=False)
    # Free-text note on the recognition; the outcome below is what decides.
    recognition_decision: Mapped[Optional[str]] = mapped_column(String(200))
    # Besluit klinisch technoloog, art. 7: the CBGV's decision on a foreign diploma.
    recognition_outcome: Mapped[Optional[str]] = mapped_column(String(20))
    recognition_decided_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    language_proof: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def registration_effective_on(self) -> dt.date:
        """Besluit klinisch technoloog, art. 6: not before 1 July 2020."""
        return max(self.registered_on, PROFESSION_REGISTERED_SINCE)


class KtStatusChange(Base):
    """History of the registration status: each row holds from ``effective_on``
    until the next row's ``effective_on`` (so a past suspension is honoured)."""

    __tablename__ = "big_kt_status_change"
    __table_args__ = (
        CheckConstraint("status IN ('registered', 'suspended', 'struck_off', 'restricted')", name="status"),
        Index("ix_big_kt_status_change_staff_effective", "staff_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    restriction: Mapped[Optional[str]] = mapped_column(Text)
    restriction_from: Mapped[Optional[dt.date]] = mapped_column(Date)
    restriction_until: Mapped[Optional[dt.date]] = mapped_column(Date)
    restricted_procedures: Mapped[list] = mapped_column(JSON, default=list)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class KtSubdomain(Base):
    """Technisch-medisch deelgebied (ClinicalSubdomain), maintained by the admin."""

    __tablename__ = "big_kt_subdomain"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class KtStaffSubdomain(Base):
    """A sub-domain the KT was trained in and works in (Besluit klinisch
    technoloog, art. 5(1)), over ``[valid_from, valid_to]`` (both days
    included; empty ``valid_to`` = open). A link is ended, never erased, so
    earlier dates are decided as they stood."""

    __tablename__ = "big_kt_staff_subdomain"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
        Index("ix_big_kt_staff_subdomain_subdomain", "subdomain_id"),
        Index("ix_big_kt_staff_subdomain_staff", "staff_id", "subdomain_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    subdomain_id: Mapped[int] = mapped_column(ForeignKey("big_kt_subdomain.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[Optional[dt.date]] = mapped_column(Date)


class KtWorkHours(Base):
    """Hours of individual patient care within the KT field over [period_start, period_end]."""

    __tablename__ = "big_kt_work_hours"
    __table_args__ = (Index("ix_big_kt_work_hours_staff_period", "staff_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Hours)


class KtQualityEntry(Base):
    """Entry in the NVvTG quality register (optional, one per person)."""

    __tablename__ = "big_kt_quality_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), unique=True)
    entry_date: Mapped[dt.date] = mapped_column(Date)


class KtQualityActivity(Base):
    """A CPD activity for the NVvTG register; kind A = medical-technical."""

    __tablename__ = "big_kt_quality_activity"
    __table_args__ = (
        CheckConstraint("kind IN ('A', 'B')", name="kind"),
        Index("ix_big_kt_quality_activity_staff_date", "staff_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    points: Mapped[Decimal] = mapped_column(Hours)
    kind: Mapped[str] = mapped_column(String(1))
    title: Mapped[Optional[str]] = mapped_column(String(200))


class KtVerification(Base):
    """One comparison of the local entry with the public BIG register.

    ``different_since`` is the date the same differences were first seen, so
    the alert for them keeps one key however often the check runs.
    """

    __tablename__ = "big_kt_verification"
    __table_args__ = (
        CheckConstraint("outcome IN ('ok', 'different', 'error')", name="outcome"),
        Index("ix_big_kt_verification_staff_checked", "staff_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(10))
    differences: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[Optional[str]] = mapped_column(Text)
    different_since: Mapped[Optional[dt.date]] = mapped_column(Date)
