"""The dashboard's expiry buckets: latest record per pair, boundaries, scope, the shown rows."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from core.competence.models import Competence
from core.extensions import db
from core.web.views.dashboard import LIST_LIMIT, expiry_buckets

TODAY = dt.date.today()
ADMIN = SimpleNamespace(id=None, role="admin", staff_id=None, department_id=None)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def record(app, make):
    kind = make.device_type(manufacturer="Dräger", model="Perseus")

    def add(expires_in, person=None, obtained_in=-400, role="technician", device_type_id=None):
        person = person or make.staff()
        with app.app_context():
            db.session.add(Competence(
                staff_id=person.id, device_type_id=device_type_id or kind.id, role=role, method="training",
                obtained_on=days(obtained_in), expires_on=None if expires_in is None else days(expires_in)))
            db.session.commit()
        return person
    return add


def totals(app, user=ADMIN) -> dict[str, int]:
    with app.app_context():
        return {key: bucket["total"] for key, bucket in expiry_buckets(user, TODAY).items()}


@pytest.mark.parametrize("expires_in, bucket", [
    (-364, "expired"), (-1, "expired"),
    (0, "expired"),  # valid while d < expires_on: expiring today is expired today
    (1, "7"), (7, "7"), (8, "30"), (30, "30"), (31, "90"), (90, "90"),
])
def test_each_boundary_falls_in_its_bucket(app, record, expires_in, bucket):
    record(expires_in)
    assert totals(app) == {"expired": 0, "7": 0, "30": 0, "90": 0, bucket: 1}


@pytest.mark.parametrize("expires_in", [-365, 91])
def test_outside_the_window_is_not_news(app, record, expires_in):
    record(expires_in)
    assert set(totals(app).values()) == {0}


def test_a_newer_record_wins_and_the_old_one_is_not_counted(app, record):
    person = record(-10)
    record(60, person=person, obtained_in=-5)
    assert totals(app) == {"expired": 0, "7": 0, "30": 0, "90": 1}


def test_two_records_with_the_same_expiry_count_once(app, record):
    person = record(20)
    record(20, person=person, obtained_in=-30)
    assert totals(app)["30"] == 1


def test_a_record_that_never_expires_leaves_the_pair_out(app, record):
    person = record(5)
    record(None, person=person)
    assert set(totals(app).values()) == {0}


def test_a_record_obtained_in_the_future_does_not_count_yet(app, record):
    person = record(5)
    record(700, person=person, obtained_in=10)  # planned, not yet obtained
    assert totals(app)["7"] == 1


def test_each_role_is_its_own_pair(app, record):
    person = record(5, role="technician")
    record(50, person=person, role="user")
    assert totals(app) == {"expired": 0, "7": 1, "30": 0, "90": 1}


def test_inactive_people_are_left_out(app, record, make):
    record(5, person=make.staff(active=False))
    assert totals(app)["7"] == 0


def test_a_manager_sees_their_tree_only(app, record, make):
    mine, other = make.department(), make.department()
    record(5, person=make.staff(department_id=mine.id))
    record(6, person=make.staff(department_id=other.id))
    from core.auth.services import create_user
    with app.app_context():
        manager = create_user("chef@example.org", "manager", department_id=mine.id)
        db.session.commit()
        assert {k: b["total"] for k, b in expiry_buckets(manager, TODAY).items()}["7"] == 1
    assert totals(app)["7"] == 2


def test_at_most_the_list_limit_is_shown_soonest_first_and_expired_most_recent_first(app, record, make):
    for i in range(LIST_LIMIT + 5):
        record(31 + i % 50, person=make.staff(name=f"Persoon {i:02d}"))
    record(-3, person=make.staff(name="Oud"))
    record(-1, person=make.staff(name="Recent"))
    with app.app_context():
        buckets = expiry_buckets(ADMIN, TODAY)
    soon = buckets["90"]
    assert soon["total"] == LIST_LIMIT + 5 and len(soon["rows"]) == LIST_LIMIT
    shown = [(row.expires_on, row.name) for row in soon["rows"]]
    assert shown == sorted(shown)
    assert [row.name for row in buckets["expired"]["rows"]] == ["Recent", "Oud"]


def test_the_page_shows_totals_and_how_many_more(app, web, record, make):
    for i in range(LIST_LIMIT + 2):
        record(3, person=make.staff(name=f"Persoon {i:02d}"))
    client, _ = web("admin")
    html = client.get("/").get_data(as_text=True)
    assert f"({LIST_LIMIT + 2})" in html
    assert html.count("Persoon ") == LIST_LIMIT
    assert "2 more" in html or "nog 2" in html


def test_an_alert_box_counts_every_open_alert_and_shows_the_soonest(app, web, make):
    """The box's count is every open alert of its kind; its list the LIST_LIMIT soonest, the
    acknowledged ones in neither."""
    from core.alerts.models import Alert
    from core.db import utcnow

    kind = make.device_type(manufacturer="Dräger", model="Vista")
    with app.app_context():
        for i in range(LIST_LIMIT + 3):
            db.session.add(Alert(key=f"test:box:{i}", kind="coverage_below_minimum", source="core",
                                 device_type_id=kind.id, due_on=days(i), message=f"Dekking {i:02d} te laag",
                                 created_at=utcnow()))
        db.session.add(Alert(key="test:box:done", kind="coverage_below_minimum", source="core",
                             device_type_id=kind.id, due_on=days(-1), message="Dekking afgehandeld",
                             created_at=utcnow(), acknowledged_at=utcnow()))
        db.session.commit()
    client, _ = web("admin")
    html = client.get("/").get_data(as_text=True)
    box = html[html.index('id="coverage_below_minimum"'):]
    box = box[:box.index("</section>")]
    assert f"({LIST_LIMIT + 3})" in box
    assert box.count("<li>") == LIST_LIMIT
    assert "afgehandeld" not in box
