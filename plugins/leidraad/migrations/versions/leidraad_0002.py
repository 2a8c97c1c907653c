"""leidraad: the default TVB activities of a medical-technology department

The lifecycle activities of the Leidraad Medische Technologie 2026 (levensloop, fase 1-7) and the daily work on devices, with the
Leidraad requirements that apply to them. An institution edits or removes
them through /api/v1/tvb/activities; downgrade removes only untouched ones.

Revision ID: leidraad_0002
Revises: leidraad_0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "leidraad_0002"
down_revision = "leidraad_0001"
branch_labels = None
depends_on = None


def _req(role=None, approval=None):
    return {"leidraad": {"competence_role": role, "approval": approval}} if (role or approval) else {}


# (name, level, lifecycle phase, requirements) — Leidraad Medische Technologie 2026, "Levensloop".
DEFAULT_ACTIVITIES = [
    ("Beleid medische technologie vaststellen", "strategic", None, {}),
    ("Behoeftebepaling", "strategic", 1, {}),
    ("Risicoscreening en PRI", "tactical", 2, {}),
    ("Verwerving", "tactical", 3, {}),
    ("Implementatie", "tactical", 4, {}),
    ("Technische vrijgave", "operational", 5, _req(approval="technical")),
    ("Klinische vrijgave", "operational", 5, _req(approval="clinical")),
    ("Klinisch gebruik", "operational", 6, _req(role="user")),
    ("Gebruikersinstructie geven", "operational", 6, _req(role="trainer")),
    ("Preventief onderhoud", "operational", 6, _req(role="technician")),
    ("Reparatie", "operational", 6, _req(role="technician")),
    ("Veiligheidsinspectie", "operational", 6, _req(role="technician")),
    ("Software-update", "operational", 6, _req(role="technician")),
    ("Buitengebruikstelling en afvoer", "tactical", 7, {}),
]

activity = sa.table("tvb_activity", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("level", sa.String), sa.column("lifecycle_phase", sa.Integer),
                    sa.column("requirements", sa.JSON))


def upgrade():
    op.bulk_insert(activity, [{"name": n, "level": lvl, "lifecycle_phase": p, "requirements": r}
                              for n, lvl, p, r in DEFAULT_ACTIVITIES])


def downgrade():
    conn = op.get_bind()
    used = {row[0] for row in conn.execute(sa.text("SELECT DISTINCT activity_id FROM tvb_cell"))}
    used |= {row[0] for row in conn.execute(sa.text(
        "SELECT DISTINCT activity_id FROM competence WHERE activity_id IS NOT NULL"))}
    for name, *_ in DEFAULT_ACTIVITIES:
        row = conn.execute(sa.select(activity.c.id).where(activity.c.name == name)).first()
        if row is not None and row[0] not in used:
            conn.execute(activity.delete().where(activity.c.id == row[0]))
