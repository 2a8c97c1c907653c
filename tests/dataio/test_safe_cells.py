"""Every CSV and XLSX Bekwaam writes (API, CLI, web) shows a hostile name as text,
never as a formula; importing the export gives the name back unchanged."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from core.safe_cells import neutralise, restore
from tests.web.conftest import login_as

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", [HOSTILE, "+31 6", "-2", "@SUM(A1)", "\tx", "\rx", "'=x", "''+y", "'plain",
                                   "Jansen", "", "'"])
def test_restore_undoes_exactly_the_prefix(value):
    assert restore(neutralise(value)) == value
    if value[:1] in "=+-@\t\r" and value:
        assert neutralise(value) == "'" + value
    assert not str(neutralise(value)).startswith(("=", "+", "-", "@", "\t", "\r"))


def _no_formulas(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.value


def test_web_matrix_and_tvb_workbooks_never_hold_a_formula(app, make, admin, client):
    dept = make.department(code="IC")
    person = make.staff(employee_number="=1+1", name=HOSTILE, department_id=dept.id)
    make.device_type(manufacturer="@Evil", model="-Model")
    role = client.post("/api/v1/tvb/roles", headers=admin, json={"name": "+Role"}).json
    client.post("/api/v1/tvb/assignments", headers=admin,
                json={"staff_id": person.id, "role_id": role["id"], "valid_from": "2024-01-01"})
    user_id, _ = make.user("admin")
    web = app.test_client()
    login_as(web, user_id)
    for path in (f"/matrix.xlsx?department_id={dept.id}", "/tvb.xlsx"):
        response = web.get(path)
        assert response.status_code == 200, path
        book = load_workbook(io.BytesIO(response.data))
        _no_formulas(book)
        texts = {c.value for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)}
        assert "'" + HOSTILE in texts, path


def test_an_exported_hostile_name_imports_back_unchanged(app, client, admin, make, upload):
    make.staff(employee_number="=7", name=HOSTILE)
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/api/v1/exports/staff.{fmt}", headers=admin)
        assert exported.status_code == 200
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
            assert rows[1][1:3] == ["'=7", "'" + HOSTILE]
        response = upload("staff", exported.get_data(), filename=f"staff.{fmt}")
        assert response.status_code == 200, response.get_json()
        report = response.get_json()
        assert report["counts"]["rejected"] == 0, report
        # Nothing to change: the names read back are the ones stored.
        assert report["counts"].get("updated", 0) == 0, report
        assert report["counts"].get("created", 0) == 0, report
