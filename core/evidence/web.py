"""Web routes of the evidence documents: the buttons on the device-type and profile pages.

The pages sign in with the session cookie, so the PDFs are served here as well
as under ``/api/v1`` (bearer tokens); both call ``core.evidence.documents``.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, request, url_for
from flask_babel import get_locale

from core.dates import dutch_day
from core.errors import FieldMessage, field_errors
from core.evidence import documents, texts
from core.schemas import FIRST_DAY, LAST_DAY

blp = Blueprint("evidence_web", __name__, template_folder="templates")
PUBLIC = {"evidence_web.calendar_feed"}  # a calendar program has no login: the URL's token is the key


@blp.before_request
def guard():
    """Every page needs a login (as the core's pages), except the private calendar feed."""
    from core.web.access import login_required_response

    if request.endpoint in PUBLIC:
        return None
    return login_required_response()


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
        field_errors({name: [FieldMessage("Not a valid date (YYYY-MM-DD).", "Geen geldige datum.")]})
    if not FIRST_DAY <= day <= LAST_DAY:
        field_errors({name: [FieldMessage(f"Must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.",
                                          f"Moet tussen {dutch_day(FIRST_DAY)} en {dutch_day(LAST_DAY)} liggen.")]})
    return day


@blp.get("/device-types/<int:device_type_id>/report.pdf")
def report_pdf(device_type_id: int):
    activity_id = request.args.get("activity_id", type=int)
    if activity_id is None:
        field_errors({"activity_id": [FieldMessage("Choose an activity.", "Kies een activiteit.")]})
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


def _feed_choices(user):
    """What the user may subscribe to here: themself (a linked staff record), their department (a manager)."""
    from core.extensions import db
    from core.staff.models import Department, Staff

    choices = []
    if user.staff_id is not None:
        staff = db.session.get(Staff, user.staff_id)
        if staff is not None:
            choices.append(("staff_id", staff.id, staff.name))
    if user.role == "manager" and user.department_id is not None:
        department = db.session.get(Department, user.department_id)
        if department is not None:
            choices.append(("department_id", department.id, department.name))
    return choices


@blp.route("/calendar-feeds", methods=["GET", "POST"])
def calendar_feeds():
    """Your calendar feeds: make one (the URL is shown once) or revoke one."""
    from flask import abort as http_abort, render_template

    from core.auth.permissions import current_user
    from core.evidence import calendar
    from core.evidence.models import EvidenceToken
    from core.extensions import db

    user = current_user()
    choices = _feed_choices(user)
    issued_url = None
    if request.method == "POST":
        if request.form.get("revoke"):
            row = db.session.get(EvidenceToken, request.form.get("revoke", type=int) or 0)
            if row is None or row.kind == "cmms" or (user.role != "admin" and row.created_by != user.id):
                http_abort(404)
            calendar.revoke(row)
        else:
            wanted = (request.form.get("subject") or "").partition(":")
            match = [c for c in choices if c[0] == wanted[0] and str(c[1]) == wanted[2]]
            if not match:
                http_abort(404)
            field, subject_id, _name = match[0]
            kind = "staff_calendar" if field == "staff_id" else "department_calendar"
            secret, _row = calendar.issue(kind, created_by=user.id, **{field: subject_id})
            issued_url = url_for("evidence_web.calendar_feed", token=secret, _external=True)
    from core.staff.models import Department, Staff

    feeds = []
    for feed in calendar.tokens_of(user):
        if feed.created_by != user.id:
            continue
        subject = db.session.get(Staff, feed.staff_id) if feed.staff_id else db.session.get(Department, feed.department_id)
        feeds.append((feed, subject.name if subject is not None else ""))
    return render_template("evidence/calendar_feeds.html", choices=choices, feeds=feeds, issued_url=issued_url)
