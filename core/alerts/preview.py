"""What an alert run would store and send, without storing or sending (``bekwaam alerts run --dry-run``)."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from core.alerts import services
from core.extensions import db


def preview(as_of: dt.date) -> list[dict]:
    """The events a run for ``as_of`` would add (keys not stored yet) and where each would go."""
    events = {event.key: event for event in services.collect(as_of)}
    stored = services._stored_keys(list(events))  # the same cheap index read as a real run
    new = [event for key, event in sorted(events.items()) if key not in stored]
    config = current_app.config
    recipients = services.email_recipients(new) if config.get("BEKWAAM_SMTP_HOST") else {}
    webhook = config.get("BEKWAAM_WEBHOOK_URL")
    planned = []
    for event in new:
        to = [f"e-mail {address}" for address in recipients.get(services._subject(event), ())]
        if webhook:
            to.append("webhook")
        planned.append({"event": event, "to": to})
    # Collecting may have touched the session (plugins read through it): leave nothing behind.
    db.session.rollback()
    return planned
