"""CSV import of CPD activities (deskundigheidsbevordering) for one person.

Columns ``date,hours,title,category``; ``,`` or ``;`` separated; UTF-8 with or
without BOM. ``category`` is a technology group code 1-27 (or its name), or
empty / "Algemene niet-technische scholing" / "general" for non-technical.
Every row is checked and reported with its line number (the header is line 1);
nothing is written when a row is bad unless ``partial`` (SPEC 7). Reasons are
English (the report's contract) with their Dutch as ``.nl`` (``core.dataio.texts``).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dataio.texts import Reason, Text
from core.devices.models import TechnologyGroup
from plugins.vzi_mt import models, services
from plugins.vzi_mt.schemas import FIRST_DATE, HOURS_LIMIT as MAX_HOURS, LAST_DATE

COLUMNS = ("date", "hours", "title", "category")
GENERAL = {"", "algemene niet-technische scholing", "general"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, header, no rows)."""


@dataclass
class Row:
    line: int
    status: str = "created"
    reasons: list[str] = field(default_factory=list)
    id: int | None = None
    values: dict = field(default_factory=dict)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"The file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8.") from exc


def _reader(text: str):
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [c.strip().lower() for c in next(reader)]
    except StopIteration:
        raise ImportFileError("The file is empty; expected the header " + ",".join(COLUMNS) + ".") from None
    missing = [c for c in COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in COLUMNS]
    if missing or unknown or len(set(columns)) != len(columns):
        raise ImportFileError(
            f"Line 1: the header must name the columns {','.join(COLUMNS)} (found {','.join(columns) or 'nothing'}).")
    return reader, columns


def _date(value: str, row: Row):
    try:
        if not ISO_DATE.match(value):
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        row.reasons.append(Reason("date", f"'{value}' is not a date YYYY-MM-DD.",
                                  f"'{value}' is geen datum in de vorm jjjj-mm-dd."))
        return None
    if not FIRST_DATE <= day <= LAST_DATE:
        row.reasons.append(Reason("date", f"{value} must lie between {FIRST_DATE} and {LAST_DATE}.",
                                  f"{value} moet tussen {FIRST_DATE} en {LAST_DATE} liggen."))
        return None
    return day


def _hours(value: str, row: Row):
    text = value.replace(",", ".") if "." not in value else value  # "1,5" from a Dutch spreadsheet
    try:
        hours = Decimal(text)
        if not hours.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        row.reasons.append(Reason("hours", f"'{value}' is not a number.", f"'{value}' is geen getal."))
        return None
    if hours <= 0 or hours > MAX_HOURS:
        row.reasons.append(Reason("hours", f"{value} must be more than 0 and at most {MAX_HOURS}.",
                                  f"{value} moet meer dan 0 en hoogstens {str(MAX_HOURS).replace('.', ',')} zijn."))
    elif hours.as_tuple().exponent < -2:
        row.reasons.append(Reason("hours", f"{value} has more than two decimals.",
                                  f"{value} heeft meer dan twee decimalen."))
    else:
        return hours.quantize(Decimal("0.01"))


def _category(value: str, groups: dict[str, int], row: Row):
    key = value.strip().lower()
    if key.isdigit():
        key = str(int(key))  # "07" is group 7
    if key in GENERAL:
        return None
    if key in groups:
        return groups[key]
    row.reasons.append(Reason("category", f"'{value}' is no technology group code 1-27 and not "
                              "'Algemene niet-technische scholing'.",
                              f"'{value}' is geen code van een technologiegroep (1-27) en ook niet "
                              "'Algemene niet-technische scholing'."))
    return None


def _groups(session: Session) -> dict[str, int]:
    """Code and names (Dutch, English) of each technology group -> its id."""
    found = {}
    for group_id, code, name, name_en in session.execute(
            select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en)):
        found[str(code)] = found[name.lower()] = found[name_en.lower()] = group_id
    return found


def check(session: Session, staff_id: int, content: bytes) -> list[Row]:
    """Every data row, checked; raises ImportFileError when the file itself is unusable."""
    reader, columns = _reader(_decode(content))
    groups = _groups(session)
    seen = {
        (a.date, a.hours, a.title, a.technology_group_id):
            Text(f"activity id {a.id}", f"de opgeslagen activiteit {a.id}")
        for a in session.scalars(select(models.CpdActivity).where(models.CpdActivity.staff_id == staff_id))
    }
    rows = []
    for cells in reader:
        row = Row(line=reader.line_num)
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(columns):
            row.reasons.append(Text(f"{len(cells)} values, expected {len(columns)} ({','.join(columns)}).",
                                    f"{len(cells)} waarden in plaats van {len(columns)} ({','.join(columns)})."))
        else:
            raw = dict(zip(columns, (c.strip() for c in cells)))
            day = _date(raw["date"], row)
            hours = _hours(raw["hours"], row)
            title = raw["title"]
            if not title:
                row.reasons.append(Reason("title", "empty.", "leeg."))
            elif len(title) > 300:
                row.reasons.append(Reason("title", "longer than 300 characters.", "langer dan 300 tekens."))
            group_id = _category(raw["category"], groups, row)
            if not row.reasons:
                key = (day, hours, title, group_id)
                if key in seen:
                    row.reasons.append(Text(f"duplicate of {seen[key]}.", f"Dubbel: dezelfde als {seen[key].nl}."))
                else:
                    seen[key] = Text(f"line {row.line}", f"regel {row.line}")
                    row.values = {"date": day, "hours": hours, "title": title, "technology_group_id": group_id}
        if row.reasons:
            row.status = "rejected"
        rows.append(row)
    if not rows:
        raise ImportFileError("The file has a header but no data rows.")
    return rows


def run(session: Session, staff_id: int, content: bytes, dry_run: bool, partial: bool) -> tuple[dict, bool]:
    """Check and (unless dry run, or bad rows without ``partial``) write; returns (report, ok).

    ``ok`` is false when bad rows stopped an all-or-nothing import. A row's status
    says what it is (``created``/``rejected``); ``written`` says whether anything
    was stored.
    """
    rows = check(session, staff_id, content)
    rejected = sum(row.status == "rejected" for row in rows)
    ok = partial or not rejected
    write = ok and not dry_run
    if write:
        for row in rows:
            if row.status == "created":
                activity = models.CpdActivity(staff_id=staff_id, **row.values)
                services.assign_review_status(activity)  # a technician's own import waits for review
                session.add(activity)
                session.flush()
                row.id = activity.id
    report = {
        "dry_run": dry_run, "partial": partial, "written": write,
        "created": len(rows) - rejected, "rejected": rejected,
        "rows": [{"line": r.line, "status": r.status, "id": r.id, "reasons": r.reasons} for r in rows],
    }
    return report, ok
