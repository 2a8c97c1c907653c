"""Overrides and screenings carry their own dates: the past stands, the future arrives on its day.

Leidraad Medische Technologie 2026 (risicogestuurde bekwaamheid): requirements
follow the risk class and the institution's choices; a change to them governs
from its date. An override made today leaves yesterday's answer; one dated
ahead takes effect on its day, with the report of who it bites and from when
given at once; a screening recorded late holds from the day it was done.
"""
from __future__ import annotations

import datetime as dt

from plugins.leidraad import services
from tests.plugins.leidraad.test_api import API, L, _get, ask, leidraad, screen
from tests.plugins.leidraad.test_fail_closed import released  # noqa: F401 - fixture

TODAY = dt.date.today()
D = dt.timedelta(days=1)
STRICT = {"user": {"method": "training", "interval_months": 12}}  # the competence of 2025-02-01 ends 2026-02-01


def _override(client, admin, type_id, body, valid_from=None, method="put", status=200):
    query = f"?valid_from={valid_from.isoformat()}" if valid_from else ""
    response = getattr(client, method)(f"{API}{L}/{type_id}/override{query}", headers=admin,
                                       **({"json": body} if method == "put" else {}))
    assert response.status_code == status, response.json
    return response.json


def test_an_override_made_today_leaves_yesterday_as_it_was(client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    assert ask(client, admin, p, use, t, TODAY)["allowed"] is True
    report = _override(client, admin, t, STRICT)
    assert ask(client, admin, p, use, t, TODAY - D)["allowed"] is True
    assert ("competence_expired", False) in leidraad(ask(client, admin, p, use, t, TODAY))
    assert [(c["staff_id"], c["from"]) for c in report["changes"]] == [(p, TODAY.isoformat())]
    assert report["changes"][0]["staff_name"]


def test_removing_an_override_today_keeps_it_for_the_days_it_was_in_force(client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    _override(client, admin, t, STRICT)
    _override(client, admin, t, None, method="delete")
    assert ask(client, admin, p, use, t, TODAY)["allowed"] is True  # the same day: the later change wins
    requirements = _get(client, admin, f"{L}/{t}/requirements?on={TODAY.isoformat()}")
    assert requirements["overridden_roles"] == []


def test_an_override_dated_ahead_takes_effect_on_its_day(app, client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    ahead = TODAY + 30 * D
    report = _override(client, admin, t, STRICT, valid_from=ahead)
    assert [(c["staff_id"], c["from"]) for c in report["changes"]] == [(p, ahead.isoformat())]
    assert ask(client, admin, p, use, t, ahead - D)["allowed"] is True        # the day before
    for day in (ahead, ahead + D):                                             # its day, the day after
        assert ("competence_expired", False) in leidraad(ask(client, admin, p, use, t, day))
    stored = client.get(f"{API}/competences?staff_id={p}", headers=admin).json[0]["expires_on"]
    assert stored is None  # today's rules still hold for the stored expiry ...
    with app.app_context():
        from core.extensions import db
        services.nightly_recompute(ahead)  # ... until the nightly run of that day
        db.session.commit()
    assert client.get(f"{API}/competences?staff_id={p}", headers=admin).json[0]["expires_on"] == "2026-02-01"


def test_an_override_cannot_be_dated_in_the_past(client, admin, released):  # noqa: F811
    response = client.put(f"{API}{L}/{released['type']}/override?valid_from={(TODAY - D).isoformat()}",
                          headers=admin, json=STRICT)
    assert response.status_code == 422 and "valid_from" in response.json["errors"]
    bad = client.put(f"{API}{L}/{released['type']}/override?valid_from=9999-01-01", headers=admin, json=STRICT)
    assert bad.status_code == 422 and "valid_from" in bad.json["errors"]


def test_a_screening_dated_ahead_reports_who_it_bites_and_applies_on_its_day(client, admin, released):  # noqa: F811
    t, p, use = released["type"], released["person"], released["use"]
    ahead = TODAY + 10 * D
    # III-like context: 1 + 3 + 3 + 3 = 10, high: user training + assessment every 12 months.
    result = screen(client, admin, t, usage_context="high", novelty="high", impact="high",
                    screened_on=ahead.isoformat())
    assert result["risk_class"] == "high"
    # The user from the screening's day; the technician (24 months) when the record runs out.
    assert [(c["staff_id"] == p, c["from"]) for c in result["changes"]] == [
        (True, ahead.isoformat()), (False, "2027-02-01")]
    assert ask(client, admin, p, use, t, ahead - D)["allowed"] is True
    assert ask(client, admin, p, use, t, ahead)["allowed"] is False


def test_a_screening_recorded_late_reports_from_the_day_it_was_done(client, admin, released):  # noqa: F811
    t, p = released["type"], released["person"]
    done = TODAY - 20 * D
    result = screen(client, admin, t, usage_context="high", novelty="high", impact="high",
                    screened_on=done.isoformat())
    # The competence of 2025-02-01 expires 2026-02-01 under the high class: non-compliant from
    # the screening's own day (the later of the two), not from the day it was typed in.
    assert [(c["staff_id"] == p, c["from"]) for c in result["changes"]] == [
        (True, done.isoformat()), (False, "2027-02-01")]
