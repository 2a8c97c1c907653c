"""The BIG plugin's part of the pages: the registration panel of a person's profile."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint
from flask_babel import gettext as _

from core.contract import Panel
from plugins.big_kt import services

# No routes: the blueprint only makes the panel's template (templates/big_kt/) findable.
blp = Blueprint("big_kt", __name__, template_folder="templates")


def profile_panels(session, staff, viewer, on: dt.date) -> list[Panel]:
    summary = services.staff_summary(staff.id, on)
    if summary is None:
        return []  # not a clinical technologist: nothing to show
    return [Panel(title=_("BIG registration"), template="big_kt/registration_panel.html", order=35, anchor="big",
                  context={"big": summary})]
