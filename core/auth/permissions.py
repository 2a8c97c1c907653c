"""Who may read and write what.

admin: everything · tvb_admin: the TVB matrix, reads everything ·
mt_manager (manager medische technologie): hospital-wide objects, reads everything ·
manager: reads and edits their own department tree · technician: only
themself · auditor: reads everything, writes nothing.
"""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from core.auth.models import ROLES
from core.errors import abort
from core.extensions import db
from core.staff.models import Department, Staff

# The roles, once: every other module names its roles with these.
ADMIN, TVB_ADMIN, MT_MANAGER, MANAGER, TECHNICIAN, AUDITOR = ROLES
ALL_ROLES_READ = ROLES
EVERYTHING = (ADMIN, TVB_ADMIN, MT_MANAGER, AUDITOR)  # read every person's data
# Objects that hold for the whole hospital (device types, risk screenings,
# safety notices, approvals, releases, overrides, the policy, coverage
# minimums): a change there changes the competences of every department, so
# no department manager may make it.
HOSPITAL_WIDE_WRITERS = (ADMIN, MT_MANAGER)
STAFF_WRITERS = (ADMIN, MANAGER)  # a person's records; a manager only in their own tree
SELF_SERVICE = (ADMIN, MANAGER, TECHNICIAN)  # as STAFF_WRITERS, and a technician for themself only
TVB_WRITERS = (ADMIN, TVB_ADMIN)  # the TVB matrix's roles, activities and cells
ASSIGNERS = (ADMIN, TVB_ADMIN, MANAGER)  # who holds a TVB role (a manager: their own tree)
AUDIT_READERS = (ADMIN, AUDITOR)  # the audit trail and the access log
ACKNOWLEDGERS = tuple(role for role in ROLES if role != AUDITOR)  # an auditor writes nothing


def current_user():
    return g.get("user")


def require(*roles: str) -> None:
    user = current_user()
    if user is None:
        abort(401, message="Authentication required.")
    if user.role not in roles:
        abort(403, message=f"Role '{user.role}' may not do this.")


def department_tree(root_id: int | None) -> set[int]:
    """The department and all below it (one query; departments are few)."""
    if root_id is None:
        return set()
    children: dict[int | None, list[int]] = {}
    for dept_id, parent_id in db.session.execute(select(Department.id, Department.parent_id)):
        children.setdefault(parent_id, []).append(dept_id)
    tree, todo = set(), [root_id]
    while todo:
        dept = todo.pop()
        if dept not in tree:
            tree.add(dept)
            todo.extend(children.get(dept, ()))
    return tree


def managed_departments(user) -> set[int]:
    cache = g.setdefault("_managed_departments", {})
    if user.id not in cache:
        root = user.department_id
        if root is None and user.staff_id is not None:
            root = db.session.get(Staff, user.staff_id).department_id
        cache[user.id] = department_tree(root)
    return cache[user.id]


def staff_clause(user):
    """A WHERE clause on Staff limiting rows to what ``user`` may see; None = all."""
    if user.role in EVERYTHING:
        return None
    if user.role == "manager":
        return Staff.department_id.in_(managed_departments(user))
    return Staff.id == user.staff_id


def may_see_staff(user, staff: Staff) -> bool:
    if user.role in EVERYTHING:
        return True
    if user.role == "manager":
        return staff.department_id in managed_departments(user)
    return staff.id == user.staff_id


def may_edit_staff(user, staff: Staff) -> bool:
    """Write access to a person and the records about them."""
    if user.role == "admin":
        return True
    return user.role == "manager" and staff.department_id in managed_departments(user)


def visible_staff_ids(user):
    """A subquery of visible staff ids, or None for all."""
    clause = staff_clause(user)
    return None if clause is None else select(Staff.id).where(clause)
