"""Certification periods: grant, refusal, history, expiry and the fall-back to basisregistratie."""
import datetime as dt

from tests.plugins.vzi_mt.conftest import AS_OF


def mt3_trainee(vzi, start=dt.date(2021, 10, 1)):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", start)
    return vzi


def test_grant_when_eligible_takes_level_and_designation_from_the_evaluation(vzi):
    vzi.example(dt.date(2018, 5, 1))
    response = vzi.grant(AS_OF)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["level"], body["designation"]) == ("MT4", "expert")
    assert (body["start_date"], body["end_date"]) == ("2025-06-01", "2028-06-01")
    assert body["dispensation_percent"] == 7  # fixed at the period start
    assert body["norms"] == {"name": "VZI certificatienormen", "effective_from": "2025-06-01", "retroactive": False}
    history = vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json()
    assert [c["id"] for c in history] == [body["id"]]
    assert vzi.evaluation(AS_OF)["registration"] == "certified"


def test_refusal_is_422_with_the_unmet_norms_and_writes_nothing(vzi):
    vzi.example(dt.date(2020, 5, 1))
    response = vzi.grant(AS_OF)
    assert response.status_code == 422
    body = response.get_json()
    unmet = [{"code": "cpd_total", "message": "CPD: 70.00 of 72.00 h"}]
    assert body["errors"] == {"unmet": unmet}
    assert body["unmet"] == unmet
    assert vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json() == []


def test_level_cannot_be_chosen(vzi):
    vzi.example(dt.date(2018, 5, 1))
    response = vzi.client.post(vzi.url("certifications"), json={"as_of": "2025-06-01", "level": "MT5"},
                               headers=vzi.headers)
    assert response.status_code == 422
    assert "level" in response.get_json()["errors"]
    assert vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json() == []


def test_as_of_is_required_and_not_in_the_future(vzi):
    mt3_trainee(vzi)
    assert vzi.client.post(vzi.url("certifications"), json={}, headers=vzi.headers).status_code == 422
    response = vzi.grant(dt.date.today() + dt.timedelta(days=1))
    assert response.status_code == 422
    assert "as_of" in response.get_json()["errors"]


def test_expiry_falls_back_to_base_registration(vzi):
    mt3_trainee(vzi)
    assert vzi.grant(dt.date(2022, 6, 1)).status_code == 201  # [2022-06-01, 2025-06-01)
    assert vzi.evaluation(dt.date(2025, 5, 31))["registration"] == "certified"
    after = vzi.evaluation(dt.date(2025, 6, 1))
    assert after["registration"] == "base"  # the end date is the first day not covered


def test_application_during_a_running_period_starts_the_new_period_then(vzi):
    vzi.example(dt.date(2018, 5, 1))
    first = vzi.grant(dt.date(2024, 6, 1)).get_json()
    second = vzi.grant(AS_OF).get_json()
    history = vzi.client.get(vzi.url("certifications"), headers=vzi.headers).get_json()
    assert [(c["id"], c["start_date"], c["end_date"]) for c in history] == [
        (first["id"], "2024-06-01", "2025-06-01"),
        (second["id"], "2025-06-01", "2028-06-01"),
    ]


def test_application_before_an_existing_period_is_a_conflict(vzi):
    mt3_trainee(vzi)
    assert vzi.grant(dt.date(2022, 6, 1)).status_code == 201
    assert vzi.grant(dt.date(2022, 6, 1)).status_code == 409
    assert vzi.grant(dt.date(2022, 1, 1)).status_code == 409


def test_withdrawing_a_period_restores_the_one_it_cut_short(vzi):
    vzi.example(dt.date(2018, 5, 1))
    first = vzi.grant(dt.date(2024, 6, 1)).get_json()
    second = vzi.grant(AS_OF).get_json()
    response = vzi.client.delete(vzi.url(f"certifications/{second['id']}"), headers=vzi.headers)
    assert response.status_code == 204
    restored = vzi.client.get(vzi.url(f"certifications/{first['id']}"), headers=vzi.headers).get_json()
    assert restored["end_date"] == "2027-06-01"


def test_certificates_waived_only_for_a_first_in_training_certification(vzi):
    # seed MT4 §1.2 "Geldt niet voor toelating met de aanduiding i.o.": toelating = first certification
    vzi.education()
    vzi.position("MT4", dt.date(2024, 6, 1))
    first = vzi.grant(dt.date(2025, 6, 1))
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["designation"] == "in_training"
    # the i.o. extension is a re-certification: certificates and CPD apply
    refused = vzi.grant(dt.date(2026, 6, 1))
    assert refused.status_code == 422
    assert [u["code"] for u in refused.get_json()["unmet"]] == ["certificates", "cpd_total", "cpd_technical"]
    vzi.certificates("MTA", "MTB")
    vzi.cpd("36", 1, on="2026-01-10")
    vzi.cpd("36", None, on="2026-02-10")
    extension = vzi.grant(dt.date(2026, 6, 1))
    assert extension.status_code == 201, extension.get_json()
    assert extension.get_json()["designation"] == "in_training"


def test_in_training_can_be_extended_once(vzi):
    vzi.education()
    vzi.certificates("MTA", "MTB")
    vzi.position("MT4", dt.date(2024, 6, 1))
    vzi.cpd("36", 1, on="2025-01-10")
    vzi.cpd("36", None, on="2025-02-10")
    assert vzi.grant(dt.date(2025, 6, 1)).status_code == 201
    assert vzi.grant(dt.date(2025, 7, 1)).status_code == 201
    third = vzi.grant(dt.date(2025, 8, 1))
    assert third.status_code == 422
    assert [u["code"] for u in third.get_json()["unmet"]] == ["in_training_exhausted"]


def test_certificates_required_for_first_certification_as_professional(vzi):
    vzi.education()
    vzi.position("MT4", dt.date(2021, 6, 1))  # 4 years: professional
    vzi.cpd("36", 1)
    vzi.cpd("36")
    response = vzi.grant(AS_OF)
    assert response.status_code == 422
    assert [u["code"] for u in response.get_json()["unmet"]] == ["certificates"]


def test_only_admin_withdraws_a_period(app, client, admin, make):
    from tests.plugins.vzi_mt.conftest import Vzi
    department = make.department()
    vzi = Vzi(app, client, admin, make.staff(department_id=department.id).id)
    mt3_trainee(vzi)
    period = vzi.grant(dt.date(2022, 6, 1)).get_json()
    _, manager = make.user("manager", department_id=department.id)
    response = vzi.client.delete(vzi.url(f"certifications/{period['id']}"), headers=manager)
    assert response.status_code == 403
