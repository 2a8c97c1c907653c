"""The core's events: horizons, expiry, assignments ending, coverage (docs/alerts.md, What is raised)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from core.alerts import core_events, services
from core.extensions import db
from tests.alerts.conftest import days
from tests.alerts.helpers import AS_OF, alerts, assignment, competence, device_type, minimum, staff

H = [90, 30, 7]


def core(kind, as_of=AS_OF):
    return [e for e in services.collect(as_of) if e.kind == kind]


@pytest.mark.parametrize("ahead, horizon", [
    (90, 90),  # exactly 90 days ahead is in the 90 horizon
    (31, 90), (30, 30), (8, 30), (7, 7), (1, 7),
])
def test_expiring_gets_the_smallest_horizon_that_holds_it(actx, ahead, horizon):
    person, kind = staff(), device_type()
    competence(person, kind.id, AS_OF + days(ahead))
    [found] = core(core_events.COMPETENCE_EXPIRING)
    assert (found.horizon_days, found.due_on, found.staff_id) == (horizon, AS_OF + days(ahead), person.id)
    assert core(core_events.COMPETENCE_EXPIRED) == []


def test_91_days_ahead_is_outside_every_horizon(actx):
    competence(staff(), device_type().id, AS_OF + days(91))
    assert services.collect(AS_OF) == []


@pytest.mark.parametrize("ago", [0, 1, 89])
def test_expired_on_or_before_the_day(actx, ago):
    # valid while obtained_on <= d < expires_on: expiring today means expired today
    competence(staff(), device_type().id, AS_OF - days(ago))
    [found] = core(core_events.COMPETENCE_EXPIRED)
    assert (found.due_on, found.horizon_days) == (AS_OF - days(ago), None)
    assert "expired" in found.message and "verlopen" in found.message_nl
    assert core(core_events.COMPETENCE_EXPIRING) == []


def test_expired_longer_ago_than_the_lookback_is_not_raised_again(actx):
    competence(staff(), device_type().id, AS_OF - days(90))
    assert services.collect(AS_OF) == []


def test_one_alert_per_horizon_as_the_expiry_approaches(actx):
    expiry = AS_OF + days(100)
    competence(staff(), device_type().id, expiry)
    for ahead in (100, 90, 60, 30, 29, 7, 3, 0, -1):
        services.store(services.collect(expiry - days(ahead)))
    db.session.commit()
    stored = [(a.kind, a.horizon_days) for a in alerts()]
    assert stored == [("competence_expiring", 90), ("competence_expiring", 30),
                      ("competence_expiring", 7), ("competence_expired", None)]


def test_renewed_competence_gives_no_alert(actx):
    person, kind = staff(), device_type()
    competence(person, kind.id, AS_OF + days(20))
    competence(person, kind.id, AS_OF + days(700), obtained_on=AS_OF - days(5))
    assert services.collect(AS_OF) == []


def test_inactive_person_gives_no_alert(actx):
    competence(staff(active=False), device_type().id, AS_OF + days(20))
    assert services.collect(AS_OF) == []


def test_horizons_per_role_from_config(actx):
    actx.config["BEKWAAM_ALERT_HORIZONS_BY_ROLE"] = {"trainer": [180, 60]}
    kind = device_type()
    competence(staff(), kind.id, AS_OF + days(150), role="trainer")
    competence(staff(), kind.id, AS_OF + days(150), role="technician")
    competence(staff(), kind.id, AS_OF + days(50), role="technician")
    found = sorted((e.horizon_days, e.due_on) for e in core(core_events.COMPETENCE_EXPIRING))
    assert found == [(90, AS_OF + days(50)), (180, AS_OF + days(150))]


def test_configured_default_horizons(actx):
    actx.config["BEKWAAM_ALERT_HORIZONS"] = [60, 14]
    competence(staff(), device_type().id, AS_OF + days(61))
    competence(staff(), device_type().id, AS_OF + days(14))
    assert [e.horizon_days for e in core(core_events.COMPETENCE_EXPIRING)] == [14]


# --- TVB assignments ------------------------------------------------------------

@pytest.mark.parametrize("ahead, horizon", [(90, 90), (30, 30), (0, 7)])
def test_assignment_ending_within_a_horizon(actx, ahead, horizon):
    person = staff()
    assignment(person, AS_OF - days(300), AS_OF + days(ahead))
    [found] = core(core_events.ASSIGNMENT_ENDING)
    assert (found.staff_id, found.due_on, found.horizon_days) == (person.id, AS_OF + days(ahead), horizon)


@pytest.mark.parametrize("ahead", [91, -1])
def test_assignment_outside_the_horizons_or_ended(actx, ahead):
    assignment(staff(), AS_OF - days(300), AS_OF + days(ahead))
    assignment(staff(), AS_OF - days(300), None)  # open-ended never ends
    assert core(core_events.ASSIGNMENT_ENDING) == []


def test_assignment_continued_the_next_day_does_not_end(actx):
    person = staff()
    first, role = assignment(person, AS_OF - days(300), AS_OF + days(10))
    assignment(person, AS_OF + days(11), None, role=role)
    assert core(core_events.ASSIGNMENT_ENDING) == []


def test_assignment_with_a_gap_before_the_next_one_ends(actx):
    person = staff()
    first, role = assignment(person, AS_OF - days(300), AS_OF + days(10))
    assignment(person, AS_OF + days(12), None, role=role)
    [found] = core(core_events.ASSIGNMENT_ENDING)
    assert found.due_on == AS_OF + days(10)


# --- coverage --------------------------------------------------------------------

def test_coverage_drop_date_is_the_first_day_below_the_minimum(actx):
    kind = device_type("Beademingstoestel")
    minimum(type_id=kind.id, count=2)
    competence(staff(), kind.id, None)
    competence(staff(), kind.id, AS_OF + days(40))
    competence(staff(), kind.id, AS_OF + days(60))
    # 3 now, 2 from day 40, 1 from day 60: below 2 first on day 60
    [found] = core(core_events.COVERAGE_BELOW_MINIMUM)
    assert (found.device_type_id, found.due_on, found.horizon_days, found.detail) == (
        kind.id, AS_OF + days(60), 90, "technician")
    assert "1 competent technician(s) from" in found.message and "onder het minimum van 2" in found.message_nl


@pytest.mark.parametrize("expiry, due", [(90, 90), (91, None)])
def test_coverage_boundary_at_the_largest_horizon(actx, expiry, due):
    kind = device_type()
    minimum(type_id=kind.id, count=1)
    competence(staff(), kind.id, AS_OF + days(expiry))
    found = core(core_events.COVERAGE_BELOW_MINIMUM)
    assert [e.due_on for e in found] == ([] if due is None else [AS_OF + days(due)])


def test_coverage_already_below_keeps_the_day_it_dropped(actx):
    kind = device_type()
    minimum(type_id=kind.id, count=2)
    competence(staff(), kind.id, None)
    competence(staff(), kind.id, AS_OF - days(5))
    today = core(core_events.COVERAGE_BELOW_MINIMUM)
    tomorrow = core(core_events.COVERAGE_BELOW_MINIMUM, AS_OF + days(1))
    assert [e.due_on for e in today] == [AS_OF - days(5)]
    assert [e.key for e in today] == [e.key for e in tomorrow]  # same key: no new alert every day
    assert today[0].horizon_days is None


def test_coverage_counts_only_active_technicians_valid_on_the_day(actx):
    kind = device_type()
    minimum(type_id=kind.id, count=1)
    competence(staff(active=False), kind.id, None)
    competence(staff(), kind.id, None, role="user")
    competence(staff(), kind.id, None, obtained_on=AS_OF + days(1))  # not yet valid today
    [found] = core(core_events.COVERAGE_BELOW_MINIMUM)
    assert found.horizon_days is None


def test_coverage_met_gives_no_alert(actx):
    kind = device_type()
    minimum(type_id=kind.id, count=2)
    competence(staff(), kind.id, None)
    person = staff()
    competence(person, kind.id, AS_OF + days(20))
    competence(person, kind.id, None)  # the same person twice counts once, and stays
    assert core(core_events.COVERAGE_BELOW_MINIMUM) == []


def test_technology_group_minimum_applies_to_types_in_use_and_own_minimum_wins(actx):
    in_use, planned, own = device_type(group=19), device_type(phase=2, group=19), device_type(group=19)
    minimum(group_id=19, count=1)
    minimum(type_id=own.id, count=3)
    for kind in (in_use, planned, own):
        competence(staff(), kind.id, None)
    found = {e.device_type_id: e for e in core(core_events.COVERAGE_BELOW_MINIMUM)}
    assert set(found) == {own.id}
    assert "minimum of 3" in found[own.id].message


def test_each_kind_is_one_query_whatever_the_number_of_people(actx):
    def statements(n):
        kind = device_type()
        minimum(type_id=kind.id, count=50)
        for i in range(n):
            person = staff()
            competence(person, kind.id, AS_OF + days(5 + i))
            assignment(person, AS_OF - days(10), AS_OF + days(3 + i))
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            found = services.collect(AS_OF)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen), len(found)

    few, many = statements(2), statements(12)
    assert few[0] == many[0] == 3  # competences, assignments, coverage
    assert many[1] > few[1]


def test_smallest_horizon_rule():
    assert core_events.smallest_horizon(90, H) == 90
    assert core_events.smallest_horizon(91, H) is None
    assert core_events.smallest_horizon(0, H) == 7
    assert core_events.first_day_below(set(), 1, dt.date(2027, 1, 1), dt.date(2027, 4, 1), dt.date(2026, 6, 1)) == (
        dt.date(2026, 6, 1), 0)
