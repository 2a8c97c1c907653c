"""can_perform(person, activity, device type, date): the heart of the product (README, "Using the API").

Allowed only if (a) a role the person holds on that date has **B** for the
activity in a scope that covers the device type, and (b) every enabled
plugin's conditions hold. Every answer carries its reasons, for a yes as well
as a no. Everything is decided for many people at once: one query for the
TVB part and one call per plugin, whatever the number of people.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from sqlalchemy import Date, Text, and_, bindparam, cast, func, or_, select

from core.contract import Decision, Reason  # noqa: F401 - re-exported for older imports
from core import constants
from core.constants import cached
from core.dates import dutch_day
from core.dataio.models import StaffDeparture
from core.devices.models import DECOMMISSIONED_PHASE, USE_PHASE, DeviceType, DeviceTypePhase, TechnologyGroup
from core.errors import FieldMessage, Invalid, NotFound
from core.extensions import db, dialect_name, execute_core, id_in, id_params
from core.plugins_runtime import can_perform_conditions, requirement_schemas
from core.staff.models import Staff
from core.tvb.history import cell_version_on, requirements_on_statement
from core.tvb.models import Activity, Assignment, CellVersion, Role
from core.tvb.services import valid_on


@dataclass(frozen=True)
class ActivityAsOf:
    """An activity with the requirements it had on the day decided (what plugins are given)."""

    id: int
    name: str
    level: str
    lifecycle_phase: int | None
    requirements: dict

    @classmethod
    def of(cls, activity: Activity, requirements: dict) -> ActivityAsOf:
        return cls(activity.id, activity.name, activity.level, activity.lifecycle_phase, requirements)


def _covers(device_type_id, technology_group_id):
    """Cell versions whose scope covers a device type (given as values or bind parameters);
    without a type (None), only unscoped cells."""
    cell = CellVersion
    if device_type_id is None:
        return and_(cell.technology_group_id.is_(None), cell.device_type_id.is_(None))
    return and_(
        or_(cell.device_type_id.is_(None), cell.device_type_id == device_type_id),
        or_(cell.technology_group_id.is_(None), cell.technology_group_id == technology_group_id),
    )


def _scope_covers(device_type: DeviceType | None):
    """Cell versions whose scope covers the device type; without one, only unscoped cells."""
    if device_type is None:
        return _covers(None, None)
    return _covers(device_type.id, device_type.technology_group_id)


def _tvb_select(with_device_type: bool):
    """Each person with the roles they hold on ``on`` whose cells for the activity cover the type.

    One round trip for every core condition: a LEFT JOIN from staff keeps a
    person who holds no such role, with their ``active`` flag, start and
    leaving dates, and every row carries the activity's requirements as they
    stood on ``on``. Cells are read from their dated versions, so a change
    made later does not alter the answer. Built once with bind parameters:
    can_perform is called thousands of times, and building the expression
    costs more than running it.
    """
    on = bindparam("on", type_=Date)
    cell = CellVersion
    # Flat LEFT JOINs, every condition in its ON: a nested "(assignment JOIN cell)"
    # on the right would be materialised whole by SQLite. A row without a cell
    # (no role, or a role without this activity) has no role name.
    return (select(*_tvb_columns(on))
            .outerjoin(StaffDeparture, StaffDeparture.staff_id == Staff.id)
            .outerjoin(Assignment, and_(Assignment.staff_id == Staff.id, valid_on(on)))
            .outerjoin(cell, and_(cell.role_id == Assignment.role_id, cell.activity_id == bindparam("activity_id"),
                                  cell_version_on(on), _bound_scope(with_device_type)))
            .outerjoin(Role, Role.id == cell.role_id)
            .outerjoin(TechnologyGroup, TechnologyGroup.id == cell.technology_group_id))


def _tvb_columns(on) -> tuple:
    """A TVB row: the person, the role's name and the cell's letters and scope, the employment
    dates, and the activity's requirements on ``on`` (as text, parsed once by ``decide_many``:
    the driver would parse the same JSON on every row)."""
    cell = CellVersion
    requirements = cast(requirements_on_statement(bindparam("activity_id"), on), Text)
    return (Staff.id, Staff.active, Role.name, cell.letters, TechnologyGroup.code, cell.device_type_id,
            Staff.start_date, StaffDeparture.left_on, requirements)


def _bound_scope(with_device_type: bool):
    """``_covers`` with the device type bound (``device_type_id``, ``tg_id``)."""
    if not with_device_type:
        return _covers(None, None)
    return _covers(bindparam("device_type_id"), bindparam("tg_id"))


# The columns of a TVB row (``_tvb_select``) that are read by position.
_REQUIREMENTS = 8


@cache
def _holders_select(with_device_type: bool):
    """The TVB rows (as ``_tvb_select``, with name and employee number) of everyone holding, on
    ``on``, a role with a cell for the activity that covers the type: walked from the activity's
    few cells to their roles' assignments to the people, so the candidates and their rows are
    one pass (a person's roles without such a cell say nothing about the activity)."""
    on = bindparam("on", type_=Date)
    cell = CellVersion
    return (select(*_tvb_columns(on), Staff.name, Staff.employee_number)
            .select_from(cell)
            .join(Assignment, and_(Assignment.role_id == cell.role_id, valid_on(on)))
            .join(Staff, Staff.id == Assignment.staff_id)
            .join(Role, Role.id == cell.role_id)
            .outerjoin(StaffDeparture, StaffDeparture.staff_id == Staff.id)
            .outerjoin(TechnologyGroup, TechnologyGroup.id == cell.technology_group_id)
            .where(cell.activity_id == bindparam("activity_id"), cell_version_on(on), _bound_scope(with_device_type)))


@cache
def _tvb_statement(with_device_type: bool, dialect: str, one: bool = False):
    """``_tvb_select`` for the people bound as ``staff_ids``."""
    return _tvb_select(with_device_type).where(id_in(Staff.id, "staff_ids", dialect, one))


def _tvb_params(activity: Activity, device_type: DeviceType | None, on: dt.date) -> dict:
    params = {"activity_id": activity.id, "on": on}
    if device_type is not None:
        params.update(device_type_id=device_type.id, tg_id=device_type.technology_group_id)
    return params


def _scope_text(cell_tg: int | None, cell_dt: int | None, device_type: DeviceType | None) -> str:
    if cell_dt is not None:
        return f"device type {device_type.manufacturer} {device_type.model}"
    if cell_tg is not None:
        return f"technology group {cell_tg}"
    return "all technology"


def _scope_text_nl(cell_tg: int | None, cell_dt: int | None, device_type: DeviceType | None) -> str:
    if cell_dt is not None:
        return f"apparaattype {device_type.manufacturer} {device_type.model}"
    if cell_tg is not None:
        return f"technologiegroep {cell_tg}"
    return "alle technologie"


def _joined(pairs: list[tuple[str, str]]) -> tuple[str, str]:
    """The English and the Dutch findings, each sorted and joined (a role found twice once)."""
    return "; ".join(sorted({e for e, _n in pairs})), "; ".join(sorted({n for _e, n in pairs}))


def _tvb_rows(staff_ids: list[int], activity: Activity, device_type: DeviceType | None, on: dt.date):
    params = {**id_params("staff_ids", staff_ids), **_tvb_params(activity, device_type, on)}
    statement = _tvb_statement(device_type is not None, dialect_name(), len(params["staff_ids"]) == 1)
    return execute_core(statement, params).all()


def tvb_reasons(staff_ids: list[int], activity: Activity, device_type: DeviceType | None,
                on: dt.date, rows=None) -> dict[int, list[Reason]]:
    """Condition (a): the roles held on ``on`` whose cells cover the device type.

    Set-based: a cell's finding is worded once, and people holding the same cells
    share one ``Reason`` (frozen), so a thousand candidates cost a few texts.
    """
    rows = _tvb_rows(staff_ids, activity, device_type, on) if rows is None else rows
    texts: dict[tuple, tuple[bool, str, str]] = {}
    held: dict[int, list[tuple[bool, str, str]]] = {}
    for staff_id, _active, role, letters, tg_code, cell_dt, *_ in rows:
        if role is None:
            continue
        key = (role, letters, tg_code, cell_dt)
        text = texts.get(key)
        if text is None:
            where = _scope_text(tg_code, cell_dt, device_type)
            where_nl = _scope_text_nl(tg_code, cell_dt, device_type)
            if "B" in letters:
                text = (True, f"role '{role}' has B for '{activity.name}' ({where})",
                        f"rol '{role}' heeft B voor '{activity.name}' ({where_nl})")
            else:
                text = (False, f"role '{role}' has only {', '.join(letters)} ({where})",
                        f"rol '{role}' heeft alleen {', '.join(letters)} ({where_nl})")
            texts[key] = text
        held.setdefault(staff_id, []).append(text)
    reasons: dict[tuple, Reason] = {}
    none_held = None
    result = {}
    for staff_id in staff_ids:
        found = held.get(staff_id)
        if found is None:
            if none_held is None:
                none_held = Reason("core", "not_authorised",
                                   f"Holds no role with B for '{activity.name}' covering this technology "
                                   f"on {on.isoformat()}.", False,
                                   message_nl=f"Heeft op {dutch_day(on)} geen rol met B voor "
                                              f"'{activity.name}' die deze techniek dekt.")
            result[staff_id] = [none_held]
            continue
        # sorted: the same cells give the same words in every process
        key = (found[0],) if len(found) == 1 else tuple(sorted(set(found)))
        reason = reasons.get(key)
        if reason is None:
            granted = [(e, n) for b, e, n in key if b]
            if granted:
                english, dutch = _joined(granted)
                reason = Reason("core", "authorised", f"Bevoegd: {english}.", True, message_nl=f"Bevoegd: {dutch}.")
            else:
                english, dutch = _joined([(e, n) for _b, e, n in key])
                reason = Reason("core", "not_authorised",
                                f"No B (bevoegdheid) for '{activity.name}' on {on.isoformat()}: {english}.",
                                False, message_nl=f"Geen B (bevoegdheid) voor '{activity.name}' op "
                                                  f"{dutch_day(on)}: {dutch}.")
            reasons[key] = reason
        result[staff_id] = [reason]
    return result


def active_reasons(rows, on: dt.date, today: dt.date) -> dict[int, list[Reason]]:
    """A person marked inactive does no work from today on; the past stands as it was."""
    if on < today:
        return {}
    inactive = {staff_id for staff_id, active, *_ in rows if not active}
    if not inactive:
        return {}
    reason = Reason("core", "staff_inactive", "This person is no longer active.", False,
                    message_nl="Deze persoon is niet meer actief.")
    return {sid: [reason] for sid in inactive}


def employment_reasons(rows, on: dt.date) -> dict[int, list[Reason]]:
    """Employed on ``on``: from the start date, until the leaving date (uit dienst) excluded.

    Both are facts with their own dates: a leaving date entered today with a
    day in the past governs every answer from that day, whatever day it was
    recorded (the audit trail shows when).
    """
    result: dict[int, list[Reason]] = {}
    for staff_id, _active, _role, _letters, _tg, _dt, start_date, left_on, *_ in rows:
        if staff_id in result:
            continue
        if start_date is not None and on < start_date:
            result[staff_id] = [Reason("core", "not_yet_employed",
                                       f"Not yet employed on {on.isoformat()}: starts on {start_date.isoformat()}.",
                                       False, message_nl=f"Op {dutch_day(on)} nog niet in dienst: begint op "
                                                         f"{dutch_day(start_date)}.")]
        elif left_on is not None and on >= left_on:
            result[staff_id] = [Reason("core", "staff_left",
                                       f"Left the hospital on {left_on.isoformat()} (uit dienst).", False,
                                       message_nl=f"Uit dienst sinds {dutch_day(left_on)}.")]
    return result


def unchecked_requirements(requirements: dict | None, on: dt.date) -> list[Reason]:
    """Fail closed: a requirement no enabled plugin can check refuses, never widens.

    An activity's ``requirements`` are keyed by the plugin that checks them;
    with that plugin disabled or uninstalled nobody can say the requirement
    holds, so the answer is no, naming the requirement.
    """
    if requirements is None:
        return [Reason("core", "activity_not_defined",
                       f"The activity did not exist on {on.isoformat()}.", False,
                       message_nl=f"De activiteit bestond op {dutch_day(on)} nog niet.")]
    checkable = requirement_schemas()
    return [Reason("core", "requirement_unchecked",
                   f"Requirement '{key}' cannot be checked: no enabled plugin checks it.", False,
                   message_nl=f"De eis '{key}' kan niet worden gecontroleerd: geen ingeschakelde module "
                              "controleert haar.")
            for key in sorted(requirements) if key not in checkable]


@cache
def _phase_statement():
    """The device type's phase on ``on``: the row recorded last among those in force by then."""
    device_type_id = bindparam("device_type_id")
    phase = (select(DeviceTypePhase.phase)
             .where(DeviceTypePhase.device_type_id == device_type_id,
                    DeviceTypePhase.valid_from <= bindparam("on", type_=Date))
             .order_by(DeviceTypePhase.id.desc()).limit(1).scalar_subquery())
    return select(phase.label("phase"))


@cache
def _phases_statement():
    """Every device type's phase on ``on`` (``_phase_statement`` for all types at once): of the
    rows in force by then, the one recorded last."""
    last = (select(func.max(DeviceTypePhase.id))
            .where(DeviceTypePhase.valid_from <= bindparam("on", type_=Date))
            .group_by(DeviceTypePhase.device_type_id))
    return select(DeviceTypePhase.device_type_id, DeviceTypePhase.phase).where(DeviceTypePhase.id.in_(last))


def phase_on(device_type_id: int, on: dt.date) -> int | None:
    """The device type's lifecycle phase on ``on`` (None: none recorded by then)."""
    every = constants.for_all_today("device_type_phases", on, lambda: dict(
        execute_core(_phases_statement(), {"on": on}).all()))
    if every is not None:
        return every.get(device_type_id)
    return cached("device_type_phase", (device_type_id, on), lambda: execute_core(
        _phase_statement(), {"device_type_id": device_type_id, "on": on}).scalar())


def lifecycle_reasons(staff_ids: list[int], activity: Activity, device_type: DeviceType | None,
                      on: dt.date) -> dict[int, list[Reason]]:
    """Use-phase work is refused on a type that was not in use (phase 6) on the day.

    Leidraad Medische Technologie 2026, levensloop: technology is used in phase 6
    (gebruik en instandhouding) only, after the release of phase 5; phase 7 is
    buitengebruikstellen. Read from the dated phase history, so a past day is
    decided as it stood, and in the core, so it holds with every plugin disabled.
    Activities of another phase (a decommissioning, a release) are not use.
    """
    if device_type is None or activity.lifecycle_phase not in (None, USE_PHASE):
        return {}
    # Fail closed: a type without a phase recorded on or before the day was not in use then,
    # whatever its current phase says (rows written around the ORM get their history from
    # ``core.devices.services.backfill_phases``).
    phase = phase_on(device_type.id, on)
    if phase == USE_PHASE:
        return {}
    if phase == DECOMMISSIONED_PHASE:
        reason = Reason("core", "decommissioned", f"The device type was taken out of use (phase 7, "
                        f"buitengebruikstelling) on or before {on.isoformat()}.", False,
                        message_nl=f"Het apparaattype is op of vóór {dutch_day(on)} buiten gebruik gesteld "
                                   "(fase 7, buitengebruikstelling).")
    else:
        shown = f"phase {phase}" if phase is not None else "no phase recorded on or before that day"
        shown_nl = f"fase {phase}" if phase is not None else "geen fase vastgelegd op of vóór die dag"
        reason = Reason("core", "not_in_use", f"The device type was not in use (phase 6) on {on.isoformat()}: "
                        f"{shown}.", False,
                        message_nl=f"Het apparaattype was op {dutch_day(on)} niet in gebruik (fase 6): {shown_nl}.")
    return {sid: [reason] for sid in staff_ids}


def decide_many(staff_ids: list[int], activity: Activity, device_type: DeviceType | None,
                on: dt.date, rows=None) -> dict[int, Decision]:
    """Everyone's decision at once; ``rows``: their TVB rows when the caller read them already."""
    decisions = {sid: Decision(sid) for sid in staff_ids}
    if not staff_ids:
        return decisions
    rows = _tvb_rows(staff_ids, activity, device_type, on) if rows is None else rows
    requirements = (json.loads(rows[0][_REQUIREMENTS]) if rows and rows[0][_REQUIREMENTS] is not None
                    else None)
    as_of = ActivityAsOf.of(activity, requirements or {})
    unchecked = unchecked_requirements(requirements, on)
    sources = [tvb_reasons(staff_ids, activity, device_type, on, rows),
               active_reasons(rows, on, dt.date.today()),
               employment_reasons(rows, on),
               lifecycle_reasons(staff_ids, as_of, device_type, on),
               {sid: list(unchecked) for sid in staff_ids} if unchecked else {},
               _plugin_reasons(staff_ids, as_of, device_type, on)]
    for source in sources:
        for staff_id, reasons in source.items():
            if staff_id in decisions:
                decisions[staff_id].reasons.extend(reasons)
    return decisions


def _plugin_reasons(staff_ids, activity, device_type, on) -> dict[int, list[Reason]]:
    result = {}
    for staff_id, reasons in can_perform_conditions(staff_ids, activity, device_type, on).items():
        result[staff_id] = [r if isinstance(r, Reason) else Reason(**r) for r in reasons]
    return result


def can_perform(staff_id: int, activity: Activity, device_type: DeviceType | None, on: dt.date) -> Decision:
    return decide_many([staff_id], activity, device_type, on)[staff_id]


def _candidates_select(activity: Activity, device_type: DeviceType | None, on: dt.date, b_only: bool):
    stmt = (select(Assignment.staff_id)
            .join(CellVersion, and_(CellVersion.role_id == Assignment.role_id, CellVersion.activity_id == activity.id,
                                    cell_version_on(on)))
            .where(valid_on(on), _scope_covers(device_type)))
    return stmt.where(CellVersion.letters.contains("B")) if b_only else stmt


def candidates(activity: Activity, device_type: DeviceType | None, on: dt.date, *,
               b_only: bool = True) -> list[int]:
    """Everyone holding, on ``on``, a role with B for the activity in a covering scope.

    With ``b_only`` false, also those whose role has only T or V there (they
    are refused, and the inspector sees why).
    """
    stmt = _candidates_select(activity, device_type, on, b_only).distinct()
    return list(db.session.scalars(stmt.order_by(Assignment.staff_id)))


class Person(NamedTuple):
    id: int
    name: str
    employee_number: str | None


def authorised_staff(user, activity: Activity, device_type: DeviceType | None, on: dt.date,
                     include_refused: bool) -> list[tuple]:
    """Who was allowed to perform ``activity`` on ``device_type`` on ``on``, among the people ``user``
    may see: the inspector's question, for the API and the page alike.

    Without ``include_refused`` only the allowed; with it also everyone whose role
    on that day had only T or V there, or whom a condition refused, with the reasons.
    Allowed first, then by name. Reading them is noted in the access log. Each row is
    (person, decision), the person a row with ``id``, ``name`` and ``employee_number``.

    The candidates, the viewer's scope, the names and the TVB rows come from one
    statement walked from the activity's few cells to their roles' assignments to the
    people (``_holders_select``). Binding a thousand candidates' ids made PostgreSQL scan
    every staff member and every assignment; selecting the candidates and then their rows
    walked the assignments twice (benchmarks/RESULTS.md, "Under load": 6.3 -> 3.1 ms).
    """
    from core.audit import access
    from core.auth.permissions import staff_clause

    clause = staff_clause(user)
    statement = _holders_select(device_type is not None)
    rows = execute_core(statement.where(clause) if clause is not None else statement,
                        _tvb_params(activity, device_type, on)).all()
    if not include_refused:  # the candidates: a role with B there (those with only T or V are not asked)
        with_b = {row[0] for row in rows if "B" in row[3]}
        rows = [row for row in rows if row[0] in with_b]
    people = {row[0]: row for row in rows}  # a person's name and number: the last two columns
    decisions = decide_many(sorted(people), activity, device_type, on, rows)
    allowed = {sid: decision.allowed for sid, decision in decisions.items()}
    shown = sorted((sid for sid in decisions if allowed[sid] or include_refused),
                   key=lambda sid: (not allowed[sid], people[sid][-2]))
    rows = [(Person(sid, people[sid][-2], people[sid][-1]), decisions[sid]) for sid in shown]
    access.note(people=len(rows), subject=f"bulk: authorised staff, {len(rows)} people")
    return rows


def _get(model, pk: int, snapshot: bool):
    """The row by primary key; ``snapshot``: the request-cached read-only copy (``core.constants.row``)
    that the decision endpoints read, which need no ORM object."""
    return constants.row(model, pk) if snapshot else db.session.get(model, pk)


def device_type_or_not_found(device_type_id: int, *, snapshot: bool = False) -> DeviceType:
    device_type = _get(DeviceType, device_type_id, snapshot)
    if device_type is None:
        raise NotFound(f"No device type with id {device_type_id}.",
                       message_nl=f"Geen type hulpmiddel met id {device_type_id}.")
    return device_type


def activity_or_invalid(activity_id: int | None, *, snapshot: bool = False) -> Activity:
    activity = _get(Activity, activity_id, snapshot) if activity_id is not None else None
    if activity is None:
        raise Invalid({"activity_id": [FieldMessage(f"No activity with id {activity_id}.",
                                                    f"Geen activiteit met id {activity_id}.")
                                       if activity_id is not None
                                       else FieldMessage("Choose an activity.", "Kies een activiteit.")]},
                      message_nl="Kies een activiteit.")
    return activity


def device_type_or_invalid(device_type_id: int, *, snapshot: bool = False) -> DeviceType:
    device_type = _get(DeviceType, device_type_id, snapshot)
    if device_type is None:
        raise Invalid({"device_type_id": [FieldMessage(f"No device type with id {device_type_id}.",
                                                       f"Geen type hulpmiddel met id {device_type_id}.")]},
                      message_nl=f"Geen type hulpmiddel met id {device_type_id}.")
    return device_type
