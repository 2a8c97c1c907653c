"""Styling many XLSX cells cheaply.

openpyxl hashes every style object assigned to a cell (``cell.fill = …``,
``cell.alignment = …``) to find it in the workbook's style tables; for the
100,000 cells of a large department's matrix that was most of the export's
time. A named style is registered once and assigned by name.
"""
from __future__ import annotations

from openpyxl.styles import NamedStyle


def named_style(book, name: str, **attributes) -> str:
    """Register ``name`` with ``attributes`` (fill, alignment, font, number_format …) once; returns the name."""
    if name not in book.named_styles:
        book.add_named_style(NamedStyle(name=name, **attributes))
    return name
