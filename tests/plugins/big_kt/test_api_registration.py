"""The register entry per person through ``/api/v1/big/staff/{id}/registration`` (Wet BIG art. 3; README, Using the API)."""
import datetime as dt

from tests.plugins.big_kt.conftest import BIG, next_big_number


def test_put_then_get_returns_the_entry(big, client, admin):
    staff_id = big.staff()
    body = big.registration_body(foreign_diploma=True, recognition_decision="CBGV 2021-123", language_proof=True,
                                 recognition_outcome="recognised", recognition_decided_on="2021-08-01")
    put = client.put(f"{BIG}/staff/{staff_id}/registration", json=body, headers=admin)
    assert put.status_code == 200, put.json
    got = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json
    for key in ("big_number", "registered_on", "status", "diploma_on", "institution", "track",
                "foreign_diploma", "recognition_decision", "language_proof", "recognition_outcome",
                "recognition_decided_on"):
        assert got[key] == body[key]
    assert got["staff_id"] == staff_id and got["status_since"] == "2021-09-01"
    assert got["restricted_procedures"] == [] and got["restriction"] is None


def test_get_without_registration_is_404(big, client, admin):
    assert client.get(f"{BIG}/staff/{big.staff()}/registration", headers=admin).status_code == 404


def test_unknown_staff_is_404(client, admin):
    assert client.get(f"{BIG}/staff/999999/registration", headers=admin).status_code == 404


def test_big_number_must_be_exactly_11_digits(big):
    staff_id = big.staff()
    for bad in ("1234567890", "123456789012", "1234567890a"):
        response = big.put(staff_id, big_number=bad)
        assert response.status_code == 422 and "big_number" in response.json["errors"], bad
    assert big.put(staff_id, big_number="01234567890").status_code == 200


def test_big_number_is_unique(big):
    number = next_big_number()
    big.register(big_number=number)
    response = big.put(big.staff(), big_number=number)
    assert response.status_code == 409 and "big_number" in response.json["errors"]
    assert number not in response.json["message"]


def test_unknown_field_is_refused(big):
    response = big.put(big.staff(), colour="blue")
    assert response.status_code == 422 and "colour" in response.json["errors"]


def test_unknown_status_is_refused(big):
    assert big.put(big.staff(), status="retired").status_code == 422


def test_registration_before_1_july_2020_takes_effect_on_that_date(big):
    # Besluit klinisch technoloog, art. 6: an early decision takes effect on 1 July 2020
    staff_id = big.staff()
    response = big.put(staff_id, registered_on="2020-06-30", diploma_on="2019-06-30")
    assert response.status_code == 200, response.json
    assert response.json["registered_on"] == "2020-06-30"
    assert response.json["registration_effective_on"] == "2020-07-01"
    response = big.put(staff_id, big_number=response.json["big_number"], registered_on="2020-07-02",
                       diploma_on="2019-06-30")
    assert response.json["registration_effective_on"] == "2020-07-02"


def test_registration_in_the_future_is_refused(big, day):
    response = big.put(big.staff(), registered_on=str(day + dt.timedelta(days=1)))
    assert response.status_code == 422 and "registered_on" in response.json["errors"]


def test_diploma_of_exactly_5_years_is_accepted(big):
    # Besluit klinisch technoloog, explanation of art. 6: "ouder dan vijf jaar" -- exactly five is not older
    response = big.put(big.staff(), registered_on="2024-05-10", diploma_on="2019-05-10")
    assert response.status_code == 200, response.json


def test_diploma_one_day_older_than_5_years_is_refused(big):
    response = big.put(big.staff(), registered_on="2024-05-10", diploma_on="2019-05-09")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["diploma_on"]


def test_old_diploma_registered_before_periodic_registration_is_kept(big):
    assert big.put(big.staff(), registered_on="2022-01-10", diploma_on="2015-06-30").status_code == 200


def test_diploma_age_follows_the_configured_effective_date(big, app, monkeypatch):
    monkeypatch.setitem(app.config, "BIG_REREGISTRATION_EFFECTIVE_DATE", dt.date(2025, 1, 1))
    assert big.put(big.staff(), registered_on="2024-05-10", diploma_on="2015-05-09").status_code == 200


def test_foreign_diploma_needs_recognition_and_dutch_b2(big):
    response = big.put(big.staff(), foreign_diploma=True)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"recognition_outcome", "recognition_decided_on", "language_proof"}


def test_restricted_needs_the_restriction_text(big):
    response = big.put(big.staff(), status="restricted")
    assert response.status_code == 422 and "restriction" in response.json["errors"]


def test_restriction_dates_in_order_and_known_procedures(big):
    response = big.put(big.staff(), status="restricted", restriction="x", restriction_from="2024-05-01",
                       restriction_until="2024-04-30", restricted_procedures=["narcosis"])
    assert response.status_code == 422
    assert {"restriction_until", "restricted_procedures"} <= set(response.json["errors"])


def test_history_records_each_status_change_with_its_date(big, client, admin):
    staff_id = big.register(registered_on="2021-09-01")
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    assert big.put(staff_id, big_number=number, status="suspended", status_since="2024-02-01").status_code == 200
    # same status again: no new history row
    assert big.put(staff_id, big_number=number, status="suspended", track="Sensing & Stimulation").status_code == 200
    assert big.put(staff_id, big_number=number, status="registered", status_since="2024-05-01").status_code == 200
    rows = client.get(f"{BIG}/staff/{staff_id}/registration/history", headers=admin).json
    assert [(r["status"], r["effective_on"]) for r in rows] == [
        ("registered", "2021-09-01"), ("suspended", "2024-02-01"), ("registered", "2024-05-01")]


def test_status_change_cannot_predate_the_last_one(big, client, admin):
    staff_id = big.register()
    number = client.get(f"{BIG}/staff/{staff_id}/registration", headers=admin).json["big_number"]
    assert big.put(staff_id, big_number=number, status="suspended", status_since="2024-02-01").status_code == 200
    response = big.put(staff_id, big_number=number, status="registered", status_since="2024-01-31")
    assert response.status_code == 422 and "status_since" in response.json["errors"]


def test_new_entry_suspended_later_counts_as_registered_before(big, client, admin):
    staff_id = big.register(status="suspended", status_since="2024-02-01")
    rows = client.get(f"{BIG}/staff/{staff_id}/registration/history", headers=admin).json
    assert [(r["status"], r["effective_on"]) for r in rows] == [
        ("registered", "2021-09-01"), ("suspended", "2024-02-01")]


def test_status_since_before_registration_is_refused(big):
    response = big.put(big.staff(), status="suspended", status_since="2021-08-31")
    assert response.status_code == 422 and "status_since" in response.json["errors"]


# --------------------------------------------------------------------- roles


def test_roles_read_and_write(big, make, client):
    dept = make.department()
    other = make.department()
    mine = big.register(big.staff(department_id=dept.id))
    theirs = big.register(big.staff(department_id=other.id))
    _, manager = make.user("manager", department_id=dept.id)
    _, tech = make.user("technician", staff_id=mine)
    _, auditor = make.user("auditor")
    _, tvb = make.user("tvb_admin")
    url = f"{BIG}/staff/{{}}/registration"
    for headers in (auditor, tvb, manager, tech):
        assert client.get(url.format(mine), headers=headers).status_code == 200
    assert client.get(url.format(theirs), headers=manager).status_code == 404
    assert client.get(url.format(theirs), headers=tech).status_code == 404
    assert client.get(url.format(theirs), headers=auditor).status_code == 200
    assert big.put(mine, headers=manager).status_code == 200
    assert big.put(theirs, headers=manager).status_code == 404
    for headers in (tech, auditor, tvb):
        assert big.put(mine, headers=headers).status_code == 403


def test_needs_a_token(big, client):
    assert client.get(f"{BIG}/staff/{big.staff()}/registration").status_code == 401


# ----------------------------------------------------------------- sub-domains


def test_subdomain_list_is_written_by_the_admin_only(big, make, client, admin):
    _, manager = make.user("manager", department_id=make.department().id)
    assert client.post(f"{BIG}/subdomains", json={"name": "Neurologie"}, headers=manager).status_code == 403
    created = client.post(f"{BIG}/subdomains", json={"name": "Neurologie"}, headers=admin)
    assert created.status_code == 201
    assert client.post(f"{BIG}/subdomains", json={"name": "Neurologie"}, headers=admin).status_code == 409
    assert [s["name"] for s in client.get(f"{BIG}/subdomains", headers=manager).json] == ["Neurologie"]
    sid = created.json["id"]
    assert client.patch(f"{BIG}/subdomains/{sid}", json={"name": "Neuro"}, headers=admin).json["name"] == "Neuro"
    assert client.delete(f"{BIG}/subdomains/{sid}", headers=manager).status_code == 403
    assert client.delete(f"{BIG}/subdomains/{sid}", headers=admin).status_code == 204


def test_subdomain_in_use_cannot_be_deleted(big, client, admin):
    activity = big.activity()
    response = client.delete(f"{BIG}/subdomains/{activity['subdomain_id']}", headers=admin)
    assert response.status_code == 409 and response.json["activities"]
    staff_id = big.staff()
    other = big.subdomain()
    big.give_subdomain(staff_id, other)
    assert client.delete(f"{BIG}/subdomains/{other}", headers=admin).status_code == 409


def test_staff_subdomains(big, client, admin):
    staff_id = big.staff()
    sub = big.subdomain()
    link = big.give_subdomain(staff_id, sub)
    assert link["subdomain_id"] == sub and link["staff_id"] == staff_id
    again = client.post(f"{BIG}/staff/{staff_id}/subdomains", json={"subdomain_id": sub}, headers=admin)
    assert again.status_code == 409
    missing = client.post(f"{BIG}/staff/{staff_id}/subdomains", json={"subdomain_id": 999999}, headers=admin)
    assert missing.status_code == 422 and "subdomain_id" in missing.json["errors"]
    assert [x["subdomain_id"] for x in client.get(f"{BIG}/staff/{staff_id}/subdomains", headers=admin).json] == [sub]
    # DELETE ends the link yesterday; the history stays
    assert client.delete(f"{BIG}/staff/{staff_id}/subdomains/{link['id']}", headers=admin).status_code == 204
    ended = client.get(f"{BIG}/staff/{staff_id}/subdomains", headers=admin).json
    assert [x["valid_to"] for x in ended] == [str(dt.date.today() - dt.timedelta(days=1))]


# ------------------------------------------------------------------ work hours


def test_work_hours_crud_and_checks(big, client, admin, day):
    staff_id = big.staff()
    url = f"{BIG}/staff/{staff_id}/work-hours"
    row = big.work_hours(staff_id, "2024-01-01", "2024-12-31", "1040.5")
    assert row["hours"] == "1040.50"
    bad = client.post(url, headers=admin, json={"period_start": "2024-02-01", "period_end": "2024-01-31", "hours": "1"})
    assert bad.status_code == 422 and "period_end" in bad.json["errors"]
    future = client.post(url, headers=admin, json={
        "period_start": str(day), "period_end": str(day + dt.timedelta(days=1)), "hours": "8"})
    assert future.status_code == 422 and "period_end" in future.json["errors"]
    too_many = client.post(url, headers=admin, json={"period_start": "2024-01-01", "period_end": "2024-01-01", "hours": "24.01"})
    assert too_many.status_code == 422 and "hours" in too_many.json["errors"]
    zero = client.post(url, headers=admin, json={"period_start": "2024-01-01", "period_end": "2024-01-01", "hours": "0"})
    assert zero.status_code == 422
    patched = client.patch(f"{url}/{row['id']}", json={"hours": "1000"}, headers=admin)
    assert patched.status_code == 200 and patched.json["hours"] == "1000.00"
    assert client.delete(f"{url}/{row['id']}", headers=admin).status_code == 204
    assert client.get(url, headers=admin).json == []


def test_work_hours_of_another_person_are_404(big, client, admin):
    row = big.work_hours(big.staff(), "2024-01-01", "2024-01-31", "100")
    other = big.staff()
    assert client.get(f"{BIG}/staff/{other}/work-hours/{row['id']}", headers=admin).status_code == 404
