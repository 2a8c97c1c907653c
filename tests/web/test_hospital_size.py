"""The pages at hospital size: the matrix opens filtered and pages rows and columns, the TVB
cell editor searches device types, the dashboard's link opens a filtered matrix."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import insert, select

from core.competence.models import Competence
from core.devices.models import DeviceType
from core.extensions import db
from core.staff.models import Staff
from core.tvb.models import Activity, Assignment, Cell, Role
from core.web.views.dashboard import LIST_LIMIT
from core.web.views.tvb import SUGGESTIONS

TODAY = dt.date.today()
CELL = re.compile(r'<td class="cell cell-')
ROW = re.compile(r'<th scope="row">')
COLUMN = re.compile(r'<th scope="col" class="device-col"')


def competence(staff_id, device_type_id, expires_in=200, role="technician") -> dict:
    return {"staff_id": staff_id, "device_type_id": device_type_id, "role": role, "method": "training",
            "obtained_on": TODAY - dt.timedelta(days=30), "expires_on": TODAY + dt.timedelta(days=expires_in)}


@pytest.fixture
def big(app, make):
    """A department of 260 people and 130 device types, everyone holding some: 33,800 cells, set-based."""
    dept = make.department(name="Groot")
    with app.app_context():
        db.session.execute(insert(Staff), [
            {"employee_number": f"G{n:04d}", "name": f"Groot {n:04d}", "employment_type": "internal",
             "active": True, "department_id": dept.id} for n in range(260)])
        db.session.execute(insert(DeviceType), [
            {"manufacturer": "Fabrikant", "model": f"T{n:04d}", "name": f"Type {n}", "technology_group_id": 1 + n % 2,
             "lifecycle_phase": 1} for n in range(130)])
        staff = db.session.scalars(select(Staff.id).where(Staff.department_id == dept.id).order_by(Staff.name)).all()
        types = db.session.scalars(select(DeviceType.id).order_by(DeviceType.model)).all()
        db.session.execute(insert(Competence), [competence(s, types[i % len(types)], expires_in=30 + i % 90)
                                                for i, s in enumerate(staff)])
        db.session.commit()
    return {"dept": dept, "staff": staff, "types": types}


def test_every_window_of_a_large_matrix_stays_under_ten_thousand_cells_and_one_megabyte(web, big):
    client, _ = web("manager", department_id=big["dept"].id)
    seen_rows, seen_columns, cells = set(), set(), 0
    for row_page in (1, 2, 3):
        for column_page in (1, 2, 3):
            response = client.get(f"/matrix?page={row_page}&columns={column_page}")  # opens on their department
            assert response.status_code == 200
            html = response.get_data(as_text=True)
            on_page = len(CELL.findall(html))
            assert 0 < on_page <= 10_000 and len(response.data) < 1_000_000
            rows, columns = len(ROW.findall(html)), len(COLUMN.findall(html))
            assert on_page == rows * columns
            cells += on_page
            seen_rows.update(re.findall(r'<th scope="row"><a href="/staff/(\d+)"', html))
            seen_columns.update(re.findall(r'<th scope="col" class="device-col"[^>]*><a href="/device-types/(\d+)"', html))
    assert cells == 260 * 130  # every cell reachable, none twice
    assert len(seen_rows) == 260 and len(seen_columns) == 130


def test_a_page_past_the_last_shows_the_last(web, big):
    client, _ = web("admin")
    last = client.get(f"/matrix?department_id={big['dept'].id}&page=99&columns=99").get_data(as_text=True)
    assert "Groot 0259" in last and "Fabrikant T0129" in last


def test_the_matrix_opens_on_the_users_department_or_asks(web, make, app):
    mt, ic = make.department(name="MT"), make.department(name="IC")
    anna, bram = make.staff(name="Anna", department_id=mt.id), make.staff(name="Bram", department_id=ic.id)
    pump = make.device_type(model="Pomp")
    with app.app_context():
        db.session.execute(insert(Competence), [competence(anna.id, pump.id), competence(bram.id, pump.id)])
        db.session.commit()
    technician, _ = web("technician", staff_id=anna.id)
    own = technician.get("/matrix").get_data(as_text=True)
    assert "Anna" in own and "Bram" not in own and f'value="{mt.id}" selected' in own
    admin, _ = web("admin")  # no department of their own: a choice first, not the whole hospital
    first = admin.get("/matrix").get_data(as_text=True)
    assert "Kies een afdeling of een technologiegroep" in first and "Anna" not in first
    assert 'class="matrix"' not in admin.get("/matrix?department_id=").get_data(as_text=True)
    chosen = admin.get(f"/matrix?department_id={ic.id}").get_data(as_text=True)
    assert "Bram" in chosen and "Anna" not in chosen


def test_columns_are_the_types_someone_in_view_holds_or_should_hold(web, make, app):
    dept = make.department(name="OK")
    anna = make.staff(name="Anna", department_id=dept.id)
    outsider = make.staff(name="Elders")
    make.device_type(model="Niemand")  # nobody holds it, no role asks for it: no column
    held, required, elsewhere, other_group = (
        make.device_type(model="Gehouden"), make.device_type(model="Vereist"),
        make.device_type(model="Elders"), make.device_type(model="Andere groep", technology_group_id=2))
    with app.app_context():
        role, activity = Role(name="Anesthesie"), Activity(name="Gebruik", level="operational", requirements={})
        db.session.add_all([role, activity])
        db.session.flush()
        db.session.add_all([
            Cell(role_id=role.id, activity_id=activity.id, letters="T", device_type_id=required.id),
            Assignment(staff_id=anna.id, role_id=role.id, valid_from=TODAY - dt.timedelta(days=1))])
        db.session.execute(insert(Competence), [competence(anna.id, held.id), competence(anna.id, other_group.id),
                                                competence(outsider.id, elsewhere.id)])
        db.session.commit()
    client, _ = web("admin")
    html = client.get(f"/matrix?department_id={dept.id}").get_data(as_text=True)
    columns = re.findall(r'<span>Dräger ([^<]+)</span>', html)
    assert columns == ["Andere groep", "Gehouden", "Vereist"]  # not "Niemand", not "Elders"
    group = client.get(f"/matrix?department_id={dept.id}&technology_group_id=1").get_data(as_text=True)
    assert re.findall(r'<span>Dräger ([^<]+)</span>', group) == ["Gehouden", "Vereist"]
    # a technology group across the hospital: only the people it concerns
    hospital = client.get("/matrix?department_id=&technology_group_id=1").get_data(as_text=True)
    assert "Anna" in hospital and "Elders" in hospital
    assert re.findall(r'<span>Dräger ([^<]+)</span>', hospital) == ["Elders", "Gehouden", "Vereist"]
    # an assignment that has ended no longer asks for the type
    with app.app_context():
        db.session.execute(Assignment.__table__.update().values(valid_to=TODAY - dt.timedelta(days=1)))
        db.session.commit()
    later = client.get(f"/matrix?department_id={dept.id}").get_data(as_text=True)
    assert "Vereist" not in later


def test_device_type_suggestions_are_few_and_for_tvb_writers_only(web, make, app):
    with app.app_context():
        db.session.execute(insert(DeviceType), [
            {"manufacturer": "Philips", "model": f"IntelliVue MX{n}", "name": "Monitor", "technology_group_id": 1,
             "lifecycle_phase": 1} for n in range(50)] + [
            {"manufacturer": "B. Braun", "model": "Space", "name": "Infuuspomp", "technology_group_id": 1,
             "lifecycle_phase": 1}])
        db.session.commit()
    client, _ = web("tvb_admin")
    many = client.get("/tvb/device-type-suggestions?device_type_search=intellivue").get_data(as_text=True)
    assert many.count('value="dt:') == SUGGESTIONS == 20
    narrowed = client.get("/tvb/device-type-suggestions?device_type_search=philips+MX42").get_data(as_text=True)
    assert narrowed.count('value="dt:') == 1 and "IntelliVue MX42" in narrowed
    assert client.get("/tvb/device-type-suggestions?device_type_search=infuus").get_data(as_text=True).count("dt:") == 1
    assert "dt:" not in client.get("/tvb/device-type-suggestions?device_type_search=i").get_data(as_text=True)
    assert "dt:" not in client.get("/tvb/device-type-suggestions?device_type_search=%25").get_data(as_text=True)
    for role, extra in (("technician", {"staff_id": make.staff().id}), ("manager", {"department_id": make.department().id}), ("auditor", {})):
        other, _ = web(role, **extra)
        assert other.get("/tvb/device-type-suggestions?device_type_search=philips").status_code == 403, role


def test_the_cell_editor_lists_no_device_types_and_saves_a_searched_one(web, make, app):
    pump = make.device_type(manufacturer="B. Braun", model="Space")
    for n in range(30):
        make.device_type(model=f"Extra {n}")
    with app.app_context():
        role, activity = Role(name="MT"), Activity(name="Reparatie", level="operational", requirements={})
        db.session.add_all([role, activity])
        db.session.commit()
        ids = (role.id, activity.id)
    client, _ = web("tvb_admin")
    editor = client.get(f"/tvb/cells/{ids[0]}/{ids[1]}/edit").get_data(as_text=True)
    assert "dt:" not in editor and "Extra 1" not in editor and 'name="device_type_search"' in editor
    both = client.post(f"/tvb/cells/{ids[0]}/{ids[1]}", data={
        "new_scope": "all", "new_device_type": f"dt:{pump.id}", "new_letters": ["T"]}, headers={"HX-Request": "true"})
    assert 'role="alert"' in both.get_data(as_text=True)
    saved = client.post(f"/tvb/cells/{ids[0]}/{ids[1]}", data={
        "new_scope": "", "new_device_type": f"dt:{pump.id}", "new_letters": ["T", "V"]}, headers={"HX-Request": "true"})
    assert "B. Braun Space" in saved.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Cell.device_type_id, Cell.letters)).all() == [(pump.id, "TV")]


def test_the_dashboard_links_to_a_filtered_matrix(web, make, app):
    mt, ic = make.department(name="MT"), make.department(name="IC")
    pump = make.device_type(model="Pomp")
    with app.app_context():
        db.session.execute(insert(Staff), [
            {"employee_number": f"D{n:03d}", "name": f"Persoon {n:03d}", "employment_type": "internal",
             "active": True, "department_id": mt.id if n < 20 else ic.id} for n in range(LIST_LIMIT + 10)])
        people = db.session.scalars(select(Staff.id).order_by(Staff.name)).all()
        db.session.execute(insert(Competence), [competence(p, pump.id, expires_in=3) for p in people])
        db.session.commit()
    manager, _ = web("manager", department_id=mt.id)
    mine = manager.get("/").get_data(as_text=True)  # 20 people: no "more" line
    assert "/matrix" not in re.sub(r'<header.*?</header>', "", mine, flags=re.S)
    admin, _ = web("admin")
    html = admin.get("/").get_data(as_text=True)
    links = re.findall(r'href="(/matrix[^"]*)"', re.sub(r'<header.*?</header>', "", html, flags=re.S))
    assert links == [f"/matrix?department_id={mt.id}"]  # most of the 25 listed work in MT
    ic_manager, _ = web("manager", department_id=ic.id)
    assert "/matrix?department_id=" not in ic_manager.get("/").get_data(as_text=True)  # 15: nothing more to see
