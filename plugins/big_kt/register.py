"""Client for the public BIG register (CIBG) and comparison with the local entry.

The register's SOAP 1.1 service ``PublicV4`` offers the document/literal
operation ``ListHcpApprox4`` (shape taken from the published WSDL as kept in
github.com/waarneembemiddeling/bigregister-soap, ``resources/bigregister.wsdl``):

- namespace ``http://services.cibg.nl/ExternalUser``;
- SOAPAction ``http://services.cibg.nl/ExternalUser/ListHcpApprox4``;
- request body ``<listHcpApproxRequest>`` with ``WebSite`` (required, ``Ribiz``)
  and the search fields, here only ``RegistrationNumber``;
- answer ``<ListHcpApprox4Result><ListHcpApprox><ListHcpApprox4>…``, each
  ``ListHcpApprox4`` a person with ``ArticleRegistration/ArticleRegistrationExtApp``
  (``ArticleRegistrationNumber``, ``ArticleRegistrationStartDate``,
  ``ArticleRegistrationEndDate``, ``ProfessionalGroupCode``),
  ``JudgmentProvision/JudgmentProvisionExtApp`` (``ArticleNumber``, ``StartDate``,
  ``EndDate``, ``PublicDescription``) and ``Limitation/LimitationExtApp``
  (``ArticleRegistrationNumber``, ``Description``, ``StartDate``, ``EndDate``);
  an end date ``0001-01-01T00:00:00`` (or ``xsi:nil``) means none.

The endpoint is configuration (the WSDL names ``http://webservices.cibg.nl/Ribiz/
OpenbaarV4.asmx``; newer clients use ``https://api.bigregister.nl/zksrv/soap/4``).
Tests run against ``tests/plugins/big_kt/fake_register.py``, never the real one.

Nothing here logs a BIG number.
"""
from __future__ import annotations

import http.client
import logging
import re
import socket
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, NoReturn

from plugins.big_kt.rules import Registration, registration_effective_on, restriction_applies, valid_big_number

log = logging.getLogger(__name__)

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CIBG_NS = "http://services.cibg.nl/ExternalUser"
SOAP_ACTION = "http://services.cibg.nl/ExternalUser/ListHcpApprox4"
DEFAULT_URL = "https://api.bigregister.nl/zksrv/soap/4"

# ProfessionalGroupCode of the klinisch technoloog in the register: "82"
# ("Klinisch technologen" in the RIBIZ reference list kept by
# waarneembemiddeling/bigregister-soap, src/Wb/BigRegister/ProfessionalGroup.php;
# also 82.000 in the Dutch UZI/Vektis profession code list).
KT_PROFESSION_CODE = "82"

_NO_DATE = "0001-01-01"
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_MAX_BODY = 2_000_000  # one person's record is a few kB


class RegisterError(Exception):
    """The BIG register could not give a usable answer."""


class RegisterUnavailable(RegisterError):
    """No answer: timeout, connection refused or reset, HTTP error."""


class RegisterBadAnswer(RegisterError):
    """An answer that cannot be used: empty, not XML, a SOAP fault, unexpected shape."""


class ArticleRegistration(NamedTuple):
    """A registration (artikel-3 inschrijving) in one profession."""

    profession_code: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Measure:
    """A judgment provision (maatregel: suspension, strike-off …) or a limitation."""

    description: str
    start: date | None
    end: date | None

    def in_force(self, on: date) -> bool:
        """The end date is the last day it applies (as for local restrictions)."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class RegisterRecord:
    """What the register says about one BIG number."""

    big_number: str
    article_registrations: tuple[ArticleRegistration, ...]
    judgment_provisions: tuple[Measure, ...] = ()
    limitations: tuple[Measure, ...] = ()

    def kt_registration(self) -> ArticleRegistration | None:
        """The registration as klinisch technoloog (the latest, if several)."""
        kt = [a for a in self.article_registrations if a.profession_code == KT_PROFESSION_CODE]
        return max(kt, key=lambda a: a.start or date.min) if kt else None


# ------------------------------------------------------------------------ client


class BigRegisterClient:
    """Looks up one BIG number with ``ListHcpApprox4``."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 10) -> None:
        self.url = url
        self.timeout = timeout

    def lookup(self, big_number: str) -> RegisterRecord | None:
        """The register's record for ``big_number``, or ``None`` when it has none.

        Raises :class:`RegisterUnavailable` or :class:`RegisterBadAnswer`.
        """
        body = self._post(request_envelope(big_number))  # ValueError on a bad number
        return parse_response(body, big_number)

    def _post(self, payload: bytes) -> bytes:
        request = urllib.request.Request(
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "text/xml; charset=utf-8",
                "SOAPAction": f'"{SOAP_ACTION}"',
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(_MAX_BODY)
        except urllib.error.HTTPError as exc:
            with exc:
                self._raise_http_error(exc)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise self._timeout() from None
            log.warning("BIG register unreachable: %s", type(exc.reason).__name__)
            raise RegisterUnavailable("BIG register unreachable (connection failed).") from None
        except (TimeoutError, socket.timeout):
            raise self._timeout() from None
        except (OSError, http.client.HTTPException) as exc:
            log.warning("BIG register connection error: %s", type(exc).__name__)
            raise RegisterUnavailable("BIG register connection failed while reading the answer.") from None

    def _timeout(self) -> RegisterUnavailable:
        log.warning("BIG register timed out after %s s", self.timeout)
        return RegisterUnavailable(f"BIG register did not answer within {self.timeout:g} s.")

    def _raise_http_error(self, exc: urllib.error.HTTPError) -> NoReturn:
        """SOAP 1.1 sends a fault with HTTP 500: report the fault, else the status."""
        try:
            body = exc.read(_MAX_BODY)
        except (OSError, http.client.HTTPException):
            body = b""
        fault = _fault_text(body)
        if fault is not None:
            log.warning("BIG register SOAP fault (HTTP %s)", exc.code)
            raise RegisterBadAnswer(f"BIG register answered with a SOAP fault: {fault}") from None
        log.warning("BIG register HTTP error %s", exc.code)
        raise RegisterUnavailable(f"BIG register answered HTTP {exc.code}.") from None


# ---------------------------------------------------------------- request/answer


def request_envelope(big_number: str) -> bytes:
    """The SOAP 1.1 request for one registration number (validated digits only)."""
    if not valid_big_number(big_number):
        raise ValueError("a BIG number is exactly 11 digits")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}">'
        "<soap:Body>"
        f'<listHcpApproxRequest xmlns="{CIBG_NS}">'
        "<WebSite>Ribiz</WebSite>"
        f"<RegistrationNumber>{big_number}</RegistrationNumber>"
        "</listHcpApproxRequest>"
        "</soap:Body>"
        "</soap:Envelope>"
    ).encode("utf-8")


def parse_response(body: bytes, big_number: str) -> RegisterRecord | None:
    """Parse a ``ListHcpApprox4`` answer; ``None`` when no person holds ``big_number``."""
    root = _parse_xml(body)
    fault = _find_fault(root)
    if fault is not None:
        raise RegisterBadAnswer(f"BIG register answered with a SOAP fault: {fault}")
    result = root.find(f".//{{{CIBG_NS}}}ListHcpApprox4Result")
    if result is None:
        raise RegisterBadAnswer("BIG register answer has no ListHcpApprox4Result.")
    for person in result.iter(f"{{{CIBG_NS}}}ListHcpApprox4"):
        record = _person_record(person, big_number)
        if record is not None:
            return record
    return None


def _parse_xml(body: bytes) -> ET.Element:
    if not body or not body.strip():
        raise RegisterBadAnswer("BIG register sent an empty answer.")
    try:
        return ET.fromstring(body)
    except ET.ParseError:
        raise RegisterBadAnswer("BIG register answer is not well-formed XML.") from None


def _person_record(person: ET.Element, big_number: str) -> RegisterRecord | None:
    """The person's registrations under ``big_number``; ``None`` if they hold none."""
    registrations = []
    for item in person.iter(f"{{{CIBG_NS}}}ArticleRegistrationExtApp"):
        if _number(_text(item, "ArticleRegistrationNumber")) != big_number:
            continue
        registrations.append(ArticleRegistration(
            profession_code=_text(item, "ProfessionalGroupCode") or "",
            start=_date(item, "ArticleRegistrationStartDate"),
            end=_date(item, "ArticleRegistrationEndDate"),
        ))
    if not registrations:
        return None
    return RegisterRecord(
        big_number=big_number,
        article_registrations=tuple(registrations),
        judgment_provisions=_measures(person, "JudgmentProvisionExtApp", "ArticleNumber",
                                      "PublicDescription", big_number),
        limitations=_measures(person, "LimitationExtApp", "ArticleRegistrationNumber",
                              "Description", big_number),
    )


def _measures(person: ET.Element, tag: str, number_tag: str, text_tag: str,
              big_number: str) -> tuple[Measure, ...]:
    measures = []
    for item in person.iter(f"{{{CIBG_NS}}}{tag}"):
        number = _number(_text(item, number_tag))
        if number and number != big_number:
            continue  # belongs to the person's registration in another profession
        measures.append(Measure(
            description=(_text(item, text_tag) or "").strip(),
            start=_date(item, "StartDate"),
            end=_date(item, "EndDate"),
        ))
    return tuple(measures)


def _text(item: ET.Element, tag: str) -> str | None:
    child = item.find(f"{{{CIBG_NS}}}{tag}")
    return None if child is None or child.text is None else child.text.strip()


def _number(value: str | None) -> str | None:
    """``ArticleRegistrationNumber`` is an xs:decimal: accept ``19012345601.0``."""
    if not value:
        return None
    whole = value.split(".", 1)[0]
    return whole.zfill(11) if whole.isdigit() else None


def _date(item: ET.Element, tag: str) -> date | None:
    child = item.find(f"{{{CIBG_NS}}}{tag}")
    if child is None or child.get(_XSI_NIL) == "true" or not (child.text or "").strip():
        return None
    value = child.text.strip()
    if value.startswith(_NO_DATE):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RegisterBadAnswer(f"BIG register answer has an invalid date in {tag}.") from None


def _fault_text(body: bytes) -> str | None:
    try:
        root = ET.fromstring(body) if body and body.strip() else None
    except ET.ParseError:
        return None
    return None if root is None else _find_fault(root)


def _find_fault(root: ET.Element) -> str | None:
    """The fault's text (SOAP 1.1 ``faultstring`` or 1.2 ``Reason/Text``), if any."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "Fault":
            texts = [
                (e.text or "").strip()
                for e in element.iter()
                if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] in ("faultstring", "Text")
            ]
            return _redact(next((t for t in texts if t), "no reason given"))
    return None


def _redact(text: str) -> str:
    """A fault may echo the request: mask digit runs so no BIG number leaks."""
    return re.sub(r"\d{6,}", "…", text)[:200]


# --------------------------------------------------------------------- compare


@dataclass(frozen=True)
class Difference:
    """A field on which the local entry and the register disagree."""

    field: str
    local: str | None
    remote: str | None


def compare(local: Registration, remote: RegisterRecord | None, today: date) -> list[Difference]:
    """Differences between the local entry and the register, as they stand ``today``.

    Compared: presence of a KT registration, its date, whether it is active or
    ended, judgment provisions (suspension, strike-off) and limitations. A
    suspension keeps the registration active; a strike-off ends it.
    """
    kt = remote.kt_registration() if remote is not None else None
    if kt is None:
        return [Difference("registration", "present", "absent")]
    diffs = [
        _registered_on(local, kt),
        _active(local, kt, today),
        _judgment(local, remote, today),
        _limitation(local, remote, today),
    ]
    return [d for d in diffs if d is not None]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _registered_on(local: Registration, kt: ArticleRegistration) -> Difference | None:
    # A decision taken before 1 July 2020 took effect on that day (Besluit
    # klinisch technoloog, art. 6); the register may show either date.
    if kt.start in (local.registered_on, registration_effective_on(local)):
        return None
    return Difference("registered_on", _iso(local.registered_on), _iso(kt.start))


def _active(local: Registration, kt: ArticleRegistration, today: date) -> Difference | None:
    local_active = local.status != "struck_off"
    remote_active = kt.end is None or today <= kt.end
    if local_active == remote_active:
        return None
    remote = "active" if remote_active else f"ended {kt.end.isoformat()}"
    return Difference("active", "active" if local_active else "ended", remote)


def _judgment(local: Registration, remote: RegisterRecord, today: date) -> Difference | None:
    local_measure = local.status in ("suspended", "struck_off")
    in_force = [m for m in remote.judgment_provisions if m.in_force(today)]
    if local_measure == bool(in_force):
        return None
    return Difference(
        "judgment_provisions",
        local.status if local_measure else None,
        "; ".join(m.description or "measure without description" for m in in_force) or None,
    )


def _limitation(local: Registration, remote: RegisterRecord, today: date) -> Difference | None:
    local_restricted = restriction_applies(local, today)
    in_force = [m for m in remote.limitations if m.in_force(today)]
    if local_restricted == bool(in_force):
        return None
    return Difference(
        "limitations",
        (local.restriction or "restricted") if local_restricted else None,
        "; ".join(m.description or "limitation without description" for m in in_force) or None,
    )
