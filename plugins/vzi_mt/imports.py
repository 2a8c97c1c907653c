"""The CPD import (deskundigheidsbevordering): one import kind, ``cpd``, for every way in.

``bekwaam import cpd FILE`` and ``POST /api/v1/imports/cpd`` take a file with an
employee-number column (many people); ``bekwaam vzi import-cpd EMPLOYEE_NUMBER
FILE`` and ``POST /api/v1/vzi/staff/{id}/cpd-activities/import`` take the same
file without it, for one person (``fixed``). Either way the same headers
(Dutch or English), dates (``30-11-2026`` or ``2026-11-30``), hours (decimal
comma or point, at most two decimals, as ``Decimal``) and size limits hold;
every bad row is reported with its line number and nothing is written unless
every row is good (or ``partial``).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select

from core.dataio import importers, values as v
from core.dataio.importers import Field, Importer, ImportKind, Pending, no_staff, staff_ids
from core.dataio.readers import FileError, open_table
from core.dataio.texts import Reason, Text
from core.devices.models import TechnologyGroup
from core.extensions import db
from plugins.vzi_mt import models, services
from plugins.vzi_mt.schemas import HOURS_LIMIT

HEADERS = {
    "employee_number": ("personeelsnummer", "personeelsnr", "medewerkernummer", "employee number"),
    "date": ("datum", "date"),
    "hours": ("uren", "aantal uren", "studiebelasting", "hours"),
    "title": ("titel", "activiteit", "omschrijving", "naam activiteit", "title"),
    "category": ("categorie", "technologiegroep", "category"),
}
# The CPD-only category of the VZI certificatienormen: no technology group.
GENERAL = {"", "algemene niet-technische scholing", "general", "algemeen", "niet-technisch"}


def _hours(raw):
    return v.parse_hours(raw, HOURS_LIMIT)


class CpdImporter(Importer):
    """Deskundigheidsbevordering for many people (or one, with a fixed employee number)."""

    kind, model = "cpd", models.CpdActivity
    key_fields = ("staff_id", "date", "hours", "title", "technology_group_id")
    key_nl = "dezelfde medewerker, datum, uren, titel en categorie"
    fields = {
        "employee_number": Field(required=True, max_length=40),
        "date": Field(parse=v.parse_day, required=True),
        "hours": Field(parse=_hours, required=True),
        "title": Field(required=True, max_length=300),
        "category": Field(),
    }

    def __init__(self, today):
        super().__init__(today)
        self.groups = {}
        for group_id, code, name, name_en in db.session.execute(
                select(TechnologyGroup.id, TechnologyGroup.code, TechnologyGroup.name, TechnologyGroup.name_en)):
            self.groups[str(code)] = self.groups[name.lower()] = self.groups[name_en.lower()] = group_id
        self.ids: dict[int, int] = {}  # line -> id of the activity it created

    def prepare(self, rows: list[Pending]) -> None:
        people = staff_ids(p.values["employee_number"] for p in rows if p.values.get("employee_number"))
        for p in rows:
            values = p.values
            p.row = {k: values[k] for k in ("date", "hours", "title") if k in values}
            if values.get("employee_number"):
                p.row["staff_id"] = people.get(values["employee_number"])
                if p.row["staff_id"] is None:
                    p.reasons.append(no_staff("employee_number", values["employee_number"]))
            category = v.text(values.get("category")).lower()
            category = str(int(category)) if category.isdigit() else category  # "07" is group 7
            if category in GENERAL:
                p.row["technology_group_id"] = None
            elif category in self.groups:
                p.row["technology_group_id"] = self.groups[category]
            else:
                category = values["category"]
                p.reasons.append(Reason("category", f"'{category}' is no technology group code 1-27 and not "
                                        "'Algemene niet-technische scholing'.",
                                        f"'{category}' is geen code van een technologiegroep (1-27) en ook niet "
                                        "'Algemene niet-technische scholing'."))
            if not p.reasons and all(k in p.row for k in self.key_fields):
                p.key = tuple(p.row[k] for k in self.key_fields)

    def existing(self, keys):
        # "General" activities have no technology group: NULL never matches in a
        # tuple IN, so the chunk's people and dates are fetched and matched here.
        if not keys:
            return {}
        model = self.model
        stmt = select(model.__table__).where(model.staff_id.in_({k[0] for k in keys}),
                                             model.date.in_({k[1] for k in keys}))
        wanted = set(keys)
        found = {}
        for row in db.session.execute(stmt).mappings():
            key = tuple(row[k] for k in self.key_fields)
            if key in wanted:
                found[key] = dict(row)
        return found

    def write(self, creates, updates):
        if creates:
            # Reviewed as the API reviews a new entry: a person's own import waits for the manager.
            rows = [{**p.row, **services.review_status(p.row["staff_id"])} for p in creates]
            db.session.execute(insert(self.model), rows)
            stored = self.existing([p.key for p in creates])
            self.ids.update({p.line: stored[p.key]["id"] for p in creates if p.key in stored})
        self._audit(creates, updates)

    def describe(self, key):
        return None  # the line number identifies the row


CPD = ImportKind("cpd", HEADERS, CpdImporter, Text("CPD activities", "Activiteiten voor deskundigheidsbevordering"))


def import_for_person(staff, stream, filename: str, dry_run: bool, partial: bool) -> tuple[dict, bool]:
    """The per-person import (``/vzi/staff/{id}/cpd-activities/import``): the ``cpd`` kind with the
    person's employee number on every row. Returns the endpoint's report and whether it may stand
    (false when bad rows stop an all-or-nothing import, a dry run included)."""
    importer = CpdImporter(dt.date.today())
    report = importers.run(CPD, open_table(stream, filename), dry_run=dry_run, partial=partial,
                           fixed={"employee_number": staff.employee_number}, importer=importer)
    if not report.rows:
        raise FileError(Text("The file has a header but no data rows.", "Het bestand heeft een kopregel maar geen regels."))
    ids = importer.ids if report.written else {}
    rows = [{"line": r.line, "status": r.status, "id": ids.get(r.line), "reasons": list(r.reasons)}
            for r in report.rows if r.status != "skipped"]
    counts = report.counts()
    return {"dry_run": dry_run, "partial": partial, "written": report.written, "created": counts["created"],
            "rejected": counts["rejected"], "rows": rows}, report.ok
