"""testplugin: its one table

Revision ID: testplugin_0001
Revises:
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "testplugin_0001"
down_revision = None
branch_labels = ("testplugin",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "testplugin_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_testplugin_note_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_testplugin_note")),
    )


def downgrade():
    op.drop_table("testplugin_note")
