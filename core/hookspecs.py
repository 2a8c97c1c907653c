"""The plugin contract: every hook a plugin can implement.

Plugins implement these with ``@core.plugins.hookimpl`` in their ``hooks.py``
and register it under the entry-point group ``bekwaam.plugins``. The core calls
them with keyword arguments only, through the typed wrappers in
``core.plugins_runtime``. The types hooks take and return are in
``core.contract``; a plugin imports them from there.
A hook may take fewer arguments than its spec (pluggy passes what it asks for),
so hooks grow by adding optional arguments, never by renaming.

Collect-all hooks return a value per plugin and the core flattens them; only
``bekwaam_competence_expiry`` is ``firstresult``, because one plugin must be
the authority on a competence's expiry.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - imports for the annotations only
    import click
    from flask import Blueprint as FlaskBlueprint
    from flask_smorest import Blueprint
    from marshmallow import Schema
    from sqlalchemy.orm import Session

    from core.auth.models import User
    from core.competence.models import Competence
    from core.contract import AlertEvent, DashboardQueue, DashboardTile, ExpiryResult, NavEntry, Panel, Reason, ReleaseBlocker
    from core.devices.models import DeviceType
    from core.staff.models import Staff
    from core.tvb.models import Activity

hookspec = pluggy.HookspecMarker("bekwaam")


@hookspec
def bekwaam_migration_dirs() -> list[str]:
    """Directories of the plugin's own Alembic branch.

    Each directory holds revision files; the first revision carries
    ``branch_labels=("<plugin>",)`` and ``depends_on`` the core's base
    revision. Tables are prefixed ``<plugin>_`` and never alter core tables.
    """


@hookspec
def bekwaam_api_blueprints() -> list[Blueprint]:
    """flask-smorest blueprints to register under ``/api/v1``.

    The blueprint's name must be the plugin's name and its ``url_prefix``
    must start with ``/api/v1/``; the core refuses anything else.
    """


@hookspec
def bekwaam_web_blueprints() -> list[FlaskBlueprint]:
    """Plain Flask blueprints with server-rendered pages (name = plugin name).

    They are registered as ``<plugin>_web`` (the API blueprint owns the plain
    name), so templates use ``url_for("<plugin>_web.<view>")``. Its routes
    need a login and an entry in ``bekwaam_access``; navigation entries come
    from ``bekwaam_nav_entries``.
    """


@hookspec
def bekwaam_cli_commands() -> list[click.Command]:
    """Click commands added to the ``bekwaam`` command group."""


@hookspec
def bekwaam_activity_requirement_schemas() -> dict[str, type[Schema]]:
    """Schemas for an activity's ``requirements`` object, keyed by plugin name.

    ``requirements.<key>`` of a TVB activity is validated with the schema
    registered under ``<key>``; an unknown key is refused.
    """


@hookspec
def bekwaam_can_perform_conditions(
    session: Session,
    staff_ids: list[int],
    activity: Activity,
    device_type: DeviceType | None,
    on: dt.date,
) -> dict[int, list[Reason]]:
    """The plugin's conditions for ``can_perform``, for many people at once.

    Return, for each staff id, the reasons the plugin finds (``ok`` true for a
    condition that holds, false for one that fails). A plugin with nothing to
    say about this activity returns ``{}``. Conditions must be evaluated as
    they stood on ``on``. Implementations work set-based: a query per staff
    id is a defect (1,000 people are decided in one call).
    """


@hookspec(firstresult=True)
def bekwaam_competence_expiry(session: Session, competence: Competence) -> ExpiryResult | None:
    """Compute a competence's expiry if this plugin owns it.

    Return ``None`` when the plugin does not own this competence; otherwise
    an ``ExpiryResult`` (``expires_on`` a date, or ``None`` for no expiry).
    When a plugin owns the expiry, a value typed in by hand is overwritten.
    """


@hookspec
def bekwaam_release_blockers(session: Session, device_type: DeviceType, on: dt.date) -> list[ReleaseBlocker]:
    """What stops ``device_type`` from being released on ``on`` (Leidraad Medische Technologie 2026, fase 5).

    Each item is ``{"code": str, "message": str}`` and optionally ``"message_nl"``
    (Dutch, for the web page and import reports); an empty list from every
    plugin means the type may be released and enter phase 6.
    """


@hookspec
def bekwaam_alert_events(session: Session, as_of: dt.date, horizons: list[int]) -> list[AlertEvent]:
    """Expiry events as of a date; each has a stable key (see docs/alerts.md)."""


@hookspec
def bekwaam_demo_data(session: Session, today: dt.date, size: str) -> None:
    """Add the plugin's part of the demo hospital (core data already loaded).

    ``size`` is ``"small"`` (the ~50-person demo) or ``"large"`` (the synthetic
    university hospital of ``bekwaam demo --size large``: use set-based bulk
    inserts there, and a seeded random generator so the data is deterministic).
    """


@hookspec
def bekwaam_staff_summary(session: Session, staff_id: int, on: dt.date) -> dict[str, object] | None:
    """A short JSON-able summary of a person for their profile (``None``: nothing to say).

    The core files each plugin's answer under the plugin's name, so two
    plugins never overwrite each other's keys.
    """


@hookspec
def bekwaam_alert_labels() -> dict[str, str]:
    """Dutch labels of the plugin's alert kinds, e.g. ``{"vzi_period_ending": "VZI-perioden die aflopen"}``.

    The dashboard shows a box per labelled kind; kinds without a label stay in the inbox.
    """


@hookspec
def bekwaam_reason_texts() -> dict[str, str]:
    """Dutch text per reason code of the plugin's ``can_perform`` reasons, e.g.
    ``{"vzi_level_too_low": "Gecertificeerd, maar op een lager niveau dan vereist."}``.

    A Dutch page (and the API with ``Accept-Language: nl``) shows a reason's own
    ``message_nl`` when it has one, else this text: never the English message. Every
    code of docs/reason-codes.md has one (a test fails on a code without it).
    """


@hookspec
def bekwaam_labels() -> dict[str, str]:
    """The reader's words for the plugin's stored codes (enum values) shown on pages, e.g.
    ``{"in_training": _l("in training")}``: no internal code on a page. Not alert kinds
    (``bekwaam_alert_labels`` makes a dashboard box of each of those)."""


@hookspec
def bekwaam_profile_panels(session: Session, staff: Staff, viewer: User, on: dt.date) -> list[Panel]:
    """Panels the plugin adds to a person's profile page, as ``viewer`` may see them on ``on``.

    ``viewer`` may see ``staff`` (the core has checked); a plugin narrows
    further itself (e.g. a form only for who may change the data). Personal
    data shown here is logged by the core's access log like the rest of the page.
    """


@hookspec
def bekwaam_device_type_panels(session: Session, device_type: DeviceType, viewer: User, on: dt.date) -> list[Panel]:
    """Panels the plugin adds to a device type's page."""


@hookspec
def bekwaam_nav_entries(viewer: User) -> list[NavEntry]:
    """Entries in the navigation bar for ``viewer`` (leave out what their role may not open)."""


@hookspec
def bekwaam_dashboard_tiles(session: Session, viewer: User, on: dt.date) -> list[DashboardTile]:
    """Numbers on the dashboard, counted over what ``viewer`` may see."""


@hookspec
def bekwaam_dashboard_queues(session: Session, viewer: User, on: dt.date) -> list[DashboardQueue]:
    """Work queues on the home page, over what ``viewer`` may see and act on (e.g. the CPD entries
    waiting for the viewer's review). Each lists its first few items with their total and a link
    to the full list; a plugin counts and reads set-based (the home page stays under a second)."""


@hookspec
def bekwaam_evidence(session: Session, staff_ids: list[int], on: dt.date) -> dict[int, list[dict]]:
    """Each person's registrations as evidence on ``on``, for many people at once.

    For the inspector's report, the competence passport, the calendar feed and
    the FHIR export. One item per registration the plugin keeps for a person::

        {"source": "<plugin>", "kind": str,
         "title_nl": str, "title_en": str,      # e.g. "VZI-certificering" / "VZI certification"
         "text_nl": str, "text_en": str,        # the standing on ``on``, dates written out
         "ok": bool,                            # in good standing on ``on``
         "identifier": {"system": uri, "value": str} | None,
         "period_start": date | None, "period_end": date | None,
         "deadlines": [{"on": date, "nl": str, "en": str}]}   # coming ends, re-registrations

    A person the plugin knows nothing about is left out. Set-based: a query
    per staff id is a defect.
    """


# ---------------------------------------------------------------------------
# Data in and out, privacy and settings: what a plugin owns of the core's
# imports, exports, personal-data export / erasure and configuration. The core
# names no plugin's kinds, tables or settings; it asks these hooks.
# ---------------------------------------------------------------------------


@hookspec
def bekwaam_import_kinds() -> list:
    """Import kinds the plugin adds to ``bekwaam import KIND`` and ``POST /imports/<kind>``.

    Each item is a ``core.dataio.importers.ImportKind``: its ``name``, the Dutch
    and English column headers of each field, and an ``Importer`` subclass whose
    fields validate a row, whose ``prepare``/``check`` give the reasons of each
    rejected line and whose ``write`` stores the rows (set-based). The core runs
    it like its own kinds: dry run, all-or-nothing, every bad line reported.
    """


@hookspec
def bekwaam_export_kinds() -> list:
    """Exports the plugin adds to ``bekwaam export WHAT`` and ``GET /exports/<what>.<fmt>``.

    Each item is a ``core.dataio.exports.ExportKind``: ``name``, ``build(user,
    filters)`` returning a ``Sheet``, the roles that may export it, ``filters``
    (a callable giving the filter schema of the plugin's own list endpoint) and
    whether it holds personal data (then the access log notes each export).
    ``build`` applies the same scope and filter clauses as that list endpoint
    (``core.crud.list_clauses`` for a ``crud.Resource``), never a copy of them.
    """


@hookspec
def bekwaam_privacy_rules() -> list:
    """The plugin's tables whose rows identify a person: ``core.dataio.privacy.PrivacyRule`` items.

    Each names the table (with a ``staff_id`` column) and the placeholders that
    erasure (``bekwaam anonymise``) writes over its identifying columns, in the
    rows and in the audit trail. The personal-data export needs no rule: it
    follows every foreign key to the person. Asked of disabled plugins too.
    """


@hookspec
def bekwaam_settings() -> list:
    """The plugin's settings: ``core.config.Setting`` items (``app.config`` key,
    environment variable, default, and a check of a given value).

    The core fills ``app.config`` with them when the app is built, so the core's
    configuration names no plugin's settings; a value the check refuses stops the
    app with one line naming the variable.
    """
