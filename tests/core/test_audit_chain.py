"""The audit trail is a hash chain: a row changed, removed or inserted with
plain SQL behind the application's back is named by ``bekwaam audit verify``."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from core.audit.chain import GENESIS, row_hash
from core.audit.cli import audit
from core.extensions import db


@pytest.fixture
def trail(app, client, admin):
    """Five audited changes through the API."""
    for code in ("A", "B", "C"):
        assert client.post("/api/v1/departments", headers=admin, json={"code": code, "name": code}).status_code == 201
    with app.app_context():
        rows = db.session.execute(text("SELECT id, prev_hash, row_hash FROM audit_entry ORDER BY id")).all()
    return rows


def _run(app, *args):
    return app.test_cli_runner().invoke(audit, list(args))


def _verify(app):
    result = _run(app, "verify")
    return result.exit_code, result.output


def test_the_chain_links_every_row(app, trail):
    assert len(trail) >= 3
    assert [r.id for r in trail] == list(range(trail[0].id, trail[0].id + len(trail)))
    assert trail[0].prev_hash == GENESIS or trail[0].id > 1
    for earlier, later in zip(trail, trail[1:]):
        assert later.prev_hash == earlier.row_hash
    code, output = _verify(app)
    assert code == 0, output
    assert "audit_entry" in output and "chain intact" in output


def _sql(app, statement, **params):
    with app.app_context():
        db.session.execute(text(statement), params)
        db.session.commit()


def test_a_changed_row_is_caught(app, trail):
    victim = trail[1].id
    _sql(app, "UPDATE audit_entry SET actor = 'someone-else' WHERE id = :id", id=victim)
    code, output = _verify(app)
    assert code == 1
    assert f"audit_entry id {victim}" in output and "changed" in output


def test_a_removed_row_is_caught(app, trail):
    victim = trail[1].id
    _sql(app, "DELETE FROM audit_entry WHERE id = :id", id=victim)
    code, output = _verify(app)
    assert code == 1 and f"before id {victim + 1}" in output


def test_a_removed_last_row_shows_against_the_anchor(app, trail):
    head = _run(app, "head").output
    assert f"sha256={trail[-1].row_hash}" in head
    _sql(app, "DELETE FROM audit_entry WHERE id = :id", id=trail[-1].id)
    # The chain itself is intact: only the anchor kept outside shows the loss.
    assert f"sha256={trail[-1].row_hash}" not in _run(app, "head").output


def test_an_inserted_row_is_caught_even_with_a_fitting_id(app, trail):
    # Move the last row up one and slip a forged row into its place, hash and all.
    last = trail[-1]
    _sql(app, "UPDATE audit_entry SET id = :new WHERE id = :old", new=last.id + 1, old=last.id)
    forged = {"id": last.id, "at": "2026-01-01T00:00:00.000000+00:00", "actor": "forger", "action": "create",
              "entity": "staff", "entity_id": 1, "prev_hash": trail[-2].row_hash}
    _sql(app, "INSERT INTO audit_entry (id, at, actor, action, entity, entity_id, prev_hash, row_hash) "
              "VALUES (:id, '2026-01-01 00:00:00', 'forger', 'create', 'staff', 1, :prev, :hash)",
         id=last.id, prev=trail[-2].row_hash, hash=row_hash(forged))
    code, output = _verify(app)
    assert code == 1 and f"audit_entry id {last.id + 1}" in output
