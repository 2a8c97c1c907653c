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


@hookimpl
def bekwaam_reason_texts():
    # Dutch, as the Leidraad Medische Technologie 2026 says it; a reason's own message_nl comes first.
    return {
        "released": "Het apparaattype was op die dag vrijgegeven voor gebruik.",
        "not_released": "Het apparaattype was op die dag niet vrijgegeven voor gebruik (vrijgave, Leidraad "
                        "Medische Technologie 2026, fase 5).",
        "not_released_since_rescreening": "Een herscreening na de vrijgave vraagt een PRI of verhoogde de "
                                          "risicoklasse: gebruik is opgeschort tot de nieuwe goedkeuringen en "
                                          "een nieuwe vrijgave.",
        "device_type_required": "Deze activiteit vraagt een bekwaamheid voor een apparaattype, en er is geen "
                                "apparaattype gekozen.",
        "not_screened": "Het apparaattype had op die dag geen risicoscreening: niemand is ervoor bekwaam.",
        "competent": "Bekwaam: een geldige bekwaamheid in de vereiste rol, met een toereikende methode.",
        "method_insufficient": "Er is een geldige bekwaamheid, maar de methode is lichter dan de risicoklasse "
                               "vraagt.",
        "competence_expired": "De bekwaamheid met een toereikende methode is verlopen.",
        "competence_missing": "Geen bekwaamheid in de vereiste rol voor dit apparaattype.",
        "reinstruction_due": "Een veiligheidsmelding of terugroepactie vroeg om herinstructie vóór een datum "
                             "die verstreken is.",
    }


@hookimpl
def bekwaam_labels():
    from flask_babel import lazy_gettext as _l
    # the plugin's tables, as the audit trail names them
    return {"leidraad_screening": _l("Risk screening"), "leidraad_policy": _l("Competence policy"),
            "leidraad_override": _l("Requirement override"), "leidraad_approval": _l("Release approval"),
            "leidraad_release": _l("Release"), "leidraad_safety_notice": _l("Safety notice")}
