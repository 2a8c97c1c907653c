"""The run: claiming a day, manual reruns, catch-up, plugins through the same path, the CLI."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select

from core.alerts import services
from core.alerts.cli import alerts as alerts_group
from core.alerts.events import AlertEvent
from core.alerts.models import AlertRun
from core.db import utcnow
from core.extensions import db
from core.plugins import hookimpl
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, add, alerts, competence, device_type, staff

AMS = ZoneInfo("Europe/Amsterdam")


def runs():
    return {r.run_date: r for r in db.session.scalars(select(AlertRun))}


def test_a_claimed_day_is_not_collected_again_by_the_scheduler(actx):
    person, kind = staff(), device_type()
    competence(person, kind.id, AS_OF + days(20))
    assert services.run_day(AS_OF)["created"] == 1
    competence(person, device_type().id, AS_OF + days(25))
    again = services.run_day(AS_OF)
    assert (again["claimed"], again["collected"], again["created"]) == (False, False, 0)
    assert runs()[AS_OF].finished_at is not None and runs()[AS_OF].created == 1


def test_a_manual_run_on_a_claimed_day_adds_only_what_is_new(actx, alerts_app):
    person = staff()
    competence(person, device_type().id, AS_OF + days(20))
    services.run_day(AS_OF)
    competence(person, device_type().id, AS_OF + days(25))
    result = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    assert len(alerts()) == 2
    result = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", AS_OF.isoformat()])
    assert "0 new" in result.output and len(alerts()) == 2


def test_cli_refuses_a_bad_date(actx, alerts_app):
    result = alerts_app.test_cli_runner().invoke(alerts_group, ["run", "--as-of", "2027-13-01"])
    assert result.exit_code != 0 and "--as-of" in result.output


def test_a_manual_run_for_a_future_day_does_not_claim_it(actx):
    future = services.local_today() + days(10)
    services.run_day(future, manual=True)
    assert future not in runs()


def test_a_stale_unfinished_claim_is_taken_over_and_a_fresh_one_is_not(actx):
    add(AlertRun(run_date=AS_OF, started_at=utcnow() - dt.timedelta(minutes=10)))
    assert services.claim_day(AS_OF) is False
    db.session.rollback()
    add(AlertRun(run_date=AS_OF + days(1), started_at=utcnow() - dt.timedelta(hours=2)))
    assert services.claim_day(AS_OF + days(1)) is True


@pytest.mark.parametrize("last, due, expected", [
    (None, dt.date(2027, 3, 10), [dt.date(2027, 3, 10)]),
    (dt.date(2027, 3, 10), dt.date(2027, 3, 10), []),
    (dt.date(2027, 3, 7), dt.date(2027, 3, 10), [dt.date(2027, 3, 8), dt.date(2027, 3, 9), dt.date(2027, 3, 10)]),
])
def test_days_to_run(last, due, expected):
    assert services.days_to_run(last, due) == expected


def test_catch_up_is_bounded_to_31_days():
    found = services.days_to_run(dt.date(2027, 1, 1), dt.date(2027, 3, 10))
    assert len(found) == 31 and found[-1] == dt.date(2027, 3, 10) and found[0] == dt.date(2027, 2, 8)


@pytest.mark.parametrize("clock, last_run", [(dt.time(5, 0), -1), (dt.time(6, 30), 0)])
def test_start_catches_up_missed_days_and_today_once_its_time_has_passed(actx, clock, last_run):
    today = services.local_today()
    add(AlertRun(run_date=today - days(3), started_at=utcnow(), finished_at=utcnow()))
    trigger = CronTrigger.from_crontab("0 6 * * *", timezone="Europe/Amsterdam")
    results = services.run_due_days(trigger, dt.datetime.combine(today, clock, AMS))
    expected = [today - days(2), today - days(1)] + ([today] if last_run == 0 else [])
    assert [r["as_of"] for r in results] == [d.isoformat() for d in expected]
    assert all(runs()[d].finished_at is not None for d in expected)
    assert services.run_due_days(trigger, dt.datetime.combine(today, clock, AMS))[0]["as_of"] is None


class ExtraPlugin:
    def __init__(self, events=None, fail=False):
        self.events, self.fail = events or [], fail

    @hookimpl
    def bekwaam_alert_events(self, session, as_of, horizons):
        if self.fail:
            raise RuntimeError("plugin broke")
        return self.events


@pytest.fixture
def extra(actx):
    pm = actx.extensions["bekwaam_plugins"]
    added = []

    def register(plugin):
        pm.register(plugin, name=f"extra{len(added)}")
        added.append(plugin)

    yield register
    for plugin in added:
        pm.unregister(plugin)


def test_plugin_events_flow_through_the_same_path(actx, extra, webhook):
    person = staff()
    good = AlertEvent(source="vzi_mt", kind="vzi_period_ending", due_on=AS_OF + days(100), staff_id=person.id,
                      message="Period ends", horizon_days=180)
    broken = AlertEvent(source="vzi_mt", kind="vzi_period_ending", due_on=AS_OF, message="no subject")
    extra(ExtraPlugin([good, good, broken]))
    services.run_day(AS_OF)
    [stored] = alerts()
    assert (stored.key, stored.source, stored.message_nl) == (good.key, "vzi_mt", None)
    assert webhook.keys() == [good.key]
    services.run_day(AS_OF + days(1))
    assert len(alerts()) == 1 and len(webhook.calls) == 1


def test_a_failing_run_releases_the_day_and_stores_nothing(actx, extra):
    competence(staff(), device_type().id, AS_OF + days(20))
    extra(ExtraPlugin(fail=True))
    with pytest.raises(RuntimeError):
        services.run_day(AS_OF)
    assert AS_OF not in runs() and alerts() == []
