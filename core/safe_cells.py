"""The one neutralising writer for every CSV and XLSX cell Bekwaam writes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return as a formula (OWASP "CSV injection"): a person named
``=HYPERLINK("http://x","y")`` would become a live link in the inspector's
copy. Such text gets a leading ``'``. The importers undo exactly that prefix
(``restore``), so an export imports back unchanged; a value that itself starts
with ``'`` followed by one of those characters is prefixed once more, which
keeps the mapping exact both ways.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


class Verbatim(str):
    """Text Bekwaam made itself from a number or date (``-1.50``): never a formula."""


def _needs_prefix(text: str) -> bool:
    while text.startswith(PREFIX):
        text = text[1:]
    return text.startswith(FORMULA_START)


def neutralise(value: Any) -> Any:
    """A cell value a spreadsheet shows and never runs (non-text passes through)."""
    if isinstance(value, str) and not isinstance(value, Verbatim) and _needs_prefix(value):
        return PREFIX + value
    return value


def restore(value: Any) -> Any:
    """Undo ``neutralise`` on a cell read from an imported file."""
    if isinstance(value, str) and value.startswith(PREFIX) and _needs_prefix(value[1:]):
        return value[1:]
    return value


class SafeCSVWriter:
    """``csv.writer`` whose rows are neutralised."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


def put(sheet, row: int, column: int, value: Any):
    """``sheet.cell(row, column, value)`` for a normal openpyxl worksheet, neutralised."""
    cell = sheet.cell(row, column, neutralise(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever openpyxl guesses
    return cell


def append(sheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, neutralised (normal or write-only worksheet)."""
    sheet.append([neutralise(v) for v in values])
