"""REST: imports, saved column mappings, exports, backup, personal data, anonymisation."""
from __future__ import annotations

import datetime as dt

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy import func, select

from core import crud
from core.audit import access
from core.auth import visibility
from core.auth.permissions import ALL_ROLES_READ, current_user, require
from core.dataio import backup, exports, importers, privacy
from core.dataio.models import ImportMapping, StaffDeparture
from core.dataio.readers import FileError, open_table
from core.dataio.schemas import (
    AnonymiseArgs, AnonymiseResultSchema, DepartureSchema, DataImportArgs, DataImportFileSchema, ImportMappingSchema,
    DataImportReportSchema,
)
from core.errors import abort, field_errors
from core.extensions import db
from core.staff.models import Staff

blp = Blueprint("dataio", __name__, url_prefix="/api/v1",
                description="Data in and out: imports, exports, backup, personal data (AVG)")


# -- imports ----------------------------------------------------------------

@blp.route("/imports/<string:kind>")
class Imports(MethodView):
    @blp.arguments(DataImportArgs, location="query")
    @blp.arguments(DataImportFileSchema, location="files")
    @blp.response(200, DataImportReportSchema)
    @blp.alt_response(422, description="rejected rows (nothing written) or an unusable file; the body has `report`")
    def post(self, args, files, kind):
        """Import a CSV or XLSX file of ``kind``: staff, devices, device-types, competences, or an enabled plugin's kind.

        Upserts on the natural keys; the report lists every row with its line
        number. All or nothing unless ``partial``; ``dry_run`` writes nothing.
        """
        require("admin")
        try:
            spec = importers.kind_of(kind)
        except importers.PluginDisabled as exc:
            field_errors({"kind": [str(exc)]})
        except FileError:
            abort(404, message=f"Unknown import kind '{kind}': one of {', '.join(importers.kinds())}.")
        saved = None
        if args.get("mapping"):
            saved = db.session.scalar(select(ImportMapping).where(ImportMapping.name == args["mapping"]))
            if saved is None:
                field_errors({"mapping": [f"No saved mapping named '{args['mapping']}'."]})
            if saved.kind != kind:
                field_errors({"mapping": [f"Mapping '{saved.name}' is for {saved.kind}, not {kind}."]})
        upload = files["file"]
        try:
            table = open_table(upload.stream, upload.filename or "")
            report = importers.run(spec, table, dry_run=args["dry_run"], partial=args["partial"],
                                   saved_columns=saved.columns if saved else None,
                                   mapping_name=saved.name if saved else None)
        except FileError as exc:
            field_errors({"file": [str(exc)]})
        if not report.ok and not report.dry_run:  # a dry run is a check: its answer is the report
            rejected = [r for r in report.rows if r.status == "rejected"]
            abort(422, message=f"{len(rejected)} row(s) rejected; nothing was written (use partial=true to "
                               "write the good rows).",
                  errors={f"line {r.line}": r.reasons for r in rejected}, report=report.as_dict())
        return report.as_dict()


def _mapping_ok(obj, data, is_new):
    known = importers.fields_of(obj.kind)
    bad = sorted({f for f in (obj.columns or {}).values() if f not in known})
    if bad:
        field_errors({"columns": [f"Unknown fields for {obj.kind}: {', '.join(bad)}."]})


crud.register(blp, crud.Resource(
    name="import-mapping", path="/import-mappings", model=ImportMapping, schema=ImportMappingSchema,
    read_roles=("admin",), write_roles=("admin",), unique=[("name",)], before_save=_mapping_ok,
    order_by=ImportMapping.name,
))


# -- exports ----------------------------------------------------------------

@blp.route("/exports/<string:what>.<any(csv, xlsx):fmt>")
@blp.doc(parameters=[{"in": "query", "name": "sep", "schema": {"type": "string", "enum": [",", ";"]},
                      "description": "CSV separator (default ,)"}])
def export(what, fmt):
    """A list or the competence matrix as CSV or XLSX, with the list's own filters and role scope.

    ``what``: staff, device-types, devices, competences, tvb-cells,
    tvb-assignments, audit, competence-matrix.
    """
    kind = exports.kinds().get(what)
    if kind is None:
        abort(404, message=f"Nothing to export as '{what}': one of {', '.join(exports.kinds())}.")
    require(*kind.roles)
    try:
        args = exports.parse_filters(what, request.args.to_dict())
    except ValidationError as exc:
        field_errors(exc.messages)
    sep = request.args.get("sep", ",")
    if sep not in (",", ";"):
        field_errors({"sep": ["Use , or ;."]})
    sheet = exports.build(what, current_user(), args)
    sheet.rows = _counted(sheet.rows, counter := [0])
    name = f"{what}-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = "".join(exports.to_csv(sheet, sep)), "text/csv; charset=utf-8"
    else:
        body, mimetype = exports.to_xlsx(sheet), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if kind.personal:  # people's data: the NEN 7513 access log notes the export
        access.note(people=counter[0], subject=f"bulk: export {what}, {counter[0]} rows")
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _counted(rows, counter):
    for row in rows:
        counter[0] += 1
        yield row


# -- backup -----------------------------------------------------------------

@blp.route("/backup")
@blp.doc(responses={"200": {"description": "the backup document (format bekwaam-backup)",
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["format", "version", "tables"],
                                "properties": {"format": {"type": "string"}, "version": {"type": "integer"},
                                               "exported_at": {"type": "string"},
                                               "revisions": {"type": "array", "items": {"type": "string"}},
                                               "tables": {"type": "array", "items": {"type": "object"}}}}}}}})
def backup_download():
    """The whole instance as one JSON document (admin); restore it with ``bekwaam restore FILE``."""
    require("admin")
    name = f"bekwaam-backup-{dt.date.today().isoformat()}.json"
    people = db.session.scalar(select(func.count()).select_from(Staff))
    access.note(people=people, subject=f"bulk: backup, {people} people")
    return Response("".join(backup.iter_backup()), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- privacy ----------------------------------------------------------------

@blp.route("/staff/<int:staff_id>/personal-data")
def personal_data(staff_id):
    """Everything stored about one person and nobody else (AVG right of access): the person
    themself, their manager, an admin or an auditor."""
    require(*ALL_ROLES_READ)
    user = current_user()
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        abort(404, message=f"No staff with id {staff_id}.")
    if not privacy.may_export(user, staff):
        abort(403, message="Only the person themself, their manager, an admin or an auditor may export "
                           "a person's data.")
    return privacy.personal_data(staff_id)


@blp.route("/staff/<int:staff_id>/departure")
class Departure(MethodView):
    @blp.response(200, DepartureSchema)
    def get(self, staff_id):
        """When the person left (uit dienst); 404 while employed."""
        require(*ALL_ROLES_READ)
        visibility.visible_staff(current_user(), staff_id)
        departure = db.session.scalar(select(StaffDeparture).where(StaffDeparture.staff_id == staff_id))
        if departure is None:
            abort(404, message="No leaving date recorded for this person.")
        return departure

    @blp.arguments(DepartureSchema)
    @blp.response(200, DepartureSchema)
    def put(self, data, staff_id):
        """Record the leaving date; a date on or before today also makes the person inactive."""
        require("admin", "manager")
        staff = visibility.editable_staff(current_user(), staff_id,
                                          "This record is outside your department or your own data.")
        departure = db.session.scalar(select(StaffDeparture).where(StaffDeparture.staff_id == staff_id))
        if departure is None:
            departure = StaffDeparture(staff_id=staff_id)
            db.session.add(departure)
        elif departure.anonymised_at is not None:
            abort(409, message="This person has been anonymised; the leaving date is kept as it is.")
        if staff.start_date is not None and data["left_on"] <= staff.start_date:
            # Dates that contradict each other are refused, not guessed at.
            field_errors({"left_on": [f"Must be after the start date {staff.start_date.isoformat()}."]})
        departure.left_on = data["left_on"]
        if data["left_on"] <= dt.date.today():
            staff.active = False
        db.session.flush()
        return departure

    @blp.response(204)
    def delete(self, staff_id):
        """Back in service: remove the leaving date (the active flag is left to the staff record)."""
        require("admin", "manager")
        visibility.editable_staff(current_user(), staff_id, "This record is outside your department or your own data.")
        departure = db.session.scalar(select(StaffDeparture).where(StaffDeparture.staff_id == staff_id))
        if departure is None:
            abort(404, message="No leaving date recorded for this person.")
        if departure.anonymised_at is not None:
            abort(409, message="This person has been anonymised; the leaving date is kept as it is.")
        db.session.delete(departure)
        db.session.flush()


@blp.route("/anonymise", methods=["POST"])
@blp.arguments(AnonymiseArgs)
@blp.response(200, AnonymiseResultSchema)
def anonymise(args):
    """Anonymise everyone inactive who left more than ``BEKWAAM_RETENTION_YEARS`` (default 2) ago (admin)."""
    require("admin")
    return privacy.anonymise(args.get("as_of") or dt.date.today(), privacy.retention_years(),
                             dry_run=args["dry_run"])
