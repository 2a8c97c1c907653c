"""Names of the people and device types a list of alerts is about (two queries, not one per row)."""
from __future__ import annotations

from sqlalchemy import select

from core.devices.models import DeviceType
from core.extensions import db
from core.staff.models import Staff


def subject_names(alerts) -> dict:
    staff_ids = {a.staff_id for a in alerts if a.staff_id}
    type_ids = {a.device_type_id for a in alerts if a.device_type_id}
    names: dict = {"staff": {}, "device_type": {}}
    if staff_ids:
        names["staff"] = dict(db.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids))).all())
    if type_ids:
        names["device_type"] = {i: f"{m} {mo}" for i, m, mo in db.session.execute(
            select(DeviceType.id, DeviceType.manufacturer, DeviceType.model).where(DeviceType.id.in_(type_ids)))}
    return names
