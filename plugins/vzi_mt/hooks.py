"""Hook implementations of this plugin: each delegates to services."""
from __future__ import annotations

import os

from flask import current_app

from core.plugins import hookimpl
from plugins.vzi_mt import models  # noqa: F401  (registers the tables on the metadata)


@hookimpl
def bekwaam_migration_dirs():
    return [os.path.join(os.path.dirname(__file__), "migrations", "versions")]


@hookimpl
def bekwaam_api_blueprints():
    from plugins.vzi_mt.api import blp
    return [blp]


@hookimpl
def bekwaam_cli_commands():
    from plugins.vzi_mt.cli import vzi
    return [vzi]


@hookimpl
def bekwaam_activity_requirement_schemas():
    from plugins.vzi_mt.schemas import VziRequirementSchema
    return {"vzi_mt": VziRequirementSchema}


@hookimpl
def bekwaam_can_perform_conditions(session, staff_ids, activity, device_type, on):
    from plugins.vzi_mt.services import can_perform_conditions
    return can_perform_conditions(session, staff_ids, activity, on)


@hookimpl
def bekwaam_alert_events(session, as_of, horizons):
    from plugins.vzi_mt.services import DEFAULT_WARN_DAYS, alert_events
    return alert_events(session, as_of, int(current_app.config.get("VZI_WARN_DAYS", DEFAULT_WARN_DAYS)))


@hookimpl
def bekwaam_staff_summary(session, staff_id, on):
    from plugins.vzi_mt.services import staff_summary
    return staff_summary(session, staff_id, on)


@hookimpl
def bekwaam_web_blueprints():
    from plugins.vzi_mt.web import blp
    return [blp]


@hookimpl
def bekwaam_profile_panels(session, staff, viewer, on):
    from plugins.vzi_mt.web import profile_panels
    return profile_panels(session, staff, viewer, on)


@hookimpl
def bekwaam_alert_labels():
    from flask_babel import lazy_gettext as _l
    return {"vzi_period_ending": _l("VZI periods ending"), "vzi_period_expired": _l("VZI period expired")}


@hookimpl
def bekwaam_demo_data(session, today, size):
    from plugins.vzi_mt import demo
    if size == "large":
        return demo.load_large(session, today, seed=session.info.get("bekwaam_demo_seed", 2026))
    else:
        demo.load(session, today)


@hookimpl
def bekwaam_evidence(session, staff_ids, on):
    from plugins.vzi_mt.evidence import evidence
    return evidence(session, staff_ids, on)


@hookimpl
def bekwaam_import_kinds():
    from plugins.vzi_mt.imports import CPD
    return [CPD]


@hookimpl
def bekwaam_settings():
    from core.config import Setting
    from plugins.vzi_mt.services import DEFAULT_WARN_DAYS
    # Days before a certification period ends that its alert is raised (no environment variable yet).
    return [Setting("VZI_WARN_DAYS", default=DEFAULT_WARN_DAYS)]


@hookimpl
def bekwaam_reason_texts():
    # Dutch, as the VZI certificatienormen MT say it; a reason's own message_nl (with its dates) comes first.
    return {
        "vzi_certified": "VZI: gecertificeerd op of boven het vereiste niveau en de vereiste aanduiding.",
        "vzi_not_certified": "VZI: niet gecertificeerd op die dag (een basisregistratie is geen certificering).",
        "vzi_period_expired": "VZI: de laatste certificeringsperiode was op die dag afgelopen.",
        "vzi_level_too_low": "VZI: gecertificeerd, maar op een lager niveau dan vereist.",
        "vzi_designation_too_low": "VZI: gecertificeerd, maar met een lagere aanduiding dan vereist.",
    }


@hookimpl
def bekwaam_labels():
    from flask_babel import lazy_gettext as _l
    return {"in_training": _l("in training"), "professional": _l("professional"), "expert": _l("expert"),
            "certified": _l("certified"), "base": _l("base registration"), "none": _l("none"),
            # the plugin's tables, as the audit trail names them
            "vzi_mt_education": _l("VZI education"), "vzi_mt_certificate": _l("VZI certificate"),
            "vzi_mt_position": _l("VZI position"), "vzi_mt_cpd_activity": _l("CPD activity"),
            "vzi_mt_work_experience": _l("VZI work experience"), "vzi_mt_certification": _l("VZI certification"),
            "vzi_mt_registration_cancellation": _l("VZI registration cancellation")}


@hookimpl
def bekwaam_dashboard_queues(session, viewer, on):
    from plugins.vzi_mt.web import dashboard_queues
    return dashboard_queues(session, viewer, on)


@hookimpl
def bekwaam_dashboard_tiles(session, viewer, on):
    from plugins.vzi_mt.web import dashboard_tiles
    return dashboard_tiles(session, viewer, on)
