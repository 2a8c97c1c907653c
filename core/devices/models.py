"""Technologiegroepen, device types (medisch hulpmiddel, type) and devices (exemplaar)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import (
    Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, event, false, inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

MDR_CLASSES = ("I", "IIa", "IIb", "III")
IVDR_CLASSES = ("A", "B", "C", "D")
DEVICE_CLASSES = MDR_CLASSES + IVDR_CLASSES
DEVICE_STATUSES = ("in_use", "in_repair", "in_storage", "decommissioned")


class TechnologyGroup(Base):
    """Technologiegroep: one of the 27 VZI technology groups (VZI certificatienormen (juni 2025), Deskundigheidsgebieden), seeded."""

    __tablename__ = "technology_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class DeviceType(Base):
    """A technology/model; competence is held per device type."""

    __tablename__ = "device_type"
    __table_args__ = (
        UniqueConstraint("manufacturer", "model"),
        CheckConstraint("lifecycle_phase BETWEEN 1 AND 7", name="lifecycle_phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    manufacturer: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    technology_group_id: Mapped[int] = mapped_column(ForeignKey("technology_group.id"), index=True)
    mdr_class: Mapped[Optional[str]] = mapped_column(String(3))
    lifecycle_phase: Mapped[int] = mapped_column(Integer, default=1)
    released_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # A type already in use when it was registered (entered in phase 6 with its
    # historical release date) rather than released through the release procedure.
    legacy_registration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    phases: Mapped[list["DeviceTypePhase"]] = relationship(
        back_populates="device_type", cascade="all, delete-orphan", order_by="DeviceTypePhase.id")
    phase_since = None  # not stored: from when a phase set by a service takes effect (see _record_phases)


USE_PHASE = 6  # gebruik en instandhouding (Leidraad Medische Technologie 2026, levensloop 6)
DECOMMISSIONED_PHASE = 7  # buitengebruikstellen en afvoer (levensloop 7)
HISTORY_START = dt.date(1900, 1, 1)  # "since ever": a phase whose start is not known


class DeviceTypePhase(Base):
    """Levensloop as dated history: the phase a device type is in from ``valid_from`` on.

    On a day, the phase is that of the row recorded last among those with
    ``valid_from`` on or before the day: a later record speaks for its date and
    every date after it, an earlier date is decided as it stood.
    """

    __tablename__ = "device_type_phase"
    __table_args__ = (
        Index("ix_device_type_phase_type_from", "device_type_id", "valid_from"),
        CheckConstraint("phase BETWEEN 1 AND 7", name="phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"))
    phase: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    device_type: Mapped[DeviceType] = relationship(back_populates="phases")


def _actor_id():
    from core.audit.services import _actor
    actor = _actor()
    return getattr(actor, "id", None)


@event.listens_for(Session, "before_flush")
def _record_phases(session, flush_context, instances):
    """Every phase a device type takes is recorded with the date it takes effect.

    The services say from when (``phase_since``: the release date, an explicit
    date); otherwise from today. A type registered in use takes its phase from
    its release date, a type registered before use from "since ever" (the phases
    before use decide nothing, and a later back-dated release must win).
    """
    rows = []
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, DeviceType):
            continue
        history = inspect(obj).attrs.lifecycle_phase.history
        if obj in session.new:
            phase = obj.lifecycle_phase or 1
            since = getattr(obj, "phase_since", None)
            if phase >= USE_PHASE and obj.released_on is not None:
                # Born in use with a release date: a legacy registration whichever way it came
                # in (API, import); the release procedure only ever releases an existing type.
                obj.legacy_registration = True
                rows.append((obj, USE_PHASE, obj.released_on))
                if phase == DECOMMISSIONED_PHASE:
                    rows.append((obj, phase, since or dt.date.today()))
            else:
                rows.append((obj, phase, since or (HISTORY_START if phase < USE_PHASE else dt.date.today())))
        elif history.has_changes() and history.added and history.added[0] != (history.deleted or [None])[0]:
            rows.append((obj, history.added[0], getattr(obj, "phase_since", None) or dt.date.today()))
        obj.phase_since = None
    if rows:
        actor = _actor_id()
        for obj, phase, since in rows:
            session.add(DeviceTypePhase(device_type=obj, phase=phase, valid_from=since, recorded_by=actor))


class Device(Base):
    """Medisch hulpmiddel, exemplaar: one physical asset in the inventory."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_number: Mapped[str] = mapped_column(String(60), unique=True)
    serial_number: Mapped[Optional[str]] = mapped_column(String(100))
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_use")
