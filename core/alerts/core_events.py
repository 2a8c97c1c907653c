"""The core's own alert events (docs/alerts.md, What is raised), contributed through the same hook as a plugin's.

Each kind is ONE set-based query (STYLE 8); what follows in Python only looks
at the rows that query returned, never back at the database.

- ``competence_expiring``: a competence expires within a horizon; ``horizon_days``
  is the smallest horizon that holds the expiry date, so a competence gets one
  alert per horizon as its expiry approaches (90, then 30, then 7 days).
- ``competence_expired``: the competence's last valid day has passed
  (valid while ``obtained_on <= d < expires_on``).
- ``assignment_ending``: a TVB role assignment's last day (``valid_to``,
  inclusive) falls within a horizon.
- ``coverage_below_minimum``: a device type has fewer competent people of a
  role (default technicians) than its coverage minimum, now or before the
  largest horizon; ``due_on`` is the first day it is below.

A competence (or assignment) that has been renewed, i.e. a later one for the
same person, subject and role exists, gives no alert: the renewal is the answer.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextvars import ContextVar

from flask import current_app
from sqlalchemy import DateTime, Integer, String, and_, case, cast, exists, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType

from core.alerts import sql_keys
from core.alerts.events import AlertEvent
from core.alerts.models import CoverageMinimum
from core.competence.models import Competence
from core.dates import dutch_day
from core.devices.models import DeviceType
from core.markers import hookimpl
from core.staff.models import Staff
from core.tvb.models import Activity, Assignment, Role

SOURCE = "core"
COMPETENCE_EXPIRING = "competence_expiring"
COMPETENCE_EXPIRED = "competence_expired"
ASSIGNMENT_ENDING = "assignment_ending"
COVERAGE_BELOW_MINIMUM = "coverage_below_minimum"
KINDS = (COMPETENCE_EXPIRING, COMPETENCE_EXPIRED, ASSIGNMENT_ENDING, COVERAGE_BELOW_MINIMUM)

ROLE_NL = {"user": "gebruiker", "key_user": "key user", "technician": "technicus", "trainer": "trainer"}
ROLE_EN = {"user": "user", "key_user": "key user", "technician": "technician", "trainer": "trainer"}
# Device types a technology-group minimum applies to: released (5) and in use (6).
# A minimum set on one device type applies in every phase but decommissioning (7).
GROUP_MINIMUM_PHASES = (5, 6)
DECOMMISSIONED = 7
DEFAULT_EXPIRED_LOOKBACK_DAYS = 90


# Set by the nightly run while it collects, after it stored the competence alerts by one
# INSERT … SELECT (``services.store_competence_alerts``): the hook then leaves them out.
competences_stored_in_sql: ContextVar[bool] = ContextVar("competences_stored_in_sql", default=False)


@hookimpl
def bekwaam_alert_events(session, as_of: dt.date, horizons: list[int]) -> list[AlertEvent]:
    # The nightly run only stores new keys, so the two large kinds leave out
    # what earlier nights stored (see ``sql_keys``).
    horizons = sorted(set(horizons))
    return [
        *([] if competences_stored_in_sql.get() else competence_events(session, as_of, horizons, new_only=True)),
        *assignment_events(session, as_of, horizons, new_only=True),
        *coverage_events(session, as_of, horizons),
    ]


def smallest_horizon(days_left: int, horizons: list[int]) -> int | None:
    """The smallest horizon that holds a date ``days_left`` days ahead (90 holds 90, not 91)."""
    return next((h for h in sorted(horizons) if days_left <= h), None)


def horizons_for_role(role: str, default: list[int]) -> list[int]:
    """``BEKWAAM_ALERT_HORIZONS_BY_ROLE`` (role → list of days) overrides the default per competence role."""
    by_role = current_app.config.get("BEKWAAM_ALERT_HORIZONS_BY_ROLE") or {}
    return sorted(set(by_role.get(role) or default))


# --- competences -----------------------------------------------------------

def _not_renewed(session, renewed) -> tuple:
    """Both NOT EXISTS, shaped for the planner at hand.

    PostgreSQL turns plain NOT EXISTS into hash anti joins (an OR around them
    would force a subplan per row); SQLite runs them per row anyway, so an
    IS NULL guard lets it skip the other kind's subquery altogether.
    """
    if session.get_bind().dialect.name == "sqlite":
        return (or_(Competence.device_type_id.is_(None), ~renewed("device_type_id")),
                or_(Competence.activity_id.is_(None), ~renewed("activity_id")))
    return (~renewed("device_type_id"), ~renewed("activity_id"))


def _competence_candidates(session, as_of: dt.date, horizons: list[int], subject: str | None = None):
    """The competences a night looks at: (conditions, per-role horizons).

    ``subject`` (``device_type_id`` or ``activity_id``): only competences of that kind, with
    only that kind's "renewed" check (a competence has exactly one subject, so the other
    check always holds for it; left in, PostgreSQL ran it as a nested loop over each
    person's competences, 42,000 times on a first night).
    """
    by_role = current_app.config.get("BEKWAAM_ALERT_HORIZONS_BY_ROLE") or {}
    widest = max([*horizons, *(d for days in by_role.values() for d in days)], default=0)
    lookback = int(current_app.config.get("BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS", DEFAULT_EXPIRED_LOOKBACK_DAYS))
    newer = aliased(Competence)

    def renewed(subject):
        # One NOT EXISTS per kind of subject rather than one with an OR between them:
        # each then seeks the (staff_id, device_type_id, role) or activity index
        # instead of scanning all of a person's competences. NULL = NULL is never
        # true, so each only matches competences of its own kind.
        return exists().where(
            newer.staff_id == Competence.staff_id, getattr(newer, subject) == getattr(Competence, subject),
            newer.role == Competence.role, newer.id != Competence.id,
            or_(newer.expires_on.is_(None), newer.expires_on > Competence.expires_on),
        )
    conditions = (Staff.active.is_(True),
                  Competence.expires_on > as_of - dt.timedelta(days=lookback),
                  Competence.expires_on <= as_of + dt.timedelta(days=widest),
                  *(_not_renewed(session, renewed) if subject is None
                    else (getattr(Competence, subject).is_not(None), ~renewed(subject))))
    return conditions, by_role


def competence_events(session, as_of: dt.date, horizons: list[int], *, new_only: bool = False) -> list[AlertEvent]:
    """``new_only``: leave out the events whose key is already stored."""
    conditions, by_role = _competence_candidates(session, as_of, horizons)
    query = (
        select(Competence.id, Competence.staff_id, Competence.role, Competence.expires_on,
               Staff.name, DeviceType.name, Activity.name)
        .join(Staff, Staff.id == Competence.staff_id)
        .outerjoin(DeviceType, DeviceType.id == Competence.device_type_id)
        .outerjoin(Activity, Activity.id == Competence.activity_id)
        .where(*conditions)
    )
    if new_only:
        query = query.where(sql_keys.not_stored(_competence_key(session, as_of, horizons, by_role)))
    rows = session.execute(query).all()
    events = []
    role_horizons: dict[str, list[int]] = {}
    for comp_id, staff_id, role, expires_on, person, device_name, activity_name in rows:
        subject = device_name or activity_name or "?"
        days_left = (expires_on - as_of).days
        common = dict(source=SOURCE, staff_id=staff_id, due_on=expires_on, detail=f"competence:{comp_id}")
        if days_left <= 0:
            events.append(AlertEvent(
                kind=COMPETENCE_EXPIRED, **common,
                message=f"{person}: competence as {ROLE_EN.get(role, role)} for {subject} expired on {expires_on.isoformat()}.",
                message_nl=f"{person}: bekwaamheid als {ROLE_NL.get(role, role)} voor {subject} is verlopen op {dutch_day(expires_on)}.",
            ))
            continue
        if role not in role_horizons:
            role_horizons[role] = horizons_for_role(role, horizons)
        horizon = smallest_horizon(days_left, role_horizons[role])
        if horizon is None:
            continue
        events.append(AlertEvent(
            kind=COMPETENCE_EXPIRING, horizon_days=horizon, **common,
            message=(f"{person}: competence as {ROLE_EN.get(role, role)} for {subject} expires on "
                     f"{expires_on.isoformat()} (in {days_left} days)."),
            message_nl=(f"{person}: bekwaamheid als {ROLE_NL.get(role, role)} voor {subject} verloopt op "
                        f"{dutch_day(expires_on)} (over {days_left} dagen)."),
        ))
    return events


def _competence_horizon(as_of: dt.date, horizons: list[int], by_role: dict):
    """The horizon ``competence_events`` gives a row, as text (NULL: expired, or beyond every horizon)."""
    due = Competence.expires_on
    return case(
        (due <= as_of, None),
        *((Competence.role == role, sql_keys.horizon_text(due, as_of, horizons_for_role(role, horizons)))
          for role in sorted(by_role)),
        else_=sql_keys.horizon_text(due, as_of, horizons))


def _competence_key(session, as_of: dt.date, horizons: list[int], by_role: dict):
    """The key ``competence_events`` gives a row, in SQL (``sql_keys``)."""
    expired = Competence.expires_on <= as_of
    return sql_keys.key(
        SOURCE, case((expired, COMPETENCE_EXPIRED), else_=COMPETENCE_EXPIRING),
        "staff:" + sql_keys.text_of(Competence.staff_id), "competence:" + sql_keys.text_of(Competence.id),
        sql_keys.date_text(session, Competence.expires_on), _competence_horizon(as_of, horizons, by_role))


def competence_alert_rows(session, as_of: dt.date, horizons: list[int]):
    """The new alerts of ``competence_events`` as one SELECT: every column of the ``alert`` row,
    key and both messages included, worded in SQL exactly as the Python events word them
    (``tests/alerts/test_sql_keys.py`` compares the two in every branch). The first night of an
    installation stores tens of thousands of them: building each as an ``AlertEvent`` in Python
    and sending it back cost most of that night (the large-hospital benchmarks, benchmarks/RESULTS.md)."""
    horizons = sorted(set(horizons))
    return union_all(*(_competence_alert_rows(session, as_of, horizons, subject)
                       for subject in ("device_type_id", "activity_id")))


def _competence_alert_rows(session, as_of: dt.date, horizons: list[int], subject: str):
    conditions, by_role = _competence_candidates(session, as_of, horizons, subject)
    due = Competence.expires_on
    expired = due <= as_of
    horizon = _competence_horizon(as_of, horizons, by_role)
    key = _competence_key(session, as_of, horizons, by_role)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        days_left = cast(due - as_of, Integer)
        dutch = func.to_char(cast(due, DateTime(timezone=False)), "DD-MM-YYYY")
    else:
        days_left = cast(func.julianday(due) - func.julianday(as_of.isoformat()), Integer)
        dutch = func.strftime("%d-%m-%Y", due)
    iso, days = sql_keys.date_text(session, due), sql_keys.text_of(days_left)
    role_en = case(*((Competence.role == code, text) for code, text in ROLE_EN.items()), else_=Competence.role)
    role_nl = case(*((Competence.role == code, text) for code, text in ROLE_NL.items()), else_=Competence.role)
    subject = func.coalesce(func.nullif(DeviceType.name, ""), func.nullif(Activity.name, ""), "?")
    person = Staff.name

    def text(*parts):
        joined = literal("", String)
        for part in parts:
            joined = joined + (literal(part, String) if isinstance(part, str) else part)
        return joined
    message = case(
        (expired, text(person, ": competence as ", role_en, " for ", subject, " expired on ", iso, ".")),
        else_=text(person, ": competence as ", role_en, " for ", subject, " expires on ", iso, " (in ", days,
                   " days)."))
    message_nl = case(
        (expired, text(person, ": bekwaamheid als ", role_nl, " voor ", subject, " is verlopen op ", dutch, ".")),
        else_=text(person, ": bekwaamheid als ", role_nl, " voor ", subject, " verloopt op ", dutch, " (over ",
                   days, " dagen)."))
    return (
        select(key.label("key"), case((expired, COMPETENCE_EXPIRED), else_=COMPETENCE_EXPIRING).label("kind"),
               literal(SOURCE, String).label("source"), Competence.staff_id.label("staff_id"),
               due.label("due_on"), cast(horizon, Integer).label("horizon_days"), message.label("message"),
               message_nl.label("message_nl"))
        .join(Staff, Staff.id == Competence.staff_id)
        .outerjoin(DeviceType, DeviceType.id == Competence.device_type_id)
        .outerjoin(Activity, Activity.id == Competence.activity_id)
        .where(*conditions, or_(expired, horizon.is_not(None)), sql_keys.not_stored(key))
    )


# --- TVB assignments ---------------------------------------------------------

def assignment_events(session, as_of: dt.date, horizons: list[int], *, new_only: bool = False) -> list[AlertEvent]:
    """``new_only``: leave out the events whose key is already stored."""
    if not horizons:
        return []
    later = aliased(Assignment)
    # The earliest later assignment of the same role that lasts longer: if it
    # starts by the day after valid_to, the role simply goes on.
    successor_from = (
        select(func.min(later.valid_from))
        .where(later.staff_id == Assignment.staff_id, later.role_id == Assignment.role_id,
               later.id != Assignment.id, later.valid_from > Assignment.valid_from,
               or_(later.valid_to.is_(None), later.valid_to > Assignment.valid_to))
        .scalar_subquery()
    )
    query = (
        select(Assignment.id, Assignment.staff_id, Assignment.valid_to, Staff.name, Role.name,
               successor_from.label("successor_from"))
        .join(Staff, Staff.id == Assignment.staff_id)
        .join(Role, Role.id == Assignment.role_id)
        .where(Staff.active.is_(True), Assignment.valid_to >= as_of,
               Assignment.valid_to <= as_of + dt.timedelta(days=max(horizons)))
    )
    if new_only:
        query = query.where(sql_keys.not_stored(sql_keys.key(
            SOURCE, literal(ASSIGNMENT_ENDING, String), "staff:" + sql_keys.text_of(Assignment.staff_id),
            "assignment:" + sql_keys.text_of(Assignment.id), sql_keys.date_text(session, Assignment.valid_to),
            sql_keys.horizon_text(Assignment.valid_to, as_of, horizons))))
    rows = session.execute(query).all()
    events = []
    for assignment_id, staff_id, valid_to, person, role_name, successor in rows:
        if successor is not None and successor <= valid_to + dt.timedelta(days=1):
            continue
        days_left = (valid_to - as_of).days
        events.append(AlertEvent(
            source=SOURCE, kind=ASSIGNMENT_ENDING, staff_id=staff_id, due_on=valid_to,
            horizon_days=smallest_horizon(days_left, horizons), detail=f"assignment:{assignment_id}",
            message=f"{person}: role '{role_name}' ends on {valid_to.isoformat()} (last day; in {days_left} days).",
            message_nl=f"{person}: rol '{role_name}' eindigt op {dutch_day(valid_to)} (laatste dag; over {days_left} dagen).",
        ))
    return events


# --- coverage ----------------------------------------------------------------

def coverage_events(session, as_of: dt.date, horizons: list[int]) -> list[AlertEvent]:
    """Device types whose competent people of a role drop below their minimum (single points of failure)."""
    end = as_of + dt.timedelta(days=max(horizons, default=0))
    cm = CoverageMinimum
    columns = (DeviceType.id.label("type_id"), DeviceType.name.label("type_name"),
               DeviceType.manufacturer.label("manufacturer"), DeviceType.model.label("model"), cm.id.label("min_id"),
               cm.device_type_id.label("own"), cm.role.label("role"), cm.minimum.label("minimum"),
               # Raw: converted once per minimum below, not once per competence row.
               type_coerce(cm.created_at, NullType).label("created_at"))
    # Two plain joins in a UNION ALL, not one join ON (own OR group) that makes the
    # planner scan every competence; then each (type, role) reaches its competences
    # through the index on (device_type_id, role). One statement.
    limits = union_all(
        select(*columns).join(cm, cm.device_type_id == DeviceType.id)
        .where(DeviceType.lifecycle_phase != DECOMMISSIONED),
        select(*columns).join(cm, cm.technology_group_id == DeviceType.technology_group_id)
        .where(DeviceType.lifecycle_phase.in_(GROUP_MINIMUM_PHASES)),
    ).subquery()
    # Plain LEFT JOINs (a nested "competence JOIN staff" would be materialised whole);
    # inactive people are skipped below.
    # Core execution: tens of thousands of plain tuples, no ORM row processing.
    rows = session.connection().execute(
        select(limits, Competence.staff_id, Competence.obtained_on, Competence.expires_on, Staff.active)
        .select_from(limits)
        .outerjoin(Competence, and_(Competence.device_type_id == limits.c.type_id, Competence.role == limits.c.role,
                                    Competence.obtained_on <= end))
        .outerjoin(Staff, Staff.id == Competence.staff_id)
    ).all()

    # (device type, role) -> minimum id -> what that minimum sees
    found: dict[tuple[int, str], dict[int, dict]] = defaultdict(dict)
    for (type_id, type_name, manufacturer, model, min_id, own, role, minimum, created_at,
         staff_id, obtained_on, expires_on, active) in rows:
        minimums = found[(type_id, role)]
        entry = minimums.get(min_id)
        if entry is None:
            entry = minimums[min_id] = {
                # Manufacturer and model: two types often share a name ("Anesthesietoestel").
                "name": f"{manufacturer} {model} ({type_name})", "own": own is not None, "minimum": minimum,
                "since": utc_date(created_at), "held": set()}
        if staff_id is not None and active:
            entry["held"].add((staff_id, obtained_on, expires_on))

    events = []
    for (type_id, role), minimums in found.items():
        # A device type's own minimum beats its technology group's.
        chosen = max(minimums.values(), key=lambda m: (m["own"], m["minimum"]))
        drop = first_day_below(chosen["held"], chosen["minimum"], as_of, end, chosen["since"])
        if drop is None:
            continue
        due_on, count = drop
        horizon = None if due_on <= as_of else smallest_horizon((due_on - as_of).days, horizons)
        role_en, role_nl = ROLE_EN.get(role, role), ROLE_NL.get(role, role)
        plural_nl = "technici" if role == "technician" else role_nl + "s"
        when_en = f"since {due_on.isoformat()}" if due_on <= as_of else f"from {due_on.isoformat()}"
        when_nl = f"sinds {due_on.isoformat()}" if due_on <= as_of else f"vanaf {due_on.isoformat()}"
        events.append(AlertEvent(
            source=SOURCE, kind=COVERAGE_BELOW_MINIMUM, device_type_id=type_id, due_on=due_on,
            horizon_days=horizon, detail=role,
            message=(f"{chosen['name']}: {count} competent {role_en}(s) {when_en}, "
                     f"below the minimum of {chosen['minimum']}."),
            message_nl=(f"{chosen['name']}: {count} bekwame {plural_nl} {when_nl}, "
                        f"onder het minimum van {chosen['minimum']}."),
        ))
    return events


def utc_date(stamp) -> dt.date:
    """The UTC day of a stored timestamp as the driver returns it raw.

    SQLite gives the text UTC stores ("2026-11-22 21:08:19.123456"), PostgreSQL
    an aware datetime.
    """
    if isinstance(stamp, str):
        return dt.date.fromisoformat(stamp[:10])
    if stamp.tzinfo is None:
        return stamp.date()
    return stamp.astimezone(dt.timezone.utc).date()


def competent_count(held, on: dt.date) -> int:
    """Distinct people valid on ``on``: obtained_on <= on < expires_on (no expiry: open)."""
    return len({staff for staff, obtained, expires in held if obtained <= on and (expires is None or on < expires)})


def first_day_below(held, minimum: int, as_of: dt.date, end: dt.date, since: dt.date):
    """(day, count) the count is first below ``minimum``, or None if it stays at or above it up to ``end``.

    Already below on ``as_of``: the day it went below (so the key stays the same
    every day until the situation changes); if it never was at the minimum, the
    day the minimum was set (or ``as_of`` if that is later).
    """
    changes = sorted({d for _, obtained, expires in held for d in (obtained, expires) if d is not None})
    now = competent_count(held, as_of)
    if now < minimum:
        for day in reversed([d for d in changes if d <= as_of]):
            if competent_count(held, day - dt.timedelta(days=1)) >= minimum:
                return day, now
        return min(since, as_of), now
    for day in changes:
        if as_of < day <= end:
            count = competent_count(held, day)
            if count < minimum:
                return day, count
    return None
