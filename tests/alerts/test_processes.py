"""Several processes run the same day's job at the same time: every alert is stored and delivered once."""
from __future__ import annotations

import collections
import multiprocessing
import os
import queue

import pytest
from sqlalchemy import func, select

from core.alerts.models import Alert, AlertDelivery, AlertRun
from core.extensions import db
from tests import conftest as base
from tests.alerts.conftest import NO_CHANNELS, Receiver, SmtpServer, builtin_plugins, days, free_port
from tests.alerts.helpers import AS_OF, competence, department, device, device_type, minimum, staff
from tests.alerts.worker import run_job

PROCESSES = 4
PEOPLE = 6


def seed():
    boss = staff("Chef", email="chef@hospital.test")
    kind = device_type("Hartlongmachine")
    device(kind.id, department().id)
    minimum(type_id=kind.id, count=PEOPLE + 1)
    for i in range(PEOPLE):
        person = staff(email=f"tech{i}@hospital.test", manager_id=boss.id)
        competence(person, kind.id, AS_OF + days(5 + i))
        competence(person, device_type().id, AS_OF - days(1))
    # 2 alerts per person (expiring, expired) + 1 coverage alert
    return 2 * PEOPLE + 1


def backend() -> str:
    """The backend of this test run (BEKWAAM_TEST_DATABASE_URL), so each CI half runs it once."""
    return "postgresql" if os.environ.get("BEKWAAM_TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"


@pytest.fixture
def database(tmp_path):
    if backend() == "postgresql":
        base.require_postgres()
        url, drop = base.create_pg_database()
    else:
        url, drop = "sqlite:///" + str(tmp_path / "processes.sqlite"), (lambda: None)
    app = base.migrated_app(url, BEKWAAM_DISABLED_PLUGINS=builtin_plugins(), **NO_CHANNELS)
    yield url, app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop()


@pytest.mark.postgres
def test_concurrent_runs_store_and_deliver_each_alert_once(database):
    url, app = database
    smtp, receiver = SmtpServer(free_port()), Receiver()
    smtp.start()
    try:
        with app.app_context():
            expected = seed()
        config = {**NO_CHANNELS, "BEKWAAM_DISABLED_PLUGINS": builtin_plugins(),
                  "BEKWAAM_SMTP_HOST": "127.0.0.1", "BEKWAAM_SMTP_PORT": smtp.port,
                  "BEKWAAM_WEBHOOK_URL": receiver.url, "BEKWAAM_WEBHOOK_SECRET": "k"}
        spawn = multiprocessing.get_context("spawn")
        start, results = spawn.Event(), spawn.Queue()
        # two "schedulers" and two operators typing `bekwaam alerts run` for the same day
        workers = [spawn.Process(target=run_job, args=(url, config, AS_OF, i % 2 == 1, start, results))
                   for i in range(PROCESSES)]
        for worker in workers:
            worker.start()
        start.set()
        outcomes = []
        for _ in workers:
            try:
                outcomes.append(results.get(timeout=120))
            except queue.Empty:
                break
        for worker in workers:
            worker.join(30)
        assert [o.get("error") for o in outcomes] == [None] * PROCESSES, outcomes
        assert sum(o["claimed"] for o in outcomes) == 1, outcomes
        assert sum(o["created"] for o in outcomes) == expected

        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Alert)) == expected
            assert db.session.scalar(select(func.count()).select_from(AlertRun)) == 1
            pending = db.session.scalar(select(func.count()).select_from(AlertDelivery)
                                        .where(AlertDelivery.delivered_at.is_(None)))
            assert pending == 0
            keys = set(db.session.scalars(select(Alert.key)))
        # the webhook got each alert exactly once
        counted = collections.Counter(receiver.keys())
        assert set(counted) == keys and set(counted.values()) == {1}
        # one digest per recipient: each technician, their manager (all staff alerts), no admin here
        recipients = collections.Counter(r for rcpts, _ in smtp.sink.messages for r in rcpts)
        assert recipients == {**{f"tech{i}@hospital.test": 1 for i in range(PEOPLE)}, "chef@hospital.test": 1}
        chef = smtp.sink.to("chef@hospital.test")[0].get_content()
        assert chef.count("\n- ") == 2 * PEOPLE
    finally:
        smtp.stop()
        receiver.close()
