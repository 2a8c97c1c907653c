"""AVG/GDPR: a person's complete data, and anonymisation after the retention period.

*Everything about a person* is found through the foreign keys in
``db.metadata``: every row of any table (core or plugin) that refers to their
staff row or to their user account, plus the audit entries about those rows
and the entries of what they did themselves.

*Anonymisation* replaces what identifies a person (name, e-mail, employee
number, the e-mail of their user account, what a plugin's ``bekwaam_privacy_rules``
names, e.g. a BIG number, and those values in the audit trail) with placeholders. Everything else stays: competences, CPD
hours, positions and the audit history keep their counts, so the aggregate
history (how many were competent for what, when) is unchanged.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import and_, or_, select, update

from core.audit.models import AuditEntry
from core.audit.services import SECRET_COLUMNS
from core.dataio.backup import _encode, _kind
from core.dataio.models import StaffDeparture
from core.dates import add_years
from core.db import utcnow
from core.extensions import db
from core.plugins_runtime import privacy_rules
from core.staff.models import Staff

log = logging.getLogger(__name__)
DEFAULT_RETENTION_YEARS = 2


@dataclass(frozen=True)
class PrivacyRule:
    """A table whose rows identify a person (``bekwaam_privacy_rules``), and what erasure
    writes over its identifying columns: ``placeholders(row_id, staff_id) -> {column: value}``.

    The personal-data export needs no rule: it follows every foreign key to the person,
    in any table, core or plugin. A plugin's identifying table must have ``staff_id``.
    """

    table: str
    placeholders: Callable[[int, int], dict]


CORE_RULES = (
    PrivacyRule("staff", lambda row_id, staff_id: {
        "name": f"Anonymised {staff_id}", "email": None, "employee_number": f"ANON-{staff_id}"}),
    PrivacyRule("user_account", lambda row_id, staff_id: {"email": f"anonymised-{row_id}@invalid.invalid"}),
)


def rules() -> dict[str, PrivacyRule]:
    """The core's rules and every installed plugin's, by table (a disabled plugin's data is
    still a person's data: it is erased all the same)."""
    return {rule.table: rule for rule in (*CORE_RULES, *privacy_rules())}


def placeholders(table: str, row_id: int, staff_id: int) -> dict[str, object]:
    """The values that replace identifying columns of a row of ``table``."""
    rule = rules().get(table)
    return rule.placeholders(row_id, staff_id) if rule else {}


def _row(table, row) -> dict:
    return {c.name: ("(hidden)" if c.name in SECRET_COLUMNS and row[c.name] is not None
                     else _encode(row[c.name], _kind(c))) for c in table.columns}


def _referring(target: str):
    """(table, column) of every foreign key to ``target``.id."""
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == target and fk.column.name == "id":
                yield table, fk.parent


# A foreign key named so points at the row's subject: the row is the person's own.
# Any other reference (manager_id, assessor_id, reviewed_by …) puts the person in
# someone else's record; the export names that record, never its contents.
OWNER_COLUMNS = {"staff": "staff_id", "user_account": "user_id"}
AUDIT_REFERENCE = ("id", "at", "action", "entity", "entity_id")


def personal_data(staff_id: int) -> dict | None:
    """Everything stored about one person, and nobody else, as JSON-ready data
    (None: no such person).

    ``records``: their own rows, whole. ``mentioned_in``: rows of other people
    that refer to them (as manager, assessor, reviewer …), by table, id and
    column only. ``audit``: the entries about their own rows, whole; the
    entries of what they did to other rows, as references.
    """
    staff_table = db.metadata.tables["staff"]
    person = db.session.execute(select(staff_table).where(staff_table.c.id == staff_id)).mappings().first()
    if person is None:
        return None
    users = db.metadata.tables["user_account"]
    user_ids = list(db.session.scalars(select(users.c.id).where(users.c.staff_id == staff_id)))
    records: dict[str, list] = {}
    mentioned: dict[str, list] = {}
    found_ids: dict[str, set] = {"staff": {staff_id}, "user_account": set(user_ids)}
    for target, ids in (("staff", [staff_id]), ("user_account", user_ids)):
        if not ids:
            continue
        for table, column in _referring(target):
            if table.name == "audit_entry":
                continue  # below, with the entries about their rows
            own = column.name == OWNER_COLUMNS[target]
            if not own:
                refs = mentioned.setdefault(table.name, [])
                for row_id in db.session.scalars(select(table.c.id).where(column.in_(ids)).order_by(table.c.id)):
                    refs.append({"id": row_id, "as": column.name})
                continue
            for row in db.session.execute(select(table).where(column.in_(ids))
                                          .order_by(*table.primary_key.columns)).mappings():
                rows = records.setdefault(table.name, [])
                if all(r.get("id") != row.get("id") for r in rows):  # a row may refer twice
                    rows.append(_row(table, row))
                    if "id" in row:
                        found_ids.setdefault(table.name, set()).add(row["id"])
    about = or_(*(and_(AuditEntry.entity == name, AuditEntry.entity_id.in_(ids))
                  for name, ids in found_ids.items() if ids))
    audit = [_row(AuditEntry.__table__, row) for row in db.session.execute(
        select(AuditEntry.__table__).where(about).order_by(AuditEntry.id)).mappings()]
    done_by = []
    if user_ids:
        table = AuditEntry.__table__
        done_by = [{k: _encode(row[k], _kind(table.c[k])) for k in AUDIT_REFERENCE} for row in db.session.execute(
            select(*(table.c[k] for k in AUDIT_REFERENCE)).where(table.c.user_id.in_(user_ids), ~about)
            .order_by(table.c.id)).mappings()]
    return {"staff": _row(staff_table, person), "records": dict(sorted(records.items())),
            "mentioned_in": {k: v for k, v in sorted(mentioned.items()) if v}, "audit": audit,
            "audit_done_by_them": done_by, "exported_at": utcnow().isoformat(timespec="seconds")}


def may_export(user, staff) -> bool:
    """The data subject, their manager (line manager, or a manager over their
    department), an admin or an auditor."""
    from core.auth.permissions import may_see_staff

    if user.role in ("admin", "auditor") or user.staff_id == staff.id:
        return True
    if user.staff_id is not None and user.staff_id == staff.manager_id:
        return True
    return user.role == "manager" and may_see_staff(user, staff)


def subtract_years(day: dt.date, years: int) -> dt.date:
    return add_years(day, -years)  # 29 February: 28 February in a common year


def due(as_of: dt.date, retention_years: int) -> list[int]:
    """Staff who left on or before ``as_of`` − retention, are inactive and not yet anonymised."""
    cutoff = subtract_years(as_of, retention_years)
    stmt = (select(Staff.id).join(StaffDeparture, StaffDeparture.staff_id == Staff.id)
            .where(Staff.active.is_(False), StaffDeparture.left_on <= cutoff, StaffDeparture.anonymised_at.is_(None))
            .order_by(Staff.id))
    return list(db.session.scalars(stmt))


def anonymise(as_of: dt.date, retention_years: int, dry_run: bool = False) -> dict:
    ids = due(as_of, retention_years)
    result = {"as_of": as_of.isoformat(), "retention_years": retention_years,
              "left_on_or_before": subtract_years(as_of, retention_years).isoformat(),
              "dry_run": dry_run, "count": len(ids), "staff_ids": ids}
    if dry_run or not ids:
        log.info("anonymisation: %d due%s", len(ids), " (dry run)" if dry_run else "")
        return result
    # Rows of identifying tables per person: (table, row id, staff id).
    owned: list[tuple[str, int, int]] = [("staff", i, i) for i in ids]
    for name in list(rules())[1:]:  # every identifying table after staff
        table = _table(name)
        if table is None:
            continue  # a plugin whose tables were never migrated
        for row_id, staff_id in db.session.execute(select(table.c.id, table.c.staff_id).where(table.c.staff_id.in_(ids))):
            owned.append((name, row_id, staff_id))
    changed = []
    for name, row_id, staff_id in owned:
        table = _table(name)
        values = placeholders(name, row_id, staff_id)
        changed.append((name, row_id, values))
        if name == "user_account":
            values.update(password_hash=None, active=False)
        db.session.execute(update(table).where(table.c.id == row_id).values(**values)
                           .execution_options(synchronize_session=False))
    users = [row_id for name, row_id, _ in owned if name == "user_account"]
    if users:
        tokens = db.metadata.tables["api_token"]
        db.session.execute(update(tokens).where(tokens.c.user_id.in_(users)).values(revoked=True))
    rewritten = _scrub_audit(owned)
    db.session.execute(update(StaffDeparture).where(StaffDeparture.staff_id.in_(ids))
                       .values(anonymised_at=utcnow()).execution_options(synchronize_session=False))
    _audit_run(result, rewritten, changed)
    db.session.expire_all()
    log.info("anonymisation: %d people anonymised", len(ids))
    return result


def _table(name: str):
    """The table ``name``: from the models, else as the database has it (a plugin that keeps no
    model on the shared metadata), else None (not in this database)."""
    from sqlalchemy import MetaData, Table, inspect

    table = db.metadata.tables.get(name)
    if table is None and inspect(db.session.connection()).has_table(name):
        table = Table(name, MetaData(), autoload_with=db.session.connection())
    return table


def _scrub_audit(owned: list[tuple[str, int, int]]) -> dict | None:
    """The audit trail keeps every entry, with the identifying values replaced.

    The one change ever made to audit entries, and deliberate: keeping a
    name in the trail would undo the anonymisation (AVG art. 17).
    """
    table = AuditEntry.__table__
    by_entity: dict[str, dict[int, int]] = {}
    for name, row_id, staff_id in owned:
        by_entity.setdefault(name, {})[row_id] = staff_id
    conditions = [and_(table.c.entity == name, table.c.entity_id.in_(rows)) for name, rows in by_entity.items()]
    users = list(by_entity.get("user_account", {}))
    if users:
        conditions.append(table.c.user_id.in_(users))
    first_changed = None
    for entry in db.session.execute(select(table).where(or_(*conditions))).mappings().all():
        changes = {}
        staff_id = by_entity.get(entry["entity"], {}).get(entry["entity_id"])
        if staff_id is not None:
            replace = placeholders(entry["entity"], entry["entity_id"], staff_id)
            for side in ("before", "after"):
                if entry[side]:
                    changes[side] = {k: (replace[k] if k in replace and val is not None else val)
                                     for k, val in entry[side].items()}
        if entry["user_id"] in users:
            changes["actor"] = placeholders("user_account", entry["user_id"], 0)["email"]
        if changes:
            db.session.execute(update(table).where(table.c.id == entry["id"]).values(**changes))
            first_changed = entry["id"] if first_changed is None else min(first_changed, entry["id"])
    if first_changed is not None:
        # The scrub is the one sanctioned rewrite: the chain is recomputed from the
        # first scrubbed row, and the run's own entry names the head it replaced so
        # an anchor taken earlier can still be matched (see docs/audit.md).
        from core.audit.chain import head, rehash_from

        replaced = head(db.session.connection(), table)
        rehash_from(db.session.connection(), table, first_changed)
        return {"first_id": first_changed, "replaced_head_id": replaced[0], "replaced_head_hash": replaced[1]}
    return None


def _audit_run(result: dict, rewritten: dict | None, changed: list[tuple[str, int, dict]]) -> None:
    """The run's entry plus one per anonymised row; a row's before is not kept
    (it is exactly what the anonymisation removes), only which columns were replaced."""
    from flask import g, has_app_context

    from core.audit.services import write_entries

    actor = g.get("audit_actor") if has_app_context() else None
    after = {k: result[k] for k in ("as_of", "retention_years", "count", "staff_ids")}
    if rewritten:
        after["chain_rewritten"] = rewritten
    import uuid

    key = str(uuid.uuid4())
    rows = [{"action": "anonymise", "entity": name, "entity_id": row_id, "change_set": key,
             "before": dict.fromkeys(values, "(replaced)"), "after": {k: _encode_plain(v) for k, v in values.items()},
             "reason": "retention period ended"} for name, row_id, values in changed]
    write_entries(db.session, [*rows, {"action": "anonymise", "entity": "anonymisation", "after": after,
                                        "change_set": key}], actor if actor is not None else "cli")


def _encode_plain(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def retention_years() -> int:
    """``BEKWAAM_RETENTION_YEARS`` (default 2): years after leaving before a person is anonymised."""
    from flask import current_app

    return int(current_app.config.get("BEKWAAM_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))
