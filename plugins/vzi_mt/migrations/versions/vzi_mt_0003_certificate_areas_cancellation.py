"""vzi_mt: expertise areas on the certificate; cancellation (opzegging) of a registration

Existing certification rows get an empty list of expertise areas: what their
certificate showed was not recorded.

Revision ID: vzi_mt_0003
Revises: vzi_mt_0002
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "vzi_mt_0003"
down_revision = "vzi_mt_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("vzi_mt_certification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expertise_areas", sa.JSON(), server_default="[]", nullable=False))

    op.create_table(
        "vzi_mt_registration_cancellation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("cancelled_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name=op.f("fk_vzi_mt_registration_cancellation_staff_id_staff")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"],
                                name=op.f("fk_vzi_mt_registration_cancellation_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_registration_cancellation")),
    )
    with op.batch_alter_table("vzi_mt_registration_cancellation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_registration_cancellation_staff_id"), ["staff_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("vzi_mt_registration_cancellation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vzi_mt_registration_cancellation_staff_id"))
    op.drop_table("vzi_mt_registration_cancellation")
    with op.batch_alter_table("vzi_mt_certification", schema=None) as batch_op:
        batch_op.drop_column("expertise_areas")
