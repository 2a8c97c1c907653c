"""Rules on device types that the core owns: lifecycle phase and release date."""
from __future__ import annotations

import datetime as dt

from core.errors import abort, field_errors
from core.plugins_runtime import blockers_for_api, release_blockers

USE_PHASE = 6  # SPEC 5.4: 6 = use and maintenance (gebruik en instandhouding)


def check_lifecycle(device_type, data: dict, is_new: bool) -> None:
    """A type enters phase 6 only after release (SPEC 5.4).

    A type already in use when it is registered is entered in phase 6 with its
    ``released_on``. Setting ``released_on`` on an existing type is a release:
    every enabled plugin may block it and the refusal lists what is missing.
    """
    if device_type.lifecycle_phase is None:
        device_type.lifecycle_phase = 1
    if device_type.lifecycle_phase >= USE_PHASE and device_type.released_on is None:
        if is_new:
            field_errors({"released_on": ["A device type registered in phase 6 or 7 needs the date it was released."]})
        missing = blockers_for_api(release_blockers(device_type, dt.date.today()))
        hint = "" if missing else " Nothing is missing: release it (give released_on)."
        abort(409, message="A device type enters phase 6 only after its release." + hint, missing=missing)
    if not is_new and "released_on" in data and data["released_on"] is not None:
        missing = blockers_for_api(release_blockers(device_type, data["released_on"]))
        if missing:
            abort(409, message="The device type cannot be released yet.", missing=missing)
