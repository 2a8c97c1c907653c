"""Pictures for the pages, drawn on the server as inline SVG (no script: the CSP allows none).

Every picture is an image to assistive technology (``role="img"`` with a ``<title>``
and a ``<desc>`` that says the numbers in words) and never tells by colour alone: each
bar carries its number as text, a bar below its target is hatched and says so in words,
a target is a drawn line with its own label. The page shows the same numbers as a
table or sentence next to the picture (the callers do that).

The builders take plain numbers and return ``markupsafe.Markup``; every text that goes
into the SVG is escaped here. The Jinja macros in ``_macros.html`` call them as the
template globals ``column_chart``, ``target_chart`` and ``progress_chart``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

# Colours with a contrast of at least 4.5:1 against white (WCAG 1.4.11 asks 3:1 for graphics).
BAR = "#1f5f8b"
SHORT = "#b3261e"  # below the target: also hatched and said in words
TARGET = "#1b1b1b"
TEXT = "#1b1b1b"
TRACK = "#d9d9d9"

COLUMN_HEIGHT = 120  # the tallest column, in SVG units
COLUMN_WIDTH = 36
COLUMN_GAP = 12
ROW_HEIGHT = 22
ROW_GAP = 10
LABEL_WIDTH = 190
BAR_WIDTH = 300


@dataclass(frozen=True)
class Column:
    """One column of a column chart: its label (under it) and its value (on top of it)."""

    label: str
    value: int | float | Decimal
    text: str | None = None  # the value as the reader writes it (default: str(value))


@dataclass(frozen=True)
class Target:
    """One row of a target chart: how many there are against how many there must be."""

    label: str
    value: int | float | Decimal
    target: int | float | Decimal
    text: str | None = None  # e.g. "3 of 7 (below the minimum)"


def _ident(ident: str) -> str:
    """An id safe to use in the SVG (and unique on the page: the caller names the chart)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", ident) or "chart"


def _num(value) -> str:
    """An SVG coordinate: at most two decimals, no exponent."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open(ident: str, width: float, height: float, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
            f'aria-labelledby="{ident}-title {ident}-desc">'
            f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>')


def _hatch(ident: str) -> str:
    """The pattern of a bar that falls short: stripes, so it differs from a full bar without colour."""
    return (f'<defs><pattern id="{ident}-short" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<rect width="3" height="6" fill="{SHORT}"/></pattern></defs>')


def column_height(value, top) -> float:
    """The height of a column of ``value`` when the tallest column (``top``) is COLUMN_HEIGHT high."""
    value, top = float(value), float(top or 0)
    if top <= 0 or value <= 0:
        return 0.0
    return round(COLUMN_HEIGHT * value / top, 2)


def column_chart(columns: list[Column], *, ident: str, title: str, desc: str) -> Markup:
    """Vertical columns, e.g. the competences expiring per month; each column's number stands on it."""
    ident = _ident(ident)
    top = max((c.value for c in columns), default=0)
    width = max(1, len(columns)) * (COLUMN_WIDTH + COLUMN_GAP) + COLUMN_GAP
    base = COLUMN_HEIGHT + 24  # room for the numbers on top
    height = base + 34  # room for two lines of label underneath
    parts = [_open(ident, width, height, title, desc)]
    parts.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{TARGET}" stroke-width="1"/>')
    for index, column in enumerate(columns):
        x = COLUMN_GAP + index * (COLUMN_WIDTH + COLUMN_GAP)
        h = column_height(column.value, top)
        text = column.text if column.text is not None else str(column.value)
        parts.append(f'<g class="column"><rect x="{x}" y="{_num(base - h)}" width="{COLUMN_WIDTH}" height="{_num(h)}" '
                     f'fill="{BAR}"><title>{escape(column.label)}: {escape(text)}</title></rect>'
                     f'<text x="{_num(x + COLUMN_WIDTH / 2)}" y="{_num(base - h - 6)}" text-anchor="middle" '
                     f'font-size="12" fill="{TEXT}">{escape(text)}</text>')
        for line, piece in enumerate(str(column.label).split(" ", 1)):
            parts.append(f'<text x="{_num(x + COLUMN_WIDTH / 2)}" y="{base + 14 + line * 13}" text-anchor="middle" '
                         f'font-size="11" fill="{TEXT}">{escape(piece)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_width(value, scale) -> float:
    """The length of a horizontal bar of ``value`` when ``scale`` is BAR_WIDTH long."""
    value, scale = float(value), float(scale or 0)
    if scale <= 0 or value <= 0:
        return 0.0
    return round(BAR_WIDTH * min(value, scale) / scale, 2)


def target_chart(rows: list[Target], *, ident: str, title: str, desc: str, short_text: str) -> Markup:
    """Horizontal bars against a target each (a drawn line), e.g. competent people per technology group
    against the minimum. A bar short of its target is hatched and labelled ``short_text``."""
    ident = _ident(ident)
    scale = max([max(float(r.value), float(r.target)) for r in rows] or [0]) or 1
    width = LABEL_WIDTH + BAR_WIDTH + 170
    height = max(1, len(rows)) * (ROW_HEIGHT + ROW_GAP) + ROW_GAP
    parts = [_open(ident, width, height, title, desc), _hatch(ident)]
    for index, row in enumerate(rows):
        y = ROW_GAP + index * (ROW_HEIGHT + ROW_GAP)
        short = float(row.value) < float(row.target)
        w = bar_width(row.value, scale)
        marker = LABEL_WIDTH + bar_width(row.target, scale)
        text = row.text if row.text is not None else f"{row.value} / {row.target}"
        label = str(row.label)
        shown = label if len(label) <= 28 else label[:27] + "…"
        fill = f"url(#{ident}-short)" if short else BAR
        parts.append(
            f'<g class="row{" short" if short else ""}">'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f'<title>{escape(label)}</title>{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{ROW_HEIGHT}" fill="{TRACK}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{_num(w)}" height="{ROW_HEIGHT}" fill="{fill}" '
            f'stroke="{SHORT if short else BAR}"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<line class="target" x1="{_num(marker)}" y1="{y - 3}" x2="{_num(marker)}" y2="{y + ROW_HEIGHT + 3}" '
            f'stroke="{TARGET}" stroke-width="3"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 15}" font-size="12" fill="{TEXT}">'
            f'{escape(text)}{(" – " + escape(short_text)) if short else ""}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def progress_chart(value, target, *, ident: str, title: str, desc: str, text: str) -> Markup:
    """One bar: how far ``value`` is on the way to ``target`` (e.g. CPD hours done of those required),
    with ``text`` (the numbers in words) beside it; short of the target it is hatched."""
    ident = _ident(ident)
    scale = float(target) if target and float(target) > 0 else 1.0
    w = bar_width(value, scale)
    short = float(value) < float(target or 0)
    width = BAR_WIDTH + 200
    parts = [_open(ident, width, ROW_HEIGHT + 8, title, desc), _hatch(ident),
             f'<rect x="0" y="4" width="{BAR_WIDTH}" height="{ROW_HEIGHT}" fill="{TRACK}" stroke="{TARGET}"/>',
             f'<rect class="{"short" if short else "done"}" x="0" y="4" width="{_num(w)}" height="{ROW_HEIGHT}" '
             f'fill="{f"url(#{ident}-short)" if short else BAR}"/>',
             f'<text x="{BAR_WIDTH + 8}" y="{4 + 16}" font-size="12" fill="{TEXT}">{escape(text)}</text>',
             "</svg>"]
    return Markup("".join(parts))


def percent(value, target) -> int:
    """Whole percent of ``target`` reached (at most 100; 100 when nothing is required)."""
    if not target or float(target) <= 0:
        return 100
    return min(100, int(float(value) * 100 // float(target)))


def month_label(day) -> str:
    """A month as the reader says it, short: ``dec. 2026`` (``Dec 2026`` in English)."""
    from flask_babel import format_date
    return format_date(day, "LLL yyyy")


def register(app) -> None:
    """The builders as template globals, for the core's templates and the plugins' alike."""
    app.add_template_global(column_chart, "column_chart")
    app.add_template_global(target_chart, "target_chart")
    app.add_template_global(progress_chart, "progress_chart")
    app.add_template_global(percent, "chart_percent")
    app.add_template_global(month_label, "month_label")
    app.add_template_global(Column, "ChartColumn")
    app.add_template_global(Target, "ChartTarget")
