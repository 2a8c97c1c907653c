"""Benchmarks of the large hospital, each figure next to a lower bound.

    python -m benchmarks.run --db sqlite [--reuse /tmp/bekwaam-large.sqlite] [--runs 5]
    python -m benchmarks.run --db postgresql [--pg-server postgresql://postgres@127.0.0.1:5432]

SQLite: generates the hospital into a file (kept for --reuse; a --reuse file
that does not exist yet is generated and then reused). PostgreSQL: creates a
fresh database ``bekwaam_bench_<pid>``, generates into it and drops it at the
end. Then measures, median of ``--runs`` runs each:

- the nightly alert run (``core.alerts.services.run_day``, deliveries off),
  cold (empty alert table: every event is new) and rerun (every key exists);
  lower bound: one hand-written SELECT per alert kind giving the same candidate rows
  (cold: plus writing the same alert rows with one INSERT … SELECT; rerun: the raw
  read of the rows in the window, as a rerun leaves stored keys out in SQL);
- the competence matrix of the 500-person Intensive Care × its device types
  (``core.competence.matrix.build``); lower bound: one SELECT of those people's competences;
- ``can_perform`` for 300 (person, activity, device type) triples in-process
  (median and p95); lower bound: one SQL query joining assignment/cell/competence;
- the same over HTTP under ``gunicorn -w 2`` (loopback, one client); lower bound:
  ``GET /staff/{id}`` for the same people (HTTP, token, one row, JSON); and the
  peak RSS of the workers afterwards;
- the VZI evaluation of the 500 technicians (``plugins.vzi_mt.services.evaluate_many``);
  lower bound: reading their portfolio rows;
- the import of 15,000 staff (``core.dataio.importers.run`` on a CSV written from the
  generated staff) into a database holding only the departments, and again into the
  full hospital (every row unchanged); lower bound: parsing the CSV and one executemany INSERT.

The figures go to stdout and, as JSON with the EXPLAIN of the slowest statements
of each benchmark, to ``--out`` (default ``benchmarks/out/``).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

IC_CODE = "D01-00"
NO_DELIVERY = {"BEKWAAM_SMTP_HOST": None, "BEKWAAM_WEBHOOK_URL": None}


# --- helpers -------------------------------------------------------------------------

def loadavg() -> str:
    return "%.2f %.2f %.2f" % os.getloadavg()


def _lines(path: str) -> list[str]:
    with open(path) as stream:
        return stream.readlines()


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
               "?")
    mem = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 1024 / 1024, 1),
            "python": sys.version.split()[0], "date": dt.datetime.now().isoformat(timespec="seconds")}


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def figure(name: str, times: list[float], lower: list[float] | None = None, target_ms: float | None = None,
           **extra) -> dict:
    row = {"name": name, "median_ms": ms(statistics.median(times)), "min_ms": ms(min(times)),
           "max_ms": ms(max(times)), "runs": len(times), "load": loadavg(), **extra}
    if lower:
        row["lower_bound_ms"] = ms(statistics.median(lower))
        row["ratio"] = round(statistics.median(times) / max(statistics.median(lower), 1e-9), 2)
    if target_ms is not None:
        row["target_ms"] = target_ms
        row["met"] = row["median_ms"] < target_ms
    text = f"{name:<44} median {row['median_ms']:>9.2f} ms"
    if "p95_ms" in extra:
        text += f"  p95 {extra['p95_ms']:>7.2f} ms"
    if lower:
        text += f"  lower bound {row['lower_bound_ms']:>8.2f} ms  ×{row['ratio']}"
    if target_ms is not None:
        text += f"  target < {target_ms} ms {'OK' if row['met'] else 'MISSED'}"
    print(text + f"  (load {row['load']})", flush=True)
    return row


@contextmanager
def captured(engine):
    """Every statement run inside, with its parameters and duration."""
    from sqlalchemy import event
    found, starts = [], {}

    def before(conn, cursor, statement, parameters, context, executemany):
        starts[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        found.append((time.perf_counter() - starts.pop(id(cursor), time.perf_counter()), statement, parameters,
                      executemany))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def explain(db, statements, top: int = 3) -> list[dict]:
    """EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (PostgreSQL) of the slowest SELECTs captured."""
    plans = []
    dialect = db.engine.dialect.name
    selects = [s for s in statements if s[1].lstrip().upper().startswith(("SELECT", "WITH")) and not s[3]]
    for seconds, statement, parameters, _ in sorted(selects, key=lambda s: -s[0])[:top]:
        prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
        plan = "\n".join(" | ".join(str(c) for c in row[-1:]) if dialect == "sqlite" else row[0] for row in rows)
        plans.append({"ms": ms(seconds), "sql": " ".join(statement.split())[:1500], "plan": plan})
    return plans


def summary_of(statements) -> dict:
    return {"statements": len(statements), "sql_ms": ms(sum(s[0] for s in statements))}


# --- the database ----------------------------------------------------------------------

def make_app(url: str):
    from flask_migrate import upgrade

    from core import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "BEKWAAM_DISABLED_PLUGINS": [],
                      **NO_DELIVERY})
    with app.app_context():
        upgrade(revision="heads")
    return app


def pg_create(server: str, name: str) -> str:
    import psycopg
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def pg_drop(server: str, name: str) -> None:
    import psycopg
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate(app, seed: int) -> dict:
    from core.demo_large import load_large
    with app.app_context():
        start_cpu, start = time.process_time(), time.perf_counter()
        counts = load_large(seed=seed)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    row = {"name": "generator (bekwaam demo --size large)", "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
           "load": loadavg(), "counts": counts, "target_s": 120, "met": wall < 120}
    print(f"generator: {row['wall_s']} s wall, {row['cpu_s']} s CPU (target < 120 s) (load {row['load']})", flush=True)
    return row


# --- the benchmarks -------------------------------------------------------------------------

def bench_alerts(app, runs: int) -> list[dict]:
    from sqlalchemy import delete, text

    from core.alerts import services
    from core.alerts.models import Alert, AlertDelivery, AlertRun
    from core.extensions import db
    rows = []
    with app.app_context():
        today = services.local_today()

        def clear():
            for model in (AlertDelivery, Alert, AlertRun):
                db.session.execute(delete(model))
            db.session.commit()

        cold, created = [], 0
        for run in range(runs):
            clear()
            start = time.perf_counter()
            if run == 0:
                with captured(db.engine) as statements:
                    result = services.run_day(today, manual=True)
            else:
                result = services.run_day(today, manual=True)
            cold.append(time.perf_counter() - start)
            created = result["created"]
        plans = explain(db, statements, top=4)
        sql = summary_of(statements)
        rerun, _ = timed(lambda: services.run_day(today, manual=True), runs)

        # Lower bound: the candidate rows of every kind, one hand-written SELECT each.
        horizon = max(services.horizons())
        lookback = int(app.config.get("BEKWAAM_ALERT_EXPIRED_LOOKBACK_DAYS", 90))
        p = {"today": today, "lo": today - dt.timedelta(days=lookback), "hi": today + dt.timedelta(days=horizon),
             "vzi_lo": today - dt.timedelta(days=365), "vzi_hi": today + dt.timedelta(days=180)}
        queries = {
            "competence": """
                SELECT c.id, c.staff_id, c.role, c.expires_on, s.name, d.name, a.name FROM competence c
                JOIN staff s ON s.id = c.staff_id
                LEFT JOIN device_type d ON d.id = c.device_type_id LEFT JOIN tvb_activity a ON a.id = c.activity_id
                WHERE s.active AND c.expires_on > :lo AND c.expires_on <= :hi AND NOT EXISTS (
                  SELECT 1 FROM competence n WHERE n.staff_id = c.staff_id AND n.role = c.role AND n.id <> c.id
                  AND (n.device_type_id = c.device_type_id OR n.activity_id = c.activity_id)
                  AND (n.expires_on IS NULL OR n.expires_on > c.expires_on))""",
            "assignment": """
                SELECT a.id, a.staff_id, a.valid_to, s.name, r.name FROM tvb_assignment a
                JOIN staff s ON s.id = a.staff_id JOIN tvb_role r ON r.id = a.role_id
                WHERE s.active AND a.valid_to >= :today AND a.valid_to <= :hi AND NOT EXISTS (
                  SELECT 1 FROM tvb_assignment l WHERE l.staff_id = a.staff_id AND l.role_id = a.role_id
                  AND l.id <> a.id AND l.valid_from > a.valid_from AND l.valid_from <= a.valid_to + 1
                  AND (l.valid_to IS NULL OR l.valid_to > a.valid_to))""",
            "coverage": """
                SELECT m.id, d.id, c.staff_id, c.obtained_on, c.expires_on FROM coverage_minimum m
                JOIN device_type d ON (m.device_type_id = d.id AND d.lifecycle_phase <> 7)
                LEFT JOIN competence c ON c.device_type_id = d.id AND c.role = m.role AND c.obtained_on <= :hi
                  AND EXISTS (SELECT 1 FROM staff s WHERE s.id = c.staff_id AND s.active)
                UNION ALL
                SELECT m.id, d.id, c.staff_id, c.obtained_on, c.expires_on FROM coverage_minimum m
                JOIN device_type d ON (m.technology_group_id = d.technology_group_id AND d.lifecycle_phase IN (5, 6))
                LEFT JOIN competence c ON c.device_type_id = d.id AND c.role = m.role AND c.obtained_on <= :hi
                  AND EXISTS (SELECT 1 FROM staff s WHERE s.id = c.staff_id AND s.active)""",
            "vzi": """
                SELECT k.id, k.staff_id, k.end_date,
                  (SELECT count(*) FROM vzi_mt_cpd_activity x WHERE x.staff_id = k.staff_id) +
                  (SELECT count(*) FROM vzi_mt_position x WHERE x.staff_id = k.staff_id) +
                  (SELECT count(*) FROM vzi_mt_education x WHERE x.staff_id = k.staff_id) +
                  (SELECT count(*) FROM vzi_mt_certificate x WHERE x.staff_id = k.staff_id) +
                  (SELECT count(*) FROM vzi_mt_work_experience x WHERE x.staff_id = k.staff_id)
                FROM vzi_mt_certification k JOIN staff s ON s.id = k.staff_id
                WHERE s.active AND k.end_date > :vzi_lo AND k.end_date <= :vzi_hi AND k.start_date = (
                  SELECT max(start_date) FROM vzi_mt_certification l WHERE l.staff_id = k.staff_id
                  AND l.start_date <= :today)""",
            "big": """
                SELECT r.staff_id, r.registered_on, r.status, w.period_start, w.period_end, w.hours
                FROM big_kt_registration r LEFT JOIN big_kt_work_hours w ON w.staff_id = r.staff_id""",
        }
        if db.engine.dialect.name == "sqlite":
            queries["assignment"] = queries["assignment"].replace("a.valid_to + 1", "date(a.valid_to, '+1 day')")

        def lower_bound():
            found = {}
            for kind, sql_text in queries.items():
                found[kind] = len(db.session.execute(text(sql_text), p).all())
            return found

        lower, counts = timed(lower_bound, runs)
        db.session.rollback()

        # A rerun's answer is "nothing new": it leaves stored keys out inside SQL
        # and so reads less than the candidate rows above. Its lower bound is the
        # raw cost of reading the rows any run must look at: the competences and
        # assignments in the window (bare columns, no joins or checks), and the
        # coverage, VZI and BIG rows as above.
        raw_queries = {
            **queries,
            "competence": "SELECT c.id, c.staff_id, c.role, c.expires_on FROM competence c "
                          "WHERE c.expires_on > :lo AND c.expires_on <= :hi",
            "assignment": "SELECT a.id, a.staff_id, a.valid_to FROM tvb_assignment a "
                          "WHERE a.valid_to >= :today AND a.valid_to <= :hi",
        }

        def raw_read():
            for sql_text in raw_queries.values():
                db.session.execute(text(sql_text), p).all()
        rerun_lower, _ = timed(raw_read, runs)
        db.session.rollback()

        # The cold run's lower bound adds the raw cost of writing the same rows:
        # one INSERT … SELECT from a copy (the database's own speed, no Python).
        columns = ", ".join(c.name for c in Alert.__table__.columns if c.name != "id")

        def raw_insert():
            db.session.execute(text("CREATE TEMPORARY TABLE alert_copy AS SELECT * FROM alert"))
            db.session.execute(delete(AlertDelivery))
            db.session.execute(delete(Alert))
            start = time.perf_counter()
            db.session.execute(text(f"INSERT INTO alert ({columns}) SELECT {columns} FROM alert_copy"))
            spent = time.perf_counter() - start
            db.session.rollback()
            db.session.execute(text("DROP TABLE IF EXISTS alert_copy"))
            db.session.commit()
            return spent
        writes = [raw_insert() for _ in range(max(1, runs // 2))]
        cold_lower = [statistics.median(lower) + statistics.median(writes)]
    rows.append(figure("alert run, cold (every event new)", cold, cold_lower, 2000, created=created,
                       candidates=counts, raw_insert_ms=ms(statistics.median(writes)), explain=plans, **sql))
    rows.append(figure("alert run, rerun (every key exists)", rerun, rerun_lower, 2000))
    return rows


def _ic(db):
    from sqlalchemy import select

    from core.staff.models import Department
    return db.session.scalar(select(Department.id).where(Department.code == IC_CODE))


def bench_matrix(app, runs: int) -> list[dict]:
    from types import SimpleNamespace

    from sqlalchemy import text

    from core.competence import matrix
    from core.extensions import db
    admin = SimpleNamespace(id=None, role="admin", staff_id=None, department_id=None)
    with app.app_context():
        ic, on = _ic(db), dt.date.today()
        matrix.build(admin, on=on, department_id=ic)  # warm up
        with captured(db.engine) as statements:
            result = matrix.build(admin, on=on, department_id=ic)
        plans = explain(db, statements)
        times, _ = timed(lambda: matrix.build(admin, on=on, department_id=ic), runs)
        sql = text("""SELECT c.staff_id, c.device_type_id, c.expires_on FROM competence c
                      JOIN staff s ON s.id = c.staff_id
                      WHERE s.department_id = :ic AND s.active AND c.device_type_id IS NOT NULL
                      AND c.obtained_on <= :on""")
        lower, _ = timed(lambda: db.session.execute(sql, {"ic": ic, "on": on}).all(), runs)
        db.session.rollback()
    size = f"{len(result['staff'])} × {len(result['device_types'])}"
    print(f"  matrix size {size}")
    return [figure("competence matrix (build)", times, lower, 300, size=size, explain=plans,
                   **summary_of(statements))]


def triples(app, count: int, seed: int = 9) -> list[tuple[int, int, int | None]]:
    """(staff, activity, device type): a role the person holds today, a cell of it, a type in its scope."""
    from sqlalchemy import select

    from core.devices.models import DeviceType
    from core.extensions import db
    from core.tvb.models import Assignment, Cell
    from core.tvb.services import valid_on
    rng = random.Random(seed)
    with app.app_context():
        today = dt.date.today()
        held = db.session.execute(select(Assignment.staff_id, Assignment.role_id).where(valid_on(today))
                                  .order_by(Assignment.id)).all()
        cells: dict[int, list] = {}
        for role_id, activity_id, tg in db.session.execute(select(Cell.role_id, Cell.activity_id,
                                                                  Cell.technology_group_id)):
            cells.setdefault(role_id, []).append((activity_id, tg))
        by_group: dict[int, list[int]] = {}
        for type_id, tg in db.session.execute(select(DeviceType.id, DeviceType.technology_group_id)):
            by_group.setdefault(tg, []).append(type_id)
        chosen = []
        for staff_id, role_id in rng.sample(held, min(count * 2, len(held))):
            if role_id not in cells:
                continue
            activity_id, tg = rng.choice(cells[role_id])
            group = tg if tg is not None else rng.randint(1, 27)
            chosen.append((staff_id, activity_id, rng.choice(by_group[group])))
            if len(chosen) == count:
                break
    return chosen


def bench_can_perform(app, chosen, runs: int) -> list[dict]:
    from sqlalchemy import text

    from core import constants
    from core.decision.services import can_perform
    from core.devices.models import DeviceType
    from core.extensions import db
    from core.tvb.models import Activity
    with app.app_context():
        on = dt.date.today()
        activities = {a: db.session.get(Activity, a) for a in {t[1] for t in chosen}}
        types = {d: db.session.get(DeviceType, d) for d in {t[2] for t in chosen}}
        for staff_id, a, d in chosen[:20]:
            can_perform(staff_id, activities[a], types[d], on)
        with captured(db.engine) as statements:
            can_perform(chosen[0][0], activities[chosen[0][1]], types[chosen[0][2]], on)
        plans = explain(db, statements, top=2)
        def decide_all(latencies):
            allowed = 0
            for _ in range(runs):
                for staff_id, a, d in chosen:
                    start = time.perf_counter()
                    decision = can_perform(staff_id, activities[a], types[d], on)
                    latencies.append(time.perf_counter() - start)
                    allowed += decision.allowed
            return allowed
        # Outside a request every call reads its constants again; a job deciding many times opens
        # one ``constants.batch()`` (core/constants.py), as a request reads them once. Both measured.
        # Inside the batch the first pass reads each device type's constants (phase, Leidraad
        # context) for the first time, as a worker does once per type until the next change; the
        # figure against the target is the passes after it (a running worker's state).
        unbatched = []
        decide_all(unbatched)
        first, latencies = [], []
        with constants.batch():
            decide_all(first)
            allowed = decide_all(latencies)
        sql = text("""SELECT count(*) FROM tvb_assignment a
            JOIN tvb_cell c ON c.role_id = a.role_id AND c.activity_id = :activity
            LEFT JOIN competence k ON k.staff_id = a.staff_id AND k.device_type_id = :type AND k.role = 'user'
              AND k.obtained_on <= :on AND (k.expires_on IS NULL OR k.expires_on > :on)
            WHERE a.staff_id = :staff AND a.valid_from <= :on AND (a.valid_to IS NULL OR a.valid_to >= :on)
              AND (c.device_type_id IS NULL OR c.device_type_id = :type)
              AND (c.technology_group_id IS NULL OR c.technology_group_id = :tg)""")
        lower = []
        for staff_id, a, d in chosen:
            start = time.perf_counter()
            db.session.execute(sql, {"activity": a, "type": d, "on": on, "staff": staff_id,
                                     "tg": types[d].technology_group_id}).all()
            lower.append(time.perf_counter() - start)
        db.session.rollback()
    return [figure("can_perform in-process (one constants.batch())", latencies, lower, None,
                   p95_ms=ms(p95(latencies)), lower_p95_ms=ms(p95(lower)), target_p95_ms=5,
                   met=p95(latencies) < 0.005, calls=len(latencies), allowed=allowed, explain=plans,
                   **summary_of(statements)),
            figure("can_perform in-process, constants read the first time", first, lower, None,
                   p95_ms=ms(p95(first)), calls=len(first)),
            figure("can_perform in-process, each call on its own", unbatched, lower, None,
                   p95_ms=ms(p95(unbatched)), calls=len(unbatched))]


def bench_dashboard(app, runs: int) -> list[dict]:
    """The dashboard's expiry buckets (``core.web.views.dashboard.expiry_buckets``), hospital-wide
    for an administrator and for the manager of the 500-person Intensive Care."""
    from types import SimpleNamespace

    from sqlalchemy import text

    from core.extensions import db
    from core.web.views.dashboard import BUCKETS, EXPIRED_LOOKBACK_DAYS, expiry_buckets
    rows = []
    with app.app_context():
        today = dt.date.today()
        ic = _ic(db)
        admin = SimpleNamespace(id=None, role="admin", staff_id=None, department_id=None)
        manager = SimpleNamespace(id=None, role="manager", staff_id=None, department_id=ic)
        # Lower bound: the raw read of the window's competences of active staff (ids only).
        hospital = text("""SELECT c.id FROM competence c JOIN staff s ON s.id = c.staff_id
                           WHERE s.active AND c.expires_on > :lo AND c.expires_on <= :hi""")
        department = text("""SELECT c.id FROM staff s JOIN competence c ON c.staff_id = s.id
                             WHERE s.department_id = :dept AND s.active
                             AND c.expires_on > :lo AND c.expires_on <= :hi""")
        window = {"lo": today - dt.timedelta(days=EXPIRED_LOOKBACK_DAYS), "hi": today + dt.timedelta(days=max(BUCKETS))}
        for name, user, dept in (("dashboard expiry buckets, hospital-wide (admin)", admin, None),
                                 ("dashboard expiry buckets, Intensive Care (manager)", manager, ic)):
            expiry_buckets(user, today)  # warm up
            with captured(db.engine) as statements:
                found = expiry_buckets(user, today)
            plans = explain(db, statements, top=1)
            times, _ = timed(lambda: expiry_buckets(user, today), runs)
            sql = hospital if dept is None else department
            lower, _ = timed(lambda: db.session.execute(sql, {**window, "dept": dept}).all(), runs)
            rows.append(figure(name, times, lower, None, totals={k: b["total"] for k, b in found.items()},
                               explain=plans, **summary_of(statements)))
        db.session.rollback()
    return rows


def bench_vzi(app, runs: int) -> list[dict]:
    from sqlalchemy import select, text

    from core.extensions import db
    from plugins.vzi_mt import models
    from plugins.vzi_mt.services import evaluate_many
    with app.app_context():
        ids = list(db.session.scalars(select(models.Position.staff_id).distinct()))
        today = dt.date.today()
        with captured(db.engine) as statements:
            result = evaluate_many(db.session, ids, today)
        plans = explain(db, statements, top=2)
        times, _ = timed(lambda: evaluate_many(db.session, ids, today), runs)
        tables = ("vzi_mt_education", "vzi_mt_certificate", "vzi_mt_position", "vzi_mt_cpd_activity",
                  "vzi_mt_work_experience", "vzi_mt_certification")
        id_list = ",".join(str(i) for i in ids)

        def read_rows():
            return sum(len(db.session.execute(text(f"SELECT * FROM {t} WHERE staff_id IN ({id_list})")).all())
                       for t in tables)

        lower, rows_read = timed(read_rows, runs)
        db.session.rollback()
    eligible = sum(e.eligible for e in result.values())
    return [figure("VZI evaluation of the technicians", times, lower, 1000, people=len(result), eligible=eligible,
                   rows=rows_read, explain=plans, **summary_of(statements))]


def write_staff_csv(app, path: str) -> int:
    from sqlalchemy import select

    from core.extensions import db
    from core.staff.models import Department, Staff
    with app.app_context():
        rows = db.session.execute(
            select(Staff.employee_number, Staff.name, Staff.email, Department.code, Staff.employment_type,
                   Staff.company, Staff.active, Staff.start_date)
            .outerjoin(Department, Department.id == Staff.department_id).order_by(Staff.id)).all()
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["employee number", "name", "email", "department code", "employment type", "company",
                         "active", "start date"])
        for number, name, email, code, kind, company, active, start in rows:
            writer.writerow([number, name, email or "", code or "", kind, company or "", "ja" if active else "nee",
                             start.isoformat() if start else ""])
    return len(rows)


def _import(app, path: str):
    from core.dataio import importers
    from core.dataio.readers import open_table
    from core.extensions import db
    with app.app_context():
        with open(path, "rb") as stream:
            report = importers.run("staff", open_table(stream, path))
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
        return report


def bench_import(app, empty_app, path: str, runs: int) -> list[dict]:
    from sqlalchemy import delete, insert, select

    from core.audit.models import AuditEntry
    from core.dataio.models import StaffDeparture
    from core.extensions import db
    from core.staff.models import Department, Staff
    rows = []
    with app.app_context():
        departments = [dict(r._mapping) for r in db.session.execute(
            select(Department.id, Department.code, Department.name, Department.parent_id).order_by(Department.id))]
    with empty_app.app_context():
        if not db.session.scalar(select(Department.id).limit(1)):
            db.session.execute(insert(Department), departments)
            db.session.commit()

        def clear():
            db.session.execute(delete(StaffDeparture))
            db.session.execute(delete(Staff))
            db.session.execute(delete(AuditEntry))
            db.session.commit()

        codes = {d["code"]: d["id"] for d in departments}

        def lower_bound():
            with open(path, newline="", encoding="utf-8") as stream:
                reader = csv.reader(stream)
                next(reader)
                batch = [{"employee_number": r[0], "name": r[1], "email": r[2] or None,
                          "department_id": codes.get(r[3]), "employment_type": r[4], "company": r[5] or None,
                          "active": r[6] == "ja", "start_date": dt.date.fromisoformat(r[7]) if r[7] else None,
                          "manager_id": None} for r in reader]
            db.session.execute(insert(Staff), batch)
            db.session.commit()

        fresh, lower, report = [], [], None
        for _ in range(runs):
            clear()
            start = time.perf_counter()
            report = _import(empty_app, path)
            fresh.append(time.perf_counter() - start)
        counts = report.counts() if report else {}
        for _ in range(runs):
            clear()
            start = time.perf_counter()
            lower_bound()
            lower.append(time.perf_counter() - start)
        clear()
    rows.append(figure("import 15,000 staff (new)", fresh, lower, 10000, counts=counts))
    again, report = timed(lambda: _import(app, path), max(1, runs // 2))
    rows.append(figure("import 15,000 staff (all unchanged)", again, lower, 10000, counts=report.counts()))
    return rows


# --- HTTP under gunicorn -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in "".join(_lines(f"/proc/{pid}/task/{pid}/children")).split()]
    except OSError:
        return []


def rss_kb(pid: int) -> dict:
    found = {}
    for line in _lines(f"/proc/{pid}/status"):
        if line.startswith(("VmRSS", "VmHWM")):
            key, value = line.split(":")
            found[key] = int(value.split()[0])
    return found


def bench_http(app, url: str, chosen, requests: int) -> list[dict]:
    from core.auth.services import create_user, new_token
    from core.extensions import db
    with app.app_context():
        user = create_user(f"bench-{os.getpid()}-{time.time_ns()}@bench.example", "admin")
        token = new_token(user)
        db.session.commit()
        ic = _ic(db)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEKWAAM_SMTP", "BEKWAAM_WEBHOOK"))}
    env.update(BEKWAAM_DATABASE_URL=url, BEKWAAM_SECRET_KEY="bench", BEKWAAM_DISABLED_PLUGINS="")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--log-level", "warning", "core:create_app()"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        request = urllib.request.Request(base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()

    rows = []
    try:
        for _ in range(100):
            try:
                get("/staff?per_page=1")
                break
            except OSError:
                time.sleep(0.2)
        def latencies_of(paths):
            for path in paths[:30]:  # both workers warm
                get(path)
            found = []
            for i in range(requests):
                start = time.perf_counter()
                status, _ = get(paths[i % len(paths)])
                found.append(time.perf_counter() - start)
                assert status == 200
            return found

        latencies = latencies_of([f"/staff/{s}/can-perform?activity_id={a}&device_type_id={d}" for s, a, d in chosen])
        # Lower bound: the same stack (HTTP, token check, one primary-key read, JSON)
        # for the same people, without the decision.
        lower = latencies_of([f"/staff/{s}" for s, _, _ in chosen])
        rows.append(figure("can_perform over HTTP (gunicorn -w 2)", latencies, lower, None,
                           p95_ms=ms(p95(latencies)), lower_p95_ms=ms(p95(lower)), requests=requests))
        matrix_times, size = [], 0
        for _ in range(6):
            start = time.perf_counter()
            status, body = get(f"/competence-matrix?department_id={ic}")
            matrix_times.append(time.perf_counter() - start)
            size = len(body)
        rows.append(figure("competence matrix over HTTP (incl. JSON)", matrix_times[2:], None, None,
                           bytes=size))
        workers = children(server.pid)
        memory = {pid: rss_kb(pid) for pid in workers}
        peak = max((m.get("VmHWM", 0) for m in memory.values()), default=0)
        rows.append({"name": "gunicorn worker peak RSS", "peak_mb": round(peak / 1024, 1), "workers": memory,
                     "target_mb": 300, "met": peak / 1024 < 300, "load": loadavg()})
        print(f"gunicorn worker peak RSS (VmHWM) {peak / 1024:.1f} MB (target < 300 MB) (load {loadavg()})")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return rows


# --- main -------------------------------------------------------------------------------------------

def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="Benchmarks of the large hospital.")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--reuse", help="SQLite: a generated hospital file (generated there first if missing)")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300, help="can_perform triples")
    parser.add_argument("--requests", type=int, default=400, help="HTTP requests")
    parser.add_argument("--only", default="alerts,matrix,can_perform,vzi,dashboard,import,http",
                        help="comma-separated subset")
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "out"))
    parser.add_argument("--small", action="store_true", help="smoke test: a tiny hospital (core/demo_large SIZES)")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))

    if args.small:
        from core import demo_large
        demo_large.SIZES.update(staff=1200, device_types=300, devices=600, competences=6000, roles=20,
                                department=200, department_device_types=40)
    result = {"db": args.db, "machine": machine(), "load_start": loadavg(), "figures": []}
    print(json.dumps(result["machine"]), f"load {result['load_start']}", flush=True)
    tmp = tempfile.mkdtemp(prefix="bekwaam-bench-")
    pg_name = f"bekwaam_bench_{os.getpid()}"
    try:
        if args.db == "postgresql":
            url = pg_create(args.pg_server, pg_name)
            empty_url = pg_create(args.pg_server, pg_name + "_import")
        else:
            path = args.reuse or os.path.join(tmp, "large.sqlite")
            url = "sqlite:///" + os.path.abspath(path)
            empty_url = "sqlite:///" + os.path.join(tmp, "import.sqlite")
            reuse = args.reuse and os.path.exists(args.reuse)
        app = make_app(url)
        if args.db == "postgresql" or not reuse:
            result["figures"].append(generate(app, args.seed))
        chosen = triples(app, args.calls)
        steps = [("alerts", lambda: bench_alerts(app, args.runs)),
                 ("matrix", lambda: bench_matrix(app, max(args.runs, 10))),
                 ("can_perform", lambda: bench_can_perform(app, chosen, max(1, args.runs // 2))),
                 ("vzi", lambda: bench_vzi(app, args.runs)),
                 ("dashboard", lambda: bench_dashboard(app, args.runs)),
                 ("http", lambda: bench_http(app, url, chosen, args.requests))]
        for name, step in steps:
            if name in only:
                result["figures"].extend(step())
        if "import" in only:
            csv_path = os.path.join(tmp, "staff.csv")
            write_staff_csv(app, csv_path)
            result["figures"].extend(bench_import(app, make_app(empty_url), csv_path, max(3, args.runs // 2)))
    finally:
        from core.extensions import db
        for candidate in list(locals().get("app", None) and [app] or []):
            with candidate.app_context():
                db.engine.dispose()
        if args.db == "postgresql":
            pg_drop(args.pg_server, pg_name)
            pg_drop(args.pg_server, pg_name + "_import")
    result["load_end"] = loadavg()
    os.makedirs(args.out, exist_ok=True)
    out = os.path.join(args.out, f"results-{args.db}{'-small' if args.small else ''}.json")
    with open(out, "w") as stream:
        json.dump(result, stream, indent=1, default=str)
    print(f"written {out}")
    return result


if __name__ == "__main__":
    main()
