"""The BIG plugin's part of the pages: the registration panel of a person's profile."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask_babel import gettext as _

from core.contract import DashboardTile, Panel
from plugins.big_kt import services

# No pages of its own: the blueprint puts the plugin's templates (the profile panel) on the
# app's template path. Without it the panel of a registered clinical technologist was not found.
blp = Blueprint("big_kt", __name__, template_folder="templates")
blp.bekwaam_access = {}


def profile_panels(session, staff, viewer, on: dt.date) -> list[Panel]:
    summary = services.staff_summary(staff.id, on)
    if summary is None:
        return []  # not a clinical technologist: nothing to show
    return [Panel(title=_("BIG registration"), template="big_kt/registration_panel.html", order=35, anchor="big",
                  context={"big": summary, "rereg": services.reregistration_progress(staff.id, on)})]


def dashboard_tiles(session, viewer, on: dt.date) -> list[DashboardTile]:
    """A clinical technologist's own BIG standing on their home page."""
    if viewer.role != "technician" or viewer.staff_id is None:
        return []
    summary = services.staff_summary(viewer.staff_id, on)
    if summary is None:
        return []
    from core.web.context import label
    from core.web.formats import datum
    due = dt.date.fromisoformat(summary["due"]) if summary["due"] else None
    text = _("BIG registration, re-registration due %(date)s", date=datum(due)) if due else _("BIG registration")
    soon = due is not None and due <= on + dt.timedelta(days=365)
    return [DashboardTile(label=text, value=label(summary["status"]), endpoint="web.staff_profile", order=20,
                          values={"staff_id": viewer.staff_id, "_anchor": "big"},
                          tone="expiring" if soon or summary["status"] != "registered" else "")]
