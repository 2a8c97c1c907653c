"""Cell parsing and file reading, without a database."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from core.dataio import values as v
from core.dataio.mapping import DEFAULT_HEADERS, normalise, resolve
from core.dataio.readers import FileError, open_table


@pytest.mark.parametrize("raw, expected", [
    ("01-03-2015", dt.date(2015, 3, 1)), ("1-3-2015", dt.date(2015, 3, 1)), ("01/03/2015", dt.date(2015, 3, 1)),
    ("01.03.2015", dt.date(2015, 3, 1)), ("2015-03-01", dt.date(2015, 3, 1)), ("2015-03-01 00:00:00", dt.date(2015, 3, 1)),
    ("43101", dt.date(2018, 1, 1)), (43101, dt.date(2018, 1, 1)), (43101.0, dt.date(2018, 1, 1)),
    ("60", dt.date(1900, 2, 28)), ("61", dt.date(1900, 3, 1)),  # Excel's phantom 29 Feb 1900 is serial 60
    (dt.datetime(2020, 5, 6, 14, 0), dt.date(2020, 5, 6)), (dt.date(2020, 5, 6), dt.date(2020, 5, 6)),
    ("29-02-2024", dt.date(2024, 2, 29)),
])
def test_dates(raw, expected):
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("31-02-2019", "'31-02-2019' is not an existing date."),
    ("29-02-2023", "'29-02-2023' is not an existing date."),
    ("15-13-2021", "'15-13-2021' is not an existing date."),
    ("morgen", "'morgen' is not a date (use dd-mm-jjjj, YYYY-MM-DD or an Excel date)."),
    ("43101.5", "'43101.5' is not a date (use dd-mm-jjjj, YYYY-MM-DD or an Excel date)."),
    ("0", "'0' is not a date (use dd-mm-jjjj, YYYY-MM-DD or an Excel date)."),
    ("01-03-15", "'01-03-15' is not a date (use dd-mm-jjjj, YYYY-MM-DD or an Excel date)."),
])
def test_bad_dates_say_why(raw, message):
    with pytest.raises(ValueError) as exc:
        v.parse_date(raw)
    assert str(exc.value) == message


def test_words():
    assert [v.parse_bool(x) for x in ("Ja", "nee", "1", "0", "actief", True)] == [True, False, True, False, True, True]
    assert v.EMPLOYMENT_TYPE("Uitzendkracht") == "external" and v.EMPLOYMENT_TYPE("Loondienst") == "internal"
    assert v.DEVICE_STATUS("In reparatie") == "in_repair" and v.DEVICE_STATUS("in_storage") == "in_storage"
    assert v.COMPETENCE_ROLE("Key user") == "key_user" and v.COMPETENCE_ROLE("Gebruiker") == "user"
    assert v.METHOD("Training en toetsing") == "training_and_assessment" and v.METHOD("Instructie") == "instruction"
    assert [v.parse_mdr_class(x) for x in ("IIa", "Klasse IIb", "iii", "MDR klasse I", "C")] == ["IIa", "IIb", "III", "I", "C"]
    with pytest.raises(ValueError, match="not a known role"):
        v.COMPETENCE_ROLE("chef")
    with pytest.raises(ValueError, match="not an MDR class"):
        v.parse_mdr_class("IV")
    assert v.parse_hours("1,5", v.Decimal("100")) == v.Decimal("1.50")
    assert v.parse_hours("1.234,5", v.Decimal("10000")) == v.Decimal("1234.50")
    assert v.parse_hours(7.5, v.Decimal("100")) == v.Decimal("7.50")  # a number cell
    with pytest.raises(ValueError, match="more than two decimals"):
        v.parse_hours("1.5555", v.Decimal("100"))
    with pytest.raises(ValueError, match="ambiguous"):  # 1555 or 1.555: refused, never guessed
        v.parse_hours("1.555", v.Decimal("10000"))


def test_headers_are_matched_loosely_and_a_saved_mapping_wins():
    assert normalise("\ufeff E-mail ") == "e mail" == normalise("e_mail")
    columns, ignored = resolve(DEFAULT_HEADERS["staff"], ["\ufeffPersoneelsnummer", "NAAM", "Emailadres", "Kleur"], None)
    assert columns == {0: "employee_number", 1: "name", 2: "email"} and ignored == ["Kleur"]
    columns, _ = resolve(DEFAULT_HEADERS["staff"], ["Nr", "Naam"], {"Nr": "employee_number"})
    assert columns == {0: "employee_number", 1: "name"}


def _read(content: bytes, name="f.csv"):
    table = open_table(io.BytesIO(content), name)
    return table, list(table.rows)


def test_csv_separators_bom_and_line_numbers():
    table, rows = _read("\ufeffa;b\r\n1;\"x\ny\"\r\n2;z\r\n".encode())
    assert (table.delimiter, table.encoding, table.header) == (";", "utf-8", ["a", "b"])
    assert rows == [(2, ["1", "x\ny"]), (4, ["2", "z"])]  # a quoted line break: the next record starts on line 4
    table, rows = _read(b"a,b\n1,2\n")
    assert table.delimiter == "," and rows == [(2, ["1", "2"])]


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    table, rows = _read("Naam;Plaats\nRenée;Zoë\n".encode("cp1252"))
    assert table.encoding == "cp1252" and rows == [(2, ["Renée", "Zoë"])]


def test_empty_file_is_a_file_error():
    with pytest.raises(FileError, match="empty"):
        open_table(io.BytesIO(b""), "x.csv")


def test_xlsx_rows_are_sheet_rows_with_real_dates():
    wb = Workbook()
    ws = wb.active
    ws.append([None])
    ws.append(["Personeelsnummer", "In dienst"])
    ws.append([1001, dt.datetime(2015, 3, 1)])
    ws.append([])
    ws.append(["1002", 43101])
    out = io.BytesIO()
    wb.save(out)
    table, rows = _read(out.getvalue(), "hr.xlsx")
    assert table.format == "xlsx" and table.header == ["Personeelsnummer", "In dienst"]
    assert rows[0] == (3, [1001, dt.datetime(2015, 3, 1)])
    assert rows[-1] == (5, ["1002", 43101])


def test_a_broken_xlsx_is_a_file_error():
    with pytest.raises(FileError, match="not a readable XLSX"):
        open_table(io.BytesIO(b"PK\x03\x04garbage"), "x.xlsx")
