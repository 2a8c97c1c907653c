"""vzi_mt: portfolio and certification periods

Revision ID: vzi_mt_0001
Revises:
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = "vzi_mt_0001"
down_revision = None
branch_labels = ("vzi_mt",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "vzi_mt_education",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=True),
        sa.Column("equivalence_accepted_for", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_education_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_education")),
    )
    with op.batch_alter_table("vzi_mt_education", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_education_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "vzi_mt_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=True),
        sa.Column("equivalent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_certificate_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_certificate")),
    )
    with op.batch_alter_table("vzi_mt_certificate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_certificate_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "vzi_mt_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=3), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_vzi_mt_position_dates")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_position_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_position")),
    )
    with op.batch_alter_table("vzi_mt_position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_position_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "vzi_mt_cpd_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("technology_group_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_vzi_mt_cpd_activity_hours")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_cpd_activity_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["technology_group_id"], ["technology_group.id"],
            name=op.f("fk_vzi_mt_cpd_activity_technology_group_id_technology_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_cpd_activity")),
    )
    with op.batch_alter_table("vzi_mt_cpd_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_cpd_activity_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_vzi_mt_cpd_activity_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "vzi_mt_work_experience",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("technology_group_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_vzi_mt_work_experience_dates")),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_vzi_mt_work_experience_hours")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_work_experience_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["technology_group_id"], ["technology_group.id"],
            name=op.f("fk_vzi_mt_work_experience_technology_group_id_technology_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_work_experience")),
    )
    with op.batch_alter_table("vzi_mt_work_experience", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vzi_mt_work_experience_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "vzi_mt_certification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=3), nullable=False),
        sa.Column("designation", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("dispensation_percent", sa.Integer(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date > start_date", name=op.f("ck_vzi_mt_certification_dates")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_vzi_mt_certification_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vzi_mt_certification")),
    )
    with op.batch_alter_table("vzi_mt_certification", schema=None) as batch_op:
        batch_op.create_index("ix_vzi_mt_certification_end_date", ["end_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_vzi_mt_certification_staff_id"), ["staff_id"], unique=False)


def downgrade():
    for table in (
        "vzi_mt_certification",
        "vzi_mt_work_experience",
        "vzi_mt_cpd_activity",
        "vzi_mt_position",
        "vzi_mt_certificate",
        "vzi_mt_education",
    ):
        op.drop_table(table)
