"""The main pages as a Dutch user reads them, over the demo hospital: no English, no ISO dates,
no internal codes in the visible text (attributes, inputs, scripts and styles are not read)."""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.conftest import migrated_app
from tests.web.conftest import login_as
from tests.web.test_accessibility import ANONYMOUS, PAGES, USERS, demo_ids

# English a Dutch page must not show (each seen on a Dutch page before it was translated).
ENGLISH = ("The ", " not ", "expired", "Holds no role", "phase ", "Role '", "may not", "No B ", "released on",
           "Not yet employed", "Left the hospital", " competence ", "certified", "requires", "Requirement")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Visible words that are not codes although they look like one (none yet): keep this list empty or explained.
ALLOWED_SNAKE: set[str] = set()


class VisibleText(HTMLParser):
    """The text a reader sees: no attributes, no script/style, no input values, no <time datetime>."""

    SKIP = {"script", "style", "template", "textarea", "option"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from core.alerts.services import run_day
    from core.auth.models import User
    from core.demo import load_demo
    from core.devices.models import DeviceType
    from core.tvb.models import Activity
    from plugins.vzi_mt.models import CpdActivity
    folder = tmp_path_factory.mktemp("dutch")
    app = migrated_app("sqlite:///" + str(folder / "demo.sqlite"))
    with app.app_context():
        load_demo()
        run_day(dt.date.today(), manual=True)  # the alert inbox and the dashboard's boxes, as the daily job
        admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
        technician = db.session.scalar(select(User).where(User.role == "technician").order_by(User.id))
        with_cpd = db.session.scalar(select(CpdActivity.staff_id).order_by(CpdActivity.id))
        ids = {"admin": admin.id, "technician": technician.id, "staff": technician.staff_id, "cpd_staff": with_cpd,
               "device_types": list(db.session.scalars(select(DeviceType.id).order_by(DeviceType.id).limit(5))),
               "activity": db.session.scalar(select(Activity.id).order_by(Activity.id))}
        # one activity per plugin that checks it, so every plugin's reasons are read in Dutch
        activities = list(db.session.scalars(select(Activity).order_by(Activity.id)))
        ids["activities"] = sorted({ids["activity"]} | {
            next((a.id for a in activities if plugin in (a.requirements or {})), ids["activity"])
            for plugin in ("leidraad", "vzi_mt", "big_kt")})
        db.session.remove()
    yield app, ids
    with app.app_context():
        db.engine.dispose()


def pages(ids) -> list[str]:
    paths = ["/", "/staff", f"/staff/{ids['staff']}", f"/staff/{ids['cpd_staff']}", "/device-types",
             "/alerts", "/alerts?state=acknowledged", "/audit", "/imports",
             f"/staff/{ids['staff']}/can-perform?activity_id={ids['activity']}"]
    for device_type in ids["device_types"]:
        paths.append(f"/device-types/{device_type}")
        for activity in ids["activities"]:
            paths += [f"/device-types/{device_type}/authorised?activity_id={activity}&include_refused=1",
                      f"/staff/{ids['staff']}/can-perform?activity_id={activity}&device_type_id={device_type}"]
    return paths


def problems(text: str) -> list[str]:
    found = [f"English {word!r}" for word in ENGLISH if word in text]
    found += [f"ISO date {m}" for m in ISO_DAY.findall(text)]
    found += [f"code {m}" for m in SNAKE_CODE.findall(text) if m not in ALLOWED_SNAKE]
    return found


def test_the_demo_asks_every_plugin(demo):
    assert len(demo[1]["activities"]) >= 3


def test_the_checker_finds_what_it_looks_for():
    html = ('<p>The device type was released on 2026-11-30 (no_pri)</p><input value="2026-11-30">'
            '<time datetime="2026-11-30">30-11-2026</time><p>Vrijgegeven op 30-11-2026, 1.234,5 uur</p>')
    text = visible(html)
    assert problems(text) == ["English 'The '", "English 'released on'", "ISO date 2026-11-30", "code no_pri"]
    assert problems(visible("<p>Vrijgegeven op 30-11-2026</p><input value='2026-11-30'>")) == []


@pytest.mark.parametrize("role", ["admin", "technician"])
def test_the_main_pages_are_dutch_through_and_through(demo, role):
    app, ids = demo
    client = app.test_client()
    login_as(client, ids[role])
    with client.session_transaction() as session:
        session["locale"] = "nl"
    failures = {}
    for path in pages(ids):
        response = client.get(path, headers={"HX-Request": "true"} if "/authorised" in path or "can-perform" in path
                              else {})
        if response.status_code in (403, 404) and role != "admin":
            continue  # a page this role may not open; its own error page is tested in test_dutch_messages
        assert response.status_code == 200, (path, response.status_code)
        found = problems(visible(response.get_data(as_text=True)))
        if found:
            failures[path] = sorted(set(found))[:12]
    assert failures == {}


# ------------------------------------------------------------ every page of the accessibility list


@pytest.fixture(scope="module")
def every_page(demo):
    """The accessibility list's pages and each role's demo user, over this module's demo hospital."""
    from core.auth.models import User
    app, _ids = demo
    ids = demo_ids({"app": app})
    with app.app_context():
        users = {role: db.session.scalar(select(User.id).where(User.email == email)) for role, email in USERS.items()}
        db.session.remove()
    return app, ids, users


@pytest.mark.parametrize("role", [*USERS, ANONYMOUS])
def test_every_page_of_the_accessibility_list_is_dutch(every_page, role):
    app, ids, users = every_page
    client = app.test_client()
    if role != ANONYMOUS:
        login_as(client, users[role])
    with client.session_transaction() as session:
        session["locale"] = "nl"
    failures = {}
    for page in PAGES:
        if role not in page.roles:
            continue
        path = page.path.format(**ids)
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == page.status, (role, path, response.status_code)
        found = problems(visible(response.get_data(as_text=True)))
        if found:
            failures[path] = sorted(set(found))[:12]
    assert failures == {}


# ------------------------------------------------------------ refusals of the services, in Dutch

FALLBACK = "niet geaccepteerd"
# Modules that answer machines only (the API's JSON stays English) or hold the error machinery itself.
MACHINE_MODULES = ("api.py", "scim_api.py", "cli.py", "crud.py", "errors.py")
DOMAIN_ERRORS = {"Invalid", "NotFound", "NotAllowed", "Conflict", "DomainError", "field_errors"}


def english_field_messages(source: str) -> list[int]:
    """Lines where a refusal names a field with a bare string: no Dutch travels with it to a page."""
    import ast

    def name(node):
        return getattr(node, "id", None) or getattr(node, "attr", None)

    def bare(messages) -> list[int]:
        items = messages.elts if isinstance(messages, (ast.List, ast.Tuple)) else [messages]
        return [item.lineno for item in items
                if isinstance(item, (ast.Constant, ast.JoinedStr, ast.BinOp))
                or (isinstance(item, ast.IfExp) and bare(ast.List(elts=[item.body, item.orelse])))]

    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and name(node.func) in DOMAIN_ERRORS):
            continue
        errors = node.args[0] if node.args and name(node.func) in ("Invalid", "field_errors") else None
        errors = next((kw.value for kw in node.keywords if kw.arg == "errors"), errors)
        if isinstance(errors, ast.Dict):
            lines += [line for value in errors.values for line in bare(value)]
        elif isinstance(errors, ast.DictComp):
            lines += bare(errors.value)
    return lines


def test_the_scan_for_english_field_messages_finds_them():
    assert english_field_messages(
        'raise Invalid({"a": ["English."], "b": [f"No {x}."], "c": [FieldMessage("E.", "N.")]})\n'
        'raise Conflict("m", errors={k: ["Already in use."] for k in ks})\n'
        'field_errors({"d": [FieldMessage("E.", "N.") if x else "Choose."]})\n') == [1, 1, 2, 3]


def test_every_field_message_of_a_service_carries_its_dutch():
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[2]
    found = {}
    for path in sorted([*root.glob("core/**/*.py"), *root.glob("plugins/**/*.py")]):
        if path.name in MACHINE_MODULES or "migrations" in path.parts:
            continue
        lines = english_field_messages(path.read_text(encoding="utf-8"))
        if lines:
            found[str(path.relative_to(root))] = lines
    assert found == {}, "raise Invalid({field: [FieldMessage(english, dutch)]}) instead of a bare string"


def test_the_big_rules_give_their_field_messages_in_dutch():
    """The rules build their refusals as data (the services raise them): every message carries Dutch."""
    from dataclasses import replace
    from decimal import Decimal

    from plugins.big_kt import rules as r
    today = dt.date(2025, 6, 15)
    base = r.Registration(big_number="123", registered_on=dt.date(2026, 1, 1), diploma_on=dt.date(2026, 2, 1),
                          status="retired", restricted_procedures=frozenset({"zz"}), restriction_from=dt.date(2019, 1, 1),
                          restriction_until=dt.date(2018, 1, 1))
    produced = [
        r.registration_errors(base, today),
        r.registration_errors(replace(base, status="restricted", foreign_diploma=True, registered_on=None,
                                      diploma_on=None), today),
        r.registration_errors(replace(base, foreign_diploma=True, recognition_outcome="recognised",
                                      recognition_decided_on=dt.date(2026, 3, 1)), today),
        r.registration_errors(replace(base, recognition_outcome="recognised"), today),
        r.registration_errors(r.Registration(big_number="19012345601", registered_on=dt.date(2024, 5, 10),
                                             diploma_on=dt.date(2019, 5, 9)), today),
        r.status_change_errors(replace(base, status="suspended"), None, None),
        r.status_change_errors(replace(base, status="restricted", registered_on=dt.date(2021, 1, 1),
                                       restriction_from=dt.date(2020, 1, 1)), dt.date(2020, 7, 2), dt.date(2022, 1, 1)),
        r.work_hours_errors(r.WorkHours(dt.date(2024, 1, 2), dt.date(2024, 1, 1), Decimal(1)), today),
        r.work_hours_errors(r.WorkHours(dt.date(2024, 1, 1), today + dt.timedelta(days=1), Decimal(1)), today),
        r.work_hours_errors(r.WorkHours(dt.date(2024, 1, 1), dt.date(2024, 1, 2), Decimal("48.01")), today),
        r.work_hours_errors(r.WorkHours(dt.date(2024, 1, 1), dt.date(2024, 3, 1), Decimal(1)), today,
                            [r.WorkHours(dt.date(2024, 2, 1), dt.date(2024, 2, 29), Decimal(1))]),
    ]
    messages = [m for errors in produced for field_messages in errors.values() for m in field_messages]
    assert len(messages) >= 20
    for message in messages:
        assert getattr(message, "nl", ""), message
        assert problems(message.nl) == [], (message, message.nl)


@pytest.mark.parametrize(("path", "dutch"), [
    ("/device-types/{device_type}/report.pdf?activity_id={activity}&on=2026-13-45", "Geen geldige datum."),
    ("/device-types/{device_type}/report.pdf?activity_id={activity}&on=1800-01-01", "Moet tussen "),
    ("/device-types/{device_type}/report.pdf", "Kies een activiteit."),
    ("/device-types/{device_type}/report.pdf?activity_id=999999", "Geen activiteit met id 999999."),
    ("/staff/{technician_staff}/can-perform?activity_id=999999", "Geen activiteit met id 999999."),
])
def test_a_refused_request_names_its_field_in_dutch(every_page, path, dutch):
    app, ids, users = every_page
    client = app.test_client()
    login_as(client, users["admin"])
    with client.session_transaction() as session:
        session["locale"] = "nl"
    response = client.get(path.format(**ids))
    text = visible(response.get_data(as_text=True))
    assert response.status_code == 422, (path, response.status_code)
    assert dutch in text and FALLBACK not in text, text
    assert problems(text) == []


def test_a_refused_screening_names_its_field_in_dutch(every_page):
    """The screening form puts the service's refusal beside its field, in Dutch (a type without an MDR class
    needs the product risk)."""
    from core.devices.models import DeviceType
    from plugins.leidraad.models import Screening
    app, ids, users = every_page
    with app.app_context():
        device_type = db.session.scalar(select(DeviceType.id).where(DeviceType.mdr_class.is_(None)).limit(1))
        if device_type is None:
            device_type = ids["device_type"]
            db.session.get(DeviceType, device_type).mdr_class = None
            db.session.commit()
        before = db.session.scalar(select(db.func.count(Screening.id)))
        db.session.remove()
    client = app.test_client()
    login_as(client, users["admin"])
    with client.session_transaction() as session:
        session["locale"] = "nl"
    response = client.post(f"/device-types/{device_type}/screenings", data={
        "screened_on": dt.date.today().isoformat(), "product_risk": "", "usage_context": "low", "novelty": "low",
        "impact": "low"})
    text = visible(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "geef het productrisico" in text and FALLBACK not in text and "give the product risk" not in text
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Screening.id))) == before
        db.session.remove()
