"""The big_kt part of the synthetic university hospital (``bekwaam demo --size large``).

100 clinical technologists (staff 501-600 of core/demo_large: the medical-technology
division after the 500 technicians) with a BIG entry, its status history, sub-domains,
work hours and, for half of them, the NVvTG quality register. Deterministic per seed;
one executemany per table (the small demo stays in ``services.demo_data``).
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import insert, select

from core.competence.models import Competence
from core.staff.models import Staff
from core.tvb.models import Activity, Assignment, Cell, Role
from plugins.big_kt.models import (KtQualityActivity, KtQualityEntry, KtRegistration, KtStaffSubdomain,
                                   KtStatusChange, KtSubdomain, KtWorkHours)
from plugins.big_kt.services import DEMO_ACTIVITIES, DEMO_SUBDOMAINS, SOURCE

FIRST, COUNT = 501, 100
MORE_SUBDOMAINS = ("Longziekten", "Intensive care", "Operatiekamer")
TRACKS = ("Imaging & Intervention", "Sensing & Stimulation", "Medical Physics", "Robotics & Mechatronics")


def _rows(session, model, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(model.__table__), rows)


def load_large(session, today: dt.date, seed: int = 2026) -> dict:
    rng = random.Random(f"big_kt-{seed}")
    people = list(session.scalars(select(Staff.id).where(Staff.id >= FIRST).order_by(Staff.id).limit(COUNT)))
    if not people:
        return {}
    subdomains = []
    for name in DEMO_SUBDOMAINS + MORE_SUBDOMAINS:
        row = session.scalar(select(KtSubdomain).where(KtSubdomain.name == name)) or KtSubdomain(name=name)
        session.add(row)
        subdomains.append(row)
    role = session.scalar(select(Role).where(Role.name == "Klinisch technoloog")) or Role(
        name="Klinisch technoloog", description="BIG-geregistreerd klinisch technoloog")
    session.add(role)
    session.flush()
    by_name = {s.name: s.id for s in subdomains}
    matrix_since = today - dt.timedelta(days=6 * 365)
    activities = []
    for name, procedure, subdomain, protocol in DEMO_ACTIVITIES:
        activity = session.scalar(select(Activity).where(Activity.name == name))
        if activity is None:
            activity = Activity(name=name, level="operational", requirements={SOURCE: {
                "reserved_procedure": procedure, "subdomain_id": by_name[subdomain], "protocol": protocol}})
            activity.effective_from = matrix_since  # the demo's matrix has been in force for years
            session.add(activity)
            session.flush()
            cell = Cell(role_id=role.id, activity_id=activity.id, letters="B")
            cell.effective_from = matrix_since
            session.add(cell)
        activities.append((activity.id, by_name[subdomain]))
    session.flush()

    rows: dict[str, list[dict]] = {k: [] for k in ("registration", "change", "subdomain", "hours", "entry",
                                                   "quality", "assignment", "competence")}
    for index, sid in enumerate(people):
        specialist = people[(index + 1) % len(people)]  # signs the competences off; never the person
        registered_on = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, (today - dt.date(2014, 1, 1)).days - 60))
        diploma_on = registered_on - dt.timedelta(days=rng.randint(20, 200))
        roll = rng.random()
        status, since = "registered", registered_on
        rows["change"].append({"staff_id": sid, "status": "registered", "effective_on": registered_on,
                               "restricted_procedures": [], "restriction": None, "restriction_from": None,
                               "restriction_until": None})
        if roll < 0.04:
            status, since = "suspended", today - dt.timedelta(days=rng.randint(5, 200))
        elif roll < 0.07:
            status, since = "restricted", today - dt.timedelta(days=rng.randint(5, 200))
        restricted = ["elective_cardioversion"] if status == "restricted" else []
        if status != "registered":
            rows["change"].append({"staff_id": sid, "status": status, "effective_on": since,
                                   "restricted_procedures": restricted,
                                   "restriction": "Alleen onder supervisie" if restricted else None,
                                   "restriction_from": since if restricted else None, "restriction_until": None})
        rows["registration"].append({
            "staff_id": sid, "big_number": f"{79000000000 + sid * 100 + 1:011d}"[-11:],
            "registered_on": registered_on, "status": status, "status_since": since,
            "restriction": "Alleen onder supervisie" if restricted else None,
            "restriction_from": since if restricted else None, "restriction_until": None,
            "restricted_procedures": restricted, "diploma_on": diploma_on, "institution": "Universiteit Twente",
            "track": rng.choice(TRACKS), "foreign_diploma": False, "recognition_decision": None,
            "language_proof": False, "updated_at": dt.datetime.now(dt.timezone.utc)})
        chosen = rng.sample(range(len(subdomains)), rng.randint(1, 3))
        rows["subdomain"].extend({"staff_id": sid, "subdomain_id": subdomains[i].id, "valid_from": registered_on,
                                  "valid_to": None} for i in chosen)
        start = max(registered_on, dt.date(2023, 3, 1))
        while start < today - dt.timedelta(days=30):
            end = min(start + dt.timedelta(days=rng.randint(90, 365)), today - dt.timedelta(days=1))
            rows["hours"].append({"staff_id": sid, "period_start": start, "period_end": end,
                                  "hours": Decimal(rng.randint(150, 900))})
            start = end + dt.timedelta(days=1)
        if rng.random() < 0.5:
            entry = registered_on + dt.timedelta(days=rng.randint(0, 400))
            if entry < today:
                rows["entry"].append({"staff_id": sid, "entry_date": entry})
                for _ in range(rng.randint(3, 15)):
                    rows["quality"].append({
                        "staff_id": sid, "date": entry + dt.timedelta(days=rng.randint(0, max((today - entry).days, 1))),
                        "points": Decimal(rng.choice((2, 4, 6, 8))), "kind": rng.choice("AB"),
                        "title": "Symposium / nascholing"})
        rows["assignment"].append({"staff_id": sid, "role_id": role.id, "valid_from": registered_on, "valid_to": None})
        for activity_id, subdomain_id in activities:
            if rng.random() < 0.6:
                obtained = today - dt.timedelta(days=rng.randint(10, 700))
                rows["competence"].append({
                    "staff_id": sid, "device_type_id": None, "activity_id": activity_id, "role": "user",
                    "obtained_on": obtained, "method": "training_and_assessment",
                    "assessor_id": specialist if specialist != sid else None,
                    "evidence": "KKB-portfolio", "expires_on": obtained + dt.timedelta(days=730),
                    "expiry_source": None, "created_at": dt.datetime.now(dt.timezone.utc)})
    for name, model in (("registration", KtRegistration), ("change", KtStatusChange),
                        ("subdomain", KtStaffSubdomain), ("hours", KtWorkHours), ("entry", KtQualityEntry),
                        ("quality", KtQualityActivity), ("assignment", Assignment), ("competence", Competence)):
        _rows(session, model, rows[name])
    session.flush()
    return {f"big_{name}": len(found) for name, found in rows.items()}
