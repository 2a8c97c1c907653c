"""Numbers as people type them: one parser for every form and import of the core and the plugins.

A Dutch reader writes ``7,5`` and ``1.234,5``; a form field, a spreadsheet cell or
an English reader may give ``7.5``. Both mean the same number. What could mean two
numbers is refused instead of guessed: ``1.234`` is one thousand two hundred
thirty-four to a Dutch reader and one and a bit to an English one, so a single
separator followed by exactly three digits is ambiguous (``0,125`` is not: no
thousands before it). Refusing is why "7,5" can never be stored as 75: no
separator is ever dropped.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SIGN = r"[+-]?"
PLAIN = re.compile(rf"^{_SIGN}\d+$", re.ASCII)
ONE_SEPARATOR = re.compile(rf"^({_SIGN})(\d*)([.,])(\d+)$", re.ASCII)
NL_GROUPED = re.compile(rf"^{_SIGN}\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?$", re.ASCII)
EN_GROUPED = re.compile(rf"^{_SIGN}\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?$", re.ASCII)


class NumberError(ValueError):
    """A refused number, with its explanation in English (``message``) and Dutch (``message_nl``)."""

    def __init__(self, message: str, message_nl: str, kind: str = "not_a_number"):
        super().__init__(message)
        self.message = message
        self.message_nl = message_nl
        self.kind = kind  # "not_a_number", or "ambiguous" / "separators": a number, written so it could mean two

    def text(self, language: str | None) -> str:
        return self.message_nl if (language or "nl").startswith("nl") else self.message


def parse_decimal(raw) -> Decimal:
    """``"7,5"``, ``"7.5"`` -> ``Decimal("7.5")``; ``"1.234,5"`` -> ``Decimal("1234.5")``.

    Raises ``NumberError`` for empty, garbage (letters, ``NaN``, ``1e5``), an English
    thousands separator (``1,234.5``) and the ambiguous ``1.234`` / ``1,234``.
    """
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        value = _parse_text("" if raw is None else str(raw).strip())
    if not value.is_finite():
        raise _not_a_number(str(raw))
    return value


def _parse_text(text: str) -> Decimal:
    if PLAIN.match(text):
        return _decimal(text)
    one = ONE_SEPARATOR.match(text)
    if one:
        sign, whole, _separator, fraction = one.groups()
        if len(fraction) == 3 and whole and int(whole) != 0 and len(whole) <= 3:
            raise NumberError(
                f"'{text}' is ambiguous: write a decimal comma with one or two decimals (7,5), "
                "or the whole number without a separator (1234).",
                f"'{text}' is dubbelzinnig: schrijf een decimale komma met één of twee decimalen (7,5), "
                "of het hele getal zonder scheidingsteken (1234).", "ambiguous")
        return _decimal(f"{sign}{whole or '0'}.{fraction}")
    if NL_GROUPED.match(text):
        return _decimal(text.replace(".", "").replace(",", "."))
    if EN_GROUPED.match(text):
        raise NumberError(f"'{text}': write a decimal comma and no comma between thousands (1234,5).",
                          f"'{text}': schrijf een decimale komma en geen komma tussen duizendtallen (1234,5).", "separators")
    raise _not_a_number(text)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # the patterns above let only digits through; kept as the last guard
        raise _not_a_number(text) from None


def _not_a_number(text: str) -> NumberError:
    if not text:
        return NumberError("Enter a number.", "Vul een getal in.")
    return NumberError(f"'{text}' is not a number (for example 7,5).", f"'{text}' is geen getal (bijvoorbeeld 7,5).")
