"""evidence: private tokens of the calendar feeds and of the maintenance system's competence check

Revision ID: 0011_core_evidence
Revises: 0010_core_perf
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_core_evidence'
down_revision = '0010_core_perf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evidence_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=100), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('staff_calendar', 'department_calendar', 'cmms')",
                           name=op.f('ck_evidence_token_kind')),
        sa.CheckConstraint("(kind <> 'staff_calendar') OR (staff_id IS NOT NULL)",
                           name=op.f('ck_evidence_token_staff_feed_has_staff')),
        sa.CheckConstraint("(kind <> 'department_calendar') OR (department_id IS NOT NULL)",
                           name=op.f('ck_evidence_token_department_feed_has_department')),
        sa.ForeignKeyConstraint(['created_by'], ['user_account.id'],
                                name=op.f('fk_evidence_token_created_by_user_account')),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                                name=op.f('fk_evidence_token_department_id_department')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_evidence_token_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_evidence_token_token_hash')),
    )
    with op.batch_alter_table('evidence_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_token_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_token_staff_id'))
    op.drop_table('evidence_token')
