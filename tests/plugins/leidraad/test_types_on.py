"""Today's Leidraad context and lifecycle phase of every device type, read at once
(plugins.leidraad.services.types_on, core.decision.services.phase_on through
core.constants.for_all_today), give each type exactly what the one-type statements give:
the latest screening's class by (day, id), the latest override by (valid from, id), the
policy in force, the suspension after a re-screening, and the phase recorded last."""
from __future__ import annotations

import datetime as dt

import pytest

from core import constants
from core.devices.models import DeviceTypePhase
from core.extensions import db
from plugins.leidraad import rules, services
from plugins.leidraad.models import PolicyVersion, Release, RequirementOverride, Screening

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def _screening(type_id, day, risk_class, pri=False):
    row = Screening(device_type_id=type_id, screened_on=day, product_risk="low", usage_context="low",
                    novelty="low", impact="low", score_sum=4, risk_class=risk_class, pri_required=pri)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def types(app, make):
    """Six device types, each a different history."""
    ids = [make.device_type().id for _ in range(6)]
    with app.app_context():
        a, b, c, d, e, f = ids
        # a: two screenings on one day: the later id wins; released, then a re-screening with a PRI
        first = _screening(a, TODAY - 300 * DAY, "low")
        _screening(a, TODAY - 300 * DAY, "medium")
        db.session.add(Release(device_type_id=a, released_on=TODAY - 290 * DAY, screening_id=first.id))
        _screening(a, TODAY - 10 * DAY, "high", pri=True)
        # b: a screening dated in the future does not count yet; an override removed again (NULL)
        _screening(b, TODAY - 50 * DAY, "low")
        _screening(b, TODAY + 5 * DAY, "high")
        db.session.add(RequirementOverride(device_type_id=b, valid_from=TODAY - 40 * DAY,
                                           requirements={"user": {"method": "training", "interval_months": 24}}))
        db.session.add(RequirementOverride(device_type_id=b, valid_from=TODAY - 20 * DAY, requirements=None))
        # c: an override in force; d: an override from tomorrow only
        _screening(c, TODAY - 70 * DAY, "medium")
        db.session.add(RequirementOverride(device_type_id=c, valid_from=TODAY - 30 * DAY,
                                           requirements={"user": {"method": "training", "interval_months": 12}}))
        db.session.add(RequirementOverride(device_type_id=d, valid_from=TODAY + DAY,
                                           requirements={"user": {"method": "training", "interval_months": 6}}))
        # e: released and re-released after its re-screening; f: nothing at all
        s1 = _screening(e, TODAY - 100 * DAY, "low")
        db.session.add(Release(device_type_id=e, released_on=TODAY - 95 * DAY, screening_id=s1.id))
        s2 = _screening(e, TODAY - 9 * DAY, "high", pri=True)
        db.session.add(Release(device_type_id=e, released_on=TODAY - 2 * DAY, screening_id=s2.id))
        # phases: two rows in force for a (the later id wins), one from tomorrow for b, none for f
        db.session.add_all([DeviceTypePhase(device_type_id=a, phase=5, valid_from=TODAY - 300 * DAY),
                            DeviceTypePhase(device_type_id=a, phase=6, valid_from=TODAY - 300 * DAY),
                            DeviceTypePhase(device_type_id=b, phase=6, valid_from=TODAY - 50 * DAY),
                            DeviceTypePhase(device_type_id=b, phase=7, valid_from=TODAY + DAY)])
        db.session.add(PolicyVersion(effective_on=TODAY - 5 * DAY,
                                     document=rules.policy_to_dict(rules.DEFAULT_POLICY)))
        db.session.commit()
    return ids


def _answers(ids):
    from core.decision.services import phase_on
    from core.devices.models import DeviceType

    found = {}
    for type_id in ids:
        device_type = db.session.get(DeviceType, type_id)
        risk_class, override, policy = services.decision_context(type_id, TODAY)
        found[type_id] = (risk_class, override, rules.policy_to_dict(policy), phase_on(type_id, TODAY),
                          services.suspended_since(device_type, TODAY))
    return found


def test_all_types_at_once_answer_as_one_type_at_a_time(app, types):
    with app.app_context():
        from core.devices.models import DeviceType
        for type_id in types[:5]:  # released (f is not: nothing is suspended for it)
            db.session.get(DeviceType, type_id).released_on = TODAY - 290 * DAY
        db.session.commit()
        one_at_a_time = _answers(types)  # outside a request and a batch: the one-type statements
        assert constants.for_all_today("test_probe", TODAY, dict) is None  # no cache here
        with constants.batch():
            assert constants.for_all_today("test_probe", TODAY, lambda: {"read": True}) == {"read": True}
            all_at_once = _answers(types)
        with constants.batch():  # and again from the cache
            again = _answers(types)
    assert all_at_once == one_at_a_time == again
    a, b, c, d, e, f = (one_at_a_time[t] for t in types)
    assert (a[0], a[3], a[4]) == ("high", 6, TODAY - 10 * DAY)  # suspended by the re-screening
    assert (b[0], b[1], b[3]) == ("low", None, 6)
    assert c[1] is not None and c[1]["user"].interval_months == 12
    assert d[1] is None and e[4] is None and (f[0], f[1], f[3]) == (None, None, 1)  # the factory's phase 1


def test_another_day_is_read_for_the_one_type(app, types):
    with app.app_context(), constants.batch():
        assert constants.for_all_today("test_probe", TODAY - DAY, dict) is None
        assert services.decision_context(types[1], TODAY + 10 * DAY)[0] == "high"
