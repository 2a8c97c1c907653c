"""What the documents show about people on a day: their roles, competences and registrations.

Read set-based for any number of people (one query per kind of fact): the
inspection report lists everyone with a role for the activity at once. The
decision itself is never made here; ``core.decision`` makes it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from core import plugins_runtime
from core.audit import chain
from core.audit.models import AuditEntry
from core.competence.models import Competence, expiry_status
from core.decision.services import _scope_covers
from core.devices.models import DeviceType, TechnologyGroup
from core.extensions import db
from core.staff.models import Department, Staff
from core.tvb.history import cell_version_on
from core.tvb.models import Activity, Assignment, CellVersion, Role
from core.tvb.services import valid_on


@dataclass
class CompetenceFact:
    subject: str
    device_type_id: int | None
    activity_id: int | None
    role: str
    method: str
    obtained_on: dt.date
    expires_on: dt.date | None
    assessor: str | None
    evidence: str | None
    state: str  # valid / expiring / expired on the day


@dataclass
class RoleFact:
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    # The cells for the activity in a covering scope: (letters, technology group code, device type or None).
    cells: list[tuple] = field(default_factory=list)


@dataclass
class PersonFacts:
    staff: Staff
    department: str | None
    roles: list[RoleFact] = field(default_factory=list)
    competences: list[CompetenceFact] = field(default_factory=list)
    registrations: list[dict] = field(default_factory=list)


def horizon_days() -> int:
    """The widest alert horizon (BEKWAAM_ALERT_HORIZONS): within it a competence is "expiring"."""
    return max(current_app.config.get("BEKWAAM_ALERT_HORIZONS") or [90])


def audit_head() -> tuple[int, str]:
    """The last row of the hash-chained audit trail: (its id, its row hash)."""
    return chain.head(db.session.connection(), AuditEntry.__table__)


def _roles(staff_ids, on) -> dict[int, list[RoleFact]]:
    found: dict[int, list[RoleFact]] = defaultdict(list)
    for sid, name, start, end in db.session.execute(
            select(Assignment.staff_id, Role.name, Assignment.valid_from, Assignment.valid_to)
            .join(Role, Role.id == Assignment.role_id)
            .where(Assignment.staff_id.in_(staff_ids), valid_on(on)).order_by(Role.name)):
        found[sid].append(RoleFact(name, start, end))
    return found


def _cells(staff_ids, activity: Activity, device_type: DeviceType | None, on) -> dict[int, list[str]]:
    """Each person's TVB cells for the activity that cover the type on the day, as "role: T, V, B (scope)".

    The covering rule is the decision's own (``_scope_covers``), so the report
    names exactly the cells the decision read.
    """
    found: dict[int, list[str]] = defaultdict(list)
    group = aliased(TechnologyGroup)
    rows = db.session.execute(
        select(Assignment.staff_id, Role.name, CellVersion.letters, group.code, CellVersion.device_type_id)
        .join(CellVersion, and_(CellVersion.role_id == Assignment.role_id, CellVersion.activity_id == activity.id,
                                cell_version_on(on)))
        .join(Role, Role.id == Assignment.role_id)
        .outerjoin(group, group.id == CellVersion.technology_group_id)
        .where(Assignment.staff_id.in_(staff_ids), valid_on(on), _scope_covers(device_type)))
    for sid, role, letters, group_code, cell_type in rows:
        found[sid].append((role, letters, group_code, cell_type))
    return found


def _competences(staff_ids, on, device_type_id=None) -> dict[int, list[CompetenceFact]]:
    assessor = aliased(Staff)
    stmt = (select(Competence, DeviceType.manufacturer, DeviceType.model, Activity.name, assessor.name)
            .outerjoin(DeviceType, DeviceType.id == Competence.device_type_id)
            .outerjoin(Activity, Activity.id == Competence.activity_id)
            .outerjoin(assessor, assessor.id == Competence.assessor_id)
            .where(Competence.staff_id.in_(staff_ids), Competence.obtained_on <= on)
            .order_by(Competence.obtained_on.desc(), Competence.id))
    if device_type_id is not None:
        stmt = stmt.where(Competence.device_type_id == device_type_id)
    found: dict[int, list[CompetenceFact]] = defaultdict(list)
    horizon = horizon_days()
    for c, manufacturer, model, activity_name, assessor_name in db.session.execute(stmt):
        subject = f"{manufacturer} {model}" if c.device_type_id is not None else (activity_name or "")
        found[c.staff_id].append(CompetenceFact(
            subject, c.device_type_id, c.activity_id, c.role, c.method, c.obtained_on, c.expires_on,
            assessor_name, c.evidence, expiry_status(c.expires_on, on, horizon)))
    return found


def gather(staff_ids: list[int], on: dt.date, *, activity: Activity | None = None,
           device_type: DeviceType | None = None, competences_for_type_only: bool = False) -> dict[int, PersonFacts]:
    """Roles, competences and registrations of the people on ``on``; with an activity, their TVB cells."""
    if not staff_ids:
        return {}
    people = db.session.execute(
        select(Staff, Department.name).outerjoin(Department, Department.id == Staff.department_id)
        .where(Staff.id.in_(staff_ids))).all()
    roles = _roles(staff_ids, on)
    cells = _cells(staff_ids, activity, device_type, on) if activity is not None else {}
    competences = _competences(staff_ids, on, device_type.id if (device_type and competences_for_type_only) else None)
    registrations = plugins_runtime.evidence(staff_ids, on)
    result = {}
    for staff, department in people:
        facts = PersonFacts(staff, department, roles.get(staff.id, []), competences.get(staff.id, []),
                            registrations.get(staff.id, []))
        for role in facts.roles:
            mine = [cell for cell in cells.get(staff.id, []) if cell[0] == role.name]
            role.cells = [(letters, group_code, f"{device_type.manufacturer} {device_type.model}"
                           if cell_type is not None and device_type is not None else None)
                          for _r, letters, group_code, cell_type in mine]
        result[staff.id] = facts
    return result

