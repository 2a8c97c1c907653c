"""Cached per-request constants (core/constants.py): a change is seen by the very next request,
on this worker and on another one, whatever wrote it."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, text

from tests.conftest import migrated_app
from tests.plugins.leidraad.test_api import API, ask, leidraad, screen
from tests.plugins.leidraad.test_fail_closed import released  # noqa: F401 - fixture

DAY = "2025-06-01"


@pytest.fixture(autouse=True)
def _tvb_configured_long_ago(tvb_since_long_ago):
    """The questions are about 2025 with a matrix set up today (tests/conftest.py)."""


def _statements(app, fn):
    from core.extensions import db

    found = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: found.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(found), result


def test_the_cache_is_used_for_a_repeated_question(app, client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    first, answer = _statements(app, lambda: ask(client, admin, p, use, t, DAY))
    again, same = _statements(app, lambda: ask(client, admin, p, use, t, DAY))
    assert answer == same and answer["allowed"] is True
    assert again < first  # the type's phase, context and releases came from the cache


def test_a_rescreening_is_seen_by_the_next_request(client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    assert ask(client, admin, p, use, t, DAY)["allowed"] is True  # cached now
    screen(client, admin, t, usage_context="high", novelty="medium", impact="medium", screened_on=DAY)
    answer = ask(client, admin, p, use, t, DAY)
    assert answer["allowed"] is False and ("not_released_since_rescreening", False) in leidraad(answer)


def test_a_change_written_around_the_orm_is_seen_by_the_next_request(app, client, admin, released):  # noqa: F811
    """A trigger, not the application, raises the version: raw SQL and bulk statements count too."""
    from core.extensions import db

    t, p, use = released["type"], released["person"], released["use"]
    assert ask(client, admin, p, use, t, DAY)["allowed"] is True
    with app.app_context():
        db.session.execute(text("INSERT INTO device_type_phase (device_type_id, phase, valid_from, recorded_at) "
                                "VALUES (:t, 7, :day, :now)"),
                           {"t": t, "day": dt.date(2025, 5, 1), "now": dt.datetime.now(dt.timezone.utc)})
        db.session.commit()
    answer = ask(client, admin, p, use, t, DAY)
    assert answer["allowed"] is False
    assert ("decommissioned", False) in [(r["code"], r["ok"]) for r in answer["reasons"] if r["source"] == "core"]


def test_another_worker_sees_a_change_on_its_next_request(app, database_url, client, admin, released):  # noqa: F811
    """Two apps on one database stand for two gunicorn workers, each with its own cache."""
    from core.extensions import db

    t, p, use = released["type"], released["person"], released["use"]
    other = migrated_app(database_url)
    other_client = other.test_client()
    try:
        assert ask(other_client, admin, p, use, t, DAY)["allowed"] is True  # the other worker caches
        assert ask(other_client, admin, p, use, t, DAY)["allowed"] is True
        screen(client, admin, t, usage_context="high", novelty="medium", impact="medium", screened_on=DAY)
        answer = ask(other_client, admin, p, use, t, DAY)
        assert answer["allowed"] is False and ("not_released_since_rescreening", False) in leidraad(answer)
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_renamed_activity_is_named_in_the_next_answer(client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    assert "'Klinisch gebruik'" in ask(client, admin, p, use, t, DAY)["reasons"][0]["message"]
    response = client.patch(f"{API}/tvb/activities/{use}", headers=admin, json={"name": "Bediening aan het bed"})
    assert response.status_code == 200, response.json
    assert "'Bediening aan het bed'" in ask(client, admin, p, use, t, DAY)["reasons"][0]["message"]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_writing_request_does_not_use_the_cache(app, method):
    from core.constants import cached

    calls = []
    with app.test_request_context("/", method=method):
        cached("test", (1,), lambda: calls.append(1))
        cached("test", (1,), lambda: calls.append(1))
    assert len(calls) == 2


def test_outside_a_request_a_batch_reads_the_constants_once_and_a_next_batch_sees_a_change(app, released):  # noqa: F811
    """A script deciding many times outside a request: without ``batch()`` every call reads the
    type's phase, Leidraad context and releases again; inside one it reads them once (and the
    version once), with the same answers; a change committed afterwards is seen by the next batch."""
    from core import constants
    from core.decision.services import can_perform
    from core.devices.models import DeviceType
    from core.extensions import db
    from core.tvb.models import Activity

    day = dt.date.fromisoformat(DAY)
    with app.app_context():
        kind, use = db.session.get(DeviceType, released["type"]), db.session.get(Activity, released["use"])

        def decide_twice():
            return [can_perform(released["person"], use, kind, day).allowed for _ in range(2)]
        plain, answers = _statements(app, decide_twice)
        assert answers == [True, True]
        with constants.batch():
            decide_twice()  # fills the cache under the current version
            cached, same = _statements(app, decide_twice)
        assert same == answers
        # Each call outside a batch reads 3 constants; in the batch, none (not even the version).
        assert plain - cached == 6
        db.session.execute(text("UPDATE device_type SET lifecycle_phase = 7 WHERE id = :id"), {"id": kind.id})
        db.session.execute(text("INSERT INTO device_type_phase (device_type_id, phase, valid_from, recorded_at) "
                                "VALUES (:id, 7, :day, CURRENT_TIMESTAMP)"), {"id": kind.id, "day": day})
        db.session.commit()
        with constants.batch():
            assert decide_twice() == [False, False]  # the phase change raised cache_version
        db.session.rollback()


def test_today_every_types_constants_are_read_at_once_and_a_change_is_seen_next(app, database_url, client, admin,
                                                                               released):  # noqa: F811
    """For today the phase, Leidraad context and device-type rows of all types are one cached entry
    each (core.constants.for_all_today): a re-screening and a phase row written around the ORM are
    still seen by the next request, on this worker and on another."""
    from core.extensions import db

    t, p, use = released["type"], released["person"], released["use"]
    other = migrated_app(database_url)
    other_client = other.test_client()
    today = dt.date.today()
    try:
        for asking in (client, other_client):
            assert ask(asking, admin, p, use, t)["allowed"] is True  # today: read for all types at once
        first, _ = _statements(app, lambda: ask(client, admin, p, use, t))
        screen(client, admin, t, usage_context="high", novelty="medium", impact="medium")  # today, class raised
        for asking in (client, other_client):
            answer = ask(asking, admin, p, use, t)
            assert answer["allowed"] is False and ("not_released_since_rescreening", False) in leidraad(answer)
        with app.app_context():
            db.session.execute(text("INSERT INTO device_type_phase (device_type_id, phase, valid_from, recorded_at) "
                                    "VALUES (:t, 7, :day, :now)"),
                               {"t": t, "day": today, "now": dt.datetime.now(dt.timezone.utc)})
            db.session.commit()
        for asking in (client, other_client):
            answer = ask(asking, admin, p, use, t)
            assert ("decommissioned", False) in [(r["code"], r["ok"]) for r in answer["reasons"]
                                                 if r["source"] == "core"]
        again, _ = _statements(app, lambda: ask(client, admin, p, use, t))
        assert again == first  # cached again after the change: no statement per type
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
