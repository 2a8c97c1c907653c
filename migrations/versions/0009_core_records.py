"""trustworthy records: hash-chained audit trail, change sets, NEN 7513 access log

Revision ID: 0009_core_records
Revises: 0008_core_identity
Create Date: 2026-11-30

Existing audit rows are renumbered without gaps (nothing refers to an audit
id; a gap must mean a removed row from now on) and chained in id order.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_core_records'
down_revision = '0008_core_identity'
branch_labels = None
depends_on = None

audit = sa.table(
    "audit_entry", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer), sa.column("actor", sa.String), sa.column("action", sa.String),
    sa.column("entity", sa.String), sa.column("entity_id", sa.Integer), sa.column("before", sa.JSON),
    sa.column("after", sa.JSON), sa.column("change_set", sa.String), sa.column("reason", sa.String),
    sa.column("prev_hash", sa.String), sa.column("row_hash", sa.String))


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_set', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entry_change_set'), ['change_set'], unique=False)
    op.create_table(
        'access_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=254), nullable=False),
        sa.Column('on_behalf_of', sa.String(length=254), nullable=True),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=120), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('ip', sa.String(length=45), nullable=True),
        sa.Column('prev_hash', sa.String(length=64), nullable=True),
        sa.Column('row_hash', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_at', ['at'], unique=False)
        batch_op.create_index('ix_access_log_staff', ['staff_id'], unique=False)
        batch_op.create_index('ix_access_log_user', ['user_id'], unique=False)

    from core.audit.chain import chain_all

    conn = op.get_bind()
    ids = conn.execute(sa.select(audit.c.id).order_by(audit.c.id)).scalars().all()
    # Ascending order: a new id is never above the old one, so no update collides.
    renumber = [{"old": old, "new": new} for new, old in enumerate(ids, start=1) if old != new]
    if renumber:
        conn.execute(sa.update(audit).where(audit.c.id == sa.bindparam("old")).values(id=sa.bindparam("new")),
                     renumber)
    chain_all(conn, audit)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), "
                             "COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM audit_entry"))


def downgrade():
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_user')
        batch_op.drop_index('ix_access_log_staff')
        batch_op.drop_index('ix_access_log_at')
    op.drop_table('access_log')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_change_set'))
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('reason')
        batch_op.drop_column('change_set')
