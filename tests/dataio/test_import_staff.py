"""HR import of staff: a realistic messy file, idempotency, all-or-nothing, partial, dry run."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.dataio.models import StaffDeparture
from core.extensions import db
from core.staff.models import Staff
from tests.dataio.conftest import rows_of

# What an HR export from a Dutch spreadsheet looks like: a BOM, ";" separators,
# Dutch headers, an Excel serial date (43101 = 2018-01-01), an empty row of
# separators only, a duplicate employee number (line 6), a bad date on line 7,
# a blank line, a row wrong in four fields at once, and a column we do not know.
MESSY = (
    "\ufeffPersoneelsnummer;Naam;E-mail;Afdeling;Soort dienstverband;Bedrijf;In dienst;Opmerking\r\n"
    "1001;Jansen, Anna;a.jansen@zkh.nl;IC;Intern;;01-03-2015;\r\n"             # 2 created
    "1002;de Vries, Bram;b.devries@zkh.nl;OK;Loondienst;;43101;nieuw\r\n"     # 3 created (Excel date)
    ";;;;;;;\r\n"                                                            # 4 skipped
    "1003;El Amrani, Sara;s.elamrani@zkh.nl;IC;Extern;Philips;2020-06-15;\r\n"  # 5 updated (e-mail, company)
    "1001;Jansen, A.;anna@zkh.nl;IC;Intern;;01-03-2015;\r\n"                # 6 duplicate of line 2
    "1004;Bakker, Tom;t.bakker@zkh.nl;OK;Intern;;31-02-2019;\r\n"           # 7 bad date
    "\r\n"                                                                   # 8 skipped
    "1005;Visser, Eva;e.visser;XX;Uitzendkracht;;15-13-2021;\r\n"           # 9 four bad fields
    "1006;Smit, Lars;l.smit@zkh.nl;IC;intern;;;\r\n"                         # 10 unchanged
).encode("utf-8")

EXPECTED = [
    (2, "created", []),
    (3, "created", []),
    (4, "skipped", ["empty row"]),
    (5, "updated", []),
    (6, "rejected", ["duplicate: the same key as line 2."]),
    (7, "rejected", ["start_date: '31-02-2019' is not an existing date."]),
    (8, "skipped", ["empty row"]),
    (9, "rejected", [
        "email: 'e.visser' is not an e-mail address.",
        "start_date: '15-13-2021' is not an existing date.",
        "department_code: no department with code 'XX'.",
        "company: an external person needs the company they work for.",
    ]),
    (10, "unchanged", []),
]


def _existing(make):
    ic, ok = make.department(code="IC", name="Intensive Care"), make.department(code="OK", name="Operatiekamers")
    make.staff(employee_number="1003", name="El Amrani, Sara", email="sara@old.example", department_id=ic.id,
               employment_type="external", company="Siemens", start_date=dt.date(2020, 6, 15))
    make.staff(employee_number="1006", name="Smit, Lars", email="l.smit@zkh.nl", department_id=ic.id)
    return ic, ok


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Staff))


def test_messy_file_dry_run_reports_every_row_and_writes_nothing(app, make, upload):
    _existing(make)
    response = upload("staff", MESSY, dry_run=True)
    assert response.status_code == 200, response.json
    report = response.json
    assert rows_of(report) == EXPECTED
    assert report["counts"] == {"created": 2, "updated": 1, "unchanged": 1, "rejected": 3, "skipped": 2}
    assert [r["changed"] for r in report["rows"] if r["status"] == "updated"] == [["email", "company"]]
    assert report["ignored_columns"] == ["Opmerking"]
    assert report["columns"]["Personeelsnummer"] == "employee_number"
    assert report["dry_run"] is True and report["written"] is False
    assert _count(app) == 2


def test_all_or_nothing_by_default_is_a_422_with_the_report(app, make, upload):
    _existing(make)
    response = upload("staff", MESSY)
    assert response.status_code == 422
    body = response.json
    assert body["code"] == 422
    assert body["errors"]["line 7"] == ["start_date: '31-02-2019' is not an existing date."]
    assert sorted(body["errors"]) == ["line 6", "line 7", "line 9"]
    assert rows_of(body["report"]) == EXPECTED
    assert body["report"]["written"] is False
    assert _count(app) == 2
    with app.app_context():
        assert db.session.scalar(select(Staff.email).where(Staff.employee_number == "1003")) == "sara@old.example"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "import")) == 0


def test_partial_writes_the_good_rows_and_audits_the_run_once(app, make, upload):
    ic, ok = _existing(make)
    response = upload("staff", MESSY, partial=True)
    assert response.status_code == 200, response.json
    assert response.json["written"] is True
    assert rows_of(response.json) == EXPECTED
    with app.app_context():
        people = {s.employee_number: s for s in db.session.scalars(select(Staff))}
        assert sorted(people) == ["1001", "1002", "1003", "1006"]
        assert people["1001"].name == "Jansen, Anna" and people["1001"].start_date == dt.date(2015, 3, 1)
        assert people["1001"].department_id == ic.id and people["1001"].employment_type == "internal"
        assert people["1002"].start_date == dt.date(2018, 1, 1) and people["1002"].department_id == ok.id
        assert people["1003"].email == "s.elamrani@zkh.nl" and people["1003"].company == "Philips"
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "import")).all()
        assert len(entries) == 1
        assert entries[0].action == "import"
        assert entries[0].after == {"kind": "staff", "format": "csv", "partial": True, "mapping": None,
                                    "created": 2, "updated": 1, "unchanged": 1, "rejected": 3, "skipped": 2}
        # The bulk writes are one change set with the run's entry: one entry per row written,
        # with before and after.
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "staff",
                                                           AuditEntry.change_set == entries[0].change_set)).all()
        assert entries[0].change_set and len(rows) == 3
        assert sorted(r.action for r in rows) == ["create", "create", "update"]
        by_id = {r.entity_id: r for r in rows}
        assert by_id[people["1003"].id].after["email"] == "s.elamrani@zkh.nl"
        (updated,) = [r for r in rows if r.action == "update"]
        assert updated.before and set(updated.before) == set(updated.after)
        assert all(r.reason == "import of staff" for r in rows)


def test_a_second_run_of_the_same_file_changes_nothing(app, make, upload):
    _existing(make)
    assert upload("staff", MESSY, partial=True).status_code == 200
    again = upload("staff", MESSY, partial=True).json
    assert [(r["line"], r["status"]) for r in again["rows"] if r["status"] not in ("rejected", "skipped")] == [
        (2, "unchanged"), (3, "unchanged"), (5, "unchanged"), (10, "unchanged")]
    assert _count(app) == 4


def test_a_clean_file_is_written_whole(app, make, upload):
    make.department(code="IC")
    content = "employee_number,name,department_code\nA1,Een,IC\nA2,Twee,IC\n".encode()
    response = upload("staff", content)
    assert response.status_code == 200
    assert response.json["counts"]["created"] == 2 and response.json["written"] is True
    assert _count(app) == 2


def test_leaving_date_makes_inactive_and_is_kept_beside_the_staff_row(app, make, upload):
    content = "Personeelsnummer;Naam;Uit dienst\nB1;Weg;01-02-2020\nB2;Blijft;\nB3;Gaat straks;01-01-2999\n"
    assert upload("staff", content.encode()).status_code == 200
    with app.app_context():
        people = {s.employee_number: s for s in db.session.scalars(select(Staff))}
        assert (people["B1"].active, people["B2"].active, people["B3"].active) == (False, True, True)
        left = dict(db.session.execute(select(StaffDeparture.staff_id, StaffDeparture.left_on)).all())
        assert left == {people["B1"].id: dt.date(2020, 2, 1), people["B3"].id: dt.date(2999, 1, 1)}
    # Back in service: an empty leaving date removes it.
    again = upload("staff", "Personeelsnummer;Naam;Uit dienst;Actief\nB1;Weg;;ja\n".encode()).json
    assert again["rows"][0]["status"] == "updated" and again["rows"][0]["changed"] == ["active", "left_on"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffDeparture)) == 1


def test_missing_required_column_is_a_file_error(upload):
    response = upload("staff", "Naam;E-mail\nX;x@y.nl\n".encode())
    assert response.status_code == 422
    assert response.json["errors"] == {"file": ["Line 1: no column for employee_number (e.g. 'personeelsnummer')."]}


def test_only_admins_import(make, upload):
    _, headers = make.user("manager", department_id=make.department().id)
    assert upload("staff", b"Personeelsnummer;Naam\n1;X\n", headers=headers).status_code == 403


def test_unknown_kind_is_404(upload):
    assert upload("patients", b"a\n1\n").status_code == 404
