"""Self-service CPD (the VZI plugin's pages): a technician registers hours with a certificate;
their manager approves or rejects."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.storage.models import StoredFile
from core.web import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


@pytest.fixture
def uploads_dir(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "uploads"


@pytest.fixture
def people(make):
    mt, ic = make.department(), make.department()
    return {"mt": mt, "ic": ic, "anna": make.staff(name="Anna Mt", department_id=mt.id),
            "bram": make.staff(name="Bram Ic", department_id=ic.id)}


def register(client, staff_id, data=PDF, filename="cert.pdf", hours="4.50", **extra):
    form = {"date": dt.date.today().isoformat(), "hours": hours, "title": "Storingsanalyse beademing",
            "technology_group_id": "0", "certificate": (io.BytesIO(data), filename), **extra}
    return client.post(f"/staff/{staff_id}/cpd", data=form, content_type="multipart/form-data")


def rows(app, staff_id):
    from plugins.vzi_mt.models import CpdActivity
    with app.app_context():
        return [(r.status, r.hours, r.attachment, r.rejection_reason, r.reviewed_by) for r in db.session.scalars(
            select(CpdActivity).where(CpdActivity.staff_id == staff_id).order_by(CpdActivity.id))]


def counted_hours(app, staff_id):
    from plugins.vzi_mt import services
    with app.app_context():
        return services.evaluation(db.session, staff_id, dt.date.today())["cpd"]["done_hours"]


# ------------------------------------------------------------------ upload checks (no plugin needed)


@pytest.mark.parametrize("data, kind", [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpg")])
def test_accepted_types_are_recognised_by_their_first_bytes(app, data, kind):
    with app.test_request_context():
        assert uploads.check(data)[0] == kind


@pytest.mark.parametrize("data", [EXE, b"<html>%PDF-", b"GIF89a" + b"\x00" * 10, b""])
def test_other_content_is_refused_whatever_its_name(app, data):
    with app.test_request_context(), pytest.raises(uploads.UploadError):
        uploads.check(data)


def test_size_limit_boundary(app, monkeypatch):
    monkeypatch.setitem(app.config, "BEKWAAM_UPLOAD_MAX_BYTES", 100)
    with app.test_request_context():
        uploads.check(PDF + b"x" * (100 - len(PDF)))  # exactly the limit: accepted
        with pytest.raises(uploads.UploadError):
            uploads.check(PDF + b"x" * (101 - len(PDF)))


def test_stored_names_are_random_and_never_paths(app, uploads_dir):
    with app.test_request_context():
        first, second = uploads.store(PDF), uploads.store(PDF)
        db.session.commit()
    assert first != second and uploads.STORED_NAME.match(first) and first.endswith(".pdf")
    assert stored(app, first) == PDF
    assert not uploads.STORED_NAME.match("../../etc/passwd") and not uploads.STORED_NAME.match("a.pdf")


# ------------------------------------------------------------------ the flow


def test_technician_registers_pending_hours_that_count_once_approved(app, web, people, uploads_dir):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    response = register(technician, anna.id)
    assert response.status_code == 302
    [(status, hours, attachment, _, _)] = rows(app, anna.id)
    assert status == "pending" and str(hours) == "4.50" and stored(app, attachment) == PDF
    assert counted_hours(app, anna.id) == 0  # pending hours do not count
    manager, manager_id = web("manager", department_id=people["mt"].id)
    page = manager.get(f"/staff/{anna.id}").get_data(as_text=True)
    assert "Goedkeuren" in page
    cpd_id = _ids(app, anna.id)[0]
    assert manager.post(f"/staff/{anna.id}/cpd/{cpd_id}/review", data={"decision": "approved"}).status_code == 302
    assert rows(app, anna.id)[0][0] == "approved" and rows(app, anna.id)[0][4] == manager_id
    assert str(counted_hours(app, anna.id)) == "4.50"


def test_reject_needs_a_reason_and_rejected_hours_do_not_count(app, web, people, uploads_dir):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    register(technician, anna.id)
    cpd_id = _ids(app, anna.id)[0]
    manager, _ = web("manager", department_id=people["mt"].id)
    manager.post(f"/staff/{anna.id}/cpd/{cpd_id}/review", data={"decision": "rejected", "reason": "  "})
    assert rows(app, anna.id)[0][0] == "pending"
    manager.post(f"/staff/{anna.id}/cpd/{cpd_id}/review", data={"decision": "rejected", "reason": "Geen deelnamebewijs"})
    assert rows(app, anna.id)[0][0] == "rejected" and rows(app, anna.id)[0][3] == "Geen deelnamebewijs"
    assert counted_hours(app, anna.id) == 0
    assert "Geen deelnamebewijs" in technician.get(f"/staff/{anna.id}").get_data(as_text=True)


def test_wrong_type_and_oversized_files_are_refused(app, web, people, uploads_dir, monkeypatch):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    refused = register(technician, anna.id, data=EXE, filename="cert.pdf")
    assert refused.status_code == 422 and "Alleen PDF-, PNG- of JPEG-bestanden" in refused.get_data(as_text=True)
    monkeypatch.setitem(app.config, "BEKWAAM_UPLOAD_MAX_BYTES", 1024)
    big = register(technician, anna.id, data=PDF + b"x" * 2000)
    assert big.status_code == 422 and "groter dan" in big.get_data(as_text=True)
    assert rows(app, anna.id) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_nobody_reviews_their_own_hours_and_others_may_not_register(app, web, people, uploads_dir):
    anna, bram = people["anna"], people["bram"]
    technician, _ = web("technician", staff_id=anna.id)
    assert register(technician, bram.id).status_code == 404  # not visible
    register(technician, anna.id)
    cpd_id = _ids(app, anna.id)[0]
    assert technician.post(f"/staff/{anna.id}/cpd/{cpd_id}/review", data={"decision": "approved"}).status_code == 403
    other_manager, _ = web("manager", department_id=people["ic"].id)
    assert other_manager.post(f"/staff/{anna.id}/cpd/{cpd_id}/review",
                              data={"decision": "approved"}).status_code == 404
    assert rows(app, anna.id)[0][0] == "pending"


def test_certificates_are_served_only_to_the_person_their_manager_admins_and_auditors(
        app, web, people, uploads_dir):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    register(technician, anna.id)
    name = rows(app, anna.id)[0][2]
    allowed = [technician, web("manager", department_id=people["mt"].id)[0], web("admin")[0], web("auditor")[0]]
    refused = [web("technician", staff_id=people["bram"].id)[0], web("manager", department_id=people["ic"].id)[0],
               web("tvb_admin")[0]]
    for client in allowed:
        response = client.get(f"/uploads/{name}")
        body = response.data
        response.close()  # the file is streamed: let go of it
        assert response.status_code == 200 and body == PDF
        assert response.mimetype == "application/pdf" and response.headers["X-Content-Type-Options"] == "nosniff"
    for client in refused:
        assert client.get(f"/uploads/{name}").status_code == 404


def _ids(app, staff_id):
    from plugins.vzi_mt.models import CpdActivity
    with app.app_context():
        return list(db.session.scalars(select(CpdActivity.id).where(CpdActivity.staff_id == staff_id)
                                       .order_by(CpdActivity.id)))


def test_certificates_live_in_the_database_not_on_a_servers_disk(app, web, people, uploads_dir):
    """Several app servers behind a load balancer all serve the same certificate."""
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    register(technician, anna.id, data=PNG, filename="bewijs.png")
    name = rows(app, anna.id)[0][2]
    assert not uploads_dir.exists() or not any(uploads_dir.iterdir())
    with app.app_context():
        row = db.session.scalar(select(StoredFile).where(StoredFile.name == name))
        assert (row.mime, row.size, row.sha256, row.data) == ("image/png", len(PNG), hashlib.sha256(PNG).hexdigest(), PNG)


def stored(app, name):
    with app.app_context():
        return db.session.scalar(select(StoredFile.data).where(StoredFile.name == name))


# ------------------------------------------------------------------ typed hours and dates ("7,5" once became 75)


@pytest.mark.parametrize("typed, stored_as", [("7,5", "7.50"), ("7.5", "7.50"), ("7,25", "7.25"), ("24", "24.00"),
                                              (" 0,5 ", "0.50")])
def test_hours_with_a_comma_or_a_point_are_the_same_hours(app, web, people, uploads_dir, typed, stored_as):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    assert register(technician, anna.id, hours=typed).status_code == 302
    [(_status, hours, _, _, _)] = rows(app, anna.id)
    assert str(hours) == stored_as


def test_seven_comma_five_is_never_stored_as_seventy_five(app, web, people, uploads_dir):
    manager, _ = web("manager", department_id=people["mt"].id)  # a manager's entry is approved at once
    anna = people["anna"]
    assert register(manager, anna.id, hours="7,5").status_code == 302
    from decimal import Decimal
    [(status, hours, _, _, _)] = rows(app, anna.id)
    assert status == "approved" and hours == Decimal("7.5") and hours != Decimal("75")
    assert counted_hours(app, anna.id) == Decimal("7.5")


@pytest.mark.parametrize("typed, says", [
    ("1,234", "dubbelzinnig"), ("1.234", "dubbelzinnig"), ("zeven", "geen getal"), ("7,5,5", "geen getal"),
    ("1,234.5", "duizendtallen"), ("7,555", "dubbelzinnig"), ("7,5555", "decimalen"),
    ("24,01", "24 uur op één dag"), ("75", "24 uur op één dag"), ("0", "meer dan 0"), ("-1", "meer dan 0"),
])
def test_implausible_or_ambiguous_hours_are_refused_with_a_dutch_field_error(app, web, people, uploads_dir,
                                                                            typed, says):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    response = register(technician, anna.id, hours=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert says in page and f'value="{typed}"' in page  # what was typed comes back, with its reason
    assert rows(app, anna.id) == []


def test_a_cpd_date_in_the_future_is_refused_today_is_not(app, web, people, uploads_dir):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = register(technician, anna.id, date=tomorrow)
    assert response.status_code == 422 and "toekomst" in response.get_data(as_text=True)
    assert rows(app, anna.id) == []
    assert register(technician, anna.id, date=dt.date.today().isoformat()).status_code == 302


def test_the_hours_input_is_text_with_a_decimal_keypad_not_a_number_input(app, web, people):
    anna = people["anna"]
    technician, _ = web("technician", staff_id=anna.id)
    page = technician.get(f"/staff/{anna.id}").get_data(as_text=True)
    # a browser in another language than the page may drop the comma of a type="number" input
    assert 'name="hours"' in page and 'inputmode="decimal"' in page and 'type="number"' not in page.split('name="hours"')[0][-200:]
