"""``GET /api/v1/big/staff/{id}/evaluation``: status, independence, re-registration, quality register."""
import datetime as dt
from decimal import Decimal

from tests.plugins.big_kt.conftest import BIG


def _codes(answer):
    return [u["code"] for u in answer["unmet"]]


def test_evaluation_of_a_registered_kt(big):
    staff_id = big.register()
    big.work_hours(staff_id, "2023-03-01", "2025-06-15", "1200")
    answer = big.evaluation(staff_id, "2025-06-15")
    assert answer["status"] == "registered" and answer["independent"] is True
    assert answer["reregistration"] == {
        "applies": True, "period_start": "2023-03-01", "due": "2028-03-01", "hours_required": "2080.00",
        "hours_done": "1200.00", "on_track": True, "hours_missing": "880.00", "missed": None}
    assert answer["unmet"] == [] and answer["quality_register"] is None


def test_without_registration_only_under_instruction(big):
    answer = big.evaluation(big.staff())
    assert answer["status"] is None and answer["independent"] is False
    assert answer["reregistration"]["applies"] is False
    assert [u["code"] for u in answer["unmet"]] == ["not_registered"]


def test_as_of_defaults_to_today(big, day):
    staff_id = big.register()
    assert big.evaluation(staff_id) == big.evaluation(staff_id, str(day))


def test_bad_as_of_is_422(big, client, admin):
    response = client.get(f"{BIG}/staff/{big.staff()}/evaluation?as_of=2025-02-30", headers=admin)
    assert response.status_code == 422 and "as_of" in response.json["errors"]


def _last_day_of_first_period(big, hours):
    staff_id = big.register()
    big.work_hours(staff_id, "2023-03-01", "2025-12-31", hours)
    return big.evaluation(staff_id, "2028-02-29")


def test_2080_hours_on_the_last_day_is_on_track(big):
    # Besluit periodieke registratie Wet BIG: 2,080 hours in the 5 years
    answer = _last_day_of_first_period(big, "2080")
    assert answer["reregistration"]["on_track"] is True and answer["unmet"] == []


def test_2079_hours_on_the_last_day_is_not(big):
    answer = _last_day_of_first_period(big, "2079")
    assert answer["reregistration"]["on_track"] is False
    (unmet,) = answer["unmet"]
    assert unmet["code"] == "reregistration_hours" and "2,079.00" in unmet["message"]
    assert answer["independent"] is True  # being behind does not itself withdraw authority


def test_forecast_mid_period(big):
    staff_id = big.register()
    # 2023-03-01 .. 2025-09-01 is 916 of 1,827 days: 2,080 * 916 / 1,827 = 1,042.85 h expected
    big.work_hours(staff_id, "2023-03-01", "2025-08-31", "1042.84")
    assert big.evaluation(staff_id, "2025-09-01")["reregistration"]["on_track"] is False
    big.work_hours(staff_id, "2025-09-01", "2025-09-01", "0.01")
    assert big.evaluation(staff_id, "2025-09-01")["reregistration"]["on_track"] is True


def test_next_period_starts_on_the_due_date(big):
    staff_id = big.register()
    rr = big.evaluation(staff_id, "2028-03-01")["reregistration"]
    assert (rr["period_start"], rr["due"]) == ("2028-03-01", "2033-03-01")


def test_diploma_of_28_february_2023_starts_on_1_march_2023(big):
    # Besluit periodieke registratie Wet BIG (as docs/big_kt.md reads it): a diploma before 1 March 2023 starts the first period on that date
    staff_id = big.register(registered_on="2023-04-03", diploma_on="2023-02-28")
    rr = big.evaluation(staff_id, "2024-01-01")["reregistration"]
    assert (rr["period_start"], rr["due"]) == ("2023-03-01", "2028-03-01")


def test_diploma_of_1_march_2023_starts_on_the_registration_date(big):
    staff_id = big.register(registered_on="2023-04-03", diploma_on="2023-03-01")
    rr = big.evaluation(staff_id, "2024-01-01")["reregistration"]
    assert (rr["period_start"], rr["due"]) == ("2023-04-03", "2028-04-03")


def test_reregistration_does_not_apply_before_the_effective_date(big):
    staff_id = big.register()
    rr = big.evaluation(staff_id, "2023-02-28")["reregistration"]
    assert rr["applies"] is False
    assert big.evaluation(staff_id, "2023-03-01")["reregistration"]["applies"] is True


def test_norm_and_effective_date_are_configuration(big, app, monkeypatch):
    monkeypatch.setitem(app.config, "BIG_REREGISTRATION_HOURS", 1000)
    monkeypatch.setitem(app.config, "BIG_REREGISTRATION_EFFECTIVE_DATE", "2024-01-01")
    staff_id = big.register()
    rr = big.evaluation(staff_id, "2024-06-01")["reregistration"]
    assert rr["hours_required"] == "1000.00"
    assert (rr["period_start"], rr["due"]) == ("2024-01-01", "2029-01-01")
    assert big.evaluation(staff_id, "2023-12-31")["reregistration"]["applies"] is False


def test_restriction_that_ended_yesterday_no_longer_applies(big, day):
    yesterday = day - dt.timedelta(days=1)
    staff_id = big.register(status="restricted", restriction="Geen puncties", restriction_from="2024-01-01",
                            restriction_until=str(yesterday))
    answer = big.evaluation(staff_id, str(day))
    assert answer["status"] == "registered" and answer["independent"] is True
    assert "restricted" not in _codes(answer)
    on_last_day = big.evaluation(staff_id, str(yesterday))
    assert on_last_day["status"] == "restricted" and on_last_day["independent"] is False
    assert "restricted" in _codes(on_last_day)


def test_past_suspension_is_honoured(big, client, admin):
    staff_id = big.register()
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    big.ok(big.put(staff_id, big_number=number, status="suspended", status_since="2024-02-01"))
    big.ok(big.put(staff_id, big_number=number, status="registered", status_since="2024-05-01"))
    assert big.evaluation(staff_id, "2024-01-31")["status"] == "registered"
    during = big.evaluation(staff_id, "2024-02-01")
    assert during["status"] == "suspended" and during["independent"] is False
    assert _codes(during)[0] == "suspended"
    assert big.evaluation(staff_id, "2024-04-30")["status"] == "suspended"
    assert big.evaluation(staff_id, "2024-05-01")["status"] == "registered"


def test_struck_off(big):
    staff_id = big.register(status="struck_off", status_since="2025-01-01")
    answer = big.evaluation(staff_id, "2025-06-01")
    assert answer["status"] == "struck_off" and answer["independent"] is False
    assert answer["reregistration"]["applies"] is False


def test_technician_reads_own_evaluation_only(big, make, client):
    mine, theirs = big.register(), big.register()
    _, tech = make.user("technician", staff_id=mine)
    assert big.evaluation(mine, headers=tech)["status"] == "registered"
    assert client.get(f"{BIG}/staff/{theirs}/evaluation", headers=tech).status_code == 404


# ------------------------------------------------------------- quality register


def _quality(big, client, admin, points):
    staff_id = big.register()
    big.work_hours(staff_id, "2023-03-01", "2026-05-31", "2080")  # re-registration on track
    assert client.put(f"{BIG}/staff/{staff_id}/quality-register", json={"entry_date": "2022-01-01"},
                      headers=admin).status_code == 200
    for date, amount, kind in points:
        response = client.post(f"{BIG}/staff/{staff_id}/quality-activities", headers=admin,
                               json={"date": date, "points": amount, "kind": kind, "title": "Congres"})
        assert response.status_code == 201, response.json
    return staff_id


def test_quality_register_200_with_100_a_is_met(big, client, admin):
    staff_id = _quality(big, client, admin, [("2023-05-01", "100", "A"), ("2024-05-01", "100", "B")])
    answer = big.evaluation(staff_id, "2026-06-01")
    assert answer["quality_register"] == {
        "entry_date": "2022-01-01", "period_start": "2022-01-01", "due": "2027-01-01",
        "points_required": "200.00", "a_points_required": "100.00", "points_done": "200.00",
        "a_points_done": "100.00", "met": True}
    assert answer["unmet"] == []


def test_quality_register_99_a_points_is_not_met(big, client, admin):
    staff_id = _quality(big, client, admin, [("2023-05-01", "99", "A"), ("2024-05-01", "101", "B")])
    answer = big.evaluation(staff_id, "2026-06-01")
    assert answer["quality_register"]["met"] is False
    assert [u["code"] for u in answer["unmet"]] == ["quality_a_points"]


def test_quality_activities_before_the_entry_date_are_ignored(big, client, admin):
    staff_id = _quality(big, client, admin, [("2021-12-31", "100", "A"), ("2024-05-01", "100", "B")])
    answer = big.evaluation(staff_id, "2026-06-01")
    assert answer["quality_register"]["a_points_done"] == "0.00"
    assert {u["code"] for u in answer["unmet"]} == {"quality_points", "quality_a_points"}
    client.post(f"{BIG}/staff/{staff_id}/quality-activities", headers=admin,
                json={"date": "2022-01-01", "points": "100", "kind": "A"})
    assert big.evaluation(staff_id, "2026-06-01")["quality_register"]["met"] is True


def test_quality_register_entry_crud(big, client, admin):
    staff_id = big.staff()
    url = f"{BIG}/staff/{staff_id}/quality-register"
    assert client.get(url, headers=admin).status_code == 404
    assert client.put(url, json={"entry_date": "2022-01-01"}, headers=admin).json["entry_date"] == "2022-01-01"
    assert client.put(url, json={"entry_date": "2022-02-01"}, headers=admin).status_code == 200
    assert client.get(url, headers=admin).json["entry_date"] == "2022-02-01"
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_quality_activity_kind_is_a_or_b(big, client, admin):
    response = client.post(f"{BIG}/staff/{big.staff()}/quality-activities", headers=admin,
                           json={"date": "2024-01-01", "points": "5", "kind": "C"})
    assert response.status_code == 422 and "kind" in response.json["errors"]


def test_points_and_hours_are_decimal_strings(big, client, admin):
    staff_id = big.staff()
    row = client.post(f"{BIG}/staff/{staff_id}/quality-activities", headers=admin,
                      json={"date": "2024-01-01", "points": "2.5", "kind": "A"}).json
    assert row["points"] == "2.50" and Decimal(row["points"]) == Decimal("2.5")


def test_quality_activity_in_the_future_is_refused(big, client, admin, day):
    response = client.post(f"{BIG}/staff/{big.staff()}/quality-activities", headers=admin,
                           json={"date": str(day + dt.timedelta(days=1)), "points": "5", "kind": "A"})
    assert response.status_code == 422 and "date" in response.json["errors"]
