"""The VZI panel on the staff profile: shortfalls in the page's language, the certificate's
expertise areas and the cancellation (opzegging) of the registration."""
import datetime as dt

import pytest

from tests.plugins.vzi_mt.conftest import Vzi
from tests.web.conftest import login_as

TODAY = dt.date.today()


@pytest.fixture
def page(app, make):
    def build(role="admin", locale="nl", **kw):
        user_id, _ = make.user(role, **kw)
        client = app.test_client()
        login_as(client, user_id)
        with client.session_transaction() as session:
            session["locale"] = locale
        return client
    return build


@pytest.fixture
def short(vzi):
    """MT4 for 10 completed years today: 64.80 h required, 32.40 technical; 32.39 technical done."""
    vzi.education()
    vzi.certificates("MTA", "MTB")
    from plugins.vzi_mt.rules import add_years
    vzi.position("MT4", add_years(TODAY, -10))
    vzi.cpd("32.39", 1, on=TODAY - dt.timedelta(days=10))
    vzi.cpd("33", None, on=TODAY - dt.timedelta(days=10))
    return vzi


def test_dutch_page_shows_the_shortfall_in_dutch(page, short):
    html = page(locale="nl").get(f"/staff/{short.staff_id}").get_data(as_text=True)
    assert "CPD technisch: 32,39 van 32,40 uur" in html
    assert "CPD technical" not in html
    assert "Registratie opzeggen" in html
    assert "ingangsdatum 1 juni 2025" in html


def test_english_page_shows_the_shortfall_in_english(page, short):
    html = page(locale="en").get(f"/staff/{short.staff_id}").get_data(as_text=True)
    assert "CPD technical: 32.39 of 32.40 h" in html
    assert "Cancel the registration" in html


def test_cancel_from_the_profile(app, page, vzi):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01", str(TODAY - dt.timedelta(days=30)))
    client = page()
    response = client.post(f"/staff/{vzi.staff_id}/vzi/registration-cancellation",
                           data={"cancelled_on": str(TODAY), "reason": "Uit dienst"})
    assert response.status_code == 302
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "De VZI-registratie is opgezegd per" in html
    assert "Uit dienst" in html
    assert vzi.evaluation(TODAY)["registration"] == "none"
    assert "Registratie opzeggen" not in html  # nothing left to cancel


@pytest.mark.parametrize("data,message", [
    ({"cancelled_on": "", "reason": "x"}, "Geef een datum tussen 1950-01-01 en 2100-12-31."),
    ({"cancelled_on": "1900-01-01", "reason": "x"}, "Geef een datum tussen 1950-01-01 en 2100-12-31."),
    ({"cancelled_on": "2025-03-01", "reason": " "}, "Geef de reden van de opzegging."),
    ({"cancelled_on": "2019-01-01", "reason": "x"}, "Op die datum is er geen registratie om op te zeggen."),
])
def test_bad_cancellation_is_refused_in_dutch(page, vzi, data, message):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    client = page()
    assert client.post(f"/staff/{vzi.staff_id}/vzi/registration-cancellation", data=data).status_code == 302
    assert message in client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert vzi.client.get(vzi.url("registration-cancellations"), headers=vzi.headers).get_json() == []


def test_technician_sees_no_cancel_form_and_may_not_post(app, page, make, admin, client):
    person = make.staff()
    vzi = Vzi(app, client, admin, person.id)
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    own = page(role="technician", staff_id=person.id)
    assert "Registratie opzeggen" not in own.get(f"/staff/{person.id}").get_data(as_text=True)
    response = own.post(f"/staff/{person.id}/vzi/registration-cancellation",
                        data={"cancelled_on": str(TODAY), "reason": "x"})
    assert response.status_code == 403


def test_certificate_expertise_areas_on_the_profile(page, vzi):
    vzi.example(dt.date(2018, 5, 1))
    assert vzi.grant(dt.date(2025, 6, 1)).status_code == 201
    html = page().get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    if TODAY < dt.date(2028, 6, 1):
        assert "Deskundigheidsgebieden op het certificaat: 1" in html
