"""The imagined fourth plugin's import kind: ``sterilisatie``, the register of certificates of
sterilisation assistants (medewerkers steriele medische hulpmiddelen).

Columns: personeelsnummer, certificaatnummer, geldig tot (Dutch or English headers). A
certificate is keyed on its number: importing it again updates its holder or its date.
It shows that a plugin adds an import kind through ``bekwaam_import_kinds`` alone, and is
then imported like the core's own kinds (dry run, all-or-nothing, every bad line reported).

The plugin keeps its register in ``sterilisation_certificate``; as a test plugin it brings the
table as ``METADATA`` (the test creates it) instead of a migration branch.
"""
from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, insert, select, update

from core.dataio import values as v
from core.dataio.importers import Field, Importer, ImportKind, Pending, no_staff, staff_ids
from core.dataio.texts import Reason, Text
from core.extensions import db
from core.markers import hookimpl

NAME = "sterilisation"
METADATA = MetaData()
CERTIFICATES = Table(
    "sterilisation_certificate", METADATA,
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, nullable=False),  # staff.id (no constraint: the table is not on the core's metadata)
    Column("number", String(40), nullable=False, unique=True),
    Column("valid_until", Date, nullable=False),
)
HEADERS = {
    "employee_number": ("personeelsnummer", "personeelsnr", "employee number"),
    "certificate_number": ("certificaatnummer", "certificaat", "certificate number"),
    "valid_until": ("geldig tot", "geldig t/m", "valid until"),
}


class CertificateImporter(Importer):
    """Certificates of sterilisation assistants, keyed on the certificate number."""

    kind, model = "sterilisatie", None
    key_fields = ("number",)
    key_nl = "hetzelfde certificaatnummer"
    fields = {
        "employee_number": Field(required=True, max_length=40),
        "certificate_number": Field(required=True, max_length=40),
        "valid_until": Field(parse=v.parse_day, required=True),
    }

    def prepare(self, rows: list[Pending]) -> None:
        people = staff_ids(p.values["employee_number"] for p in rows if p.values.get("employee_number"))
        for p in rows:
            values = p.values
            if values.get("employee_number"):
                p.row["staff_id"] = people.get(values["employee_number"])
                if p.row["staff_id"] is None:
                    p.reasons.append(no_staff("employee_number", values["employee_number"]))
            if values.get("certificate_number"):
                p.row["number"] = values["certificate_number"]
                p.key = (values["certificate_number"],)
            if "valid_until" in values:
                p.row["valid_until"] = values["valid_until"]

    def check(self, p: Pending, current: dict | None) -> None:
        # A certificate that expired before the register is imported is history, not a qualification.
        until = p.row.get("valid_until")
        if until is not None and until < self.today:
            p.reasons.append(Reason("valid_until", f"the certificate expired on {until.isoformat()}.",
                                    f"het certificaat is verlopen op {until.strftime('%d-%m-%Y')}."))

    def existing(self, keys):
        if not keys:
            return {}
        stmt = select(CERTIFICATES).where(CERTIFICATES.c.number.in_([k[0] for k in keys]))
        return {(row["number"],): dict(row) for row in db.session.execute(stmt).mappings()}

    def write(self, creates, updates):
        if creates:
            db.session.execute(insert(CERTIFICATES), [p.row for p in creates])
        for p, current, changed in updates:  # few: a register changes little between imports
            db.session.execute(update(CERTIFICATES).where(CERTIFICATES.c.id == current["id"])
                               .values({c: p.row[c] for c in changed}))


KIND = ImportKind("sterilisatie", HEADERS, CertificateImporter,
                  Text("Sterilisation certificates", "Certificaten sterilisatie"))


class SterilisationImports:
    """The plugin's hook implementation (register it as ``sterilisation``)."""

    @hookimpl
    def bekwaam_import_kinds(self):
        return [KIND]
