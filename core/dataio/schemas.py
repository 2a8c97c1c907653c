"""Request and response bodies of the data in/out endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from flask_smorest.fields import Upload

from core.dataio.importers import fields_of, kinds
from core.schemas import Day, StrictSchema


class DataImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "check and report, write nothing"})
    partial = fields.Boolean(load_default=False, metadata={
        "description": "write the good rows even when some are rejected (default: all or nothing)"})
    mapping = fields.String(metadata={"description": "name of a saved column mapping for this source"})


class DataImportFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV (, or ;, UTF-8 with or without BOM) or XLSX"})


class DataImportRowSchema(Schema):
    line = fields.Integer(metadata={"description": "line in the file (header = 1; XLSX: the sheet row)"})
    status = fields.String(metadata={"description": "created / updated / unchanged / rejected / skipped"})
    key = fields.String(allow_none=True)
    reasons = fields.List(fields.String())
    changed = fields.List(fields.String())


class DataImportReportSchema(Schema):
    kind = fields.String()
    format = fields.String()
    mapping = fields.String(allow_none=True)
    dry_run = fields.Boolean()
    partial = fields.Boolean()
    written = fields.Boolean()
    columns = fields.Dict(keys=fields.String(), values=fields.String())
    ignored_columns = fields.List(fields.String())
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    rows = fields.List(fields.Nested(DataImportRowSchema))


def _known_kind(kind: str) -> None:
    """One of the enabled import kinds (the core's and the plugins'), read when validating."""
    if kind not in kinds():
        raise ValidationError(f"Must be one of: {', '.join(kinds())}.")


class ImportMappingSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    kind = fields.String(required=True, validate=lambda kind: _known_kind(kind))
    columns = fields.Dict(keys=fields.String(validate=validate.Length(1, 200)), values=fields.String(),
                          required=True, metadata={"description": "source header -> field"})
    created_at = fields.AwareDateTime(dump_only=True)

    @validates_schema
    def _fields_exist(self, data, partial=None, **kwargs):
        if "kind" in data and "columns" in data:
            known = fields_of(data["kind"])
            bad = sorted({f for f in data["columns"].values() if f not in known})
            if bad:
                raise ValidationError(f"Unknown fields for {data['kind']}: {', '.join(bad)} "
                                      f"(known: {', '.join(known)}).", "columns")


class DepartureSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    left_on = Day(required=True)
    anonymised_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class AnonymiseArgs(StrictSchema):
    dry_run = fields.Boolean(load_default=False)
    as_of = Day(metadata={"description": "default today"})


class AnonymiseResultSchema(Schema):
    as_of = fields.String()
    retention_years = fields.Integer()
    left_on_or_before = fields.String()
    dry_run = fields.Boolean()
    count = fields.Integer()
    staff_ids = fields.List(fields.Integer())
