"""leidraad: the tables of a device type's Leidraad context raise the core's cache_version

Revision ID: leidraad_0005
Revises: leidraad_0004
Create Date: 2026-11-30

The risk class, policy, override and releases of a device type are cached
between requests (core/constants.py); a change to any of these tables must be
seen by the next request on every worker.
"""
from alembic import op

from core.constants import create_triggers, drop_triggers

revision = "leidraad_0005"
down_revision = "leidraad_0004"
branch_labels = None
depends_on = "0010_core_perf"

TABLES = ("leidraad_screening", "leidraad_release", "leidraad_policy", "leidraad_override")


def upgrade():
    create_triggers(op, TABLES)


def downgrade():
    drop_triggers(op, TABLES)
