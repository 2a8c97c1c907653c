"""A first night stores thousands of alerts at once (on PostgreSQL through COPY and one
INSERT … SELECT): each key still becomes one alert, and only the rows a call inserted
come back to have their deliveries planned."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.alerts import services
from core.alerts.events import AlertEvent
from core.alerts.models import Alert
from core.db import utcnow
from core.extensions import db
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, staff

MANY = services.COPY_FROM_ROWS + 200  # over the threshold of the bulk path


def _events(person_ids, first=0, count=MANY):
    return [AlertEvent(source="core", kind="competence_expiring", due_on=AS_OF + days(30),
                       message=f"Bericht {i}: 'aanhalingstekens', tab\tof backslash \\ blijven staan.",
                       message_nl=f"Melding {i}" if i % 2 else "", staff_id=person_ids[i % len(person_ids)],
                       horizon_days=30, detail=f"competence:{i}") for i in range(first, first + count)]


def test_a_large_batch_is_stored_once_and_a_rerun_adds_nothing(actx):
    people = [staff().id for _ in range(5)]
    db.session.commit()
    events = _events(people)
    created = services.store(events, utcnow())
    db.session.commit()
    assert len(created) == MANY == len({alert_id for alert_id, _ in created})
    assert {event.key for _, event in created} == {e.key for e in events}
    assert services.store(events, utcnow()) == []  # every key is there: nothing new, nothing to deliver
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Alert)) == MANY
    stored = db.session.execute(select(Alert.key, Alert.message, Alert.message_nl, Alert.created_at)).all()
    by_key = {e.key: e for e in events}
    for key, message, message_nl, created_at in stored:
        assert message == by_key[key].message and message_nl == (by_key[key].message_nl or None)
        assert created_at.replace(tzinfo=created_at.tzinfo or dt.timezone.utc) <= utcnow()


def test_a_batch_overlapping_stored_keys_returns_only_the_new_rows(actx):
    people = [staff().id for _ in range(3)]
    db.session.commit()
    first = services.store(_events(people, 0, MANY), utcnow())
    db.session.commit()
    overlapping = _events(people, MANY - 100, MANY)  # 100 stored keys, MANY - 100 new ones
    created = services.store(overlapping, utcnow())
    db.session.commit()
    assert len(created) == MANY - 100
    assert {e.key for _, e in created} == {e.key for e in overlapping[100:]}
    assert not {alert_id for alert_id, _ in created} & {alert_id for alert_id, _ in first}


def test_the_bulk_insert_rolls_back_with_its_run(actx):
    people = [staff().id for _ in range(2)]
    db.session.commit()
    services.store(_events(people), utcnow())
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 0
