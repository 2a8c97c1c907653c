"""Whose data a user may see: one answer for the API, the pages and the plugins.

A person outside the user's reach is "not found", never "forbidden": their
existence is not revealed. Writing needs more than seeing (``editable_staff``).
"""
from __future__ import annotations

from core.auth.permissions import may_edit_staff, may_see_staff
from core.errors import NotAllowed, NotFound
from core.extensions import db
from core.staff.models import Staff


def visible_staff(user, staff_id: int) -> Staff:
    """The person if ``user`` may see them; otherwise ``NotFound``."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not may_see_staff(user, staff):
        raise NotFound(f"No staff with id {staff_id}.", message_nl=f"Geen medewerker met id {staff_id}.")
    return staff


def editable_staff(user, staff_id: int, refusal: str = "You may read this person's data but not change it.") -> Staff:
    """The person if ``user`` may change their records; ``NotFound`` if unseen, ``NotAllowed`` if read-only."""
    staff = visible_staff(user, staff_id)
    if not may_edit_staff(user, staff):
        raise NotAllowed(refusal, message_nl="U mag de gegevens van deze persoon lezen, maar niet wijzigen.")
    return staff
