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
    # step 1: checked by the service and asked to confirm; nothing is kept
    ask = client.post(f"/staff/{vzi.staff_id}/vzi/registration-cancellation",
                      data={"cancelled_on": str(TODAY), "reason": "Uit dienst"})
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200 and 'id="vzi-cancel-confirm"' in html
    assert "per " + TODAY.strftime("%d-%m-%Y") + " opzeggen?" in html and 'name="confirmed" value="y"' in html
    assert vzi.client.get(vzi.url("registration-cancellations"), headers=vzi.headers).get_json() == []
    # step 2: confirmed
    response = client.post(f"/staff/{vzi.staff_id}/vzi/registration-cancellation",
                           data={"cancelled_on": str(TODAY), "reason": "Uit dienst", "confirmed": "y"})
    assert response.status_code == 302
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "is opgezegd per " + TODAY.strftime("%d-%m-%Y") + "." in html
    assert "Uit dienst" in html
    assert vzi.evaluation(TODAY)["registration"] == "none"
    assert "Registratie opzeggen" not in html  # nothing left to cancel


@pytest.mark.parametrize("data,message", [
    ({"cancelled_on": "", "reason": "x"}, "Vul een datum in zoals 30-11-2026."),
    ({"cancelled_on": "1900-01-01", "reason": "x"}, "Vul een datum in tussen 01-01-1950 en 31-12-2100."),
    ({"cancelled_on": "2025-03-01", "reason": " "}, "Geef de reden van de opzegging."),
    ({"cancelled_on": "2019-01-01", "reason": "x"}, "Er is op 01-01-2019 geen registratie om op te zeggen."),
])
@pytest.mark.parametrize("confirmed", [False, True])
def test_bad_cancellation_is_refused_in_dutch_next_to_its_field(page, vzi, data, message, confirmed):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    client = page()
    response = client.post(f"/staff/{vzi.staff_id}/vzi/registration-cancellation",
                           data={**data, **({"confirmed": "y"} if confirmed else {})})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    form = html[html.index('id="vzi-cancel"'):]
    assert message in form[:form.index("</form>")] and 'aria-invalid="true"' in form[:form.index("</form>")]
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


def test_record_a_certification_period_from_the_profile(page, vzi):
    vzi.example(dt.date(2018, 5, 1))
    client = page()
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "Certificeringsperiode vastleggen" in html
    response = client.post(f"/staff/{vzi.staff_id}/vzi/certifications", data={"as_of": "2025-06-01"})
    assert response.status_code == 302
    periods = vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json()
    assert [p["start_date"] for p in periods] == ["2025-06-01"]
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "Certificeringsperiode vastgelegd:" in html
    listed = html[html.index('id="vzi-certifications"'):]
    assert "van 01-06-2025 tot 01-06-2028" in listed[:listed.index("</ul>")]


@pytest.mark.parametrize("as_of, message", [
    (str(TODAY + dt.timedelta(days=1)), "Een aanvraag kan niet in de toekomst gedateerd zijn"),
    ("2010-01-01", "Niet te certificeren op 01-01-2010:"),
    ("", "Vul een datum in zoals 30-11-2026."),
])
def test_bad_certification_period_is_422_next_to_the_date(page, vzi, as_of, message):
    vzi.example(dt.date(2018, 5, 1))
    response = page().post(f"/staff/{vzi.staff_id}/vzi/certifications", data={"as_of": as_of})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    form = html[html.index('id="vzi-grant"'):]
    assert message in form[:form.index("</form>")]
    assert vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json() == []


def test_technician_may_not_record_a_certification_period(app, page, make, admin, client):
    person = make.staff()
    vzi = Vzi(app, client, admin, person.id)
    vzi.example(dt.date(2018, 5, 1))
    own = page(role="technician", staff_id=person.id)
    assert "Certificeringsperiode vastleggen" not in own.get(f"/staff/{person.id}").get_data(as_text=True)
    assert own.post(f"/staff/{person.id}/vzi/certifications", data={"as_of": "2025-06-01"}).status_code == 403
    assert vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json() == []


def test_record_a_position_and_a_certificate_from_the_profile(page, vzi):
    client = page()
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "Geen functie vastgelegd." in html and "Functie vastleggen" in html
    response = client.post(f"/staff/{vzi.staff_id}/vzi/positions",
                           data={"level": "MT4", "start_date": "2020-01-01", "end_date": ""})
    assert response.status_code == 302
    assert [(p["level"], p["start_date"], p["end_date"])
            for p in vzi.client.get(vzi.url("positions"), headers=vzi.headers).get_json()] == [("MT4", "2020-01-01", None)]
    response = client.post(f"/staff/{vzi.staff_id}/vzi/certificates", data={"code": "MTB", "obtained_on": "2019-05-01"})
    assert response.status_code == 302
    assert [(c["code"], c["obtained_on"], c["equivalent"])
            for c in vzi.client.get(vzi.url("certificates"), headers=vzi.headers).get_json()] == [
        ("MTB", "2019-05-01", False)]
    html = client.get(f"/staff/{vzi.staff_id}").get_data(as_text=True)
    assert "Certificaat vastgelegd." in html and "MT4: 01-01-2020 – loopt" in html and "MTB: 01-05-2019" in html


@pytest.mark.parametrize("path, data, anchor, message", [
    ("positions", {"level": "MT4", "start_date": "2020-01-01", "end_date": "2019-12-31"}, "vzi-position",
     "De laatste dag kan niet vóór de eerste dag liggen."),
    ("positions", {"level": "MT4", "start_date": ""}, "vzi-position", "Vul een datum in zoals 30-11-2026."),
    ("positions", {"level": "MT9", "start_date": "2020-01-01"}, "vzi-position", "Kies een waarde uit de lijst."),
    ("certificates", {"code": "MTB", "obtained_on": "1800-01-01"}, "vzi-certificate",
     "Vul een datum in tussen 01-01-1950 en 31-12-2100."),
])
def test_bad_position_or_certificate_is_422_and_nothing_written(page, vzi, path, data, anchor, message):
    response = page().post(f"/staff/{vzi.staff_id}/vzi/{path}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    form = html[html.index(f'id="{anchor}"'):]
    assert message in form[:form.index("</form>")]
    assert vzi.client.get(vzi.url(path), headers=vzi.headers).get_json() == []


def test_technician_may_not_record_their_own_position_or_certificate(app, page, make, admin, client):
    person = make.staff()
    vzi = Vzi(app, client, admin, person.id)
    own = page(role="technician", staff_id=person.id)
    html = own.get(f"/staff/{person.id}").get_data(as_text=True)
    assert "Functie vastleggen" not in html and "Certificaat vastleggen" not in html
    assert own.post(f"/staff/{person.id}/vzi/positions", data={"level": "MT4", "start_date": "2020-01-01"}).status_code == 403
    assert own.post(f"/staff/{person.id}/vzi/certificates", data={"code": "MTA"}).status_code == 403
    assert vzi.client.get(vzi.url("positions"), headers=vzi.headers).get_json() == []
