"""The competence passport: one person's competences, roles and VZI and BIG standing on a day.

The person takes it to an audit, a new employer or a department they help
out in; their manager and the admins may print it too (the rules of the
personal-data export). It records the audit trail's last hash like the
inspection report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.db import utcnow
from core.evidence import facts as fact_source
from core.evidence.facts import PersonFacts
from core.staff.models import Staff


@dataclass
class Passport:
    facts: PersonFacts
    on: dt.date
    generated_at: dt.datetime
    generated_by: str
    audit_id: int
    audit_hash: str


def build(staff: Staff, on: dt.date, *, generated_by: str) -> Passport:
    person = fact_source.gather([staff.id], on)[staff.id]
    audit_id, audit_hash = fact_source.audit_head()
    return Passport(person, on, utcnow(), generated_by, audit_id, audit_hash)
