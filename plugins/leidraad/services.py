"""Leidraad operations: screenings, policy, expiry computation, decisions, release.

Rules live in ``rules.py``; this module loads and stores. Services flush,
the request commits.
"""
from __future__ import annotations

import datetime as dt
import json
from functools import cache, lru_cache
from typing import Iterable

from sqlalchemy import Date, Integer, String, and_, bindparam, case, cast, func, literal, null, select, union_all, update

from core.audit.services import record_bulk
from core.competence.models import Competence
from core.constants import cached, for_all_today
from core.contract import ExpiryResult, Reason
from core.dates import dutch_day
from core.devices.models import DeviceType
from core.errors import FieldMessage, Invalid
from core.extensions import db, dialect_name, execute_core, id_in, id_params
from core.staff.models import Staff
from plugins.leidraad import rules
from plugins.leidraad.models import Approval, PolicyVersion, Release, RequirementOverride, SafetyNotice, Screening

SOURCE = "leidraad"
USE_PHASE = rules.PHASE_USE


# -- policy -----------------------------------------------------------------

def policy_on(on: dt.date) -> rules.Policy:
    """The policy in force on ``on``; before any saved version, the shipped default policy (``rules.DEFAULT_POLICY``)."""
    doc = db.session.scalar(
        select(PolicyVersion.document).where(PolicyVersion.effective_on <= on)
        .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1))
    return rules.DEFAULT_POLICY if doc is None else rules.policy_from_dict(doc)


def overrides(device_type_ids: Iterable[int] | None = None, on: dt.date | None = None
              ) -> dict[int, dict[str, rules.Requirement]]:
    """The override of each type in force on ``on`` (default today): its latest row by then."""
    on = on or dt.date.today()
    stmt = (select(RequirementOverride.device_type_id, RequirementOverride.requirements)
            .where(RequirementOverride.valid_from <= on)
            .order_by(RequirementOverride.device_type_id, RequirementOverride.valid_from, RequirementOverride.id))
    if device_type_ids is not None:
        stmt = stmt.where(RequirementOverride.device_type_id.in_(list(device_type_ids)))
    latest = dict(db.session.execute(stmt).all())  # rows in date order: the last one per type wins
    return {dt_id: rules.override_from_dict(doc) for dt_id, doc in latest.items() if doc is not None}


# -- screening --------------------------------------------------------------

def latest_screening(device_type_id: int, on: dt.date) -> Screening | None:
    return db.session.scalar(
        select(Screening).where(Screening.device_type_id == device_type_id, Screening.screened_on <= on)
        .order_by(Screening.screened_on.desc(), Screening.id.desc()).limit(1))


def risk_class_on(device_type_id: int, on: dt.date) -> str | None:
    screening = latest_screening(device_type_id, on)
    return screening.risk_class if screening else None


def _class_subquery(device_type_col, on: dt.date):
    """Correlated: the class of the device type in ``device_type_col`` on ``on``."""
    return (select(Screening.risk_class)
            .where(Screening.device_type_id == device_type_col, Screening.screened_on <= on)
            .order_by(Screening.screened_on.desc(), Screening.id.desc()).limit(1).scalar_subquery())


def screenings_of(device_type_id: int) -> list[Screening]:
    """A device type's screening history (risicoscreening), newest first."""
    return list(db.session.scalars(select(Screening).where(Screening.device_type_id == device_type_id)
                                   .order_by(Screening.screened_on.desc(), Screening.id.desc())))


def add_screening(device_type: DeviceType, data: dict, user_id: int | None) -> tuple[Screening, list[dict]]:
    product_risk = data.get("product_risk")
    if product_risk is None:
        if not device_type.mdr_class:
            raise Invalid({"product_risk": [FieldMessage(
                "The device type has no MDR/IVDR class; give the product risk.",
                "Het type hulpmiddel heeft geen MDR/IVDR-klasse; geef het productrisico.")]})
        product_risk = rules.product_risk_for_class(device_type.mdr_class)  # the default: risk from the MDR class (Leidraad Medische Technologie 2026, fase 1 risicoscreening)
    screened_on = data.get("screened_on") or dt.date.today()
    flags = {"new_or_adapted_use": bool(data.get("new_or_adapted_use")),
             "new_risk_insights": bool(data.get("new_risk_insights"))}
    outcome = rules.screen(product_risk, data["usage_context"], data["novelty"], data["impact"],
                           policy_on(screened_on), **flags)
    before = risk_class_on(device_type.id, dt.date.today())
    screening = Screening(
        device_type_id=device_type.id, screened_on=screened_on, product_risk=product_risk,
        usage_context=data["usage_context"], novelty=data["novelty"], impact=data["impact"],
        score_sum=outcome.score_sum, risk_class=outcome.risk_class, pri_required=outcome.pri_required,
        note=data.get("note"), screened_by=user_id, **flags)
    db.session.add(screening)
    db.session.flush()
    changes = []
    if screened_on > dt.date.today():
        # Dated ahead: stored expiries follow on that day (nightly run); who it bites is known now.
        changes = forecast_changes(device_type.id, screened_on)
    elif before != risk_class_on(device_type.id, dt.date.today()):
        # Recorded late: the class holds from the day it was screened, and so does the report.
        changes = _named(recompute_expiries([device_type.id], before_policy=policy_on(dt.date.today()),
                                            before_classes={device_type.id: before}, effective_on=screened_on))
    return screening, changes


# -- expiry -----------------------------------------------------------------

def expiry_for(competence: Competence) -> ExpiryResult | None:
    """The plugin owns the expiry of every device-type competence (its expiry follows the risk class: Leidraad Medische Technologie 2026, bekwaamheid)."""
    if competence.device_type_id is None:
        return None
    risk_class, override, policy = decision_context(competence.device_type_id, dt.date.today())
    if risk_class is None:
        return ExpiryResult(None, SOURCE)  # not screened: nobody is competent anyway
    req = rules.requirement(policy, risk_class, competence.role, override)
    expires = rules.expires_on(competence.obtained_on, req.interval_months)
    for notice in db.session.scalars(select(SafetyNotice).where(
            SafetyNotice.device_type_id == competence.device_type_id,
            SafetyNotice.issued_on > competence.obtained_on)):
        due = notice.reinstruct_by + dt.timedelta(days=1)  # re-instruction on the day itself still counts
        if expires is None or due < expires:
            expires = due
    return ExpiryResult(expires, SOURCE)


def add_months_sql(date_col, months):
    """``date_col`` + ``months`` calendar months, clamped to month end (31 Jan + 1 = 28/29 Feb)."""
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL's interval arithmetic already clamps to the month's end.
        return cast(date_col + func.make_interval(0, months), Date)
    # SQLite's date() rolls over (31 Jan + 1 month = 3 Mar): take the smaller of
    # "same day n months on" and "last day of that month".
    shifted = func.date(date_col, "start of month", func.printf("+%d months", months),
                        func.printf("+%d days", cast(func.strftime("%d", date_col), Integer) - 1))
    month_end = func.date(date_col, "start of month", func.printf("+%d months", months + 1), "-1 day")
    return case((months.is_(None), None), else_=func.min(shifted, month_end))


def _months_case(policy: rules.Policy, override_map: dict, class_expr):
    """Interval in months per (class, role), overrides first; plain columns only, so cheap per row."""
    whens = []
    for dt_id, roles in override_map.items():
        for role, req in roles.items():
            whens.append((and_(Competence.device_type_id == dt_id, Competence.role == role),
                          literal(req.interval_months, Integer)))
    for risk_class, by_role in policy.requirements.items():
        for role, req in by_role.items():
            whens.append((and_(class_expr == risk_class, Competence.role == role),
                          literal(req.interval_months, Integer)))
    return case(*whens, else_=literal(None, Integer))


def _current_classes(on: dt.date):
    """Derived table (device_type_id, risk_class): each type's latest screening on ``on``."""
    outer = Screening.__table__.alias("outer_screening")
    newest = (select(Screening.id)
              .where(Screening.device_type_id == outer.c.device_type_id, Screening.screened_on <= on)
              .order_by(Screening.screened_on.desc(), Screening.id.desc()).limit(1).scalar_subquery())
    return select(outer.c.device_type_id, outer.c.risk_class).where(outer.c.id == newest).subquery("current_class")


def recompute_expiries(device_type_ids: list[int] | None, *, before_policy: rules.Policy,
                       before_classes: dict[int, str | None] | None = None, report: bool = True,
                       on: dt.date | None = None, effective_on: dt.date | None = None) -> list[dict]:
    """Recompute device-type competence expiries set-based and report who becomes
    non-compliant from which date.

    One UPDATE … FROM joins every competence to its device type's current
    class; competences of unscreened types lose their expiry (nobody is
    competent for them anyway: ``not_screened``). ``device_type_ids`` None
    means every device type (a policy change). ``effective_on`` is the day the
    change took effect when that lies in the past (a screening recorded late):
    the report then says who is non-compliant from that day.
    """
    today = on or dt.date.today()
    effective_on = min(effective_on or today, today)
    scope = Competence.device_type_id.is_not(None)
    if device_type_ids is not None:
        scope = and_(scope, Competence.device_type_id.in_(device_type_ids))
    columns = (Competence.id, Competence.staff_id, Competence.device_type_id, Competence.role,
               Competence.method, Competence.obtained_on, Competence.expires_on)
    old = {row.id: row for row in db.session.execute(select(*columns).where(scope))} if report else {}
    audited = (Competence.id, Competence.expires_on, Competence.expiry_source)
    audit_before = {r.id: {"expires_on": r.expires_on, "expiry_source": r.expiry_source}
                    for r in db.session.execute(select(*audited).where(scope))}
    old_classes = before_classes if before_classes is not None else {}

    policy = policy_on(today)
    override_map = overrides(device_type_ids, today)
    current = _current_classes(today)
    months = _months_case(policy, override_map, current.c.risk_class)
    db.session.execute(
        update(Competence).where(scope, Competence.device_type_id == current.c.device_type_id)
        .values(expires_on=add_months_sql(Competence.obtained_on, months), expiry_source=SOURCE)
        .execution_options(synchronize_session=False))
    db.session.execute(
        update(Competence).where(scope, Competence.device_type_id.not_in(select(current.c.device_type_id)))
        .values(expires_on=None, expiry_source=SOURCE).execution_options(synchronize_session=False))
    _apply_safety_notices(device_type_ids)
    db.session.expire_all()
    # The set-based UPDATEs bypass the per-row audit: one change set, one entry per moved expiry.
    record_bulk(db.session, "competence", audit_before,
                {r.id: {"expires_on": r.expires_on, "expiry_source": r.expiry_source}
                 for r in db.session.execute(select(*audited).where(scope))},
                reason="leidraad: competence expiries recomputed")
    if not report:
        return []

    new = {row.id: row for row in db.session.execute(select(*columns).where(scope))}
    changes = rules.recompute_changes(
        [rules.ExpiryChange(cid, old[cid].expires_on, new[cid].expires_on) for cid in old if cid in new],
        effective_on)
    result = [_report(new[c.key], c) for c in changes]
    # A stricter method requirement makes valid records insufficient from today.
    current_classes = _classes(sorted({r.device_type_id for r in new.values()}), today)
    for cid, row in new.items():
        klass = current_classes.get(row.device_type_id)
        was = old_classes.get(row.device_type_id, klass)
        if klass is None or was is None or not rules.is_valid_on(row.obtained_on, row.expires_on, today):
            continue
        old_req = rules.requirement(before_policy, was, row.role, override_map.get(row.device_type_id))
        new_req = rules.requirement(policy, klass, row.role, override_map.get(row.device_type_id))
        for finding in rules.method_changes([(cid, row.method)], old_req.method, new_req.method, effective_on):
            result.append(_report(row, finding))
    return sorted(result, key=lambda r: (r["from"], r["staff_id"]))


def _report(row, finding) -> dict:
    return {"competence_id": row.id, "staff_id": row.staff_id, "device_type_id": row.device_type_id,
            "role": row.role, "code": finding.code, "from": finding.from_date, "message": finding.message}


def _classes(device_type_ids: list[int], on: dt.date) -> dict[int, str | None]:
    if not device_type_ids:
        return {}
    stmt = select(DeviceType.id, _class_subquery(DeviceType.id, on)).where(DeviceType.id.in_(device_type_ids))
    return dict(db.session.execute(stmt).all())


def _apply_safety_notices(device_type_ids: list[int] | None) -> None:
    stmt = select(SafetyNotice)
    if device_type_ids is not None:
        stmt = stmt.where(SafetyNotice.device_type_id.in_(device_type_ids))
    for notice in db.session.scalars(stmt):
        _shorten_for_notice(notice)


def _shorten_for_notice(notice: SafetyNotice) -> None:
    due = notice.reinstruct_by + dt.timedelta(days=1)
    db.session.execute(
        update(Competence).where(
            Competence.device_type_id == notice.device_type_id, Competence.obtained_on < notice.issued_on,
            (Competence.expires_on.is_(None)) | (Competence.expires_on > due))
        .values(expires_on=due, expiry_source=SOURCE).execution_options(synchronize_session=False))


def set_policy(document: dict, user_id: int | None, valid_from: dt.date | None = None
               ) -> tuple[PolicyVersion, list[dict]]:
    """A new policy version from ``valid_from`` (default today; never earlier: a change made
    today never changes the answer for an earlier date). A future version takes effect on
    its date: decisions for that date use it, and the nightly run (``nightly_recompute``)
    brings the stored expiries along when the date arrives."""
    new_policy = rules.policy_from_dict(document)  # raises PolicyError naming each field
    today = dt.date.today()
    valid_from = valid_from or today
    if valid_from < today:
        raise Invalid({"valid_from": [FieldMessage(
            "Must be today or later: the past is decided as it stood.",
            "Vandaag of later: het verleden is beslist zoals het toen stond.")]})
    before = policy_on(today)
    version = PolicyVersion(effective_on=valid_from, document=rules.policy_to_dict(new_policy), created_by=user_id)
    db.session.add(version)
    db.session.flush()
    return version, _named(recompute_expiries(None, before_policy=before))


def nightly_recompute(as_of: dt.date) -> None:
    """Stored expiries follow screenings and policy versions whose date has arrived, without
    anyone editing anything: run by the nightly alert run before the expiry events are read.

    A change dated today or earlier was applied when it was recorded; only what
    was dated ahead and whose day has now come moves stored expiries. So only
    the device types with such a screening or override are recomputed, and
    every type when such a policy version arrived. Recomputing all 400,000
    competences of a large hospital every night took 9-12 s on PostgreSQL
    (benchmarks/RESULTS.md) for, on most nights, nothing.
    """
    device_type_ids = arrived_changes(as_of, _last_run_before(as_of))
    if device_type_ids is None or device_type_ids:
        recompute_expiries(device_type_ids, before_policy=policy_on(as_of), report=False, on=as_of)


def _last_run_before(as_of: dt.date) -> dt.date | None:
    """The last day before ``as_of`` whose nightly run finished (its changes are applied)."""
    from core.alerts.models import AlertRun

    return db.session.scalar(select(func.max(AlertRun.run_date)).where(
        AlertRun.finished_at.is_not(None), AlertRun.run_date < as_of))


def arrived_changes(as_of: dt.date, since: dt.date | None) -> list[int] | None:
    """Device types whose screening or override dated ahead took effect in (``since``, ``as_of``];
    None (all types) when a policy version did. Without an earlier run (``since`` None),
    a screening or policy version counts when its day lies after the day it was recorded,
    and every override already in force counts (overrides are few)."""
    def arrived(day, created_at) -> bool:
        if since is not None:
            return day > since
        # Recorded in UTC: its date is never after the local day, so this errs towards recomputing.
        return created_at is None or day > created_at.date()

    window = [PolicyVersion.effective_on <= as_of]
    if since is not None:
        window.append(PolicyVersion.effective_on > since)
    for effective_on, created_at in db.session.execute(
            select(PolicyVersion.effective_on, PolicyVersion.created_at).where(*window)):
        if arrived(effective_on, created_at):
            return None
    screened = [Screening.screened_on <= as_of] + ([Screening.screened_on > since] if since is not None else [])
    types = {type_id for type_id, day, created_at in db.session.execute(
        select(Screening.device_type_id, Screening.screened_on, Screening.created_at).where(*screened))
        if arrived(day, created_at)}
    overridden = [RequirementOverride.valid_from <= as_of] + (
        [RequirementOverride.valid_from > since] if since is not None else [])
    types.update(db.session.scalars(select(RequirementOverride.device_type_id).where(*overridden)))
    return sorted(types)


def _named(changes: list[dict]) -> list[dict]:
    """The change report names each affected person (staff id and name)."""
    names = dict(db.session.execute(select(Staff.id, Staff.name).where(
        Staff.id.in_({c["staff_id"] for c in changes}))).all()) if changes else {}
    for change in changes:
        change["staff_name"] = names.get(change["staff_id"])
    return changes


def set_override(device_type: DeviceType, document: dict | None, valid_from: dt.date | None = None) -> list[dict]:
    """Set (or, with ``None``, remove) the type's override from ``valid_from`` (default today).

    Never earlier than today: a change made today does not alter the answer for
    an earlier date. From today it is applied to the stored expiries at once;
    a later date is applied by the nightly run on that day, and the report says
    now who becomes non-compliant from which date.
    """
    today = dt.date.today()
    valid_from = valid_from or today
    if valid_from < today:
        raise Invalid({"valid_from": [FieldMessage(
            "Must be today or later: the past is decided as it stood.",
            "Vandaag of later: het verleden is beslist zoals het toen stond.")]})
    requirements = None if document is None else rules.override_to_dict(rules.override_from_dict(document))
    row = db.session.scalar(select(RequirementOverride).where(
        RequirementOverride.device_type_id == device_type.id, RequirementOverride.valid_from == valid_from)
        .order_by(RequirementOverride.id.desc()).limit(1))
    before_policy = policy_on(today)
    if row is None:
        db.session.add(RequirementOverride(device_type_id=device_type.id, valid_from=valid_from,
                                           requirements=requirements))
    else:  # a second change for the same day replaces the first
        row.requirements = requirements
    db.session.flush()
    if valid_from > today:
        return forecast_changes(device_type.id, valid_from)
    return _named(recompute_expiries([device_type.id], before_policy=before_policy))


def forecast_changes(device_type_id: int, effective_on: dt.date) -> list[dict]:
    """Who becomes non-compliant, and from when, once what is in force on ``effective_on`` applies.

    For a change dated ahead (a screening or an override): the stored expiries
    still follow today's rules until the nightly run of that day.
    """
    risk_class, override, policy = decision_context(device_type_id, effective_on)
    if risk_class is None:
        return []
    rows = {row.id: row for row in db.session.execute(
        select(Competence.id, Competence.staff_id, Competence.device_type_id, Competence.role,
               Competence.obtained_on, Competence.expires_on)
        .where(Competence.device_type_id == device_type_id))}
    changes = [rules.ExpiryChange(cid, row.expires_on, rules.expires_on(
        row.obtained_on, rules.requirement(policy, risk_class, row.role, override).interval_months))
        for cid, row in rows.items()]
    return _named([_report(rows[f.key], f) for f in rules.recompute_changes(changes, effective_on)])


def requirements_for(device_type: DeviceType, on: dt.date) -> dict:
    risk_class, override, policy = decision_context(device_type.id, on)
    result = {"device_type_id": device_type.id, "risk_class": risk_class, "on": on,
              "overridden_roles": sorted(override or {}), "roles": {}}
    if risk_class is not None:
        for role in rules.ROLES:
            req = rules.requirement(policy, risk_class, role, override)
            result["roles"][role] = {"method": req.method, "interval_months": req.interval_months}
    return result


def add_safety_notice(device_type: DeviceType, data: dict) -> SafetyNotice:
    if data["reinstruct_by"] < data["issued_on"]:
        raise Invalid({"reinstruct_by": [FieldMessage(
            "Re-instruction cannot be due before the notice was issued.",
            "De herinstructie kan niet vóór de uitgifte van de veiligheidsmelding vallen.")]})
    notice = SafetyNotice(device_type_id=device_type.id, **data)
    db.session.add(notice)
    db.session.flush()
    _shorten_for_notice(notice)
    db.session.expire_all()
    return notice


# -- decisions ---------------------------------------------------------------

# From this many people on, their records are read as all the type's records for the role (a
# device type's records for one role are a few hundred at most: 222 in the large hospital) and
# the others are dropped here: binding a thousand ids cost more than the query (1.3 vs 0.2 ms
# for authorised-staff's 1,139 candidates, PostgreSQL planning the array element by element).
ALL_OF_THE_TYPE_FROM = 64


@cache
def _records_and_notices_statement(dialect: str, people: str = "many"):
    """One round trip: the people's records for the type and role, and the type's safety notices.

    ``people``: ``one`` (a scalar id), ``many`` (the ids bound) or ``all`` (every record of
    the type and role; the caller keeps its people's). Built once with bind parameters:
    decisions run thousands of times. A record row has a staff id; a notice row has none
    (``day`` = issued, ``until`` = re-instruct by).
    """
    on, device_type_id = bindparam("on", type_=Date), bindparam("device_type_id")
    whose = [] if people == "all" else [id_in(Competence.staff_id, "staff_ids", dialect, people == "one")]
    records = (select(Competence.staff_id, Competence.obtained_on.label("day"), cast(null(), Date).label("until"),
                      Competence.method)
               .where(*whose, Competence.device_type_id == device_type_id,
                      Competence.role == bindparam("role"), Competence.obtained_on <= on))
    notices = (select(cast(null(), Integer), SafetyNotice.issued_on, SafetyNotice.reinstruct_by,
                      cast(null(), String))
               .where(SafetyNotice.device_type_id == device_type_id, SafetyNotice.issued_on <= on))
    return union_all(records, notices)


@cache
def _context_statement():
    """One round trip: the type's class, its override and the policy document in force."""
    on = bindparam("on", type_=Date)
    device_type_id = bindparam("device_type_id")
    risk_class = (select(Screening.risk_class)
                  .where(Screening.device_type_id == device_type_id, Screening.screened_on <= on)
                  .order_by(Screening.screened_on.desc(), Screening.id.desc()).limit(1).scalar_subquery())
    override = (select(RequirementOverride.requirements)
                .where(RequirementOverride.device_type_id == device_type_id, RequirementOverride.valid_from <= on)
                .order_by(RequirementOverride.valid_from.desc(), RequirementOverride.id.desc())
                .limit(1).scalar_subquery())
    policy = (select(PolicyVersion.document).where(PolicyVersion.effective_on <= on)
              .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1).scalar_subquery())
    return select(risk_class.label("risk_class"), override.label("override"), policy.label("policy"))


@cache
def _notices_statement():
    return select(SafetyNotice.issued_on, SafetyNotice.reinstruct_by).where(
        SafetyNotice.device_type_id == bindparam("device_type_id"),
        SafetyNotice.issued_on <= bindparam("on", type_=Date))


@lru_cache(maxsize=64)
def _parsed_policy(document: str) -> rules.Policy:
    return rules.policy_from_dict(json.loads(document))


def _policy(document) -> rules.Policy:
    """The policy document in force (None: none stored, the Leidraad's default)."""
    return rules.DEFAULT_POLICY if document is None else _parsed_policy(json.dumps(_as_json(document), sort_keys=True))


def _override(requirements):
    return None if requirements is None else rules.override_from_dict(_as_json(requirements))


def decision_context(device_type_id: int, on: dt.date):
    """(risk class, override, policy) of one device type as they stood on ``on``, in one round trip.

    The one way to read them for a single type (decisions, expiry, requirements,
    release); ``policy_on`` and ``overrides`` serve the set-based recomputation
    of many types at once. For today every type's context is read at once
    (``types_on``, core.constants.for_all_today).
    """
    every = for_all_today("leidraad_types", on, lambda: types_on(on))
    if every is not None:
        return every["risk_class"].get(device_type_id), every["override"].get(device_type_id), every["policy"]

    def load():
        row = execute_core(_context_statement(), {"device_type_id": device_type_id, "on": on}).one()
        return row.risk_class, _override(row.override), _policy(row.policy)

    # Kept between requests until a screening, policy or override changes (core/constants.py).
    return cached("leidraad_context", (device_type_id, on), load)


@cache
def _all_rescreening_statement():
    """``_rescreening_statement`` for every device type, each row with its type."""
    on = bindparam("on", type_=Date)
    screenings = select(Screening.device_type_id, Screening.id, Screening.screened_on, Screening.risk_class,
                        Screening.pri_required).where(Screening.screened_on <= on)
    releases = select(Release.device_type_id, Release.screening_id, Release.released_on, cast(null(), String),
                      literal(False)).where(Release.released_on <= on)
    return union_all(screenings, releases)


def types_on(on: dt.date) -> dict:
    """Every device type's screenings and releases up to ``on`` (as ``suspended_since`` reads them),
    its risk class and override on ``on``, and the policy then: three statements for all types,
    the override and policy parsed once here as ``decision_context`` gives them.

    The same choices as the statements for one type: the class of the screening with the
    latest (day, id), the override with the latest (valid from, id), the policy with the
    latest (effective on, id); tests/plugins/leidraad/test_types_on.py compares the two.
    """
    rows: dict[int, list[tuple]] = {}
    latest: dict[int, tuple] = {}
    for type_id, key, day, risk_class, pri_required in execute_core(_all_rescreening_statement(), {"on": on}):
        rows.setdefault(type_id, []).append((key, day, risk_class, pri_required))
        if risk_class is not None and (type_id not in latest or (day, key) > latest[type_id][0]):
            latest[type_id] = ((day, key), risk_class)
    overrides: dict[int, tuple] = {}
    for type_id, valid_from, key, requirements in execute_core(
            select(RequirementOverride.device_type_id, RequirementOverride.valid_from, RequirementOverride.id,
                   RequirementOverride.requirements).where(RequirementOverride.valid_from <= on)):
        if type_id not in overrides or (valid_from, key) > overrides[type_id][0]:
            overrides[type_id] = ((valid_from, key), requirements)
    policy = execute_core(select(PolicyVersion.document).where(PolicyVersion.effective_on <= on)
                          .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1)).scalar()
    return {"rescreening": rows, "risk_class": {t: c for t, (_, c) in latest.items()},
            "override": {t: _override(o) for t, (_, o) in overrides.items()}, "policy": _policy(policy)}


def _as_json(value):
    # Scalar subqueries lose the JSON type on some backends: the value may come back as text.
    return json.loads(value) if isinstance(value, str) else value


def competent_records(staff_ids: list[int], device_type_id: int, role: str, on: dt.date,
                      risk_class: str | None, policy: rules.Policy, override
                      ) -> tuple[dict[int, list[rules.CompetenceRecord]], list[rules.SafetyNotice]]:
    """Each person's records for the device type and role (expiry as it stood on
    ``on``), and the type's safety notices issued by then."""
    interval = None
    if risk_class is not None:
        interval = rules.requirement(policy, risk_class, role, override).interval_months
    records: dict[int, list] = {sid: [] for sid in staff_ids}
    notices = []
    people = "one" if len(staff_ids) == 1 else "all" if len(staff_ids) >= ALL_OF_THE_TYPE_FROM else "many"
    rows = execute_core(_records_and_notices_statement(dialect_name(), people), {
        **id_params("staff_ids", staff_ids), "device_type_id": device_type_id, "role": role, "on": on})
    for staff_id, day, until, method in rows:
        if staff_id is None:
            notices.append(rules.SafetyNotice(day, until))
        elif staff_id in records:  # with ``all``: someone else's record
            records[staff_id].append(rules.CompetenceRecord(day, method, rules.expires_on(day, interval)))
    return records, notices


@cache
def _rescreening_statement():
    """One round trip: the type's screenings up to ``on`` and its releases (a release row
    carries its screening's id in ``key`` and NULL as class)."""
    on, device_type_id = bindparam("on", type_=Date), bindparam("device_type_id")
    screenings = select(Screening.id.label("key"), Screening.screened_on.label("day"),
                        Screening.risk_class, Screening.pri_required).where(
        Screening.device_type_id == device_type_id, Screening.screened_on <= on)
    releases = select(Release.screening_id, Release.released_on, cast(null(), String), literal(False)).where(
        Release.device_type_id == device_type_id, Release.released_on <= on)
    return union_all(screenings, releases)


def suspended_since(device_type: DeviceType, on: dt.date) -> dt.date | None:
    """The day use is suspended from by a re-screening awaiting its re-release (rules.suspended_since)."""
    every = for_all_today("leidraad_types", on, lambda: types_on(on))
    if every is not None:
        rows = every["rescreening"].get(device_type.id, [])
    else:
        rows = cached("leidraad_rescreening", (device_type.id, on), lambda: [tuple(r) for r in execute_core(
            _rescreening_statement(), {"device_type_id": device_type.id, "on": on})])
    screenings, releases = [], []
    for key, day, risk_class, pri_required in rows:
        if risk_class is None:
            releases.append(rules.ReleaseEvent(day, key))
        else:
            screenings.append(rules.ScreeningEvent(key, day, risk_class, bool(pri_required)))
    return rules.suspended_since(screenings, releases, device_type.released_on, on)


def conditions(staff_ids: list[int], activity, device_type: DeviceType | None, on: dt.date) -> dict[int, list[Reason]]:
    role = ((activity.requirements or {}).get("leidraad") or {}).get("competence_role")
    result: dict[int, list[Reason]] = {}
    if device_type is not None and (activity.lifecycle_phase in (None, USE_PHASE)):
        released = device_type.released_on is not None and device_type.released_on <= on
        suspended = suspended_since(device_type, on) if released else None
        if suspended is not None:
            # Leidraad Medische Technologie 2026, fase 5: use only after full technical and
            # clinical approval, also after a re-screening that asks the question again.
            reason = Reason(SOURCE, "not_released_since_rescreening",
                            f"A re-screening on {suspended.isoformat()} requires a PRI or raised the risk class: "
                            f"use is suspended until the new approvals and a re-release (on {on.isoformat()}).", False,
                            message_nl=f"Een herscreening op {dutch_day(suspended)} vraagt een PRI of verhoogde de "
                                       "risicoklasse: gebruik is opgeschort tot de nieuwe goedkeuringen en een nieuwe "
                                       f"vrijgave (op {dutch_day(on)}).")
        elif released:
            reason = Reason(SOURCE, "released", f"Device type released on {device_type.released_on.isoformat()}.", True,
                            message_nl=f"Apparaattype vrijgegeven op {dutch_day(device_type.released_on)}.")
        else:
            reason = Reason(SOURCE, "not_released", "The device type has not been released for use (vrijgave, "
                            f"Leidraad Medische Technologie 2026, fase 5) on {on.isoformat()}.", False,
                            message_nl="Het apparaattype was op {} niet vrijgegeven voor gebruik (vrijgave, "
                                       "Leidraad Medische Technologie 2026, fase 5).".format(dutch_day(on)))
        for sid in staff_ids:
            result.setdefault(sid, []).append(reason)
    if role is None:
        return result
    if device_type is None:
        reason = Reason(SOURCE, "device_type_required", "This activity needs a device type to check competence.", False)
        for sid in staff_ids:
            result.setdefault(sid, []).append(reason)
        return result
    risk_class, override, policy = decision_context(device_type.id, on)
    records, notices = competent_records(staff_ids, device_type.id, role, on, risk_class, policy, override)
    # Set-based: the findings depend on nothing but a person's records (the type, role, day,
    # policy and notices are the same for all), so people with the same records (most often
    # none) share one worded answer; Reasons are frozen.
    by_records: dict[tuple, list[Reason]] = {}
    for sid in staff_ids:
        key = tuple(records[sid])
        reasons = by_records.get(key)
        if reasons is None:
            findings = rules.competence_findings(risk_class, role, key, on, policy=policy,
                                                 override=override, safety_notices=notices)
            reasons = by_records[key] = [
                Reason(SOURCE, f.code, f"{f.message} (role {role})", f.ok,
                       message_nl=f"{f.message_nl} (rol {rules.ROLE_NL.get(role, role)})" if f.message_nl else None)
                for f in findings]
        result.setdefault(sid, []).extend(reasons)
    return result


# -- release -----------------------------------------------------------------

def count_competent(device_type: DeviceType, role: str, on: dt.date) -> int:
    risk_class, override, policy = decision_context(device_type.id, on)
    if risk_class is None:
        return 0
    ids = list(db.session.scalars(select(Competence.staff_id).distinct().join(Staff, Staff.id == Competence.staff_id)
                                  .where(Competence.device_type_id == device_type.id, Competence.role == role,
                                         Staff.active.is_(True))))
    if not ids:
        return 0
    records, notices = competent_records(ids, device_type.id, role, on, risk_class, policy, override)
    return sum(1 for sid in ids if any(f.ok for f in rules.competence_findings(
        risk_class, role, records[sid], on, policy=policy, override=override, safety_notices=notices)))


def approvals_on(screening_id: int, on: dt.date) -> set[str]:
    """The kinds approved for this screening by ``on``: approvals belong to their screening."""
    return set(db.session.scalars(select(Approval.kind).where(
        Approval.screening_id == screening_id, Approval.date <= on)))


def release_missing(device_type: DeviceType, on: dt.date) -> list[dict]:
    screening = latest_screening(device_type.id, on)
    kinds = approvals_on(screening.id, on) if screening is not None else set()
    missing = rules.release_missing(
        has_screening=screening is not None,
        pri_required=bool(screening and screening.pri_required),
        has_pri_approval="pri" in kinds,
        has_technical_approval="technical" in kinds,
        has_clinical_approval="clinical" in kinds,
        competent_technicians=count_competent(device_type, "technician", on),
        competent_users=count_competent(device_type, "user", on),
    )
    return [{"code": m.code, "message": m.message, "message_nl": m.message_nl} for m in missing]


def release(device_type: DeviceType, on: dt.date, user_id: int | None = None) -> list[dict]:
    """Vrijgave on ``on``: phase 6 from that date, recorded with the screening it was given on.

    A type already released is re-released the same way (after a re-screening
    that requires a PRI or raised the class).
    """
    from core.devices.services import record_release

    missing = release_missing(device_type, on)
    if not missing:
        record_release(device_type, on)
        screening = latest_screening(device_type.id, on)
        db.session.add(Release(device_type_id=device_type.id, released_on=on, screening_id=screening.id,
                               created_by=user_id))
        db.session.flush()
    return missing


def approval_activities(kind: str) -> list:
    """The TVB activities whose ``requirements.leidraad.approval`` names ``kind``: their B authorises it."""
    from core.tvb.models import Activity

    return [a for a in db.session.scalars(select(Activity).order_by(Activity.name))
            if ((a.requirements or {}).get("leidraad") or {}).get("approval") == kind]


APPROVAL_KINDS_NL = {"technical": "technische ", "clinical": "klinische ", "pri": "PRI-"}


def approval_activity_check(kind: str, staff_id: int, device_type: DeviceType, on: dt.date) -> FieldMessage | None:
    """An approval counts only from someone with B, on its date, for an activity whose
    ``requirements.leidraad.approval`` names its kind (TVB matrix).

    Without such an activity nobody may approve: an unconfigured matrix never
    means that everybody may (Leidraad Medische Technologie 2026: taken,
    verantwoordelijkheden en bevoegdheden worden vastgelegd in een TVB-matrix).
    """
    activities = approval_activities(kind)
    if not activities:
        return FieldMessage(f"No TVB activity authorises '{kind}' approvals (requirements.leidraad.approval): "
                            "nobody may give one until the TVB matrix says who.",
                            f"Geen activiteit van de TVB-matrix machtigt tot {APPROVAL_KINDS_NL.get(kind, kind)}"
                            "goedkeuringen: niemand mag er een geven tot de TVB-matrix zegt wie.")
    if staff_id in authorised_approvers(activities, [staff_id], device_type, on):
        return None
    names = ", ".join(f"'{a.name}'" for a in activities)
    return FieldMessage(f"This person holds no role with B for {names} on {on.isoformat()}.",
                        f"Deze persoon heeft op {dutch_day(on)} geen rol met B voor {names}.")


def authorised_approvers(activities: list, staff_ids: list[int], device_type: DeviceType, on: dt.date) -> set[int]:
    """Those of ``staff_ids`` with B on ``on`` for one of the approving ``activities``, for this type
    (the cell may be scoped to the type or its technology group)."""
    from core.decision.services import tvb_reasons

    found: set[int] = set()
    for activity in activities:
        reasons = tvb_reasons(list(staff_ids), activity, device_type, on)
        found.update(sid for sid in staff_ids if all(r.ok for r in reasons[sid]))
    return found


def eligible_approvers(kind: str, device_type: DeviceType, on: dt.date, limit: int = 50) -> list[Staff]:
    """The active people who may give an approval of ``kind`` for this type on ``on``, by name.

    Those holding a role with B for an approving activity (``core.decision.services.candidates``),
    confirmed by the check ``add_approval`` makes (``authorised_approvers``), for all at once.
    """
    from core.decision.services import candidates

    activities = approval_activities(kind)
    ids: set[int] = set()
    for activity in activities:
        ids.update(candidates(activity, device_type, on))
    if not ids:
        return []
    allowed = authorised_approvers(activities, sorted(ids), device_type, on)
    if not allowed:
        return []
    return list(db.session.scalars(select(Staff).where(Staff.id.in_(allowed), Staff.active.is_(True))
                                   .order_by(Staff.name, Staff.id).limit(limit)))


def approvals_of(device_type_id: int) -> list[tuple[Approval, str | None]]:
    """A device type's approvals with the approver's name, newest first."""
    return [tuple(row) for row in db.session.execute(
        select(Approval, Staff.name).outerjoin(Staff, Staff.id == Approval.staff_id)
        .where(Approval.device_type_id == device_type_id)
        .order_by(Approval.date.desc(), Approval.id.desc()))]


def add_approval(device_type: DeviceType, data: dict) -> Approval:
    """Record an approval (technical, clinical or the PRI) for the screening in force on its date."""
    if db.session.get(Staff, data["staff_id"]) is None:
        raise Invalid({"staff_id": [FieldMessage(f"No staff with id {data['staff_id']}.",
                                                 f"Geen medewerker met id {data['staff_id']}.")]})
    screening = latest_screening(device_type.id, data["date"])
    if screening is None:
        raise Invalid({"date": [FieldMessage(
            "No risk screening on or before this date: an approval is given for a screening.",
            "Geen risicoscreening op of vóór deze datum: een goedkeuring hoort bij een screening.")]})
    problem = approval_activity_check(data["kind"], data["staff_id"], device_type, data["date"])
    if problem:
        raise Invalid({"staff_id": [problem]})
    approval = Approval(device_type_id=device_type.id, screening_id=screening.id, **data)
    db.session.add(approval)
    db.session.flush()
    return approval
