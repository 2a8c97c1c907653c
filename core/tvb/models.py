"""TVB-matrix: taken (T), verantwoordelijkheden (V), bevoegdheden (B) per role × activity."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

LEVELS = ("strategic", "tactical", "operational")


class Role(Base):
    """A function such as "MT4 anesthesie" or "key user IC"."""

    __tablename__ = "tvb_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[Optional[str]] = mapped_column(Text)


class Activity(Base):
    """An activity of the TVB matrix; ``requirements`` is keyed by plugin name."""

    __tablename__ = "tvb_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[str] = mapped_column(String(20), default="operational")
    lifecycle_phase: Mapped[Optional[int]] = mapped_column(Integer)
    requirements: Mapped[dict] = mapped_column(JSON, default=dict)


class Cell(Base):
    """Role × activity → letters, in a scope: a technology group, a device type, or all."""

    __tablename__ = "tvb_cell"
    __table_args__ = (
        CheckConstraint(
            "technology_group_id IS NULL OR device_type_id IS NULL", name="one_scope"
        ),
        Index("ix_tvb_cell_activity_role", "activity_id", "role_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("tvb_role.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("tvb_activity.id"))
    letters: Mapped[str] = mapped_column(String(3))  # canonical order "TVB"
    technology_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("technology_group.id"))
    device_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("device_type.id"))


class Assignment(Base):
    """A person holds a role from valid_from up to and including valid_to (empty: open)."""

    __tablename__ = "tvb_assignment"
    __table_args__ = (
        Index("ix_tvb_assignment_role_dates", "role_id", "valid_from", "valid_to"),
        # staff first: can_perform looks up one person's roles held on a date (covering).
        Index("ix_tvb_assignment_staff_role_dates", "staff_id", "role_id", "valid_from", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    role_id: Mapped[int] = mapped_column(ForeignKey("tvb_role.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[Optional[dt.date]] = mapped_column(Date)


class CellVersion(Base):
    """What a cell granted over a period: ``valid_from <= day < valid_until`` (empty: open).

    The decision reads these, never the current ``tvb_cell`` row, so that a
    change made today does not alter the answer for an earlier date
    (Leidraad Medische Technologie 2026: the TVB matrix must show who was
    bevoegd at the time). Written by ``core.tvb.history`` on every flush.
    ``cell_id`` has no foreign key: a deleted cell keeps its past.
    """

    __tablename__ = "tvb_cell_version"
    __table_args__ = (
        Index("ix_tvb_cell_version_activity_role", "activity_id", "role_id", "valid_from", "valid_until"),
        Index("ix_tvb_cell_version_cell", "cell_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(Integer)
    role_id: Mapped[int] = mapped_column(ForeignKey("tvb_role.id"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("tvb_activity.id"))
    letters: Mapped[str] = mapped_column(String(3))
    technology_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("technology_group.id"))
    device_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("device_type.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[Optional[dt.date]] = mapped_column(Date)


class ActivityVersion(Base):
    """An activity's ``requirements`` over a period: ``valid_from <= day < valid_until``.

    A stricter (or looser) requirement decided today governs from today on;
    earlier dates keep the requirements they had. ``activity_id`` has no
    foreign key, like ``CellVersion.cell_id``.
    """

    __tablename__ = "tvb_activity_version"
    __table_args__ = (Index("ix_tvb_activity_version_activity", "activity_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(Integer)
    requirements: Mapped[dict] = mapped_column(JSON, default=dict)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[Optional[dt.date]] = mapped_column(Date)
