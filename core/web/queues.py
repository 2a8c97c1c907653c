"""The work queues of the home page: what a manager has to act on, what a technician has to renew.

Each queue is bounded: a count over everything the viewer may see and the first
``limit`` rows, with a link to the full filtered list. Every query is set-based (one
statement per queue, never one per person) and limited to ``staff_clause(viewer)``: a
manager's department tree, a technician's own record. The dashboard view stays thin;
the query speed is tuned here.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import exists, extract, func, or_, select

from core.alerts.models import CoverageMinimum
from core.auth.permissions import department_tree, staff_clause
from core.competence.services import latest_on
from core.competence.models import Competence
from core.devices.models import DeviceType, TechnologyGroup
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Assignment, Cell, Role
from core.tvb.services import valid_on

QUEUE_LIMIT = 10
TIMELINE_MONTHS = 12
EXPIRED_LOOKBACK_DAYS = 365


def _visible(viewer) -> list:
    clause = staff_clause(viewer)
    return [Staff.active.is_(True), *([clause] if clause is not None else [])]


def _held_now(today: dt.date, staff_id, device_type_id):
    """A record of the person for the device type that is valid on ``today`` (any competence role)."""
    return exists().where(Competence.staff_id == staff_id, Competence.device_type_id == device_type_id,
                          Competence.obtained_on <= today,
                          or_(Competence.expires_on.is_(None), Competence.expires_on > today))


class MissingRow(NamedTuple):
    staff_id: int
    name: str
    device_type_id: int
    manufacturer: str
    model: str
    tvb_role: str
    expired_on: dt.date | None  # the last record's expiry when there was one; None: never held


def missing_competences(viewer, today: dt.date, limit: int = QUEUE_LIMIT) -> dict:
    """People whose TVB role names a device type they hold no valid competence for today.

    "Should hold" is the competence matrix's reading of the TVB (core.competence.matrix_window):
    a cell of a role the person is assigned to on ``today`` names the device type (Leidraad
    Medische Technologie 2026: bevoegd only when bekwaam). Any valid record of the person for
    the type counts (the decision checks the competence role per activity). One statement counts
    the (person, device type) pairs and the people; one lists the first ``limit`` by name; one
    reads the last expiry of the shown pairs.
    """
    pairs = (select(Assignment.staff_id.label("staff_id"), Cell.device_type_id.label("device_type_id"),
                    func.min(Role.name).label("tvb_role"))
             .join(Cell, Cell.role_id == Assignment.role_id).join(Role, Role.id == Assignment.role_id)
             .join(Staff, Staff.id == Assignment.staff_id)
             .where(valid_on(today), Cell.device_type_id.is_not(None), *_visible(viewer),
                    ~_held_now(today, Assignment.staff_id, Cell.device_type_id))
             .group_by(Assignment.staff_id, Cell.device_type_id)).subquery()
    total, people = db.session.execute(select(func.count(), func.count(pairs.c.staff_id.distinct()))).one()
    rows: list[MissingRow] = []
    if total:
        found = db.session.execute(
            select(pairs.c.staff_id, Staff.name, pairs.c.device_type_id, DeviceType.manufacturer, DeviceType.model,
                   pairs.c.tvb_role)
            .join(Staff, Staff.id == pairs.c.staff_id).join(DeviceType, DeviceType.id == pairs.c.device_type_id)
            .order_by(Staff.name, Staff.id, DeviceType.manufacturer, DeviceType.model).limit(limit)).all()
        staff_ids = {r[0] for r in found}
        type_ids = {r[2] for r in found}
        last = {(s, t): e for s, t, e in db.session.execute(
            select(Competence.staff_id, Competence.device_type_id, func.max(Competence.expires_on))
            .where(Competence.staff_id.in_(staff_ids), Competence.device_type_id.in_(type_ids),
                   Competence.obtained_on <= today)
            .group_by(Competence.staff_id, Competence.device_type_id))}
        rows = [MissingRow(*r, last.get((r[0], r[2]))) for r in found]
    return {"total": total, "people": people, "rows": rows}


def expiry_timeline(viewer, today: dt.date, department_id: int, months: int = TIMELINE_MONTHS) -> list[dict]:
    """Per calendar month from this one, the competences (latest record of a person, device type and
    role) of a department (and those below it) that expire in it, up to ``months`` months ahead:
    one GROUP BY year and month. Per department: across the large hospital the "is the latest"
    check of a year's candidates alone took 1.3 s."""
    end = _add_months(today.replace(day=1), months)
    latest = latest_on(today)
    year, month = extract("year", Competence.expires_on), extract("month", Competence.expires_on)
    counted = dict(((int(y), int(m)), n) for y, m, n in db.session.execute(
        select(year, month, func.count()).join(Staff, Staff.id == Competence.staff_id)
        .where(*_visible(viewer), Staff.department_id.in_(department_tree(department_id)),
               Competence.device_type_id.is_not(None), Competence.obtained_on <= today,
               Competence.expires_on > today, Competence.expires_on < end, latest)
        .group_by(year, month)))
    out, first = [], today.replace(day=1)
    for index in range(months):
        start = _add_months(first, index)
        out.append({"month": start, "count": counted.get((start.year, start.month), 0)})
    return out


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day`` (a first of a month)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def coverage(viewer, today: dt.date) -> list[dict]:
    """Per technology group with a minimum (CoverageMinimum, the core's "fewest competent people a
    device type must have"): the people the viewer may see with a valid competence of the minimum's
    role for a device type of the group, against that minimum. Two statements: the minimums, then
    one GROUP BY over the competences of those groups (joined to the minimums in one statement,
    SQLite ran the grouped subquery once per minimum: 70 s on the large hospital).

    A group's minimum applies to each of its device types, so the number here (people across
    the group) is an upper bound for its weakest type; the coverage alert checks per type.
    """
    minimums = db.session.execute(
        select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en,
               CoverageMinimum.role, func.max(CoverageMinimum.minimum))
        .join(CoverageMinimum, CoverageMinimum.technology_group_id == TechnologyGroup.id)
        .group_by(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en,
                  CoverageMinimum.role)
        .order_by(TechnologyGroup.code, CoverageMinimum.role)).all()
    if not minimums:
        return []
    people = dict(((group_id, role), count) for group_id, role, count in db.session.execute(
        select(DeviceType.technology_group_id, Competence.role, func.count(Competence.staff_id.distinct()))
        .select_from(Competence).join(DeviceType, DeviceType.id == Competence.device_type_id)
        .join(Staff, Staff.id == Competence.staff_id)
        .where(*_visible(viewer), Competence.obtained_on <= today,
               or_(Competence.expires_on.is_(None), Competence.expires_on > today),
               DeviceType.technology_group_id.in_({m[0] for m in minimums}),
               Competence.role.in_({m[4] for m in minimums}))
        .group_by(DeviceType.technology_group_id, Competence.role)))
    return [{"group_id": gid, "code": code, "name": name, "name_en": name_en, "role": role, "minimum": minimum,
             "people": people.get((gid, role), 0)} for gid, code, name, name_en, role, minimum in minimums]


class OwnCompetence(NamedTuple):
    device_type_id: int
    manufacturer: str
    model: str
    role: str
    expires_on: dt.date | None
    state: str  # valid, expiring, expired


def own_status(viewer, today: dt.date, horizon: int = 90) -> dict:
    """A technician's own page: their TVB roles today, their competences (the best record per
    device type and role) with what to renew by when. Small: one person's rows."""
    if viewer.staff_id is None:
        return {"roles": [], "valid": [], "renew": []}
    roles = db.session.scalars(
        select(Role.name).join(Assignment, Assignment.role_id == Role.id)
        .where(Assignment.staff_id == viewer.staff_id, valid_on(today)).order_by(Role.name)).all()
    best: dict[tuple, tuple] = {}
    for type_id, manufacturer, model, role, expires_on in db.session.execute(
            select(Competence.device_type_id, DeviceType.manufacturer, DeviceType.model, Competence.role,
                   Competence.expires_on)
            .join(DeviceType, DeviceType.id == Competence.device_type_id)
            .where(Competence.staff_id == viewer.staff_id, Competence.obtained_on <= today)):
        key = (type_id, role)
        rank = dt.date.max if expires_on is None else expires_on
        if key not in best or rank > best[key][0]:
            best[key] = (rank, manufacturer, model, expires_on)
    valid, renew = [], []
    soon = today + dt.timedelta(days=horizon)
    for (type_id, role), (_rank, manufacturer, model, expires_on) in best.items():
        state = ("valid" if expires_on is None or expires_on > soon
                 else "expired" if expires_on <= today else "expiring")
        row = OwnCompetence(type_id, manufacturer, model, role, expires_on, state)
        (valid if state != "expired" else []).append(row)
        # Expired more than a year ago is history, not work (as the dashboard's buckets).
        if state == "expiring" or (state == "expired" and expires_on > today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS)):
            renew.append(row)
    valid.sort(key=lambda r: (r.manufacturer, r.model, r.role))
    renew.sort(key=lambda r: (r.expires_on or dt.date.max, r.manufacturer, r.model))
    return {"roles": roles, "valid": valid, "renew": renew}
