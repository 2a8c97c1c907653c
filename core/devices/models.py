"""Technologiegroepen, device types (medisch hulpmiddel, type) and devices (exemplaar)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

MDR_CLASSES = ("I", "IIa", "IIb", "III")
IVDR_CLASSES = ("A", "B", "C", "D")
DEVICE_CLASSES = MDR_CLASSES + IVDR_CLASSES
DEVICE_STATUSES = ("in_use", "in_repair", "in_storage", "decommissioned")


class TechnologyGroup(Base):
    """Technologiegroep: one of the 27 VZI technology groups (SPEC 3.7), seeded."""

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


class Device(Base):
    """Medisch hulpmiddel, exemplaar: one physical asset in the inventory."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_number: Mapped[str] = mapped_column(String(60), unique=True)
    serial_number: Mapped[Optional[str]] = mapped_column(String(100))
    device_type_id: Mapped[int] = mapped_column(ForeignKey("device_type.id"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_use")
