"""Hook implementations of the big_kt plugin (klinisch technoloog, Wet BIG)."""
from __future__ import annotations

import os

from core.plugins import hookimpl
from plugins.big_kt import models  # noqa: F401  (the plugin's tables on the metadata)


@hookimpl
def bekwaam_migration_dirs():
    return [os.path.join(os.path.dirname(__file__), "migrations", "versions")]


@hookimpl
def bekwaam_api_blueprints():
    from plugins.big_kt.api import blp
    return [blp]


@hookimpl
def bekwaam_cli_commands():
    from plugins.big_kt.cli import big
    return [big]


@hookimpl
def bekwaam_activity_requirement_schemas():
    from plugins.big_kt.schemas import BigRequirementSchema
    return {"big_kt": BigRequirementSchema}


@hookimpl
def bekwaam_can_perform_conditions(session, staff_ids, activity, device_type, on):
    from plugins.big_kt.services import can_perform_conditions
    return can_perform_conditions(staff_ids, activity, on)


@hookimpl
def bekwaam_alert_events(session, as_of, horizons):
    from plugins.big_kt.services import alert_events
    return alert_events(as_of, horizons)


@hookimpl
def bekwaam_staff_summary(session, staff_id, on):
    from plugins.big_kt.services import staff_summary
    return staff_summary(staff_id, on)


@hookimpl
def bekwaam_profile_panels(session, staff, viewer, on):
    from plugins.big_kt.web import profile_panels
    return profile_panels(session, staff, viewer, on)


@hookimpl
def bekwaam_alert_labels():
    from flask_babel import lazy_gettext as _l
    return {"big_reregistration_due": _l("BIG re-registrations due")}


@hookimpl
def bekwaam_demo_data(session, today, size):
    if size == "large":
        from plugins.big_kt.demo import load_large
        return load_large(session, today, seed=session.info.get("bekwaam_demo_seed", 2026))
    else:
        from plugins.big_kt.services import demo_data
        demo_data(session, today)


@hookimpl
def bekwaam_evidence(session, staff_ids, on):
    from plugins.big_kt.evidence import evidence
    return evidence(staff_ids, on)


@hookimpl
def bekwaam_privacy_rules():
    from core.dataio.privacy import PrivacyRule
    # Erasure: 11 characters, never a valid BIG number.
    return [PrivacyRule("big_kt_registration", lambda row_id, staff_id: {"big_number": f"X{staff_id:010d}"})]


@hookimpl
def bekwaam_settings():
    from plugins.big_kt.settings import SETTINGS
    return SETTINGS
