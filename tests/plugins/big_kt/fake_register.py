"""A local stand-in for the CIBG BIG-register SOAP service (``ListHcpApprox4``).

Runs ``http.server`` in a thread on 127.0.0.1, port 0, and answers like the
real service (see ``plugins/big_kt/register.py`` for the shape). Set ``mode``
to make it misbehave::

    with FakeRegister() as fake:
        fake.add_person("19012345601", start=date(2020, 7, 1))
        fake.mode = "timeout"   # ok | timeout | empty | malformed | fault | http500
        BigRegisterClient(fake.url, timeout=0.3).lookup("19012345601")

Every request is kept in ``fake.requests`` as ``(soap_action, body)``.
"""
from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
CIBG_NS = "http://services.cibg.nl/ExternalUser"
MODES = ("ok", "timeout", "empty", "malformed", "fault", "http500")


@dataclass
class FakeMeasure:
    description: str
    start: date
    end: date | None = None
    number: str | None = None  # the registration it belongs to; default the person's


@dataclass
class FakePerson:
    big_number: str
    surname: str = "Jansen"
    # (profession code, big number, start, end): a person may hold several
    registrations: list[tuple[str, str, date, date | None]] = field(default_factory=list)
    judgments: list[FakeMeasure] = field(default_factory=list)
    limitations: list[FakeMeasure] = field(default_factory=list)


class FakeRegister:
    """The fake service; use as a context manager so socket and thread close."""

    def __init__(self, hang_seconds: float = 5.0) -> None:
        self.mode = "ok"
        self.hang_seconds = hang_seconds
        self.people: list[FakePerson] = []
        self.requests: list[tuple[str | None, bytes]] = []
        self._release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/zksrv/soap/4"

    def add_person(
        self,
        big_number: str,
        start: date,
        end: date | None = None,
        profession_code: str = "82",
        judgments: list[FakeMeasure] | None = None,
        limitations: list[FakeMeasure] | None = None,
    ) -> FakePerson:
        person = FakePerson(
            big_number,
            registrations=[(profession_code, big_number, start, end)],
            judgments=list(judgments or []),
            limitations=list(limitations or []),
        )
        self.people.append(person)
        return person

    def __enter__(self) -> FakeRegister:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()  # wake handlers that are "hanging"
        self._server.shutdown()
        self._server.server_close()  # joins the request threads
        self._thread.join(timeout=5)

    # -- answers ------------------------------------------------------------

    def answer(self, body: bytes) -> tuple[int, bytes]:
        """Status and body for a request, according to ``mode``."""
        if self.mode == "empty":
            return 200, b""
        if self.mode == "malformed":
            return 200, b"<soap:Envelope><soap:Body><ListHcpApprox4Result>"
        if self.mode == "fault":
            return 500, _fault("Server was unable to process request.")
        if self.mode == "http500":
            return 500, b"<html><body>Internal Server Error</body></html>"
        number = _requested_number(body)
        if number is None:
            return 500, _fault("Server was unable to read request.")
        found = [p for p in self.people if any(r[1] == number for r in p.registrations)]
        return 200, _envelope("".join(_person_xml(p) for p in found))

    def hang(self) -> None:
        self._release.wait(self.hang_seconds)


class _Server(ThreadingHTTPServer):
    """One thread per request, so a hanging answer does not hold up the next one."""

    daemon_threads = False  # server_close() waits for them: nothing outlives a test
    fake: FakeRegister

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout) is expected, not an error


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fake.requests.append((self.headers.get("SOAPAction"), body))
        if fake.mode == "timeout":
            fake.hang()
            return
        status, answer = fake.answer(body)
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args) -> None:
        pass  # keep test output clean


def _requested_number(body: bytes) -> str | None:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    found = root.find(
        f"{{{SOAP_ENV_NS}}}Body/{{{CIBG_NS}}}listHcpApproxRequest/{{{CIBG_NS}}}RegistrationNumber"
    )
    return None if found is None else (found.text or "").strip()


def _dt(day: date | None) -> str:
    return f"{(day or date(1, 1, 1)).isoformat()}T00:00:00"


def _nillable(tag: str, day: date | None) -> str:
    if day is None:
        return f'<{tag} xsi:nil="true" />'
    return f"<{tag}>{_dt(day)}</{tag}>"


def _person_xml(p: FakePerson) -> str:
    registrations = "".join(
        "<ArticleRegistrationExtApp>"
        f"<ArticleRegistrationNumber>{number}</ArticleRegistrationNumber>"
        f"<ArticleRegistrationStartDate>{_dt(start)}</ArticleRegistrationStartDate>"
        f"<ArticleRegistrationEndDate>{_dt(end)}</ArticleRegistrationEndDate>"
        f"<ProfessionalGroupCode>{code}</ProfessionalGroupCode>"
        "</ArticleRegistrationExtApp>"
        for code, number, start, end in p.registrations
    )
    judgments = "".join(
        "<JudgmentProvisionExtApp>"
        f"<ArticleNumber>{m.number or p.big_number}</ArticleNumber><Id>{i}</Id>"
        f"<StartDate>{_dt(m.start)}</StartDate>"
        f"<PublicDescription>{escape(m.description)}</PublicDescription>"
        f"{_nillable('EndDate', m.end)}<Public>true</Public>"
        "</JudgmentProvisionExtApp>"
        for i, m in enumerate(p.judgments, 1)
    )
    limitations = "".join(
        "<LimitationExtApp>"
        f"<LimitationId>{i}</LimitationId>"
        f"<ArticleRegistrationNumber>{m.number or p.big_number}</ArticleRegistrationNumber>"
        "<CompetenceRegistrationId>0</CompetenceRegistrationId><TypeLimitationId>1</TypeLimitationId>"
        f"<Description>{escape(m.description)}</Description>"
        f"<StartDate>{_dt(m.start)}</StartDate>{_nillable('EndDate', m.end)}"
        '<ExpirationEndDate xsi:nil="true" /><MonthsValid>0</MonthsValid><YearsValid>0</YearsValid>'
        "</LimitationExtApp>"
        for i, m in enumerate(p.limitations, 1)
    )
    return (
        "<ListHcpApprox4>"
        f"<BirthSurname>{escape(p.surname)}</BirthSurname>"
        f"<MailingName>J. {escape(p.surname)}</MailingName><Initial>J.</Initial><Gender>V</Gender>"
        f"<ArticleRegistration>{registrations}</ArticleRegistration>"
        "<Specialism /><Mention />"
        f"<JudgmentProvision>{judgments}</JudgmentProvision>"
        f"<Limitation>{limitations}</Limitation>"
        "</ListHcpApprox4>"
    )


def _envelope(people: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        "<soap:Body>"
        f'<ListHcpApprox4Result xmlns="{CIBG_NS}">'
        f"<ListHcpApprox>{people}</ListHcpApprox>"
        "</ListHcpApprox4Result>"
        "</soap:Body></soap:Envelope>"
    ).encode("utf-8")


def _fault(reason: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}"><soap:Body><soap:Fault>'
        "<faultcode>soap:Server</faultcode>"
        f"<faultstring>{escape(reason)}</faultstring><detail />"
        "</soap:Fault></soap:Body></soap:Envelope>"
    ).encode("utf-8")
