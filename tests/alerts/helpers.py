"""Small builders for alert tests, used inside an ``actx`` app context."""
from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from core.alerts.models import Alert, AlertDelivery, CoverageMinimum
from core.competence.models import Competence
from core.devices.models import Device, DeviceType
from core.extensions import db
from core.staff.models import Department, Staff
from core.tvb.models import Assignment, Role

_n = itertools.count(1)
AS_OF = dt.date(2027, 3, 1)


def add(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def department(parent_id=None):
    n = next(_n)
    return add(Department(code=f"AD{n}", name=f"Afdeling {n}", parent_id=parent_id))


def staff(name=None, email=None, manager_id=None, department_id=None, active=True):
    n = next(_n)
    return add(Staff(employee_number=f"A{n:05d}", name=name or f"Medewerker {n}", email=email,
                     manager_id=manager_id, department_id=department_id, active=active, employment_type="internal"))


def device_type(name=None, phase=6, group=1):
    n = next(_n)
    return add(DeviceType(manufacturer="Dräger", model=f"AT{n}", name=name or f"Apparaat {n}",
                          technology_group_id=group, lifecycle_phase=phase))


def device(type_id, department_id):
    return add(Device(asset_number=f"AS{next(_n)}", device_type_id=type_id, department_id=department_id))


def competence(person, type_id, expires_on, role="technician", obtained_on=dt.date(2020, 1, 1)):
    return add(Competence(staff_id=person.id, device_type_id=type_id, role=role, obtained_on=obtained_on,
                          method="training", expires_on=expires_on))


def minimum(type_id=None, group_id=None, count=1, role="technician"):
    return add(CoverageMinimum(device_type_id=type_id, technology_group_id=group_id, minimum=count, role=role))


def assignment(person, valid_from, valid_to, role=None):
    role = role or add(Role(name=f"Rol {next(_n)}"))
    return add(Assignment(staff_id=person.id, role_id=role.id, valid_from=valid_from, valid_to=valid_to)), role


def alerts(kind=None):
    stmt = select(Alert).order_by(Alert.id)
    if kind:
        stmt = stmt.where(Alert.kind == kind)
    return db.session.scalars(stmt).all()


def deliveries(channel=None):
    stmt = select(AlertDelivery).order_by(AlertDelivery.id)
    if channel:
        stmt = stmt.where(AlertDelivery.channel == channel)
    return db.session.scalars(stmt).all()
