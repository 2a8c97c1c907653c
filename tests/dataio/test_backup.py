"""Backup → restore into a fresh database → backup: the same bytes (except ``exported_at``)."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import uuid

import pytest
from sqlalchemy import func, select, text

from core.dataio import backup
from core.extensions import db

EXPORTED_AT = re.compile(r'"exported_at":"[^"]*"')


def _populate(client, admin, make, upload):
    child = make.department(code="IC-V", name="IC volwassenen")
    parent = make.department(code="IC", name="Intensive Care")  # the parent gets the higher id
    assert client.patch(f"/api/v1/departments/{child.id}", json={"parent_id": parent.id}, headers=admin).status_code == 200
    boss = make.staff(employee_number="B1", name="Baas, Bea", department_id=parent.id)
    anna = make.staff(employee_number="1001", name="Jansen, Anna — ‘IC’", department_id=child.id,
                      manager_id=boss.id, start_date=dt.date(2015, 3, 1), email="a@zkh.nl")
    evita = make.device_type(manufacturer="Dräger", model="Evita V500", mdr_class="IIb")
    assert client.post("/api/v1/competences", headers=admin, json={
        "staff_id": anna.id, "device_type_id": evita.id, "role": "user", "obtained_on": "2024-01-12",
        "method": "instruction", "evidence": "LMS-77"}).status_code == 201
    role = client.post("/api/v1/tvb/roles", json={"name": "MT4 anesthesie"}, headers=admin).json
    activity = client.post("/api/v1/tvb/activities", headers=admin, json={
        "name": "gebruikersinstructie geven", "level": "operational",
        "requirements": {"leidraad": {"competence_role": "trainer"}}}).json
    assert client.post("/api/v1/tvb/cells", headers=admin, json={
        "role_id": role["id"], "activity_id": activity["id"], "letters": "TVB"}).status_code == 201
    upload("cpd", "Personeelsnummer;Datum;Uren;Titel;Categorie\n1001;03-02-2025;7,25;Symposium;1\n".encode())
    client.delete("/api/v1/competences/999999", headers=admin)  # a 404: changes nothing


def _fresh_app(database_url):
    from tests.conftest import create_pg_database, migrated_app

    if database_url.startswith("postgres"):
        url, drop = create_pg_database()
    else:
        path = os.path.join(tempfile.mkdtemp(), f"restore-{uuid.uuid4().hex[:6]}.sqlite")
        url, drop = "sqlite:///" + path, lambda: os.remove(path)
    return migrated_app(url), drop


def test_round_trip_is_byte_for_byte(app, client, admin, make, upload, database_url):
    _populate(client, admin, make, upload)
    first = client.get("/api/v1/backup", headers=admin)
    assert first.status_code == 200 and first.mimetype == "application/json"
    dumped = first.get_data(as_text=True)
    document = json.loads(dumped)
    tables = {t["name"]: t for t in document["tables"]}
    assert {"staff", "competence", "audit_entry", "vzi_mt_cpd_activity", "staff_departure", "import_mapping"} <= set(tables)
    assert [row[tables["vzi_mt_cpd_activity"]["columns"].index("hours")] for row in tables["vzi_mt_cpd_activity"]["rows"]] == ["7.25"]

    fresh, drop = _fresh_app(database_url)
    try:
        with fresh.app_context():
            counts = backup.restore(document)
            db.session.commit()
            assert counts["staff"] == 2 and counts["audit_entry"] == len(tables["audit_entry"]["rows"])
            again = "".join(backup.iter_backup(exported_at=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)))
            assert '"exported_at":"2000-01-01T00:00:00+00:00"' in again
            assert EXPORTED_AT.sub("", again) == EXPORTED_AT.sub("", dumped)
            # Ids go on after the restored ones (PostgreSQL sequences are reset).
            from core.staff.models import Department
            highest = db.session.scalar(select(func.max(Department.id)))
            new = Department(code="NEW", name="Nieuw")
            db.session.add(new)
            db.session.commit()
            assert new.id == highest + 1
            # A second restore refuses: the database is no longer empty.
            with pytest.raises(backup.RestoreError, match="not empty"):
                backup.restore(document)
            db.session.rollback()
    finally:
        with fresh.app_context():
            db.session.remove()
            db.engine.dispose()
        drop()


def test_restore_refuses_a_non_empty_database_or_another_schema(app, ctx, make):
    make.staff()
    document = json.loads("".join(backup.iter_backup()))
    with pytest.raises(backup.RestoreError, match=r"not empty \(staff hold rows\)"):
        backup.restore(document)
    with pytest.raises(backup.RestoreError, match="Migrate to the same revisions first"):
        backup.restore({**document, "revisions": ["0001_core"]})
    with pytest.raises(backup.RestoreError, match="Not a bekwaam-backup"):
        backup.restore({"format": "zip"})


def test_backup_is_for_admins_only(client, make):
    _, auditor = make.user("auditor")
    assert client.get("/api/v1/backup", headers=auditor).status_code == 403


def test_cli_backup_and_restore(app, make, tmp_path):
    from core.dataio.cli import backup_command, restore_command

    make.staff(employee_number="X1")
    path = tmp_path / "b.json"
    result = app.test_cli_runner().invoke(backup_command, [str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text())["format"] == "bekwaam-backup"
    refused = app.test_cli_runner().invoke(restore_command, [str(path)])
    assert refused.exit_code == 1 and "not empty" in refused.output
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM staff")) == 1
