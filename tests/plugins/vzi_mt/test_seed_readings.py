"""The seed's readings through the API: the dispensation fixed per period, the certificate's
expertise areas, the basisregistratie until cancellation, the norm set, the languages, the bounds.

Numbers come from the seed (VZI certificatienormen, juni 2025) and its worked examples.
"""
import datetime as dt

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.plugins.vzi_mt.conftest import AS_OF, group_id, insert_period


def forecast(vzi, as_of):
    response = vzi.client.get(vzi.url(f"forecast?as_of={as_of}"), headers=vzi.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def vzi_events(app, as_of):
    from core.plugins_runtime import alert_events
    with app.app_context():
        return [e for e in alert_events(as_of, [90, 30, 7]) if e.source == "vzi_mt"]


# --- "Bij de start van een registratieperiode wordt de dispensatie berekend" --------------------


def test_evaluation_forecast_grant_and_alert_use_the_dispensation_fixed_at_the_period_start(app, vzi):
    # Example 1's person (MT4 since 2018-05-01) certified on 2022-09-01 with 4 completed years:
    # the period's dispensation is 0, so on 2025-06-01 the 70 h are judged against 72 h, not 66.96 h.
    from plugins.vzi_mt import rules
    vzi.example(dt.date(2018, 5, 1))
    assert rules.dispensation_percent((rules.Position("MT4", dt.date(2018, 5, 1)),), dt.date(2022, 9, 1)) == 0
    insert_period(app, vzi.staff_id, "MT4", "professional", dt.date(2022, 9, 1))  # stored dispensation 0
    evaluated = vzi.evaluation(AS_OF)
    assert (evaluated["dispensation_percent"], evaluated["period_start"]) == (0, "2022-09-01")
    assert evaluated["cpd"]["required_hours"] == "72.00"
    assert forecast(vzi, AS_OF)["required_hours"] == "72.00"
    (alert,) = vzi_events(app, AS_OF)
    assert "CPD: 70.00 of 72.00 h" in alert.message
    refused = vzi.grant(AS_OF)
    assert refused.status_code == 422
    assert refused.get_json()["unmet"] == [{"code": "cpd_total", "message": "CPD: 70.00 of 72.00 h"}]
    vzi.cpd("2")
    granted = vzi.grant(AS_OF).get_json()
    # the new period fixes its own dispensation now: 7 completed years
    assert (granted["start_date"], granted["dispensation_percent"]) == ("2025-06-01", 7)
    assert vzi.evaluation(dt.date(2025, 6, 2))["cpd"]["required_hours"] == "66.96"
    assert forecast(vzi, dt.date(2025, 6, 2))["required_hours"] == "66.96"


def test_after_a_lapse_a_new_certification_computes_the_dispensation_on_the_application_date(app, vzi):
    vzi.example(dt.date(2018, 5, 1))
    insert_period(app, vzi.staff_id, "MT4", "professional", dt.date(2021, 1, 1))  # ended 2024-01-01
    body = vzi.evaluation(AS_OF)
    assert (body["dispensation_percent"], body["period_start"], body["eligible"]) == (7, "2025-06-01", True)


# --- the certificate shows the expertise areas -----------------------------------------------


def test_the_certificate_records_its_expertise_areas_at_the_grant(vzi):
    # seed: "Het toont het niveau en de deskundigheidsgebieden"; example 1: group 1, 650 h + 14 h
    vzi.example(dt.date(2018, 5, 1))
    granted = vzi.grant(AS_OF).get_json()
    assert granted["expertise_areas"] == [1]
    vzi.work(7, "600")
    vzi.cpd("12", 7)
    assert vzi.evaluation(AS_OF)["expertise_areas"] == [1, 7]
    history = vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json()
    assert history[0]["expertise_areas"] == [1]  # fixed at the grant


# --- "behoudt een persoon tot opzegging een basisregistratie" ---------------------------------------


def cancel(vzi, on, reason="Uit dienst en lidmaatschap opgezegd", headers=None):
    return vzi.client.post(vzi.url("registration-cancellations"), json={"cancelled_on": str(on), "reason": reason},
                           headers=headers or vzi.headers)


def test_base_registration_until_cancelled_through_the_api_and_audited(app, vzi):
    from core.audit.models import AuditEntry
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01", "2024-12-31")  # the position ended
    assert vzi.evaluation(AS_OF)["registration"] == "base"
    response = cancel(vzi, "2025-03-01")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["cancelled_on"], body["reason"]) == ("2025-03-01", "Uit dienst en lidmaatschap opgezegd")
    assert vzi.evaluation(dt.date(2025, 2, 28))["registration"] == "base"
    assert vzi.evaluation(AS_OF)["registration"] == "none"
    listed = vzi.client.get(vzi.url("registration-cancellations"), headers=vzi.headers).get_json()
    assert [c["id"] for c in listed] == [body["id"]]
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "vzi_mt_registration_cancellation"))
        assert entry is not None and entry.action == "create"


def test_failed_recertification_keeps_base_until_cancelled(vzi):
    vzi.example(dt.date(2020, 5, 1))
    insert_period(vzi.app, vzi.staff_id, "MT4", "professional", dt.date(2022, 1, 1))  # ended 2025-01-01
    assert vzi.grant(AS_OF).status_code == 422
    assert vzi.evaluation(AS_OF)["registration"] == "base"


def test_cancellation_cuts_a_running_period(vzi):
    vzi.example(dt.date(2018, 5, 1))
    period = vzi.grant(dt.date(2024, 6, 1)).get_json()
    assert cancel(vzi, AS_OF).status_code == 201
    cut = vzi.client.get(vzi.url(f"certifications/{period['id']}"), headers=vzi.headers).get_json()
    assert cut["end_date"] == "2025-06-01"
    # the position still runs: from the next day a new basisregistratie begins
    assert vzi.evaluation(AS_OF)["registration"] == "base"


@pytest.mark.parametrize("body,field", [
    ({"cancelled_on": "2025-03-01", "reason": ""}, "reason"),
    ({"cancelled_on": "2025-03-01"}, "reason"),
    ({"reason": "x"}, "cancelled_on"),
    ({"cancelled_on": "1949-12-31", "reason": "x"}, "cancelled_on"),
    ({"cancelled_on": "2025-02-30", "reason": "x"}, "cancelled_on"),
])
def test_cancellation_validation_names_the_field(vzi, body, field):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    response = vzi.client.post(vzi.url("registration-cancellations"), json=body, headers=vzi.headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_nothing_to_cancel_is_422_and_whitespace_reason_refused(vzi):
    assert cancel(vzi, "2025-03-01").status_code == 422  # no registration at all
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    response = cancel(vzi, "2025-03-01", reason="   ")
    assert response.status_code == 422
    assert "reason" in response.get_json()["errors"]


def test_technician_cannot_cancel(app, client, make, vzi):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2020-01-01")
    _, technician = make.user("technician", staff_id=vzi.staff_id)
    assert cancel(vzi, "2025-03-01", headers=technician).status_code == 403


# --- "Ingangsdatum 1 juni 2025" -------------------------------------------------------------------


def test_evaluation_names_the_norm_set_and_a_grant_dated_earlier_is_history(vzi):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", "2021-10-01")
    assert vzi.evaluation(AS_OF)["norms"] == {
        "name": "VZI certificatienormen", "effective_from": "2025-06-01", "retroactive": False,
        "note": "VZI certificatienormen, in effect from 2025-06-01."}
    earlier = vzi.evaluation(dt.date(2022, 6, 1))["norms"]
    assert earlier["retroactive"] is True
    assert "history entered after the fact" in earlier["note"]
    granted = vzi.grant(dt.date(2022, 6, 1))
    assert granted.status_code == 201  # accepted, judged by these norms, and it says so
    assert granted.get_json()["norms"] == {"name": "VZI certificatienormen", "effective_from": "2025-06-01",
                                           "retroactive": True}


# --- messages in Dutch and English ----------------------------------------------------------------


def test_api_answers_in_the_language_of_accept_language(vzi):
    vzi.education()
    vzi.certificates("MTA", "MTB")
    vzi.position("MT4", dt.date(2015, 6, 1))  # 10 completed years: 64.80 h, of which 32.40 technical
    vzi.cpd("32.39", 1)
    vzi.cpd("33")
    english = {u["code"]: u["message"] for u in vzi.evaluation()["unmet"]}
    assert english == {"cpd_technical": "CPD technical: 32.39 of 32.40 h"}
    dutch = vzi.evaluation(headers={**vzi.headers, "Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert dutch["unmet"] == [{"code": "cpd_technical", "message": "CPD technisch: 32,39 van 32,40 uur"}]
    assert dutch["norms"]["note"] == "VZI certificatienormen, ingangsdatum 1 juni 2025."
    asked_en = vzi.evaluation(headers={**vzi.headers, "Accept-Language": "en"})
    assert asked_en["unmet"][0]["message"] == "CPD technical: 32.39 of 32.40 h"
    refused = vzi.grant(AS_OF, headers={**vzi.headers, "Accept-Language": "nl"})
    assert refused.get_json()["unmet"] == [{"code": "cpd_technical", "message": "CPD technisch: 32,39 van 32,40 uur"}]


# --- i.o. extension within the first period -----------------------------------------------------


def test_extension_applied_for_within_the_first_period_respects_the_period_dates(vzi):
    vzi.education()
    vzi.position("MT4", dt.date(2024, 6, 1))
    first = vzi.grant(dt.date(2025, 6, 1)).get_json()  # toelating i.o.: certificates and CPD waived
    assert (first["designation"], first["start_date"], first["end_date"]) == ("in_training", "2025-06-01",
                                                                              "2028-06-01")
    vzi.certificates("MTA", "MTB")
    vzi.cpd("36", 1, on="2025-09-01")
    vzi.cpd("36", None, on="2025-10-01")
    extension = vzi.grant(dt.date(2025, 12, 1))
    assert extension.status_code == 201, extension.get_json()
    history = vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json()
    assert [(c["designation"], c["start_date"], c["end_date"]) for c in history] == [
        ("in_training", "2025-06-01", "2025-12-01"), ("in_training", "2025-12-01", "2028-12-01")]
    # the extension starts on its own day, never before the first period
    assert vzi.grant(dt.date(2025, 5, 31)).status_code == 409


# --- bounds: 422 naming the field, never a 500 ----------------------------------------------------


@pytest.mark.parametrize("part,body,field", [
    ("cpd-activities", {"date": "2024-01-01", "hours": "0", "title": "A"}, "hours"),
    ("cpd-activities", {"date": "2024-01-01", "hours": "10000.01", "title": "A"}, "hours"),
    ("cpd-activities", {"date": "1949-12-31", "hours": "1", "title": "A"}, "date"),
    ("cpd-activities", {"date": "2101-01-01", "hours": "1", "title": "A"}, "date"),
    ("cpd-activities", {"date": "0202-01-01", "hours": "1", "title": "A"}, "date"),
    ("positions", {"level": "MT4", "start_date": "1949-12-31"}, "start_date"),
    ("positions", {"level": "MT4", "start_date": "2024-01-01", "end_date": "2101-01-01"}, "end_date"),
    ("educations", {"level": "MBO4", "obtained_on": "2101-01-01"}, "obtained_on"),
    ("certificates", {"code": "MTA", "obtained_on": "1900-01-01"}, "obtained_on"),
    ("work-experience", {"period_start": "1949-12-31", "period_end": "2024-12-31", "hours": "600"}, "period_start"),
    ("work-experience", {"period_start": "2024-01-01", "period_end": "2024-12-31", "hours": "0.00"}, "hours"),
    ("work-experience", {"period_start": "2024-01-01", "period_end": "2024-12-31", "hours": "1e400"}, "hours"),
])
def test_bounds_are_422_naming_the_field(app, vzi, part, body, field):
    if part == "work-experience":
        body = {**body, "technology_group_id": group_id(app, 1)}
    response = vzi.client.post(vzi.url(part), json=body, headers=vzi.headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_bounds_themselves_are_accepted(vzi):
    assert vzi.cpd("10000", 1, on="2100-12-31")["hours"] == "10000.00"
    assert vzi.cpd("0.01", None, on="1950-01-01")["hours"] == "0.01"


@pytest.mark.parametrize("query", ["as_of=1949-12-31", "as_of=2101-01-01", "as_of=99999-01-01"])
def test_evaluation_and_forecast_dates_out_of_range_are_422(vzi, query):
    for path in ("evaluation", "forecast"):
        response = vzi.client.get(vzi.url(f"{path}?{query}"), headers=vzi.headers)
        assert response.status_code == 422
        assert "as_of" in response.get_json()["errors"]


def test_grant_date_out_of_range_is_422(vzi):
    response = vzi.grant("1949-12-31")
    assert response.status_code == 422
    assert "as_of" in response.get_json()["errors"]
