"""CSV import of CPD activities: separators, BOM, line numbers, all-or-nothing, partial, dry run, CLI."""
import io

from tests.plugins.vzi_mt.conftest import group_id


def upload(vzi, content: bytes, headers=None, **query):
    qs = "&".join(f"{k}={str(v).lower()}" for k, v in query.items())
    return vzi.client.post(vzi.url("cpd-activities/import") + (f"?{qs}" if qs else ""), headers=headers or vzi.headers,
                           data={"file": (io.BytesIO(content), "cpd.csv")}, content_type="multipart/form-data")


def stored(vzi, headers=None):
    return vzi.client.get(vzi.url("cpd-activities"), headers=headers or vzi.headers).get_json()


GOOD = "date,hours,title,category\n2024-01-15,4.50,Beademing update,1\n2024-02-01,2,Communicatie,\n"


def test_good_file_creates_every_row(app, vzi):
    response = upload(vzi, GOOD.encode())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created"], body["rejected"], body["written"]) == (2, 0, True)
    assert [(r["line"], r["status"]) for r in body["rows"]] == [(2, "created"), (3, "created")]
    rows = stored(vzi)
    assert [(r["date"], r["hours"], r["technology_group_id"]) for r in rows] == [
        ("2024-01-15", "4.50", group_id(app, 1)), ("2024-02-01", "2.00", None)]
    assert [r["id"] for r in rows] == [r["id"] for r in body["rows"]]


def test_semicolon_bom_decimal_comma_and_general_category(vzi):
    text = ("date;hours;title;category\r\n2024-01-15;1,5;Veiligheid;Algemene niet-technische scholing\r\n"
            "2024-01-16;2;Dialyse;general\r\n2024-01-17;3;Infuus;09\r\n")
    response = upload(vzi, "\ufeff".encode() + text.encode("utf-8"))
    assert response.status_code == 200, response.get_json()
    assert [(r["hours"], r["technology_group_id"] is None) for r in stored(vzi)] == [
        ("1.50", True), ("2.00", True), ("3.00", False)]


def test_bad_date_reported_with_its_line_and_nothing_written(vzi):
    content = (GOOD + "2024-02-30,2,Foute datum,3\n2024-03-01,-1,Negatief,99\n").encode()
    response = upload(vzi, content)
    assert response.status_code == 422
    body = response.get_json()
    rejected = {r["line"]: r["reasons"] for r in body["rows"] if r["status"] == "rejected"}
    assert list(rejected) == [4, 5]
    assert rejected[4] == ["date: '2024-02-30' is not a date YYYY-MM-DD."]
    assert len(rejected[5]) == 2  # hours and category
    assert body["written"] is False
    assert any(message.startswith("Line 4:") for message in body["errors"]["file"])
    assert stored(vzi) == []


def test_partial_writes_the_good_rows(vzi):
    content = (GOOD + "15-01-2024,2,Europese datum,3\n").encode()
    response = upload(vzi, content, partial=True)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["rejected"], body["written"]) == (2, 1, True)
    assert body["rows"][2] == {"line": 4, "status": "rejected", "id": None,
                               "reasons": ["date: '15-01-2024' is not a date YYYY-MM-DD."]}
    assert len(stored(vzi)) == 2


def test_dry_run_writes_nothing(vzi):
    response = upload(vzi, GOOD.encode(), dry_run=True)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["written"]) == (2, False)
    assert stored(vzi) == []


def test_dry_run_with_bad_rows_reports_like_the_real_run(vzi):
    response = upload(vzi, (GOOD + "x,1,a,\n").encode(), dry_run=True)
    assert response.status_code == 422
    assert stored(vzi) == []


def test_duplicates_of_stored_rows_and_within_the_file_are_rejected(vzi):
    assert upload(vzi, GOOD.encode()).status_code == 200
    again = upload(vzi, (GOOD + "2024-03-01,1,Nieuw,\n2024-03-01,1,Nieuw,\n").encode(), partial=True).get_json()
    assert [r["status"] for r in again["rows"]] == ["rejected", "rejected", "created", "rejected"]
    assert again["rows"][3]["reasons"] == ["duplicate of line 4."]
    assert len(stored(vzi)) == 3


def test_line_numbers_count_blank_lines(vzi):
    body = upload(vzi, b"date,hours,title,category\n\n2024-01-15,1,A,\nnope,1,B,\n").get_json()
    assert [(r["line"], r["status"]) for r in body["rows"]] == [(3, "created"), (4, "rejected")]


def test_wrong_number_of_values_is_rejected(vzi):
    body = upload(vzi, b"date,hours,title,category\n2024-01-15,1,A\n").get_json()
    assert body["rows"][0]["reasons"] == ["3 values, expected 4 (date,hours,title,category)."]


def test_file_level_errors(vzi):
    for content in (b"", b"datum,uren,titel\n2024-01-01,1,A\n", b"date,hours,title,category\n",
                    "date,hours,title,category\n2024-01-01,1,Caf\xe9,\n".encode("latin-1")):
        response = upload(vzi, content)
        assert response.status_code == 422
        assert "file" in response.get_json()["errors"]
    assert stored(vzi) == []


def test_missing_file_field_is_422(vzi):
    response = vzi.client.post(vzi.url("cpd-activities/import"), headers=vzi.headers, data={},
                               content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.get_json()["errors"]


def test_cli_import(app, vzi, person, tmp_path):
    path = tmp_path / "cpd.csv"
    path.write_bytes((GOOD + "bad,1,a,\n").encode())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(path)])
    assert result.exit_code == 1
    assert "line 4: rejected" in result.output
    assert stored(vzi) == []
    result = runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(path), "--dry-run", "--partial"])
    assert result.exit_code == 0, result.output
    assert stored(vzi) == []
    result = runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(path), "--partial"])
    assert result.exit_code == 0, result.output
    assert "2 created, 1 rejected; written." in result.output
    assert len(stored(vzi)) == 2
    assert runner.invoke(args=["vzi", "import-cpd", "NOPE", str(path)]).exit_code != 0


def test_bounds_of_hours_and_dates_are_reported_per_line(vzi):
    content = ("date,hours,title,category\n"
               "1949-12-31,1,Te vroeg,1\n"
               "2101-01-01,1,Te laat,1\n"
               "2024-01-15,10000.01,Te veel,1\n"
               "2024-01-16,0,Niets,1\n"
               "2100-12-31,10000,Grens,1\n").encode()
    response = upload(vzi, content, partial=True)
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["rows"]
    assert [(r["line"], r["status"]) for r in rows] == [
        (2, "rejected"), (3, "rejected"), (4, "rejected"), (5, "rejected"), (6, "created")]
    assert "between 1950-01-01 and 2100-12-31" in " ".join(rows[0]["reasons"])
    assert "at most 10000.00" in " ".join(rows[2]["reasons"])
