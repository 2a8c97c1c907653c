"""Afdelingen and medewerkers."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

EMPLOYMENT_TYPES = ("internal", "external")


def needs_company(employment_type: str | None, company: str | None) -> bool:
    """An external person (hired in) is recorded with the company they work for: one rule for
    the API, its schema and the staff import."""
    return employment_type == "external" and not company


class Department(Base):
    """Afdeling: an organisational unit; departments form a tree."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"), index=True)


class Staff(Base):
    """Medewerker: a person whose competence is registered, internal or external."""

    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("employment_type IN ('internal', 'external')", name="employment_type"),
        Index("ix_staff_department_active", "department_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(254))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    manager_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    employment_type: Mapped[str] = mapped_column(String(10), default="internal")
    company: Mapped[Optional[str]] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    start_date: Mapped[Optional[dt.date]] = mapped_column(Date)
