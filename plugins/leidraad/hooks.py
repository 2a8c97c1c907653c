"""Hook implementations of the Leidraad plugin: each delegates to services."""
from __future__ import annotations

import os

from core.plugins import hookimpl
from plugins.leidraad import models  # noqa: F401 - registers the tables


@hookimpl
def bekwaam_migration_dirs():
    return [os.path.join(os.path.dirname(__file__), "migrations", "versions")]


@hookimpl
def bekwaam_api_blueprints():
    from plugins.leidraad.api import blp
    return [blp]


@hookimpl
def bekwaam_activity_requirement_schemas():
    from plugins.leidraad.schemas import ActivityRequirementSchema
    return {"leidraad": ActivityRequirementSchema}


@hookimpl
def bekwaam_can_perform_conditions(staff_ids, activity, device_type, on):
    from plugins.leidraad import services
    return services.conditions(staff_ids, activity, device_type, on)


@hookimpl
def bekwaam_competence_expiry(competence):
    from plugins.leidraad import services
    return services.expiry_for(competence)


@hookimpl
def bekwaam_release_blockers(device_type, on):
    from plugins.leidraad import services
    return services.release_missing(device_type, on)


@hookimpl(tryfirst=True)
def bekwaam_alert_events(as_of, horizons):
    """No events of its own: the nightly run first brings stored expiries up to the
    screenings and policy versions whose date has arrived, so the core's expiry
    events, the matrix and the dashboard follow without anyone editing anything."""
    from plugins.leidraad import services
    services.nightly_recompute(as_of)
    return []


@hookimpl
def bekwaam_web_blueprints():
    from plugins.leidraad.web import blp
    return [blp]


@hookimpl
def bekwaam_device_type_panels(session, device_type, viewer, on):
    from plugins.leidraad.web import device_type_panels
    return device_type_panels(session, device_type, viewer, on)


@hookimpl
def bekwaam_demo_data(session, today, size):
    from plugins.leidraad import demo
    demo.load(session, today, large=size == "large")
