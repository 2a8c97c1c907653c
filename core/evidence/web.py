"""Web routes of the evidence documents: the buttons on the device-type and profile pages.

The pages sign in with the session cookie, so the PDFs are served here as well
as under ``/api/v1`` (bearer tokens); both call ``core.evidence.documents``.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, request
from flask_babel import get_locale

from core.errors import field_errors
from core.evidence import documents, texts
from core.schemas import FIRST_DAY, LAST_DAY

blp = Blueprint("evidence_web", __name__, template_folder="templates")


def _lang() -> str:
    wanted = (request.args.get("lang") or "").lower()
    if wanted in texts.LANGUAGES:
        return wanted
    return "en" if str(get_locale()) == "en" else "nl"


def _day(name: str = "on") -> dt.date:
    raw = request.args.get(name)
    if not raw:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        field_errors({name: ["Not a valid date (YYYY-MM-DD)."]})
    if not FIRST_DAY <= day <= LAST_DAY:
        field_errors({name: [f"Must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}."]})
    return day


@blp.get("/device-types/<int:device_type_id>/report.pdf")
def report_pdf(device_type_id: int):
    activity_id = request.args.get("activity_id", type=int)
    if activity_id is None:
        field_errors({"activity_id": ["Choose an activity."]})
    body, name = documents.report_pdf(device_type_id, activity_id, _day(), _lang())
    return documents.pdf_response(body, name)


@blp.get("/staff/<int:staff_id>/passport.pdf")
def passport_pdf(staff_id: int):
    body, name = documents.passport_pdf(staff_id, _day(), _lang())
    return documents.pdf_response(body, name)


@blp.app_context_processor
def evidence_helpers():
    from core.auth.permissions import current_user
    from core.dataio.privacy import may_export

    def may_export_passport(staff) -> bool:
        user = current_user()
        return user is not None and may_export(user, staff)

    return {"may_export_passport": may_export_passport}


@blp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """The private feed: anyone with the URL (a calendar program has no login); 404 once revoked."""
    from flask import Response

    from core.errors import abort
    from core.evidence import calendar

    feed = calendar.feed_for(token)
    if feed is None:
        abort(404, message="No such calendar feed (it may have been revoked).")
    lang = "en" if (request.args.get("lang") or "").lower() == "en" else "nl"
    body = calendar.build(feed, dt.date.today(), lang)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="bekwaam.ics"', "Cache-Control": "no-store"})


@blp.get("/scan")
def scan():
    """The scan page: a field a handheld scanner types into, a camera where the browser can read codes."""
    from flask import render_template

    from core.audit import access
    from core.auth.permissions import current_user, staff_clause
    from core.evidence import scan as scanning

    code = (request.args.get("code") or "").strip()
    found, results = None, []
    if code:
        found = scanning.lookup(code)
        if len(found.devices) == 1:
            device = found.devices[0]
            from core.devices.models import DeviceType
            from core.extensions import db
            device_type = db.session.get(DeviceType, device.device_type_id)
            answers = scanning.who_may(device_type, dt.date.today(), staff_clause(current_user()))
            results = [(device, device_type, scanning.department_name(device), answers)]
            people = len({p.id for a in answers for p in a.allowed})
            access.note(people=people, subject=f"bulk: scan {device.asset_number}, {people} people")
    return render_template("evidence/scan.html", code=code, found=found, results=results, today=dt.date.today())
