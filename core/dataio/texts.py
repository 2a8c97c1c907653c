"""Import texts in two languages: English for the API, the CLI and the logs, Dutch for the page.

A ``Text`` *is* its English string (a ``str`` subclass), so everything that
appends, compares, joins or JSON-serialises a reason keeps working and still
sees exactly the English words of the interface contract. Its Dutch twin rides
along as ``.nl``. A ``Reason`` is the "field: message" shape of a rejected row;
it keeps ``field`` so the page can name the column by the header of the
user's own file rather than by the field name (``in_dutch``).

Operations that build a new string (``+``, slicing, ``.strip()``, f-strings)
give a plain English ``str``: build texts with these constructors instead.
"""
from __future__ import annotations

# How a Dutch user knows a field when their file does not name it (a column that
# is absent, or a CPD file whose headers are the English field names).
FIELD_LABELS_NL = {
    "employee_number": "Personeelsnummer",
    "name": "Naam",
    "email": "E-mail",
    "department_code": "Afdeling",
    "employment_type": "Soort dienstverband",
    "company": "Bedrijf",
    "active": "Actief",
    "start_date": "In dienst",
    "left_on": "Uit dienst",
    "manager_employee_number": "Leidinggevende",
    "asset_number": "Inventarisnummer",
    "serial_number": "Serienummer",
    "manufacturer": "Fabrikant",
    "model": "Type",
    "status": "Status",
    "technology_group": "Technologiegroep",
    "mdr_class": "MDR-klasse",
    "lifecycle_phase": "Levensfase",
    "released_on": "Vrijgegeven op",
    "role": "Rol",
    "obtained_on": "Behaald op",
    "method": "Methode",
    "assessor_number": "Beoordelaar",
    "evidence": "Bewijs",
    "expires_on": "Verloopt op",
    "date": "Datum",
    "hours": "Uren",
    "title": "Titel",
    "category": "Categorie",
}


def label_nl(field: str) -> str:
    return FIELD_LABELS_NL.get(field, field)


class Text(str):
    """An English text (the string itself) with its Dutch twin ``nl``."""

    nl: str

    def __new__(cls, en: str, nl: str):
        self = super().__new__(cls, en)
        self.nl = nl
        return self

    def __reduce__(self):  # copy and pickle keep the Dutch (str's own would call __new__ with the English only)
        return Text, (str(self), self.nl)


class Reason(Text):
    """``"field: message"`` of a rejected row: ``field`` and the Dutch message are kept apart."""

    field: str
    message_nl: str

    def __new__(cls, field: str, en: str, nl: str):
        self = super().__new__(cls, f"{field}: {en}", f"{label_nl(field)}: {nl}")
        self.field, self.message_nl = field, nl
        return self

    def __reduce__(self):
        return Reason, (self.field, str(self)[len(self.field) + 2:], self.message_nl)


def of_error(exc: Exception) -> Text:
    """The text of a parser's ``ValueError`` (raised as ``ValueError(Text(en, nl))``).

    An error raised with a plain string (not one of ours) keeps its words in both languages.
    """
    arg = exc.args[0] if len(exc.args) == 1 else None
    return arg if isinstance(arg, Text) else Text(str(exc), str(exc))


def in_dutch(text, headers: dict[str, str] | None = None) -> str:
    """The Dutch of ``text``; a reason about a field is named by ``headers[field]`` (the user's
    own column header) when the file has one. A plain ``str`` is returned as it is."""
    if isinstance(text, Reason) and headers and text.field in headers:
        return f"{headers[text.field]}: {text.message_nl}"
    return text.nl if isinstance(text, Text) else str(text)
