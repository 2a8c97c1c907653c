"""Rules on device types that the core owns: lifecycle phase, its dated history, release date."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, inspect, select

from core.devices.models import USE_PHASE, DeviceTypePhase
from core.dates import dutch_day
from core.errors import Conflict, FieldMessage, Invalid
from core.extensions import db
from core.plugins_runtime import blockers_for_api, release_blockers

NOT_BY_HAND = ("Set only by the release procedure: technology is taken into use only after full technical "
               "and clinical approval (Leidraad Medische Technologie 2026, fase 5 vrijgave).")
NOT_BY_HAND_NL = ("Alleen de vrijgave zet deze datum: technologie gaat pas in gebruik na volledige technische en "
                  "klinische goedkeuring (Leidraad Medische Technologie 2026, fase 5 vrijgave).")


def _old(device_type, key):
    history = inspect(device_type).attrs[key].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(device_type, key)


def check_lifecycle(device_type, data: dict, is_new: bool) -> None:
    """A type enters phase 6 only through its release (vrijgave).

    Leidraad Medische Technologie 2026, fase 5: "pas bij een volledig technisch
    en klinisch akkoord mag medische technologie in gebruik genomen worden".
    ``released_on`` therefore comes from the release procedure only. The one
    exception is a type already in use when it is registered: it is entered in
    phase 6 (or 7) with its historical ``released_on`` and marked as a legacy
    registration, in the record, the audit trail and on its page.
    """
    today = dt.date.today()
    if device_type.lifecycle_phase is None:
        device_type.lifecycle_phase = 1
    phase = device_type.lifecycle_phase
    if "phase_since" in data and "lifecycle_phase" not in data:
        raise Invalid({"phase_since": [FieldMessage("Give it together with lifecycle_phase.",
                                                     "Geef dit samen met de levensloopfase.")]})
    if is_new:
        device_type.legacy_registration = False
        if phase < USE_PHASE and device_type.released_on is not None:
            raise Invalid({"released_on": [FieldMessage(
                f"A device type registered in phase {phase} has not been released. " + NOT_BY_HAND,
                f"Een type hulpmiddel dat in fase {phase} wordt vastgelegd, is niet vrijgegeven. " + NOT_BY_HAND_NL)]})
        if phase >= USE_PHASE:
            if device_type.released_on is None:
                raise Invalid({"released_on": [FieldMessage(
                    "A device type registered in phase 6 or 7 needs the date it was released.",
                    "Een type dat in fase 6 of 7 wordt geregistreerd, heeft de datum van vrijgave nodig.")]})
            if device_type.released_on > today:
                raise Invalid({"released_on": [FieldMessage(
                    "A type registered as already in use was released on or before today.",
                    "Een type dat al in gebruik is, is uiterlijk vandaag vrijgegeven.")]})
            since = data.get("phase_since")
            if since is not None and not device_type.released_on <= since <= today:
                raise Invalid({"phase_since": [FieldMessage(
                    "Must lie between released_on and today.", "Moet tussen de vrijgavedatum en vandaag liggen.")]})
            device_type.legacy_registration = True
        return
    if "released_on" in data and data["released_on"] != _old(device_type, "released_on"):
        raise Invalid({"released_on": [FieldMessage(NOT_BY_HAND, NOT_BY_HAND_NL)]})
    if "lifecycle_phase" not in data or phase == _old(device_type, "lifecycle_phase"):
        return
    if phase == USE_PHASE:
        missing = blockers_for_api(release_blockers(device_type, today))
        raise Conflict("A device type enters phase 6 only through its release (the release procedure), "
                       "not by changing its phase.", missing=missing,
                       message_nl="Een type hulpmiddel komt alleen via de vrijgave in fase 6, niet door de fase te "
                                  "wijzigen.")
    since = data.get("phase_since") or today
    last = db.session.scalar(select(func.max(DeviceTypePhase.valid_from))
                             .where(DeviceTypePhase.device_type_id == device_type.id))
    if since > today or (last is not None and since < last):
        raise Invalid({"phase_since": [FieldMessage(
            f"Must lie between the last recorded phase change ({(last or since).isoformat()}) and today: "
            "the past stands as recorded.",
            f"Moet tussen de laatst vastgelegde fasewijziging ({dutch_day(last or since)}) en vandaag liggen: "
            "het verleden blijft zoals het is vastgelegd.")]})
    device_type.phase_since = since


def record_release(device_type, on: dt.date) -> None:
    """The release procedure's result: phase 6 from the release date, ``released_on`` kept
    from the first release (a re-release after a re-screening adds a dated phase row).

    A first release may be dated before phase changes recorded earlier (the
    phases before use decide nothing); once a type has been in use, a re-release
    cannot be dated before its last recorded change: the past stands as recorded.
    """
    rows = db.session.execute(select(DeviceTypePhase.phase, DeviceTypePhase.valid_from)
                              .where(DeviceTypePhase.device_type_id == device_type.id)).all()
    if any(phase >= USE_PHASE for phase, _ in rows):
        last = max(valid_from for _, valid_from in rows)
        if on < last:
            raise Invalid({"date": [FieldMessage(
                f"A re-release cannot be dated before the last recorded phase change ({last.isoformat()}).",
                f"Een nieuwe vrijgave kan niet vóór de laatst vastgelegde fasewijziging ({dutch_day(last)}) "
                "liggen.")]})
    if device_type.released_on is None:
        device_type.released_on = on
    if device_type.lifecycle_phase != USE_PHASE:
        device_type.phase_since = on
        device_type.lifecycle_phase = USE_PHASE
    else:
        # Already in phase 6 (a re-release): record the date all the same.
        from core.devices.models import _actor_id
        db.session.add(DeviceTypePhase(device_type_id=device_type.id, phase=USE_PHASE, valid_from=on,
                                       recorded_by=_actor_id()))


def backfill_phases(session, valid_from: dt.date) -> None:
    """Give every device type without a phase history one row: its current phase.

    For rows written around the ORM (bulk inserts of generated data); the
    decision refuses use of a type with no phase recorded on the day asked.
    The row takes effect from the type's release date when it has one (use
    starts there), else from ``valid_from``. One INSERT … SELECT, whatever the
    number of types; a second run adds nothing.
    """
    from sqlalchemy import Date, insert, literal

    from core.devices.models import DeviceType
    session.execute(insert(DeviceTypePhase).from_select(["device_type_id", "phase", "valid_from"], select(
        DeviceType.id, DeviceType.lifecycle_phase, func.coalesce(DeviceType.released_on, literal(valid_from, Date)))
        .where(~select(DeviceTypePhase.id).where(DeviceTypePhase.device_type_id == DeviceType.id).exists())))
