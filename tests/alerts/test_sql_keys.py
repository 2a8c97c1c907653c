"""The SQL form of an alert key equals ``AlertEvent.key``, so a rerun builds no events (the large-hospital benchmarks, benchmarks/RESULTS.md)."""
from __future__ import annotations

import pytest

from core.alerts import core_events, services
from core.extensions import db
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, assignment, competence, device_type, staff

H = [90, 30, 7]


@pytest.fixture
def every_branch(actx):
    """A competence in each branch of the key: expired, each horizon, a role's own horizons, none."""
    actx.config["BEKWAAM_ALERT_HORIZONS_BY_ROLE"] = {"trainer": [180, 60]}
    kind = device_type()
    for ahead in (-89, -1, 0, 1, 7, 8, 30, 31, 90, 91):
        competence(staff(), kind.id, AS_OF + days(ahead))
    for ahead in (59, 60, 61, 180, 181):
        competence(staff(), kind.id, AS_OF + days(ahead), role="trainer")
    for ahead in (0, 7, 30, 90):
        assignment(staff(), AS_OF - days(100), AS_OF + days(ahead))
    return actx


def test_all_events_are_built_while_nothing_is_stored(every_branch):
    everything = core_events.competence_events(db.session, AS_OF, H)
    assert core_events.competence_events(db.session, AS_OF, H, new_only=True) == everything
    ending = core_events.assignment_events(db.session, AS_OF, H)
    assert len(ending) == 4
    assert core_events.assignment_events(db.session, AS_OF, H, new_only=True) == ending


def test_a_stored_key_is_recognised_in_sql_for_every_branch(every_branch):
    everything = core_events.competence_events(db.session, AS_OF, H)
    kinds = {(e.kind, e.horizon_days) for e in everything}
    assert kinds == {("competence_expired", None), ("competence_expiring", 7), ("competence_expiring", 30),
                     ("competence_expiring", 90), ("competence_expiring", 60), ("competence_expiring", 180)}
    services.store(services.collect(AS_OF))
    db.session.commit()
    # Had one SQL key differed by a character, its event would be built again here.
    assert core_events.competence_events(db.session, AS_OF, H, new_only=True) == []
    assert core_events.assignment_events(db.session, AS_OF, H, new_only=True) == []
    assert len(core_events.competence_events(db.session, AS_OF, H)) == len(everything)


def test_only_the_new_horizon_is_built_the_next_night(every_branch):
    services.store(services.collect(AS_OF))
    db.session.commit()
    # A day later each competence one day beyond a horizon enters it (31 -> 30,
    # a trainer's 181 -> 180), and the one expiring tomorrow has expired: only
    # those keys are new.
    fresh = core_events.competence_events(db.session, AS_OF + days(1), H, new_only=True)
    assert sorted((e.kind, e.horizon_days, (e.due_on - AS_OF).days) for e in fresh) == [
        ("competence_expired", None, 1), ("competence_expiring", 7, 8), ("competence_expiring", 30, 31),
        ("competence_expiring", 60, 61), ("competence_expiring", 90, 91), ("competence_expiring", 180, 181)]


def test_a_rerun_stores_nothing_and_builds_no_core_event(every_branch):
    first = services.run_day(AS_OF, manual=True)
    assert first["created"] > 0
    assert [e for e in services.collect(AS_OF) if e.source == core_events.SOURCE
            and e.kind != core_events.COVERAGE_BELOW_MINIMUM] == []
    assert services.run_day(AS_OF, manual=True)["created"] == 0


def test_storing_refuses_a_naive_time_on_every_database(every_branch):
    # The PostgreSQL path inserts through text(); its created_at is bound as UTCDateTime all the same.
    import datetime as dt

    events = services.collect(AS_OF)
    with pytest.raises(Exception, match="naive datetime"):
        services.store(events, now=dt.datetime(2027, 3, 1, 6, 0))
    db.session.rollback()


def test_the_first_nights_insert_in_sql_stores_exactly_the_events_python_builds(every_branch):
    """``store_competence_alerts`` words keys and messages in SQL: each stored row must equal the
    ``AlertEvent`` the Python path builds for it, in every branch (expired, each horizon, a role's
    own horizons, an activity instead of a device type, a role without a translation)."""
    import datetime as dt

    from sqlalchemy import select

    from core.alerts.models import Alert
    from core.competence.models import Competence
    from core.tvb.models import Activity
    from tests.alerts.helpers import add

    activity = add(Activity(name="Bedienen", level="user"))
    for ahead in (-3, 5, 29):
        add(Competence(staff_id=staff(name="Zoë d'Artagnan").id, activity_id=activity.id, role="user",
                       obtained_on=dt.date(2020, 1, 1), method="training", expires_on=AS_OF + days(ahead)))
    expected = core_events.competence_events(db.session, AS_OF, H)
    assert len(expected) > 15
    created = services.store_competence_alerts(AS_OF)
    stored = db.session.execute(select(Alert.key, Alert.kind, Alert.source, Alert.staff_id, Alert.device_type_id,
                                       Alert.due_on, Alert.horizon_days, Alert.message, Alert.message_nl)).all()
    assert sorted(tuple(row) for row in stored) == sorted(
        (e.key, e.kind, e.source, e.staff_id, e.device_type_id, e.due_on, e.horizon_days, e.message, e.message_nl)
        for e in expected)
    assert sorted(subject.staff_id for _, subject in created) == sorted(e.staff_id for e in expected)
    # Exactly once: a second statement finds every key stored and creates nothing.
    assert services.store_competence_alerts(AS_OF) == []


def test_the_alerts_stored_in_sql_get_their_deliveries_planned_once(every_branch):
    every_branch.config["BEKWAAM_WEBHOOK_URL"] = "http://127.0.0.1:9/hook"
    from sqlalchemy import func, select

    from core.alerts.models import Alert, AlertDelivery

    created = services.store_competence_alerts(AS_OF)
    assert services.plan_deliveries(created) == len(created) > 0
    assert services.plan_deliveries(services.store_competence_alerts(AS_OF)) == 0
    assert db.session.scalar(select(func.count()).select_from(AlertDelivery)) == len(created)
    assert db.session.scalar(select(func.count()).select_from(Alert)) == len(created)
