"""A synthetic university hospital for benchmarks: `bekwaam demo --size large` (the large-hospital benchmarks, benchmarks/RESULTS.md).

15,000 staff, 3,000 device types over the 27 technology groups, 60,000 devices,
400,000 competences and a TVB matrix of 200 roles × 80 activities, generated
from a seeded random generator (the same seed gives the same hospital) and
written with bulk inserts in chunks. Plugins add their part through
``bekwaam_demo_data(size="large")``.
"""
from __future__ import annotations

import datetime as dt
import random
import time

from sqlalchemy import func, insert, select, text

from core.alerts.models import CoverageMinimum
from core.competence.models import Competence
from core.devices.models import Device, DeviceType
from core.devices.services import backfill_phases
from core.extensions import db
from core.plugins_runtime import manager
from core.staff.models import Department, Staff
from core.tvb import history
from core.tvb.models import Activity, Assignment, Cell, Role

SIZES = {
    "staff": 15_000, "device_types": 3_000, "devices": 60_000, "competences": 400_000,
    "roles": 200, "activities": 80, "medical_technicians": 500, "clinical_technologists": 100,
    "department": 500, "department_device_types": 200,
}
CHUNK = 10_000
MANUFACTURERS = ["Dräger", "Philips", "GE HealthCare", "Siemens Healthineers", "Medtronic", "B. Braun", "BD",
                 "Fresenius", "Baxter", "Olympus", "Karl Storz", "Stryker", "ZOLL", "Getinge", "Hamilton Medical",
                 "Mindray", "Nihon Kohden", "Canon Medical", "Erbe", "Natus", "Roche", "Radiometer", "Miele"]
CLASSES = ["I", "IIa", "IIa", "IIb", "IIb", "III", "A", "B", "C", "D"]


def _bulk(model, rows: list[dict]) -> None:
    # Core inserts on the Table: one executemany per chunk, no ORM bookkeeping.
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model.__table__), rows[start:start + CHUNK])


def load_large(seed: int = 2026, today: dt.date | None = None) -> dict:
    """Generate the hospital into an empty database; returns counts and seconds."""
    if db.session.scalar(select(func.count()).select_from(Staff)):
        raise RuntimeError("The large demo needs an empty database (run it on a fresh BEKWAAM_DATABASE_URL).")
    started = time.perf_counter()
    today = today or dt.date.today()
    rng = random.Random(seed)

    # Departments: 12 divisions × 10 units; medical technology is division 0.
    departments = [{"id": 1, "code": "DIV-0", "name": "Medische Technologie & Klinische Fysica", "parent_id": None}]
    for div in range(1, 12):
        departments.append({"id": div + 1, "code": f"DIV-{div}", "name": f"Divisie {div}", "parent_id": None})
    next_id = len(departments) + 1
    units: dict[int, list[int]] = {}
    for div in range(12):
        for unit in range(10):
            departments.append({"id": next_id, "code": f"D{div:02d}-{unit:02d}", "name": f"Afdeling {div}.{unit}",
                                "parent_id": div + 1})
            units.setdefault(div, []).append(next_id)
            next_id += 1

    # One unit of exactly 500 people (the benchmark's competence matrix): D01-00,
    # "Intensive Care", staff 601-1100; nobody else is placed there.
    ic = units[1][0]
    departments[ic - 1]["name"] = "Intensive Care"
    _bulk(Department, departments)
    staff = []
    n_mt, n_kt, n_ic = SIZES["medical_technicians"], SIZES["clinical_technologists"], SIZES["department"]
    for i in range(1, SIZES["staff"] + 1):
        external = i > n_mt + n_kt + n_ic and rng.random() < 0.05
        if i <= n_mt + n_kt:
            department = rng.choice(units[0])
        elif i <= n_mt + n_kt + n_ic:
            department = ic
        else:
            department = rng.choice([u for u in units[rng.randint(1, 11)] if u != ic])
        staff.append({
            "id": i, "employee_number": f"{'EXT' if external else 'P'}{i:06d}", "name": f"Medewerker {i:05d}",
            "email": f"medewerker.{i}@umc.example", "department_id": department, "manager_id": None,
            "employment_type": "external" if external else "internal",
            "company": rng.choice(MANUFACTURERS) + " Service" if external else None,
            "active": rng.random() > 0.02, "start_date": today - dt.timedelta(days=rng.randint(30, 9000)),
        })
    _bulk(Staff, staff)

    device_types = []
    for i in range(1, SIZES["device_types"] + 1):
        tg = (i - 1) % 27 + 1
        released = rng.random() < 0.95
        device_types.append({
            "id": i, "manufacturer": rng.choice(MANUFACTURERS), "model": f"{tg:02d}-{i:05d}",
            "name": f"Type {i} (groep {tg})", "technology_group_id": tg, "mdr_class": rng.choice(CLASSES),
            "lifecycle_phase": 6 if released else rng.randint(1, 5),
            "released_on": today - dt.timedelta(days=rng.randint(100, 4000)) if released else None,
        })
    _bulk(DeviceType, device_types)
    # Written around the ORM: each type's phase history starts at its release (or ten years ago).
    backfill_phases(db.session, today - dt.timedelta(days=3650))
    by_group: dict[int, list[int]] = {}
    for row in device_types:
        by_group.setdefault(row["technology_group_id"], []).append(row["id"])

    # The Intensive Care's own 200 device types: its devices and its people's competences.
    ic_types = sorted(rng.sample(range(1, SIZES["device_types"] + 1), SIZES["department_device_types"]))
    devices = []
    for i in range(1, SIZES["devices"] + 1):
        in_ic = i <= 2 * len(ic_types)
        devices.append({
            "id": i, "asset_number": f"A{i:07d}", "serial_number": f"S{rng.randint(10**8, 10**9 - 1)}",
            "device_type_id": ic_types[(i - 1) % len(ic_types)] if in_ic else rng.randint(1, SIZES["device_types"]),
            "department_id": ic if in_ic else rng.randint(13, next_id - 1),
            "status": "in_use" if rng.random() < 0.9 else "in_repair"})
    _bulk(Device, devices)

    # Competences: technicians on their groups' types, everybody else as users.
    competences, seen = [], set()
    per_person = SIZES["competences"] // SIZES["staff"] + 1
    methods = ["instruction", "training", "training_and_assessment"]
    cid = 1
    while cid <= SIZES["competences"]:
        for person in staff:
            technician = person["id"] <= n_mt
            in_ic = person["department_id"] == ic
            groups = rng.sample(range(1, 28), 3)
            for _ in range(per_person):
                if cid > SIZES["competences"]:
                    break
                device_type_id = rng.choice(ic_types) if in_ic else rng.choice(by_group[rng.choice(groups)])
                role = "technician" if technician else ("key_user" if rng.random() < 0.05 else "user")
                if (person["id"], device_type_id, role) in seen:
                    continue
                seen.add((person["id"], device_type_id, role))
                competences.append({
                    "id": cid, "staff_id": person["id"], "device_type_id": device_type_id, "activity_id": None,
                    "role": role, "obtained_on": today - dt.timedelta(days=rng.randint(1, 1500)),
                    "method": rng.choice(methods), "assessor_id": None, "evidence": f"LMS-{cid}",
                    "expires_on": None, "expiry_source": None, "created_at": dt.datetime.now(dt.timezone.utc),
                })
                cid += 1
    _bulk(Competence, competences)

    # TVB: the shipped activities plus generated ones up to 80; 200 roles.
    existing = list(db.session.scalars(select(Activity.id)))
    _bulk(Activity, [{"name": f"Activiteit {i:02d}", "level": "operational", "lifecycle_phase": 6,
                      "requirements": {"leidraad": {"competence_role": "technician", "approval": None}}}
                     for i in range(len(existing) + 1, SIZES["activities"] + 1)])
    activity_ids = list(db.session.scalars(select(Activity.id).order_by(Activity.id)))
    _bulk(Role, [{"id": i, "name": f"Rol {i:03d}", "description": None} for i in range(1, SIZES["roles"] + 1)])
    cells, seen_cells = [], set()
    for role_id in range(1, SIZES["roles"] + 1):
        for activity_id in rng.sample(activity_ids, 10):
            tg = rng.choice([None, rng.randint(1, 27)])
            if (role_id, activity_id, tg) in seen_cells:
                continue
            seen_cells.add((role_id, activity_id, tg))
            cells.append({"role_id": role_id, "activity_id": activity_id, "letters": rng.choice(["TB", "TVB", "V"]),
                          "technology_group_id": tg, "device_type_id": None})
    _bulk(Cell, cells)
    # Written around the ORM: the matrix gets its dated history here, as configured ten years ago.
    history.backfill(db.session, today - dt.timedelta(days=3650))
    _bulk(Assignment, [{
        "staff_id": person["id"], "role_id": rng.randint(1, SIZES["roles"]),
        "valid_from": today - dt.timedelta(days=rng.randint(30, 3000)),
        "valid_to": None if rng.random() < 0.9 else today + dt.timedelta(days=rng.randint(1, 365)),
    } for person in staff])
    # Coverage minimums: two technicians per technology group, three for 50 critical types.
    now = dt.datetime.now(dt.timezone.utc)
    _bulk(CoverageMinimum, [{"device_type_id": None, "technology_group_id": tg, "role": "technician", "minimum": 2,
                             "created_at": now} for tg in range(1, 28)]
          + [{"device_type_id": type_id, "technology_group_id": None, "role": "technician", "minimum": 3,
              "created_at": now} for type_id in sorted(rng.sample(range(1, SIZES["device_types"] + 1), 50))])
    db.session.flush()
    _reset_sequences()  # the plugins insert without ids

    # The plugins' part (VZI portfolios, BIG entries, screenings and expiries) from the same seed.
    db.session.info["bekwaam_demo_seed"] = seed
    plugin_counts: dict = {}
    for result in manager().hook.bekwaam_demo_data(session=db.session, today=today, size="large"):
        plugin_counts.update(result or {})
    db.session.commit()
    _reset_sequences()
    # Planner statistics for the bulk-loaded tables: without them PostgreSQL plans
    # for the empty tables it saw at migration time (autovacuum comes much later).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"staff": len(staff), "device_types": len(device_types), "devices": SIZES["devices"],
            "competences": len(competences), "roles": SIZES["roles"], "activities": len(activity_ids),
            "cells": len(cells), **plugin_counts, "seconds": round(time.perf_counter() - started, 1)}


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the data."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement:
            db.session.execute(db.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
