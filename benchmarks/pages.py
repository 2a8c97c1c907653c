"""The web pages on the large hospital: server time and bytes of each page (not run by the tests).

    python -m benchmarks.pages [--reuse /tmp/bekwaam-large.sqlite] [--runs 5]

The hospital is generated into the --reuse file if it is missing (``core/demo_large.py``,
as ``bekwaam demo --size large --no-serve``). Each page is requested through Flask's
test client in this process, so the time is the server's alone (routing, queries,
rendering), without a network; each figure is the median of --runs requests after one
warm-up request. Target: every page under 1 s and under 1 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from benchmarks.run import IC_CODE, generate, loadavg, machine, make_app  # noqa: E402

TARGET_S, TARGET_BYTES, CELL_LIMIT = 1.0, 1_000_000, 10_000


def _user(email: str, role: str, **kw) -> int:
    from sqlalchemy import select

    from core.auth.models import User
    from core.auth.services import create_user
    from core.extensions import db
    found = db.session.scalar(select(User.id).where(User.email == email))
    if found is None:
        found = create_user(email, role, **kw).id
        db.session.commit()
    return found


def _client(app, user_id: int):
    from core.auth import sessions
    from core.extensions import db
    client = app.test_client()
    with app.app_context():
        sid = sessions.start(user_id)
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = sid
    return client


def subjects(app) -> dict:
    """The users and the ids the pages need: the Intensive Care, its manager, the largest group."""
    from sqlalchemy import func, select

    from core.devices.models import DeviceType
    from core.extensions import db
    from core.staff.models import Department
    from core.tvb.models import Activity, Role
    with app.app_context():
        ic = db.session.scalar(select(Department.id).where(Department.code == IC_CODE))
        group = db.session.execute(select(DeviceType.technology_group_id, func.count()).group_by(
            DeviceType.technology_group_id).order_by(func.count().desc())).first()
        ids = {"ic": ic, "group": group[0], "group_types": group[1],
               "role": db.session.scalar(select(Role.id).order_by(Role.name)),
               "activity": db.session.scalar(select(Activity.id).order_by(Activity.name)),
               "admin": _user("bench-admin@bekwaam.bench", "admin"),
               "manager": _user("bench-ic@bekwaam.bench", "manager", department_id=ic),
               "tvb": _user("bench-tvb@bekwaam.bench", "tvb_admin")}
        db.session.remove()
    return ids


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, user, path) of every page measured."""
    ic, group = ids["ic"], ids["group"]
    return [
        ("dashboard (administrator, hospital-wide)", "admin", "/"),
        ("dashboard (Intensive Care manager)", "manager", "/"),
        ("matrix, no filter (administrator: the choice)", "admin", "/matrix"),
        ("matrix, no filter (Intensive Care manager: opens on IC)", "manager", "/matrix"),
        ("matrix, Intensive Care, rows 401-494 × columns 151-200", "admin",
         f"/matrix?department_id={ic}&page=5&columns=4"),
        (f"matrix, technology group {group}, hospital-wide ({ids['group_types']} types)", "admin",
         f"/matrix?department_id=&technology_group_id={group}"),
        (f"matrix, technology group {group}, hospital-wide, page 10 × columns 3", "admin",
         f"/matrix?department_id=&technology_group_id={group}&page=10&columns=3"),
        ("matrix, Intensive Care × technology group", "admin",
         f"/matrix?department_id={ic}&technology_group_id={group}"),
        ("TVB page (25 roles × 80 activities)", "tvb", "/tvb"),
        ("TVB cell editor", "tvb", f"/tvb/cells/{ids['role']}/{ids['activity']}/edit"),
        ("TVB device-type suggestions ('dr': 20 of 259)", "tvb", "/tvb/device-type-suggestions?device_type_search=dr"),
        ("TVB device-type suggestions ('philips 01-0': 4 of 3,000)", "tvb",
         "/tvb/device-type-suggestions?device_type_search=philips+01-0"),
    ]


def measure(app, ids: dict, runs: int) -> list[dict]:
    clients = {who: _client(app, ids[who]) for who in ("admin", "manager", "tvb")}
    rows = []
    for name, who, path in pages(ids):
        client = clients[who]
        response = client.get(path)  # warm up
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        body = response.data
        cells = body.count(b'<td class="cell cell-') + body.count(b'<td id="tvb-')
        median = statistics.median(times)
        row = {"name": name, "path": path, "median_ms": round(median * 1000, 1), "max_ms": round(max(times) * 1000, 1),
               "bytes": len(body), "cells": cells, "load": loadavg(),
               "met": median < TARGET_S and len(body) < TARGET_BYTES and cells <= CELL_LIMIT}
        rows.append(row)
        print(f"{name:<72} {row['median_ms']:>8} ms (max {row['max_ms']}) {len(body):>9,} B {cells:>6} cells "
              f"{'ok' if row['met'] else 'MISSED'} (load {row['load']})", flush=True)
    return rows


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", default="/tmp/bekwaam-large.sqlite",
                        help="the generated hospital (generated there first if missing)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "out"))
    args = parser.parse_args(argv)
    existed = os.path.exists(args.reuse)
    app = make_app(f"sqlite:///{os.path.abspath(args.reuse)}")
    app.logger.disabled = True
    if not existed:
        generate(app, args.seed)
    ids = subjects(app)
    rows = measure(app, ids, args.runs)
    result = {"machine": machine(), "runs": args.runs, "pages": rows, "all_met": all(r["met"] for r in rows)}
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"pages-{time.strftime('%Y%m%d-%H%M%S')}.json")
    with open(path, "w") as out:
        json.dump(result, out, indent=1, default=str)
    print(f"{'all targets met' if result['all_met'] else 'TARGETS MISSED'}; figures in {path}")
    return result


if __name__ == "__main__":
    main()
