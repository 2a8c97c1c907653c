"""Alerts: expiry events stored at most once per key, and their deliveries."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (
        Index("ix_alert_staff", "staff_id"),
        # The open alerts of a department (dashboard, inbox): migration 0012_core_load.
        Index("ix_alert_open_staff", "staff_id", postgresql_where=text("acknowledged_at IS NULL"),
              sqlite_where=text("acknowledged_at IS NULL")),
        Index("ix_alert_device_type", "device_type_id"),
        Index("ix_alert_kind_due", "kind", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # (subject, kind, due date, horizon): the unique constraint is what makes
    # "exactly once" hold across reruns and processes (docs/alerts.md, Exactly once).
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(40))
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    device_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("device_type.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    horizon_days: Mapped[Optional[int]] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    # The Dutch text where the source gives one (e-mail to a Dutch reader, the web UI).
    message_nl: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))


class AlertDelivery(Base):
    """One message of one alert to one recipient over one channel."""

    __tablename__ = "alert_delivery"
    __table_args__ = (UniqueConstraint("alert_id", "channel", "recipient"),
                      Index("ix_alert_delivery_pending", "delivered_at", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id"))
    channel: Mapped[str] = mapped_column(String(20))  # email / webhook
    recipient: Mapped[str] = mapped_column(String(300))
    delivered_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(Text)


class AlertRun(Base):
    """A day's run, claimed in the database so only one process does it."""

    __tablename__ = "alert_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_date: Mapped[dt.date] = mapped_column(Date, unique=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    created: Mapped[int] = mapped_column(Integer, default=0)


class CoverageMinimum(Base):
    """The fewest competent people (default: technicians) a device type must have.

    Set for one device type, or for a technology group, where it applies to every
    device type of the group that has no minimum of its own for the same role.
    """

    __tablename__ = "coverage_minimum"
    __table_args__ = (
        CheckConstraint("(device_type_id IS NULL) <> (technology_group_id IS NULL)", name="one_subject"),
        CheckConstraint("minimum >= 1", name="minimum_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("device_type.id"), index=True)
    technology_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("technology_group.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="technician")
    minimum: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
