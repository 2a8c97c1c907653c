"""One window of the competence matrix: a page of people × a page of device types.

The page never builds the whole matrix (the large hospital's unfiltered matrix was
15,000 people × 3,000 device types, 81 s and 13.7 MB). The columns are the device
types someone in view holds a record for or should hold one for (a TVB cell of a
role they are assigned to names the type); the cells are read for the window only.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from core.auth.permissions import department_tree, staff_clause
from core.competence.matrix import cell_state
from core.competence.models import Competence
from core.devices.models import DeviceType
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Assignment, Cell
from core.tvb.services import valid_on


def _held(people, on: dt.date, role: str | None, types=None):
    """Device-type ids with a record of someone in ``people`` obtained by ``on`` (of ``types`` only)."""
    stmt = select(Competence.device_type_id).where(Competence.staff_id.in_(people),
                                                     Competence.device_type_id.is_not(None),
                                                     Competence.obtained_on <= on)
    if types is not None:  # read through the device-type index: a group's records, not the hospital's
        stmt = stmt.where(Competence.device_type_id.in_(types))
    return stmt.where(Competence.role == role) if role is not None else stmt


def _should(people, on: dt.date, types=None):
    """Device-type ids a TVB cell names for a role someone in ``people`` holds on ``on``."""
    stmt = (select(Cell.device_type_id).join(Assignment, Assignment.role_id == Cell.role_id)
            .where(Assignment.staff_id.in_(people), Cell.device_type_id.is_not(None), valid_on(on)))
    return stmt.where(Cell.device_type_id.in_(types)) if types is not None else stmt


def _concerned(on: dt.date, role: str | None, types):
    """Staff ids who hold a record of one of ``types`` or should (TVB): one set, read once."""
    held = select(Competence.staff_id).where(Competence.device_type_id.in_(types), Competence.obtained_on <= on)
    if role is not None:
        held = held.where(Competence.role == role)
    should = (select(Assignment.staff_id).join(Cell, Cell.role_id == Assignment.role_id)
              .where(Cell.device_type_id.in_(types), valid_on(on)))
    return held.union(should)


def window(user, *, on: dt.date, department_id: int | None, technology_group_id: int | None,
           role: str | None, row_page: int, rows: int, column_page: int, columns: int) -> dict:
    """The people and device types of one window, their totals, and the window's cells."""
    people = select(Staff.id).where(Staff.active.is_(True))
    if department_id is not None:
        people = people.where(Staff.department_id.in_(department_tree(department_id)))
    visible = staff_clause(user)
    if visible is not None:
        people = people.where(visible)

    in_group = None
    if technology_group_id is not None:
        in_group = select(DeviceType.id).where(DeviceType.technology_group_id == technology_group_id)
    types = select(DeviceType.id).where(or_(DeviceType.id.in_(_held(people, on, role, in_group)),
                                            DeviceType.id.in_(_should(people, on, in_group))))
    if in_group is not None and department_id is None:
        # A technology group across the hospital: only the people it concerns.
        people = people.where(Staff.id.in_(_concerned(on, role, in_group)))
    type_rows = db.session.execute(
        select(DeviceType.id, DeviceType.manufacturer, DeviceType.model, DeviceType.name,
               DeviceType.technology_group_id).where(DeviceType.id.in_(types))
        .order_by(DeviceType.manufacturer, DeviceType.model, DeviceType.id)).all()
    column_total = len(type_rows)
    column_page = min(max(1, column_page), max(1, -(-column_total // columns)))
    shown_types = type_rows[(column_page - 1) * columns:column_page * columns]

    row_total = db.session.scalar(select(func.count()).select_from(people.subquery()))
    row_page = min(max(1, row_page), max(1, -(-row_total // rows)))
    shown_people = db.session.execute(
        select(Staff.id, Staff.name, Staff.employee_number, Staff.employment_type)
        .where(Staff.id.in_(people)).order_by(Staff.name, Staff.id)
        .offset((row_page - 1) * rows).limit(rows)).all() if shown_types else []

    staff_ids, type_ids = [p.id for p in shown_people], [t.id for t in shown_types]
    expiries: dict[tuple[int, int], list] = {}
    if staff_ids and type_ids:
        records = select(Competence.staff_id, Competence.device_type_id, Competence.expires_on).where(
            Competence.staff_id.in_(staff_ids), Competence.device_type_id.in_(type_ids),
            Competence.obtained_on <= on)
        if role is not None:
            records = records.where(Competence.role == role)
        for staff_id, type_id, expires_on in db.session.execute(records):
            expiries.setdefault((staff_id, type_id), []).append(expires_on)
    held = {key: cell_state(dates, on) for key, dates in expiries.items()}
    missing = {"state": "missing", "expires_on": None}
    grid = [{"staff_id": p.id,
             "cells": [({"state": c.state, "expires_on": c.expires_on} if (c := held.get((p.id, t))) else missing)
                       for t in type_ids]} for p in shown_people]
    return {"on": on,
            "staff": [dict(p._mapping) for p in shown_people],
            "device_types": [dict(t._mapping) for t in shown_types],
            "rows": grid,
            "row_page": row_page, "row_total": row_total, "rows_per_page": rows,
            "column_page": column_page, "column_total": column_total, "columns_per_page": columns}
