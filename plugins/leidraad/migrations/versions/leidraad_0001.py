"""leidraad: screenings, policy versions, overrides, approvals, safety notices

Revision ID: leidraad_0001
Revises:
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "leidraad_0001"
down_revision = None
branch_labels = ("leidraad",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "leidraad_screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type_id", sa.Integer(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("product_risk", sa.String(length=6), nullable=False),
        sa.Column("usage_context", sa.String(length=6), nullable=False),
        sa.Column("novelty", sa.String(length=6), nullable=False),
        sa.Column("impact", sa.String(length=6), nullable=False),
        sa.Column("score_sum", sa.Integer(), nullable=False),
        sa.Column("risk_class", sa.String(length=6), nullable=False),
        sa.Column("pri_required", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("screened_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_type_id"], ["device_type.id"], name=op.f("fk_leidraad_screening_device_type_id_device_type")),
        sa.ForeignKeyConstraint(["screened_by"], ["user_account.id"], name=op.f("fk_leidraad_screening_screened_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_screening")),
    )
    op.create_index("ix_leidraad_screening_device_type_on", "leidraad_screening", ["device_type_id", "screened_on"])
    op.create_table(
        "leidraad_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_leidraad_policy_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_policy")),
    )
    op.create_index(op.f("ix_leidraad_policy_effective_on"), "leidraad_policy", ["effective_on"])
    op.create_table(
        "leidraad_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type_id", sa.Integer(), nullable=False),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["device_type_id"], ["device_type.id"], name=op.f("fk_leidraad_override_device_type_id_device_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_override")),
        sa.UniqueConstraint("device_type_id", name=op.f("uq_leidraad_override_device_type_id")),
    )
    op.create_table(
        "leidraad_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_type_id"], ["device_type.id"], name=op.f("fk_leidraad_approval_device_type_id_device_type")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_leidraad_approval_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_approval")),
    )
    op.create_index(op.f("ix_leidraad_approval_device_type_id"), "leidraad_approval", ["device_type_id"])
    op.create_table(
        "leidraad_safety_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reinstruct_by", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_type_id"], ["device_type.id"], name=op.f("fk_leidraad_safety_notice_device_type_id_device_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_safety_notice")),
    )
    op.create_index(op.f("ix_leidraad_safety_notice_device_type_id"), "leidraad_safety_notice", ["device_type_id"])


def downgrade():
    for table in ("leidraad_safety_notice", "leidraad_approval", "leidraad_override",
                  "leidraad_policy", "leidraad_screening"):
        op.drop_table(table)
