"""Delivery over a real SMTP server and a real HTTP receiver: recipients, language, once, retries."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from core.alerts import services
from core.auth.models import User
from core.db import utcnow
from core.extensions import db
from tests.alerts.conftest import days
from tests.alerts.helpers import (
    AS_OF, add, alerts, competence, deliveries, department, device, device_type, minimum, staff,
)

LATER = dt.timedelta(days=2)  # past any backoff


def user(email, role="technician", locale="nl", staff_id=None, department_id=None):
    return add(User(email=email, role=role, locale=locale, staff_id=staff_id, department_id=department_id))


def body(message) -> str:
    return message.get_content()


def test_digest_to_person_and_manager_in_their_language(actx, smtp):
    boss = staff("Bert Baas", email="bert@hospital.test")
    anna = staff("Anna Jansen", email="Anna@Hospital.test", manager_id=boss.id)
    user("anna.login@hospital.test", locale="en", staff_id=anna.id)  # Anna's language via her staff record
    user("bert@hospital.test", role="manager", locale="nl")  # Bert's via his e-mail
    pump, monitor = device_type("Infuuspomp"), device_type("Monitor")
    competence(anna, pump.id, AS_OF + days(20))
    competence(anna, monitor.id, AS_OF + days(5))

    result = services.run_day(AS_OF)
    assert (result["created"], result["delivered"], result["failed"]) == (2, 4, 0)

    [to_anna] = smtp.sink.to("anna@hospital.test")
    [to_bert] = smtp.sink.to("bert@hospital.test")
    assert len(smtp.sink.messages) == 2  # one digest per recipient, not one per alert
    assert to_anna["Subject"] == "Bekwaam: 2 new alert(s)" and to_anna["From"] == "bekwaam@hospital.test"
    assert "Competence expiring" in body(to_anna) and "Infuuspomp" in body(to_anna) and "Monitor" in body(to_anna)
    assert "expires on " + (AS_OF + days(20)).isoformat() in body(to_anna)
    assert to_bert["Subject"] == "Bekwaam: 2 nieuwe melding(en)"
    assert "Bekwaamheid verloopt" in body(to_bert) and "verloopt op " + (AS_OF + days(5)).strftime("%d-%m-%Y") in body(to_bert)
    assert "Anna Jansen" in body(to_bert)


def test_unknown_reader_gets_dutch_and_no_address_no_mail(actx, smtp):
    competence(staff(email="piet@hospital.test"), device_type().id, AS_OF + days(3))
    competence(staff(email=None), device_type().id, AS_OF + days(3))
    services.run_day(AS_OF)
    [message] = smtp.sink.to("piet@hospital.test")
    assert "Bekwaamheid verloopt" in body(message)
    assert len(smtp.sink.messages) == 1
    assert len(alerts()) == 2  # both stored for the in-app list


def test_one_message_per_key_across_runs(actx, smtp, webhook):
    competence(staff(email="kees@hospital.test"), device_type().id, AS_OF + days(25))
    services.run_day(AS_OF)
    services.run_day(AS_OF)  # the scheduler again: the day is claimed, nothing collected
    services.run_day(AS_OF, manual=True)  # by hand: collected again, nothing new
    services.run_day(AS_OF + days(1))  # the next day: same horizon (30), same key
    services.deliver_pending(utcnow() + LATER)
    assert len(smtp.sink.to("kees@hospital.test")) == 1
    assert len(webhook.calls) == 1 and len(alerts()) == 1
    services.run_day(AS_OF + days(18))  # 7 days left: the 7-day horizon is a new key
    assert len(smtp.sink.to("kees@hospital.test")) == 2 and len(webhook.calls) == 2


def test_webhook_is_signed_with_hmac_sha256_of_the_raw_body(actx, webhook):
    person = staff()
    competence(person, device_type().id, AS_OF + days(60))
    services.run_day(AS_OF)
    [(headers, raw)] = webhook.calls
    expected = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Bekwaam-Signature"], expected)
    payload = json.loads(raw)
    assert headers["X-Bekwaam-Key"] == payload["key"] == alerts()[0].key
    assert payload["subject"] == {"type": "staff", "id": person.id}
    assert (payload["kind"], payload["horizon_days"], payload["due_on"]) == (
        "competence_expiring", 90, (AS_OF + days(60)).isoformat())
    assert headers["Content-Type"] == "application/json"


def test_webhook_failure_is_retried_with_backoff_and_sent_once(actx, webhook):
    actx.config["BEKWAAM_ALERT_RETRY_SECONDS"] = 300
    competence(staff(), device_type().id, AS_OF + days(60))
    webhook.status = 503
    now = utcnow()
    services.run_day(AS_OF, now=now)
    [row] = deliveries("webhook")
    assert row.delivered_at is None and row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at == now + dt.timedelta(seconds=300)
    services.deliver_pending(now + dt.timedelta(seconds=60))  # not due yet
    assert len(webhook.calls) == 1
    services.deliver_pending(now + dt.timedelta(seconds=301))  # fails again: the wait doubles
    [row] = deliveries("webhook")
    assert row.attempts == 2 and row.next_attempt_at == now + dt.timedelta(seconds=301 + 600)
    webhook.status = 200
    services.deliver_pending(now + LATER)
    services.deliver_pending(now + LATER + LATER)
    [row] = deliveries("webhook")
    assert row.delivered_at is not None and row.attempts == 3 and row.last_error is None
    assert len(webhook.calls) == 3  # two refused, one accepted, nothing after


def test_smtp_down_then_up_delivers_once(actx, smtp):
    competence(staff(email="els@hospital.test"), device_type().id, AS_OF + days(10))
    smtp.stop()
    now = utcnow()
    result = services.run_day(AS_OF, now=now)
    assert result["failed"] == 1
    [row] = deliveries("email")
    assert row.delivered_at is None and row.attempts == 1 and "Connection refused" in row.last_error
    smtp.start()
    services.run_day(AS_OF + days(1), now=now + LATER)
    services.run_day(AS_OF + days(2), now=now + LATER + LATER)
    [row] = deliveries("email")
    assert row.delivered_at is not None and row.attempts == 2
    assert len(smtp.sink.to("els@hospital.test")) == 1


def test_coverage_alert_goes_to_admins_and_the_managers_of_departments_with_that_type(actx, smtp):
    top = department()
    icu, other = department(parent_id=top.id), department()
    kind = device_type("Dialyse")
    device(kind.id, icu.id)
    minimum(type_id=kind.id, count=1)
    user("admin@hospital.test", role="admin", locale="en")
    user("top.manager@hospital.test", role="manager", department_id=top.id)
    user("other.manager@hospital.test", role="manager", department_id=other.id)
    user("tech@hospital.test", role="technician")
    user("gone@hospital.test", role="admin").active = False
    db.session.commit()
    services.run_day(AS_OF)
    recipients = sorted(r for rcpts, _ in smtp.sink.messages for r in rcpts)
    assert recipients == ["admin@hospital.test", "top.manager@hospital.test"]
    [to_admin] = smtp.sink.to("admin@hospital.test")
    assert "Too few competent technicians" in body(to_admin) and "Dialyse" in body(to_admin)
    [to_manager] = smtp.sink.to("top.manager@hospital.test")
    assert "Te weinig bekwame technici" in body(to_manager)


def test_no_channel_configured_stores_in_app_only(actx):
    competence(staff(email="x@hospital.test"), device_type().id, AS_OF + days(10))
    result = services.run_day(AS_OF)
    assert result["created"] == 1 and deliveries() == []


def test_channel_configured_later_does_not_resend_old_alerts(actx, smtp):
    actx.config["BEKWAAM_SMTP_HOST"] = None
    competence(staff(email="y@hospital.test"), device_type().id, AS_OF + days(10))
    services.run_day(AS_OF)
    actx.config["BEKWAAM_SMTP_HOST"] = "127.0.0.1"
    services.run_day(AS_OF + days(1))
    assert smtp.sink.messages == []
