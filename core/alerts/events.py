"""What a plugin (or the core) contributes to the nightly alert run (docs/alerts.md)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class AlertEvent:
    """One expiry event.

    ``key`` identifies the event for ever: the same subject, kind, due date and
    horizon always give the same key, so reruns never create a second alert.
    Exactly one of ``staff_id`` and ``device_type_id`` names the subject.
    ``message`` is English (the API's language); ``message_nl`` optionally Dutch,
    used for Dutch e-mail readers (English is the fallback).
    """

    source: str  # "core" or the plugin name
    kind: str  # e.g. "competence_expiring", "vzi_period_ending"
    due_on: dt.date
    message: str
    staff_id: int | None = None
    device_type_id: int | None = None
    horizon_days: int | None = None
    # Distinguishes two events of one kind on one subject (e.g. the competence id).
    detail: str = ""
    # The Dutch text, when the source has one; ``message`` is English. Not part of the key.
    message_nl: str = ""

    @cached_property  # read several times per event in a run of tens of thousands
    def key(self) -> str:
        subject = f"staff:{self.staff_id}" if self.staff_id is not None else f"device_type:{self.device_type_id}"
        horizon = "" if self.horizon_days is None else str(self.horizon_days)
        return "|".join((self.source, self.kind, subject, self.detail, self.due_on.isoformat(), horizon))
