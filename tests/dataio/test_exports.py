"""CSV/XLSX exports: filters, role scope, formula injection, the matrix."""
from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from core.dataio.exports import safe


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_formula_injection_is_neutralised():
    assert [safe(x) for x in ("=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx", "Jansen", "", 5)] == [
        "'=1+1", "'+31", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "Jansen", "", 5]


def test_staff_csv_with_filters_and_a_hostile_name(app, client, admin, make):
    ic = make.department(code="IC")
    make.staff(employee_number="1", name="=HYPERLINK(\"http://evil\")", department_id=ic.id)
    make.staff(employee_number="2", name="Anna", active=False)
    rows = _csv(client.get("/api/v1/exports/staff.csv?active=true", headers=admin))
    assert rows[0][:4] == ["id", "employee_number", "name", "email"]
    assert len(rows) == 2 and rows[1][2] == "'=HYPERLINK(\"http://evil\")" and rows[1][5] == "IC"
    semicolon = client.get("/api/v1/exports/staff.csv?sep=;", headers=admin).get_data().decode()
    assert semicolon.splitlines()[0] == "\ufeffid;employee_number;name;email;department_id;department_code;" \
                                        "manager_id;employment_type;company;active;start_date;manager_employee_number"
    assert client.get("/api/v1/exports/staff.csv?active=maybe", headers=admin).status_code == 422
    assert client.get("/api/v1/exports/patients.csv", headers=admin).status_code == 404


def test_a_manager_exports_only_their_tree(client, make):
    ic, ok = make.department(code="IC"), make.department(code="OK")
    make.staff(employee_number="in", department_id=ic.id)
    make.staff(employee_number="out", department_id=ok.id)
    _, manager = make.user("manager", department_id=ic.id)
    rows = _csv(client.get("/api/v1/exports/staff.csv", headers=manager))
    assert [r[1] for r in rows[1:]] == ["in"]
    assert client.get("/api/v1/exports/audit.csv", headers=manager).status_code == 403


def test_xlsx_keeps_dates_and_never_writes_formulas(client, admin, make):
    make.staff(employee_number="-5", name="@Bob", start_date=dt.date(2020, 1, 2))
    response = client.get("/api/v1/exports/staff.xlsx", headers=admin)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1:3] == ("'-5", "'@Bob")
    assert rows[1][10] == dt.datetime(2020, 1, 2)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_every_list_exports(client, admin, make):
    staff = make.staff(employee_number="9")
    evita = make.device_type(manufacturer="Dräger", model="Evita")
    client.post("/api/v1/competences", headers=admin, json={
        "staff_id": staff.id, "device_type_id": evita.id, "role": "user", "obtained_on": "2024-01-01",
        "method": "instruction"})
    for what in ("staff", "device-types", "devices", "competences", "tvb-cells", "tvb-assignments", "audit"):
        for fmt in ("csv", "xlsx"):
            assert client.get(f"/api/v1/exports/{what}.{fmt}", headers=admin).status_code == 200, (what, fmt)
    competences = _csv(client.get("/api/v1/exports/competences.csv", headers=admin))
    assert competences[1][2] == "9" and competences[1][5:7] == ["Dräger", "Evita"]


def test_the_competence_matrix(client, admin, make):
    staff = make.staff(employee_number="9", name="Anna")
    evita = make.device_type(manufacturer="Dräger", model="Evita")
    client.post("/api/v1/competences", headers=admin, json={
        "staff_id": staff.id, "device_type_id": evita.id, "role": "user", "obtained_on": "2024-01-01",
        "method": "instruction"})
    rows = _csv(client.get("/api/v1/exports/competence-matrix.csv?on=2024-06-01", headers=admin))
    assert rows == [["employee_number", "name", "Dräger Evita"], ["9", "Anna", "competent"]]


def test_each_export_holds_exactly_its_lists_rows_for_the_same_user_and_filters(client, admin, make):
    """One definition of scope and filters (``crud.list_clauses``): list and export agree row for row."""
    ic, ok = make.department(code="IC"), make.department(code="OK")
    inside = make.staff(employee_number="in", name="Anna", department_id=ic.id)
    make.staff(employee_number="in2", name="Bert", department_id=ic.id, active=False)
    outside = make.staff(employee_number="out", name="Anna Buiten", department_id=ok.id)
    evita = make.device_type(manufacturer="Dräger", model="Evita")
    for person in (inside, outside):
        assert client.post("/api/v1/competences", headers=admin, json={
            "staff_id": person.id, "device_type_id": evita.id, "role": "user", "obtained_on": "2024-01-01",
            "method": "instruction"}).status_code == 201
    _, manager = make.user("manager", department_id=ic.id)
    for what, path, query in (("staff", "staff", "active=true"), ("staff", "staff", "q=Anna"),
                              ("competences", "competences", f"department_id={ic.id}"),
                              ("competences", "competences", "status=valid"),
                              ("devices", "devices", ""), ("device-types", "device-types", "q=Evita")):
        for headers in (admin, manager):
            listed = client.get(f"/api/v1/{path}?{query}&page_size=1000", headers=headers)
            assert listed.status_code == 200, listed.get_json()
            exported = _csv(client.get(f"/api/v1/exports/{what}.csv?{query}", headers=headers))
            assert sorted(int(r[0]) for r in exported[1:]) == sorted(item["id"] for item in listed.get_json()), \
                (what, query)


def test_xlsx_number_formats_show_dutch_dates_and_decimals_in_a_dutch_excel():
    from decimal import Decimal

    from core.dataio.exports import Sheet, to_xlsx
    moment = dt.datetime(2026, 11, 30, 13, 5, tzinfo=dt.timezone.utc)
    data = to_xlsx(Sheet("t", ["day", "at", "hours", "number"], [[dt.date(2026, 11, 30), moment, Decimal("1234.5"), 10234]]))
    ws = load_workbook(io.BytesIO(data)).active
    day, at, hours, number = ws[2]
    assert day.number_format == "dd-mm-yyyy" and day.value.date() == dt.date(2026, 11, 30)
    assert at.number_format == "dd-mm-yyyy hh:mm"
    assert hours.number_format == "#,##0.00" and hours.value == 1234.5  # Excel shows 1.234,50 in Dutch
    assert number.number_format == "General" and number.value == 10234  # no thousands point in an id
