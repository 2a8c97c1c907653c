"""Staff rules that need the database: the line of managers above a person."""
from __future__ import annotations

from sqlalchemy import select

from core import locks
from core.dataio.models import StaffDeparture
from core.dates import dutch_day
from core.errors import FieldMessage, Invalid
from core.extensions import db
from core.staff.models import Staff, needs_company


def managers_above(staff_id: int) -> set[int]:
    """Everyone above ``staff_id`` in the line of managers: their manager, that one's, and so on.

    One recursive query. UNION (not UNION ALL) stops on a loop that is already
    in the data, so the walk always ends.
    """
    line = select(Staff.manager_id.label("id")).where(Staff.id == staff_id, Staff.manager_id.is_not(None)) \
        .cte("line", recursive=True)
    line = line.union(select(Staff.manager_id).join(line, Staff.id == line.c.id).where(Staff.manager_id.is_not(None)))
    return set(db.session.scalars(select(line.c.id)))


def closes_a_loop(staff_id: int | None, manager_id: int | None) -> bool:
    """Whether making ``manager_id`` the manager of ``staff_id`` makes the line of managers go round."""
    if staff_id is None or manager_id is None:
        return False
    return manager_id == staff_id or staff_id in managers_above(manager_id)


def leaving_date(staff_id: int):
    """The day the person left (uit dienst), or None while employed."""
    return db.session.scalar(select(StaffDeparture.left_on).where(StaffDeparture.staff_id == staff_id))


def check_staff(obj, data, is_new) -> None:
    """A person's record holds together: the API's POST/PATCH /staff and the page's form both call this."""
    if obj.manager_id is not None and obj.manager_id == obj.id:
        raise Invalid({"manager_id": [FieldMessage("A person cannot be their own manager.",
                                                   "Niemand is de eigen leidinggevende.")]})
    if obj.manager_id is not None and obj.id is not None:
        locks.serialise("manager_line")  # two changes at once could each pass and together loop
    if closes_a_loop(obj.id, obj.manager_id):
        # Alerts go to a person's manager; a line of managers that goes round has no top.
        raise Invalid({"manager_id": [FieldMessage(
            "This person already stands above that manager: the line of managers would go round.",
            "Deze persoon staat al boven die leidinggevende: de lijn van leidinggevenden zou rondgaan.")]})
    if needs_company(obj.employment_type, obj.company):
        raise Invalid({"company": [FieldMessage("An external person needs the company they work for.",
                                                "Een externe medewerker heeft het bedrijf nodig waarvoor hij of zij werkt.")]})
    if obj.active is None:
        obj.active = True
    if obj.id is not None and obj.start_date is not None:
        left_on = leaving_date(obj.id)
        if left_on is not None and left_on <= obj.start_date:
            raise Invalid({"start_date": [FieldMessage(f"Must be before the leaving date {left_on.isoformat()}.",
                                                      f"Moet vóór de datum van uitdiensttreding liggen ({dutch_day(left_on)}).")]})
