"""Uploaded files live in the database: the migration brings old ones in, backups carry them."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from core import create_app
from core.extensions import db
from core.storage.models import StoredFile
from core.web import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OLD_NAME = "a" * 32 + ".pdf"


def test_the_migration_copies_existing_uploads_in_and_a_downgrade_writes_them_back(tmp_path):
    from flask_migrate import downgrade, upgrade

    folder = tmp_path / "instance" / "uploads"
    folder.mkdir(parents=True)
    (folder / OLD_NAME).write_bytes(PDF)
    (folder / "notes.txt").write_text("not an upload")  # not a stored name: left alone
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "m.sqlite"), "TESTING": True})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        upgrade(revision="heads")
        rows = db.session.execute(select(StoredFile.name, StoredFile.mime, StoredFile.size, StoredFile.sha256,
                                         StoredFile.data)).all()
        assert rows == [(OLD_NAME, "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), PDF)]
        db.session.remove()
        (folder / OLD_NAME).unlink()
        downgrade(revision="0004_core")
    assert (folder / OLD_NAME).read_bytes() == PDF


def test_backup_and_restore_carry_the_files(app, tmp_path, database_url):
    from core.dataio.cli import backup_command, restore_command
    from tests.dataio.test_backup import _fresh_app

    with app.test_request_context():
        name = uploads.store(PDF)
        db.session.commit()
    path = tmp_path / "b.json"
    assert app.test_cli_runner().invoke(backup_command, [str(path)]).exit_code == 0
    other, drop = _fresh_app(database_url)
    try:
        result = other.test_cli_runner().invoke(restore_command, [str(path)])
        assert result.exit_code == 0, result.output
        with other.test_request_context():
            restored = uploads.load(name)
            assert restored.data == PDF and restored.sha256 == hashlib.sha256(PDF).hexdigest()
            db.session.remove()
        with other.app_context():
            db.engine.dispose()
    finally:
        drop()
