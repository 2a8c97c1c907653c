"""operations: API tokens expire; uploaded files live in the database

Revision ID: 0005_core_ops
Revises: 0004_core
Create Date: 2026-11-30

``api_token.expires_at``: tokens issued from now on expire (default 90 days);
tokens issued before stay valid until revoked (NULL).
``stored_file``: uploaded CPD certificates, so several app servers share them
and a backup holds them. Files already under ``<instance>/uploads/`` are
copied in; the folder is left in place (remove it once the upgrade is checked).
A downgrade writes the rows back to that folder.

"""
import datetime as dt
import hashlib
import os
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_core_ops'
down_revision = '0004_core'
branch_labels = None
depends_on = None

STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(pdf|png|jpg)$")
MIME = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def _uploads_folder():
    from flask import current_app, has_app_context

    return os.path.join(current_app.instance_path, "uploads") if has_app_context() else None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    stored_file = op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('mime', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('name', name=op.f('uq_stored_file_name'))
    )
    folder = _uploads_folder()
    if not folder or not os.path.isdir(folder):
        return
    now = dt.datetime.now(dt.timezone.utc)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # as core.db.UTCDateTime stores it there
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not STORED_NAME.match(name) or not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        op.bulk_insert(stored_file, [{
            "name": name, "mime": MIME[name.rsplit(".", 1)[1]], "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "data": data, "created_at": now}])


def downgrade():
    folder = _uploads_folder()
    if folder:
        rows = op.get_bind().execute(sa.text("SELECT name, data FROM stored_file")).all()
        if rows:
            os.makedirs(folder, exist_ok=True)
        for name, data in rows:
            if STORED_NAME.match(name) and not os.path.exists(os.path.join(folder, name)):
                with open(os.path.join(folder, name), "wb") as handle:
                    handle.write(data)
    op.drop_table('stored_file')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
