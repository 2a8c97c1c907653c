"""The outside channels: an e-mail digest over SMTP and a signed JSON webhook.

Only the standard library talks to the outside (smtplib, urllib.request); each
function either returns (the message was accepted) or raises (it was not), and
the caller records the outcome on the delivery rows.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.dates import dutch_day

SMTP_TIMEOUT = 30
WEBHOOK_TIMEOUT = 10
SIGNATURE_HEADER = "X-Bekwaam-Signature"

KIND_LABELS = {
    "nl": {
        "competence_expiring": "Bekwaamheid verloopt",
        "competence_expired": "Bekwaamheid verlopen",
        "assignment_ending": "Rol eindigt",
        "coverage_below_minimum": "Te weinig bekwame technici",
    },
    "en": {
        "competence_expiring": "Competence expiring",
        "competence_expired": "Competence expired",
        "assignment_ending": "Role ending",
        "coverage_below_minimum": "Too few competent technicians",
    },
}
TEXTS = {
    "nl": {
        "subject": "Bekwaam: {n} nieuwe melding(en)",
        "intro": "Goedemorgen,\n\nBekwaam heeft {n} nieuwe melding(en) voor u:\n",
        "due": "datum",
        "outro": "\nU vindt alle meldingen ook in Bekwaam onder Meldingen.\n\n-- \nBekwaam (automatisch bericht)\n",
    },
    "en": {
        "subject": "Bekwaam: {n} new alert(s)",
        "intro": "Good morning,\n\nBekwaam has {n} new alert(s) for you:\n",
        "due": "date",
        "outro": "\nAll alerts are also listed in Bekwaam under Alerts.\n\n-- \nBekwaam (automatic message)\n",
    },
}


def digest_text(alerts, locale: str) -> tuple[str, str]:
    """(subject, body) of one recipient's digest, in Dutch or English."""
    locale = locale if locale in TEXTS else "nl"
    texts, labels = TEXTS[locale], KIND_LABELS[locale]
    lines = []
    for alert in sorted(alerts, key=lambda a: (a.due_on, a.id)):
        message = (alert.message_nl or alert.message) if locale == "nl" else alert.message
        label = labels.get(alert.kind, alert.kind.replace("_", " "))
        due = dutch_day(alert.due_on) if locale == "nl" else alert.due_on.isoformat()
        lines.append(f"- {label} ({texts['due']} {due}): {message}")
    body = texts["intro"].format(n=len(alerts)) + "\n" + "\n".join(lines) + "\n" + texts["outro"]
    return texts["subject"].format(n=len(alerts)), body


def send_digests(config: dict, digests: list[tuple[str, str, str]]):
    """Send (recipient, subject, body) messages over one SMTP connection.

    Yields (recipient, error or None) per message; a connection failure raises
    before anything is yielded, so every digest stays pending.
    """
    host, port = config["BEKWAAM_SMTP_HOST"], int(config.get("BEKWAAM_SMTP_PORT") or 25)
    sender = config.get("BEKWAAM_SMTP_FROM") or "bekwaam@localhost"
    if port == 465:
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with smtp:
        if config.get("BEKWAAM_SMTP_TLS") and port != 465:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("BEKWAAM_SMTP_USER"):
            smtp.login(config["BEKWAAM_SMTP_USER"], config.get("BEKWAAM_SMTP_PASSWORD") or "")
        for recipient, subject, body in digests:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, recipient, subject
            message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="bekwaam")
            message.set_content(body)
            try:
                smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
            except smtplib.SMTPServerDisconnected:
                raise
            except smtplib.SMTPException as exc:
                yield recipient, f"{exc.__class__.__name__}: {exc}"
                continue
            yield recipient, None


def webhook_body(alert) -> bytes:
    """The JSON body of one alert; the exact bytes are what the signature covers."""
    payload = {
        "id": alert.id, "key": alert.key, "kind": alert.kind, "source": alert.source,
        "subject": ({"type": "staff", "id": alert.staff_id} if alert.staff_id is not None
                    else {"type": "device_type", "id": alert.device_type_id}),
        "staff_id": alert.staff_id, "device_type_id": alert.device_type_id,
        "due_on": alert.due_on.isoformat(), "horizon_days": alert.horizon_days,
        "message": alert.message, "message_nl": alert.message_nl,
        "created_at": alert.created_at.isoformat(),
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(url: str, body: bytes, secret: str | None, delivery_id: int, key: str) -> None:
    """POST one alert; anything but a 2xx answer raises."""
    headers = {"Content-Type": "application/json", "User-Agent": "Bekwaam-alerts",
               "X-Bekwaam-Delivery": str(delivery_id), "X-Bekwaam-Key": key}
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 - operator's URL
        if not 200 <= response.status < 300:
            raise OSError(f"webhook answered {response.status}")
