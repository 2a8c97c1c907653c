"""``/api/v1``: the inspection report, the competence passport and the FHIR export."""
from __future__ import annotations

import datetime as dt

from flask_smorest import Blueprint

from core.auth.permissions import ALL_ROLES_READ, require
from core.evidence import documents, texts
from core.evidence.schemas import PassportArgs, ReportArgs

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
