"""Operations of the big_kt plugin: read and change data, flush, never commit.

The rules themselves live in ``rules.py``; this module turns rows into the
rules' plain values, set-based (one query per table for any number of people).
Nothing here logs a BIG number.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, or_, select

from core.contract import AlertEvent
from core.competence.models import Competence
from core.contract import Reason
from core.dates import dutch_day
from core.errors import Conflict, FieldMessage, Invalid
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity, Assignment, Cell, Role
from plugins.big_kt import rules
from plugins.big_kt.models import (KtQualityActivity, KtQualityEntry, KtRegistration, KtStaffSubdomain,
                                   KtStatusChange, KtSubdomain, KtVerification, KtWorkHours)
from plugins.big_kt.register import BigRegisterClient, RegisterError, compare

log = logging.getLogger(__name__)

SOURCE = "big_kt"
STATUS_FIELDS = ("status", "restriction", "restriction_from", "restriction_until", "restricted_procedures")


# ---------------------------------------------------------------- configuration


def reregistration_config() -> rules.ReregistrationConfig:
    """Besluit periodieke registratie Wet BIG: effective date and norm are configuration, not code."""
    cfg, default = current_app.config, rules.DEFAULT_CONFIG
    effective = cfg.get("BIG_REREGISTRATION_EFFECTIVE_DATE") or default.effective_date
    if isinstance(effective, str):
        effective = dt.date.fromisoformat(effective)
    hours = Decimal(str(cfg.get("BIG_REREGISTRATION_HOURS") or default.hours_norm))
    warn = cfg.get("BIG_WARN_MONTHS") or default.warn_months
    if isinstance(warn, str):  # "12,6" from an environment variable
        warn = [part for part in warn.split(",") if part.strip()]
    warn = tuple(int(m) for m in warn)
    return rules.ReregistrationConfig(effective_date=effective, hours_norm=hours,
                                      period_years=default.period_years, warn_months=warn)


def register_client() -> BigRegisterClient:
    cfg = current_app.config
    return BigRegisterClient(cfg["BEKWAAM_BIG_REGISTER_URL"], timeout=float(cfg.get("BEKWAAM_BIG_REGISTER_TIMEOUT", 10)))


# ------------------------------------------------------------ registration as of


def _as_rule(row: KtRegistration, change: KtStatusChange | None) -> rules.Registration:
    """The entry as it stood when ``change`` was the status in force."""
    return rules.Registration(
        big_number=row.big_number,
        registered_on=row.registered_on,
        status=change.status if change else "registered",
        restriction=change.restriction if change else None,
        restriction_from=change.restriction_from if change else None,
        restriction_until=change.restriction_until if change else None,
        restricted_procedures=frozenset(change.restricted_procedures or ()) if change else frozenset(),
        diploma_on=row.diploma_on,
        institution=row.institution,
        track=row.track,
        foreign_diploma=row.foreign_diploma,
        recognition_decision=row.recognition_decision,
        language_proof=row.language_proof,
        recognition_outcome=row.recognition_outcome,
        recognition_decided_on=row.recognition_decided_on,
    )


def standing(staff_ids: list[int] | None, on: dt.date) -> dict[int, tuple[rules.Registration, KtStatusChange | None]]:
    """Each registered person's entry as it stood on ``on`` (two queries, any number of people).

    The status is the history row with the latest ``effective_on`` not after
    ``on``; before the first one the entry counts as plainly registered.
    """
    stmt = select(KtRegistration)
    changes = select(KtStatusChange).where(KtStatusChange.effective_on <= on)
    if staff_ids is not None:
        stmt = stmt.where(KtRegistration.staff_id.in_(staff_ids))
        changes = changes.where(KtStatusChange.staff_id.in_(staff_ids))
    rows = {row.staff_id: row for row in db.session.scalars(stmt)}
    if not rows:
        return {}
    latest: dict[int, KtStatusChange] = {}
    for change in db.session.scalars(changes.order_by(KtStatusChange.staff_id, KtStatusChange.effective_on,
                                                      KtStatusChange.id)):
        latest[change.staff_id] = change
    return {sid: (_as_rule(row, latest.get(sid)), latest.get(sid)) for sid, row in rows.items()}


def registrations_on(staff_ids: list[int] | None, on: dt.date) -> dict[int, rules.Registration]:
    return {sid: reg for sid, (reg, _) in standing(staff_ids, on).items()}


def get_registration(staff_id: int) -> KtRegistration | None:
    return db.session.scalar(select(KtRegistration).where(KtRegistration.staff_id == staff_id))


def history(staff_id: int) -> list[KtStatusChange]:
    return list(db.session.scalars(select(KtStatusChange).where(KtStatusChange.staff_id == staff_id)
                                   .order_by(KtStatusChange.effective_on, KtStatusChange.id)))


def _status_key(source) -> tuple:
    return tuple(sorted(v) if k == "restricted_procedures" else v
                 for k, v in ((k, getattr(source, k) if not isinstance(source, dict) else source[k])
                              for k in STATUS_FIELDS))


def put_registration(staff_id: int, data: dict, today: dt.date) -> KtRegistration:
    """Create or replace the entry; a changed status or restriction is added to the history."""
    data = dict(data)
    status_since = data.pop("status_since", None)
    data["restricted_procedures"] = sorted(set(data.get("restricted_procedures") or ()))
    candidate = rules.Registration(**{k: v for k, v in data.items() if k != "restricted_procedures"},
                                   restricted_procedures=frozenset(data["restricted_procedures"]))
    errors = rules.registration_errors(candidate, today, reregistration_config())
    row = get_registration(staff_id)
    last = None if row is None else db.session.scalar(
        select(KtStatusChange).where(KtStatusChange.staff_id == staff_id)
        .order_by(KtStatusChange.effective_on.desc(), KtStatusChange.id.desc()).limit(1))
    changed = last is None or _status_key(last) != _status_key(data)
    since = None
    if changed:
        # valid time: the change holds from its own date, whenever it is recorded
        since = rules.status_since_default(candidate, status_since, last is None)
        for key, messages in rules.status_change_errors(candidate, since, last and last.effective_on).items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise Invalid(errors)
    taken = db.session.scalar(select(KtRegistration.id).where(
        KtRegistration.big_number == data["big_number"], KtRegistration.staff_id != staff_id).limit(1))
    if taken is not None:
        raise Conflict("This BIG number is already registered for another person.",
                       errors={"big_number": [FieldMessage("Already in use.", "Al in gebruik bij een andere persoon.")]})
    if row is None:
        row = KtRegistration(staff_id=staff_id)
        db.session.add(row)
        start = rules.registration_effective_on(candidate)
        if since > start and data["status"] != "registered":
            # the time between registration and this status counts as registered
            db.session.add(KtStatusChange(staff_id=staff_id, status="registered",
                                          effective_on=start, restricted_procedures=[]))
    for key, value in data.items():
        setattr(row, key, value)
    if changed:
        row.status_since = since
        db.session.add(KtStatusChange(staff_id=staff_id, effective_on=since,
                                      **{k: data[k] for k in STATUS_FIELDS}))
    db.session.flush()
    return row


# -------------------------------------------------------------- sub-domains etc.


def subdomain_in_use(subdomain_id: int) -> list[str]:
    """Names of the activities whose requirements name the sub-domain (activities are few)."""
    return sorted(a.name for a in db.session.scalars(select(Activity))
                  if ((a.requirements or {}).get(SOURCE) or {}).get("subdomain_id") == subdomain_id)


LINK_ENDS_BEFORE_START = FieldMessage("The link ends before it starts.", "De koppeling eindigt voordat ze begint.")
OVERLAPS_A_LINK = FieldMessage("Overlaps an existing link.", "Overlapt een bestaande koppeling.")


def _links_overlapping(staff_id: int, subdomain_id: int, valid_from: dt.date, valid_to: dt.date | None,
                       exclude: int | None = None) -> list[KtStaffSubdomain]:
    stmt = select(KtStaffSubdomain).where(KtStaffSubdomain.staff_id == staff_id,
                                          KtStaffSubdomain.subdomain_id == subdomain_id)
    if exclude is not None:
        stmt = stmt.where(KtStaffSubdomain.id != exclude)
    with db.session.no_autoflush:
        return [link for link in db.session.scalars(stmt)
                if rules.periods_overlap(valid_from, valid_to or rules.LATEST_DATE,
                                         link.valid_from, link.valid_to or rules.LATEST_DATE)]


def add_staff_subdomain(staff_id: int, data: dict, today: dt.date) -> KtStaffSubdomain:
    """Link a person to a sub-domain from ``valid_from`` (default today): a link
    added today says nothing about earlier days (Besluit klinisch technoloog,
    art. 5(1): trained in *and working in* the sub-domain on the day)."""
    subdomain_id = data["subdomain_id"]
    valid_from, valid_to = data.get("valid_from") or today, data.get("valid_to")
    if db.session.get(KtSubdomain, subdomain_id) is None:
        raise Invalid({"subdomain_id": [FieldMessage(f"No sub-domain with id {subdomain_id}.",
                                                     f"Geen deelgebied met id {subdomain_id}.")]})
    if valid_to is not None and valid_to < valid_from:
        raise Invalid({"valid_to": [LINK_ENDS_BEFORE_START]})
    clash = _links_overlapping(staff_id, subdomain_id, valid_from, valid_to)
    if clash:
        raise Conflict(f"This person already has this sub-domain over these dates (id {clash[0].id}).",
                       errors={"subdomain_id": [FieldMessage("Already in use.", "Al gekoppeld over deze data.")],
                               "valid_from": [OVERLAPS_A_LINK]})
    link = KtStaffSubdomain(staff_id=staff_id, subdomain_id=subdomain_id, valid_from=valid_from, valid_to=valid_to)
    db.session.add(link)
    db.session.flush()
    return link


def change_staff_subdomain(link: KtStaffSubdomain, data: dict) -> KtStaffSubdomain:
    """Only the end date may change: what held before is history, not rewritten."""
    fixed = {k: [FieldMessage("A link's sub-domain and start are history: end it and add a new link.",
                              "Deelgebied en begin van een koppeling zijn geschiedenis: beëindig haar en voeg een "
                              "nieuwe toe.")]
             for k in ("subdomain_id", "valid_from") if k in data and data[k] != getattr(link, k)}
    if fixed:
        raise Invalid(fixed)
    valid_to = data.get("valid_to", link.valid_to)
    if valid_to is not None and valid_to < link.valid_from:
        raise Invalid({"valid_to": [LINK_ENDS_BEFORE_START]})
    if _links_overlapping(link.staff_id, link.subdomain_id, link.valid_from, valid_to, exclude=link.id):
        raise Conflict("Reopening this link would overlap another link to the same sub-domain.",
                       errors={"valid_to": [OVERLAPS_A_LINK]})
    link.valid_to = valid_to
    db.session.flush()
    return link


def end_staff_subdomain(link: KtStaffSubdomain, today: dt.date) -> None:
    """DELETE ends the link: it held up to yesterday and no longer from today.
    Only a link that would not have held on any past day is removed outright."""
    yesterday = today - dt.timedelta(days=1)
    if link.valid_from > yesterday:
        db.session.delete(link)
    elif link.valid_to is None or link.valid_to > yesterday:
        link.valid_to = yesterday
    db.session.flush()


def check_work_hours(row: KtWorkHours, today: dt.date) -> None:
    """422 naming the fields when the record is impossible or overlaps another of the person's."""
    with db.session.no_autoflush:
        stmt = select(KtWorkHours).where(KtWorkHours.staff_id == row.staff_id)
        if row.id is not None:
            stmt = stmt.where(KtWorkHours.id != row.id)
        others = [rules.WorkHours(o.period_start, o.period_end, o.hours) for o in db.session.scalars(stmt)]
    errors = rules.work_hours_errors(rules.WorkHours(row.period_start, row.period_end, row.hours), today, others)
    if errors:
        raise Invalid(errors)


def check_quality_activity(row: KtQualityActivity, today: dt.date) -> None:
    if row.date > today:
        raise Invalid({"date": [FieldMessage("The activity lies in the future.", "De activiteit ligt in de toekomst.")]})


def put_quality_entry(staff_id: int, entry_date: dt.date) -> KtQualityEntry:
    row = db.session.scalar(select(KtQualityEntry).where(KtQualityEntry.staff_id == staff_id))
    if row is None:
        row = KtQualityEntry(staff_id=staff_id)
        db.session.add(row)
    row.entry_date = entry_date
    db.session.flush()
    return row


# ------------------------------------------------------------------ evaluation


def _work_hours(staff_ids: list[int]) -> dict[int, list[rules.WorkHours]]:
    found: dict[int, list[rules.WorkHours]] = {sid: [] for sid in staff_ids}
    if not staff_ids:
        return found
    for row in db.session.scalars(select(KtWorkHours).where(KtWorkHours.staff_id.in_(staff_ids))):
        found[row.staff_id].append(rules.WorkHours(row.period_start, row.period_end, row.hours))
    return found


def quality(staff_id: int, as_of: dt.date) -> tuple[KtQualityEntry | None, rules.QualityRegisterResult | None]:
    entry = db.session.scalar(select(KtQualityEntry).where(KtQualityEntry.staff_id == staff_id))
    if entry is None or as_of < entry.entry_date:
        return entry, None
    activities = [rules.QualityActivity(a.date, a.points, a.kind) for a in db.session.scalars(
        select(KtQualityActivity).where(KtQualityActivity.staff_id == staff_id))]
    return entry, rules.quality_register(entry.entry_date, activities, as_of)


def _quality_dict(entry: KtQualityEntry | None, result: rules.QualityRegisterResult | None) -> dict | None:
    if entry is None:
        return None
    if result is None:
        return {"entry_date": entry.entry_date.isoformat(), "period_start": None, "due": None, "met": None}
    return {
        "entry_date": entry.entry_date.isoformat(),
        "period_start": result.period_start.isoformat(),
        "due": result.due.isoformat(),
        "points_required": str(result.points_required),
        "a_points_required": str(result.a_points_required),
        "points_done": str(result.points_done),
        "a_points_done": str(result.a_points_done),
        "met": result.met,
    }


def evaluate(staff_id: int, as_of: dt.date) -> dict:
    """``GET /api/v1/big/staff/{id}/evaluation``, plus ``quality_register`` (null when not entered)."""
    config = reregistration_config()
    reg = registrations_on([staff_id], as_of).get(staff_id)
    entry, quality_result = quality(staff_id, as_of)
    result = rules.evaluation(reg, _work_hours([staff_id])[staff_id], as_of, config, quality=quality_result)
    answer = result.as_dict()
    answer["reregistration"]["hours_missing"] = str(result.reregistration.hours_missing)
    answer["quality_register"] = _quality_dict(entry, quality_result)
    return answer


def staff_summary(staff_id: int, on: dt.date) -> dict | None:
    reg = registrations_on([staff_id], on).get(staff_id)
    if reg is None:
        return None
    result = rules.evaluation(reg, _work_hours([staff_id])[staff_id], on, reregistration_config())
    due = result.reregistration.due
    return {"status": result.status, "independent": result.independent, "due": due.isoformat() if due else None}


def reregistration_progress(staff_id: int, on: dt.date):
    """Where the person stands in the running re-registration period (``rules.Reregistration``), or
    None without a registration (Besluit periodieke registratie Wet BIG: hours of patient care)."""
    reg = registrations_on([staff_id], on).get(staff_id)
    if reg is None:
        return None
    return rules.evaluation(reg, _work_hours([staff_id])[staff_id], on, reregistration_config()).reregistration


# ------------------------------------------------------------------ can_perform


def can_perform_conditions(staff_ids: list[int], activity: Activity, on: dt.date) -> dict[int, list[Reason]]:
    """Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog, art. 5 and Wet BIG art. 36, for many people at once: one query per table."""
    requirement = (activity.requirements or {}).get(SOURCE)
    if not requirement or not staff_ids:
        return {}
    registrations = registrations_on(staff_ids, on)
    subdomains: dict[int, set[int]] = {}
    for sid, subdomain_id in db.session.execute(
            select(KtStaffSubdomain.staff_id, KtStaffSubdomain.subdomain_id)
            .where(KtStaffSubdomain.staff_id.in_(staff_ids), KtStaffSubdomain.valid_from <= on,
                   or_(KtStaffSubdomain.valid_to.is_(None), KtStaffSubdomain.valid_to >= on))):
        subdomains.setdefault(sid, set()).add(subdomain_id)
    # Every record for the procedure obtained by the day: the rules decide which
    # counts (signed off, own expiry, current) and say why the others do not.
    competences: dict[int, list[rules.ProcedureCompetence]] = {}
    for sid, obtained, expires, method, assessor in db.session.execute(
            select(Competence.staff_id, Competence.obtained_on, Competence.expires_on, Competence.method,
                   Competence.assessor_id)
            .where(Competence.staff_id.in_(staff_ids), Competence.activity_id == activity.id,
                   Competence.obtained_on <= on)):
        competences.setdefault(sid, []).append(rules.ProcedureCompetence(obtained, expires, method, assessor))
    hours = _work_hours([sid for sid in staff_ids if sid in registrations])
    config = reregistration_config()
    result = {}
    for sid in staff_ids:
        findings = rules.independence_findings(
            registrations.get(sid), on, requirement.get("reserved_procedure") or "",
            subdomains.get(sid, set()), requirement.get("subdomain_id"), requirement.get("protocol"),
            rules.procedure_competence_finding(sid, competences.get(sid, []), on),
            hours.get(sid, []), config)
        result[sid] = [Reason(SOURCE, f.code, f.message, f.ok, message_nl=f.message_nl or None) for f in findings]
    return result


# ---------------------------------------------------------------------- alerts


def alert_events(as_of: dt.date, horizons: list[int]) -> list[AlertEvent]:
    config = reregistration_config()
    people = standing(None, as_of)
    hours = _work_hours(list(people))
    events: list[AlertEvent] = []
    for sid, (reg, change) in sorted(people.items()):
        events.extend(_registration_events(sid, reg, change, hours[sid], as_of, config))
    events.extend(_difference_events())
    events.extend(_competence_events(as_of, horizons))
    return events


def _registration_events(sid, reg, change, hours, as_of, config) -> list[AlertEvent]:
    status = rules.effective_status(reg, as_of)
    if status in ("suspended", "struck_off"):
        since = change.effective_on if change else reg.registered_on
        what = "suspended" if status == "suspended" else "struck off the register"
        what_nl = "geschorst" if status == "suspended" else "doorgehaald"
        return [AlertEvent(SOURCE, "big_registration_inactive", since,
                           f"BIG registration {what} since {since.isoformat()}: reserved procedures "
                           "only under instruction (opdrachtregeling).", staff_id=sid, detail=status,
                           message_nl=f"BIG-inschrijving {what_nl} sinds {dutch_day(since)}: voorbehouden "
                                      "handelingen alleen in opdracht (opdrachtregeling).")]
    if status is None:
        return []
    events = []
    missed = rules.missed_reregistration(reg, hours, as_of, config)
    if missed is not None:
        # One key per missed deadline (due date, no horizon): raised once, from
        # the day after the deadline, however often the job runs.
        events.append(AlertEvent(SOURCE, "big_reregistration_missed", missed.due, missed.message(), staff_id=sid,
                                 message_nl=missed.message_nl()))
    return events + _reregistration_due_events(sid, reg, hours, as_of, config)


def _reregistration_due_events(sid, reg, hours, as_of, config) -> list[AlertEvent]:
    rr = rules.reregistration(reg, hours, as_of, config)
    if not rr.applies or rr.due is None:
        return []
    months = sorted(config.warn_months, reverse=True)
    reached = [(m, day) for m, day in zip(months, rules.reregistration_warning_dates(rr.due, config))
               if day <= as_of < rr.due]
    if not reached:
        return []
    month, warn_day = reached[-1]  # the narrowest horizon reached
    missing = ("all hours done" if rr.hours_missing == 0
               else f"{rules.format_hours(rr.hours_missing)} h of {rules.format_hours(rr.hours_required)} still missing")
    missing_nl = ("alle uren gehaald" if rr.hours_missing == 0
                  else f"nog {rules.format_hours_nl(rr.hours_missing)} van {rules.format_hours_nl(rr.hours_required)} "
                       "uur te gaan")
    return [AlertEvent(SOURCE, "big_reregistration_due", rr.due,
                       f"BIG re-registration due {rr.due.isoformat()} (within {month} months): {missing}.",
                       staff_id=sid, horizon_days=(rr.due - warn_day).days,
                       message_nl=f"BIG-herregistratie uiterlijk {dutch_day(rr.due)} (binnen {month} maanden): "
                                  f"{missing_nl}.")]


def _latest_verifications(outcomes: tuple[str, ...] | None = None) -> dict[int, KtVerification]:
    """The last verification of each person (of the given outcomes): one query."""
    last = select(func.max(KtVerification.id).label("id"))
    if outcomes:
        last = last.where(KtVerification.outcome.in_(outcomes))
    last = last.group_by(KtVerification.staff_id).subquery()
    return {v.staff_id: v for v in db.session.scalars(select(KtVerification).join(last, last.c.id == KtVerification.id))}


def _difference_events() -> list[AlertEvent]:
    """Unresolved differences: the last completed check of a person found some."""
    events = []
    for sid, ver in sorted(_latest_verifications(("ok", "different")).items()):
        if ver.outcome != "different":
            continue
        digest = hashlib.sha256(json.dumps(ver.differences, sort_keys=True).encode()).hexdigest()[:12]
        described = "; ".join(f"{d['field']}: local {d['local'] or '-'}, register {d['remote'] or '-'}"
                              for d in ver.differences)
        events.append(AlertEvent(SOURCE, "big_register_difference", ver.different_since,
                                 f"The public BIG register differs from the local entry: {described}.",
                                 staff_id=sid, detail=digest,
                                 message_nl="Het openbare BIG-register wijkt af van de eigen gegevens: "
                                            + "; ".join(f"{d['field']}: hier {d['local'] or '-'}, register "
                                                        f"{d['remote'] or '-'}" for d in ver.differences) + "."))
    return events


def big_activities() -> dict[int, Activity]:
    return {a.id: a for a in db.session.scalars(select(Activity)) if (a.requirements or {}).get(SOURCE)}


def _competence_events(as_of: dt.date, horizons: list[int]) -> list[AlertEvent]:
    if not horizons:
        return []
    activities = big_activities()
    if not activities:
        return []
    limit = as_of + dt.timedelta(days=max(horizons))
    events = []
    for comp in db.session.scalars(select(Competence).where(
            Competence.activity_id.in_(list(activities)), Competence.expires_on > as_of,
            Competence.expires_on <= limit).order_by(Competence.id)):
        days = (comp.expires_on - as_of).days
        horizon = min(h for h in horizons if days <= h)
        activity = activities[comp.activity_id]
        procedure = activity.requirements[SOURCE].get("reserved_procedure")
        events.append(AlertEvent(SOURCE, "big_procedure_competence_expiring", comp.expires_on,
                                 f"Competence for '{activity.name}' ({procedure}) expires on "
                                 f"{comp.expires_on.isoformat()}.",
                                 message_nl=f"Bekwaamheid voor '{activity.name}' ({rules.procedure_nl(procedure)}) "
                                            f"verloopt op {dutch_day(comp.expires_on)}.",
                                 staff_id=comp.staff_id, horizon_days=horizon, detail=f"competence:{comp.id}"))
    return events


# ---------------------------------------------------------------- verification


def verify_all(today: dt.date | None = None, client: BigRegisterClient | None = None) -> dict:
    """Compare every KT's local entry with the public register and record the outcome.

    A register fault (timeout, empty answer, malformed XML, SOAP fault) is an
    ``error`` outcome for that person; the run goes on with the next.
    """
    today = today or dt.date.today()
    client = client or register_client()
    previous = _latest_verifications(("ok", "different"))
    results = []
    for sid, (reg, _) in sorted(standing(None, today).items()):
        row = KtVerification(staff_id=sid, differences=[])
        try:
            remote = client.lookup(reg.big_number)
        except RegisterError as exc:
            row.outcome, row.message = "error", str(exc)
        except ValueError:
            row.outcome, row.message = "error", "The local BIG number is not 11 digits; not checked."
        else:
            row.differences = [{"field": d.field, "local": d.local, "remote": d.remote}
                               for d in compare(reg, remote, today)]
            row.outcome = "different" if row.differences else "ok"
            if row.differences:
                prev = previous.get(sid)
                same = prev is not None and prev.outcome == "different" and prev.differences == row.differences
                row.different_since = prev.different_since if same else today
        db.session.add(row)
        log.info("BIG register check of staff %s: %s", sid, row.outcome)
        results.append(row)
    db.session.flush()
    counts = {outcome: sum(1 for r in results if r.outcome == outcome) for outcome in ("ok", "different", "error")}
    return {"checked": len(results), **counts, "results": results}


def verifications(staff_id: int) -> list[KtVerification]:
    return list(db.session.scalars(select(KtVerification).where(KtVerification.staff_id == staff_id)
                                   .order_by(KtVerification.checked_at.desc(), KtVerification.id.desc())))


# ------------------------------------------------------------------------ demo

DEMO_SUBDOMAINS = ("Beeldvorming en interventie", "Sensing en stimulatie", "Cardiovasculair", "Neurologie")
DEMO_ACTIVITIES = (
    # name, reserved procedure, sub-domain, protocol
    ("Echogeleide punctie (KT)", "puncture", "Beeldvorming en interventie", "IR-07 Echogeleide punctie"),
    ("Elektieve cardioversie (KT)", "elective_cardioversion", "Cardiovasculair", "CARD-12 Elektieve cardioversie"),
    ("Injectie bij neuromodulatie (KT)", "injection", "Sensing en stimulatie", "NEU-03 Neuromodulatie"),
)


def demo_data(session, today: dt.date) -> None:
    """Three KTs (the last staff rows), sub-domains, reserved-procedure activities and competences."""
    people = list(session.scalars(select(Staff).order_by(Staff.id.desc()).limit(3)))
    if not people:
        return
    people.reverse()
    # the supervising specialist who signs the KTs' competences off: anyone else
    specialist = session.scalar(select(Staff.id).where(Staff.id.not_in([p.id for p in people])).limit(1))
    subdomains = {}
    for name in DEMO_SUBDOMAINS:
        subdomains[name] = session.scalar(select(KtSubdomain).where(KtSubdomain.name == name)) or KtSubdomain(name=name)
        session.add(subdomains[name])
    session.flush()
    role = session.scalar(select(Role).where(Role.name == "Klinisch technoloog")) or Role(
        name="Klinisch technoloog", description="BIG-geregistreerd klinisch technoloog")
    session.add(role)
    activities = []
    for name, procedure, subdomain, protocol in DEMO_ACTIVITIES:
        activity = session.scalar(select(Activity).where(Activity.name == name))
        if activity is None:
            activity = Activity(name=name, level="operational", requirements={SOURCE: {
                "reserved_procedure": procedure, "subdomain_id": subdomains[subdomain].id, "protocol": protocol}})
            session.add(activity)
            session.flush()
            session.add(Cell(role_id=role.id, activity_id=activity.id, letters="B"))
        activities.append((activity, subdomain))
    plans = [  # registered on, diploma, track, status, status since, work hours
        (dt.date(2021, 9, 1), dt.date(2021, 6, 30), "Imaging & Intervention", "registered", None, "3100"),
        (dt.date(2023, 9, 1), dt.date(2023, 7, 14), "Sensing & Stimulation", "registered", None, "950"),
        (dt.date(2020, 7, 1), dt.date(2019, 8, 30), "Imaging & Intervention", "suspended", today - dt.timedelta(days=20), "1200"),
    ]
    for index, (person, plan) in enumerate(zip(people, plans)):
        if session.scalar(select(KtRegistration.id).where(KtRegistration.staff_id == person.id)) is not None:
            continue
        registered_on, diploma_on, track, status, since, hours = plan
        session.add(KtRegistration(
            staff_id=person.id, big_number=f"{79000000000 + person.id * 100 + 1:011d}"[-11:],
            registered_on=registered_on, status=status, status_since=since or registered_on,
            restricted_procedures=[], diploma_on=diploma_on, institution="Universiteit Twente", track=track,
            foreign_diploma=False, language_proof=False))
        session.add(KtStatusChange(staff_id=person.id, status="registered", effective_on=registered_on,
                                   restricted_procedures=[]))
        if since is not None:
            session.add(KtStatusChange(staff_id=person.id, status=status, effective_on=since, restricted_procedures=[]))
        session.add(KtWorkHours(staff_id=person.id, period_start=max(registered_on, dt.date(2023, 3, 1)),
                                period_end=today - dt.timedelta(days=1), hours=Decimal(hours)))
        session.add(Assignment(staff_id=person.id, role_id=role.id, valid_from=registered_on))
        activity, subdomain = activities[index % len(activities)]
        session.add(KtStaffSubdomain(staff_id=person.id, subdomain_id=subdomains[subdomain].id,
                                     valid_from=registered_on))
        assessor = specialist or people[(index + 1) % len(people)].id
        session.add(Competence(staff_id=person.id, activity_id=activity.id, role="user", assessor_id=assessor,
                               obtained_on=today - dt.timedelta(days=300), method="training_and_assessment",
                               evidence="KKB-portfolio, afgetekend door supervisor",
                               expires_on=today + dt.timedelta(days=65 + 365 * index)))
    session.flush()
