"""The audit trail in words: people, device types and fields by name, not table names and ids.

The trail stores table names, row ids and raw column values (that is what the hash chain
protects). A page shows them as a reader says them: "Competentie: Jan Jansen – Dräger
Perseus", "vervalt op: 30-11-2026 → 30-11-2027", a person's name instead of ``staff_id 12``.
The ids of a page of entries are resolved set-based: one query per kind of subject (people,
device types, departments, ...), never one per row. A plugin names its own tables and
columns through ``bekwaam_labels``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.auth.models import User
from core.devices.models import DeviceType, TechnologyGroup
from core.extensions import db
from core.staff.models import Department, Staff
from core.tvb.models import Activity, Role
from core.web.context import known_label, label

TABLE_LABELS = {
    "staff": _l("Person"), "department": _l("Department"), "competence": _l("Competence"),
    "device_type": _l("Device type"), "device": _l("Device"), "device_type_phase": _l("Lifecycle phase"),
    "technology_group": _l("Technology group"), "user_account": _l("User"), "api_token": _l("API token"),
    "scim_token": _l("Provisioning token"), "tvb_role": _l("TVB role"), "tvb_activity": _l("Activity"),
    "tvb_cell": _l("TVB cell"), "tvb_assignment": _l("Role assignment"), "tvb_cell_version": _l("TVB cell version"),
    "tvb_activity_version": _l("Activity version"), "alert": _l("Alert"), "coverage_minimum": _l("Minimum coverage"),
    "stored_file": _l("File"), "import_mapping": _l("Import mapping"), "staff_departure": _l("Departure"),
    "evidence_token": _l("Evidence link"),
}

FIELD_LABELS = {
    "staff_id": _l("person"), "device_type_id": _l("device type"), "department_id": _l("department"),
    "technology_group_id": _l("technology group"), "role_id": _l("TVB role"), "activity_id": _l("activity"),
    "assessor_id": _l("assessor"), "manager_id": _l("manager"), "parent_id": _l("parent department"),
    "user_id": _l("user"), "name": _l("name"), "email": _l("e-mail"), "employee_number": _l("employee number"),
    "employment_type": _l("employment"), "company": _l("company"), "active": _l("active"),
    "start_date": _l("start date"), "role": _l("role"), "method": _l("method"), "obtained_on": _l("obtained on"),
    "expires_on": _l("expires on"), "evidence": _l("evidence"), "valid_from": _l("valid from"),
    "valid_to": _l("valid to"), "letters": _l("letters"), "manufacturer": _l("manufacturer"), "model": _l("model"),
    "mdr_class": _l("risk class (MDR/IVDR)"), "lifecycle_phase": _l("lifecycle phase"),
    "released_on": _l("released on"), "status": _l("status"), "hours": _l("hours"), "date": _l("date"),
    "title": _l("title"), "level": _l("level"), "locale": _l("language"), "code": _l("code"),
    "description": _l("description"), "requirements": _l("requirements"), "asset_number": _l("asset number"),
    "serial_number": _l("serial number"), "minimum": _l("minimum"), "password_hash": _l("password"),
    "token_hash": _l("token"), "revoked": _l("revoked"), "expires_at": _l("expires at"), "result": _l("result"),
    "ip": _l("address"), "reason": _l("reason"), "created_at": _l("created at"), "note": _l("note"),
    "expiry_source": _l("expiry set by"),
}

# Which kind of subject a column's value names (resolved to a name, set-based).
REFERENCES = {"staff_id": "staff", "assessor_id": "staff", "manager_id": "staff", "device_type_id": "device_type",
              "department_id": "department", "technology_group_id": "technology_group", "role_id": "tvb_role",
              "activity_id": "tvb_activity", "user_id": "user_account"}
# The subject of an entry about these tables is the row itself.
SELF_NAMED = {"staff", "device_type", "department", "technology_group", "tvb_role", "tvb_activity", "user_account"}
# How each kind is read by its ids: one query per kind.
_READERS = {
    "staff": lambda ids: select(Staff.id, Staff.name).where(Staff.id.in_(ids)),
    "device_type": lambda ids: select(DeviceType.id, DeviceType.manufacturer + " " + DeviceType.model)
    .where(DeviceType.id.in_(ids)),
    "department": lambda ids: select(Department.id, Department.name).where(Department.id.in_(ids)),
    "technology_group": lambda ids: select(TechnologyGroup.id, TechnologyGroup.name)
    .where(TechnologyGroup.id.in_(ids)),
    "tvb_role": lambda ids: select(Role.id, Role.name).where(Role.id.in_(ids)),
    "tvb_activity": lambda ids: select(Activity.id, Activity.name).where(Activity.id.in_(ids)),
    "user_account": lambda ids: select(User.id, User.email).where(User.id.in_(ids)),
}
_LINKS = {"staff": ("web.staff_profile", "staff_id"), "device_type": ("web.device_type", "device_type_id")}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class Change(NamedTuple):
    field: str
    before: str
    after: str


class ReadableEntry(NamedTuple):
    entry: object
    table: str
    subject: str
    link: str | None
    changes: list[Change]


def table_label(table: str) -> str:
    text = TABLE_LABELS.get(table)
    if text is not None:
        return str(text)
    if known_label(table):  # a plugin's table, named through bekwaam_labels
        return label(table)
    return table.replace("_", " ")


def field_label(key: str) -> str:
    text = FIELD_LABELS.get(key)
    if text is not None:
        return str(text)
    return label(key)  # a plugin's column through bekwaam_labels, else the name with spaces


def _names(entries) -> dict[str, dict[int, str]]:
    """Every id the entries name, per kind, resolved in one query per kind."""
    wanted: dict[str, set[int]] = {kind: set() for kind in _READERS}
    for entry in entries:
        if entry.entity in SELF_NAMED and entry.entity_id is not None:
            wanted[entry.entity].add(entry.entity_id)
        if entry.entity == "department":
            for data in (entry.before or {}, entry.after or {}):
                if isinstance(data.get("parent_id"), int):
                    wanted["department"].add(data["parent_id"])
        for data in (entry.before or {}, entry.after or {}):
            for key, kind in REFERENCES.items():
                if isinstance(data.get(key), int):
                    wanted[kind].add(data[key])
    return {kind: dict(db.session.execute(_READERS[kind](ids)).all()) if ids else {}
            for kind, ids in wanted.items()}


def _value(key: str, value, names: dict) -> str:
    from core.web.formats import datum, datumtijd
    if value is None or value == "":
        return "–"
    kind = REFERENCES.get(key) or ("department" if key == "parent_id" else None)
    if kind is not None and isinstance(value, int):
        return names[kind].get(value) or f"#{value}"
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            return datum(dt.date.fromisoformat(value))
        if _ISO_MOMENT.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            return datumtijd(moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc))
        if value in ("(hidden)", "(changed)"):
            return str(_l("(hidden)"))
        if known_label(value):
            return label(value)
        return value
    if isinstance(value, (dict, list)):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else ", ".join(map(str, value))
    return str(value)


def _subject(entry, names: dict) -> tuple[str, str | None]:
    """What the entry is about in words, and the page of it when there is one."""
    data = {**(entry.before or {}), **(entry.after or {})}
    table = entry.entity
    if table in SELF_NAMED and entry.entity_id is not None:
        name = names[table].get(entry.entity_id) or data.get("name") or data.get("email") or f"#{entry.entity_id}"
        link = None
        if table in _LINKS and entry.entity_id in names[table]:
            endpoint, arg = _LINKS[table]
            link = url_for(endpoint, **{arg: entry.entity_id})
        return name, link
    parts = []
    for key in ("staff_id", "device_type_id", "role_id", "activity_id", "technology_group_id", "department_id"):
        if isinstance(data.get(key), int):
            parts.append(_value(key, data[key], names))
    link = None
    if isinstance(data.get("staff_id"), int) and data["staff_id"] in names["staff"]:
        link = url_for("web.staff_profile", staff_id=data["staff_id"])
    elif isinstance(data.get("device_type_id"), int) and data["device_type_id"] in names["device_type"]:
        link = url_for("web.device_type", device_type_id=data["device_type_id"])
    if parts:
        return " – ".join(parts), link
    return (f"#{entry.entity_id}" if entry.entity_id is not None else ""), link


def readable(entries) -> list[ReadableEntry]:
    """The entries of one page in words."""
    entries = list(entries)
    names = _names(entries)
    out = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [Change(field_label(key), _value(key, before.get(key), names), _value(key, after.get(key), names))
                   for key in sorted(set(before) | set(after), key=lambda k: str(field_label(k)))
                   if before.get(key) != after.get(key) and key != "id"]
        subject, link = _subject(entry, names)
        out.append(ReadableEntry(entry, table_label(entry.entity), subject, link, changes))
    return out
