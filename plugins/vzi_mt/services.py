"""VZI operations: load portfolios, evaluate, grant periods, and answer the core's hooks.

Services flush, never commit (the request commits once). Everything that
touches many people is set-based: one query per table for any number of them.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.contract import AlertEvent
from core.dates import dutch_day
from core.db import utcnow
from core.contract import Reason
from core.devices.models import TechnologyGroup
from core.errors import Conflict, FieldMessage, Invalid, NotAllowed, NotFound
from core.extensions import execute_core, id_in, id_params
from core.staff.models import Staff
from plugins.vzi_mt import models, rules

SOURCE = "vzi_mt"
# The designations as the VZI certificatienormen name them in Dutch (the codes stay English).
DESIGNATION_NL = {"in_training": "in opleiding", "professional": "professional", "expert": "expert"}
DESIGNATION_RANK = {rules.Designation.IN_TRAINING: 0, rules.Designation.PROFESSIONAL: 1, rules.Designation.EXPERT: 2}
DEFAULT_WARN_DAYS = 180  # docs/alerts.md: VZI periods ending within 180 days with norms unmet
EXPIRED_LOOKBACK_DAYS = 365  # an expiry older than this is history, not news


# --- portfolios -------------------------------------------------------------------


def load_portfolios(session: Session, staff_ids) -> dict[int, rules.Portfolio]:
    """The rules' view of each person's portfolio: one query per table, whatever the number of people.

    Only the columns the rules read are selected (no ORM objects: nothing to track).
    """
    ids = list(staff_ids)
    parts: dict[int, dict[str, list]] = {sid: defaultdict(list) for sid in ids}
    if not ids:
        return {}
    # The ids bound once per statement (one array on PostgreSQL: a few hundred bind parameters
    # rendered and parsed per statement cost more than reading the rows).
    # One person (a profile page) bound as a scalar, so PostgreSQL keeps one plan per statement
    # (core.extensions.id_in). Plain statements: the ORM's result handling cost more than the
    # reads (the VZI evaluation of 500 technicians, benchmarks/RESULTS.md).
    dialect, bound, one = session.get_bind().dialect.name, id_params("staff_ids", ids), len(ids) == 1

    def execute(statement, params):
        return execute_core(statement, params, session)

    def of(column):
        return id_in(column, "staff_ids", dialect, one)
    E, C, P, W, K = (models.Education, models.Certificate, models.Position, models.WorkExperience,
                     models.Certification)
    for staff_id, level, fields, components, obtained_on, accepted in execute(
            select(E.staff_id, E.level, E.fields, E.components, E.obtained_on, E.equivalence_accepted_for)
            .where(of(E.staff_id)), bound):
        parts[staff_id]["educations"].append(rules.Education(
            level, frozenset(fields or ()), frozenset(components or ()), obtained_on, accepted))
    for staff_id, code, obtained_on, equivalent in execute(
            select(C.staff_id, C.code, C.obtained_on, C.equivalent).where(of(C.staff_id)), bound):
        parts[staff_id]["certificates"].append(rules.Certificate(code, obtained_on, bool(equivalent)))
    for staff_id, level, start, end in execute(
            select(P.staff_id, P.level, P.start_date, P.end_date).where(of(P.staff_id)), bound):
        parts[staff_id]["positions"].append(rules.Position(level, start, end))
    # the rules take the technology group CODE, the rows keep the id
    cpd = execute(
        select(models.CpdActivity.staff_id, models.CpdActivity.date, models.CpdActivity.hours, TechnologyGroup.code)
        .outerjoin(TechnologyGroup, TechnologyGroup.id == models.CpdActivity.technology_group_id)
        .where(of(models.CpdActivity.staff_id), models.CpdActivity.status == models.CPD_APPROVED), bound)
    for staff_id, day, hours, code in cpd:
        parts[staff_id]["cpd_activities"].append(rules.CpdActivity(day, hours, code))
    work = execute(
        select(W.staff_id, TechnologyGroup.code, W.period_start, W.period_end, W.hours)
        .join(TechnologyGroup, TechnologyGroup.id == W.technology_group_id)
        .where(of(W.staff_id)), bound)
    for staff_id, code, start, end, hours in work:
        parts[staff_id]["work_experience"].append(rules.WorkExperience(code, start, end, hours))
    for staff_id, level, designation, start, end, dispensation, areas in execute(
            select(K.staff_id, K.level, K.designation, K.start_date, K.end_date, K.dispensation_percent,
                   K.expertise_areas).where(of(K.staff_id)), bound):
        parts[staff_id]["certifications"].append(
            rules.Certification(level, designation, start, end, dispensation, tuple(areas or ())))
    X = models.RegistrationCancellation
    for staff_id, day in execute(select(X.staff_id, X.cancelled_on).where(of(X.staff_id)), bound):
        parts[staff_id]["cancellations"].append(day)
    return {sid: rules.Portfolio(**part) for sid, part in parts.items()}


def evaluate_many(session: Session, staff_ids, as_of: dt.date) -> dict[int, rules.Evaluation]:
    """The evaluation of many people at once: their portfolios in one query per table, then the rules."""
    return {sid: rules.evaluate(portfolio, as_of) for sid, portfolio in load_portfolios(session, staff_ids).items()}


def load_portfolio(session: Session, staff_id: int) -> rules.Portfolio:
    return load_portfolios(session, [staff_id])[staff_id]


LANGUAGES = ("en", "nl")


def localised(result: rules.Evaluation, lang: str = "en") -> dict:
    """The evaluation as a dict, its texts in ``lang`` (``en``: the API's default; ``nl``: Dutch)."""
    body = asdict(result)
    dutch = lang == "nl"
    body["unmet"] = [{"code": u.code, "message": u.message_nl if dutch and u.message_nl else u.message}
                     for u in result.unmet]
    if result.norms is not None:
        norms = body["norms"]
        norms["note"] = norms.pop("note_nl") if dutch else norms["note"]
        norms.pop("note_nl", None)
    return body


def evaluation(session: Session, staff_id: int, as_of: dt.date, lang: str = "en") -> dict:
    """The evaluation of one person on ``as_of`` (all of the VZI certificatienormen (juni 2025), through the rules)."""
    return localised(rules.evaluate(load_portfolio(session, staff_id), as_of), lang)


# --- certification periods -----------------------------------------------------------


def certifications(session: Session, staff_id: int) -> list[models.Certification]:
    return list(session.scalars(
        select(models.Certification).where(models.Certification.staff_id == staff_id)
        .order_by(models.Certification.start_date, models.Certification.id)))


def grant(session: Session, staff_id: int, as_of: dt.date, today: dt.date,
          lang: str = "en") -> models.Certification:
    """Grant a period [as_of, as_of + 3 years) when the norms are met over the last 3 years.

    Level and designation come from the evaluation: the level is the level of the
    current position and cannot be chosen (VZI certificatienormen, Inleiding "Indeling bij
    certificatie"). Applying during a running period starts the new period on the
    application date (VZI certificatienormen (juni 2025), "Aanvraag toelating of hercertificatie"), so the running one ends there.
    """
    if as_of > today:
        raise Invalid({"as_of": [FieldMessage(
            f"An application cannot be dated in the future (today is {today.isoformat()}).",
            f"Een aanvraag kan niet in de toekomst gedateerd zijn (vandaag is {dutch_day(today)}).")]})
    history = certifications(session, staff_id)
    later = [c for c in history if c.start_date >= as_of]
    if later:
        raise Conflict(f"A certification period starting on {later[-1].start_date.isoformat()} already exists; "
                       f"an application on {as_of.isoformat()} cannot come before it.", certification_id=later[-1].id,
                       message_nl=f"Er bestaat al een certificeringsperiode vanaf {dutch_day(later[-1].start_date)}; "
                                  f"een aanvraag op {dutch_day(as_of)} kan daar niet aan voorafgaan.")
    portfolio = load_portfolio(session, staff_id)
    result = rules.evaluate(portfolio, as_of)
    if not result.eligible:
        unmet = localised(result, lang)["unmet"]
        intro = ("Niet te certificeren op " if lang == "nl" else "Not eligible for certification on ")
        unmet_nl = [u["message"] for u in localised(result, "nl")["unmet"]]
        raise Invalid({"unmet": unmet}, intro + as_of.isoformat() + ": " + "; ".join(u["message"] for u in unmet),
                      message_nl=f"Niet te certificeren op {dutch_day(as_of)}: " + "; ".join(unmet_nl),
                      errors_nl={"unmet": unmet_nl}, unmet=unmet)
    for running in history:
        if running.start_date < as_of < running.end_date:
            running.end_date = as_of
    # The CPD just judged was measured against the dispensation of the period it fell in; the
    # new period gets its own, fixed now (VZI certificatienormen, Ervaringsjaren: "Bij de start van een
    # registratieperiode wordt de dispensatie berekend"), and the certificate its expertise areas.
    period = models.Certification(
        staff_id=staff_id, level=result.level, designation=result.designation, start_date=as_of,
        end_date=rules.add_years(as_of, rules.PERIOD_YEARS),
        dispensation_percent=rules.dispensation_percent(portfolio.positions, as_of),
        expertise_areas=list(result.expertise_areas))
    session.add(period)
    session.flush()
    return period


def withdraw(session: Session, period: models.Certification) -> None:
    """Remove a period granted by mistake; a period it cut short gets its end back."""
    earlier = session.scalar(
        select(models.Certification).where(
            models.Certification.staff_id == period.staff_id, models.Certification.end_date == period.start_date)
        .order_by(models.Certification.start_date.desc()).limit(1))
    if earlier is not None:
        earlier.end_date = rules.add_years(earlier.start_date, rules.PERIOD_YEARS)
    session.delete(period)
    session.flush()


def running_period(session: Session, staff_id: int, on: dt.date) -> models.Certification | None:
    return session.scalar(
        select(models.Certification).where(
            models.Certification.staff_id == staff_id,
            models.Certification.start_date <= on, models.Certification.end_date > on)
        .order_by(models.Certification.start_date.desc()).limit(1))


def forecast(session: Session, staff_id: int, as_of: dt.date) -> dict:
    """Progress in the period running on ``as_of`` toward the CPD norm at its end."""
    period = running_period(session, staff_id, as_of)
    if period is None:
        raise Conflict(f"No certification period is running on {as_of.isoformat()}; "
                 "see the evaluation for what a first application needs.")
    result = rules.forecast(load_portfolio(session, staff_id), period.start_date, as_of)
    return {"certification_id": period.id, **asdict(result)}


# --- cancellation (opzegging) -------------------------------------------------------------


def cancellations(session: Session, staff_id: int) -> list[models.RegistrationCancellation]:
    X = models.RegistrationCancellation
    return list(session.scalars(select(X).where(X.staff_id == staff_id).order_by(X.cancelled_on, X.id)))


def cancel_registration(session: Session, staff_id: int, cancelled_on: dt.date, reason: str,
                        user_id: int | None) -> models.RegistrationCancellation:
    """Opzegging: the registration (basisregistratie or certification) ends on ``cancelled_on``.

    VZI certificatienormen, Samenvatting: "Bij niet voldoen aan de certificatienorm behoudt een
    persoon tot opzegging een basisregistratie." A reason is required; the row is
    audited like every other (the session's audit listener). A running period is
    cut at the cancellation date.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [FieldMessage("Give the reason of the cancellation.",
                                               PANEL_TEXTS["nl"]["reason_required"])]},
                      message_nl=PANEL_TEXTS["nl"]["reason_required"])
    state = rules.registration_state(load_portfolio(session, staff_id), cancelled_on)
    if state == rules.Registration.NONE:
        raise Invalid({"cancelled_on": [FieldMessage(
            f"There is no registration to cancel on {cancelled_on.isoformat()}.",
            f"Er is op {dutch_day(cancelled_on)} geen registratie om op te zeggen.")]},
                      message_nl=PANEL_TEXTS["nl"]["nothing_to_cancel"])
    history = certifications(session, staff_id)
    for period in history:
        if period.start_date == cancelled_on:
            raise Conflict(f"A certification period starts on {cancelled_on.isoformat()}; withdraw it instead.",
                           message_nl=PANEL_TEXTS["nl"]["period_starts"], certification_id=period.id)
    for period in history:
        if period.start_date < cancelled_on < period.end_date:
            period.end_date = cancelled_on
    row = models.RegistrationCancellation(staff_id=staff_id, cancelled_on=cancelled_on, reason=reason,
                                          created_by=user_id)
    session.add(row)
    session.flush()
    return row


# --- portfolio checks (before a row is saved) ------------------------------------------


def _group_exists(session: Session, group_id: int | None) -> None:
    if group_id is not None and session.get(TechnologyGroup, group_id) is None:
        raise Invalid({"technology_group_id": [FieldMessage(f"No technology group with id {group_id}.",
                                                            f"Geen technologiegroep met id {group_id}.")]})


def check_position(session: Session, row: models.Position) -> None:
    if row.end_date is not None and row.end_date < row.start_date:
        raise Invalid({"end_date": [FieldMessage("The last day cannot be before start_date.",
                                                 "De laatste dag kan niet vóór de eerste dag liggen.")]})


def check_cpd_activity(session: Session, row: models.CpdActivity) -> None:
    _group_exists(session, row.technology_group_id)
    assign_review_status(row)


def assign_review_status(row: models.CpdActivity) -> None:
    if row.status is None:
        for name, value in review_status(row.staff_id).items():
            setattr(row, name, value)


def review_status(staff_id: int) -> dict:
    """``status`` (and the reviewer) of a new CPD entry for ``staff_id``, by whoever enters it.

    Self-service: a person's own entry waits for their manager; an entry made by a
    manager or administrator for someone else is reviewed by doing so (the form, the
    API and the import all enter it this way)."""
    from core.auth.permissions import current_user
    user = current_user()
    own = user is not None and user.staff_id == staff_id
    if own:
        return {"status": models.CPD_PENDING}
    if user is None:
        return {"status": models.CPD_APPROVED}
    return {"status": models.CPD_APPROVED, "reviewed_by": user.id, "reviewed_at": utcnow()}


def review_cpd_activity(row: models.CpdActivity, decision: str, reason: str | None, reviewer_id: int) -> None:
    """Approve or reject a CPD entry; a rejection needs its reason. Only approved hours count."""
    if decision == models.CPD_REJECTED and not (reason or "").strip():
        raise Invalid({"reason": [FieldMessage("Give a reason when you reject.", "Geef een reden als u afkeurt.")]},
                      message_nl="Geef een reden als u afkeurt.")
    row.status = decision
    row.rejection_reason = reason.strip() if decision == models.CPD_REJECTED else None
    row.reviewed_by, row.reviewed_at = reviewer_id, utcnow()


def review_cpd(session: Session, staff_id: int, cpd_id: int, decision: str, reason: str | None,
               reviewer) -> models.CpdActivity:
    """The review of one CPD entry, for the API and the page alike (the caller has checked that
    ``reviewer`` may change this person's records): nobody reviews their own hours."""
    if reviewer.staff_id == staff_id:
        raise NotAllowed("Nobody reviews their own CPD hours.", message_nl="Niemand beoordeelt de eigen uren.")
    row = session.scalar(select(models.CpdActivity).where(
        models.CpdActivity.id == cpd_id, models.CpdActivity.staff_id == staff_id))
    if row is None:
        raise NotFound(f"No CPD activity with id {cpd_id} for staff {staff_id}.")
    review_cpd_activity(row, decision, reason, reviewer.id)
    session.flush()
    return row


def check_work_experience(session: Session, row: models.WorkExperience) -> None:
    _group_exists(session, row.technology_group_id)
    if row.period_end < row.period_start:
        raise Invalid({"period_end": [FieldMessage("The last day cannot be before period_start.",
                                                   "De laatste dag kan niet vóór de eerste dag liggen.")]})


# --- can_perform -------------------------------------------------------------------------


def can_perform_conditions(session: Session, staff_ids: list[int], activity, on: dt.date) -> dict[int, list[Reason]]:
    """``requirements.vzi_mt``: only a person certified on ``on`` at or above the minimum passes.

    A basisregistratie never does: it is no certification (seed Samenvatting).
    One query for all people: every period that started on or before ``on``;
    the latest of them is the one that covers ``on``, if any.
    """
    wanted = (activity.requirements or {}).get(SOURCE)
    if not wanted:
        return {}
    min_level = wanted["min_level"]
    min_designation = wanted.get("min_designation")
    needed = min_level + (f" {min_designation}" if min_designation else "")
    needed_nl = min_level + (f" {DESIGNATION_NL.get(min_designation, min_designation)}" if min_designation else "")
    latest: dict[int, tuple] = {}
    rows = session.execute(
        select(models.Certification.staff_id, models.Certification.level, models.Certification.designation,
               models.Certification.start_date, models.Certification.end_date)
        .where(models.Certification.staff_id.in_(staff_ids), models.Certification.start_date <= on)
        .order_by(models.Certification.staff_id, models.Certification.start_date))
    for staff_id, level, designation, start, end in rows:
        latest[staff_id] = (level, designation, start, end)
    day = on.isoformat()
    result: dict[int, list[Reason]] = {}
    for staff_id in staff_ids:
        period = latest.get(staff_id)
        if period is None:
            result[staff_id] = [Reason(SOURCE, "vzi_not_certified",
                                       f"VZI: not certified on {day} (a basisregistratie is no certification); "
                                       f"requires {needed} or higher.", False,
                                       message_nl=f"VZI: niet gecertificeerd op {dutch_day(on)} (een "
                                                  f"basisregistratie is geen certificering); vereist is "
                                                  f"{needed_nl} of hoger.")]
            continue
        level, designation, start, end = period
        held_nl = f"{level} {DESIGNATION_NL.get(designation, designation)} ({dutch_day(start)} tot {dutch_day(end)})"
        held = f"{level} {designation} ({start.isoformat()} to {end.isoformat()})"
        if end <= on:
            result[staff_id] = [Reason(SOURCE, "vzi_period_expired",
                                       f"VZI: certification period {held} had ended on {day}; "
                                       f"requires {needed} or higher.", False,
                                       message_nl=f"VZI: certificeringsperiode {held_nl} was op {dutch_day(on)} "
                                                  f"afgelopen; vereist is {needed_nl} of hoger.")]
            continue
        reasons = []
        if rules.LEVEL_RANK[rules.Level(level)] < rules.LEVEL_RANK[rules.Level(min_level)]:
            reasons.append(Reason(SOURCE, "vzi_level_too_low",
                                  f"VZI: certified {held}; level {min_level} or higher required.", False,
                                  message_nl=f"VZI: gecertificeerd {held_nl}; niveau {min_level} of hoger vereist."))
        if min_designation and DESIGNATION_RANK[designation] < DESIGNATION_RANK[min_designation]:
            reasons.append(Reason(SOURCE, "vzi_designation_too_low",
                                  f"VZI: certified {held}; designation {min_designation} or higher required.", False,
                                  message_nl=f"VZI: gecertificeerd {held_nl}; aanduiding "
                                             f"{DESIGNATION_NL.get(min_designation, min_designation)} of hoger vereist."))
        result[staff_id] = reasons or [Reason(SOURCE, "vzi_certified",
                                              f"VZI: certified {held}; requires {needed} or higher.", True,
                                              message_nl=f"VZI: gecertificeerd {held_nl}; vereist is {needed_nl} "
                                                         "of hoger.")]
    return result


# --- alerts ----------------------------------------------------------------------------------


def alert_events(session: Session, as_of: dt.date, warn_days: int) -> list[AlertEvent]:
    """Periods ending within ``warn_days`` with norms unmet, and periods that expired (docs/alerts.md, What is raised).

    One query for the latest period of every active person, then the portfolios of
    the people concerned in one query per table.
    """
    latest_start = (
        select(models.Certification.staff_id, func.max(models.Certification.start_date).label("start"))
        .where(models.Certification.start_date <= as_of)
        .group_by(models.Certification.staff_id).subquery())
    periods = session.scalars(
        select(models.Certification)
        .join(latest_start, and_(models.Certification.staff_id == latest_start.c.staff_id,
                                 models.Certification.start_date == latest_start.c.start))
        .join(Staff, Staff.id == models.Certification.staff_id)
        .where(Staff.active.is_(True),
               models.Certification.end_date > as_of - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS),
               models.Certification.end_date <= as_of + dt.timedelta(days=warn_days))
        .order_by(models.Certification.staff_id)).all()
    portfolios = load_portfolios(session, {p.staff_id for p in periods})
    events = []
    for period in periods:
        portfolio = portfolios[period.staff_id]
        held = f"{period.level} {period.designation}"
        if period.end_date > as_of:
            result = rules.evaluate(portfolio, as_of)
            if result.eligible:
                continue  # the person can apply for re-certification now
            # the same rules.evaluate as the evaluation, the grant and (for its required hours) the forecast
            shortfall = "; ".join(u.message for u in result.unmet)
            shortfall_nl = "; ".join(u.message_nl or u.message for u in result.unmet)
            end = period.end_date.isoformat()
            events.append(AlertEvent(
                source=SOURCE, kind="vzi_period_ending", due_on=period.end_date, staff_id=period.staff_id,
                horizon_days=warn_days, detail=str(period.id),
                message=f"VZI certification {held} ends on {end}; norms unmet on {as_of.isoformat()}: {shortfall}",
                message_nl=f"VZI-certificering {held} eindigt op {end}; op {as_of.isoformat()} nog niet "
                           f"voldaan aan: {shortfall_nl}"))
        else:
            state = rules.registration_state(portfolio, as_of)
            # VZI certificatienormen, Samenvatting: "behoudt een persoon tot opzegging een basisregistratie"
            base = state == rules.Registration.BASE
            after = "falls back to basisregistratie" if base else "the registration was cancelled"
            after_nl = "terug naar basisregistratie" if base else "de registratie is opgezegd"
            end = period.end_date.isoformat()
            events.append(AlertEvent(
                source=SOURCE, kind="vzi_period_expired", due_on=period.end_date, staff_id=period.staff_id,
                detail=str(period.id),
                message=f"VZI certification {held} expired on {end}: {after}.",
                message_nl=f"VZI-certificering {held} verlopen op {end}: {after_nl}."))
    return events


# --- the VZI panel of the staff profile ---------------------------------------------------------

# Plugin-local texts of the panel (the core's catalogue does not carry the plugin's words).
PANEL_TEXTS = {
    "nl": {
        "certificate_areas": "Deskundigheidsgebieden op het certificaat",
        "cancellations": "Opzeggingen van de registratie",
        "cancel_heading": "Registratie opzeggen",
        "cancel_help": "Een basisregistratie blijft bestaan tot opzegging; een lopende certificering eindigt op "
                       "de datum van opzegging.",
        "cancelled_on": "Datum van opzegging",
        "reason": "Reden",
        "cancel_button": "Registratie opzeggen",
        "reason_required": "Geef de reden van de opzegging.",
        "nothing_to_cancel": "Op die datum is er geen registratie om op te zeggen.",
        "period_starts": "Op die datum begint een certificeringsperiode; trek die periode in plaats daarvan in.",
    },
    "en": {
        "certificate_areas": "Expertise areas on the certificate",
        "cancellations": "Cancellations of the registration",
        "cancel_heading": "Cancel the registration",
        "cancel_help": "A basisregistratie lasts until it is cancelled; a running certification ends on the "
                       "date of cancellation.",
        "cancelled_on": "Date of cancellation",
        "reason": "Reason",
        "cancel_button": "Cancel the registration",
        "reason_required": "Give the reason of the cancellation.",
        "nothing_to_cancel": "There is no registration to cancel on that date.",
        "period_starts": "A certification period starts on that date; withdraw that period instead.",
    },
}


def panel_texts(lang: str) -> dict[str, str]:
    return PANEL_TEXTS["nl" if lang == "nl" else "en"]


def profile_panel(session: Session, staff_id: int, today: dt.date, lang: str) -> dict:
    """What the VZI panel of the staff profile shows, its texts in the page's language, with the
    profile's summary (``staff_summary``): the portfolio and the running period read once for all
    three (each read the portfolio again: 8 statements a time)."""
    portfolio = load_portfolio(session, staff_id)
    period = running_period(session, staff_id, today)
    result = {"evaluation": localised(rules.evaluate(portfolio, today), lang), "forecast": None,
              "texts": panel_texts(lang), "cancellations": cancellations(session, staff_id),
              "certificate_areas": [], "summary": _summary(period, portfolio, today)}
    if period is not None:
        result["forecast"] = {"certification_id": period.id,
                              **asdict(rules.forecast(portfolio, period.start_date, today))}
        result["certificate_areas"] = list(period.expertise_areas or [])
    return result


# --- profile summary -------------------------------------------------------------------------


def staff_summary(session: Session, staff_id: int, on: dt.date) -> dict | None:
    period = running_period(session, staff_id, on)
    return _summary(period, None if period is not None else load_portfolio(session, staff_id), on)


def _summary(period: models.Certification | None, portfolio: rules.Portfolio | None, on: dt.date) -> dict | None:
    if period is not None:
        return {"registration": rules.Registration.CERTIFIED.value, "level": period.level,
                "designation": period.designation, "period_end": period.end_date.isoformat()}
    if not (portfolio.positions or portfolio.educations or portfolio.certifications):
        return None
    position = rules.current_position(portfolio.positions, on)
    return {"registration": rules.registration_state(portfolio, on).value,
            "level": position.level if position else None, "designation": None, "period_end": None}
