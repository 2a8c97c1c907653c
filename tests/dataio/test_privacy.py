"""AVG: a person's complete data, anonymisation after the retention period, nothing personal in logs."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import func, select

from core.audit.models import AuditEntry
from core.competence.models import Competence
from core.dataio import privacy
from core.dataio.models import StaffDeparture
from core.extensions import db
from core.staff.models import Staff

BIG = "19012345601"


def _kt(client, admin, make, *, left_on=None, number="1001", email="r.devries@zkh.nl"):
    """A clinical technologist with a BIG entry, a competence, a user account and audit history."""
    person = client.post("/api/v1/staff", headers=admin, json={
        "employee_number": number, "name": "de Vries, Renée", "email": email}).json
    assert client.put(f"/api/v1/big/staff/{person['id']}/registration", headers=admin, json={
        "big_number": BIG, "registered_on": "2021-01-04", "status": "registered",
        "diploma_on": "2020-12-18"}).status_code in (200, 201)
    evita = make.device_type(manufacturer="Dräger", model="Evita V500")
    assert client.post("/api/v1/competences", headers=admin, json={
        "staff_id": person["id"], "device_type_id": evita.id, "role": "user", "obtained_on": "2021-02-01",
        "method": "instruction"}).status_code == 201
    user_id, headers = make.user("technician", staff_id=person["id"], email="renee@zkh.nl")
    if left_on:
        assert client.put(f"/api/v1/staff/{person['id']}/departure", headers=admin,
                          json={"left_on": left_on}).status_code == 200
    return person["id"], user_id, headers


def test_personal_data_follows_every_foreign_key(app, client, admin, make):
    staff_id, user_id, own = _kt(client, admin, make)
    body = client.get(f"/api/v1/staff/{staff_id}/personal-data", headers=admin).json
    assert body["staff"]["name"] == "de Vries, Renée"
    assert set(body["records"]) >= {"big_kt_registration", "competence", "user_account"}
    assert body["records"]["big_kt_registration"][0]["big_number"] == BIG
    account = body["records"]["user_account"][0]
    assert account["email"] == "renee@zkh.nl" and account["password_hash"] is None
    assert "api_token" in body["records"] and body["records"]["api_token"][0]["token_hash"] == "(hidden)"
    entities = {(e["entity"], e["action"]) for e in body["audit"]}
    assert {("staff", "create"), ("competence", "create"), ("big_kt_registration", "create")} <= entities
    # The person may ask for their own data; a colleague may not.
    assert client.get(f"/api/v1/staff/{staff_id}/personal-data", headers=own).status_code == 200
    other = make.staff()
    _, colleague = make.user("technician", staff_id=other.id)
    # Refused without saying whether the person exists (as every person-scoped route answers).
    assert client.get(f"/api/v1/staff/{staff_id}/personal-data", headers=colleague).status_code == 404
    assert client.get("/api/v1/staff/999999/personal-data", headers=admin).status_code == 404


def test_retention_boundary(app, ctx, make):
    today = dt.date(2026, 3, 1)
    for number, left in (("on", dt.date(2024, 3, 1)), ("after", dt.date(2024, 3, 2)), ("long", dt.date(2019, 1, 1))):
        person = make.staff(employee_number=number, active=False)
        db.session.add(StaffDeparture(staff_id=person.id, left_on=left))
    still = make.staff(employee_number="active-but-left", active=True)
    db.session.add(StaffDeparture(staff_id=still.id, left_on=dt.date(2019, 1, 1)))
    db.session.commit()
    due = privacy.due(today, 2)
    assert sorted(db.session.scalars(select(Staff.employee_number).where(Staff.id.in_(due)))) == ["long", "on"]
    assert privacy.subtract_years(dt.date(2024, 2, 29), 2) == dt.date(2022, 2, 28)


def test_anonymisation_keeps_the_history_and_scrubs_identity(app, client, admin, make, caplog):
    caplog.set_level(logging.DEBUG)
    staff_id, user_id, own = _kt(client, admin, make, left_on="2020-06-30")
    assert client.patch(f"/api/v1/staff/{staff_id}", headers=admin, json={"company": None}).status_code == 200
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Competence))
        audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    dry = client.post("/api/v1/anonymise", headers=admin, json={"dry_run": True, "as_of": "2026-01-01"}).json
    assert dry["staff_ids"] == [staff_id] and dry["retention_years"] == 2 and dry["left_on_or_before"] == "2024-01-01"
    with app.app_context():
        assert db.session.get(Staff, staff_id).name == "de Vries, Renée"
    done = client.post("/api/v1/anonymise", headers=admin, json={"as_of": "2026-01-01"})
    assert done.status_code == 200 and done.json["count"] == 1
    body = client.get(f"/api/v1/staff/{staff_id}/personal-data", headers=admin).json
    assert body["staff"]["name"] == f"Anonymised {staff_id}"
    assert body["staff"]["employee_number"] == f"ANON-{staff_id}" and body["staff"]["email"] is None
    assert body["records"]["big_kt_registration"][0]["big_number"] == f"X{staff_id:010d}"
    assert body["records"]["user_account"][0]["email"] == f"anonymised-{user_id}@invalid.invalid"
    assert body["records"]["user_account"][0]["active"] is False
    assert all(token["revoked"] for token in body["records"]["api_token"])
    everything = str(body)
    for secret in (BIG, "Renée", "r.devries@zkh.nl", "renee@zkh.nl"):
        assert secret not in everything
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Competence)) == before
        # Every audit entry is kept (plus the run's own and one per anonymised row, in one
        # change set); only the identifying values changed, and the chain still verifies.
        run = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "anonymisation"))
        per_row = db.session.scalars(select(AuditEntry).where(AuditEntry.change_set == run.change_set,
                                                              AuditEntry.id != run.id)).all()
        assert {e.entity for e in per_row} >= {"staff", "user_account", "big_kt_registration"}
        assert all(set(e.before.values()) == {"(replaced)"} for e in per_row)
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before + 1 + len(per_row)
        assert {k: run.after[k] for k in ("as_of", "retention_years", "count", "staff_ids")} == {
            "as_of": "2026-01-01", "retention_years": 2, "count": 1, "staff_ids": [staff_id]}
        assert run.after["chain_rewritten"]["first_id"] >= 1
        from core.audit.chain import verify
        assert verify(db.session.connection(), AuditEntry.__table__)[1] is None
    # Once is enough; the token of the anonymised account no longer works.
    assert client.post("/api/v1/anonymise", headers=admin, json={"as_of": "2026-01-01"}).json["count"] == 0
    assert client.get("/api/v1/staff", headers=own).status_code == 401
    assert client.put(f"/api/v1/staff/{staff_id}/departure", headers=admin, json={"left_on": "2021-01-01"}).status_code == 409
    for secret in (BIG, "Renée", "r.devries@zkh.nl", "renee@zkh.nl", "1001"):
        assert secret not in caplog.text


def test_no_personal_data_in_the_logs_of_an_import(app, make, upload, caplog):
    caplog.set_level(logging.DEBUG)
    make.department(code="IC")
    content = ("Personeelsnummer;Naam;E-mail;Afdeling;In dienst\n"
               "775533;Zoë Geheim;zoe.geheim@zkh.nl;IC;01-01-2020\n"
               "775534;Xander Verborgen;x.verborgen@zkh.nl;QQ;31-02-2020\n").encode()
    report = upload("staff", content, partial=True).json
    assert report["counts"]["created"] == 1
    assert "import staff: 1 created, 1 rejected" in caplog.text
    for secret in ("775533", "775534", "Zoë", "Geheim", "zoe.geheim", "Verborgen", "QQ", "31-02-2020"):
        assert secret not in caplog.text


def test_anonymise_cli(app, make, ctx):
    from core.dataio.cli import anonymise_command

    person = make.staff(employee_number="gone", active=False)
    db.session.add(StaffDeparture(staff_id=person.id, left_on=dt.date(2010, 1, 1)))
    db.session.commit()
    dry = app.test_cli_runner().invoke(anonymise_command, ["--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("1 due") and str(person.id) in dry.output
    real = app.test_cli_runner().invoke(anonymise_command, [])
    assert real.exit_code == 0 and real.output.startswith("1 anonymised")
    db.session.expire_all()
    assert db.session.get(Staff, person.id).employee_number == f"ANON-{person.id}"


def test_personal_data_holds_nobody_elses_data(app, client, admin, make):
    """As assessor, manager or author of changes the person appears in other people's
    records: the export names those records and shows none of their contents."""
    staff_id, user_id, own = _kt(client, admin, make)
    trainee = client.post("/api/v1/staff", headers=admin, json={
        "employee_number": "EMP-OTHER", "name": "Other, Person", "email": "other@zkh.nl", "manager_id": staff_id}).json
    evita = make.device_type(manufacturer="Acme", model="Secret")
    assessed = client.post("/api/v1/competences", headers=admin, json={
        "staff_id": trainee["id"], "device_type_id": evita.id, "role": "user", "obtained_on": "2022-02-01",
        "method": "training_and_assessment", "assessor_id": staff_id, "evidence": "OTHER-EVIDENCE"}).json
    # The person (as a manager) changes the trainee's record: that entry is theirs to see only as a reference.
    _, manager = make.user("admin", staff_id=staff_id, email="renee-admin@zkh.nl")
    assert client.patch(f"/api/v1/staff/{trainee['id']}", headers=manager,
                        json={"email": "changed-other@zkh.nl"}).status_code == 200
    body = client.get(f"/api/v1/staff/{staff_id}/personal-data", headers=own)
    assert body.status_code == 200
    text = str(body.json)
    for foreign in ("Other, Person", "other@zkh.nl", "changed-other@zkh.nl", "OTHER-EVIDENCE", "EMP-OTHER"):
        assert foreign not in text, foreign
    assert {"id": assessed["id"], "as": "assessor_id"} in body.json["mentioned_in"]["competence"]
    assert {"id": trainee["id"], "as": "manager_id"} in body.json["mentioned_in"]["staff"]
    assert all(c["staff_id"] == staff_id for c in body.json["records"]["competence"])
    refs = body.json["audit_done_by_them"]
    assert any(r["entity"] == "staff" and r["entity_id"] == trainee["id"] for r in refs)
    assert all(set(r) == {"id", "at", "action", "entity", "entity_id"} for r in refs)


def test_who_may_fetch_a_personal_data_export(app, client, admin, make):
    boss = make.staff(employee_number="B1")
    staff_id, _, own = _kt(client, admin, make)
    client.patch(f"/api/v1/staff/{staff_id}", headers=admin, json={"manager_id": boss.id})
    _, line_manager = make.user("technician", staff_id=boss.id)
    _, auditor = make.user("auditor")
    _, tvb_admin = make.user("tvb_admin")
    elsewhere = make.department(code="ELSE")
    _, other_manager = make.user("manager", department_id=elsewhere.id)
    url = f"/api/v1/staff/{staff_id}/personal-data"
    # "Their manager" is the manager of their department (role manager): a line manager who
    # signs in as a technician sees only their own record, and does not learn the person exists.
    for who, expected in ((own, 200), (admin, 200), (auditor, 200), (line_manager, 404),
                          (tvb_admin, 403), (other_manager, 404)):
        assert client.get(url, headers=who).status_code == expected
