"""The plugin's settings (``bekwaam_settings``): the re-registration of the klinisch
technoloog (Wet BIG, art. 8) and the public BIG register. Unset: the built-in values of
``rules.DEFAULT_CONFIG`` (read in ``services.reregistration_config``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.config import Setting, split


def _months(raw: str) -> list[int]:
    months = [int(m) for m in split(raw)]
    if not months:
        raise ValueError("no months")
    return months


SETTINGS = [
    Setting("BIG_REREGISTRATION_EFFECTIVE_DATE", "BEKWAAM_BIG_REREGISTRATION_EFFECTIVE_DATE",
            check=dt.date.fromisoformat, expects="a date (YYYY-MM-DD)"),
    Setting("BIG_REREGISTRATION_HOURS", "BEKWAAM_BIG_REREGISTRATION_HOURS", check=Decimal, expects="a number of hours"),
    Setting("BIG_WARN_MONTHS", "BEKWAAM_BIG_WARN_MONTHS", check=_months,
            expects="whole months separated by commas, e.g. 12,6"),
    Setting("BEKWAAM_BIG_REGISTER_TIMEOUT", "BEKWAAM_BIG_REGISTER_TIMEOUT", default="10", check=float,
            expects="a number of seconds"),
    Setting("BEKWAAM_BIG_REGISTER_URL", "BEKWAAM_BIG_REGISTER_URL", default="https://api.bigregister.nl/zksrv/soap/4"),
]
