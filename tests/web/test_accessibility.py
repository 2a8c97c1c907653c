"""Every page, for every role that may open it, passes axe-core's WCAG 2.1 A and AA rules in Chromium.

axe-core is vendored (tests/web/vendor/axe-core/, test-only, never downloaded). It is
injected as an init script through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the pages are checked exactly as served:
CSP on, no inline style let through.

A new page is one line in ``PAGES``: its name, its path (``{placeholders}`` from ``demo_ids``),
the roles that open it, and the status it answers with.
"""
from __future__ import annotations

import dataclasses
import json
import pathlib

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.web.conftest import log_in
from tests.web.test_browser import ADMIN, AUDITOR, MANAGER, TECHNICIAN

pytestmark = pytest.mark.browser

AXE = pathlib.Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules outside WCAG that the pages keep anyway (landmarks, heading order, one <h1>).
BEST_PRACTICE = ["region", "empty-table-header", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner",
                 "landmark-no-duplicate-main", "heading-order", "page-has-heading-one", "empty-heading",
                 "scrollable-region-focusable", "duplicate-id", "duplicate-id-aria"]
ANONYMOUS = "anonymous"
USERS = {"admin": ADMIN, "manager": MANAGER, "technician": TECHNICIAN, "auditor": AUDITOR}
EVERYONE = tuple(USERS)
READERS_OF_ALL_STAFF = ("admin", "manager", "auditor")


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    path: str  # str.format(**demo_ids(...))
    roles: tuple[str, ...] = EVERYONE
    status: int = 200
    wait_for: str | None = None  # a selector to wait for (content htmx loads after the page)


PAGES = [
    Page("login", "/login", roles=(ANONYMOUS,)),
    Page("dashboard", "/"),
    Page("staff list", "/staff", roles=READERS_OF_ALL_STAFF),
    Page("staff list filtered", "/staff?q=a&department_id={department}", roles=READERS_OF_ALL_STAFF),
    Page("profile", "/staff/{technician_staff}"),  # the technician's own profile
    Page("profile with CPD", "/staff/{cpd_staff}", roles=("admin", "auditor")),
    Page("profile with BIG", "/staff/{big_staff}", roles=("admin", "auditor")),
    Page("own profile", "/staff/{manager_staff}", roles=("manager",)),
    Page("device types", "/device-types"),
    Page("device type", "/device-types/{device_type}"),
    Page("authorised", "/device-types/{device_type}/authorised?activity_id={activity}&include_refused=1"),
    Page("matrix", "/matrix"),
    Page("matrix of a department", "/matrix?department_id={department}"),
    Page("tvb", "/tvb"),
    Page("alerts", "/alerts"),
    Page("alerts acknowledged", "/alerts?state=acknowledged"),
    Page("audit", "/audit", roles=("admin", "auditor")),
    Page("imports", "/imports", roles=("admin",)),
    Page("users", "/users", roles=("admin",)),
    Page("calendar feeds", "/calendar-feeds", roles=("admin", "manager", "technician")),
    Page("scan", "/scan"),
    Page("scan a device", "/scan?code={asset_number}"),
    Page("scan an unknown code", "/scan?code=NIETS-0000"),
    Page("decision", "/staff/{technician_staff}/can-perform?activity_id={activity}&device_type_id={device_type}"),
    Page("decision BIG", "/staff/{big_staff}/can-perform?activity_id={big_activity}&device_type_id={device_type}",
         roles=("admin", "auditor")),
    # The write forms (record, renew, a training session, staff, device types).
    Page("add a person", "/staff/new", roles=("admin", "manager")),
    Page("edit a person", "/staff/{technician_staff}/edit", roles=("admin", "manager")),
    Page("record a competence", "/staff/{technician_staff}/competences/new", roles=("admin", "manager")),
    Page("training session", "/competences/session", roles=("admin", "manager")),
    Page("add a device type", "/device-types/new", roles=("admin",)),
    Page("edit a device type", "/device-types/{device_type}/edit", roles=("admin",)),
    Page("CPD reviews", "/cpd-reviews", roles=("admin", "manager")),
    Page("not found", "/staff/999999999", status=404),
    Page("no such page", "/no-such-page", status=404),
    Page("forbidden", "/users", roles=("manager", "technician", "auditor"), status=403),
    Page("forbidden audit", "/audit", roles=("manager", "technician"), status=403),
]
CASES = [(role, page) for page in PAGES for role in page.roles]


@dataclasses.dataclass(frozen=True)
class Refused:
    """A form sent empty (the browser's own checks off): the page that says what is wrong, field by field."""
    name: str
    role: str
    path: str
    form: str  # the form's selector on the page
    status: int = 422
    fill: tuple[tuple[str, str], ...] = ()  # (selector, value) typed in first


FORMS = [
    Refused("login", ANONYMOUS, "/login", "main form", status=401,
            fill=(("#email", "niemand@bekwaam.demo"), ("#password", "verkeerd"))),
    Refused("CPD", "admin", "/staff/{cpd_staff}", "form.cpd-form"),
    Refused("TVB assignment", "admin", "/tvb", "form[action$='/tvb/assignments']", status=200),  # flashed
    Refused("import without a file", "admin", "/imports", "form.import-form"),
    Refused("add a person", "admin", "/staff/new", "main form"),
    Refused("training session", "manager", "/competences/session", "#session-form"),
]


def demo_ids(live_server) -> dict:
    from core.auth.models import User
    from core.devices.models import Device, DeviceType
    from core.staff.models import Staff
    from core.tvb.models import Activity
    from plugins.big_kt.models import KtRegistration
    from plugins.vzi_mt.models import CpdActivity
    with live_server["app"].app_context():
        technician_staff = db.session.scalar(select(User.staff_id).where(User.email == TECHNICIAN))
        device_type = db.session.scalar(select(DeviceType.id).where(DeviceType.model == "Perseus A500"))
        activities = list(db.session.scalars(select(Activity).order_by(Activity.id)))
        ids = {
            "technician_staff": technician_staff,
            "manager_staff": db.session.scalar(select(User.staff_id).where(User.email == MANAGER)),
            "department": db.session.scalar(select(Staff.department_id).where(Staff.id == technician_staff)),
            "device_type": device_type,
            "asset_number": db.session.scalar(select(Device.asset_number).where(
                Device.device_type_id == device_type).order_by(Device.id)),
            "activity": next(a.id for a in activities if a.name == "Reparatie"),
            "big_activity": next((a.id for a in activities if "big_kt" in (a.requirements or {})), activities[0].id),
            "cpd_staff": db.session.scalar(select(CpdActivity.staff_id).order_by(CpdActivity.id)),
            "big_staff": db.session.scalar(select(KtRegistration.staff_id).order_by(KtRegistration.id)),
        }
        db.session.remove()
    assert None not in ids.values(), ids
    return ids


@pytest.fixture(scope="module")
def ids(live_server):
    return demo_ids(live_server)


@pytest.fixture(scope="module")
def as_role(browser, live_server):
    """as_role(role) -> a page logged in as that role's demo user (one browser context per role)."""
    contexts: dict[str, object] = {}

    def open_as(role: str):
        if role not in contexts:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server["url"],
                                          locale="nl-NL")
            context.set_default_timeout(15000)
            context.add_init_script(path=str(AXE))  # through CDP: the CSP stays as served
            page = context.new_page()
            if role != ANONYMOUS:
                log_in(page, USERS[role])
            contexts[role] = page
        return contexts[role]

    yield open_as
    for page in contexts.values():
        page.context.close()


def axe_violations(page, rules: dict) -> list[dict]:
    result = page.evaluate("options => axe.run(document, options)", rules)
    return result["violations"]


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"  {v['id']} ({v['impact']}): {' '.join(node['target'])} — {v['help']}\n"
                         f"    {node['failureSummary'].splitlines()[-1].strip() if node.get('failureSummary') else ''}"
                         f"\n    {node['html'][:160]}")
    return "\n".join(lines)


def check(page) -> list[dict]:
    return (axe_violations(page, {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
            + axe_violations(page, {"runOnly": {"type": "rule", "values": BEST_PRACTICE},
                                    "resultTypes": ["violations"]}))


@pytest.mark.parametrize(("role", "entry"), CASES, ids=[f"{role}-{page.name}" for role, page in CASES])
def test_page_has_no_axe_violations(as_role, ids, role, entry):
    page = as_role(role)
    response = page.goto(entry.path.format(**ids))
    assert response.status == entry.status, (entry.path, response.status)
    if entry.wait_for:
        page.locator(entry.wait_for).first.wait_for()
    violations = check(page)
    assert not violations, f"{role} {entry.path}:\n{report(violations)}"


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_a_refused_form_has_no_axe_violations(as_role, ids, form):
    page = as_role(form.role)
    page.goto(form.path.format(**ids))
    for selector, value in form.fill:
        page.locator(selector).fill(value)
    with page.expect_navigation() as sent:
        page.locator(form.form).evaluate("f => { f.noValidate = true; f.requestSubmit(); }")
    assert sent.value.status == form.status, (form.path, sent.value.status)
    violations = check(page)
    assert not violations, f"{form.role} {form.path} refused:\n{report(violations)}"


def test_the_tvb_cell_editor_and_the_decision_fragment(as_role, ids):
    """What htmx swaps in is checked too: the TVB cell editor and the answer on a profile."""
    page = as_role("admin")
    page.goto("/tvb")
    page.locator("td[id^=tvb-] button").first.click()
    page.locator("td[id^=tvb-] form").first.wait_for()
    violations = check(page)
    assert not violations, "TVB cell editor:\n" + report(violations)
    page.goto(f"/staff/{ids['technician_staff']}#check")
    page.select_option("select[name=activity_id]", value=str(ids["activity"]))
    page.select_option("#check select[name=device_type_id]", value=str(ids["device_type"]))
    page.locator("#check button[type=submit]").click()
    page.locator("#decision article.decision").wait_for()
    violations = check(page)
    assert not violations, "decision on the profile:\n" + report(violations)


def test_every_role_visits_every_page_it_may_open():
    """The list names each role's pages; a page nobody visits would be a gap in the check."""
    assert {role for role, _page in CASES} == set(EVERYONE) | {ANONYMOUS}
    assert len({page.name for page in PAGES}) == len(PAGES)


def test_axe_finds_what_it_looks_for(browser, live_server):
    """The check itself: a page with an unlabelled field and an image without text fails it."""
    context = browser.new_context(base_url=live_server["url"])
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto("/login")  # served with its CSP; the broken bits are added afterwards
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="/static/none.png">');
    }""")
    found = {v["id"] for v in check(page)}
    context.close()
    assert {"label", "image-alt"} <= found, json.dumps(sorted(found))
