"""Recording competences: the resource the REST API serves and the writes the pages share.

POST /api/v1/competences, the profile's "record a competence" form and the
training-session form all go through ``crud.save(COMPETENCES, ...)``: the same
references, the same ``services.prepare`` (one subject, nobody assesses their
own competence, the plugins' expiry) and the same write check (``may_write``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from core import crud
from core.auth.permissions import STAFF_WRITERS, may_edit_staff, may_see_staff, visible_staff_ids
from core.competence import services
from core.competence.models import Competence
from core.competence.schemas import CompetenceFilters, CompetenceSchema
from core.devices.models import DeviceType
from core.errors import DomainError, FieldMessage, Invalid
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity

# A training session names its people one by one; a larger list is a paste gone wrong.
SESSION_MAX_PEOPLE = 500


def scope(user):
    ids = visible_staff_ids(user)
    return None if ids is None else Competence.staff_id.in_(ids)


def may_write(user, competence) -> bool:
    """A person's competences are written by whoever may edit the person (a manager: their own tree)."""
    return may_edit_staff(user, db.session.get(Staff, competence.staff_id))


COMPETENCES = crud.Resource(
    name="competence", path="/competences", model=Competence,
    person_of=lambda obj: obj.staff_id,
    schema=CompetenceSchema, filter_schema=CompetenceFilters,
    write_roles=STAFF_WRITERS,
    references={"staff_id": Staff, "device_type_id": DeviceType, "activity_id": Activity, "assessor_id": Staff},
    scope=scope, may_write=may_write, before_save=services.prepare,
    filter_clauses={
        "status": lambda s: services.status_clause(s, dt.date.today()),
        "department_id": services.department_clause,
    },
    order_by=Competence.id,
)


def record(data: dict) -> Competence:
    """One competence, as POST /competences writes it (``data`` as ``CompetenceSchema`` loads it).

    A renewal is such a new record too: the old one stays as it was, with its history.
    """
    return crud.save(COMPETENCES, Competence(), data, is_new=True)


@dataclass
class Refusal:
    """A person of a training session who cannot be recorded, and why (English, as the API says it)."""

    number: str
    name: str | None  # None: no such person, or one the user may not know of
    reasons: list[str] = field(default_factory=list)


class SessionRefused(Invalid):
    """At least one person of a training session was refused: nothing of the session is written."""

    def __init__(self, refusals: list[Refusal]):
        super().__init__({r.number: r.reasons for r in refusals},
                         message_nl="De sessie is niet vastgelegd: niet iedereen kon worden vastgelegd.")
        self.refusals = refusals


NOT_YOURS = "No person with this employee number whose records you may change."


def record_session(user, numbers: list[str], common: dict) -> list[Competence]:
    """One training session: the same device type, date, method and assessor for many people at once.

    All or nothing: every person goes through ``record`` (the API's checks); when
    any one is refused, the session's transaction is rolled back and
    ``SessionRefused`` names each refused person with the reasons. A person the
    user may not see is named only by the number typed, as the API's 404 does.
    """
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if not wanted:
        raise Invalid({"people": [FieldMessage("Choose at least one person.", "Kies ten minste één persoon.")]})
    if len(wanted) > SESSION_MAX_PEOPLE:
        raise Invalid({"people": [FieldMessage(f"At most {SESSION_MAX_PEOPLE} people in one session.",
                                                f"Ten hoogste {SESSION_MAX_PEOPLE} personen in één sessie.")]})
    found = {s.employee_number: s for s in db.session.scalars(select(Staff).where(Staff.employee_number.in_(wanted)))}
    refusals, written = [], []
    for number in wanted:
        staff = found.get(number)
        if staff is None or not may_see_staff(user, staff) or not may_edit_staff(user, staff):
            refusals.append(Refusal(number, None, [NOT_YOURS]))
            continue
        if not staff.active:
            refusals.append(Refusal(number, staff.name, ["This person is no longer active."]))
            continue
        try:
            written.append(record({**common, "staff_id": staff.id}))
        except DomainError as exc:
            reasons = [str(m) for messages in (exc.errors or {}).values() for m in messages] or [exc.message or ""]
            refusals.append(Refusal(number, staff.name, reasons))
        except HTTPException as exc:  # the write check's 403
            refusals.append(Refusal(number, staff.name, [str(exc.description or NOT_YOURS)]))
    if refusals:
        db.session.rollback()  # the people recorded before the refusal go too: all or nothing
        raise SessionRefused(refusals)
    return written
