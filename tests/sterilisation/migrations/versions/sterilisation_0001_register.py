"""sterilisation: the register of sterilisation assistants

Revision ID: sterilisation_0001
Revises:
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = "sterilisation_0001"
down_revision = None
branch_labels = ("sterilisation",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "sterilisation_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_sterilisation_registration_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sterilisation_registration")),
    )
    op.create_index("ix_sterilisation_registration_staff_id", "sterilisation_registration", ["staff_id"])


def downgrade():
    op.drop_index("ix_sterilisation_registration_staff_id", table_name="sterilisation_registration")
    op.drop_table("sterilisation_registration")
