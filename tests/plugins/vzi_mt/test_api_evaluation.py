"""The evaluation through the API: worked examples of the VZI certificatienormen (juni 2025) and the registration states."""
import datetime as dt

from tests.plugins.vzi_mt.conftest import AS_OF


def test_example_1_mt4_expert_eligible_with_dispensation(vzi):
    body = vzi.example(dt.date(2018, 5, 1)).evaluation()
    assert body["level"] == "MT4"
    assert body["eligible"] is True
    assert body["designation"] == "expert"
    assert body["registration"] == "base"
    assert body["experience_years"] == "7.08"  # 7 completed years + 31 of 366 days
    assert body["experience_years_at_level"] == "7.08"
    assert body["dispensation_percent"] == 7
    assert body["cpd"] == {"required_hours": "66.96", "done_hours": "70.00", "required_technical_hours": "33.48",
                           "technical_hours": "40.00", "waived": False}
    assert body["expertise_areas"] == [1]
    assert body["unmet"] == []


def test_example_2_same_person_with_5_years_not_eligible(vzi):
    body = vzi.example(dt.date(2020, 5, 1)).evaluation()
    assert body["eligible"] is False
    assert body["dispensation_percent"] == 0
    assert body["cpd"]["required_hours"] == "72.00"
    assert body["designation"] == "professional"
    assert body["unmet"] == [{"code": "cpd_total", "message": "CPD: 70.00 of 72.00 h"}]


def test_example_3_mt3_in_training_first_certification_waives_cpd(vzi):
    vzi.education("MBO3", fields=("ict",), components=())
    vzi.position("MT3", dt.date(2024, 10, 1))  # 8 months before AS_OF
    body = vzi.evaluation()
    assert body["level"] == "MT3"
    assert body["experience_years_at_level"] == "0.66"
    assert body["designation"] == "in_training"
    assert body["cpd"]["waived"] is True
    assert body["cpd"]["done_hours"] == "0.00"
    assert body["eligible"] is True
    assert body["first_certification"] is True


def test_without_position_registration_none_and_position_unmet(vzi):
    vzi.education("MBO3", fields=("ict",), components=())
    body = vzi.evaluation()
    assert body["registration"] == "none"
    assert body["level"] is None
    assert body["designation"] is None
    assert [u["code"] for u in body["unmet"]] == ["position"]


def test_position_without_mt3_education_is_no_base_registration(vzi):
    vzi.education("MBO3", fields=(), components=())  # no technical field
    vzi.position("MT3", dt.date(2020, 1, 1))
    body = vzi.evaluation()
    assert body["registration"] == "none"
    assert "education" in [u["code"] for u in body["unmet"]]


def test_unmet_messages_state_the_shortfall_in_numbers(vzi):
    vzi.education()
    vzi.position("MT4", dt.date(2020, 5, 1))
    vzi.cpd("10", 1)
    body = vzi.evaluation()
    unmet = {u["code"]: u["message"] for u in body["unmet"]}
    assert unmet["cpd_total"] == "CPD: 10.00 of 72.00 h"
    assert unmet["cpd_technical"] == "CPD technical: 10.00 of 36.00 h"
    assert unmet["certificates"] == "Certificates: missing MTA, MTB (or 6 years at MT4: 5.08 of 6.00 years)"


def test_cpd_with_technology_group_id_counts_by_group_code(app, vzi):
    """The rules take the group code; the row keeps the id (joined, not assumed equal)."""
    vzi.example(dt.date(2018, 5, 1))
    body = vzi.evaluation()
    assert body["cpd"]["technical_hours"] == "40.00"


def test_evaluation_defaults_to_today(vzi):
    vzi.position("MT3", dt.date(2024, 1, 1))
    body = vzi.client.get(vzi.url("evaluation"), headers=vzi.headers).get_json()
    assert body["as_of"] == dt.date.today().isoformat()


def test_evaluation_of_unknown_staff_is_404(client, admin):
    assert client.get("/api/v1/vzi/staff/999999/evaluation", headers=admin).status_code == 404


def test_bad_as_of_is_422(vzi):
    response = vzi.client.get(vzi.url("evaluation?as_of=2025-13-01"), headers=vzi.headers)
    assert response.status_code == 422
    assert "as_of" in response.get_json()["errors"]


def test_window_edge_cpd_on_window_start_does_not_count(vzi):
    vzi.example(dt.date(2018, 5, 1))
    vzi.cpd("50", None, on="2022-06-01")  # AS_OF - 3 years: outside (as_of - 3y, as_of]
    vzi.cpd("1", None, on="2022-06-02")  # inside
    assert vzi.evaluation(AS_OF)["cpd"]["done_hours"] == "71.00"
