"""The per-person CPD import: separators, BOM, line numbers, all-or-nothing, partial, dry run, CLI.

It is the ``cpd`` import kind (``bekwaam import cpd``) with the person fixed: the same
headers, dates, hours and reasons (see ``test_one_cpd_import_path``)."""
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
    assert rejected[4] == ["date: '2024-02-30' is not an existing date."]
    assert len(rejected[5]) == 2  # hours and category
    assert body["written"] is False
    assert any(message.startswith("Line 4:") for message in body["errors"]["file"])
    assert stored(vzi) == []


def test_partial_writes_the_good_rows(vzi):
    content = (GOOD + "15-13-2024,2,Geen maand 13,3\n").encode()
    response = upload(vzi, content, partial=True)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["rejected"], body["written"]) == (2, 1, True)
    assert body["rows"][2] == {"line": 4, "status": "rejected", "id": None,
                               "reasons": ["date: '15-13-2024' is not an existing date."]}
    assert len(stored(vzi)) == 2


def test_dutch_headers_dates_and_decimal_comma_as_the_bulk_import_takes_them(vzi):
    content = "Datum;Uren;Titel;Categorie\n30-11-2025;1,25;Symposium;1\n2025-11-29;2.5;Webinar;\n".encode()
    response = upload(vzi, content)
    assert response.status_code == 200, response.get_json()
    assert [(r["date"], r["hours"]) for r in stored(vzi)] == [("2025-11-29", "2.50"), ("2025-11-30", "1.25")]


def test_an_employee_number_column_is_refused_in_a_per_person_file(vzi):
    response = upload(vzi, b"personeelsnummer,date,hours,title,category\n1,2024-01-15,1,A,\n")
    assert response.status_code == 422
    assert "for one person" in response.get_json()["errors"]["file"][0]


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


def test_stored_rows_are_unchanged_and_duplicates_within_the_file_rejected(vzi):
    assert upload(vzi, GOOD.encode()).status_code == 200
    again = upload(vzi, (GOOD + "2024-03-01,1,Nieuw,\n2024-03-01,1,Nieuw,\n").encode(), partial=True).get_json()
    assert [r["status"] for r in again["rows"]] == ["unchanged", "unchanged", "created", "rejected"]
    assert again["rows"][3]["reasons"] == ["duplicate: the same key as line 4."]
    assert len(stored(vzi)) == 3


def test_line_numbers_count_blank_lines(vzi):
    body = upload(vzi, b"date,hours,title,category\n\n2024-01-15,1,A,\nnope,1,B,\n").get_json()
    assert [(r["line"], r["status"]) for r in body["rows"]] == [(3, "created"), (4, "rejected")]


def test_a_row_missing_a_required_value_is_rejected(vzi):
    body = upload(vzi, b"date,hours,title,category\n2024-01-15,1\n").get_json()
    assert body["rows"][0]["reasons"] == ["title: empty, but required."]


def test_file_level_errors(vzi):
    for content in (b"", b"datum,titel\n2024-01-01,A\n", b"date,hours,title,category\n", b"\x00\x01binary"):
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
    assert "line 4: rejected: date: 'bad' is not a date" in result.output
    assert stored(vzi) == []
    result = runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(path), "--dry-run", "--partial"])
    assert result.exit_code == 0, result.output
    assert stored(vzi) == []
    result = runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(path), "--partial"])
    assert result.exit_code == 0, result.output
    assert "import cpd: 2 created, 1 rejected (written" in result.output
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
    assert "1949-12-31 must lie between 1950-01-01 and 2100-12-31" in " ".join(rows[0]["reasons"])
    assert "at most 10000.00" in " ".join(rows[2]["reasons"])


MESSY = ("30-11-2025;1,25;Symposium;1\n"        # Dutch date, decimal comma
         "2025-11-29;2.5;Webinar;\n"            # ISO date, decimal point, general
         "31-11-2025;1;Geen dag;1\n"            # no such date
         "2025-11-28;1,555;Te precies;1\n"      # three decimals
         "2025-11-27;10000,01;Te veel;1\n")     # beyond the limit


def test_one_cpd_import_path(app, vzi, person, tmp_path):
    """The bulk kind (``/imports/cpd``, ``bekwaam import cpd``) and the per-person alias
    (``/vzi/staff/{id}/cpd-activities/import``, ``bekwaam vzi import-cpd``) read the same file the same way."""
    per_person = upload(vzi, ("Datum;Uren;Titel;Categorie\n" + MESSY).encode(), dry_run=True).get_json()
    bulk_file = "Personeelsnummer;Datum;Uren;Titel;Categorie\n" + "".join(
        f"{person.employee_number};{line}\n" for line in MESSY.splitlines())
    bulk = vzi.client.post("/api/v1/imports/cpd?dry_run=true", headers=vzi.headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bulk_file.encode()), "cpd.csv")}).get_json()
    assert [(r["line"], r["status"], r["reasons"]) for r in per_person["rows"]] == [
        (r["line"], r["status"], r["reasons"]) for r in bulk["rows"]]
    assert [r["status"] for r in bulk["rows"]] == ["created", "created", "rejected", "rejected", "rejected"]
    assert bulk["rows"][2]["reasons"] == ["date: '31-11-2025' is not an existing date."]
    # The command line: the alias and the bulk command write the same rows, as Decimal hours.
    runner = app.test_cli_runner()
    good = "".join(MESSY.splitlines(keepends=True)[:2])
    (tmp_path / "one.csv").write_text("Datum;Uren;Titel;Categorie\n" + good, encoding="utf-8")
    assert runner.invoke(args=["vzi", "import-cpd", person.employee_number, str(tmp_path / "one.csv")]).exit_code == 0
    (tmp_path / "many.csv").write_text(bulk_file.split("\n", 1)[0] + "\n" + "".join(
        f"{person.employee_number};{line}" for line in good.splitlines(keepends=True)), encoding="utf-8")
    from core.dataio.cli import import_command
    result = runner.invoke(import_command, ["cpd", str(tmp_path / "many.csv")])
    assert result.exit_code == 0 and "2 unchanged" in result.output, result.output
    assert [(r["date"], r["hours"]) for r in stored(vzi)] == [("2025-11-29", "2.50"), ("2025-11-30", "1.25")]


def test_the_file_size_limit_holds_for_the_per_person_import(app, vzi, monkeypatch):
    monkeypatch.setitem(app.config, "BEKWAAM_IMPORT_MAX_BYTES", 100)
    response = upload(vzi, (GOOD + "2024-03-01,1," + "x" * 200 + ",\n").encode())
    assert response.status_code == 422 and "file" in response.get_json()["errors"]
    assert stored(vzi) == []
