"""A phone (390 × 844) and a keyboard: Chromium drives the demo hospital's pages."""
from __future__ import annotations

import pytest

from tests.web.conftest import log_in
from tests.web.test_browser import MANAGER, TVB_ADMIN, demo_ids

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server["url"], locale="nl-NL",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("email", [MANAGER, TVB_ADMIN])
def test_the_dashboard_fits_a_phone_and_the_header_stays_compact(phone, email, shot):
    log_in(phone, email)
    for path in ("/", "/matrix", "/tvb", "/staff"):
        phone.goto(path)
        width = phone.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)  # wide tables scroll inside their own box
        header = phone.locator("header.site-header").bounding_box()
        assert header["height"] < 0.25 * PHONE["height"], (path, header)
    phone.goto("/")
    shot(phone, "20-phone-dashboard", full_page=False)


def test_keyboard_focus_survives_the_tvb_cell_editor(page, live_server):
    ids = demo_ids(live_server)
    log_in(page, TVB_ADMIN)
    page.goto("/tvb")
    cell = f"#tvb-{ids['role']}-{ids['activity']}"
    page.locator(cell).get_by_role("button").focus()
    page.keyboard.press("Enter")
    page.locator(f"{cell} form").wait_for()
    page.locator(f"{cell} :focus").wait_for()  # the editor's first control, not <body>
    # the device type is searched, not picked from a list of every type
    assert page.locator(f"{cell} select[name=new_device_type] option").count() == 1
    page.locator(f"{cell} input[name=device_type_search]").fill("Perseus")
    page.locator(f"{cell} select[name=new_device_type] option[value^='dt:']").first.wait_for(state="attached")
    options = page.locator(f"{cell} select[name=new_device_type] option").all_inner_texts()
    assert any("Perseus" in text for text in options[1:]) and len(options) <= 21
    page.locator(f"{cell} button", has_text="Annuleren").focus()
    page.keyboard.press("Enter")
    page.locator(f"{cell} form").wait_for(state="detached")
    page.locator(f"{cell} button:focus").wait_for()  # back on the cell's own "Edit" button, not at the top


def test_the_tvb_page_lets_the_keyboard_skip_the_matrix(page, live_server):
    log_in(page, TVB_ADMIN)
    page.goto("/tvb")
    for _ in range(40):  # the header, the export, then the skip link: well before the 2,000 cells
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "#assignments":
            break
    else:
        pytest.fail("no skip link within 40 tab stops")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#assignments"
