"""Verification against the public BIG register, with the local fake service only."""
import datetime as dt
import logging

import pytest

from tests.plugins.big_kt.conftest import BIG, next_big_number
from tests.plugins.big_kt.fake_register import FakeMeasure, FakeRegister


@pytest.fixture
def fake(app, monkeypatch):
    with FakeRegister() as service:
        monkeypatch.setitem(app.config, "BEKWAAM_BIG_REGISTER_URL", service.url)
        monkeypatch.setitem(app.config, "BEKWAAM_BIG_REGISTER_TIMEOUT", 0.3)
        yield service


def _kt(big, fake, in_register=True, **overrides):
    number = next_big_number()
    staff_id = big.register(big_number=number, **overrides)
    if in_register:
        fake.add_person(number, start=dt.date.fromisoformat(overrides.get("registered_on", "2021-09-01")))
    return staff_id, number


def _cli(app):
    """The output; the exit code is 0 only when every entry matched (a cron job sees a failed check)."""
    result = app.test_cli_runner().invoke(args=["big", "verify"])
    failed = "0 different, 0 error." not in result.output
    assert result.exit_code == (1 if failed else 0), result.output
    if failed:
        assert result.output.rstrip().splitlines()[-1].startswith("Error: "), result.output
    return result.output


def _verifications(client, admin, staff_id):
    return client.get(f"{BIG}/staff/{staff_id}/verifications", headers=admin).json


def _big_events(app, as_of=None):
    from core.plugins_runtime import alert_events
    with app.app_context():
        return [e for e in alert_events(as_of or dt.date.today(), [90, 30, 7]) if e.source == "big_kt"]


def test_matching_entry_is_ok(app, big, fake, client, admin):
    staff_id, _ = _kt(big, fake)
    output = _cli(app)
    assert f"staff {staff_id}: ok" in output and "Checked 1: 1 ok, 0 different, 0 error." in output
    (row,) = _verifications(client, admin, staff_id)
    assert row["outcome"] == "ok" and row["differences"] == [] and row["message"] is None


def test_difference_is_recorded_and_alerted(app, big, fake, client, admin):
    staff_id, number = _kt(big, fake, in_register=False)
    fake.add_person(number, start=dt.date(2021, 10, 1), judgments=[FakeMeasure("Schorsing", dt.date(2025, 1, 1))])
    assert "different" in _cli(app)
    (row,) = _verifications(client, admin, staff_id)
    assert row["outcome"] == "different"
    fields = {d["field"]: d for d in row["differences"]}
    assert fields["registered_on"] == {"field": "registered_on", "local": "2021-09-01", "remote": "2021-10-01"}
    assert "judgment_provisions" in fields
    (event,) = [e for e in _big_events(app) if e.kind == "big_register_difference"]
    assert event.staff_id == staff_id and event.due_on == dt.date.today()
    assert "registered_on" in event.message and number not in event.message
    # a rerun finds the same differences: the alert keeps its key
    _cli(app)
    assert [e.key for e in _big_events(app) if e.kind == "big_register_difference"] == [event.key]


def test_difference_resolved_by_a_later_ok_check(app, big, fake, client, admin):
    staff_id, number = _kt(big, fake, in_register=False)
    person = fake.add_person(number, start=dt.date(2021, 10, 1))
    _cli(app)
    assert [e.kind for e in _big_events(app)] == ["big_register_difference"]
    person.registrations = [("82", number, dt.date(2021, 9, 1), None)]
    _cli(app)
    assert _big_events(app) == []


def test_error_after_a_difference_keeps_the_difference_open(app, big, fake):
    _, number = _kt(big, fake, in_register=False)
    fake.add_person(number, start=dt.date(2021, 10, 1))
    _cli(app)
    fake.mode = "empty"
    _cli(app)
    assert [e.kind for e in _big_events(app)] == ["big_register_difference"]


def test_absent_from_the_register_is_a_difference(app, big, fake, client, admin):
    staff_id, _ = _kt(big, fake, in_register=False)
    _cli(app)
    (row,) = _verifications(client, admin, staff_id)
    assert row["differences"] == [{"field": "registration", "local": "present", "remote": "absent"}]


@pytest.mark.parametrize("mode, text", [
    ("timeout", "did not answer within 0.3 s"),
    ("empty", "empty answer"),
    ("malformed", "not well-formed XML"),
    ("fault", "SOAP fault"),
    ("http500", "HTTP 500"),
])
def test_register_faults_are_error_outcomes_and_the_run_goes_on(app, big, fake, client, admin, caplog, mode, text):
    first, number1 = _kt(big, fake)
    second, number2 = _kt(big, fake)
    fake.mode = mode
    with caplog.at_level(logging.DEBUG):
        output = _cli(app)
    assert "Checked 2: 0 ok, 0 different, 2 error." in output
    for staff_id in (first, second):
        (row,) = _verifications(client, admin, staff_id)
        assert row["outcome"] == "error" and text in row["message"]
    for number in (number1, number2):
        assert number not in caplog.text and number not in output
    assert _big_events(app) == []  # an error is not a difference


def test_fault_echoing_the_number_is_redacted(app, big, fake, client, admin):
    staff_id, number = _kt(big, fake)
    fake.mode = "fault"
    from tests.plugins.big_kt import fake_register
    original = fake_register._fault
    fake_register._fault = lambda reason: original(f"Unknown number {number}")
    try:
        _cli(app)
    finally:
        fake_register._fault = original
    (row,) = _verifications(client, admin, staff_id)
    assert row["outcome"] == "error" and number not in row["message"]


def test_post_verify_is_admin_only(app, big, fake, make, client, admin):
    staff_id, _ = _kt(big, fake)
    _, manager = make.user("manager", department_id=make.department().id)
    assert client.post(f"{BIG}/verify", headers=manager).status_code == 403
    response = client.post(f"{BIG}/verify", headers=admin)
    assert response.status_code == 200
    body = response.json
    assert (body["checked"], body["ok"], body["different"], body["error"]) == (1, 1, 0, 0)
    assert body["results"][0]["staff_id"] == staff_id and "big_number" not in body["results"][0]
    assert len(_verifications(client, admin, staff_id)) == 1


def test_post_verify_records_faults_too(app, big, fake, client, admin):
    _kt(big, fake)
    fake.mode = "malformed"
    body = client.post(f"{BIG}/verify", headers=admin).json
    assert body["error"] == 1 and "not well-formed XML" in body["results"][0]["message"]


def test_without_kts_nothing_is_asked(app, fake):
    assert "Checked 0" in _cli(app)
    assert fake.requests == []
