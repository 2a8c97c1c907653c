"""Competence rules owned by the core: one subject, and whose expiry counts."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from core.competence.models import EXPIRING_DAYS, Competence
from core.errors import FieldMessage, Invalid
from core.plugins_runtime import competence_expiry
from core.staff.models import Staff



def assesses_own(staff_id: int | None, assessor_id: int | None) -> bool:
    """Nobody signs off their own competence: one rule for the API and the competence import."""
    return assessor_id is not None and assessor_id == staff_id


def expires_too_early(obtained_on: dt.date | None, expires_on: dt.date | None) -> bool:
    """An expiry lies after the day the competence was obtained (the API and the import alike)."""
    return expires_on is not None and obtained_on is not None and expires_on <= obtained_on


def prepare(competence: Competence, data: dict, is_new: bool) -> None:
    if (competence.device_type_id is None) == (competence.activity_id is None):
        raise Invalid({"device_type_id": [FieldMessage("Give either device_type_id or activity_id, not both or neither.",
                                                 "Kies een type hulpmiddel of een activiteit, niet beide en niet geen "
                                                 "van tweeën.")]})
    if assesses_own(competence.staff_id, competence.assessor_id):
        raise Invalid({"assessor_id": [FieldMessage(
            "A person cannot assess their own competence.", "Niemand beoordeelt de eigen bekwaamheid.")]})
    decision = competence_expiry(competence)
    if decision is not None:
        # The plugin that owns the requirement computes the expiry; a typed value is not kept.
        competence.expires_on = decision.expires_on
        competence.expiry_source = decision.source
    else:
        competence.expiry_source = None
    if expires_too_early(competence.obtained_on, competence.expires_on):
        raise Invalid({"expires_on": [FieldMessage(
            "The expiry must be after the date the competence was obtained.",
            "De vervaldatum moet na de datum van verkrijgen liggen.")]})


def status_clause(status: str, today: dt.date, horizon: int = EXPIRING_DAYS):
    """SQL form of ``Competence.status_on`` for list filters."""
    limit = today + dt.timedelta(days=horizon)
    if status == "expired":
        return Competence.expires_on <= today
    if status == "expiring":
        return and_(Competence.expires_on > today, Competence.expires_on <= limit)
    return or_(Competence.expires_on.is_(None), Competence.expires_on > limit)


def department_clause(department_id: int):
    return Competence.staff_id.in_(select(Staff.id).where(Staff.department_id == department_id))


def latest_on(today: dt.date):
    """The competence is a person's latest record for its device type and role on ``today``: no other
    record obtained by then expires later (or never), and of two with the same expiry the later one
    counts. The home page's expiry lists and its timeline count only these (a renewal replaces)."""
    newer = aliased(Competence)
    return ~exists().where(
        newer.staff_id == Competence.staff_id, newer.device_type_id == Competence.device_type_id,
        newer.role == Competence.role, newer.id != Competence.id, newer.obtained_on <= today,
        or_(newer.expires_on.is_(None), newer.expires_on > Competence.expires_on,
            and_(newer.expires_on == Competence.expires_on, newer.id > Competence.id)))
