"""The buttons: the device-type page offers the inspection report, the profile the passport."""
from __future__ import annotations

from tests.evidence.conftest import pdf_text


def _login(app, client, email):
    from sqlalchemy import select

    from core.auth.models import User
    from core.extensions import db
    from tests.web.conftest import login_as
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    login_as(client, user_id)


def test_the_device_type_page_offers_the_report_and_it_downloads(app, client, hospital):
    _login(app, client, "admin@example.org")
    page = client.get(f"/device-types/{hospital['device_type']}").get_data(as_text=True)
    url = f"/device-types/{hospital['device_type']}/report.pdf"
    assert url in page and "Rapport voor de inspectie (PDF)" in page
    response = client.get(url, query_string={"activity_id": hospital["activity"], "on": "2026-06-01"})
    assert response.status_code == 200
    assert "Toegestaan (2)" in pdf_text(response.data)
    assert client.get(url).status_code == 422  # no activity chosen
    assert client.get(url, query_string={"activity_id": hospital["activity"], "on": "1-6-2026"}).status_code == 422


def test_the_profile_offers_the_passport_to_whom_may_have_it(app, client, hospital):
    _login(app, client, "anna@example.org")
    page = client.get(f"/staff/{hospital['anna']}").get_data(as_text=True)
    assert f"/staff/{hospital['anna']}/passport.pdf" in page and "Bekwaamheidspaspoort (PDF)" in page
    text = pdf_text(client.get(f"/staff/{hospital['anna']}/passport.pdf").data)
    assert "Bekwaamheidspaspoort" in text and "Anna de Vries" in text


def test_no_passport_button_for_who_may_not_have_it(app, client, hospital):
    _login(app, client, "tvb_admin@example.org")
    page = client.get(f"/staff/{hospital['anna']}").get_data(as_text=True)
    assert "passport.pdf" not in page
    assert client.get(f"/staff/{hospital['anna']}/passport.pdf").status_code == 403
