"""Services raise domain errors; the API answers them as it always did, the pages in Dutch.

A service knows nothing of HTTP: ``NotFound``, ``Conflict``, ``NotAllowed`` and
``Invalid`` (core/errors.py). The API maps them to the same status codes and
JSON bodies as before; a page shows a Dutch error page, or the view puts the
refusal beside its form.
"""
from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
from werkzeug.exceptions import HTTPException

from core.errors import Conflict, Invalid
from core.extensions import db
from tests.web.conftest import web  # noqa: F401 - fixture

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_no_service_aborts_with_an_http_error():
    services = [*ROOT.glob("core/*/services.py"), *ROOT.glob("plugins/*/services.py"), ROOT / "core/tvb/history.py"]
    offenders = [str(p.relative_to(ROOT)) for p in services if re.search(r"\babort\(|field_errors\(|conflict\(",
                                                                         p.read_text())]
    assert offenders == []


@pytest.fixture
def assignment_setup(app, make, client, admin):
    person = make.staff()
    role = client.post("/api/v1/tvb/roles", headers=admin, json={"name": "Rol X"}).json
    return person, role


def test_a_service_raises_a_domain_error_not_an_http_one(app, assignment_setup):
    from core.tvb.models import Assignment
    from core.tvb.services import prepare_assignment
    person, role = assignment_setup
    with app.test_request_context():
        bad = Assignment(staff_id=person.id, role_id=role["id"], valid_from=dt.date(2026, 5, 2),
                         valid_to=dt.date(2026, 5, 1))
        with pytest.raises(Invalid) as caught:
            prepare_assignment(bad, {}, True)
        assert not isinstance(caught.value, HTTPException)
        assert caught.value.errors == {"valid_to": ["The last day cannot be before valid_from."]}
        db.session.rollback()


def test_the_api_answers_a_conflict_and_invalid_input_as_before(client, admin, assignment_setup):
    person, role = assignment_setup
    body = {"staff_id": person.id, "role_id": role["id"], "valid_from": "2026-01-01"}
    assert client.post("/api/v1/tvb/assignments", headers=admin, json=body).status_code == 201
    twice = client.post("/api/v1/tvb/assignments", headers=admin, json=body)
    assert twice.status_code == 409
    assert twice.json == {"code": 409, "status": "Conflict", "message": (
        "This person already holds this role from 2026-01-01 (assignment "
        f"{twice.json['message'].split('assignment ')[1].split(')')[0]}); change that one.")}
    bad = client.post("/api/v1/tvb/assignments", headers=admin,
                      json={**body, "valid_from": "2026-02-01", "valid_to": "2026-01-31"})
    assert bad.status_code == 422
    assert bad.json == {"code": 422, "status": "Unprocessable Entity",
                        "errors": {"valid_to": ["The last day cannot be before valid_from."]}}


def test_the_api_keeps_the_extra_keys_of_a_refusal(client, admin, make):
    device_type = make.device_type()
    refused = client.patch(f"/api/v1/device-types/{device_type.id}", headers=admin, json={"lifecycle_phase": 6})
    assert refused.status_code == 409
    assert set(refused.json) == {"code", "status", "message", "missing"}
    assert "message_nl" not in refused.json  # the Dutch text is for the pages only


def test_a_page_shows_a_domain_error_in_dutch(app, web, make):  # noqa: F811 - the fixture
    person = make.staff()
    client, _ = web("admin")
    page = client.get(f"/staff/{person.id}/can-perform?activity_id=999999")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Ongeldige invoer" in text and "Kies een activiteit." in text
    missing = client.get("/staff/999999")
    assert missing.status_code == 404 and "Niet gevonden" in missing.get_data(as_text=True)


def test_a_page_puts_a_conflict_beside_its_form(app, web, make, client, admin, assignment_setup):  # noqa: F811 - the fixture
    from sqlalchemy import func, select
    from core.tvb.models import Assignment
    person, role = assignment_setup
    with app.app_context():
        number = db.session.get(type(person), person.id).employee_number
    browser, _ = web("admin")
    form = {"staff_number": number, "role_id": str(role["id"]), "valid_from": "2026-03-01"}
    assert browser.post("/tvb/assignments", data=form).status_code == 302
    again = browser.post("/tvb/assignments", data=form, follow_redirects=True)
    assert again.status_code == 200
    assert "Deze persoon heeft deze rol al vanaf 2026-03-01" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment).where(
            Assignment.staff_id == person.id)) == 1


def test_conflict_carries_its_reasons():
    error = Conflict("Refused.", missing=[{"code": "x", "message": "y"}], message_nl="Geweigerd.")
    assert error.status == 409 and error.extra == {"missing": [{"code": "x", "message": "y"}]}
    assert error.message_nl == "Geweigerd."
