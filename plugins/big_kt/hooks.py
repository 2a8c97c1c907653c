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
def bekwaam_web_blueprints():
    from plugins.big_kt.web import blp
    return [blp]


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


@hookimpl
def bekwaam_reason_texts():
    # Dutch, as the Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog and the Wet BIG say it.
    return {
        "procedure_reserved_for_kt": "De handeling is een van de voorbehouden handelingen die een klinisch "
                                     "technoloog zelfstandig mag verrichten.",
        "procedure_not_reserved_for_kt": "Deze handeling mag een klinisch technoloog nooit zelfstandig verrichten.",
        "big_registered": "Op die dag BIG-geregistreerd als klinisch technoloog.",
        "not_registered_under_instruction": "Niet (meer) BIG-geregistreerd, geschorst of doorgehaald: alleen in "
                                            "opdracht van een zelfstandig bevoegde (opdrachtregeling).",
        "diploma_recognised": "Nederlands diploma, of een buitenlands diploma dat op die dag erkend was.",
        "foreign_diploma_not_recognised": "Buitenlands diploma zonder erkenning op die dag (artikel 7).",
        "not_restricted": "Geen beperking van de inschrijving geldt voor deze handeling op die dag.",
        "restricted": "Een beperking van de inschrijving geldt voor deze handeling op die dag.",
        "reregistration_in_order": "Geen herregistratietermijn verstreken zonder de norm te halen.",
        "reregistration_missed": "Een herregistratieperiode is geëindigd met minder uren dan de norm.",
        "within_subdomain": "Het technisch-geneeskundige deelgebied van de activiteit is er een van de persoon "
                            "op die dag.",
        "outside_subdomain": "Buiten de deelgebieden van de persoon op die dag.",
        "procedure_competence": "Een geldige bekwaamheid voor de handeling, afgetekend door de superviserend "
                                "specialist.",
        "procedure_competence_unsigned": "Er is een geldige bekwaamheid, maar die telt niet (niet afgetekend, "
                                         "zelf beoordeeld, te lichte methode of zonder eigen vervaldatum).",
        "no_procedure_competence": "Geen geldige bekwaamheid voor de handeling.",
        "protocol": "De activiteit noemt het protocol van de afdeling.",
        "no_protocol": "Geen protocol genoemd.",
    }


@hookimpl
def bekwaam_labels():
    from flask_babel import lazy_gettext as _l
    return {"registered": _l("registered"), "suspended": _l("suspended"), "struck_off": _l("struck off"),
            "restricted": _l("restricted"),
            # the alert kinds without a dashboard box of their own (they show in the alert inbox)
            "big_procedure_competence_expiring": _l("competence for a reserved procedure expiring"),
            "big_register_difference": _l("BIG register differs from the record"),
            "big_registration_inactive": _l("BIG registration not active"),
            "big_reregistration_missed": _l("BIG re-registration missed"),
            # the plugin's tables, as the audit trail names them
            "big_kt_registration": _l("BIG registration"), "big_kt_status_change": _l("BIG status change"),
            "big_kt_subdomain": _l("Clinical subdomain"), "big_kt_staff_subdomain": _l("Person's clinical subdomain"),
            "big_kt_work_hours": _l("BIG work hours"), "big_kt_quality_entry": _l("Quality register entry"),
            "big_kt_quality_activity": _l("Quality register activity"), "big_kt_verification": _l("BIG verification")}


@hookimpl
def bekwaam_dashboard_tiles(session, viewer, on):
    from plugins.big_kt.web import dashboard_tiles
    return dashboard_tiles(session, viewer, on)
