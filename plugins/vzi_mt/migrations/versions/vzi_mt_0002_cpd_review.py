"""vzi_mt: CPD self-service review (status, certificate attachment, reviewer)

Existing rows were entered by managers and administrators: they are approved.

Revision ID: vzi_mt_0002
Revises: vzi_mt_0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "vzi_mt_0002"
down_revision = "vzi_mt_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("vzi_mt_cpd_activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), server_default="approved", nullable=False))
        batch_op.add_column(sa.Column("attachment", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("attachment_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_vzi_mt_cpd_activity_reviewed_by_user_account"),
                                    "user_account", ["reviewed_by"], ["id"])


def downgrade():
    with op.batch_alter_table("vzi_mt_cpd_activity", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_vzi_mt_cpd_activity_reviewed_by_user_account"), type_="foreignkey")
        for column in ("rejection_reason", "reviewed_at", "reviewed_by", "attachment_name", "attachment", "status"):
            batch_op.drop_column(column)
