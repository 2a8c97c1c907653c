"""15,000 staff in seconds: set-based chunks, not a query per row."""
from __future__ import annotations

import time

from sqlalchemy import event, func, select

from core.extensions import db
from core.staff.models import Staff

N = 15_000
LIMIT_SECONDS = 30  # measured ~2-4 s (see docs/data-io.md); the bound only catches a per-row regression


def _file(n, suffix=""):
    lines = ["Personeelsnummer;Naam;E-mail;Afdeling;Soort dienstverband;In dienst"]
    lines += [f"P{i:06d};Medewerker {i}{suffix};m{i}@zkh.nl;D{i % 40};Intern;{1 + i % 28:02d}-01-2015"
              for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def test_fifteen_thousand_staff_then_an_update_run(app, make, upload, capsys):
    for i in range(40):
        make.department(code=f"D{i}")
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        started = time.perf_counter()
        response = upload("staff", _file(N))
        created_in = time.perf_counter() - started
        created_statements = len(statements)
        statements.clear()
        started = time.perf_counter()
        again = upload("staff", _file(N, suffix=" (gewijzigd)"))
        updated_in = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and response.json["counts"]["created"] == N
    assert again.status_code == 200 and again.json["counts"]["updated"] == N
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Staff)) == N
    # A handful of statements per chunk of 1,000 rows, never one per row.
    assert created_statements < N / 50
    with capsys.disabled():
        print(f"\n  import of {N} staff: create {created_in:.2f} s ({created_statements} statements), "
              f"update {updated_in:.2f} s ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})")
    assert created_in < LIMIT_SECONDS and updated_in < LIMIT_SECONDS
