"""Fail closed through the API: the decision never says 'allowed' where a BIG rule says no.

Besluit opleidingseisen en deskundigheidsgebied klinisch technoloog (seed 001) and
the periodic re-registration of the Wet BIG; every boundary is tried on the day
itself, the last day and the day after.
"""
import datetime as dt

import pytest

from tests.plugins.big_kt.conftest import BIG, big_reasons


def post_hours(client, admin, staff_id, start, end, hours):
    return client.post(f"{BIG}/staff/{staff_id}/work-hours", headers=admin, json={
        "period_start": str(start), "period_end": str(end), "hours": str(hours)})


# ------------------------------------------------------- work hours: overlap


@pytest.mark.parametrize("start, end, overlaps", [
    ("2024-01-01", "2024-01-31", True),   # same period
    ("2023-12-01", "2024-01-01", True),   # shares the first day
    ("2024-06-30", "2024-07-31", True),   # shares the last day
    ("2024-03-01", "2024-03-31", True),   # inside
    ("2023-12-01", "2023-12-31", False),  # ends the day before
    ("2024-07-01", "2024-07-31", False),  # starts the day after
])
def test_overlapping_work_hours_are_refused(big, client, admin, start, end, overlaps):
    staff_id = big.staff()
    big.work_hours(staff_id, "2024-01-01", "2024-06-30", "500")
    response = post_hours(client, admin, staff_id, start, end, "10")
    if overlaps:
        assert response.status_code == 422, response.json
        assert {"period_start", "period_end"} <= set(response.json["errors"])
        assert "2024-01-01 to 2024-06-30" in response.json["errors"]["period_start"][0]
    else:
        assert response.status_code == 201, response.json


def test_overlap_of_another_person_does_not_count(big, client, admin):
    big.work_hours(big.staff(), "2024-01-01", "2024-06-30", "500")
    assert post_hours(client, admin, big.staff(), "2024-01-01", "2024-06-30", "500").status_code == 201


def test_patch_into_an_overlap_is_refused_and_changes_nothing(big, client, admin):
    staff_id = big.staff()
    big.work_hours(staff_id, "2024-01-01", "2024-06-30", "500")
    second = big.work_hours(staff_id, "2024-07-01", "2024-12-31", "400")
    url = f"{BIG}/staff/{staff_id}/work-hours/{second['id']}"
    response = client.patch(url, json={"period_start": "2024-06-30"}, headers=admin)
    assert response.status_code == 422 and "period_start" in response.json["errors"]
    assert client.get(url, headers=admin).json["period_start"] == "2024-07-01"
    # a record does not overlap itself
    assert client.patch(url, json={"hours": "410"}, headers=admin).status_code == 200


def test_the_same_hours_never_count_twice(big, client, admin):
    staff_id = big.register(registered_on="2023-06-01", diploma_on="2023-05-01")
    big.work_hours(staff_id, "2024-01-01", "2024-12-31", "1000")
    post_hours(client, admin, staff_id, "2024-01-01", "2024-12-31", "1000")
    assert big.evaluation(staff_id, "2025-01-01")["reregistration"]["hours_done"] == "1000.00"


# ------------------------------------------------------------------- bounds


@pytest.mark.parametrize("hours, ok", [
    ("0.01", True), ("10000", True), ("10000.00", True), ("10000.01", False), ("0", False), ("-1", False),
    ("1.234", False), ("1.230", True), ("1e400", False), ("-1e400", False), ("NaN", False), ("Infinity", False),
    ("99999999999999999999999999", False), ("abc", False), (True, False),
])
def test_hours_bounds(big, client, admin, hours, ok):
    staff_id = big.staff()
    response = client.post(f"{BIG}/staff/{staff_id}/work-hours", headers=admin, json={
        "period_start": "2020-01-01", "period_end": "2024-12-31", "hours": hours})
    assert response.status_code == (201 if ok else 422), response.json
    if not ok:
        assert "hours" in response.json["errors"]


@pytest.mark.parametrize("hours, ok", [("48.00", True), ("48.01", False)])
def test_no_more_hours_than_the_period_holds(big, client, admin, hours, ok):
    response = post_hours(client, admin, big.staff(), "2024-02-28", "2024-02-29", hours)
    assert response.status_code == (201 if ok else 422), response.json


@pytest.mark.parametrize("day, ok", [("1950-01-01", True), ("1949-12-31", False),
                                     ("2100-12-31", True), ("2101-01-01", False), ("9999-12-31", False)])
def test_evaluation_date_bounds(big, client, admin, day, ok):
    staff_id = big.register()
    response = client.get(f"{BIG}/staff/{staff_id}/evaluation?as_of={day}", headers=admin)
    assert response.status_code == (200 if ok else 422), response.json
    if not ok:
        assert "as_of" in response.json["errors"]


@pytest.mark.parametrize("field", ["registered_on", "diploma_on", "status_since", "restriction_from",
                                   "restriction_until"])
@pytest.mark.parametrize("value", ["1949-12-31", "2101-01-01", "9999-12-31", "0001-01-01"])
def test_registration_date_bounds(big, field, value):
    response = big.put(big.staff(), **{field: value})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


@pytest.mark.parametrize("field", ["period_start", "period_end"])
def test_work_hours_date_bounds(big, client, admin, field):
    body = {"period_start": "2024-01-01", "period_end": "2024-01-31", "hours": "10", field: "1949-12-31"}
    response = client.post(f"{BIG}/staff/{big.staff()}/work-hours", headers=admin, json=body)
    assert response.status_code == 422 and field in response.json["errors"]
