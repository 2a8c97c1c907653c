"""Parsing one cell: dates (ISO, Dutch dd-mm-jjjj, Excel serials), booleans, Dutch enum words.

Each parser takes the raw cell (a str from CSV, or a str/int/float/date from
XLSX) and returns the value or raises ``ValueError`` with a message meant for
the person who fixes the file: a ``Text``, English with its Dutch as ``.nl``
(``texts.of_error`` reads it back).
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from core.dataio.texts import Text
from core.numbers import NumberError, parse_decimal
from core.schemas import FIRST_DAY, LAST_DAY

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system (it counts the non-existent 29 Feb 1900)
EXCEL_SERIAL_RANGE = (1, 2958465)     # 1900-01-01 .. 9999-12-31
DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
SERIAL = re.compile(r"^\d{1,7}(?:[.,]0+)?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def text(raw) -> str:
    """The cell as trimmed text ('' for empty); integral floats lose their '.0'."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.isoformat()
    return str(raw).strip()


def is_empty(raw) -> bool:
    return text(raw) == ""


def parse_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _serial(raw, raw)
    value = text(raw)
    match = ISO_DATE.match(value)
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
        match = DUTCH_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueError(Text(f"'{value}' is not an existing date.",
                              f"'{value}' is geen bestaande datum.")) from None
    if SERIAL.match(value):
        return _serial(float(value.replace(",", ".")), value)
    raise ValueError(_not_a_date(value))


def parse_day(raw) -> dt.date:
    """A domain date (``parse_date``) between the core's bounds ``FIRST_DAY`` and ``LAST_DAY``."""
    day = parse_date(raw)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(Text(f"{day.isoformat()} must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}.",
                              f"{day.strftime('%d-%m-%Y')} moet tussen {FIRST_DAY.strftime('%d-%m-%Y')} en "
                              f"{LAST_DAY.strftime('%d-%m-%Y')} liggen."))
    return day


def _not_a_date(shown) -> Text:
    return Text(f"'{shown}' is not a date (use dd-mm-jjjj, YYYY-MM-DD or an Excel date).",
                f"'{shown}' is geen datum (gebruik dd-mm-jjjj, jjjj-mm-dd of een Excel-datum).")


def _serial(number, shown) -> dt.date:
    if number != int(number) or not EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        raise ValueError(_not_a_date(shown))
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


TRUE = {"1", "ja", "j", "yes", "y", "true", "waar", "actief", "active", "x"}
FALSE = {"0", "nee", "n", "no", "false", "onwaar", "inactief", "inactive", "niet actief"}


def parse_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    value = text(raw).lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError(Text(f"'{text(raw)}' is not ja/nee (yes/no).", f"'{text(raw)}' is geen ja of nee."))


def parse_int(raw, low: int, high: int) -> int:
    value = text(raw)
    try:
        # a number cell is a number; typed text goes through the one parser ("7,0" and "7.0" alike)
        exact = Decimal(value) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parse_decimal(value)
        number = int(exact)
        if exact != number:
            raise InvalidOperation
    except (InvalidOperation, ValueError, OverflowError):
        raise ValueError(Text(f"'{value}' is not a whole number.", f"'{value}' is geen geheel getal.")) from None
    if not low <= number <= high:
        raise ValueError(Text(f"{number} is not between {low} and {high}.",
                              f"{number} ligt niet tussen {low} en {high}."))
    return number


def parse_hours(raw, maximum: Decimal) -> Decimal:
    """Hours with at most two decimals; a Dutch decimal comma is accepted ("1,5", "1.234,5")."""
    value = text(raw)
    try:
        # A spreadsheet's number cell is a number already; typed text goes through the one parser
        # ("7,5", "7.5" and "1.234,5"; the ambiguous "1.234" is refused, never guessed).
        number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        hours = parse_decimal(Decimal(value) if number else value)
    except NumberError as exc:
        why = ("", "") if exc.kind == "not_a_number" else (f" {exc.message}", f" {exc.message_nl}")
        raise ValueError(Text(f"'{value}' is not a number of hours.{why[0]}",
                              f"'{value}' is geen aantal uren.{why[1]}")) from None
    if hours <= 0 or hours > maximum:
        raise ValueError(Text(f"{value} must be more than 0 and at most {maximum}.",
                              f"{value} moet meer dan 0 en hoogstens {_dutch_number(maximum)} zijn."))
    if hours.as_tuple().exponent < -2:
        raise ValueError(Text(f"{value} has more than two decimals.", f"{value} heeft meer dan twee decimalen."))
    return hours.quantize(Decimal("0.01"))


def _dutch_number(number: Decimal) -> str:
    return str(number).replace(".", ",")  # a decimal comma, as the cells themselves may have


def parse_email(raw) -> str:
    value = text(raw)
    if len(value) > 254 or not EMAIL.match(value):
        raise ValueError(Text(f"'{value}' is not an e-mail address.", f"'{value}' is geen e-mailadres."))
    return value


def choice(words: dict[str, str], what: str, what_nl: str, allowed_nl: tuple[str, ...]):
    """A parser accepting the code names and their Dutch/English words (case-insensitive).

    ``what_nl`` and ``allowed_nl`` (one accepted Dutch word per code) are for the Dutch message."""
    lookup = {k.lower(): v for k, v in words.items()}
    allowed = ", ".join(sorted(set(words.values())))

    def parse(raw) -> str:
        value = text(raw)
        key = re.sub(r"\s+", " ", value.lower().replace("_", " "))
        if key in lookup:
            return lookup[key]
        raise ValueError(Text(f"'{value}' is not a known {what} ({allowed}).",
                              f"'{value}' is geen bekende {what_nl} (kies uit: {_or(allowed_nl)})."))
    parse.allowed_nl = allowed_nl  # the tests check that each is accepted
    return parse


def _or(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} of {words[-1]}"


def _words(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {}
    for code, words in pairs.items():
        found[code.replace("_", " ")] = code
        for word in words:
            found[word] = code
    return found


EMPLOYMENT_TYPE = choice(_words({
    "internal": ("intern", "in dienst", "loondienst", "vast", "tijdelijk", "employee", "medewerker"),
    "external": ("extern", "inhuur", "ingehuurd", "uitzendkracht", "uitzend", "gedetacheerd", "detachering",
                 "zzp", "zzp'er", "leverancier", "vendor", "contractor"),
}), "employment type", "soort dienstverband", ("intern", "extern"))

DEVICE_STATUS = choice(_words({
    "in_use": ("in gebruik", "gebruik", "actief", "active", "operationeel"),
    "in_repair": ("in reparatie", "reparatie", "defect", "in onderhoud", "repair"),
    "in_storage": ("in opslag", "opslag", "reserve", "storage"),
    "decommissioned": ("afgevoerd", "buiten gebruik", "uit gebruik", "afgeschreven", "retired"),
}), "device status", "status", ("in gebruik", "in reparatie", "in opslag", "afgevoerd"))

COMPETENCE_ROLE = choice(_words({
    "user": ("gebruiker", "eindgebruiker"),
    "key_user": ("key-user", "keyuser", "sleutelgebruiker", "superuser", "super user", "super-user"),
    "technician": ("technicus", "monteur", "medisch technicus", "engineer"),
    "trainer": ("instructeur", "opleider", "docent"),
}), "role", "rol", ("gebruiker", "key user", "technicus", "trainer"))

METHOD = choice(_words({
    "instruction": ("instructie", "gebruikersinstructie", "e-learning", "elearning"),
    "training": ("scholing", "cursus", "opleiding"),
    "training_and_assessment": ("training en toetsing", "training + toetsing", "training + assessment",
                                "training en assessment", "training and assessment", "toetsing", "assessment",
                                "praktijktoets", "examen"),
}), "method", "methode", ("instructie", "training", "training en toetsing"))


def parse_mdr_class(raw) -> str:
    from core.devices.models import DEVICE_CLASSES

    value = text(raw)
    key = re.sub(r"^(mdr|ivdr)?[- ]?(klasse|class)?\s*", "", value, flags=re.I).strip()
    for code in DEVICE_CLASSES:
        if key.lower() == code.lower():
            return code
    raise ValueError(Text(f"'{value}' is not an MDR class (I, IIa, IIb, III) or IVDR class (A, B, C, D).",
                          f"'{value}' is geen MDR-klasse (I, IIa, IIb, III) en geen IVDR-klasse (A, B, C, D)."))
