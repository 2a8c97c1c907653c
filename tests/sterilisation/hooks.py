"""The sterilisation plugin's hook implementations (registered as ``sterilisation``).

In a real installation its ``setup.cfg`` names this module under the entry-point
group ``bekwaam.plugins``; the tests register it with ``BEKWAAM_EXTRA_PLUGINS``.
"""
from __future__ import annotations

import os

from marshmallow import fields

from core.contract import NavEntry, Reason
from core.plugins import hookimpl
from core.schemas import StrictSchema
from tests.sterilisation import register

NAME = register.NAME


class RequirementSchema(StrictSchema):
    """``requirements.sterilisation`` of a TVB activity: ``{"registered": true}``."""

    registered = fields.Boolean(required=True)


@hookimpl
def bekwaam_migration_dirs():
    return [os.path.join(os.path.dirname(__file__), "migrations", "versions")]


@hookimpl
def bekwaam_activity_requirement_schemas():
    return {NAME: RequirementSchema}


@hookimpl
def bekwaam_can_perform_conditions(session, staff_ids, activity, on):
    """Who must be registered, is registered on the day; when the register cannot be read, nobody is."""
    wanted = (activity.requirements or {}).get(NAME) or {}
    if not wanted.get("registered"):
        return {}
    try:
        numbers = register.registered_on(session, list(staff_ids), on)
    except register.RegisterUnreadable:
        # Fail closed: a rule that cannot be checked says no, and says why.
        return {sid: [Reason(NAME, "sterilisation_register_unreadable",
                             "Het register van sterilisatieassistenten kon niet worden gelezen; "
                             "daarom niet toegestaan.", False)] for sid in staff_ids}
    day = on.strftime("%d-%m-%Y")
    return {sid: [Reason(NAME, "sterilisation_registered",
                         f"Geregistreerd als sterilisatieassistent op {day} (nummer {numbers[sid]}).", True)
                  if sid in numbers else
                  Reason(NAME, "sterilisation_not_registered",
                         f"Niet geregistreerd als sterilisatieassistent op {day}.", False)]
            for sid in staff_ids}


@hookimpl
def bekwaam_web_blueprints():
    from tests.sterilisation.web import blp
    return [blp]


@hookimpl
def bekwaam_profile_panels(session, staff, viewer, on):
    from tests.sterilisation.web import profile_panel
    return [profile_panel(session, staff, on)]


@hookimpl
def bekwaam_device_type_panels(session, device_type, viewer, on):
    from tests.sterilisation.web import device_type_panel
    return [device_type_panel(session, device_type, viewer, on)]


@hookimpl
def bekwaam_nav_entries(viewer):
    return [NavEntry(label="Sterilisatie", endpoint=f"{NAME}_web.index")]
