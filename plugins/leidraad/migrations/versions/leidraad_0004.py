"""leidraad: per-type requirement overrides as dated history

Revision ID: leidraad_0004
Revises: leidraad_0003
Create Date: 2026-11-30

An override changed today used to change the answer for every earlier date.
Each change is now a row from its ``valid_from``; the overrides that exist
were, as far as anyone can tell, in force always and start on 1900-01-01.
"""
import sqlalchemy as sa
from alembic import op

revision = "leidraad_0004"
down_revision = "leidraad_0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("leidraad_override") as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=False,
                                      server_default=sa.text("'1900-01-01'")))
        batch_op.alter_column("requirements", existing_type=sa.JSON(), nullable=True)
        batch_op.drop_constraint("uq_leidraad_override_device_type_id", type_="unique")
        batch_op.create_index("ix_leidraad_override_device_type_valid_from", ["device_type_id", "valid_from"])
    with op.batch_alter_table("leidraad_override") as batch_op:
        batch_op.alter_column("valid_from", server_default=None, existing_type=sa.Date(), existing_nullable=False)


def downgrade():
    # Only the override in force today survives a downgrade (the old table held one per type).
    op.execute(sa.text("""
        DELETE FROM leidraad_override WHERE requirements IS NULL OR id NOT IN (
            SELECT MAX(o.id) FROM leidraad_override o WHERE o.valid_from <= CURRENT_DATE GROUP BY o.device_type_id)"""))
    with op.batch_alter_table("leidraad_override") as batch_op:
        batch_op.drop_index("ix_leidraad_override_device_type_valid_from")
        batch_op.create_unique_constraint("uq_leidraad_override_device_type_id", ["device_type_id"])
        batch_op.alter_column("requirements", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("valid_from")
