"""Saved column mappings per import source, and leaving dates of staff (uitdienstdatum)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class ImportMapping(Base):
    """A named column mapping for one source (e.g. "AFAS export"): source header -> field."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    columns: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffDeparture(Base):
    """Uit dienst: when a person left; the retention period for anonymisation runs from here.

    Kept beside ``staff`` (the core's ``active`` flag says whether someone is
    still employed; this says since when not). ``anonymised_at`` is set once
    the person's identifying data has been replaced by placeholders.
    """

    __tablename__ = "staff_departure"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), unique=True)
    left_on: Mapped[dt.date] = mapped_column(Date, index=True)
    anonymised_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
