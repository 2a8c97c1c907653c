"""HR import of the manager (Leidinggevende): the second pass after all chunks.

The manager cell holds an employee number: of a person already stored, or of a
person the same file creates on any line (earlier, later, in a later chunk).
"""
from __future__ import annotations

import csv
import io

from sqlalchemy import event, select, update

from core.dataio import importers
from core.dataio.readers import open_table
from core.extensions import db
from core.staff.models import Staff
from tests.dataio.conftest import rows_of

UNKNOWN = "manager_employee_number: no staff member with number '{}' (not in the database or this file)."
OWN = "manager_employee_number: a person cannot be their own manager."
PARTIAL = "partial import: the rest of the row is imported without this column."


def _managers(app) -> dict[str, str | None]:
    """employee number -> their manager's employee number, as stored."""
    with app.app_context():
        people = dict(db.session.execute(select(Staff.id, Staff.employee_number)).all())
        return {people[i]: people.get(m) for i, m in db.session.execute(select(Staff.id, Staff.manager_id))}


def _file(*lines: str) -> bytes:
    return ("Personeelsnummer;Naam;Leidinggevende\n" + "".join(f"{line}\n" for line in lines)).encode()


def _run(app, content: bytes, **kw):
    """``run`` itself (for ``chunk_size``), committing or rolling back as the CLI does."""
    with app.app_context():
        report = importers.run("staff", open_table(io.BytesIO(content), "staff.csv"), **kw)
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
        return report.as_dict()


def _set_manager(app, number, manager_number):
    with app.app_context():
        manager_id = db.session.scalar(select(Staff.id).where(Staff.employee_number == manager_number))
        db.session.execute(update(Staff).where(Staff.employee_number == number).values(manager_id=manager_id))
        db.session.commit()


def test_the_headers_are_recognised_beside_the_employee_number(upload):
    content = "Personeelsnummer;Naam;Personeelsnummer leidinggevende\n1;Een;\n".encode()
    report = upload("staff", content, dry_run=True).json
    assert report["columns"] == {"Personeelsnummer": "employee_number", "Naam": "name",
                                 "Personeelsnummer leidinggevende": "manager_employee_number"}
    english = upload("staff", b"employee number,full name,manager\n1,One,\n", dry_run=True).json
    assert english["columns"]["manager"] == "manager_employee_number"


def test_a_manager_in_the_database(app, make, upload):
    make.staff(employee_number="M1")
    response = upload("staff", _file("E1;Een;M1"))
    assert response.status_code == 200, response.json
    assert rows_of(response.json) == [(2, "created", [])]
    assert _managers(app) == {"M1": None, "E1": "M1"}


def test_a_manager_created_later_in_the_same_file(app, upload):
    response = upload("staff", _file("E1;Een;M1", "E2;Twee;E1", "M1;Baas;"))
    assert response.status_code == 200, response.json
    assert [r["status"] for r in response.json["rows"]] == ["created"] * 3
    assert _managers(app) == {"E1": "M1", "E2": "E1", "M1": None}


def test_a_manager_in_a_later_chunk(app, make):
    make.staff(employee_number="E0", name="Nul")  # an update whose manager only a later chunk creates
    content = _file("E0;Nul;M9", "E1;Een;M9", "E2;Twee;E1", "E3;Drie;", "M9;Baas;")
    report = _run(app, content, chunk_size=2)
    assert rows_of(report) == [(2, "updated", []), (3, "created", []), (4, "created", []),
                               (5, "created", []), (6, "created", [])]
    assert report["rows"][0]["changed"] == ["manager_employee_number"]
    assert _managers(app) == {"E0": "M9", "E1": "M9", "E2": "E1", "E3": None, "M9": None}


def test_an_unknown_manager_is_rejected_on_its_line_and_nothing_is_written(app, make, upload):
    make.staff(employee_number="M1")
    response = upload("staff", _file("E1;Een;M1", "E2;Twee;X9", "E3;Drie;E1"))
    assert response.status_code == 422
    assert response.json["errors"] == {"line 3": [UNKNOWN.format("X9")]}
    assert rows_of(response.json["report"]) == [(2, "created", []), (3, "rejected", [UNKNOWN.format("X9")]),
                                                (4, "created", [])]
    assert response.json["report"]["written"] is False
    assert _managers(app) == {"M1": None}


def test_an_unknown_manager_in_a_later_chunk_stops_the_earlier_chunks_too(app):
    report = _run(app, _file("E1;Een;", "E2;Twee;", "E3;Drie;X9"), chunk_size=1)
    assert rows_of(report)[2] == (4, "rejected", [UNKNOWN.format("X9")])
    assert report["written"] is False
    assert _managers(app) == {}


def test_a_row_rejected_for_another_field_also_reports_its_unknown_manager(app, upload):
    report = upload("staff", _file("E1;;X9", "E1;Een;E1"), partial=True).json
    assert rows_of(report) == [(2, "rejected", ["name: empty, but required.", UNKNOWN.format("X9")]),
                               (3, "rejected", ["duplicate: the same key as line 2.", OWN])]
    assert _managers(app) == {}


def test_a_person_cannot_be_their_own_manager(app, make, upload):
    make.staff(employee_number="E1")
    response = upload("staff", _file("E1;Een;E1", "E2;Twee;E2"))
    assert response.status_code == 422
    assert response.json["errors"] == {"line 2": [OWN], "line 3": [OWN]}
    assert _managers(app) == {"E1": None}


def test_partial_writes_the_good_rows_and_leaves_out_the_bad_links(app, make, upload):
    make.staff(employee_number="M1")
    content = _file("E1;Een;M1",
                    "E2;Twee;X9",         # unknown: E2 is written, without a manager
                    "E3;Drie;E3",         # own manager: rejected in the first pass, not written
                    "E4;Vier;E3",         # E3's line is rejected: no such person after the import
                    "E5;Vijf;E2")         # E2 is written (partial), so E2 is a manager E5 can have
    response = upload("staff", content, partial=True)
    assert response.status_code == 200, response.json
    assert rows_of(response.json) == [
        (2, "created", []),
        (3, "rejected", [UNKNOWN.format("X9"), PARTIAL]),
        (4, "rejected", [OWN]),
        (5, "rejected", ["manager_employee_number: 'E3' is the person on line 4, which is rejected.", PARTIAL]),
        (6, "created", []),
    ]
    assert response.json["written"] is True
    assert _managers(app) == {"M1": None, "E1": "M1", "E2": None, "E4": None, "E5": "E2"}


def test_a_dry_run_writes_nothing_and_reports_what_would_happen(app, make, upload):
    make.staff(employee_number="E1", name="Een")
    make.staff(employee_number="E2", name="Twee")
    content = _file("M1;Baas;",
                    "E1;Een;M1",     # a manager created earlier in the same file counts as known
                    "E2;Twee;",      # nothing to clear: unchanged
                    "E3;Drie;M2",    # ... and one created later
                    "M2;Baas twee;M1")
    report = upload("staff", content, dry_run=True).json
    assert rows_of(report) == [(2, "created", []), (3, "updated", []), (4, "unchanged", []),
                               (5, "created", []), (6, "created", [])]
    assert report["rows"][1]["changed"] == ["manager_employee_number"]
    assert report["written"] is False
    assert _managers(app) == {"E1": None, "E2": None}
    # ... and the report was exactly right.
    assert rows_of(upload("staff", content).json) == rows_of(report)
    assert _managers(app) == {"E1": "M1", "E2": None, "E3": "M2", "M1": None, "M2": "M1"}


def test_a_dry_run_reports_the_unknown_manager(app, upload):
    report = upload("staff", _file("E1;Een;X9"), dry_run=True).json
    assert rows_of(report) == [(2, "rejected", [UNKNOWN.format("X9")])]
    assert _managers(app) == {}


def test_an_empty_cell_clears_and_an_absent_column_leaves_the_manager(app, make, upload):
    make.staff(employee_number="M1")
    make.staff(employee_number="E1", name="Een")
    make.staff(employee_number="E2", name="Twee")
    _set_manager(app, "E1", "M1")
    _set_manager(app, "E2", "M1")
    absent = upload("staff", "Personeelsnummer;Naam\nE1;Een\n".encode()).json
    assert rows_of(absent) == [(2, "unchanged", [])]
    assert _managers(app)["E1"] == "M1"
    cleared = upload("staff", _file("E1;Een;")).json
    assert rows_of(cleared) == [(2, "updated", [])] and cleared["rows"][0]["changed"] == ["manager_employee_number"]
    assert _managers(app) == {"M1": None, "E1": None, "E2": "M1"}


def test_the_same_manager_is_unchanged_and_another_is_an_update(app, make, upload):
    make.staff(employee_number="M1")
    make.staff(employee_number="M2")
    make.staff(employee_number="E1", name="Een")
    make.staff(employee_number="E2", name="Twee")
    _set_manager(app, "E1", "M1")
    _set_manager(app, "E2", "M1")
    make.staff(employee_number="E3", name="Drie")
    content = _file("E1;Een;M1", "E2;Twee;M2", "E3;Derde naam;M2")
    report = upload("staff", content).json
    assert rows_of(report) == [(2, "unchanged", []), (3, "updated", []), (4, "updated", [])]
    assert [r["changed"] for r in report["rows"][1:]] == [["manager_employee_number"],
                                                          ["name", "manager_employee_number"]]
    assert _managers(app) == {"M1": None, "M2": None, "E1": "M1", "E2": "M2", "E3": "M2"}
    again = upload("staff", content).json
    assert [r["status"] for r in again["rows"]] == ["unchanged"] * 3


def _statements(app, upload, content) -> int:
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = upload("staff", content)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200, response.json
    return len(statements)


def test_the_statements_do_not_grow_with_the_rows(app, make, upload):
    make.staff(employee_number="M1")

    def content(n, prefix):
        # Half the people report to a stored manager, half to one the file creates last.
        lines = [f"{prefix}{i};Medewerker {i};{'M1' if i % 2 else prefix + 'M'}" for i in range(n)]
        return _file(*lines, f"{prefix}M;Baas;")

    few, many = _statements(app, upload, content(5, "A")), _statements(app, upload, content(400, "B"))
    assert few == many
    assert _managers(app)["B399"] == "M1" and _managers(app)["B398"] == "BM"

    def moved(n, prefix):  # an update run: every manager changes, nothing else
        return _file(*[f"{prefix}{i};Medewerker {i};{prefix + 'M' if i % 2 else 'M1'}" for i in range(n)],
                     f"{prefix}M;Baas;")

    assert _statements(app, upload, moved(5, "A")) == _statements(app, upload, moved(400, "B"))
    assert _managers(app)["B399"] == "BM" and _managers(app)["B398"] == "M1"


def test_the_staff_export_imports_again_with_the_managers(app, client, admin, make, upload):
    make.staff(employee_number="M1", name="Zwart, Baas")
    make.staff(employee_number="E1", name="Bakker, Een")  # exported before their manager (by name)
    make.staff(employee_number="E2", name="Aalders, Twee")
    _set_manager(app, "E1", "M1")
    _set_manager(app, "E2", "E1")
    exported = client.get("/api/v1/exports/staff.csv", headers=admin).get_data()
    assert next(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))[-1] == "manager_employee_number"
    same = upload("staff", exported).json
    assert [r["status"] for r in same["rows"]] == ["unchanged"] * 3
    assert "manager_id" in same["ignored_columns"]  # a database id: not what the import takes
    with app.app_context():
        db.session.execute(update(Staff).values(manager_id=None))
        db.session.commit()
    restored = upload("staff", exported).json
    assert [(r["key"], r["status"], r.get("changed")) for r in restored["rows"]] == [
        ("E2", "updated", ["manager_employee_number"]), ("E1", "updated", ["manager_employee_number"]),
        ("M1", "unchanged", None)]
    assert _managers(app) == {"M1": None, "E1": "M1", "E2": "E1"}


LOOP = ("manager_employee_number: this manager already stands below this person: "
        "the line of managers would go round.")


def test_a_loop_within_the_file_is_rejected_on_each_of_its_lines(app, upload):
    response = upload("staff", _file("E1;Een;E2", "E2;Twee;E3", "E3;Drie;E1", "E4;Vier;E1"))
    assert response.status_code == 422
    assert response.json["errors"] == {"line 2": [LOOP], "line 3": [LOOP], "line 4": [LOOP]}
    assert _managers(app) == {}


def test_a_loop_through_the_stored_line_of_managers_is_rejected(app, make, upload):
    make.staff(employee_number="TOP")
    make.staff(employee_number="MID")
    _set_manager(app, "MID", "TOP")
    # TOP under someone who stands under MID, who stands under TOP
    response = upload("staff", _file("TOP;Top;LOW", "LOW;Laag;MID"))
    assert response.status_code == 422
    assert response.json["errors"] == {"line 2": [LOOP], "line 3": [LOOP]}
    assert _managers(app) == {"TOP": None, "MID": "TOP"}
    # without the loop the same file is fine: LOW under MID, TOP stays on top
    assert upload("staff", _file("TOP;Top;", "LOW;Laag;MID")).status_code == 200
    assert _managers(app) == {"TOP": None, "MID": "TOP", "LOW": "MID"}


def test_a_file_that_moves_people_around_without_a_loop_is_fine(app, make, upload):
    make.staff(employee_number="A")
    make.staff(employee_number="B")
    _set_manager(app, "B", "A")
    # A comes under B and B no longer under A: a swap, no loop once the file is in
    assert upload("staff", _file("A;A;B", "B;B;")).status_code == 200
    assert _managers(app) == {"A": "B", "B": None}
