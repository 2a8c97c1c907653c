"""The large hospital under load: gunicorn, concurrent clients, every answer next to its floor.

    python -m benchmarks.load [--pg-server postgresql://postgres@127.0.0.1:5432] [--seconds 6]

Creates the PostgreSQL database ``bekwaam_load`` (``--db-name``), generates the
large hospital into it (``core/demo_large.py``), runs the in-process
benchmarks of ``benchmarks/run.py`` on it (the first night, the matrix build,
can_perform, the VZI evaluation: each next to its SQL lower bound), then
starts ``gunicorn -w 2`` on a free loopback port and drives each request at
concurrency 1, 10 and 50 for ``--seconds`` per level (and at most
``--max-requests`` requests), printing p50/p95/p99, throughput and errors
next to the **floor**: ``GET /api/v1/staff/{id}`` (the same HTTP, token and
JSON stack with one primary-key read), measured at the same concurrency right
before each request (the machine may be shared: a ratio compares two figures
taken seconds apart).

The cost ratio of a request is its p50 over the floor's at concurrency 1 and
the floor's throughput over its own at 10 and 50 (at saturation a request's
cost is the worker time it takes). Before the load, each request is run once
in-process with every statement captured: the statement count, the SQL time,
a cProfile summary and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest
statements go into the JSON (``benchmarks/out/load-postgresql.json``) and
the plans into ``benchmarks/out/load-plans.txt``. The database is dropped
at the end, also after a failure (``--keep`` keeps it).

The client is a thread per connection on ``http.client`` (standard library),
bounded in time and requests, and talks to 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

from benchmarks import run  # noqa: E402

LEVELS = (1, 10, 50)
MANAGER_EMAIL = "ic-manager@load.example"
MANAGER_PASSWORD = "Zeventien-Kastanjes-2026!"
# Targets: cost ratio to the floor (see the module docstring).
TARGETS = {"can-perform": 1.5, "authorised-staff": 4, "dashboard": 4, "staff profile": 4,
           "matrix 500 (compact, gzip)": 20}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# --- the client ------------------------------------------------------------------------------------

class Client:
    """Loopback HTTP/1.1, one connection per request (gunicorn's sync workers close it anyway)."""

    def __init__(self, port: int, headers: dict[str, str]):
        self.port, self.headers = port, headers

    def get(self, path: str, headers: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={**self.headers, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()

    def post_form(self, path: str, fields: dict[str, str], cookie: str = "") -> tuple[int, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("POST", path, body=urllib.parse.urlencode(fields),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            response = conn.getresponse()
            response.read()
            return response.status, dict(response.getheaders())
        finally:
            conn.close()


def drive(client: Client, paths: list[str], concurrency: int, seconds: float, max_requests: int,
          headers: dict[str, str] | None = None) -> dict:
    """``concurrency`` threads request ``paths`` round robin until the time or the request budget is spent."""
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []
    deadline = time.perf_counter() + seconds

    def worker():
        while True:
            with lock:
                if state["next"] >= max_requests or time.perf_counter() >= deadline:
                    return
                path = paths[state["next"] % len(paths)]
                state["next"] += 1
            start = time.perf_counter()
            try:
                status, body, _ = client.get(path, headers)
            except Exception as exc:  # a refused or reset connection is an error, not a crash
                status, body = None, repr(exc).encode()
            took = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(took)
                    sizes.append(len(body))
                else:
                    errors.append(f"{status}: {body[:120]!r}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    done = len(latencies)
    return {"concurrency": concurrency, "requests": done, "errors": len(errors), "error_samples": errors[:3],
            "wall_s": round(wall, 2), "rps": round(done / wall, 1) if wall else 0,
            "p50_ms": run.ms(percentile(latencies, 0.50)), "p95_ms": run.ms(percentile(latencies, 0.95)),
            "p99_ms": run.ms(percentile(latencies, 0.99)), "bytes": int(statistics.median(sizes)) if sizes else 0,
            "load": run.loadavg()}


# --- set-up ----------------------------------------------------------------------------------------

def make_users(app) -> tuple[str, int]:
    """An admin API token and the Intensive Care's manager (web login); returns (token, IC id)."""
    from core.auth.services import create_user, new_token
    from core.extensions import db
    with app.app_context():
        admin = create_user(f"load-admin-{time.time_ns()}@load.example", "admin")
        token = new_token(admin)
        ic = run._ic(db)
        from sqlalchemy import select

        from core.auth.models import User
        if db.session.scalar(select(User.id).where(User.email == MANAGER_EMAIL)) is None:
            create_user(MANAGER_EMAIL, "manager", MANAGER_PASSWORD, department_id=ic)
        db.session.commit()
    return token, ic


def scenarios(app, ic: int, chosen) -> dict[str, dict]:
    """name -> {paths, web (cookie session) or API, extra headers}."""
    from sqlalchemy import func, select

    from core.competence.models import Competence
    from core.decision.services import candidates
    from core.devices.models import DeviceType
    from core.extensions import db
    from core.staff.models import Staff
    from core.tvb.models import Activity
    with app.app_context():
        import datetime as dt
        today = dt.date.today()
        # authorised-staff: the (activity, device type) pairs of the triples with the most candidates.
        pairs = []
        for _, activity_id, type_id in chosen[:40]:
            count = len(candidates(db.session.get(Activity, activity_id), db.session.get(DeviceType, type_id), today))
            pairs.append((count, activity_id, type_id))
        pairs = sorted(set(pairs), reverse=True)[:5]
        ic_people = list(db.session.scalars(select(Staff.id).where(Staff.department_id == ic, Staff.active.is_(True))
                                            .order_by(Staff.id).limit(50)))
        busiest = list(db.session.scalars(select(Competence.device_type_id).join(Staff, Staff.id == Competence.staff_id)
                                          .where(Staff.department_id == ic, Competence.device_type_id.is_not(None))
                                          .group_by(Competence.device_type_id)
                                          .order_by(func.count().desc(), Competence.device_type_id).limit(5)))
    api = "/api/v1"
    print(f"authorised-staff pairs (candidates, activity, device type): {pairs}", flush=True)
    return {
        "floor": {"paths": [f"{api}/staff/{s}" for s, _, _ in chosen]},
        "can-perform": {"paths": [f"{api}/staff/{s}/can-perform?activity_id={a}&device_type_id={d}"
                                  for s, a, d in chosen]},
        "authorised-staff": {"paths": [f"{api}/device-types/{d}/authorised-staff?activity_id={a}"
                                       for _, a, d in pairs]},
        "matrix 500 (default JSON)": {"paths": [f"{api}/competence-matrix?department_id={ic}"]},
        "matrix 500 (compact, gzip)": {"paths": [f"{api}/competence-matrix?department_id={ic}&format=compact"],
                                       "headers": {"Accept-Encoding": "gzip"}},
        "dashboard": {"paths": ["/"], "web": True},
        "staff profile": {"paths": [f"/staff/{s}" for s in ic_people], "web": True},
        "device type page": {"paths": [f"/device-types/{d}" for d in busiest], "web": True},
        "staff list": {"paths": ["/staff", "/staff?q=Medewerker+1"], "web": True},
        "alerts page": {"paths": ["/alerts"], "web": True},
        "matrix page": {"paths": [f"/matrix?department_id={ic}"], "web": True},
        "tvb page": {"paths": ["/tvb"], "web": True},
    }


def web_login(client: Client) -> str:
    """Sign in as the Intensive Care's manager through the login form; returns the Cookie header."""
    status, body, headers = client.get("/login")
    cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or \
        re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', body)
    status, headers = client.post_form("/login", {"csrf_token": token.group(1).decode(), "email": MANAGER_EMAIL,
                                                  "password": MANAGER_PASSWORD}, cookie)
    if status != 302:
        raise RuntimeError(f"login as the manager answered {status}")
    return headers.get("Set-Cookie", "").split(";", 1)[0]


# --- where the time goes ---------------------------------------------------------------------------

def analyse(app, token: str, plan: dict[str, dict], top: int = 2) -> dict[str, dict]:
    """Each request once in-process: statements, SQL time, cProfile top and EXPLAIN ANALYZE of the slowest."""
    from core.extensions import db
    found = {}
    api_client = app.test_client()
    web_client = app.test_client()
    with app.app_context():
        page = web_client.get("/login").get_data()
        csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        answer = web_client.post("/login", data={"csrf_token": csrf, "email": MANAGER_EMAIL,
                                                 "password": MANAGER_PASSWORD})
        assert answer.status_code == 302, answer.status_code
    for name, spec in plan.items():
        client = web_client if spec.get("web") else api_client
        headers = {} if spec.get("web") else {"Authorization": f"Bearer {token}"}
        headers.update(spec.get("headers", {}))
        path = spec["paths"][0]
        client.get(path, headers=headers)  # warm
        with app.app_context():
            with run.captured(db.engine) as statements:
                profile = cProfile.Profile()
                start = time.perf_counter()
                profile.enable()
                response = client.get(path, headers=headers)
                profile.disable()
                took = time.perf_counter() - start
            plans = explain_analyze(db, statements, top)
        stream = io.StringIO()
        pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(18)
        found[name] = {"path": path, "status": response.status_code, "ms": run.ms(took),
                       "bytes": len(response.get_data()), **run.summary_of(statements),
                       "explain_analyze": plans, "profile": stream.getvalue()[-6000:]}
        print(f"  in-process {name:<28} {run.ms(took):>8.1f} ms, {len(statements)} statements, "
              f"SQL {found[name]['sql_ms']:.1f} ms, {found[name]['bytes']} bytes", flush=True)
    return found


def explain_analyze(db, statements, top: int) -> list[dict]:
    selects = [s for s in statements if s[1].lstrip().upper().startswith(("SELECT", "WITH")) and not s[3]]
    plans = []
    for seconds, statement, parameters, _ in sorted(selects, key=lambda s: -s[0])[:top]:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
        plans.append({"ms": run.ms(seconds), "sql": " ".join(statement.split())[:2000],
                      "plan": "\n".join(r[0] for r in rows)})
    return plans


# --- the run ---------------------------------------------------------------------------------------

def start_server(url: str, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BEKWAAM_SMTP", "BEKWAAM_WEBHOOK"))}
    env.update(BEKWAAM_DATABASE_URL=url, BEKWAAM_SECRET_KEY="load-benchmark", BEKWAAM_DISABLED_PLUGINS="",
               # 50 clients from one address must not be throttled as a login flood.
               BEKWAAM_LOGIN_MAX_PER_ADDRESS="1000")
    return subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--backlog", "256", "--timeout", "120", "--log-level", "warning", "core:create_app()"],
                            cwd=ROOT, env=env)


def ratio_row(name: str, levels: list[dict], floor: dict[int, dict]) -> dict:
    ratios = {}
    for level in levels:
        c = level["concurrency"]
        base = floor[c]
        if c == 1:
            ratios[c] = round(level["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None
        else:
            ratios[c] = round(base["rps"] / level["rps"], 2) if level["rps"] else None
    target = TARGETS.get(name)
    met = None if target is None else all(r is not None and r <= target for r in ratios.values()) \
        and all(level["errors"] == 0 for level in levels)
    return {"ratios": ratios, "target": target, "met": met}


def print_level(name: str, level: dict, ratio=None) -> None:
    text = (f"{name:<28} c={level['concurrency']:<3} n={level['requests']:<5} p50 {level['p50_ms']:>8.1f} "
            f"p95 {level['p95_ms']:>8.1f} p99 {level['p99_ms']:>8.1f} ms {level['rps']:>7.1f}/s "
            f"errors {level['errors']}  {level['bytes']} B")
    if ratio is not None:
        text += f"  ×{ratio}"
    print(text + f"  (load {level['load']})", flush=True)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="The large hospital under load (gunicorn, concurrent clients).")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db-name", default="bekwaam_load")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seconds", type=float, default=6.0, help="per request and concurrency level")
    parser.add_argument("--max-requests", type=int, default=3000, help="per request and concurrency level")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)))
    parser.add_argument("--runs", type=int, default=3, help="runs of each in-process benchmark")
    parser.add_argument("--only", default="", help="comma-separated request names (default: all)")
    parser.add_argument("--skip-in-process", action="store_true", help="no in-process benchmarks")
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it if present)")
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "out"))
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.levels.split(",")]

    result = {"db": "postgresql", "machine": run.machine(), "load_start": run.loadavg(), "in_process": [],
              "requests": {}, "floor": {}}
    print(json.dumps(result["machine"]), f"load {result['load_start']}", flush=True)
    url = f"{args.pg_server}/{args.db_name}"
    server = None
    reuse = args.keep and _exists(args.pg_server, args.db_name)
    try:
        if not reuse:
            run.pg_create(args.pg_server, args.db_name)
        app = run.make_app(url)
        if not reuse:
            result["generator"] = run.generate(app, args.seed)
            # A freshly loaded database has no visibility map until autovacuum comes by (much
            # later than a benchmark): every index-only scan then reads the table as well
            # (authorised-staff: 1,146 heap fetches, 23.8 instead of 19.2 ms). A running
            # installation has been vacuumed, so the measurement starts from there.
            _vacuum(url, ("",))
        chosen = run.triples(app, 300)
        if not args.skip_in_process:
            result["in_process"] += run.bench_alerts(app, args.runs)
            result["in_process"] += run.bench_matrix(app, max(args.runs, 5))
            result["in_process"] += run.bench_can_perform(app, chosen, 1)
            result["in_process"] += run.bench_vzi(app, args.runs)
            # The alert benchmark deleted and re-inserted 43,000 alerts per run: without a vacuum
            # the dashboard's alert counts then read thousands of dead rows (48 vs 8 ms), which no
            # real installation leaves behind.
            _vacuum(url, ("alert", "alert_delivery", "alert_run"))
        else:
            from core.alerts import services
            with app.app_context():
                services.run_day(services.local_today(), manual=True)  # the dashboard shows alerts
        token, ic = make_users(app)
        plan = scenarios(app, ic, chosen)
        if args.only:
            wanted = {"floor", *args.only.split(",")}
            plan = {k: v for k, v in plan.items() if k in wanted}
        print("where the time goes (in-process, one request each):", flush=True)
        analysis = analyse(app, token, plan)
        from core.extensions import db
        with app.app_context():
            db.engine.dispose()  # the server's connections, not ours, from here on

        port = run.free_port()
        server = start_server(url, port)
        api = Client(port, {"Authorization": f"Bearer {token}"})
        for _ in range(150):
            try:
                if api.get("/api/v1/staff?per_page=1", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        web = Client(port, {"Cookie": web_login(Client(port, {}))})

        def warm(name: str):
            spec = plan[name]
            client = web if spec.get("web") else api
            for path in spec["paths"][:10] * 2:  # both workers warm
                client.get(path, spec.get("headers"))
            return client, spec

        floor_client, floor_spec = warm("floor")
        summary = []
        for name in plan:
            if name == "floor":
                continue
            client, spec = warm(name)
            # Each level right after the floor at the same level: the machine is shared,
            # so a ratio is only fair between two figures taken a few seconds apart.
            found, floor = [], {}
            for c in levels:
                floor[c] = drive(floor_client, floor_spec["paths"], c, args.seconds, args.max_requests)
                found.append(drive(client, spec["paths"], c, args.seconds, args.max_requests, spec.get("headers")))
            verdict = ratio_row(name, found, floor)
            print(f"\n{name}  {spec['paths'][0]}", flush=True)
            for level in found:
                print_level("floor", floor[level["concurrency"]])
                print_level(name, level, verdict["ratios"][level["concurrency"]])
            if verdict["target"] is not None:
                print(f"  cost ratio to the floor {verdict['ratios']} target <= {verdict['target']}: "
                      f"{'OK' if verdict['met'] else 'MISSED'}", flush=True)
            result["requests"][name] = {"levels": found, "floor": [floor[c] for c in levels], **verdict,
                                        "in_process": analysis.get(name)}
            summary.append((name, verdict))
        result["requests"]["floor"] = {"in_process": analysis.get("floor")}
        print("\nsummary (cost ratio to the floor at concurrency " + "/".join(map(str, levels)) + "):")
        for name, verdict in summary:
            ratios = " / ".join(str(verdict["ratios"][c]) for c in levels)
            mark = "" if verdict["target"] is None else (f"target <= {verdict['target']} "
                                                         f"{'OK' if verdict['met'] else 'MISSED'}")
            print(f"  {name:<28} {ratios:<22} {mark}")
        for row in result["in_process"]:
            if "ratio" in row:
                print(f"  in-process {row['name']:<40} ×{row['ratio']}  ({row['median_ms']} ms)")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if "app" in locals():
            from core.extensions import db
            with app.app_context():
                db.engine.dispose()
        if not args.keep:
            run.pg_drop(args.pg_server, args.db_name)
    result["load_end"] = run.loadavg()
    os.makedirs(args.out, exist_ok=True)
    out = os.path.join(args.out, "load-postgresql.json")
    with open(out, "w") as stream:
        json.dump(result, stream, indent=1, default=str)
    with open(os.path.join(args.out, "load-plans.txt"), "w") as stream:
        for name, found in result["requests"].items():
            info = found.get("in_process") or {}
            stream.write(f"===== {name}: {info.get('path')} ({info.get('ms')} ms in-process, "
                         f"{info.get('statements')} statements, SQL {info.get('sql_ms')} ms)\n")
            for plan_row in info.get("explain_analyze", []):
                stream.write(f"-- {plan_row['ms']} ms: {plan_row['sql']}\n{plan_row['plan']}\n\n")
            stream.write(info.get("profile", "") + "\n")
    print(f"written {out}")
    return result


def _vacuum(url: str, tables) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        for table in tables:  # "" is the whole database
            conn.execute(f"VACUUM ANALYZE {table}".strip())


def _exists(server: str, name: str) -> bool:
    import psycopg
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


if __name__ == "__main__":
    main()
