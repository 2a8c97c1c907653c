"""GET /audit (the audit trail) and GET /access-log (NEN 7513 reads), for admins and auditors."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from core.audit import access
from core.audit.models import AccessLogEntry, AuditEntry
from core.auth.permissions import AUDIT_READERS, require
from core.crud import paginated
from core.schemas import Filters

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit trail (append-only)")


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    user_id = fields.Integer(allow_none=True)
    actor = fields.String()
    action = fields.String()
    entity = fields.String()
    entity_id = fields.Integer(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    change_set = fields.String(allow_none=True, metadata={"description": "shared by the entries of one bulk change"})
    reason = fields.String(allow_none=True)
    prev_hash = fields.String(allow_none=True)
    row_hash = fields.String(allow_none=True)


class AuditFilters(Filters):
    entity = fields.String(metadata={"description": "table name, e.g. staff, competence, tvb_cell"})
    entity_id = fields.Integer()
    user_id = fields.Integer()
    action = fields.String()
    change_set = fields.String()
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()


def audit_clauses(args: dict) -> list:
    """The WHERE clauses of the audit list's filters (``since`` inclusive, ``until`` exclusive);
    the list and its export use this one definition."""
    clauses = [getattr(AuditEntry, name) == args[name]
               for name in ("entity", "entity_id", "user_id", "action", "change_set") if args.get(name) is not None]
    if args.get("since"):
        clauses.append(AuditEntry.at >= args["since"])
    if args.get("until"):
        clauses.append(AuditEntry.at < args["until"])
    return clauses


@blp.route("/audit")
@blp.arguments(AuditFilters, location="query")
@blp.response(200, AuditEntrySchema(many=True))
@blp.paginate(page_size=50, max_page_size=1000)
def audit_list(args, pagination_parameters):
    """Who changed what and when, newest first."""
    require(*AUDIT_READERS)
    stmt = select(AuditEntry).where(*audit_clauses(args))
    return paginated(stmt.order_by(AuditEntry.id.desc()), pagination_parameters)


class AccessLogSchema(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    user_id = fields.Integer(allow_none=True)
    actor = fields.String()
    on_behalf_of = fields.String(allow_none=True)
    action = fields.String()
    staff_id = fields.Integer(allow_none=True)
    subject = fields.String()
    people = fields.Integer()
    ip = fields.String(allow_none=True)
    prev_hash = fields.String(allow_none=True)
    row_hash = fields.String(allow_none=True)


class AccessLogFilters(Filters):
    staff_id = fields.Integer()
    user_id = fields.Integer()
    action = fields.String(metadata={"description": "the endpoint, e.g. staff.staff_item, vzi_mt.evaluation"})
    from_ = fields.AwareDateTime(data_key="from", metadata={"description": "at or after (ISO 8601 with offset)"})
    to = fields.AwareDateTime(metadata={"description": "before (ISO 8601 with offset)"})


@blp.route("/access-log")
@blp.arguments(AccessLogFilters, location="query")
@blp.response(200, AccessLogSchema(many=True))
@blp.paginate(page_size=50, max_page_size=1000)
def access_log_list(args, pagination_parameters):
    """NEN 7513: who read whose personal data, newest first. Reading the log is itself logged."""
    require(*AUDIT_READERS)
    stmt = select(AccessLogEntry)
    for name in ("staff_id", "user_id", "action"):
        if args.get(name) is not None:
            stmt = stmt.where(getattr(AccessLogEntry, name) == args[name])
    if args.get("from_"):
        stmt = stmt.where(AccessLogEntry.at >= args["from_"])
    if args.get("to"):
        stmt = stmt.where(AccessLogEntry.at < args["to"])
    rows = paginated(stmt.order_by(AccessLogEntry.id.desc()), pagination_parameters)
    people = {r.staff_id for r in rows} - {None}
    access.note(people=len(people), subject=f"access log: {len(rows)} entries"
                + (f" about staff {args['staff_id']}" if args.get("staff_id") is not None else ""))
    return rows
