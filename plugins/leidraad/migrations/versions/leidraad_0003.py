"""leidraad: dated releases, approvals per screening, PRI triggers, approval kinds of the default activities

Revision ID: leidraad_0003
Revises: leidraad_0002
Create Date: 2026-11-30

- ``leidraad_release``: every (re-)release with its date and the screening it was given on;
- ``leidraad_approval.screening_id``: an approval belongs to the screening it was given for
  (existing approvals are tied to the screening in force on their date);
- ``leidraad_screening.new_or_adapted_use`` / ``new_risk_insights``: the PRI triggers the
  Leidraad Medische Technologie 2026 names besides class and novelty;
- the default activity "Risicoscreening en PRI" authorises the PRI (approval kind ``pri``),
  so that approvals of every kind come from someone with B for it. Untouched rows only.
"""
from alembic import op
import sqlalchemy as sa

revision = "leidraad_0003"
down_revision = "leidraad_0002"
branch_labels = None
depends_on = "0007_core"  # the lifecycle history and the dated TVB versions

activity = sa.table("tvb_activity", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("requirements", sa.JSON))
version = sa.table("tvb_activity_version", sa.column("activity_id", sa.Integer), sa.column("requirements", sa.JSON),
                   sa.column("valid_until", sa.Date))
PRI_ACTIVITY = "Risicoscreening en PRI"
PRI_REQUIREMENTS = {"leidraad": {"competence_role": None, "approval": "pri"}}


def upgrade():
    op.create_table(
        "leidraad_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_type_id", sa.Integer(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["device_type_id"], ["device_type.id"], name=op.f("fk_leidraad_release_device_type_id_device_type")),
        sa.ForeignKeyConstraint(["screening_id"], ["leidraad_screening.id"], name=op.f("fk_leidraad_release_screening_id_leidraad_screening")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_leidraad_release_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leidraad_release")),
    )
    op.create_index(op.f("ix_leidraad_release_device_type_id"), "leidraad_release", ["device_type_id"])
    with op.batch_alter_table("leidraad_screening") as batch_op:
        batch_op.add_column(sa.Column("new_or_adapted_use", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("new_risk_insights", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("leidraad_approval") as batch_op:
        batch_op.add_column(sa.Column("screening_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_leidraad_approval_screening_id"), ["screening_id"])
        batch_op.create_foreign_key(batch_op.f("fk_leidraad_approval_screening_id_leidraad_screening"),
                                    "leidraad_screening", ["screening_id"], ["id"])
    op.execute(sa.text("""
        UPDATE leidraad_approval SET screening_id = (
            SELECT s.id FROM leidraad_screening s
            WHERE s.device_type_id = leidraad_approval.device_type_id AND s.screened_on <= leidraad_approval.date
            ORDER BY s.screened_on DESC, s.id DESC LIMIT 1)"""))
    # Types released before this revision: their release, on the screening then in force.
    op.execute(sa.text("""
        INSERT INTO leidraad_release (device_type_id, released_on, screening_id, created_at)
        SELECT d.id, d.released_on, (
            SELECT s.id FROM leidraad_screening s WHERE s.device_type_id = d.id AND s.screened_on <= d.released_on
            ORDER BY s.screened_on DESC, s.id DESC LIMIT 1), CURRENT_TIMESTAMP
        FROM device_type d
        WHERE d.released_on IS NOT NULL AND EXISTS (
            SELECT 1 FROM leidraad_screening s WHERE s.device_type_id = d.id AND s.screened_on <= d.released_on)"""))
    conn = op.get_bind()
    # On a fresh database the default activities (leidraad_0002) may be seeded after the core
    # started keeping dated versions (0007_core): they have been in force always.
    beginning = "'1900-01-01'" if conn.dialect.name == "sqlite" else "DATE '1900-01-01'"
    op.execute(sa.text(f"""
        INSERT INTO tvb_activity_version (activity_id, requirements, valid_from)
        SELECT a.id, a.requirements, {beginning} FROM tvb_activity a
        WHERE NOT EXISTS (SELECT 1 FROM tvb_activity_version v WHERE v.activity_id = a.id)"""))
    row = conn.execute(sa.select(activity.c.id, activity.c.requirements).where(activity.c.name == PRI_ACTIVITY)).first()
    if row is not None and not row[1]:
        conn.execute(activity.update().where(activity.c.id == row[0]).values(requirements=PRI_REQUIREMENTS))
        # The shipped default completes the activity as it was seeded: its open version says the same.
        conn.execute(version.update().where(version.c.activity_id == row[0], version.c.valid_until.is_(None))
                     .values(requirements=PRI_REQUIREMENTS))


def downgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.select(activity.c.id, activity.c.requirements).where(activity.c.name == PRI_ACTIVITY)).all()
    for activity_id, requirements in rows:
        if requirements == PRI_REQUIREMENTS:
            conn.execute(activity.update().where(activity.c.id == activity_id).values(requirements={}))
    with op.batch_alter_table("leidraad_approval") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_leidraad_approval_screening_id_leidraad_screening"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_leidraad_approval_screening_id"))
        batch_op.drop_column("screening_id")
    with op.batch_alter_table("leidraad_screening") as batch_op:
        batch_op.drop_column("new_risk_insights")
        batch_op.drop_column("new_or_adapted_use")
    op.drop_index(op.f("ix_leidraad_release_device_type_id"), table_name="leidraad_release")
    op.drop_table("leidraad_release")
