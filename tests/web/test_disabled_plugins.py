"""With each built-in plugin switched off in turn, every page still renders and the plugin's own pages are gone.

A hospital without VZI technicians (or without BIG-registered clinical
technologists, or not working with the Leidraad) runs the same core; the
plugin's panels, boxes and routes simply are not there.
"""
from __future__ import annotations

import datetime as dt
from importlib import metadata

import pytest
from sqlalchemy import select

from core.extensions import db
from core.plugins import GROUP
from tests.conftest import migrated_app
from tests.web.conftest import login_as

BUILT_INS = sorted(ep.name for ep in metadata.entry_points(group=GROUP))
ROLES = ("admin", "manager", "technician", "auditor")
# What each plugin adds to the pages (an anchor or text), absent when it is off.
MARKS = {"vzi_mt": ('id="cpd"', 'id="vzi"'), "leidraad": ('id="screening"', 'id="requirements"'),
         "big_kt": ('id="big"',)}


@pytest.fixture(scope="module", params=[None, *BUILT_INS], ids=lambda p: f"without-{p}" if p else "all-on")
def demo(request, tmp_path_factory):
    from core.auth.models import User
    from core.demo import load_demo
    from core.devices.models import DeviceType
    from core.tvb.models import Activity
    disabled = [request.param] if request.param else []
    folder = tmp_path_factory.mktemp("disabled")
    app = migrated_app("sqlite:///" + str(folder / "demo.sqlite"), BEKWAAM_DISABLED_PLUGINS=disabled)
    with app.app_context():
        load_demo()
        users = {role: db.session.scalar(select(User).where(User.role == role).order_by(User.id)) for role in ROLES}
        ids = {
            "users": {role: user.id for role, user in users.items()},
            "technician_staff": users["technician"].staff_id,
            "device_type": db.session.scalar(select(DeviceType.id).order_by(DeviceType.id)),
            "activity": db.session.scalar(select(Activity.id).order_by(Activity.id)),
        }
        db.session.remove()
    yield {"app": app, "disabled": request.param, "ids": ids}
    with app.app_context():
        db.engine.dispose()


def pages(ids) -> list[str]:
    staff, device_type, activity = ids["technician_staff"], ids["device_type"], ids["activity"]
    return ["/", "/staff", f"/staff/{staff}", f"/staff/{staff}/can-perform?activity_id={activity}",
            f"/staff/{staff}/device-type-options?technology_group_id=1", "/device-types",
            f"/device-types/{device_type}", f"/device-types/{device_type}/authorised?activity_id={activity}",
            "/matrix", "/matrix.xlsx", "/tvb", "/alerts", "/audit", "/imports", "/users"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders(demo, role):
    client = demo["app"].test_client()
    login_as(client, demo["ids"]["users"][role])
    for path in pages(demo["ids"]):
        response = client.get(path)
        # 403: the role may not open that page at all (the route table), never an error of the page itself
        assert response.status_code in (200, 403), (path, response.status_code, response.get_data(as_text=True)[:500])
        if path.startswith("/audit") or path in ("/imports", "/users"):
            continue
        assert response.status_code == 200, (role, path)
    profile = client.get(f"/staff/{demo['ids']['technician_staff']}").get_data(as_text=True)
    device_type = client.get(f"/device-types/{demo['ids']['device_type']}").get_data(as_text=True)
    for plugin, marks in MARKS.items():
        for mark in marks:
            shown = mark in profile or mark in device_type
            if plugin == demo["disabled"]:
                assert not shown, (plugin, mark)
            elif plugin != "big_kt":  # the BIG panel shows only for a registered clinical technologist
                assert shown, (plugin, mark)


def test_a_disabled_plugins_routes_are_gone(demo):
    client = demo["app"].test_client()
    login_as(client, demo["ids"]["users"]["admin"])
    staff, device_type = demo["ids"]["technician_staff"], demo["ids"]["device_type"]
    routes = {"vzi_mt": ("post", f"/staff/{staff}/vzi/registration-cancellation"),
              "leidraad": ("post", f"/device-types/{device_type}/screenings")}
    for plugin, (method, path) in routes.items():
        answer = getattr(client, method)(path, data={}).status_code
        if plugin == demo["disabled"]:
            assert answer == 404, (plugin, path)
        else:
            assert answer != 404, (plugin, path)


def test_the_dashboard_boxes_follow_the_plugins(demo):
    client = demo["app"].test_client()
    login_as(client, demo["ids"]["users"]["admin"])
    page = client.get("/").get_data(as_text=True)
    assert 'id="coverage_below_minimum"' in page  # the core's own box
    assert ('id="vzi_period_ending"' in page) is (demo["disabled"] != "vzi_mt")
    assert ('id="big_reregistration_due"' in page) is (demo["disabled"] != "big_kt")
    assert dt.date.today().strftime("%Y") in page
