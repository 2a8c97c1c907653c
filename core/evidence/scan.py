"""Scan to check: find a device by its barcode and say who may use or maintain it today.

A handheld scanner types the code into a field; a phone camera reads it with
the browser's BarcodeDetector. The code is an asset number (the hospital's
own label) or a UDI in GS1 format (MDR art. 27: the UDI carrier on the
device), parsed with ``biip``: the serial number (AI 21) finds the device,
the GTIN (AI 01) alone names only a product, not the instance. Who may is
``core.decision``'s answer per activity whose TVB cells cover the device's
type, for the people the viewer may see.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import biip
from biip.gs1_messages import GS1Message
from sqlalchemy import or_, select

from core.decision import services as decision
from core.decision.services import _scope_covers
from core.devices.models import Device, DeviceType
from core.extensions import db
from core.staff.models import Department, Staff
from core.tvb.history import cell_version_on
from core.tvb.models import Activity, CellVersion

MAX_CODE = 200


@dataclass
class Lookup:
    code: str
    gtin: str | None = None
    serial: str | None = None
    devices: list[Device] = field(default_factory=list)
    problem: str | None = None  # a code of what went wrong: too_long, gtin_only, not_found


def _gs1(code: str) -> tuple[str | None, str | None]:
    """(GTIN, serial) from a GS1 element string, its bracketed form or a GS1 Digital Link; else (None, None)."""
    message = None
    try:
        if code.startswith("("):
            message = GS1Message.parse_hri(code)
        else:
            result = biip.parse(code)
            message = result.gs1_message
            if message is None and result.gs1_digital_link_uri is not None:
                message = result.gs1_digital_link_uri.as_gs1_message()
    except biip.BiipException:
        return None, None
    if message is None:
        return None, None
    gtin, serial = message.element_strings.get(ai="01"), message.element_strings.get(ai="21")
    return (gtin.value if gtin else None), (serial.value if serial else None)


def lookup(raw: str) -> Lookup:
    code = raw.strip()
    found = Lookup(code)
    if len(code) > MAX_CODE:
        found.problem = "too_long"
        return found
    by_asset = db.session.scalars(select(Device).where(Device.asset_number == code)).all()
    if by_asset:
        found.devices = list(by_asset)
        return found
    found.gtin, found.serial = _gs1(code)
    if found.serial:
        found.devices = list(db.session.scalars(
            select(Device).where(or_(Device.serial_number == found.serial, Device.asset_number == found.serial))
            .order_by(Device.asset_number)))
    if not found.devices:
        found.problem = "gtin_only" if found.gtin and not found.serial else "not_found"
    return found


@dataclass
class ActivityAnswer:
    activity: Activity
    allowed: list[Staff]


def who_may(device_type: DeviceType, on: dt.date, visible=None) -> list[ActivityAnswer]:
    """Per activity with a cell covering the type on the day: the people the decision allows."""
    activities = list(db.session.scalars(
        select(Activity).where(Activity.id.in_(
            select(CellVersion.activity_id).where(cell_version_on(on), _scope_covers(device_type),
                                                  CellVersion.letters.contains("B"))))
        .order_by(Activity.name)))
    answers = []
    for activity in activities:
        ids = decision.candidates(activity, device_type, on)
        if visible is not None and ids:
            ids = list(db.session.scalars(select(Staff.id).where(Staff.id.in_(ids), visible)))
        decisions = decision.decide_many(ids, activity, device_type, on)
        allowed_ids = [sid for sid, d in decisions.items() if d.allowed]
        people = list(db.session.scalars(select(Staff).where(Staff.id.in_(allowed_ids)).order_by(Staff.name))) \
            if allowed_ids else []
        answers.append(ActivityAnswer(activity, people))
    return answers


def department_name(device: Device) -> str | None:
    if device.department_id is None:
        return None
    return db.session.scalar(select(Department.name).where(Department.id == device.department_id))
