"""The competence matrix (staff × device types) on a page and as XLSX."""
from __future__ import annotations

import datetime as dt
import functools
import io

from flask import g, render_template, request, send_file
from flask_babel import gettext as _

from core.competence.matrix import build
from core.competence.models import COMPETENCE_ROLES
from core.web.blueprint import blp
from sqlalchemy import select

from core.competence.matrix_window import window
from core.extensions import db
from core.staff.models import Staff
from core.web.formats import datum
from core.web.util import Page, arg_date, arg_int, page_number
from core import safe_cells
from core.audit import access
from core.safe_cells import put
from core.web.xlsx import named_style
from core.web.views.device_types import technology_groups
from core.web.views.staff import departments

ROWS_PER_PAGE = 100
# At most this many cells on a page: with 200 device types a page holds 50 people
# (100 × 200 cells were 4.6 MB of HTML and over a second to render).
CELLS_PER_PAGE = 10_000
MIN_ROWS_PER_PAGE = 20
# The columns are paged too (the large hospital's unfiltered matrix had 3,000 device
# types): 50 columns × 100 people is 5,000 cells, about 0.5 MB of HTML.
COLUMNS_PER_PAGE = 50


def rows_per_page(device_types: int) -> int:
    return max(MIN_ROWS_PER_PAGE, min(ROWS_PER_PAGE, CELLS_PER_PAGE // max(device_types, 1)))


def home_department(user) -> int | None:
    """The department the matrix opens on: the user's own (as their account or staff record says)."""
    if user.department_id is not None:
        return user.department_id
    if user.staff_id is not None:
        return db.session.scalar(select(Staff.department_id).where(Staff.id == user.staff_id))
    return None
# Fill colours for the XLSX (the page uses app.css); dark text on light fills.
XLSX_FILLS = {"competent": "C6EFCE", "expiring": "FFEB9C", "expired": "FFC7CE", "missing": "EDEDED"}


def _filters() -> dict:
    role = request.args.get("role") or None
    return {"on": arg_date("on", default=dt.date.today()), "department_id": arg_int("department_id"),
            "technology_group_id": arg_int("technology_group_id"),
            "role": role if role in COMPETENCE_ROLES else None}


def state_labels() -> dict[str, str]:
    return {"competent": _("competent"), "expiring": _("expiring"), "expired": _("expired"),
            "missing": _("missing")}


def state_label(state: str) -> str:
    return state_labels()[state]


@blp.route("/matrix")
def matrix():
    """One window of the matrix: opens on the user's department; without one, a department or
    technology group is chosen first (the whole large hospital is no page)."""
    filters = _filters()
    if filters["department_id"] is None and filters["technology_group_id"] is None and "department_id" not in request.args:
        filters["department_id"] = home_department(g.user)
    data, page = None, None
    counts = {state: 0 for state in XLSX_FILLS}
    if filters["department_id"] is not None or filters["technology_group_id"] is not None:
        data = window(g.user, **filters, row_page=page_number(), rows=ROWS_PER_PAGE,
                      column_page=page_number("columns"), columns=COLUMNS_PER_PAGE)
        people = {p["id"]: p for p in data["staff"]}
        access.note(people=len(people), subject=f"bulk: competence matrix, {len(people)} people")
        page = Page(data["rows"], data["row_page"], data["rows_per_page"], data["row_total"])
        for row in data["rows"]:
            for cell in row["cells"]:
                counts[cell["state"]] += 1
    else:
        people = {}
    column_page = Page(data["device_types"], data["column_page"], data["columns_per_page"],
                       data["column_total"]) if data else None
    return render_template("matrix.html", data=data, page=page, column_page=column_page, people=people,
                           filters=filters, counts=counts,
                           departments=departments(), groups=technology_groups(), roles=COMPETENCE_ROLES,
                           # Translated once, not per cell: a page holds up to 100 × 200 cells, and
                           # Flask-Babel's gettext costs ~0.1 ms a call (most of the page's time).
                           labels=state_labels(), expires_text=_("expires %(date)s"),
                           # |datum per distinct day, not per cell (a Babel format costs ~20 µs).
                           day=functools.lru_cache(maxsize=None)(datum),
                           marks={"competent": "✓", "expiring": "!", "expired": "✗", "missing": "–"})


@blp.route("/matrix.xlsx")
def matrix_xlsx():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    filters = _filters()
    if filters["department_id"] is None and filters["technology_group_id"] is None and "department_id" not in request.args:
        filters["department_id"] = home_department(g.user)  # the export holds what the page opened on
    data = build(g.user, **filters)
    people = {p["id"]: p for p in data["staff"]}
    access.note(people=len(people), subject=f"bulk: matrix export, {len(people)} people")
    book = Workbook()
    sheet = book.active
    sheet.title = _("Competence matrix")[:31]
    header = [_("Employee number"), _("Name")] + [f"{t['manufacturer']} {t['model']}" for t in data["device_types"]]
    safe_cells.append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=0 if cell.column <= 2 else 90, vertical="bottom")
    fills = {state: PatternFill("solid", fgColor=colour) for state, colour in XLSX_FILLS.items()}
    styles = {state: named_style(book, f"bekwaam-{state}", fill=fills[state], number_format="yyyy-mm-dd")
              for state in XLSX_FILLS}
    # Cells addressed by row and column: ``sheet[sheet.max_row]`` scans every cell
    # of the sheet for its width on each call, quadratic over a large matrix.
    for number, row in enumerate(data["rows"], start=2):
        person = people[row["staff_id"]]
        put(sheet, number, 1, person["employee_number"])
        put(sheet, number, 2, person["name"])
        for column, source in enumerate(row["cells"], start=3):
            value = source["expires_on"] or ("✓" if source["state"] == "competent" else "")
            put(sheet, number, column, value).style = styles[source["state"]]
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 28
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    legend = book.create_sheet(_("Legend"))
    safe_cells.append(legend, [_("State"), _("Meaning")])
    for state, meaning in (("competent", _("valid, no expiry within 90 days")),
                           ("expiring", _("valid, expires within 90 days")),
                           ("expired", _("expired (date shown)")), ("missing", _("no record"))):
        safe_cells.append(legend, [state_label(state), meaning])
        legend.cell(legend.max_row, 1).fill = fills[state]
    legend.append([])
    safe_cells.append(legend, [_("Situation on"), filters["on"]])
    legend.column_dimensions["A"].width = 16
    legend.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return send_file(out, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"competence-matrix-{filters['on'].isoformat()}.xlsx")
