"""Files to rows: CSV (``,``/``;``/tab, UTF-8 with or without BOM, UTF-16 with a BOM,
Windows-1252 as a fallback) and XLSX (openpyxl read-only, streamed).

A reader yields ``(line, cells)``: ``line`` is the line number a person sees
in the file (the header is line 1; for XLSX the sheet row; for a CSV record
spanning lines, the line it starts on).
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from typing import IO, Iterator

from core.dataio.errors import FileError
from core.dataio.limits import Limits, check_size, check_zip, too_many_rows
from core.dataio.limits import current as current_limits
from core.dataio.texts import Text
from core.safe_cells import restore

XLSX_MAGIC = b"PK\x03\x04"
# Excel 97-2003 (.xls) and other OLE2 files: openpyxl cannot read them.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 16


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]
    format: str  # "csv" or "xlsx"
    delimiter: str | None = None
    encoding: str | None = None


def open_table(stream: IO[bytes], filename: str = "", limits: Limits | None = None) -> Table:
    """Sniff the format from the content (an .xlsx is a zip), not only the name;
    refuse a file beyond the limits before parsing it."""
    limits = limits or current_limits()
    check_size(stream, limits)
    head = stream.read(CHUNK)
    stream.seek(0)
    if head.startswith(OLE2_MAGIC) or filename.lower().endswith(".xls"):
        raise FileError(Text("This is an old Excel file (.xls); save it as Excel workbook (.xlsx) or CSV and import that.",
                             "Dit is een oud Excel-bestand (.xls); sla het op als Excel-werkmap (.xlsx) of CSV "
                             "en importeer dat."))
    if head.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        check_zip(stream, limits)
        return _bounded(_xlsx(stream), limits)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _bounded(_csv(stream, "utf-16"), limits)
    if b"\x00" in head and _looks_utf16(head):
        raise FileError(Text("The file looks like UTF-16 text without a byte-order mark; save it as CSV UTF-8.",
                             "Het bestand lijkt UTF-16-tekst zonder byte-order-mark; sla het op als CSV UTF-8."))
    if b"\x00" in head:
        # No CSV holds NUL bytes; a PDF, an image or a UTF-16 export does.
        raise FileError(Text("The file is not a CSV text file or an XLSX workbook.",
                             "Het bestand is geen CSV-tekstbestand en geen XLSX-werkmap."))
    return _bounded(_csv(stream), limits)


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 has a NUL in (nearly) every other byte."""
    sample = head[:2048]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) >= len(sample) // 2 * 0.9


def _bounded(table: Table, limits: Limits) -> Table:
    rows = table.rows

    def bounded():
        for count, row in enumerate(rows, start=1):
            if count > limits.max_rows:
                rows.close()
                raise too_many_rows(limits)
            yield row

    table.rows = bounded()
    return table


def _encoding(stream: IO[bytes]) -> str:
    """UTF-8 (a BOM is dropped) unless the bytes are not UTF-8: then Windows-1252,
    what Excel's "CSV (gescheiden door lijstscheidingsteken)" writes on Dutch Windows."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    return encoding


def _check_decodes(stream: IO[bytes], encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise FileError(Text(f"The file says it is UTF-16 but is not ({exc.reason}); save it as CSV UTF-8.",
                             f"Het bestand zegt UTF-16 te zijn maar is het niet ({exc.reason}); sla het op als "
                             "CSV UTF-8.")) from None
    finally:
        stream.seek(0)


def _csv(stream: IO[bytes], encoding: str | None = None) -> Table:
    encoding = encoding or _encoding(stream)
    if encoding == "utf-16":
        _check_decodes(stream, encoding)
    # Bytes that are not UTF-8 and undefined in Windows-1252 (0x81, 0x8d …) become
    # U+FFFD: a stray byte must not make the whole file unreadable.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    first = text.readline()
    if not first.strip():
        raise FileError(Text("The file is empty: line 1 must be the header with the column names.",
                             "Het bestand is leeg: regel 1 moet de kopregel met de kolomnamen zijn."))
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    header = [restore(h) for h in next(csv.reader([first], delimiter=delimiter))]

    def rows():
        reader = csv.reader(text, delimiter=delimiter)
        line = 2
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise FileError(Text(f"Line {line}: {exc}.",
                                         f"Regel {line}: deze CSV-regel is niet te lezen ({exc}).")) from None
                yield line, [restore(c) for c in cells]
                line = reader.line_num + 2  # the header line was read outside the reader
        finally:
            text.detach()  # the stream belongs to the caller, who closes it

    return Table(header=header, rows=rows(), format="csv", delimiter=delimiter,
                 encoding="utf-8" if encoding == "utf-8-sig" else encoding)


def _xlsx(stream: IO[bytes]) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(Text(f"The file is not a readable XLSX workbook ({exc.__class__.__name__}).",
                             f"Het bestand is geen leesbare XLSX-werkmap ({exc.__class__.__name__}).")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header, line = None, 0
    for line, values in enumerate(rows, start=1):
        if any(v not in (None, "") for v in values):
            header = ["" if v is None else str(restore(v)) for v in values]
            break
    if header is None:
        workbook.close()
        raise FileError(Text("The first sheet is empty: its first row must be the header with the column names.",
                             "Het eerste werkblad is leeg: de eerste rij moet de kopregel met de kolomnamen zijn."))
    first_line = line

    def data():
        try:
            for number, values in enumerate(rows, start=first_line + 1):
                yield number, [restore(v) for v in values]
        finally:
            workbook.close()

    return Table(header=header, rows=data(), format="xlsx")
