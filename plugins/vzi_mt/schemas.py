"""marshmallow schemas of the VZI resources (the interface contract's field names)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from core.schemas import FIRST_DAY, LAST_DAY, StrictSchema
from plugins.vzi_mt import rules

LEVELS = tuple(rules.Level)
DESIGNATIONS = tuple(rules.Designation)
MAX_HOURS = Decimal("9999999.99")  # Numeric(9, 2): what the column holds (the core's bulk import uses it)
# Sane bounds for the plugin's API and CSV import: no single CPD activity or work-experience
# record exceeds 10,000 hours (about five working years); domain dates lie between these days.
HOURS_LIMIT = Decimal("10000.00")
# The core's bounds of a domain date (one definition for every date a user types).
FIRST_DATE, LAST_DATE = FIRST_DAY, LAST_DAY


def two_places(value: Decimal) -> None:
    """Hours are kept with two decimals (as the VZI register keeps them): refuse more rather than round silently."""
    if value.as_tuple().exponent < -2:
        raise ValidationError("At most two decimals.")


class HoursField(fields.Decimal):
    """Hours in as given (so more than two decimals can be refused, not rounded), out with two."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = Decimal(value).quantize(Decimal("0.01"))
        return super()._serialize(value, attr, obj, **kwargs)


def hours_range(value: Decimal) -> None:
    # a plain function, not validate.Range: apispec would publish the bounds as strings
    # (the field serialises as string), which is invalid OpenAPI
    if not 0 < value <= HOURS_LIMIT:
        raise ValidationError(f"Must be more than 0 and at most {HOURS_LIMIT}.")


def hours_field(**kw):
    return HoursField(as_string=True, required=True, validate=[hours_range, two_places],
                      metadata={"minimum": 0.01, "maximum": float(HOURS_LIMIT)}, **kw)


def date_range(value: dt.date) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(f"Must be between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}.")


def date_field(**kw):
    """A domain date within [1950-01-01, 2100-12-31]: a typo such as 0202-01-01 is a 422, not a 500."""
    return fields.Date(validate=date_range, **kw)


class EducationSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    level = fields.String(required=True, validate=validate.OneOf(tuple(rules.EducationLevel)))
    name = fields.String(allow_none=True, validate=validate.Length(max=200),
                         metadata={"description": "the diploma as named by the school (free text)"})
    # ``fields`` would shadow the marshmallow module inside the class body
    fields_ = fields.List(fields.String(validate=validate.OneOf(tuple(rules.EducationField))),
                          load_default=list, data_key="fields", attribute="fields")
    components = fields.List(fields.String(validate=validate.OneOf(tuple(rules.EducationComponent))),
                             load_default=list)
    obtained_on = date_field(allow_none=True)
    equivalence_accepted_for = fields.String(allow_none=True, validate=validate.OneOf(LEVELS), metadata={
        "description": "level the registration committee accepted this education as equivalent for"})


class CertificateSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=validate.OneOf(tuple(rules.CertificateCode)))
    obtained_on = date_field(allow_none=True)
    equivalent = fields.Boolean(load_default=False, metadata={
        "description": "a diploma the registration committee accepted instead of the certificate"})


class PositionSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    start_date = date_field(required=True)
    end_date = date_field(allow_none=True, metadata={"description": "last day; empty = running"})


class CpdActivitySchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    date = date_field(required=True)
    hours = hours_field()
    title = fields.String(required=True, validate=validate.Length(1, 300))
    technology_group_id = fields.Integer(allow_none=True, load_default=None, metadata={
        "description": "null = Algemene niet-technische scholing (non-technical)"})
    status = fields.String(dump_only=True, metadata={
        "description": "pending (own entry awaiting review) / approved / rejected; only approved hours count"})
    attachment_name = fields.String(dump_only=True, allow_none=True)
    reviewed_by = fields.Integer(dump_only=True, allow_none=True)
    reviewed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    rejection_reason = fields.String(dump_only=True, allow_none=True)


class CpdReviewSchema(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(("approved", "rejected")))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class WorkExperienceSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    technology_group_id = fields.Integer(required=True)
    period_start = date_field(required=True)
    period_end = date_field(required=True, metadata={"description": "inclusive"})
    hours = hours_field()


class CertificationSchema(StrictSchema):
    """A certification period; read-only except through POST ``{"as_of"}``."""

    staff_id = fields.Integer(dump_only=True)
    level = fields.String(dump_only=True)
    designation = fields.String(dump_only=True)
    start_date = fields.Date(dump_only=True)
    end_date = fields.Date(dump_only=True, metadata={"description": "exclusive: the first day not covered"})
    dispensation_percent = fields.Integer(dump_only=True, metadata={
        "description": "fixed at the start of the period; CPD done in it is judged against this"})
    expertise_areas = fields.List(fields.Integer(), dump_only=True, metadata={
        "description": "technology group codes the certificate shows, fixed at the grant"})
    granted_at = fields.AwareDateTime(dump_only=True)
    norms = fields.Method("_norms", dump_only=True, metadata={
        "description": "the norm set the grant was judged by; retroactive: dated before it took effect "
                       "(history entered after the fact)"})

    def _norms(self, period) -> dict:
        applied = rules.norms_for(period.start_date)
        return {"name": applied.name, "effective_from": applied.effective_from.isoformat(),
                "retroactive": applied.retroactive}


class GrantSchema(StrictSchema):
    """POST /certifications: only the application date; level and designation follow from the evaluation."""

    as_of = date_field(required=True)


class CancellationSchema(StrictSchema):
    """Opzegging of the registration: from ``cancelled_on`` the person has no registration."""

    staff_id = fields.Integer(dump_only=True)
    cancelled_on = date_field(required=True)
    reason = fields.String(required=True, validate=validate.Length(1, 1000))
    created_by = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class AsOfArgs(Schema):
    as_of = date_field(metadata={"description": "default today"})


class ImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False)
    partial = fields.Boolean(load_default=False)


class ImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class UnmetSchema(Schema):
    code = fields.String()
    message = fields.String()


class CpdStatusSchema(Schema):
    required_hours = fields.Decimal(places=2, as_string=True)
    done_hours = fields.Decimal(places=2, as_string=True)
    required_technical_hours = fields.Decimal(places=2, as_string=True)
    technical_hours = fields.Decimal(places=2, as_string=True)
    waived = fields.Boolean()


class NormsSchema(Schema):
    name = fields.String()
    effective_from = fields.Date()
    retroactive = fields.Boolean(metadata={
        "description": "as_of lies before effective_from: history entered after the fact, judged by these norms"})
    note = fields.String()


class EvaluationSchema(Schema):
    level = fields.String(allow_none=True)
    registration = fields.String()
    eligible = fields.Boolean()
    designation = fields.String(allow_none=True)
    experience_years = fields.Decimal(places=2, as_string=True)
    experience_years_at_level = fields.Decimal(places=2, as_string=True)
    dispensation_percent = fields.Integer()
    cpd = fields.Nested(CpdStatusSchema)
    expertise_areas = fields.List(fields.Integer())
    unmet = fields.List(fields.Nested(UnmetSchema))
    as_of = fields.Date()
    window_start = fields.Date(metadata={"description": "exclusive: the window is (window_start, as_of]"})
    period_start = fields.Date()
    designation_years = fields.Decimal(places=2, as_string=True)
    first_certification = fields.Boolean()
    norms = fields.Nested(NormsSchema, metadata={"description": "the norm set applied and its effective date"})


class ForecastSchema(Schema):
    certification_id = fields.Integer()
    level = fields.String(allow_none=True)
    period_start = fields.Date()
    period_end = fields.Date()
    as_of = fields.Date()
    dispensation_percent = fields.Integer()
    required_hours = fields.Decimal(places=2, as_string=True)
    done_hours = fields.Decimal(places=2, as_string=True)
    required_technical_hours = fields.Decimal(places=2, as_string=True)
    technical_hours = fields.Decimal(places=2, as_string=True)
    hours_needed = fields.Decimal(places=2, as_string=True)
    technical_hours_needed = fields.Decimal(places=2, as_string=True)
    months_remaining = fields.Integer()
    hours_needed_per_month = fields.Decimal(places=2, as_string=True)
    technical_hours_needed_per_month = fields.Decimal(places=2, as_string=True)
    elapsed_fraction = fields.Decimal(places=4, as_string=True)
    on_track = fields.Boolean()


class ImportRowSchema(Schema):
    line = fields.Integer()
    status = fields.String(metadata={"description": "created or rejected"})
    id = fields.Integer(allow_none=True)
    reasons = fields.List(fields.String())


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    partial = fields.Boolean()
    written = fields.Boolean()
    created = fields.Integer()
    rejected = fields.Integer()
    rows = fields.List(fields.Nested(ImportRowSchema))


class VziRequirementSchema(Schema):
    """``requirements.vzi_mt`` of a TVB activity."""

    class Meta:
        unknown = RAISE
        ordered = True

    min_level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    min_designation = fields.String(validate=validate.OneOf(DESIGNATIONS))
