"""API shapes of the big_kt plugin (``/api/v1/big/...``, README, Using the API)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from core.schemas import StrictSchema
from plugins.big_kt.models import OUTCOMES, QUALITY_KINDS, STATUSES
from plugins.big_kt import rules
from plugins.big_kt.rules import RESERVED_PROCEDURES



class Decimal2(fields.Decimal):  # noqa: N801 - reads like a field class
    """Hours or points: out as a string with two decimals; in, at most two
    decimals (``"1.234"`` is refused, never rounded silently) and no number so
    large that arithmetic on it overflows."""

    def __init__(self, **kw):
        super().__init__(places=2, as_string=True, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        num = fields.Decimal(allow_nan=False)._validated(value)
        if abs(num) > rules.MAX_RECORD_HOURS:
            raise ValidationError(f"Must be at most {rules.format_hours(rules.MAX_RECORD_HOURS)}.")
        if num != num.quantize(rules.TWO_PLACES):
            raise ValidationError("At most two decimals.")
        return num.quantize(rules.TWO_PLACES)


def positive(value) -> None:
    # A plain function, not validate.Range: apispec would publish the bound as a
    # string (the field serialises as one), which is invalid OpenAPI.
    if value <= 0:
        raise ValidationError("Must be greater than 0.")


def sane_date(value) -> None:
    """Dates between 1950-01-01 and 2100-12-31 (see rules.EARLIEST_DATE)."""
    if value is not None and not rules.date_in_bounds(value):
        raise ValidationError(f"Must lie between {rules.EARLIEST_DATE.isoformat()} and "
                              f"{rules.LATEST_DATE.isoformat()}.")


def Date(**kw):  # noqa: N802 - reads like a field class
    return fields.Date(validate=sane_date, **kw)


class BigRegistrationSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    big_number = fields.String(required=True, metadata={"description": "exactly 11 digits"})
    registered_on = Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    status_since = Date(load_default=None, metadata={
        "description": "date the status (and restriction) took effect; default the registration date "
                       "for a new entry, today for a change"})
    restriction = fields.String(allow_none=True, load_default=None)
    restriction_from = Date(allow_none=True, load_default=None)
    restriction_until = Date(allow_none=True, load_default=None, metadata={
        "description": "last day the restriction applies"})
    restricted_procedures = fields.List(
        fields.String(), load_default=list,
        metadata={"description": "reserved procedures the restriction covers; empty = all"})
    diploma_on = Date(required=True)
    institution = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    track = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    foreign_diploma = fields.Boolean(load_default=False)
    recognition_decision = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200),
                                         metadata={"description": "free-text note; the outcome decides"})
    recognition_outcome = fields.String(allow_none=True, load_default=None,
                                        validate=validate.OneOf(rules.RECOGNITION_OUTCOMES), metadata={
        "description": "decision on a foreign diploma (CBGV); only recognised lets the person be independent"})
    recognition_decided_on = Date(allow_none=True, load_default=None)
    registration_effective_on = fields.Date(dump_only=True, metadata={
        "description": "the registration date, but not before 1 July 2020 (Besluit klinisch technoloog, art. 6)"})
    language_proof = fields.Boolean(load_default=False, metadata={
        "description": "Dutch at B2+ shown (needed for a foreign diploma)"})


class BigStatusChangeSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    effective_on = fields.Date()
    restriction = fields.String(allow_none=True)
    restriction_from = fields.Date(allow_none=True)
    restriction_until = fields.Date(allow_none=True)
    restricted_procedures = fields.List(fields.String())
    recorded_at = fields.DateTime()


class BigSubdomainSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(1, 200))


class BigStaffSubdomainSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    subdomain_id = fields.Integer(required=True, strict=True)
    valid_from = Date(load_default=None, metadata={"description": "first day of the link; default today"})
    valid_to = Date(allow_none=True, load_default=None, metadata={
        "description": "last day of the link (included); empty = open. DELETE ends the link yesterday."})


class BigWorkHoursSchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    period_start = Date(required=True)
    period_end = Date(required=True)
    hours = Decimal2(required=True, validate=positive)


class BigQualityEntrySchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    entry_date = Date(required=True)


class BigQualityActivitySchema(StrictSchema):
    staff_id = fields.Integer(dump_only=True)
    date = Date(required=True)
    points = Decimal2(required=True, validate=positive)
    kind = fields.String(required=True, validate=validate.OneOf(QUALITY_KINDS))
    title = fields.String(allow_none=True, validate=validate.Length(max=200))


class BigEvaluationArgs(Schema):
    as_of = Date(metadata={"description": "default today"})


class BigVerificationSchema(Schema):
    id = fields.Integer()
    staff_id = fields.Integer()
    checked_at = fields.DateTime()
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    differences = fields.List(fields.Dict())
    message = fields.String(allow_none=True)


class BigVerifyResultSchema(Schema):
    checked = fields.Integer()
    ok = fields.Integer()
    different = fields.Integer()
    error = fields.Integer()
    results = fields.List(fields.Nested(BigVerificationSchema))


class BigRequirementSchema(Schema):
    """``requirements.big_kt`` of a TVB activity (the interface contract's field names).

    Any procedure code is accepted so a procedure outside the nine can be
    modelled; can_perform then refuses it (Wet BIG art. 36: only nine are open to a KT).
    """

    class Meta:
        unknown = RAISE
        ordered = True

    reserved_procedure = fields.String(required=True, validate=validate.Length(1, 60), metadata={
        "description": "one of " + ", ".join(RESERVED_PROCEDURES) + " (others are never independent)"})
    subdomain_id = fields.Integer(required=True, strict=True)
    protocol = fields.String(required=True, validate=validate.Length(1, 500))

    @validates("protocol")
    def _protocol(self, value, **kwargs):
        if not value.strip():
            raise ValidationError("Name the departmental protocol (Besluit klinisch technoloog, art. 5(3)).")

    @validates("subdomain_id")
    def _subdomain(self, value, **kwargs):
        from core.extensions import db
        from plugins.big_kt.models import KtSubdomain
        if db.session.get(KtSubdomain, value) is None:
            raise ValidationError(f"No sub-domain with id {value}.")
