"""The audit page in words: people, device types and fields by their Dutch names, dates as
30-11-2026, times in Europe/Amsterdam; the subjects resolved set-based."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from core.audit.models import AuditEntry
from core.extensions import db


@pytest.fixture
def changed(app, make):
    """A competence created through the API (so the trail holds it as the app writes it)."""
    person = make.staff(name="Audit Annemarie")
    kind = make.device_type(manufacturer="Hamilton", model="C6 audit")
    _uid, headers = make.user("admin")
    response = app.test_client().post("/api/v1/competences", headers=headers, json={
        "staff_id": person.id, "device_type_id": kind.id, "role": "technician", "method": "training",
        "obtained_on": "2026-01-15", "expires_on": "2027-01-15"})
    assert response.status_code == 201, response.get_json()
    return {"person": person, "kind": kind, "competence_id": response.get_json()["id"]}


def _row(page: str, marker: str) -> str:
    start = page.rindex("<tr>", 0, page.index(marker))
    return page[start:page.index("</tr>", start)]


def test_the_audit_page_names_people_device_types_and_fields(web, changed):
    client, _ = web("admin")
    page = client.get(f"/audit?entity=competence&entity_id={changed['competence_id']}").get_data(as_text=True)
    row = _row(page, "Audit Annemarie")
    assert "Bekwaamheid" in row and "Hamilton C6 audit" in row
    assert f'href="/staff/{changed["person"].id}"' in row
    assert "medewerker:" in row and "type hulpmiddel:" in row and "behaald op:" in row and "vervalt door:" in row
    assert "15-01-2026" in row and "2026-01-15" not in row  # a date as a Dutch reader writes it
    assert "training" in row and "technicus" in row  # codes in words
    # no table names or raw column names on the page
    for raw in ("staff_id", "device_type_id", "obtained_on", "expiry_source", ">competence "):
        assert raw not in row


def test_times_are_shown_in_amsterdam(app, web, changed):
    with app.app_context():
        at = db.session.scalar(select(AuditEntry.at).where(AuditEntry.entity == "competence",
                                                            AuditEntry.entity_id == changed["competence_id"]))
    local = at.astimezone(ZoneInfo("Europe/Amsterdam"))
    client, _ = web("admin")
    page = client.get(f"/audit?entity=competence&entity_id={changed['competence_id']}").get_data(as_text=True)
    assert local.strftime("%d-%m-%Y %H:%M") in _row(page, "Audit Annemarie")


def test_the_table_filter_shows_words(web, changed):
    client, _ = web("admin")
    page = client.get("/audit").get_data(as_text=True)
    assert '<option value="competence"' in page and ">Bekwaamheid</option>" in page


def test_a_plugin_table_is_named_by_the_plugin(app):
    with app.test_request_context():
        from flask import session

        from core.web.audit_readable import table_label
        session["locale"] = "nl"
        assert table_label("vzi_mt_cpd_activity") == "DKB-activiteit"
        assert table_label("unknown_table") == "unknown table"


def test_subjects_are_resolved_with_one_query_per_kind(app, make, changed):
    """Ten entries about ten people cost one query for the people, not ten."""
    from core.audit.services import record
    from core.web.audit_readable import readable
    people = [make.staff(name=f"Bulk Person {i}") for i in range(10)]
    with app.test_request_context():
        for person in people:
            record(db.session, "update", "staff", entity_id=person.id, actor="test",
                   before={"active": True, "department_id": None}, after={"active": False, "department_id": None})
        db.session.flush()
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10)).all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            rows = readable(entries)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.rollback()
    assert {row.subject for row in rows} == {p.name for p in people}
    assert len(statements) == 1  # only people are named here
    assert all(row.changes[0].before == "ja" and row.changes[0].after == "nee" for row in rows)


def test_a_deleted_subject_keeps_its_name_from_the_entry(app, make):
    from core.audit.models import AuditEntry
    from core.web.audit_readable import readable
    entry = AuditEntry(at=dt.datetime.now(dt.timezone.utc), actor="x", action="delete", entity="device_type",
                       entity_id=999_999_999, before={"name": "Weg apparaat", "mdr_class": "IIb"}, after=None)
    with app.test_request_context():
        row = readable([entry])[0]
    assert row.subject == "Weg apparaat" and row.link is None


def test_the_audit_page_is_for_auditors_and_admins(web, make):
    person = make.staff()
    for role, kw in (("manager", {"staff_id": person.id}), ("technician", {"staff_id": person.id})):
        client, _ = web(role, **kw)
        assert client.get("/audit").status_code in (403, 404)
    client, _ = web("auditor")
    assert client.get("/audit").status_code == 200
