"""fast under load: the open alerts of a department by an index of the open ones

Revision ID: 0012_core_load
Revises: 0011_core_evidence
Create Date: 2026-12-01

``ix_alert_open_staff``: ``alert (staff_id) WHERE acknowledged_at IS NULL``. The dashboard
counts a manager's open alerts (their department's people and every device-type alert) on
each visit; with the plain ``ix_alert_staff`` PostgreSQL read every alert ever raised for
those people and filtered out the acknowledged ones (benchmarks/RESULTS.md).
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_core_load"
down_revision = "0011_core_evidence"
branch_labels = None
depends_on = None

OPEN = "acknowledged_at IS NULL"


def upgrade():
    op.create_index("ix_alert_open_staff", "alert", ["staff_id"],
                    postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade():
    op.drop_index("ix_alert_open_staff", table_name="alert")
