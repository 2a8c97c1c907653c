"""Which column holds which field: the Dutch (and English) headers known by default,
overridden by a mapping saved for a source (``ImportMapping``).

Headers are compared normalised: case, surrounding spaces, a BOM, quotes,
``_``/``-`` and repeated spaces do not matter ("E-mail" = "email" = "E mail").
"""
from __future__ import annotations

import re

# field -> headers recognised without a saved mapping (the field's own name always is).
# The core's kinds; a plugin's kind brings its own (``bekwaam_import_kinds``).
DEFAULT_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "staff": {
        "employee_number": ("personeelsnummer", "personeelsnr", "pers nr", "persnr", "medewerkernummer",
                            "registratienummer", "employee number", "employee id"),
        "name": ("naam", "volledige naam", "medewerker", "full name"),
        "email": ("e-mail", "email", "e-mailadres", "emailadres", "mail", "e-mail werk"),
        "department_code": ("afdeling", "afdelingscode", "kostenplaats", "department", "department code"),
        "employment_type": ("soort dienstverband", "dienstverband", "type dienstverband", "employment type"),
        "company": ("bedrijf", "organisatie", "werkgever", "company"),
        "active": ("actief", "in dienst actief", "active"),
        "start_date": ("in dienst", "datum in dienst", "indienstdatum", "startdatum", "start date"),
        "left_on": ("uit dienst", "datum uit dienst", "uitdienstdatum", "einddatum", "left on", "end date"),
        # The cell holds the manager's employee number. Not "manager id": the staff export's
        # manager_id column holds a database id, which means nothing in another database.
        "manager_employee_number": ("leidinggevende", "personeelsnummer leidinggevende",
                                    "leidinggevende personeelsnummer", "personeelsnr leidinggevende",
                                    "manager", "manager employee number", "manager number"),
    },
    "devices": {
        "asset_number": ("inventarisnummer", "inventarisnr", "inv nr", "invnr", "assetnummer", "asset number",
                         "asset", "equipment id"),
        "serial_number": ("serienummer", "serienr", "serial number", "serial"),
        "manufacturer": ("fabrikant", "merk", "leverancier", "manufacturer"),
        "model": ("type", "model", "typenummer", "typeaanduiding"),
        "department_code": ("afdeling", "afdelingscode", "locatie afdeling", "department", "department code"),
        "status": ("status", "toestand"),
    },
    "device-types": {
        "manufacturer": ("fabrikant", "merk", "manufacturer"),
        "model": ("model", "type", "typenummer"),
        "name": ("omschrijving", "naam", "benaming", "description", "name"),
        "technology_group": ("technologiegroep", "technologiegroep code", "technology group",
                             "technology group id", "technology_group_id"),
        "mdr_class": ("mdr-klasse", "mdr klasse", "risicoklasse", "klasse", "class", "mdr class"),
        "lifecycle_phase": ("levensfase", "fase", "levensloopfase", "lifecycle phase"),
        "released_on": ("vrijgegeven op", "vrijgave", "datum vrijgave", "released on"),
    },
    "competences": {
        "employee_number": ("personeelsnummer", "personeelsnr", "medewerkernummer", "employee number"),
        "manufacturer": ("fabrikant", "merk", "manufacturer"),
        "model": ("type", "model", "apparaattype"),
        "role": ("rol", "role"),
        "obtained_on": ("behaald op", "behaald", "datum behaald", "afgerond op", "voltooid op", "completed on",
                        "completion date", "obtained on"),
        "method": ("methode", "vorm", "method"),
        "assessor_number": ("beoordelaar", "beoordelaar personeelsnummer", "assessor", "assessor number"),
        "evidence": ("bewijs", "certificaat", "lms-id", "lms id", "registratie-id", "evidence"),
        "expires_on": ("verloopt op", "geldig tot", "vervaldatum", "expires on"),
    },
}


def normalise(header) -> str:
    value = "" if header is None else str(header)
    value = value.replace("\ufeff", "").strip().strip('"').strip("'").lower()
    return re.sub(r"[\s_\-]+", " ", value).strip()


def resolve(headers: dict[str, tuple[str, ...]], header: list,
            saved: dict[str, str] | None = None) -> tuple[dict[int, str], list[str]]:
    """(column index -> field, ignored headers) of a kind with these default ``headers``.

    A saved mapping wins over the defaults; a field claimed by two columns keeps
    the first (the second is listed as ignored)."""
    known = {}
    for field, words in headers.items():
        for word in (field, *words):
            known.setdefault(normalise(word), field)
    for source, field in (saved or {}).items():
        known[normalise(source)] = field
    columns, ignored, taken = {}, [], set()
    for index, raw in enumerate(header):
        field = known.get(normalise(raw))
        if field is None or field in taken:
            if normalise(raw):
                ignored.append(str(raw).replace("\ufeff", "").strip())
            continue
        columns[index] = field
        taken.add(field)
    return columns, ignored
