"""Typed wrappers around the hooks: the core calls plugins only through these."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pluggy
from flask import current_app

from core.contract import DashboardQueue, DashboardTile, ExpiryResult, NavEntry, Panel, Reason, ReleaseBlocker
from core.extensions import db
from core.plugins import by_plugin

if TYPE_CHECKING:  # pragma: no cover
    from core.auth.models import User
    from core.devices.models import DeviceType
    from core.staff.models import Staff


def manager() -> pluggy.PluginManager:
    return current_app.extensions["bekwaam_plugins"]


def _flatten(results) -> list:
    return [item for result in results if result for item in result]


def enabled(name: str) -> bool:
    """Whether the plugin ``name`` is installed and not switched off."""
    pm = manager()
    return not pm.is_blocked(name) and pm.get_plugin(name) is not None


def _by_plugin(hook_name: str, skip: frozenset[str] = frozenset(), **kwargs) -> dict[str, object]:
    """Each enabled plugin's answer under its own name (None answers left out); the plugins
    named in ``skip`` are not asked.

    pluggy's own call merges the answers anonymously; here every answer keeps
    its author, so one plugin cannot overwrite another's keys.
    """
    answers = {}
    for impl in getattr(manager().hook, hook_name).get_hookimpls():
        if impl.plugin_name in skip:
            continue
        result = impl.function(**{name: kwargs[name] for name in impl.argnames})
        if result is not None:
            answers[impl.plugin_name] = result
    return answers


def release_blockers(device_type: DeviceType, on: dt.date) -> list[ReleaseBlocker]:
    return _flatten(manager().hook.bekwaam_release_blockers(session=db.session, device_type=device_type, on=on))


def blockers_for_api(missing: list[dict]) -> list[dict]:
    """The API's items: code and (English) message; the Dutch is for the web page."""
    return [{"code": item["code"], "message": item["message"]} for item in missing]


def requirement_schemas() -> dict:
    schemas: dict = {}
    for result in manager().hook.bekwaam_activity_requirement_schemas():
        schemas.update(result or {})
    return schemas


def can_perform_conditions(staff_ids: list[int], activity, device_type, on: dt.date) -> dict[int, list[Reason]]:
    merged: dict[int, list[Reason]] = {}
    for result in manager().hook.bekwaam_can_perform_conditions(
        session=db.session, staff_ids=staff_ids, activity=activity, device_type=device_type, on=on
    ):
        for staff_id, reasons in (result or {}).items():
            merged.setdefault(staff_id, []).extend(reasons)
    return merged


def competence_expiry(competence) -> ExpiryResult | None:
    return manager().hook.bekwaam_competence_expiry(session=db.session, competence=competence)


def alert_events(as_of: dt.date, horizons: list[int]) -> list:
    return _flatten(manager().hook.bekwaam_alert_events(session=db.session, as_of=as_of, horizons=horizons))


def staff_summaries(staff_id: int, on: dt.date, skip=frozenset()) -> dict[str, dict]:
    """Each plugin's summary of the person, under the plugin's name; ``skip``: plugins not asked
    (the profile page does not ask a plugin whose panels show its summary already: the VZI
    summary read the whole portfolio a second time)."""
    return _by_plugin("bekwaam_staff_summary", frozenset(skip), session=db.session, staff_id=staff_id, on=on)


def alert_labels() -> dict[str, str]:
    """Dutch label per alert kind the plugins name (the dashboard's boxes), in plugin order."""
    labels: dict[str, str] = {}
    for answer in _by_plugin("bekwaam_alert_labels").values():
        for kind, label in answer.items():
            labels.setdefault(kind, label)
    return labels


def reason_texts() -> dict[tuple[str, str], str]:
    """Dutch text per (plugin, reason code) of the enabled plugins."""
    return {(plugin, code): text for plugin, answer in _by_plugin("bekwaam_reason_texts").items()
            for code, text in answer.items()}


def plugin_labels() -> dict[str, str]:
    """The enabled plugins' words for their stored codes (first plugin wins a shared code)."""
    labels: dict[str, str] = {}
    for answer in _by_plugin("bekwaam_labels").values():
        for code, text in answer.items():
            labels.setdefault(code, text)
    return labels


def _ordered(items: list) -> list:
    return sorted(items, key=lambda item: item.order)


def profile_panels_by_plugin(staff: Staff, viewer: User, on: dt.date) -> dict[str, list[Panel]]:
    """Each plugin's panels for a person's profile, under the plugin's name."""
    return _by_plugin("bekwaam_profile_panels", session=db.session, staff=staff, viewer=viewer, on=on)


def device_type_panels(device_type: DeviceType, viewer: User, on: dt.date) -> list[Panel]:
    return _ordered(_flatten(manager().hook.bekwaam_device_type_panels(
        session=db.session, device_type=device_type, viewer=viewer, on=on)))


def nav_entries(viewer: User) -> list[NavEntry]:
    return _ordered(_flatten(manager().hook.bekwaam_nav_entries(viewer=viewer)))


def dashboard_tiles(viewer: User, on: dt.date) -> list[DashboardTile]:
    return _ordered(_flatten(manager().hook.bekwaam_dashboard_tiles(session=db.session, viewer=viewer, on=on)))


def dashboard_queues(viewer: User, on: dt.date) -> list[DashboardQueue]:
    return _ordered(_flatten(manager().hook.bekwaam_dashboard_queues(session=db.session, viewer=viewer, on=on)))


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

def by_name(own: dict, added: list, what: str) -> dict:
    """The core's ``own`` kinds and the plugins' ``added`` ones by name; two of one name is a
    plugin defect, refused when the app asks rather than one silently hiding the other."""
    found = dict(own)
    for kind in added:
        if kind.name in found:
            raise RuntimeError(f"Two {what} are named '{kind.name}'.")
        found[kind.name] = kind
    return found


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
