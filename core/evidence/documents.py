"""The two PDF documents as one call each, shared by the API and the web pages.

Who may have which document is decided here, in one place: the inspection
report lists only the people the caller may see (a department manager: their
own tree), the passport goes to the person, their manager, admins and
auditors (the rules of the personal-data export); anyone else is told the
person does not exist.
"""
from __future__ import annotations

import datetime as dt

from core.audit import access
from core.auth.permissions import current_user, staff_clause
from core.dataio.privacy import may_export
from core.devices.models import DeviceType
from core.errors import FieldMessage, Invalid, NotFound
from core.evidence import passport as passport_doc
from core.evidence import pdf
from core.evidence import report as report_doc
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)[:60].strip("-") or "bekwaam"


def report_pdf(device_type_id: int, activity_id: int, on: dt.date, lang: str) -> tuple[bytes, str]:
    device_type = db.session.get(DeviceType, device_type_id)
    if device_type is None:
        raise NotFound(errors={"device_type_id": [FieldMessage(f"No device type with id {device_type_id}.",
                                                               f"Geen type hulpmiddel met id {device_type_id}.")]})
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise Invalid({"activity_id": [FieldMessage(f"No activity with id {activity_id}.",
                                                    f"Geen activiteit met id {activity_id}.")]})
    user = current_user()
    document = report_doc.build(device_type, activity, on, generated_by=user.email, visible=staff_clause(user))
    people = len(document.allowed) + len(document.refused)
    access.note(people=people, subject=f"bulk: inspection report, {people} people")
    body = pdf.render("evidence/report.html", lang, report=document,
                      local_time=pdf.local_time(document.generated_at, lang))
    name = f"bevoegd-{_safe_name(device_type.manufacturer + '-' + device_type.model)}-{on.isoformat()}.pdf"
    return body, name


def visible_person(staff_id: int) -> Staff:
    """The person, if the caller may have their documents; otherwise 404 (nothing is told)."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not may_export(current_user(), staff):
        raise NotFound(f"No staff with id {staff_id}.")
    return staff


def passport_pdf(staff_id: int, on: dt.date, lang: str) -> tuple[bytes, str]:
    staff = visible_person(staff_id)
    document = passport_doc.build(staff, on, generated_by=current_user().email)
    access.note(staff_id=staff.id)
    body = pdf.render("evidence/passport.html", lang, passport=document,
                      local_time=pdf.local_time(document.generated_at, lang))
    return body, f"bekwaamheidspaspoort-{_safe_name(staff.employee_number)}-{on.isoformat()}.pdf"


def pdf_response(body: bytes, filename: str):
    from flask import Response

    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
