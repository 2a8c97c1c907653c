from marshmallow import RAISE, Schema, fields, validate

from core.devices.schemas import DATE_BOUNDS
from core.schemas import StrictSchema
from plugins.leidraad import rules
from plugins.leidraad.models import APPROVAL_KINDS

LEVEL = validate.OneOf(rules.LEVELS)


class ScreeningSchema(StrictSchema):
    device_type_id = fields.Integer(dump_only=True)
    screened_on = fields.Date(load_default=None, validate=DATE_BOUNDS, metadata={"description": "default today"})
    product_risk = fields.String(validate=LEVEL, load_default=None,
                                 metadata={"description": "default from the MDR/IVDR class (I low, IIa medium, IIb/III high; IVDR A/B low/medium, C/D high)"})
    usage_context = fields.String(required=True, validate=LEVEL)
    novelty = fields.String(required=True, validate=LEVEL)
    impact = fields.String(required=True, validate=LEVEL)
    # Leidraad Medische Technologie 2026: a PRI "bij nieuwe of aangepaste toepassingen en
    # bij nieuwe inzichten die leiden tot een verhoogd risico".
    new_or_adapted_use = fields.Boolean(load_default=False, metadata={
        "description": "a new or adapted use (nieuwe of aangepaste toepassing): a PRI is required"})
    new_risk_insights = fields.Boolean(load_default=False, metadata={
        "description": "new insights that raise the risk (nieuwe inzichten, verhoogd risico): a PRI is required"})
    note = fields.String(allow_none=True)
    score_sum = fields.Integer(dump_only=True)
    risk_class = fields.String(dump_only=True)
    pri_required = fields.Boolean(dump_only=True)
    screened_by = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)


class ChangeSchema(Schema):
    competence_id = fields.Integer()
    staff_id = fields.Integer()
    staff_name = fields.String()
    device_type_id = fields.Integer()
    role = fields.String()
    code = fields.String()
    # The service's dicts carry "from" (a keyword in Python): read and write that key.
    from_ = fields.Date(attribute="from", data_key="from")
    message = fields.String()


class ScreeningResultSchema(ScreeningSchema):
    changes = fields.List(fields.Nested(ChangeSchema), dump_only=True, metadata={
        "description": "who becomes non-compliant from which date because the class changed"})


class ApprovalSchema(StrictSchema):
    device_type_id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(APPROVAL_KINDS))
    staff_id = fields.Integer(required=True)
    date = fields.Date(required=True, validate=DATE_BOUNDS)
    screening_id = fields.Integer(dump_only=True, metadata={
        "description": "the screening in force on the date: the approval counts for it only"})
    note = fields.String(allow_none=True)


class ReleaseSchema(StrictSchema):
    date = fields.Date(load_default=None, validate=DATE_BOUNDS, metadata={"description": "default today"})


class MissingSchema(Schema):
    code = fields.String()
    message = fields.String()


class ReleaseCheckSchema(Schema):
    device_type_id = fields.Integer()
    on = fields.Date()
    releasable = fields.Boolean()
    missing = fields.List(fields.Nested(MissingSchema))


class OnArgs(Schema):
    on = fields.Date(validate=DATE_BOUNDS)


class RoleRequirementSchema(Schema):
    method = fields.String()
    interval_months = fields.Integer(allow_none=True)


class RequirementsSchema(Schema):
    device_type_id = fields.Integer()
    risk_class = fields.String(allow_none=True)
    on = fields.Date()
    overridden_roles = fields.List(fields.String())
    roles = fields.Dict(keys=fields.String(), values=fields.Nested(RoleRequirementSchema))


class SafetyNoticeSchema(StrictSchema):
    device_type_id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(1, 300))
    issued_on = fields.Date(required=True, validate=DATE_BOUNDS)
    reinstruct_by = fields.Date(required=True, validate=DATE_BOUNDS)


class ActivityRequirementSchema(Schema):
    """``requirements.leidraad`` of a TVB activity."""

    class Meta:
        unknown = RAISE

    competence_role = fields.String(validate=validate.OneOf(rules.ROLES), load_default=None,
                                    metadata={"description": "competence needed for the device type"})
    approval = fields.String(validate=validate.OneOf(APPROVAL_KINDS), load_default=None,
                             metadata={"description": "this activity authorises release approvals of that kind"})
