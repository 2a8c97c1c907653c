"""The competence matrix: staff × device types, each cell competent/expiring/expired/missing.

Built from two small queries whatever the size: the people and device types,
then every competence of those people for those types obtained by the date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import repeat

from sqlalchemy import select

from core.auth.permissions import department_tree, staff_clause
from core.competence.models import EXPIRING_DAYS, Competence, expiry_status
from core.devices.models import DeviceType
from core.extensions import execute_core
from core.staff.models import Staff

STATES = ("competent", "expiring", "expired", "missing")
_NEVER = dt.date.max  # a record without an expiry date: it never expires
_BEFORE_ALL = dt.date.min


@dataclass(frozen=True)
class Cell:
    state: str
    expires_on: dt.date | None


def cell_state(expiries: list[dt.date | None], on: dt.date, horizon: int = EXPIRING_DAYS) -> Cell:
    """The best of a person's records for one device type (valid while on < expires_on: the expiry date is the first day without it)."""
    if not expiries:
        return Cell("missing", None)
    if any(e is None for e in expiries):
        return Cell("competent", None)
    best = max(expiries)
    status = expiry_status(best, on, horizon)
    return Cell("competent" if status == "valid" else status, best)


def build(user, *, on: dt.date, department_id: int | None = None, subdepartments: bool = True,
          technology_group_id: int | None = None, role: str | None = None, cells: bool = True) -> dict:
    """``cells`` False: each row carries ``held`` (device type id -> (state, expires_on)) of
    the cells that are not "missing" instead of every cell (``as_compact``)."""
    people_stmt = select(Staff.id, Staff.name, Staff.employee_number, Staff.employment_type).where(Staff.active.is_(True))
    if department_id is not None:
        depts = department_tree(department_id) if subdepartments else {department_id}
        people_stmt = people_stmt.where(Staff.department_id.in_(depts))
    visible = staff_clause(user)
    if visible is not None:
        people_stmt = people_stmt.where(visible)
    people = execute_core(people_stmt.order_by(Staff.name, Staff.id)).all()

    # The people as a subquery, not 500 bind parameters (psycopg parses each in Python).
    records = select(Competence.staff_id, Competence.device_type_id, Competence.expires_on).where(
        Competence.staff_id.in_(people_stmt.with_only_columns(Staff.id)),
        Competence.device_type_id.is_not(None), Competence.obtained_on <= on)
    if role is not None:
        records = records.where(Competence.role == role)
    types_stmt = select(DeviceType.id, DeviceType.manufacturer, DeviceType.model, DeviceType.name,
                        DeviceType.technology_group_id)
    if technology_group_id is not None:
        types_stmt = types_stmt.where(DeviceType.technology_group_id == technology_group_id)
        records = records.where(Competence.device_type_id.in_(
            select(DeviceType.id).where(DeviceType.technology_group_id == technology_group_id)))
    # The best record of each held (person, type), as ``cell_state`` takes it: a record
    # that never expires wins, else the latest expiry. Plain comparisons in one pass
    # (a list and a Cell per pair cost more than the query, 12,000 pairs a department).
    best: dict[tuple[int, int], dt.date] = {}
    for staff_id, device_type_id, expires_on in execute_core(records):
        key = (staff_id, device_type_id)
        value = _NEVER if expires_on is None else expires_on
        if value > best.get(key, _BEFORE_ALL):
            best[key] = value
    if technology_group_id is None:
        used = {dt_id for _, dt_id in best}
        types_stmt = types_stmt.where(DeviceType.id.in_(used)) if used else types_stmt.where(False)
    device_types = execute_core(types_stmt.order_by(DeviceType.manufacturer, DeviceType.model)).all()

    # The state of each held (person, type) once; every other cell is "missing"
    # (most of a 500 × 200 matrix): no per-cell dataclass, lookups done in C (map).
    # The states as expiry_status gives them: expired from the expiry day on,
    # expiring within EXPIRING_DAYS of it.
    soon = on + dt.timedelta(days=EXPIRING_DAYS)
    held: dict[int, dict[int, tuple]] = {}
    for (staff_id, type_id), expires in best.items():
        if expires is _NEVER:
            cell = ("competent", None)
        elif on >= expires:
            cell = ("expired", expires)
        elif expires <= soon:
            cell = ("expiring", expires)
        else:
            cell = ("competent", expires)
        held.setdefault(staff_id, {})[type_id] = cell
    type_ids = [t.id for t in device_types]
    missing, nothing = ("missing", None), {}
    if not cells:
        rows = [{"staff_id": person.id, "held": held.get(person.id, nothing)} for person in people]
    else:
        rows = [{"staff_id": person.id,
                 "cells": [{"state": state, "expires_on": expires_on} for state, expires_on
                           in map(held.get(person.id, nothing).get, type_ids, repeat(missing))]}
                for person in people]
    return {
        "on": on,
        "staff": [{"id": p.id, "name": p.name, "employee_number": p.employee_number,
                   "employment_type": p.employment_type} for p in people],
        "device_types": [dict(t._mapping) for t in device_types],
        "rows": rows,
    }


def as_json(data: dict) -> dict:
    """``build``'s answer as ``MatrixSchema`` dumps it (ISO dates), built directly.

    Most cells are "missing" and share one dict; a large department has 100,000.
    """
    missing = {"state": "missing", "expires_on": None}

    def cell(value: dict) -> dict:
        if value["state"] == "missing" and value["expires_on"] is None:
            return missing
        expires = value["expires_on"]
        return {"state": value["state"], "expires_on": None if expires is None else expires.isoformat()}

    return {
        "on": data["on"].isoformat(),
        "staff": data["staff"],
        "device_types": data["device_types"],
        "rows": [{"staff_id": row["staff_id"], "cells": [cell(value) for value in row["cells"]]}
                 for row in data["rows"]],
    }


def as_compact(data: dict) -> dict:
    """The compact encoding (``format=compact``): the same facts, each cell once and without keys.

    ``states`` names the states once; each row lists only its cells that are
    not "missing", as ``[column, state, expires_on]`` (column: the index in
    ``device_types``; state: the index in ``states``; expires_on ISO or null).
    A cell not listed is "missing". ``data`` comes from ``build(..., cells=False)``.
    """
    column = {t["id"]: i for i, t in enumerate(data["device_types"])}
    state = {name: i for i, name in enumerate(STATES)}
    rows = []
    for row in data["rows"]:
        held = sorted((column[type_id], state[s], None if e is None else e.isoformat())
                      for type_id, (s, e) in row["held"].items() if type_id in column)
        rows.append({"staff_id": row["staff_id"], "cells": [list(cell) for cell in held]})
    return {"on": data["on"].isoformat(), "format": "compact", "states": list(STATES), "staff": data["staff"],
            "device_types": data["device_types"], "rows": rows}
