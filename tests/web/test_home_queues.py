"""The home page's work queues: a manager sees their department's pending CPD review, missing
competence and expiry (never another department's); a technician sees their own standing."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from core.competence.models import Competence
from core.extensions import db
from core.tvb.models import Activity, Assignment, Cell, Role

TODAY = dt.date.today()
_n = itertools.count(1)


@pytest.fixture
def hospital(app, make):
    """Two departments, each with: a person whose TVB role names a type they hold no competence
    for (with a pending CPD entry), and a person whose competence expires in 20 days."""
    from plugins.vzi_mt.models import CpdActivity

    n = next(_n)
    kind = make.device_type(manufacturer="Queuetech", model=f"Q{n}")
    out = {"kind": kind}
    with app.app_context():
        role = Role(name=f"MT queue role {n}")
        activity = Activity(name=f"Queue repair {n}", level="operational")
        db.session.add_all([role, activity])
        db.session.flush()
        db.session.add(Cell(role_id=role.id, activity_id=activity.id, letters="TB", device_type_id=kind.id))
        db.session.commit()
        role_id, out["role_name"] = role.id, role.name
    for side in ("a", "b"):
        dept = make.department(name=f"Queue dept {side}{n}")
        lacking = make.staff(name=f"Lacking {side.upper()}{n}", department_id=dept.id)
        expiring = make.staff(name=f"Expiring {side.upper()}{n}", department_id=dept.id)
        with app.app_context():
            db.session.add_all([
                Assignment(staff_id=lacking.id, role_id=role_id, valid_from=TODAY - dt.timedelta(days=30)),
                Competence(staff_id=expiring.id, device_type_id=kind.id, role="technician", method="training",
                           obtained_on=TODAY - dt.timedelta(days=300), expires_on=TODAY + dt.timedelta(days=20)),
                CpdActivity(staff_id=lacking.id, date=TODAY - dt.timedelta(days=3), hours=Decimal("4.50"),
                            title=f"Pending course {side}{n}", status="pending"),
            ])
            db.session.commit()
        out[side] = {"dept": dept, "lacking": lacking, "expiring": expiring}
    return out


def test_manager_sees_their_department_queues_and_not_another(web, hospital):
    a, b = hospital["a"], hospital["b"]
    client, _ = web("manager", department_id=a["dept"].id)
    page = client.get("/").get_data(as_text=True)
    # (a) the pending CPD review, linking to the entry on the person's page
    review = page[page.index('id="queue-cpd-reviews"'):]
    review = review[:review.index("</section>")]
    assert a["lacking"].name in review and f"/staff/{a['lacking'].id}#cpd-" in review
    assert "4,50" in review  # hours as a Dutch reader writes them
    # (b) the missing competence, linking to where a competence is registered
    missing = page[page.index('id="queue-missing"'):]
    missing = missing[:missing.index("</section>")]
    assert a["lacking"].name in missing and hospital["role_name"] in missing
    assert f"/staff/{a['lacking'].id}#competences" in missing
    # (c) the expiry within 90 days, its date as 30-11-2026
    expires = (TODAY + dt.timedelta(days=20)).strftime("%d-%m-%Y")
    assert a["expiring"].name in page and expires in page
    # nobody of the other department anywhere on the page
    for person in (b["lacking"], b["expiring"]):
        assert person.name not in page


def test_the_review_queue_is_bounded_with_a_link_to_the_full_list(app, web, make, hospital):
    from plugins.vzi_mt.models import CpdActivity
    from plugins.vzi_mt.web import QUEUE_LIMIT
    a = hospital["a"]
    with app.app_context():
        db.session.add_all([CpdActivity(staff_id=a["expiring"].id, date=TODAY - dt.timedelta(days=i), hours=1,
                                        title=f"Extra {i}", status="pending") for i in range(QUEUE_LIMIT + 2)])
        db.session.commit()
    client, _ = web("manager", department_id=a["dept"].id)
    page = client.get("/").get_data(as_text=True)
    review = page[page.index('id="queue-cpd-reviews"'):]
    review = review[:review.index("</section>")]
    assert review.count("<li>") == QUEUE_LIMIT
    assert f"({QUEUE_LIMIT + 3})" in review and 'href="/cpd-reviews"' in review
    full = client.get("/cpd-reviews")
    assert full.status_code == 200
    text = full.get_data(as_text=True)
    assert text.count(f"/staff/{a['expiring'].id}#cpd-") == QUEUE_LIMIT + 2
    assert hospital["b"]["lacking"].name not in text


def test_the_full_review_list_is_for_who_may_review(web, hospital):
    for role in ("technician", "auditor"):
        client, _ = web(role, staff_id=hospital["a"]["lacking"].id if role == "technician" else None)
        assert client.get("/cpd-reviews").status_code in (403, 404)


def test_a_manager_does_not_review_their_own_entry(web, hospital):
    a = hospital["a"]
    client, _ = web("manager", department_id=a["dept"].id, staff_id=a["lacking"].id)
    page = client.get("/").get_data(as_text=True)
    review = page[page.index('id="queue-cpd-reviews"'):]
    review = review[:review.index("</section>")]
    assert a["lacking"].name not in review


def test_a_valid_competence_takes_the_person_out_of_the_missing_queue(app, web, hospital):
    a = hospital["a"]
    with app.app_context():
        db.session.add(Competence(staff_id=a["lacking"].id, device_type_id=hospital["kind"].id, role="user",
                                  method="instruction", obtained_on=TODAY, expires_on=None))
        db.session.commit()
    client, _ = web("manager", department_id=a["dept"].id)
    page = client.get("/").get_data(as_text=True)
    missing = page[page.index('id="queue-missing"'):]
    assert a["lacking"].name not in missing[:missing.index("</section>")]


def test_an_expired_competence_is_missing_with_its_date(app, web, hospital):
    a = hospital["a"]
    expired = TODAY - dt.timedelta(days=1)  # the expiry date is the first day without it
    with app.app_context():
        db.session.add(Competence(staff_id=a["lacking"].id, device_type_id=hospital["kind"].id, role="technician",
                                  method="training", obtained_on=TODAY - dt.timedelta(days=400), expires_on=expired))
        db.session.commit()
    client, _ = web("manager", department_id=a["dept"].id)
    page = client.get("/").get_data(as_text=True)
    missing = page[page.index('id="queue-missing"'):]
    missing = missing[:missing.index("</section>")]
    assert a["lacking"].name in missing and expired.strftime("%d-%m-%Y") in missing


def test_missing_competences_query_is_set_based(app, hospital):
    """One count, one page of rows, one read of the shown pairs' last expiry: not one query per person."""
    from types import SimpleNamespace

    from sqlalchemy import event

    from core.web.queues import missing_competences
    admin = SimpleNamespace(id=None, role="admin", staff_id=None, department_id=None)
    statements = []
    with app.app_context():
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            result = missing_competences(admin, TODAY, limit=50)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    names = {row.name for row in result["rows"]}
    assert {hospital["a"]["lacking"].name, hospital["b"]["lacking"].name} <= names
    assert len(statements) <= 3


def test_technician_sees_their_own_status(app, web, make, hospital):
    a = hospital["a"]
    client, _ = web("technician", staff_id=a["expiring"].id)
    page = client.get("/").get_data(as_text=True)
    assert "Mijn stand van zaken" in page or "My status" in page
    renew = page[page.index('id="renew"'):]
    renew = renew[:renew.index("</section>")]
    assert hospital["kind"].model in renew
    assert (TODAY + dt.timedelta(days=20)).strftime("%d-%m-%Y") in renew
    # nobody else's data, and no manager queue
    for person in (a["lacking"], hospital["b"]["lacking"], hospital["b"]["expiring"]):
        assert person.name not in page
    assert 'id="queue-cpd-reviews"' not in page


def test_technician_sees_their_own_missing_competence(web, hospital):
    a = hospital["a"]
    client, _ = web("technician", staff_id=a["lacking"].id)
    page = client.get("/").get_data(as_text=True)
    missing = page[page.index('id="queue-missing"'):]
    missing = missing[:missing.index("</section>")]
    assert hospital["kind"].model in missing and hospital["role_name"] in missing
    assert a["expiring"].name not in page


def test_technician_sees_their_vzi_standing_as_a_tile(app, web, make):
    from plugins.vzi_mt.models import Position
    person = make.staff(name="Tile Technician")
    with app.app_context():
        db.session.add(Position(staff_id=person.id, level="MT4", start_date=TODAY - dt.timedelta(days=400)))
        db.session.commit()
    client, _ = web("technician", staff_id=person.id)
    page = client.get("/").get_data(as_text=True)
    assert "VZI-registratie" in page or "VZI registration" in page
    assert f'href="/staff/{person.id}#vzi"' in page


def test_the_expiry_timeline_counts_the_department_per_month(app, web, hospital):
    from core.web.queues import expiry_timeline
    a = hospital["a"]
    month = (TODAY + dt.timedelta(days=20)).replace(day=1)
    with app.test_request_context():
        from core.auth.models import User
        manager = User(id=-1, role="manager", department_id=a["dept"].id, staff_id=None)
        timeline = expiry_timeline(manager, TODAY, a["dept"].id)
    assert len(timeline) == 12 and timeline[0]["month"] == TODAY.replace(day=1)
    assert {row["month"]: row["count"] for row in timeline}[month] == 1  # A's one, not B's
    assert sum(row["count"] for row in timeline) == 1
    client, _ = web("manager", department_id=a["dept"].id)
    page = client.get("/").get_data(as_text=True)
    panel = page[page.index('id="expiry-timeline"'):]
    panel = panel[:panel.index("</section>")]
    assert 'role="img"' in panel and "<title" in panel and a["dept"].name in panel
    assert hospital["b"]["dept"].name not in panel  # a manager chooses among their own departments


def test_an_administrator_chooses_the_timeline_department(web, hospital):
    client, _ = web("admin")
    page = client.get("/").get_data(as_text=True)
    panel = page[page.index('id="expiry-timeline"'):]
    assert "Kies een afdeling" in panel[:panel.index("</section>")] and 'role="img"' not in panel[:panel.index("</section>")]
    page = client.get(f"/?department_id={hospital['b']['dept'].id}").get_data(as_text=True)
    panel = page[page.index('id="expiry-timeline"'):]
    panel = panel[:panel.index("</section>")]
    assert 'role="img"' in panel and hospital["b"]["dept"].name in panel


def test_a_technician_renews_what_expired_within_the_year_not_older(app, web, make):
    person = make.staff(name="Renewing Technician")
    recent, old = make.device_type(model="Recently expired"), make.device_type(model="Long expired")
    with app.app_context():
        for kind, days_ago in ((recent, 365), (old, 366)):  # a year back is still news; a day more is history
            db.session.add(Competence(staff_id=person.id, device_type_id=kind.id, role="technician", method="training",
                                      obtained_on=TODAY - dt.timedelta(days=900),
                                      expires_on=TODAY - dt.timedelta(days=days_ago - 1)))
        db.session.commit()
    client, _ = web("technician", staff_id=person.id)
    page = client.get("/").get_data(as_text=True)
    renew = page[page.index('id="renew"'):]
    renew = renew[:renew.index("</section>")]
    assert "Recently expired" in renew and "Long expired" not in renew
