"""Hostile and odd files: zip bombs are refused before openpyxl sees them,
sizes and rows are bounded, and CSV encodings are read or refused clearly."""
from __future__ import annotations

import io
import zipfile

import pytest

from core.dataio.limits import Limits
from core.dataio.readers import FileError, open_table

HEADER = "employee_number;name\n"


def _bomb(unpacked: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * unpacked)
    return out.getvalue()


def test_a_zip_bomb_never_reaches_openpyxl(monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = _bomb(60 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    with pytest.raises(FileError, match="unpacks to 60.0 MB"):
        open_table(io.BytesIO(bomb), "bomb.xlsx")
    # Small in total but compressed beyond the ratio: refused too.
    with pytest.raises(FileError, match="zip bomb"):
        open_table(io.BytesIO(_bomb(5 * 1024 * 1024)), "ratio.xlsx")


def test_the_api_answers_422_for_a_bomb(upload):
    response = upload("staff", _bomb(60 * 1024 * 1024), filename="bomb.xlsx")
    assert response.status_code == 422
    assert "zip bomb" in str(response.get_json()["errors"]["file"])


def test_the_cli_answers_one_error_line(app, tmp_path):
    from core.dataio.cli import import_command

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb(60 * 1024 * 1024))
    result = app.test_cli_runner().invoke(import_command, ["staff", str(path)])
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "zip bomb" in errors[0], result.output


def test_size_and_rows_are_bounded():
    body = (HEADER + "".join(f"{i};P{i}\n" for i in range(20))).encode()
    with pytest.raises(FileError, match="at most"):
        open_table(io.BytesIO(body), "x.csv", Limits(max_bytes=50))
    table = open_table(io.BytesIO(body), "x.csv", Limits(max_rows=10))
    with pytest.raises(FileError, match="more than 10 rows"):
        list(table.rows)
    assert len(list(open_table(io.BytesIO(body), "x.csv", Limits(max_rows=20)).rows)) == 20


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_csv_encodings_are_read(encoding):
    text = HEADER + "1;Renée Ångström-Çelik\n"
    table = open_table(io.BytesIO(text.encode(encoding)), "x.csv")
    assert table.header == ["employee_number", "name"]
    assert list(table.rows) == [(2, ["1", "Renée Ångström-Çelik"])]


def test_utf16_without_a_bom_is_refused_with_the_reason():
    with pytest.raises(FileError, match="UTF-16 text without a byte-order mark"):
        open_table(io.BytesIO((HEADER + "1;Renée\n").encode("utf-16-le")), "x.csv")
