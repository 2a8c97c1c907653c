"""The inspection report: who was allowed to perform an activity on a device type on a day, and why.

For the inspector (Inspectie Gezondheidszorg en Jeugd) and the hospital's own
audit (Leidraad Medische Technologie 2026, fase 6: aantoonbaar bekwaam). Every
person holding a role with a cell for the activity in a covering scope is
listed: allowed with the evidence (role and TVB cell, competences with method,
assessor and expiry, VZI or BIG standing), refused with the decision's
reasons. The decisions are ``core.decision``'s; the document names the audit
trail's last hash, so what it shows can be tied to the data it was made from.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from core.db import utcnow
from core.decision import services as decision
from core.decision.services import Decision
from core.devices.models import DeviceType
from core.evidence import facts as fact_source
from core.evidence.facts import PersonFacts
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity


@dataclass
class Entry:
    facts: PersonFacts
    decision: Decision


@dataclass
class InspectionReport:
    device_type: DeviceType
    activity: Activity
    on: dt.date
    allowed: list[Entry]
    refused: list[Entry]
    generated_at: dt.datetime
    generated_by: str
    audit_id: int
    audit_hash: str


def build(device_type: DeviceType, activity: Activity, on: dt.date, *, generated_by: str,
          visible=None) -> InspectionReport:
    """``visible``: a WHERE clause limiting the people to those the caller may see (None: all)."""
    ids = decision.candidates(activity, device_type, on, b_only=False)
    if visible is not None and ids:
        ids = list(db.session.scalars(select(Staff.id).where(Staff.id.in_(ids), visible)))
    decisions = decision.decide_many(ids, activity, device_type, on)
    people = fact_source.gather(ids, on, activity=activity, device_type=device_type,
                                competences_for_type_only=True)
    entries = sorted((Entry(people[sid], decisions[sid]) for sid in ids if sid in people),
                     key=lambda e: (e.facts.staff.name, e.facts.staff.id))
    audit_id, audit_hash = fact_source.audit_head()
    return InspectionReport(device_type, activity, on,
                            [e for e in entries if e.decision.allowed], [e for e in entries if not e.decision.allowed],
                            utcnow(), generated_by, audit_id, audit_hash)
