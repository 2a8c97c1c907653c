"""The private calendar feed (iCalendar, RFC 5545) of expiries and re-registration deadlines.

One feed per person (their own competences and registrations) or per
department manager (everyone in the department tree). Each expiry is an
all-day event with a reminder (VALARM) at every alert horizon
(BEKWAAM_ALERT_HORIZONS, per competence role BEKWAAM_ALERT_HORIZONS_BY_ROLE),
the same days the alert e-mails use. A competence renewed by a later record
for the same subject and role has no event: it no longer expires. The feed's
URL carries a random token stored only as its hash; revoking it ends the feed.
"""
from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select

from core.alerts.core_events import horizons_for_role
from core.alerts.services import horizons as default_horizons
from core.auth.permissions import department_tree
from core.db import utcnow
from core.evidence import facts as fact_source
from core.evidence import texts
from core.evidence.models import EvidenceToken
from core.extensions import db
from core.staff.models import Department, Staff

# How long an expiry stays in the feed after the day (the calendar keeps the recent past visible).
PAST_DAYS = 90
DOMAIN = "bekwaam"


def feed_for(token: str) -> EvidenceToken | None:
    row = db.session.scalar(select(EvidenceToken).where(EvidenceToken.token_hash == EvidenceToken.hash(token)))
    if row is None or row.revoked_at is not None or row.kind == "cmms":
        return None
    return row


def people_of(feed: EvidenceToken) -> list[int]:
    if feed.kind == "staff_calendar":
        return [feed.staff_id]
    tree = department_tree(feed.department_id)
    return list(db.session.scalars(select(Staff.id).where(Staff.department_id.in_(tree), Staff.active.is_(True))
                                   .order_by(Staff.id)))


def _alarms(event: Event, days: list[int], text: str) -> None:
    for before in sorted(set(days), reverse=True):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text)
        alarm.add("trigger", dt.timedelta(days=-before))
        event.add_component(alarm)


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _current(competences):
    """Leave out a record renewed by a later one for the same subject and role."""
    latest = {}
    for c in competences:
        key = (c.device_type_id, c.activity_id, c.role)
        if key not in latest or c.obtained_on > latest[key].obtained_on:
            latest[key] = c
    return list(latest.values())


def build(feed: EvidenceToken, today: dt.date, lang: str = "nl") -> bytes:
    nl = lang == "nl"
    staff_ids = people_of(feed)
    people = fact_source.gather(staff_ids, today) if staff_ids else {}
    default = default_horizons()
    stamp = utcnow()
    calendar = Calendar()
    calendar.add("prodid", "-//Bekwaam//Bevoegd en bekwaam//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if feed.kind == "staff_calendar":
        name = db.session.get(Staff, feed.staff_id).name
    else:
        name = db.session.get(Department, feed.department_id).name
    calendar.add("x-wr-calname", f"Bekwaam: {name}")
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    shown_from = today - dt.timedelta(days=PAST_DAYS)
    for staff_id in staff_ids:
        person = people.get(staff_id)
        if person is None:
            continue
        who = person.staff.name
        for c in _current(person.competences):
            if c.expires_on is None or c.expires_on < shown_from:
                continue
            role = texts.pick(texts.COMPETENCE_ROLE, c.role, lang)
            summary = (f"Bekwaamheid verloopt: {c.subject} ({role}) — {who}" if nl
                       else f"Competence expires: {c.subject} ({role}) — {who}")
            description = (f"{who} is vanaf {texts.day(c.expires_on, 'nl')} niet meer bekwaam als {role} voor "
                           f"{c.subject}, tenzij opnieuw aangetoond." if nl else
                           f"From {c.expires_on.isoformat()} {who} is no longer competent as {role} for "
                           f"{c.subject} unless shown again.")
            event = _event(f"competence-{staff_id}-{c.device_type_id or 'a'}-{c.activity_id or 't'}-{c.role}-"
                           f"{c.expires_on.isoformat()}", c.expires_on, summary, description, stamp)
            _alarms(event, horizons_for_role(c.role, default), summary)
            calendar.add_component(event)
        for item in person.registrations:
            for deadline in item.get("deadlines", ()):
                if deadline["on"] < shown_from:
                    continue
                text = deadline["nl"] if nl else deadline["en"]
                summary = f"{text} — {who}"
                event = _event(f"{item['source']}-{staff_id}-{deadline['on'].isoformat()}", deadline["on"], summary,
                               item["text_nl"] if nl else item["text_en"], stamp)
                _alarms(event, default, summary)
                calendar.add_component(event)
    return calendar.to_ical()


def issue(kind: str, *, staff_id: int | None = None, department_id: int | None = None, created_by: int | None,
          label: str | None = None) -> tuple[str, EvidenceToken]:
    secret = EvidenceToken.new_secret()
    row = EvidenceToken(kind=kind, token_hash=EvidenceToken.hash(secret), staff_id=staff_id,
                        department_id=department_id, created_by=created_by, label=label)
    db.session.add(row)
    db.session.flush()
    return secret, row


def revoke(row: EvidenceToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    db.session.flush()


def tokens_of(user) -> list[EvidenceToken]:
    stmt = select(EvidenceToken).where(EvidenceToken.kind != "cmms").order_by(EvidenceToken.id)
    if user.role != "admin":
        stmt = stmt.where(EvidenceToken.created_by == user.id)
    return list(db.session.scalars(stmt))


