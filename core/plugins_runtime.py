"""Typed wrappers around the hooks: the core calls plugins only through these."""
from __future__ import annotations

import datetime as dt

import pluggy
from flask import current_app

from core.extensions import db
from core.plugins import by_plugin


def manager() -> pluggy.PluginManager:
    return current_app.extensions["bekwaam_plugins"]


def _flatten(results) -> list:
    return [item for result in results if result for item in result]


def release_blockers(device_type, on: dt.date) -> list[dict]:
    return _flatten(manager().hook.bekwaam_release_blockers(session=db.session, device_type=device_type, on=on))


def blockers_for_api(missing: list[dict]) -> list[dict]:
    """The API's items: code and (English) message; the Dutch is for the web page."""
    return [{"code": item["code"], "message": item["message"]} for item in missing]


def requirement_schemas() -> dict:
    schemas: dict = {}
    for result in manager().hook.bekwaam_activity_requirement_schemas():
        schemas.update(result or {})
    return schemas


def can_perform_conditions(staff_ids: list[int], activity, device_type, on: dt.date) -> dict[int, list]:
    merged: dict[int, list] = {}
    for result in manager().hook.bekwaam_can_perform_conditions(
        session=db.session, staff_ids=staff_ids, activity=activity, device_type=device_type, on=on
    ):
        for staff_id, reasons in (result or {}).items():
            merged.setdefault(staff_id, []).extend(reasons)
    return merged


def competence_expiry(competence):
    return manager().hook.bekwaam_competence_expiry(session=db.session, competence=competence)


def alert_events(as_of: dt.date, horizons: list[int]) -> list:
    return _flatten(manager().hook.bekwaam_alert_events(session=db.session, as_of=as_of, horizons=horizons))


def staff_summaries(staff_id: int, on: dt.date) -> dict:
    summary: dict = {}
    for result in manager().hook.bekwaam_staff_summary(session=db.session, staff_id=staff_id, on=on):
        summary.update(result or {})
    return summary


def evidence(staff_ids: list[int], on: dt.date) -> dict[int, list[dict]]:
    """Each plugin's registrations per person as evidence (VZI, BIG, ...), merged."""
    merged: dict[int, list[dict]] = {}
    if not staff_ids:
        return merged
    for result in manager().hook.bekwaam_evidence(session=db.session, staff_ids=list(staff_ids), on=on):
        for staff_id, items in (result or {}).items():
            merged.setdefault(staff_id, []).extend(items)
    return merged


# -- data in and out, privacy, settings --------------------------------------

def import_kinds() -> list:
    """Import kinds of the enabled plugins (``bekwaam_import_kinds``)."""
    return _flatten(manager().hook.bekwaam_import_kinds())


def disabled_import_kinds() -> list[tuple]:
    """(kind, plugin name) of the installed plugins that are disabled here: such a kind
    is refused with its owner named, not as unknown."""
    installed = current_app.extensions.get("bekwaam_installed_plugins")
    if installed is None:
        return []
    enabled = {name for name, plugin in manager().list_name_plugin() if plugin is not None}
    return [(kind, name) for name, kinds in by_plugin(installed, "bekwaam_import_kinds") if name not in enabled
            for kind in kinds or ()]


def export_kinds() -> list:
    return _flatten(manager().hook.bekwaam_export_kinds())


def privacy_rules() -> list:
    """Every installed plugin's rules, disabled ones too: their tables keep people's data."""
    installed = current_app.extensions.get("bekwaam_installed_plugins") or manager()
    return _flatten(installed.hook.bekwaam_privacy_rules())
