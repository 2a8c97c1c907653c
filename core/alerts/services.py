"""The alert run (docs/alerts.md): collect events, store each key once, deliver each message once.

Exactly once rests on the database, not on the process:

- ``alert.key`` is UNIQUE and events are inserted with INSERT … ON CONFLICT DO
  NOTHING … RETURNING, so only the process whose insert made the row plans its
  deliveries, in the same transaction.
- ``alert_delivery`` (alert, channel, recipient) is UNIQUE; a process claims due
  rows with one UPDATE (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) that moves
  ``next_attempt_at`` a lease ahead, so two processes never send the same row.
  A success sets ``delivered_at`` and the row is never sent again; a failure
  keeps it pending with ``last_error`` and an exponential backoff.
- ``alert_run.run_date`` is UNIQUE: a day is claimed by inserting it, so only one
  scheduler collects it.

The run functions here commit (they are the job's transaction boundary, like
the request cycle is for the API); the helpers they call only flush.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, func, literal, or_, select, text, update
from sqlalchemy.orm import aliased

from core import plugins_runtime
from core.alerts import channels, core_events
from core.alerts.events import AlertEvent
from core.alerts.models import Alert, AlertDelivery, AlertRun
from core.auth.models import User
from core.db import UTCDateTime, utcnow
from core.devices.models import Device
from core.extensions import db
from core.staff.models import Department, Staff

log = logging.getLogger(__name__)

EMAIL, WEBHOOK = "email", "webhook"
LEASE = dt.timedelta(minutes=15)  # a process that died mid-send frees its rows after this
STALE_CLAIM = dt.timedelta(hours=1)  # a day claimed this long ago and unfinished may be taken over
MAX_BACKOFF = dt.timedelta(hours=24)
CATCH_UP_DAYS = 31
LOOKUP_CHUNK = 5000  # keys per lookup of already stored alerts


# --- the day's claim -----------------------------------------------------------

def _insert(table):
    """INSERT … ON CONFLICT for the session's dialect (SQLite and PostgreSQL both have it)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def claim_day(as_of: dt.date, now: dt.datetime | None = None) -> bool:
    """Insert-or-skip the day's run row; True when this process now owns the day."""
    now = now or utcnow()
    table = AlertRun.__table__
    result = db.session.execute(
        _insert(table).values(run_date=as_of, started_at=now, created=0)
        .on_conflict_do_nothing(index_elements=["run_date"]).returning(table.c.id))
    if result.first() is not None:
        return True
    # A claim left unfinished by a process that died: take it over, atomically.
    result = db.session.execute(
        update(table).where(table.c.run_date == as_of, table.c.finished_at.is_(None),
                            table.c.started_at < now - STALE_CLAIM)
        .values(started_at=now).returning(table.c.id))
    return result.first() is not None


def release_day(as_of: dt.date) -> None:
    """Give an unfinished claim back after a failed run, so the next start retries the day."""
    table = AlertRun.__table__
    db.session.execute(table.delete().where(table.c.run_date == as_of, table.c.finished_at.is_(None)))


def finish_day(as_of: dt.date, created: int) -> None:
    table = AlertRun.__table__
    db.session.execute(update(table).where(table.c.run_date == as_of)
                       .values(finished_at=utcnow(), created=table.c.created + created))
    # The nightly run is also when the NEN 7513 access log drops what is past retention.
    from core.audit.access import prune

    prune()


# --- collecting and storing ------------------------------------------------------

def horizons() -> list[int]:
    return sorted(set(current_app.config.get("BEKWAAM_ALERT_HORIZONS") or [90, 30, 7]))


def ensure_core_contributes() -> None:
    """The core's events come through the same hook as every plugin's.

    ``build_manager`` registers plugins only; until the core registers its own
    module there, it is added here, once per plugin manager.
    """
    pm = plugins_runtime.manager()
    if not pm.is_registered(core_events) and pm.get_plugin("core") is None and not pm.is_blocked("core"):
        pm.register(core_events, name="core")


def core_contributes() -> bool:
    """Whether the core's own events are collected (the core is not blocked like a plugin)."""
    ensure_core_contributes()
    return plugins_runtime.manager().is_registered(core_events)


class _Subject(NamedTuple):
    """What planning deliveries reads of an alert stored without an ``AlertEvent``."""

    staff_id: int | None
    device_type_id: int | None = None


def store_competence_alerts(as_of: dt.date, now: dt.datetime | None = None) -> list[tuple[int, _Subject]]:
    """The core's competence alerts of the night, new keys only, by one INSERT … SELECT … ON CONFLICT
    (key) DO NOTHING … RETURNING: keys and messages are made in SQL (``core_events.competence_alert_rows``),
    no row passes through Python. Exactly once as ``store``: the unique key decides, and only the
    rows this statement inserted come back to have their deliveries planned."""
    if not core_contributes():
        return []
    now = now or utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # For this night's transaction only: the "renewed" check hashes every competence and the
        # new rows are sorted by key; with the default 4 MB both spilled to disk on a large hospital.
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
    table = Alert.__table__
    rows = core_events.competence_alert_rows(db.session, as_of, horizons()).subquery()
    columns = ["key", "kind", "source", "staff_id", "due_on", "horizon_days", "message", "message_nl"]
    statement = (_insert(table)
                 .from_select([*columns, "created_at"],
                              select(*(rows.c[name] for name in columns),
                                     literal(now, UTCDateTime).label("created_at"))
                              # By key: processes inserting overlapping keys take the unique index's locks
                              # in one order and cannot deadlock.
                              .order_by(rows.c.key))
                 .on_conflict_do_nothing(index_elements=["key"])
                 .returning(table.c.id, table.c.staff_id))
    return [(alert_id, _Subject(staff_id)) for alert_id, staff_id in db.session.execute(statement)]


def collect(as_of: dt.date) -> list[AlertEvent]:
    """Every valid event of the core and the enabled plugins, one per key."""
    ensure_core_contributes()
    events: dict[str, AlertEvent] = {}
    for event in plugins_runtime.alert_events(as_of, horizons()):
        problem = _invalid(event)
        if problem:
            log.warning("Alert event refused (%s): %r", problem, event)
            continue
        events.setdefault(event.key, event)
    return list(events.values())


def _invalid(event) -> str | None:
    if not isinstance(event, AlertEvent):
        return "not an AlertEvent"
    if (event.staff_id is None) == (event.device_type_id is None):
        return "exactly one of staff_id and device_type_id names the subject"
    if not isinstance(event.due_on, dt.date) or isinstance(event.due_on, dt.datetime):
        return "due_on must be a date"
    if len(event.key) > 300 or len(event.kind) > 60 or len(event.source) > 40:
        return "key, kind or source too long"
    return None


def store(events: list[AlertEvent], now: dt.datetime | None = None) -> list[tuple[int, AlertEvent]]:
    """Insert the events whose key is new; returns (alert id, event) of the rows this call created."""
    now = now or utcnow()
    if not events:
        return []
    by_key = {event.key: event for event in events}
    postgres = db.session.get_bind().dialect.name == "postgresql"
    # Most events a source still returns were stored on earlier nights: skip
    # those with a cheap read of the unique index; ON CONFLICT below still
    # settles a race with another process.
    stored = _stored_keys_pg(list(by_key)) if postgres else _stored_keys(list(by_key))
    rows = [{
        "key": key, "kind": e.kind, "source": e.source, "staff_id": e.staff_id,
        "device_type_id": e.device_type_id, "due_on": e.due_on, "horizon_days": e.horizon_days,
        "message": e.message, "message_nl": e.message_nl or None,
    } for key, e in sorted(by_key.items()) if key not in stored]
    # Sorted by key: processes inserting overlapping keys at the same time then
    # take the unique index's locks in the same order and cannot deadlock.
    if not rows:
        return []
    created = _insert_alerts_pg(rows, now) if postgres else _insert_alerts(rows, now)
    return [(alert_id, by_key[key]) for alert_id, key in created]


def _stored_keys(keys: list[str]) -> set[str]:
    table, stored = Alert.__table__, set()
    for start in range(0, len(keys), LOOKUP_CHUNK):
        stored.update(db.session.scalars(select(table.c.key).where(table.c.key.in_(keys[start:start + LOOKUP_CHUNK]))))
    return stored


def _insert_alerts(rows: list[dict], now: dt.datetime) -> list[tuple[int, str]]:
    """One cached INSERT … ON CONFLICT DO NOTHING … RETURNING for all rows (SQLAlchemy batches it)."""
    table = Alert.__table__
    statement = (_insert(table).on_conflict_do_nothing(index_elements=["key"])
                 .returning(table.c.id, table.c.key))
    return db.session.execute(statement, [{**row, "created_at": now} for row in rows]).all()


# PostgreSQL: one array per column, so a statement stays a few hundred
# characters whatever the number of rows. Multi-row VALUES with a bind
# parameter per cell made psycopg parse megabytes of SQL in Python: 43,000
# new alerts took 15 s to insert that way (the large-hospital benchmarks, benchmarks/RESULTS.md).
_PG_STORED = text("SELECT key FROM alert WHERE key = ANY(CAST(:keys AS varchar[]))")
_PG_INSERT = text("""
    INSERT INTO alert (key, kind, source, staff_id, device_type_id, due_on, horizon_days,
                       message, message_nl, created_at)
    SELECT r.key, r.kind, r.source, r.staff_id, r.device_type_id, r.due_on, r.horizon_days,
           r.message, r.message_nl, :created_at
    FROM unnest(CAST(:key AS varchar[]), CAST(:kind AS varchar[]), CAST(:source AS varchar[]),
                CAST(:staff_id AS integer[]), CAST(:device_type_id AS integer[]), CAST(:due_on AS date[]),
                CAST(:horizon_days AS integer[]), CAST(:message AS text[]), CAST(:message_nl AS text[]))
         AS r(key, kind, source, staff_id, device_type_id, due_on, horizon_days, message, message_nl)
    ON CONFLICT (key) DO NOTHING
    RETURNING id, key""").bindparams(bindparam("created_at", type_=UTCDateTime))  # refuses a naive time, as the ORM does
_PG_COLUMNS = ("key", "kind", "source", "staff_id", "device_type_id", "due_on", "horizon_days", "message", "message_nl")


def _stored_keys_pg(keys: list[str]) -> set[str]:
    return set(db.session.scalars(_PG_STORED, {"keys": keys}))


def _insert_alerts_pg(rows: list[dict], now: dt.datetime) -> list[tuple[int, str]]:
    if len(rows) >= COPY_FROM_ROWS:
        return _insert_alerts_copy(rows, now)
    params = {column: [row[column] for row in rows] for column in _PG_COLUMNS}
    return db.session.execute(_PG_INSERT, {**params, "created_at": now}).all()


# A first night stores tens of thousands of alerts at once. Handing them over
# as array parameters made psycopg convert every value in Python (about 3 s for
# 43,000 alerts); COPY streams them into a temporary table and one INSERT … SELECT
# moves them, with the same ON CONFLICT DO NOTHING and RETURNING as the small path:
# exactly once still rests on the unique key, and only rows this call inserted
# come back to have their deliveries planned.
COPY_FROM_ROWS = 1000
_COPY_TABLE = """CREATE TEMPORARY TABLE IF NOT EXISTS alert_incoming (
    key varchar(300), kind varchar(60), source varchar(40), staff_id integer, device_type_id integer,
    due_on date, horizon_days integer, message text, message_nl text) ON COMMIT DROP"""
_COPY_INSERT = f"""
    INSERT INTO alert ({", ".join(_PG_COLUMNS)}, created_at)
    SELECT {", ".join(_PG_COLUMNS)}, %s FROM alert_incoming ORDER BY key
    ON CONFLICT (key) DO NOTHING
    RETURNING id, key"""


def _insert_alerts_copy(rows: list[dict], now: dt.datetime) -> list[tuple[int, str]]:
    if now.tzinfo is None:
        raise ValueError("created_at must be an aware UTC time")  # as UTCDateTime refuses a naive one
    # The session's own connection and transaction: the rows commit or roll back with the run.
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(_COPY_TABLE)
        cursor.execute("TRUNCATE alert_incoming")
        with cursor.copy(f"COPY alert_incoming ({', '.join(_PG_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in _PG_COLUMNS])
        cursor.execute(_COPY_INSERT, (now,))
        # Sorted by key (ORDER BY key): concurrent runs take the unique index's locks in one order.
        return [(alert_id, key) for alert_id, key in cursor.fetchall()]


# --- planning deliveries ----------------------------------------------------------

def plan_deliveries(created: list[tuple[int, AlertEvent]]) -> int:
    """One delivery row per new alert, channel and recipient (insert-or-skip)."""
    config = current_app.config
    rows = []
    if config.get("BEKWAAM_SMTP_HOST"):
        recipients = email_recipients([event for _, event in created])
        for alert_id, event in created:
            for address in recipients.get(_subject(event), ()):
                rows.append({"alert_id": alert_id, "channel": EMAIL, "recipient": address})
    if config.get("BEKWAAM_WEBHOOK_URL"):
        rows += [{"alert_id": alert_id, "channel": WEBHOOK, "recipient": config["BEKWAAM_WEBHOOK_URL"]}
                 for alert_id, _ in created]
    table = AlertDelivery.__table__
    if rows:  # one cached statement, executemany: no compile per chunk
        db.session.execute(_insert(table).on_conflict_do_nothing(index_elements=["alert_id", "channel", "recipient"]),
                           [{**row, "attempts": 0} for row in rows])
    return len(rows)


def _subject(event) -> tuple[str, int]:
    return ("staff", event.staff_id) if event.staff_id is not None else ("device_type", event.device_type_id)


def _address(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if "@" in value else None


def email_recipients(events) -> dict[tuple[str, int], list[str]]:
    """Who gets an e-mail about each subject.

    A person's alert: the person and their manager (``staff.manager_id``).
    A device type's alert (coverage): every active admin, and every active
    manager whose department tree holds a device of that type.
    """
    found: dict[tuple[str, int], list[str]] = {}
    staff_ids = {e.staff_id for e in events if e.staff_id is not None}
    if staff_ids:
        manager = aliased(Staff)
        for staff_id, own, boss in db.session.execute(
                select(Staff.id, Staff.email, manager.email)
                .outerjoin(manager, and_(manager.id == Staff.manager_id, manager.active.is_(True)))
                .where(Staff.id.in_(staff_ids))):
            found[("staff", staff_id)] = list(dict.fromkeys(a for a in (_address(own), _address(boss)) if a))
    type_ids = {e.device_type_id for e in events if e.device_type_id is not None}
    if type_ids:
        users = db.session.execute(
            select(User.email, User.role, func.coalesce(User.department_id, Staff.department_id))
            .outerjoin(Staff, Staff.id == User.staff_id)
            .where(User.active.is_(True), User.role.in_(("admin", "manager")))).all()
        type_departments: dict[int, set[int]] = defaultdict(set)
        for type_id, department_id in db.session.execute(
                select(Device.device_type_id, Device.department_id)
                .where(Device.device_type_id.in_(type_ids), Device.department_id.is_not(None)).distinct()):
            type_departments[type_id].add(department_id)
        trees = _department_trees()
        for type_id in type_ids:
            addresses = []
            for email, role, department_id in users:
                if role == "admin" or trees.get(department_id, set()) & type_departments[type_id]:
                    addresses.append(_address(email))
            found[("device_type", type_id)] = list(dict.fromkeys(a for a in addresses if a))
    return found


def _department_trees() -> dict[int, set[int]]:
    """Each department with everything below it (one query; departments are few)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for dept_id, parent_id in db.session.execute(select(Department.id, Department.parent_id)):
        children[parent_id].append(dept_id)
    trees = {}
    for root in [d for kids in children.values() for d in kids]:
        tree, todo = set(), [root]
        while todo:
            dept = todo.pop()
            if dept not in tree:
                tree.add(dept)
                todo.extend(children.get(dept, ()))
        trees[root] = tree
    return trees


def locales(addresses) -> dict[str, str]:
    """The language per e-mail address: the user with that e-mail, else the user who is that staff member; nl by default."""
    addresses = {a.lower() for a in addresses}
    found = {}
    for email, locale in db.session.execute(
            select(Staff.email, User.locale).join(User, User.staff_id == Staff.id)
            .where(func.lower(Staff.email).in_(addresses))):
        found[email.lower()] = locale
    for email, locale in db.session.execute(
            select(User.email, User.locale).where(func.lower(User.email).in_(addresses))):
        found[email.lower()] = locale
    return {a: (found.get(a) if found.get(a) in ("nl", "en") else "nl") for a in addresses}


# --- delivering ----------------------------------------------------------------------

def enabled_channels() -> list[str]:
    config = current_app.config
    return [name for name, on in ((EMAIL, config.get("BEKWAAM_SMTP_HOST")),
                                  (WEBHOOK, config.get("BEKWAAM_WEBHOOK_URL"))) if on]


def backoff(attempts: int) -> dt.timedelta:
    base = int(current_app.config.get("BEKWAAM_ALERT_RETRY_SECONDS", 300))
    return min(dt.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_deliveries(now: dt.datetime) -> list[int]:
    """Take the due, undelivered rows of the enabled channels for this process (committed)."""
    wanted = enabled_channels()
    if not wanted:
        return []
    due = and_(AlertDelivery.delivered_at.is_(None), AlertDelivery.channel.in_(wanted),
               or_(AlertDelivery.next_attempt_at.is_(None), AlertDelivery.next_attempt_at <= now))
    candidates = (select(AlertDelivery.id).where(due).order_by(AlertDelivery.id)
                  .limit(10000).with_for_update(skip_locked=True))
    ids = db.session.execute(
        update(AlertDelivery).where(AlertDelivery.id.in_(candidates), due)
        .values(next_attempt_at=now + LEASE).returning(AlertDelivery.id)
        .execution_options(synchronize_session=False)).scalars().all()
    db.session.commit()
    return sorted(ids)


def _record(delivery_ids, error: str | None, now: dt.datetime) -> None:
    """Mark rows delivered, or failed with the next attempt after a backoff; committed at once."""
    for delivery in db.session.scalars(select(AlertDelivery).where(AlertDelivery.id.in_(delivery_ids))):
        delivery.attempts = (delivery.attempts or 0) + 1
        if error is None:
            delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = utcnow(), None, None
        else:
            delivery.last_error = error[:2000]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    db.session.commit()


def deliver_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """Send what is due: one e-mail digest per recipient, one webhook call per alert.

    ``now`` decides what is due (tests move it forward past a backoff).
    """
    now = now or utcnow()
    ids = claim_deliveries(now)
    stats = {"delivered": 0, "failed": 0}
    if not ids:
        return stats
    rows = db.session.execute(
        select(AlertDelivery.id, AlertDelivery.channel, AlertDelivery.recipient, Alert)
        .join(Alert, Alert.id == AlertDelivery.alert_id).where(AlertDelivery.id.in_(ids))).all()
    by_recipient: dict[str, list] = defaultdict(list)
    webhooks = []
    for delivery_id, channel, recipient, alert in rows:
        if channel == EMAIL:
            by_recipient[recipient].append((delivery_id, alert))
        else:
            webhooks.append((delivery_id, recipient, alert))
    if by_recipient:
        _send_emails(by_recipient, now, stats)
    for delivery_id, url, alert in webhooks:
        try:
            channels.post_webhook(url, channels.webhook_body(alert), current_app.config.get("BEKWAAM_WEBHOOK_SECRET"),
                                  delivery_id, alert.key)
            error = None
        except Exception as exc:  # noqa: BLE001 - any failure leaves the row pending
            error = f"{exc.__class__.__name__}: {exc}"
        _record([delivery_id], error, now)
        stats["failed" if error else "delivered"] += 1
    return stats


def _send_emails(by_recipient: dict[str, list], now: dt.datetime, stats: dict) -> None:
    language = locales(by_recipient)
    digests = []
    for recipient, items in by_recipient.items():
        subject, body = channels.digest_text([alert for _, alert in items], language.get(recipient, "nl"))
        digests.append((recipient, subject, body))
    done = set()
    try:
        for recipient, error in channels.send_digests(current_app.config, digests):
            done.add(recipient)
            _record([d for d, _ in by_recipient[recipient]], error, now)
            stats["failed" if error else "delivered"] += len(by_recipient[recipient])
    except Exception as exc:  # noqa: BLE001 - the server is down: everything not sent stays pending
        error = f"{exc.__class__.__name__}: {exc}"
        log.warning("SMTP delivery failed: %s", error)
        for recipient, items in by_recipient.items():
            if recipient not in done:
                _record([d for d, _ in items], error, now)
                stats["failed"] += len(items)


# --- the run ---------------------------------------------------------------------------

def local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config.get("BEKWAAM_TIMEZONE") or "Europe/Amsterdam")).date()


def run_day(as_of: dt.date, *, manual: bool = False, now: dt.datetime | None = None) -> dict:
    """Collect and deliver the alerts of one day.

    The scheduler (``manual=False``) collects a day only if it claims it; a
    day another process has claimed is left to that process. A manual run
    (``bekwaam alerts run``) claims the day when it is free and not in the
    future, and collects it even when it is already claimed: inserts skip
    existing keys, so a rerun only adds what is new. Both then deliver
    whatever is due, which never sends a delivered row again.
    """
    claimed = False
    if not (manual and as_of > local_today()):
        claimed = claim_day(as_of, now)
        db.session.commit()
    created = []
    if claimed or manual:
        try:
            created = store_competence_alerts(as_of, now)
            token = core_events.competences_stored_in_sql.set(core_contributes())
            try:
                created += store(collect(as_of), now)
            finally:
                core_events.competences_stored_in_sql.reset(token)
            plan_deliveries(created)
            if claimed:
                finish_day(as_of, len(created))
            db.session.commit()
        except Exception:
            db.session.rollback()
            if claimed:
                release_day(as_of)
                db.session.commit()
            raise
    stats = deliver_pending(now)
    return {"as_of": as_of.isoformat(), "claimed": claimed, "collected": claimed or manual,
            "created": len(created), **stats}


def last_finished_day(today: dt.date) -> dt.date | None:
    return db.session.scalar(select(func.max(AlertRun.run_date))
                             .where(AlertRun.finished_at.is_not(None), AlertRun.run_date <= today))


def days_to_run(last_finished: dt.date | None, last_due: dt.date, bound: int = CATCH_UP_DAYS) -> list[dt.date]:
    """Every day after the last finished run up to ``last_due``, at most ``bound`` days back."""
    if last_finished is None:
        return [last_due]
    if last_finished >= last_due:
        return []
    start = max(last_finished + dt.timedelta(days=1), last_due - dt.timedelta(days=bound - 1))
    return [start + dt.timedelta(days=i) for i in range((last_due - start).days + 1)]


def run_due_days(trigger=None, now_local: dt.datetime | None = None) -> list[dict]:
    """The scheduler's job: catch up every missed day, then today once its time has come.

    Today is due once the schedule's first time today has passed (so a
    scheduler started at 05:00 with a 06:00 schedule waits for 06:00).
    """
    tz = ZoneInfo(current_app.config.get("BEKWAAM_TIMEZONE") or "Europe/Amsterdam")
    now_local = now_local or dt.datetime.now(tz)
    today = now_local.date()
    last_due = today
    if trigger is not None:
        midnight = dt.datetime.combine(today, dt.time(0), tz)
        first = trigger.get_next_fire_time(None, midnight)
        if first is None or first > now_local:
            last_due = today - dt.timedelta(days=1)
    results = []
    for day in days_to_run(last_finished_day(today), last_due):
        results.append(run_day(day))
    if not results:
        results.append({"as_of": None, "claimed": False, "collected": False, "created": 0,
                        **deliver_pending()})
    return results
