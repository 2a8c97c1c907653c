"""Alerts (the in-app channel) and coverage minimums, in and out of the API."""
from marshmallow import Schema, fields, validate

from core.competence.models import COMPETENCE_ROLES
from core.schemas import Day, Filters, StrictSchema


class AlertSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    source = fields.String()
    subject = fields.Method("_subject", metadata={"description": '{"type": "staff"|"device_type", "id": int}'})
    staff_id = fields.Integer(allow_none=True)
    device_type_id = fields.Integer(allow_none=True)
    due_on = Day()
    horizon_days = fields.Integer(allow_none=True)
    message = fields.String(metadata={"description": "English"})
    message_nl = fields.String(allow_none=True, metadata={"description": "Dutch, where the source gives it"})
    created_at = fields.AwareDateTime()
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    acknowledged_by = fields.Integer(allow_none=True)
    delivered = fields.Method("_delivered", metadata={
        "description": "true when no e-mail or webhook message of this alert is still pending"})

    def _subject(self, alert):
        if alert.staff_id is not None:
            return {"type": "staff", "id": alert.staff_id}
        return {"type": "device_type", "id": alert.device_type_id}

    def _delivered(self, alert):
        return not getattr(alert, "pending_deliveries", False)


class AlertFilters(Filters):
    kind = fields.String()
    subject = fields.String(validate=validate.Regexp(r"^(staff|device_type):\d+$"),
                            metadata={"description": "staff:<id> or device_type:<id>"})
    staff_id = fields.Integer()
    device_type_id = fields.Integer()
    department_id = fields.Integer(metadata={
        "description": "people of this department tree, and device types with a device there"})
    delivered = fields.Boolean()
    acknowledged = fields.Boolean()
    due_from = Day()
    due_to = Day()


class CoverageMinimumSchema(StrictSchema):
    device_type_id = fields.Integer(allow_none=True)
    technology_group_id = fields.Integer(allow_none=True, metadata={
        "description": "applies to every released/in-use type of the group without its own minimum"})
    role = fields.String(validate=validate.OneOf(COMPETENCE_ROLES), metadata={"description": "default technician"})
    minimum = fields.Integer(required=True, validate=validate.Range(min=1))
    created_at = fields.AwareDateTime(dump_only=True)


class CoverageMinimumFilters(Filters):
    device_type_id = fields.Integer()
    technology_group_id = fields.Integer()
    role = fields.String()
