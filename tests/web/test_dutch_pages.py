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
