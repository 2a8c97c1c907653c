"""The audit trail, for auditors and admins (as GET /api/v1/audit), in words (core.web.audit_readable)."""
from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from core.audit.models import AuditEntry
from core.auth.permissions import AUDIT_READERS
from core.extensions import db
from core.web.access import require_role
from core.web.audit_readable import table_label
from core.web.blueprint import blp
from core.web.util import arg_int, paginate_query



@blp.route("/audit")
def audit():
    require_role(*AUDIT_READERS)
    stmt = select(AuditEntry)
    entity = request.args.get("entity", "").strip()
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    entity_id = arg_int("entity_id")
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    action = request.args.get("action", "")
    if action in ("create", "update", "delete"):
        stmt = stmt.where(AuditEntry.action == action)
    actor = request.args.get("actor", "").strip()
    if actor:
        stmt = stmt.where(AuditEntry.actor.contains(actor))
    page = paginate_query(stmt.order_by(AuditEntry.id.desc()))
    entities = [(table, table_label(table)) for table in
                db.session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))]
    return render_template("audit.html", page=page, entities=entities, entity=entity, entity_id=entity_id,
                           action=action, actor=actor)
