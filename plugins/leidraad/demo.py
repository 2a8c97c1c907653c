"""The Leidraad part of the demo hospital: screenings, approvals and releases."""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from core.devices.models import DeviceType
from core.staff.models import Staff
from plugins.leidraad import rules, services
from plugins.leidraad.models import Approval, Release, SafetyNotice, Screening


def load(session, today: dt.date, large: bool = False) -> None:
    rng = random.Random(5)
    device_types = session.scalars(select(DeviceType).order_by(DeviceType.id)).all()
    approver = session.scalar(select(Staff).order_by(Staff.id).limit(1))
    if not device_types or approver is None:
        return
    for index, device_type in enumerate(device_types):
        if index == len(device_types) - 1:
            continue  # one new type still waiting for its screening: shows `not_screened`
        if large and device_type.lifecycle_phase < rules.PHASE_USE and index % 2:
            continue  # the synthetic hospital keeps some types unscreened and unreleased
        product = rules.product_risk_for_class(device_type.mdr_class)
        context, novelty, impact = (rng.choice(rules.LEVELS) for _ in range(3))
        outcome = rules.screen(product, context, novelty, impact)
        screened_on = today - dt.timedelta(days=rng.randint(400, 2500))
        screening = Screening(device_type_id=device_type.id, screened_on=screened_on, product_risk=product,
                              usage_context=context, novelty=novelty, impact=impact, score_sum=outcome.score_sum,
                              risk_class=outcome.risk_class, pri_required=outcome.pri_required)
        session.add(screening)
        if large and device_type.released_on is not None:
            continue  # released by the generator already
        if index < len(device_types) - 3:  # in use for years: technical and clinical approval, released
            for kind in ("technical", "clinical") + (("pri",) if outcome.pri_required else ()):
                session.add(Approval(device_type_id=device_type.id, kind=kind, staff_id=approver.id,
                                     date=screened_on + dt.timedelta(days=60)))
            # Released years ago on that screening: in use (phase 6) from the release date on.
            released_on = screened_on + dt.timedelta(days=90)
            session.flush()
            session.add(Release(device_type_id=device_type.id, released_on=released_on, screening_id=screening.id))
            device_type.released_on = released_on
            device_type.phase_since = released_on
            device_type.lifecycle_phase = rules.PHASE_USE
    session.flush()
    notice_type = device_types[12] if len(device_types) > 12 else device_types[0]
    session.add(SafetyNotice(device_type_id=notice_type.id, title="FSN: occlusie-alarm software 2.3 — herinstructie",
                             issued_on=today - dt.timedelta(days=20), reinstruct_by=today + dt.timedelta(days=25)))
    session.flush()
    services.recompute_expiries(None, before_policy=rules.DEFAULT_POLICY, report=False)
