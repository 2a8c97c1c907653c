"""One importer per kind; ``run`` streams a table through it in chunks.

Each chunk of rows is parsed, its references resolved and its existing rows
looked up with one query per kind of key, then written with one bulk INSERT
and one bulk UPDATE (ORM bulk statements: no per-row ORM events, so the run
is audited as one ``import`` entry, see ``audit_run``).

All-or-nothing: once a row is rejected (and ``partial`` is not set) nothing
more is written and ``Report.ok`` is false: the caller rolls the transaction
back, which also undoes the chunks already written. A dry run writes nothing.

Second pass: a row may refer to a row on any line of the same file (a staff
member's manager), which a chunk cannot settle alone. After the last chunk
``Importer.finish`` sees every row's result, may still reject lines (their
results become ``rejected``, so all-or-nothing holds) and ``write_finished``
then writes what it settled, set-based.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Iterable

from sqlalchemy import delete, insert, select, tuple_, update

from core.audit.models import AuditEntry  # noqa: F401 (kept for importers of this module)
from core.audit.services import record_bulk
from core.competence.models import Competence
from core.competence.services import assesses_own, expires_too_early
from core.dataio import values as v
from core.dataio.mapping import DEFAULT_HEADERS, resolve
from core.dataio.models import StaffDeparture
from core.dataio.readers import FileError, Table
from core.dataio.report import Report, RowResult
from core.dataio.texts import Reason, Text, label_nl, of_error
from core.devices.models import Device, DeviceType, TechnologyGroup
from core.extensions import db
from core.plugins_runtime import by_name, competence_expiry, disabled_import_kinds, import_kinds
from core.staff.models import Department, Staff, needs_company

log = logging.getLogger(__name__)
CHUNK_SIZE = 1000


class PluginDisabled(FileError):
    """The kind belongs to a plugin that is not enabled."""


@dataclass
class Field:
    parse: Callable[[Any], Any] | None = None  # None: text
    required: bool = False   # the column must exist and the cell may not be empty
    nullable: bool = True    # an empty cell clears the value (else: leaves it as it is)
    max_length: int | None = None


@dataclass
class Pending:
    line: int
    values: dict
    reasons: list[str]
    key: tuple | None = None
    row: dict = field(default_factory=dict)  # the columns to store
    extra: dict = field(default_factory=dict)  # stored elsewhere (e.g. left_on)


def _text(max_length):
    return Field(max_length=max_length)


class Importer(ABC):
    kind: str
    model: type
    fields: dict[str, Field]
    key_fields: tuple[str, ...]  # model columns of the natural key
    key_nl: str  # the natural key in Dutch, for "duplicate: …" ("hetzelfde personeelsnummer")
    defaults: dict = {}

    def __init__(self, today: dt.date):
        self.today = today

    # -- per chunk ---------------------------------------------------------
    @abstractmethod
    def prepare(self, rows: list[Pending]) -> None:
        """Resolve references (set-based) and fill ``row``, ``key`` and reasons."""

    def existing(self, keys: list[tuple]) -> dict[tuple, dict]:
        return self._rows_by_key(select(self.model.__table__), keys)

    def _rows_by_key(self, stmt, keys: list[tuple]) -> dict[tuple, dict]:
        """``stmt`` (selecting the model's columns, perhaps more) limited to ``keys``: one query."""
        cols = [getattr(self.model, name) for name in self.key_fields]
        stmt = stmt.where(tuple_(*cols).in_(keys))
        return {tuple(r[k] for k in self.key_fields): dict(r) for r in db.session.execute(stmt).mappings()}

    def compare(self, pending: Pending, current: dict) -> list[str]:
        return [name for name, value in pending.row.items() if current.get(name) != value]

    change_set: str | None = None  # set by ``run``: every entry of one import shares it

    def write(self, creates: list[Pending], updates: list[tuple[Pending, dict, list[str]]]) -> None:
        if creates:
            rows = [{**self.defaults, **p.row} for p in creates]
            db.session.execute(insert(self.model), rows)
        # A change stored elsewhere only (a leaving date, a manager) leaves nothing for this table.
        changes = [{"id": current["id"], **{c: p.row[c] for c in changed if c in p.row}}
                   for p, current, changed in updates if any(c in p.row for c in changed)]
        if changes:
            db.session.execute(update(self.model), changes)
        self._audit(creates, updates)

    def _audit(self, creates, updates) -> None:
        """One entry per row written (the bulk statements bypass the per-row ORM audit);
        the ids of new rows come from one query by their natural keys."""
        before, after = {}, {}
        for p, current, changed in updates:
            cols = [c for c in changed if c in p.row]
            if cols:
                before[current["id"]] = {c: current.get(c) for c in cols}
                after[current["id"]] = {c: p.row[c] for c in cols}
        if creates:
            ids = self._rows_by_key(select(self.model.id, *(getattr(self.model, k) for k in self.key_fields)),
                                    [p.key for p in creates if p.key is not None])
            for p in creates:
                found = ids.get(p.key)
                if found is not None:
                    after[found["id"]] = {**self.defaults, **p.row}
        record_bulk(db.session, self.model.__tablename__, before, after, reason=f"import of {self.kind}",
                    change_set=self.change_set)

    def check(self, pending: Pending, current: dict | None) -> None:
        """Rules over several fields, given the stored row (None: new)."""

    def describe(self, key: tuple) -> str:
        return " / ".join(str(part) for part in key)

    # -- after every chunk -------------------------------------------------
    def finish(self, results: dict[int, RowResult], lines: dict[tuple, int]) -> dict[int, list[str]]:
        """Second pass, for what a chunk cannot settle alone (a reference to a row on any line).

        ``results``: every row's result by line; ``lines``: each key of the file and the
        line it first occurs on. Returns the reasons of the lines it rejects (``run`` marks
        those rows rejected). Reads are allowed (set-based); writing is ``write_finished``.
        """
        return {}

    def write_finished(self) -> None:
        """Write what ``finish`` settled, set-based; only called when the import may write."""


def _departments() -> dict[str, int]:
    return {code: dept_id for dept_id, code in db.session.execute(select(Department.id, Department.code))}


def _department(p: Pending, codes: dict[str, int], row_field="department_id") -> None:
    if "department_code" not in p.values:
        return
    code = p.values["department_code"]
    if code is None:
        p.row[row_field] = None
    elif code in codes:
        p.row[row_field] = codes[code]
    else:
        p.reasons.append(Reason("department_code", f"no department with code '{code}'.",
                                f"geen afdeling met code '{code}'."))


def _no_staff(field: str, number: str) -> Reason:
    return Reason(field, f"no staff member with number '{number}'.",
                  f"geen medewerker met personeelsnummer '{number}'.")


def _blocker_nl(missing: dict) -> str:
    """A release blocker's Dutch, when its plugin gives one (``bekwaam_release_blockers``)."""
    return missing.get("message_nl") or missing["message"]


def _device_types(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    pairs = list(set(pairs))
    if not pairs:
        return {}
    stmt = select(DeviceType.id, DeviceType.manufacturer, DeviceType.model).where(
        tuple_(DeviceType.manufacturer, DeviceType.model).in_(pairs))
    return {(m, mo): i for i, m, mo in db.session.execute(stmt)}


def _staff_ids(numbers: Iterable[str]) -> dict[str, int]:
    numbers = list(set(numbers))
    if not numbers:
        return {}
    stmt = select(Staff.id, Staff.employee_number).where(Staff.employee_number.in_(numbers))
    return {number: staff_id for staff_id, number in db.session.execute(stmt)}


def _staff_ids_of_file(numbers: Iterable[str]) -> dict[str, int]:
    """``_staff_ids`` for numbers gathered over a whole file: one query per CHUNK_SIZE numbers,
    so the IN list stays as bounded as a chunk's (database parameter limits)."""
    numbers = list(set(numbers))
    found = {}
    for start in range(0, len(numbers), CHUNK_SIZE):
        found.update(_staff_ids(numbers[start:start + CHUNK_SIZE]))
    return found


# For the import kinds of plugins: the same look-ups and reasons as the core's kinds.
staff_ids, no_staff = _staff_ids, _no_staff


class StaffImporter(Importer):
    """HR: medewerkers, keyed on the employee number (personeelsnummer)."""

    kind, model, key_fields = "staff", Staff, ("employee_number",)
    key_nl = "hetzelfde personeelsnummer"
    fields = {
        "employee_number": Field(required=True, max_length=40),
        "name": Field(required=True, max_length=200),
        "email": Field(parse=v.parse_email),
        "department_code": Field(max_length=40),
        "employment_type": Field(parse=v.EMPLOYMENT_TYPE, nullable=False),
        "company": Field(max_length=200),
        "active": Field(parse=v.parse_bool, nullable=False),
        "start_date": Field(parse=v.parse_date),
        "left_on": Field(parse=v.parse_date),
        # The manager's employee number: resolved after the whole file (see ``finish``), since
        # the manager may be created by a later line. Reported as changed under this name.
        "manager_employee_number": Field(max_length=40),
    }
    defaults = {"email": None, "department_id": None, "manager_id": None, "employment_type": "internal",
                "company": None, "active": True, "start_date": None}

    def __init__(self, today):
        super().__init__(today)
        self.codes = _departments()
        self.links: list[tuple[int, str, str | None]] = []  # (line, employee number, manager's number)
        self.settled: list[tuple[str, str | None]] = []     # (employee number, manager's number) to write

    def prepare(self, rows):
        for p in rows:
            values = p.values
            p.key = (values["employee_number"],) if values.get("employee_number") else None
            p.row = {k: values[k] for k in ("employee_number", "name", "email", "employment_type", "company",
                                           "active", "start_date") if k in values}
            _department(p, self.codes)
            if "left_on" in values:
                p.extra["left_on"] = values["left_on"]
                if values["left_on"] is not None and values["left_on"] <= self.today and "active" not in values:
                    p.row["active"] = False  # left: no longer active (unless the file says otherwise)
            if "manager_employee_number" in values and p.key is not None:
                self.links.append((p.line, p.key[0], values["manager_employee_number"]))

    def check(self, p: Pending, current: dict | None) -> None:
        kind = p.row.get("employment_type", (current or {}).get("employment_type", "internal"))
        company = p.row["company"] if "company" in p.row else (current or {}).get("company")
        if needs_company(kind, company):
            p.reasons.append(Reason("company", "an external person needs the company they work for.",
                                    "bij een externe medewerker is het bedrijf verplicht."))
        manager = p.values.get("manager_employee_number")
        if manager is not None and manager == p.values.get("employee_number"):
            p.reasons.append(Reason("manager_employee_number", "a person cannot be their own manager.",
                                    "iemand kan niet zijn of haar eigen leidinggevende zijn."))

    def existing(self, keys):
        # The current manager's number comes along (a join, no extra query): ``compare``
        # matches it with the file's number, whether or not that person is imported yet.
        boss = Staff.__table__.alias("manager")
        stmt = (select(Staff.__table__, boss.c.employee_number.label("manager_employee_number"))
                .select_from(Staff.__table__.outerjoin(boss, boss.c.id == Staff.__table__.c.manager_id)))
        found = self._rows_by_key(stmt, keys)
        if found:
            ids = {row["id"]: key for key, row in found.items()}
            for staff_id, left_on in db.session.execute(
                    select(StaffDeparture.staff_id, StaffDeparture.left_on).where(StaffDeparture.staff_id.in_(ids))):
                found[ids[staff_id]]["left_on"] = left_on
        return found

    def compare(self, p, current):
        changed = super().compare(p, current)
        if "left_on" in p.extra and current.get("left_on") != p.extra["left_on"]:
            changed.append("left_on")
        if ("manager_employee_number" in p.values
                and current["manager_employee_number"] != p.values["manager_employee_number"]):
            changed.append("manager_employee_number")
        return changed

    def write(self, creates, updates):
        super().write(creates, updates)
        departures = {p.values["employee_number"]: p.extra["left_on"]
                      for p in creates + [u[0] for u in updates] if "left_on" in p.extra}
        if not departures:
            return
        ids = _staff_ids(departures)
        have = set(db.session.scalars(select(StaffDeparture.staff_id).where(StaffDeparture.staff_id.in_(ids.values()))))
        new = [{"staff_id": ids[n], "left_on": d} for n, d in departures.items() if d is not None and ids[n] not in have]
        changed = [{"staff_id": ids[n], "left_on": d} for n, d in departures.items() if d is not None and ids[n] in have]
        back = [ids[n] for n, d in departures.items() if d is None and ids[n] in have]
        if new:
            db.session.execute(insert(StaffDeparture), new)
        for row in changed:  # few: people who left are a small share of a file
            db.session.execute(update(StaffDeparture).where(StaffDeparture.staff_id == row["staff_id"])
                               .values(left_on=row["left_on"]).execution_options(synchronize_session=False))
        if back:  # back in service: no leaving date (an anonymised record is never revived)
            db.session.execute(delete(StaffDeparture).where(
                StaffDeparture.staff_id.in_(back), StaffDeparture.anonymised_at.is_(None))
                .execution_options(synchronize_session=False))

    # -- managers: the second pass -------------------------------------------
    def finish(self, results, lines):
        # Rows rejected already are checked too (every bad field of a row is reported), except
        # for their own number, which ``check`` reported; only accepted rows get a link written.
        links = [link for link in self.links if link[1] != link[2]]
        known = self._known_managers({m for _, _, m in links if m is not None}, results, lines)
        rejections = {line: [self._unknown_manager(manager, lines)]
                      for line, _, manager in links if manager is not None and manager not in known}
        for line in _lines_closing_a_loop([link for link in links if link[0] not in rejections]):
            rejections[line] = [Reason("manager_employee_number",
                                       "this manager already stands below this person: the line of managers "
                                       "would go round.",
                                       "deze leidinggevende staat al onder deze medewerker: de lijn van "
                                       "leidinggevenden zou rondgaan.")]
        self.settled = [(number, manager) for line, number, manager in links
                        if line not in rejections and _writes_manager(results[line], manager)]
        return rejections

    @staticmethod
    def _known_managers(wanted: set[str], results, lines) -> set[str]:
        """The numbers that are a staff member once the file is in: a row of the file that
        is not rejected (created earlier or later, or already there), else the database."""
        in_file = {m for m in wanted if (m,) in lines and results[lines[(m,)]].status != "rejected"}
        return in_file | set(_staff_ids_of_file(wanted - in_file))

    @staticmethod
    def _unknown_manager(manager: str, lines: dict[tuple, int]) -> Reason:
        line = lines.get((manager,))
        if line is not None:
            return Reason("manager_employee_number", f"'{manager}' is the person on line {line}, which is rejected.",
                          f"'{manager}' is de medewerker op regel {line}, maar die regel is afgekeurd.")
        return Reason("manager_employee_number",
                      f"no staff member with number '{manager}' (not in the database or this file).",
                      f"geen medewerker met personeelsnummer '{manager}' (niet in de database en niet in dit "
                      "bestand).")

    def write_finished(self):
        if not self.settled:
            return
        ids = _staff_ids_of_file({n for pair in self.settled for n in pair if n is not None})
        links = [{"id": ids[number], "manager_id": None if manager is None else ids[manager]}
                 for number, manager in self.settled]
        before = {r.id: {"manager_id": r.manager_id} for r in db.session.execute(
            select(Staff.id, Staff.manager_id).where(Staff.id.in_([link["id"] for link in links])))}
        db.session.execute(update(Staff), links)
        record_bulk(db.session, "staff", before, {link["id"]: {"manager_id": link["manager_id"]} for link in links},
                    reason="import of staff: managers", change_set=self.change_set)


def _lines_closing_a_loop(links: list[tuple[int, str, str | None]]) -> list[int]:
    """The lines whose manager would make the line of managers go round, once the file is in.

    The whole line of managers matters, so this reads every stored (person, manager)
    pair in one query and lays the file's links over them.
    """
    if not any(manager is not None for _, _, manager in links):
        return []
    boss = Staff.__table__.alias("boss")
    above = dict(db.session.execute(
        select(Staff.employee_number, boss.c.employee_number)
        .join(boss, boss.c.id == Staff.manager_id)).all())
    above.update({number: manager for _, number, manager in links})
    looping = []
    for line, number, manager in links:
        seen, step = set(), manager
        while step is not None and step not in seen and step != number:
            seen.add(step)
            step = above.get(step)
        if step == number:
            looping.append(line)
    return looping


def _writes_manager(result: RowResult, manager: str | None) -> bool:
    """Whether a row's link is to be written: a new person with a manager, or a changed manager."""
    if result.status == "created":
        return manager is not None
    return result.status == "updated" and "manager_employee_number" in result.changed


class DeviceImporter(Importer):
    """CMMS: device exemplaren, keyed on the asset number (inventarisnummer)."""

    kind, model, key_fields = "devices", Device, ("asset_number",)
    key_nl = "hetzelfde inventarisnummer"
    fields = {
        "asset_number": Field(required=True, max_length=60),
        "serial_number": Field(max_length=100),
        "manufacturer": Field(required=True, max_length=200),
        "model": Field(required=True, max_length=200),
        "department_code": Field(max_length=40),
        "status": Field(parse=v.DEVICE_STATUS, nullable=False),
    }
    defaults = {"serial_number": None, "department_id": None, "status": "in_use"}

    def __init__(self, today):
        super().__init__(today)
        self.codes = _departments()

    def prepare(self, rows):
        types = _device_types((p.values["manufacturer"], p.values["model"]) for p in rows
                              if p.values.get("manufacturer") and p.values.get("model"))
        for p in rows:
            values = p.values
            p.key = (values["asset_number"],) if values.get("asset_number") else None
            p.row = {k: values[k] for k in ("asset_number", "serial_number", "status") if k in values}
            _department(p, self.codes)
            if values.get("manufacturer") and values.get("model"):
                type_id = types.get((values["manufacturer"], values["model"]))
                if type_id is None:
                    name = f"{values['manufacturer']} {values['model']}"
                    p.reasons.append(Reason("model", f"no device type '{name}' (import the device types first).",
                                            f"geen apparaattype '{name}' (importeer eerst de apparaattypen)."))
                p.row["device_type_id"] = type_id


class DeviceTypeImporter(Importer):
    """Device types (technologie/model), keyed on manufacturer + model."""

    kind, model, key_fields = "device-types", DeviceType, ("manufacturer", "model")
    key_nl = "dezelfde fabrikant en hetzelfde type"
    fields = {
        "manufacturer": Field(required=True, max_length=200),
        "model": Field(required=True, max_length=200),
        "name": Field(max_length=200, nullable=False),
        "technology_group": Field(nullable=False),
        "mdr_class": Field(parse=v.parse_mdr_class),
        "lifecycle_phase": Field(parse=lambda raw: v.parse_int(raw, 1, 7), nullable=False),
        "released_on": Field(parse=v.parse_date),
    }
    defaults = {"mdr_class": None, "lifecycle_phase": 1, "released_on": None}

    def __init__(self, today):
        super().__init__(today)
        self.groups = {}
        for group_id, code, name, name_en in db.session.execute(
                select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en)):
            self.groups[str(code)] = self.groups[name.lower()] = self.groups[name_en.lower()] = group_id

    def prepare(self, rows):
        for p in rows:
            values = p.values
            if values.get("manufacturer") and values.get("model"):
                p.key = (values["manufacturer"], values["model"])
            p.row = {k: values[k] for k in ("manufacturer", "model", "name", "mdr_class", "lifecycle_phase",
                                           "released_on") if k in values}
            if "technology_group" in values:
                raw = v.text(values["technology_group"]).lower()
                raw = str(int(raw)) if raw.isdigit() else raw
                if raw in self.groups:
                    p.row["technology_group_id"] = self.groups[raw]
                else:
                    group = values["technology_group"]
                    p.reasons.append(Reason("technology_group", f"'{group}' is no technology group (a code 1-27 or "
                                            "its name).", f"'{group}' is geen technologiegroep (gebruik een code "
                                            "1-27 of de naam)."))

    def check(self, p, current):
        from core.devices.services import USE_PHASE

        if current is None:
            if "technology_group_id" not in p.row and not any("technology_group" in r for r in p.reasons):
                p.reasons.append(Reason("technology_group", "needed for a new device type.",
                                        "verplicht voor een nieuw apparaattype."))
            p.row.setdefault("name", f"{p.row.get('manufacturer')} {p.row.get('model')}")
        phase = p.row.get("lifecycle_phase", (current or {}).get("lifecycle_phase", 1))
        released = p.row["released_on"] if "released_on" in p.row else (current or {}).get("released_on")
        # Leidraad Medische Technologie 2026, fase 5: only the release procedure releases a
        # known type; a file may register a type already in use (phase 6 or 7 with its date).
        if phase >= USE_PHASE and released is None:
            p.reasons.append(Reason("released_on", "a device type in phase 6 or 7 needs the date it was released.",
                                    "een apparaattype in fase 6 of 7 moet een datum van vrijgave hebben."))
        elif current is None and phase < USE_PHASE and released is not None:
            p.reasons.append(Reason("released_on", f"a device type in phase {phase} has not been released.",
                                    f"een apparaattype in fase {phase} is nog niet vrijgegeven."))
        elif current is not None and released != current["released_on"]:
            p.reasons.append(Reason("released_on", "only the release procedure sets the release date of a known "
                                    "device type.", "alleen de vrijgaveprocedure zet de datum van vrijgave van een "
                                    "bekend apparaattype."))
        elif current is not None and phase >= USE_PHASE > current["lifecycle_phase"]:
            p.reasons.append(Reason("lifecycle_phase", "a known device type enters phase 6 only through its release.",
                                    "een bekend apparaattype komt alleen via de vrijgave in fase 6."))


class CompetenceImporter(Importer):
    """LMS completions: bekwaamheden, keyed on person + device type + role + obtained on."""

    kind, model = "competences", Competence
    key_fields = ("staff_id", "device_type_id", "role", "obtained_on")
    key_nl = "dezelfde medewerker, hetzelfde type, dezelfde rol en dezelfde datum van behalen"
    fields = {
        "employee_number": Field(required=True, max_length=40),
        "manufacturer": Field(required=True, max_length=200),
        "model": Field(required=True, max_length=200),
        "role": Field(parse=v.COMPETENCE_ROLE, required=True),
        "obtained_on": Field(parse=v.parse_date, required=True),
        "method": Field(parse=v.METHOD, required=True),
        "assessor_number": Field(max_length=40),
        "evidence": Field(max_length=200),
        "expires_on": Field(parse=v.parse_date),
    }
    defaults = {"activity_id": None, "assessor_id": None, "evidence": None, "expires_on": None,
                "expiry_source": None}

    def prepare(self, rows):
        people = _staff_ids(n for p in rows for n in (p.values.get("employee_number"), p.values.get("assessor_number")) if n)
        types = _device_types((p.values["manufacturer"], p.values["model"]) for p in rows
                              if p.values.get("manufacturer") and p.values.get("model"))
        for p in rows:
            values = p.values
            p.row = {k: values[k] for k in ("role", "obtained_on", "method", "evidence", "expires_on") if k in values}
            number = values.get("employee_number")
            if number:
                p.row["staff_id"] = people.get(number)
                if p.row["staff_id"] is None:
                    p.reasons.append(_no_staff("employee_number", number))
            if values.get("manufacturer") and values.get("model"):
                p.row["device_type_id"] = types.get((values["manufacturer"], values["model"]))
                if p.row["device_type_id"] is None:
                    name = f"{values['manufacturer']} {values['model']}"
                    p.reasons.append(Reason("model", f"no device type '{name}'.", f"geen apparaattype '{name}'."))
            if "assessor_number" in values:
                assessor = values["assessor_number"]
                p.row["assessor_id"] = people.get(assessor) if assessor else None
                if assessor and p.row["assessor_id"] is None:
                    p.reasons.append(_no_staff("assessor_number", assessor))
                elif assessor and assesses_own(p.row.get("staff_id"), p.row["assessor_id"]):
                    p.reasons.append(Reason("assessor_number", "a person cannot assess their own competence.",
                                            "iemand kan de eigen bekwaamheid niet beoordelen."))
            if all(p.row.get(k) is not None for k in self.key_fields):
                p.key = tuple(p.row[k] for k in self.key_fields)

    def check(self, p, current):
        if p.reasons:
            return
        merged = {**self.defaults, **(current or {}), **p.row}
        probe = Competence(**{k: merged.get(k) for k in ("staff_id", "device_type_id", "activity_id", "role",
                                                         "obtained_on", "method", "expires_on")})
        decision = competence_expiry(probe)  # the owning plugin computes the expiry
        if decision is not None:
            p.row["expires_on"], p.row["expiry_source"] = decision.expires_on, decision.source
        else:
            p.row["expiry_source"] = None
        expires = p.row.get("expires_on", merged.get("expires_on"))
        if expires_too_early(merged["obtained_on"], expires):
            p.reasons.append(Reason("expires_on", "the expiry must be after the date the competence was obtained.",
                                    "de vervaldatum moet na de datum liggen waarop de bekwaamheid is behaald."))

    def describe(self, key):
        return None  # the line number identifies the row; ids mean nothing to the reader


IMPORTERS = {cls.kind: cls for cls in (StaffImporter, DeviceImporter, DeviceTypeImporter, CompetenceImporter)}


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: the core's four, and what plugins add (``bekwaam_import_kinds``).

    ``headers``: each field and the Dutch and English column headers recognised
    for it; ``importer``: an ``Importer`` subclass, whose ``fields`` validate a
    row, whose ``prepare``/``check`` add the per-line reasons and whose ``write``
    stores the accepted rows. ``label`` names the rows in messages ("CPD
    activities"), English with its Dutch.
    """

    name: str
    headers: dict[str, tuple[str, ...]]
    importer: type[Importer]
    label: Text


CORE_KINDS = {
    "staff": ImportKind("staff", DEFAULT_HEADERS["staff"], StaffImporter, Text("Staff", "Medewerkers")),
    "devices": ImportKind("devices", DEFAULT_HEADERS["devices"], DeviceImporter, Text("Devices", "Apparaten")),
    "device-types": ImportKind("device-types", DEFAULT_HEADERS["device-types"], DeviceTypeImporter,
                               Text("Device types", "Apparaattypen")),
    "competences": ImportKind("competences", DEFAULT_HEADERS["competences"], CompetenceImporter,
                              Text("Competences", "Bekwaamheden")),
}


def kinds() -> dict[str, ImportKind]:
    """The core's kinds and those of every enabled plugin, by name (needs the app)."""
    return by_name(CORE_KINDS, import_kinds(), "import kinds")


class _Kinds:
    """``KINDS``: the names of ``kinds()`` wherever it is read (it needs the app)."""

    def __iter__(self):
        return iter(kinds())

    def __contains__(self, name) -> bool:
        return name in kinds()

    def __len__(self) -> int:
        return len(kinds())


KINDS = _Kinds()


def fields_of(kind: str) -> tuple[str, ...]:
    """The fields of an enabled kind (a saved column mapping may name only these)."""
    found = kinds().get(kind)
    return tuple(found.headers) if found else ()


def kind_of(name: str) -> ImportKind:
    """The kind named ``name``; ``PluginDisabled`` when a disabled plugin owns it, ``FileError`` when none does."""
    found = kinds()
    if name in found:
        return found[name]
    for kind, plugin in disabled_import_kinds():
        if kind.name == name:
            raise PluginDisabled(Text(f"{kind.label} belong to the plugin {plugin}, which is disabled here.",
                                      f"{kind.label.nl} horen bij de plug-in {plugin}, die hier is uitgeschakeld."))
    names = ", ".join(found)
    raise FileError(Text(f"Unknown kind '{name}': one of {names}.", f"Onbekende soort '{name}': kies uit {names}."))


def _parse(importer: Importer, columns: dict[int, str], cells: list, line: int) -> Pending:
    values, reasons = {}, []
    for index, name in columns.items():
        spec = importer.fields[name]
        raw = cells[index] if index < len(cells) else None
        if v.is_empty(raw):
            if spec.required:
                reasons.append(Reason(name, "empty, but required.", "leeg, maar verplicht."))
            elif spec.nullable:
                values[name] = None
            continue
        try:
            value = spec.parse(raw) if spec.parse else v.text(raw)
        except ValueError as exc:
            reasons.append(Reason(name, str(exc), of_error(exc).nl))
            continue
        if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
            reasons.append(Reason(name, f"longer than {spec.max_length} characters.",
                                  f"langer dan {spec.max_length} tekens."))
            continue
        values[name] = value
    return Pending(line=line, values=values, reasons=reasons)


def _chunks(rows, size):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def run(kind: str | ImportKind, table: Table, *, dry_run: bool = False, partial: bool = False,
        saved_columns: dict | None = None, mapping_name: str | None = None,
        today: dt.date | None = None, chunk_size: int = CHUNK_SIZE, fixed: dict | None = None,
        importer: Importer | None = None) -> Report:
    """Import ``table`` as ``kind``. Raises ``FileError`` for a file that cannot be used at all.

    ``fixed``: field values every row gets, already parsed (a per-person import: the
    person's employee number); the file may not have a column for them. ``importer``: the
    kind's importer made by the caller (to read what it kept, e.g. the ids it created).
    The caller commits when ``report.ok`` (and not a dry run), else rolls back.
    """
    fixed = fixed or {}
    started = time.perf_counter()
    spec = kind if isinstance(kind, ImportKind) else kind_of(kind)
    kind = spec.name
    importer = importer or spec.importer(today or dt.date.today())
    importer.change_set = str(uuid.uuid4())
    columns, ignored = resolve(spec.headers, table.header, saved_columns)
    unknown = {f for f in (saved_columns or {}).values() if f not in importer.fields}
    if unknown:
        raise FileError(Text(f"The mapping names unknown fields: {', '.join(sorted(unknown))}.",
                             f"De koppeling noemt onbekende velden: {', '.join(sorted(unknown))}."))
    clash = [name for name in fixed if name in columns.values()]
    if clash:
        names_nl = ", ".join(f"'{label_nl(name)}'" for name in clash)
        raise FileError(Text(f"Line 1: this import is for one person; leave out the column for {', '.join(clash)}.",
                             f"Regel 1: deze import is voor één persoon; laat de kolom {names_nl} weg."))
    missing = [name for name, spec in importer.fields.items()
               if spec.required and name not in columns.values() and name not in fixed]
    if missing:
        hints = "; ".join(f"{name} (e.g. '{spec.headers[name][0]}')" for name in missing)
        names_nl = ", ".join(f"'{label_nl(name)}'" for name in missing)  # each label is a header of its kind
        raise FileError(Text(f"Line 1: no column for {hints}.",
                             f"Regel 1: de kolom {names_nl} ontbreekt." if len(missing) == 1 else
                             f"Regel 1: de kolommen {names_nl} ontbreken."))
    report = Report(kind=kind, format=table.format, dry_run=dry_run, partial=partial, mapping=mapping_name,
                    columns={str(table.header[i]).replace("\ufeff", "").strip(): f for i, f in columns.items()},
                    ignored_columns=ignored)
    seen: dict[tuple, int] = {}
    writing = not dry_run
    for chunk in _chunks(table.rows, chunk_size):
        pending = []
        for line, cells in chunk:
            if all(v.is_empty(c) for c in cells):
                report.add(RowResult(line, "skipped", reasons=[EMPTY_ROW]))
                continue
            parsed = _parse(importer, columns, cells, line)
            parsed.values.update(fixed)
            pending.append(parsed)
        importer.prepare(pending)
        current = importer.existing(list({p.key for p in pending if p.key is not None}))
        creates, updates, results = [], [], []
        for p in pending:
            if p.key is not None:
                if p.key in seen:
                    p.reasons.append(Text(f"duplicate: the same key as line {seen[p.key]}.",
                                          f"Dubbel: {importer.key_nl} als regel {seen[p.key]}."))
                else:
                    seen[p.key] = p.line
            row = current.get(p.key) if p.key is not None else None
            importer.check(p, row)  # cross-field rules: every bad field of a row is reported
            key = importer.describe(p.key) if p.key is not None else None
            if p.reasons:
                results.append(RowResult(p.line, "rejected", key, p.reasons))
            elif row is None:
                creates.append(p)
                results.append(RowResult(p.line, "created", key))
            else:
                changed = importer.compare(p, row)
                if changed:
                    updates.append((p, row, changed))
                results.append(RowResult(p.line, "updated" if changed else "unchanged", key, changed=changed))
        for result in results:
            report.add(result)
        if writing and not report.ok:
            writing = False  # all-or-nothing: the caller rolls back what earlier chunks wrote
        if writing:
            importer.write(creates, updates)
    # Second pass: what needs the whole file (a staff member's manager on any line). It may
    # still reject rows, which then stops an all-or-nothing import like any rejected row.
    _reject_late(report, importer.finish({r.line: r for r in report.rows}, seen))
    if writing and not report.ok:
        writing = False
    if writing:
        importer.write_finished()
    report.rows.sort(key=lambda r: r.line)
    report.written = writing and not dry_run
    if report.written:
        audit_run(report, importer.change_set)
    report.seconds = time.perf_counter() - started
    log.info(report.summary())
    return report


EMPTY_ROW = Text("empty row", "lege regel")
PARTIAL = Text("partial import: the rest of the row is imported without this column.",
               "Gedeeltelijke import: de rest van de regel wordt zonder deze kolom geïmporteerd.")


def _reject_late(report: Report, rejections: dict[int, list[str]]) -> None:
    """Rows the second pass rejects become ``rejected``. In a partial import the rest of such
    a row was written with its chunk already: the report says so rather than hide it."""
    if not rejections:
        return
    for result in report.rows:
        reasons = rejections.get(result.line)
        if reasons is None:
            continue
        if report.partial and result.status in ("created", "updated"):
            reasons = [*reasons, PARTIAL]
        result.status, result.reasons, result.changed = "rejected", [*result.reasons, *reasons], []


def audit_run(report: Report, change_set: str | None = None) -> None:
    """The import run's own entry, in the change set of its per-row entries."""
    from flask import g, has_app_context

    actor = g.get("audit_actor") if has_app_context() else None
    from core.audit.services import write_entries

    write_entries(db.session, [{
        "action": "import", "entity": "import", "change_set": change_set,
        "after": {"kind": report.kind, "format": report.format, "partial": report.partial,
                  "mapping": report.mapping, **report.counts()},
    }], actor if actor is not None else "cli")
