"""The documents read set-based: the number of queries does not grow with the number of people."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from core.extensions import db
from tests.evidence.conftest import ON


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_gathering_facts_costs_the_same_for_one_person_or_three(app, hospital):
    from core.devices.models import DeviceType
    from core.evidence import facts
    from core.tvb.models import Activity
    with app.test_request_context():
        activity = db.session.get(Activity, hospital["activity"])
        device_type = db.session.get(DeviceType, hospital["device_type"])
        # Bert alone already reaches every kind of fact (his BIG entry adds its status history and hours).
        facts.gather([hospital["bert"]], ON, activity=activity, device_type=device_type)  # warm caches
        with counted() as one:
            facts.gather([hospital["bert"]], ON, activity=activity, device_type=device_type)
        with counted() as three:
            people = facts.gather([hospital["anna"], hospital["bert"], hospital["carl"]], ON,
                                  activity=activity, device_type=device_type)
    assert len(people) == 3
    assert len(three) == len(one)
