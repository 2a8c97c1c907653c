"""lifecycle as dated history; legacy registrations; no release date without a release

Revision ID: 0006_core_lifecycle
Revises: 0004_core
Create Date: 2026-11-30

``device_type_phase``: every phase a device type takes, with the date it takes
effect, so a decision for a past day is made as the type stood then
(Leidraad Medische Technologie 2026, levensloop: phases 1-7). Each existing
type gets one row: its current phase from its ``released_on``, or from
1900-01-01 when it has none.

``device_type.legacy_registration``: the type was registered already in use
with its historical release date, not released through the release procedure.

A type in a phase before 6 that carries a ``released_on`` was never released
(fase 5: "pas bij een volledig technisch en klinisch akkoord mag medische
technologie in gebruik genomen worden"): the date is cleared, the old value kept
in the audit trail, and the ids are printed and logged.
"""
import datetime as dt
import logging

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_core_lifecycle'
down_revision = '0005_core_ops'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
SINCE_EVER = dt.date(1900, 1, 1)
ACTOR = "migration 0006_core_lifecycle"

device_type = sa.table("device_type", sa.column("id", sa.Integer), sa.column("lifecycle_phase", sa.Integer),
                       sa.column("released_on", sa.Date))
phase_table = sa.table("device_type_phase", sa.column("device_type_id", sa.Integer), sa.column("phase", sa.Integer),
                       sa.column("valid_from", sa.Date), sa.column("recorded_at", sa.DateTime(timezone=True)))
audit = sa.table("audit_entry", sa.column("at", sa.DateTime(timezone=True)), sa.column("user_id", sa.Integer),
                 sa.column("actor", sa.String), sa.column("action", sa.String), sa.column("entity", sa.String),
                 sa.column("entity_id", sa.Integer), sa.column("before", sa.JSON), sa.column("after", sa.JSON))


def upgrade():
    op.create_table('device_type_phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_type_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.CheckConstraint('phase BETWEEN 1 AND 7', name=op.f('ck_device_type_phase_phase')),
    sa.ForeignKeyConstraint(['device_type_id'], ['device_type.id'], name=op.f('fk_device_type_phase_device_type_id_device_type')),
    sa.ForeignKeyConstraint(['recorded_by'], ['user_account.id'], name=op.f('fk_device_type_phase_recorded_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_type_phase'))
    )
    with op.batch_alter_table('device_type_phase', schema=None) as batch_op:
        batch_op.create_index('ix_device_type_phase_type_from', ['device_type_id', 'valid_from'], unique=False)
    with op.batch_alter_table('device_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legacy_registration', sa.Boolean(), server_default=sa.false(), nullable=False))

    conn = op.get_bind()
    now = dt.datetime.now(dt.timezone.utc)
    wrong = conn.execute(sa.select(device_type.c.id, device_type.c.lifecycle_phase, device_type.c.released_on)
                         .where(device_type.c.lifecycle_phase < 6, device_type.c.released_on.is_not(None))
                         .order_by(device_type.c.id)).all()
    if wrong:
        message = ("device types in a phase before 6 carried a release date without a release; "
                   "released_on cleared (old value in the audit trail): "
                   + ", ".join(f"id {i} (phase {p}, released_on {r.isoformat()})" for i, p, r in wrong))
        log.warning(message)
        print(message)
        op.bulk_insert(audit, [{"at": now, "user_id": None, "actor": ACTOR, "action": "update",
                                "entity": "device_type", "entity_id": i,
                                "before": {"released_on": r.isoformat()}, "after": {"released_on": None}}
                               for i, _p, r in wrong])
        conn.execute(device_type.update().where(device_type.c.id.in_([i for i, *_ in wrong]))
                     .values(released_on=None))
    rows = conn.execute(sa.select(device_type.c.id, device_type.c.lifecycle_phase, device_type.c.released_on)).all()
    if rows:
        op.bulk_insert(phase_table, [{"device_type_id": i, "phase": p or 1, "valid_from": r or SINCE_EVER,
                                      "recorded_at": now} for i, p, r in rows])


def downgrade():
    with op.batch_alter_table('device_type', schema=None) as batch_op:
        batch_op.drop_column('legacy_registration')
    with op.batch_alter_table('device_type_phase', schema=None) as batch_op:
        batch_op.drop_index('ix_device_type_phase_type_from')
    op.drop_table('device_type_phase')
