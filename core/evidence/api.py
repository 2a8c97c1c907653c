"""``/api/v1``: the inspection report, the competence passport and the FHIR export."""
from __future__ import annotations

import datetime as dt

from flask.views import MethodView
from flask_smorest import Blueprint

from core.auth.permissions import ALL_ROLES_READ, current_user, require
from core.evidence import documents, texts
from core.evidence.schemas import FeedCreateSchema, FeedSchema, IssuedFeedSchema, PassportArgs, ReportArgs

blp = Blueprint("evidence", __name__, url_prefix="/api/v1", template_folder="templates",
                description="Evidence: the inspection report, the competence passport, FHIR, calendar feeds")

PDF = {"200": {"description": "the PDF", "content": {"application/pdf": {"schema": {"type": "string",
                                                                                    "format": "binary"}}}}}


def _lang(args) -> str:
    return args.get("lang") or texts.choose_language()


@blp.route("/reports/authorised-staff.pdf")
@blp.arguments(ReportArgs, location="query")
@blp.doc(responses=PDF)
def authorised_staff_pdf(args):
    """The inspection report: everyone allowed on the day with the evidence, everyone refused with why.

    Dutch or English (``lang``, else Accept-Language); page numbers, the time it
    was made, by whom, and the audit trail's last hash at that moment. A
    department manager sees only their own department's people in it.
    """
    require(*ALL_ROLES_READ)
    body, name = documents.report_pdf(args["device_type_id"], args["activity_id"],
                                      args.get("on") or dt.date.today(), _lang(args))
    return documents.pdf_response(body, name)


@blp.route("/staff/<int:staff_id>/passport.pdf")
@blp.arguments(PassportArgs, location="query")
@blp.doc(responses=PDF)
def passport_pdf(args, staff_id):
    """The person's competence passport: competences, roles, VZI and BIG standing on the day.

    For the person themself, their manager, admins and auditors; anyone else gets 404.
    """
    require(*ALL_ROLES_READ)
    body, name = documents.passport_pdf(staff_id, args.get("on") or dt.date.today(), _lang(args))
    return documents.pdf_response(body, name)


@blp.route("/staff/<int:staff_id>/fhir-practitioner")
@blp.arguments(PassportArgs, location="query")
@blp.doc(responses={"200": {"description": "an HL7 FHIR R4 Practitioner resource",
                            "content": {"application/fhir+json": {"schema": {"type": "object"}}}}})
def fhir_practitioner(args, staff_id):
    """The person's qualifications as an HL7 FHIR R4 Practitioner (BIG number, VZI, competences).

    For the same people as the passport; anyone else gets 404.
    """
    import json

    from flask import Response

    from core.audit import access
    from core.evidence import fhir

    require(*ALL_ROLES_READ)
    staff = documents.visible_person(staff_id)
    resource = fhir.practitioner(staff, args.get("on") or dt.date.today(), _lang(args))
    access.note(staff_id=staff.id)
    return Response(json.dumps(resource.as_json(), ensure_ascii=False), mimetype=fhir.MEDIA_TYPE)


# --- calendar feeds ------------------------------------------------------------------------


def _may_subscribe(user, data) -> None:
    """A person's feed: whoever may have their passport; a department's: its manager or an admin."""
    from core.auth.permissions import managed_departments
    from core.dataio.privacy import may_export
    from core.errors import abort
    from core.extensions import db
    from core.staff.models import Department, Staff

    if "staff_id" in data:
        staff = db.session.get(Staff, data["staff_id"])
        if staff is None or not may_export(user, staff):
            abort(404, message=f"No staff with id {data['staff_id']}.")
        return
    department = db.session.get(Department, data["department_id"])
    if department is None or not (user.role == "admin" or (user.role == "manager"
                                                           and department.id in managed_departments(user))):
        abort(404, message=f"No department with id {data['department_id']}.")


def _issued(row, secret: str) -> dict:
    from flask import url_for

    return {"id": row.id, "kind": row.kind, "staff_id": row.staff_id, "department_id": row.department_id,
            "label": row.label, "created_at": row.created_at, "revoked_at": row.revoked_at,
            "url": url_for("evidence_web.calendar_feed", token=secret, _external=True)}


@blp.route("/calendar-feeds")
class CalendarFeeds(MethodView):
    @blp.response(200, FeedSchema(many=True))
    def get(self):
        """The calendar feeds you made (an admin: all), without their secret URLs."""
        from core.evidence import calendar
        return calendar.tokens_of(current_user())

    @blp.arguments(FeedCreateSchema)
    @blp.response(201, IssuedFeedSchema)
    def post(self, data):
        """A private iCalendar URL with every expiry and re-registration deadline, with reminders.

        For a person (``staff_id``: the person, their manager or an admin) or a
        department (``department_id``: its manager or an admin). The URL is
        shown once; only its hash is kept.
        """
        from core.evidence import calendar
        user = current_user()
        _may_subscribe(user, data)
        kind = "staff_calendar" if "staff_id" in data else "department_calendar"
        secret, row = calendar.issue(kind, staff_id=data.get("staff_id"), department_id=data.get("department_id"),
                                     created_by=user.id, label=data.get("label"))
        return _issued(row, secret)


@blp.route("/calendar-feeds/<int:feed_id>", methods=["DELETE"])
@blp.response(204)
def calendar_feed_revoke(feed_id):
    """Revoke a feed: its URL stops working at once (the one who made it, or an admin)."""
    from core.errors import abort
    from core.evidence import calendar
    from core.evidence.models import EvidenceToken
    from core.extensions import db

    user = current_user()
    row = db.session.get(EvidenceToken, feed_id)
    if row is None or row.kind == "cmms" or (user.role != "admin" and row.created_by != user.id):
        abort(404, message=f"No calendar feed with id {feed_id}.")
    calendar.revoke(row)
