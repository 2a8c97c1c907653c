"""Fixtures for the alert tests: an app without the built-in plugins (so only
the core's events are collected), a real SMTP server (aiosmtpd) and a real
HTTP webhook receiver, both on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata

import pytest

from core import create_app
from core.extensions import db
from tests import conftest as base

NO_CHANNELS = {"BEKWAAM_SMTP_HOST": None, "BEKWAAM_WEBHOOK_URL": None, "BEKWAAM_WEBHOOK_SECRET": None,
               "BEKWAAM_ALERT_HORIZONS": [90, 30, 7], "BEKWAAM_ALERT_HORIZONS_BY_ROLE": {},
               "BEKWAAM_TIMEZONE": "Europe/Amsterdam"}


def builtin_plugins() -> list[str]:
    return [ep.name for ep in metadata.entry_points(group="bekwaam.plugins")]


@pytest.fixture(scope="session")
def alerts_app(app, database_url):
    """Same database as ``app``; the built-in plugins are switched off so their events don't mix in."""
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "test-secret",
                        "WTF_CSRF_ENABLED": False, "BEKWAAM_DISABLED_PLUGINS": builtin_plugins(), **NO_CHANNELS})
    base._APPS.append(other)
    return other


@pytest.fixture
def actx(alerts_app):
    """An app context on ``alerts_app``; config changes made in the test are undone after it."""
    saved = dict(alerts_app.config)
    with alerts_app.app_context():
        yield alerts_app
        db.session.rollback()
    alerts_app.config.clear()
    alerts_app.config.update(saved)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """aiosmtpd handler keeping every accepted message."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for rcpts, m in self.messages if address in rcpts]


class SmtpServer:
    def __init__(self, port: int):
        self.port, self.sink, self.controller = port, SmtpSink(), None

    def start(self):
        from aiosmtpd.controller import Controller
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(actx):
    """A running SMTP server, configured as the app's e-mail channel."""
    server = SmtpServer(free_port())
    server.start()
    actx.config.update(BEKWAAM_SMTP_HOST="127.0.0.1", BEKWAAM_SMTP_PORT=server.port,
                       BEKWAAM_SMTP_FROM="bekwaam@hospital.test", BEKWAAM_SMTP_TLS=False)
    yield server
    server.stop()


class Receiver:
    """A stdlib HTTP server in a thread that records each POST; ``status`` is what it answers."""

    def __init__(self):
        self.calls, self.status = [], 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def ok_calls(self):
        return [(h, b) for h, b in self.calls]

    def keys(self):
        return [json.loads(body)["key"] for _, body in self.calls]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(actx):
    receiver = Receiver()
    actx.config.update(BEKWAAM_WEBHOOK_URL=receiver.url, BEKWAAM_WEBHOOK_SECRET="s3cret")
    yield receiver
    receiver.close()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
