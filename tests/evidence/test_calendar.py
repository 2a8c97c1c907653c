"""The private calendar feed: every expiry and re-registration deadline, reminders at the
alert horizons, revocable, the token stored only as its hash."""
from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tests.evidence.conftest import API


def _issue(client, headers, **body):
    response = client.post(f"{API}/calendar-feeds", headers=headers, json=body)
    return response


def _events(client, url):
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _triggers(event) -> list[int]:
    return sorted(-alarm["TRIGGER"].dt.days for alarm in event.walk("VALARM"))


def test_a_persons_feed_has_their_expiries_and_deadlines_with_reminders(app, client, hospital):
    issued = _issue(client, hospital["users"]["anna"], staff_id=hospital["anna"])
    assert issued.status_code == 201, issued.json
    events = _events(client, issued.json["url"])
    competence = events["Bekwaamheid verloopt: Dräger Evita V800 (technicus) — Anna de Vries"]
    assert competence["DTSTART"].dt == dt.date(2027, 6, 1)
    assert _triggers(competence) == [7, 30, 90]  # BEKWAAM_ALERT_HORIZONS default
    vzi = events["Einde VZI-certificeringsperiode MT4 — Anna de Vries"]
    assert vzi["DTSTART"].dt == dt.date(2028, 1, 1)
    assert not any("Bert" in summary for summary in events)


def test_horizons_come_from_the_configuration(app, client, hospital):
    app.config["BEKWAAM_ALERT_HORIZONS_BY_ROLE"] = {"technician": [60, 14]}
    try:
        issued = _issue(client, hospital["users"]["admin"], staff_id=hospital["anna"])
        events = _events(client, issued.json["url"])
    finally:
        app.config["BEKWAAM_ALERT_HORIZONS_BY_ROLE"] = {}
    competence = next(e for s, e in events.items() if s.startswith("Bekwaamheid verloopt"))
    assert _triggers(competence) == [14, 60]


def test_the_big_reregistration_deadline_is_in_the_feed(client, hospital):
    issued = _issue(client, hospital["users"]["admin"], staff_id=hospital["bert"], )
    events = _events(client, issued.json["url"])
    (big,) = [e for s, e in events.items() if s.startswith("Herregistratie BIG")]
    assert big["DTSTART"].dt > dt.date.today()
    assert "19012345678" in str(big["DESCRIPTION"])


def test_a_department_managers_feed_has_the_whole_department(client, hospital):
    issued = _issue(client, hospital["users"]["manager_a"], department_id=hospital["dept_a"])
    assert issued.status_code == 201
    events = _events(client, issued.json["url"])
    assert any("Anna de Vries" in s for s in events) and any("Bert Jansen" in s for s in events)
    assert not any("Carl Bakker" in s for s in events)
    other = _issue(client, hospital["users"]["manager_b"], department_id=hospital["dept_a"])
    assert other.status_code == 404


def test_revoked_feed_stops_and_only_the_hash_is_stored(app, client, hospital):
    from sqlalchemy import select

    from core.evidence.models import EvidenceToken
    from core.extensions import db
    issued = _issue(client, hospital["users"]["anna"], staff_id=hospital["anna"]).json
    secret = issued["url"].rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        stored = db.session.scalars(select(EvidenceToken.token_hash)).all()
    assert secret not in stored and EvidenceToken.hash(secret) in stored
    listed = client.get(f"{API}/calendar-feeds", headers=hospital["users"]["anna"]).json
    assert [f["id"] for f in listed] == [issued["id"]] and "url" not in listed[0]
    assert client.delete(f"{API}/calendar-feeds/{issued['id']}", headers=hospital["users"]["bert"]).status_code == 404
    assert client.delete(f"{API}/calendar-feeds/{issued['id']}", headers=hospital["users"]["anna"]).status_code == 204
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


@pytest.mark.parametrize("who, status", [("anna", 201), ("manager_a", 201), ("bert", 404), ("manager_b", 404)])
def test_who_may_subscribe_to_a_persons_feed(client, hospital, who, status):
    assert _issue(client, hospital["users"][who], staff_id=hospital["anna"]).status_code == status


def test_bad_body_names_the_fields(client, hospital):
    both = _issue(client, hospital["users"]["admin"], staff_id=hospital["anna"], department_id=hospital["dept_a"])
    assert both.status_code == 422 and {"staff_id", "department_id"} <= set(both.json["errors"])


def test_the_web_page_makes_shows_once_and_revokes_a_feed(app, client, hospital):
    import re

    from tests.evidence.test_pages import _login
    _login(app, client, "anna@example.org")
    profile = client.get(f"/staff/{hospital['anna']}").get_data(as_text=True)
    assert "/calendar-feeds" in profile and "Agenda-abonnement" in profile
    page = client.post("/calendar-feeds", data={"subject": f"staff_id:{hospital['anna']}"}).get_data(as_text=True)
    (url,) = re.findall(r"<code>(http[^<]+\.ics)</code>", page)
    assert "Anna de Vries" in _events(client, url)["Bekwaamheid verloopt: Dräger Evita V800 (technicus) — Anna de Vries"]["SUMMARY"]
    listed = client.get("/calendar-feeds").get_data(as_text=True)
    assert ".ics" not in listed and "actief" in listed  # the address is not shown again
    feed_id = re.search(r'name="revoke" value="(\d+)"', listed).group(1)
    client.post("/calendar-feeds", data={"revoke": feed_id})
    assert client.get("/" + url.split("://", 1)[1].split("/", 1)[1]).status_code == 404
    # someone else's person is not on offer
    assert client.post("/calendar-feeds", data={"subject": f"staff_id:{hospital['bert']}"}).status_code == 404
