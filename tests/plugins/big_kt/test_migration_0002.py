"""Migration big_kt_0002 on existing data: free-text recognition decisions and undated sub-domain links."""
import datetime as dt
import logging

import pytest
from sqlalchemy import text

from core.extensions import db
from tests.conftest import create_pg_database, migrated_app, require_postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "fresh.sqlite")
        return
    require_postgres()
    url, drop = create_pg_database()
    yield url
    drop()


def test_free_text_recognition_and_links_are_migrated(fresh_url, caplog, capfd):
    from flask_migrate import downgrade, upgrade
    app = migrated_app(fresh_url)
    try:
        with app.app_context():
            downgrade(revision="big_kt_0001")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO department (id, code, name) VALUES (1, 'MT', 'Medische techniek')"))
                for sid in (1, 2, 3, 4):
                    conn.execute(text(
                        "INSERT INTO staff (id, employee_number, name, department_id, employment_type, active) "
                        "VALUES (:id, :num, :name, 1, 'internal', :yes)"),
                        {"id": sid, "num": f"E{sid}", "name": f"KT {sid}", "yes": True})
                texts = {1: " Recognised. ", 2: "CBGV besluit 2021-123, voorwaarden", 3: "refused", 4: None}
                for sid, decision in texts.items():
                    conn.execute(text(
                        "INSERT INTO big_kt_registration (staff_id, big_number, registered_on, status, status_since, "
                        "restricted_procedures, diploma_on, foreign_diploma, recognition_decision, language_proof, "
                        "updated_at) VALUES (:sid, :num, '2021-09-01', 'registered', '2021-09-01', '[]', "
                        "'2021-06-30', :foreign, :decision, :yes, '2026-01-01 00:00:00+00:00')"),
                        {"sid": sid, "num": f"{19000000000 + sid}", "foreign": sid != 4, "decision": decision,
                         "yes": True})
                conn.execute(text("INSERT INTO big_kt_subdomain (id, name) VALUES (1, 'Cardio')"))
                conn.execute(text("INSERT INTO big_kt_staff_subdomain (staff_id, subdomain_id) VALUES (1, 1)"))
            with caplog.at_level(logging.WARNING):
                upgrade(revision="heads")
            with db.engine.connect() as conn:
                rows = dict((r[0], (r[1], r[2] and str(r[2])[:10])) for r in conn.execute(text(
                    "SELECT staff_id, recognition_outcome, recognition_decided_on FROM big_kt_registration")))
                links = conn.execute(text("SELECT valid_from, valid_to FROM big_kt_staff_subdomain")).all()
        assert rows == {1: ("recognised", "2021-09-01"), 2: (None, None), 3: ("refused", "2021-09-01"),
                        4: (None, None)}
        reported = caplog.text + capfd.readouterr().err  # alembic's logging setup may print to stderr
        assert "staff 2" in reported and "NOT recognised" in reported and "staff 1," not in reported
        assert [(str(f)[:10], t) for f, t in links] == [("2020-07-01", None)]
        with app.app_context():
            from plugins.big_kt.services import evaluate
            answer = evaluate(2, dt.date(2022, 1, 1))
            assert answer["independent"] is False
            assert "foreign_diploma_not_recognised" in [u["code"] for u in answer["unmet"]]
            assert evaluate(1, dt.date(2022, 1, 1))["independent"] is True
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
