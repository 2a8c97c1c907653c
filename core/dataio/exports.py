"""Lists and the competence matrix as CSV or XLSX.

Every export takes the same filters as its list endpoint and the same role
scope (a manager exports only their department tree). Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading ``'`` (OWASP "CSV injection").
Exports carry the API field names plus readable keys (department code,
employee number, manufacturer/model), so an exported file imports again.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.auth.permissions import ALL_ROLES_READ
from core.crud import list_clauses
from core.extensions import db
from core.plugins_runtime import by_name, export_kinds
from core.safe_cells import SafeCSVWriter, Verbatim, neutralise

FORMATS = ("csv", "xlsx")
safe = neutralise  # kept for callers of the earlier name


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: Iterable[list[Any]]


def to_csv(sheet: Sheet, delimiter: str = ",") -> Iterator[str]:
    """UTF-8 with BOM (Excel then reads the accents right), streamed line by line."""
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer, delimiter=delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(sheet.header)
    yield "\ufeff" + flush()
    for row in sheet.rows:
        # Only text is neutralised: a number or date written as text stays what it is.
        writer.writerow([value if isinstance(value, str) else Verbatim(_cell_text(value)) for value in row])
        yield flush()


# Excel's number formats: the cell keeps the value, the reader's Excel shows it in its own
# language (a Dutch Excel: 30-11-2026 and 1.234,50). Whole numbers (ids, employee numbers,
# counts) keep Excel's General format: no thousands point in an employee number.
XLSX_FORMATS = {dt.date: "dd-mm-yyyy", dt.datetime: "dd-mm-yyyy hh:mm", Decimal: "#,##0.00"}


def to_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet.title[:31])
    ws.append([neutralise(h) for h in sheet.header])
    for row in sheet.rows:
        cells = []
        for value in row:
            number_format = XLSX_FORMATS.get(type(value))
            if isinstance(value, dt.datetime):
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)  # Excel has no time zones
            if isinstance(value, (dict, list)):
                value = str(value)
            cell = WriteOnlyCell(ws, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever openpyxl guesses
            elif number_format:
                cell.number_format = number_format
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- what can be exported -------------------------------------------------

def _rows(stmt) -> Iterator[list]:
    for row in db.session.execute(stmt.execution_options(yield_per=1000)):
        yield list(row)


def staff_sheet(user, args):
    from core.staff.api import STAFF
    from core.staff.models import Department, Staff

    # The manager's employee number too: manager_id is a database id, the import takes the number.
    # Last, so the columns before it keep their places for those who read them by position.
    manager = aliased(Staff)
    stmt = (select(Staff.id, Staff.employee_number, Staff.name, Staff.email, Staff.department_id,
                   Department.code, Staff.manager_id, Staff.employment_type, Staff.company, Staff.active,
                   Staff.start_date, manager.employee_number)
            .outerjoin(Department, Department.id == Staff.department_id)
            .outerjoin(manager, manager.id == Staff.manager_id)
            .where(*list_clauses(STAFF, user, args)))
    return Sheet("staff", ["id", "employee_number", "name", "email", "department_id", "department_code",
                           "manager_id", "employment_type", "company", "active", "start_date",
                           "manager_employee_number"],
                 _rows(stmt.order_by(Staff.name, Staff.id)))


def device_types_sheet(user, args):
    from core.devices.api import DEVICE_TYPES
    from core.devices.models import DeviceType, TechnologyGroup

    stmt = (select(DeviceType.id, DeviceType.manufacturer, DeviceType.model, DeviceType.name,
                   DeviceType.technology_group_id, TechnologyGroup.code, DeviceType.mdr_class,
                   DeviceType.lifecycle_phase, DeviceType.released_on)
            .join(TechnologyGroup, TechnologyGroup.id == DeviceType.technology_group_id)
            .where(*list_clauses(DEVICE_TYPES, user, args)))
    return Sheet("device-types", ["id", "manufacturer", "model", "name", "technology_group_id", "technology_group",
                                  "mdr_class", "lifecycle_phase", "released_on"],
                 _rows(stmt.order_by(DeviceType.manufacturer, DeviceType.model)))


def devices_sheet(user, args):
    from core.devices.api import DEVICES
    from core.devices.models import Device, DeviceType
    from core.staff.models import Department

    stmt = (select(Device.id, Device.asset_number, Device.serial_number, Device.device_type_id,
                   DeviceType.manufacturer, DeviceType.model, Device.department_id, Department.code, Device.status)
            .join(DeviceType, DeviceType.id == Device.device_type_id)
            .outerjoin(Department, Department.id == Device.department_id)
            .where(*list_clauses(DEVICES, user, args)))  # a manager: their department tree, as /devices
    return Sheet("devices", ["id", "asset_number", "serial_number", "device_type_id", "manufacturer", "model",
                             "department_id", "department_code", "status"],
                 _rows(stmt.order_by(Device.asset_number)))


def competences_sheet(user, args):
    from core.competence.api import COMPETENCES
    from core.competence.models import Competence, expiry_status
    from core.devices.models import DeviceType
    from core.staff.models import Staff

    assessor = aliased(Staff)
    today = dt.date.today()
    stmt = (select(Competence.id, Competence.staff_id, Staff.employee_number, Staff.name,
                   Competence.device_type_id, DeviceType.manufacturer, DeviceType.model, Competence.activity_id,
                   Competence.role, Competence.obtained_on, Competence.method, Competence.assessor_id,
                   assessor.employee_number, Competence.evidence, Competence.expires_on, Competence.expiry_source)
            .join(Staff, Staff.id == Competence.staff_id)
            .outerjoin(DeviceType, DeviceType.id == Competence.device_type_id)
            .outerjoin(assessor, assessor.id == Competence.assessor_id)
            .where(*list_clauses(COMPETENCES, user, args)))

    def rows():
        for row in _rows(stmt.order_by(Competence.id)):
            expires = row[14]
            yield row + [expiry_status(expires, today)]
    return Sheet("competences", ["id", "staff_id", "employee_number", "name", "device_type_id", "manufacturer",
                                 "model", "activity_id", "role", "obtained_on", "method", "assessor_id",
                                 "assessor_number", "evidence", "expires_on", "expiry_source", "status"], rows())


def tvb_cells_sheet(user, args):
    from core.tvb.api import CELLS
    from core.tvb.models import Activity, Cell, Role

    stmt = (select(Cell.id, Cell.role_id, Role.name, Cell.activity_id, Activity.name, Cell.letters,
                   Cell.technology_group_id, Cell.device_type_id)
            .join(Role, Role.id == Cell.role_id).join(Activity, Activity.id == Cell.activity_id)
            .where(*list_clauses(CELLS, user, args)))
    return Sheet("tvb-cells", ["id", "role_id", "role", "activity_id", "activity", "letters",
                               "technology_group_id", "device_type_id"], _rows(stmt.order_by(Cell.id)))


def tvb_assignments_sheet(user, args):
    from core.staff.models import Staff
    from core.tvb.api import ASSIGNMENTS
    from core.tvb.models import Assignment, Role

    stmt = (select(Assignment.id, Assignment.staff_id, Staff.employee_number, Staff.name, Assignment.role_id,
                   Role.name, Assignment.valid_from, Assignment.valid_to)
            .join(Staff, Staff.id == Assignment.staff_id).join(Role, Role.id == Assignment.role_id)
            .where(*list_clauses(ASSIGNMENTS, user, args)))
    return Sheet("tvb-assignments", ["id", "staff_id", "employee_number", "name", "role_id", "role",
                                     "valid_from", "valid_to"], _rows(stmt.order_by(Assignment.id)))


def audit_sheet(user, args):
    import json

    from core.audit.api import audit_clauses
    from core.audit.models import AuditEntry

    stmt = select(AuditEntry.id, AuditEntry.at, AuditEntry.user_id, AuditEntry.actor, AuditEntry.action,
                  AuditEntry.entity, AuditEntry.entity_id, AuditEntry.before, AuditEntry.after
                  ).where(*audit_clauses(args))  # the audit list's own filters

    def rows():
        for row in _rows(stmt.order_by(AuditEntry.id.desc())):
            yield row[:7] + [None if x is None else json.dumps(x, sort_keys=True, ensure_ascii=False)
                             for x in row[7:]]
    return Sheet("audit", ["id", "at", "user_id", "actor", "action", "entity", "entity_id", "before", "after"],
                 rows())


def matrix_sheet(user, args):
    from core.competence import matrix

    built = matrix.build(user, on=args.get("on") or dt.date.today(), department_id=args.get("department_id"),
                         subdepartments=args.get("subdepartments", True),
                         technology_group_id=args.get("technology_group_id"), role=args.get("role"))
    header = ["employee_number", "name"] + [f"{t['manufacturer']} {t['model']}" for t in built["device_types"]]

    def rows():
        for person, row in zip(built["staff"], built["rows"]):
            yield [person["employee_number"], person["name"]] + [
                c["state"] if c["expires_on"] is None else f"{c['state']} {c['expires_on'].isoformat()}"
                for c in row["cells"]]
    return Sheet(f"matrix {built['on'].isoformat()}", header, rows())


@dataclass(frozen=True)
class ExportKind:
    """One export: ``build(user, filters) -> Sheet``, who may export it, the filter schema of
    its list endpoint (the same filters, so an export filters exactly like its list) and
    whether it holds people's data (the NEN 7513 access log notes such an export)."""

    name: str
    build: Callable[[Any, dict], Sheet]
    roles: tuple[str, ...]
    filters: Callable[[], type]
    personal: bool = False


def _resource_filters(module: str, resource: str):
    def schema():
        from importlib import import_module
        return getattr(import_module(module), resource).filter_schema
    return schema


def _audit_filters():
    from core.audit.api import AuditFilters
    return AuditFilters


def _matrix_filters():
    from core.competence.schemas import MatrixArgs
    return MatrixArgs


CORE_EXPORTS = {kind.name: kind for kind in (
    ExportKind("staff", staff_sheet, ALL_ROLES_READ, _resource_filters("core.staff.api", "STAFF"), personal=True),
    ExportKind("device-types", device_types_sheet, ALL_ROLES_READ,
               _resource_filters("core.devices.api", "DEVICE_TYPES")),
    ExportKind("devices", devices_sheet, ALL_ROLES_READ, _resource_filters("core.devices.api", "DEVICES")),
    ExportKind("competences", competences_sheet, ALL_ROLES_READ,
               _resource_filters("core.competence.api", "COMPETENCES"), personal=True),
    ExportKind("tvb-cells", tvb_cells_sheet, ALL_ROLES_READ, _resource_filters("core.tvb.api", "CELLS")),
    ExportKind("tvb-assignments", tvb_assignments_sheet, ALL_ROLES_READ,
               _resource_filters("core.tvb.api", "ASSIGNMENTS"), personal=True),
    ExportKind("audit", audit_sheet, ("admin", "auditor"), _audit_filters, personal=True),
    ExportKind("competence-matrix", matrix_sheet, ALL_ROLES_READ, _matrix_filters, personal=True),
)}
# The core's exports by name: (build, roles), as before the plugins could add theirs.
EXPORTS = {name: (kind.build, kind.roles) for name, kind in CORE_EXPORTS.items()}


def kinds() -> dict[str, ExportKind]:
    """The core's exports and those of the enabled plugins (``bekwaam_export_kinds``), by name."""
    return by_name(CORE_EXPORTS, export_kinds(), "exports")


def parse_filters(what: str, query: dict) -> dict:
    """Raises marshmallow.ValidationError on a bad filter value; unknown parameters are ignored."""
    from marshmallow import EXCLUDE

    schema = kinds()[what].filters()(unknown=EXCLUDE)
    return schema.load({k: v for k, v in query.items() if k not in ("sep",)})


def filter_names(what: str) -> list[str]:
    """The filters an export takes (the CLI refuses others; the API ignores them)."""
    return sorted(kinds()[what].filters()().fields)


def build(what: str, user, args: dict) -> Sheet:
    return kinds()[what].build(user, args)


__all__ = ["EXPORTS", "ExportKind", "kinds", "FORMATS", "Sheet", "build", "filter_names", "parse_filters", "safe", "to_csv", "to_xlsx"]
