"""big_kt schema

Revision ID: big_kt_0001
Revises:
Create Date: 2026-11-22

The klinisch technoloog's BIG entry with its status history, sub-domains,
work hours, NVvTG quality register and the checks against the public register.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'big_kt_0001'
down_revision = None
branch_labels = ('big_kt',)
depends_on = '0001_core'

STATUS_CHECK = "status IN ('registered', 'suspended', 'struck_off', 'restricted')"


def upgrade():
    op.create_table('big_kt_subdomain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_subdomain')),
    sa.UniqueConstraint('name', name=op.f('uq_big_kt_subdomain_name'))
    )
    op.create_table('big_kt_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('big_number', sa.String(length=11), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=False),
    sa.Column('restriction', sa.Text(), nullable=True),
    sa.Column('restriction_from', sa.Date(), nullable=True),
    sa.Column('restriction_until', sa.Date(), nullable=True),
    sa.Column('restricted_procedures', sa.JSON(), nullable=False),
    sa.Column('diploma_on', sa.Date(), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('track', sa.String(length=200), nullable=True),
    sa.Column('foreign_diploma', sa.Boolean(), nullable=False),
    sa.Column('recognition_decision', sa.String(length=200), nullable=True),
    sa.Column('language_proof', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(STATUS_CHECK, name=op.f('ck_big_kt_registration_status')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_registration_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_registration')),
    sa.UniqueConstraint('big_number', name=op.f('uq_big_kt_registration_big_number')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_big_kt_registration_staff_id'))
    )
    op.create_table('big_kt_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('restriction', sa.Text(), nullable=True),
    sa.Column('restriction_from', sa.Date(), nullable=True),
    sa.Column('restriction_until', sa.Date(), nullable=True),
    sa.Column('restricted_procedures', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(STATUS_CHECK, name=op.f('ck_big_kt_status_change_status')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_status_change_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_status_change'))
    )
    with op.batch_alter_table('big_kt_status_change', schema=None) as batch_op:
        batch_op.create_index('ix_big_kt_status_change_staff_effective', ['staff_id', 'effective_on'], unique=False)

    op.create_table('big_kt_staff_subdomain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('subdomain_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_staff_subdomain_staff_id_staff')),
    sa.ForeignKeyConstraint(['subdomain_id'], ['big_kt_subdomain.id'],
                            name=op.f('fk_big_kt_staff_subdomain_subdomain_id_big_kt_subdomain')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_staff_subdomain')),
    sa.UniqueConstraint('staff_id', 'subdomain_id', name=op.f('uq_big_kt_staff_subdomain_staff_id_subdomain_id'))
    )
    with op.batch_alter_table('big_kt_staff_subdomain', schema=None) as batch_op:
        batch_op.create_index('ix_big_kt_staff_subdomain_subdomain', ['subdomain_id'], unique=False)

    op.create_table('big_kt_work_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(9, 2), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_work_hours_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_work_hours'))
    )
    with op.batch_alter_table('big_kt_work_hours', schema=None) as batch_op:
        batch_op.create_index('ix_big_kt_work_hours_staff_period', ['staff_id', 'period_start'], unique=False)

    op.create_table('big_kt_quality_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_quality_entry_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_quality_entry')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_big_kt_quality_entry_staff_id'))
    )
    op.create_table('big_kt_quality_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('points', sa.Numeric(9, 2), nullable=False),
    sa.Column('kind', sa.String(length=1), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.CheckConstraint("kind IN ('A', 'B')", name=op.f('ck_big_kt_quality_activity_kind')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_quality_activity_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_quality_activity'))
    )
    with op.batch_alter_table('big_kt_quality_activity', schema=None) as batch_op:
        batch_op.create_index('ix_big_kt_quality_activity_staff_date', ['staff_id', 'date'], unique=False)

    op.create_table('big_kt_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('differences', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('different_since', sa.Date(), nullable=True),
    sa.CheckConstraint("outcome IN ('ok', 'different', 'error')", name=op.f('ck_big_kt_verification_outcome')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_big_kt_verification_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_big_kt_verification'))
    )
    with op.batch_alter_table('big_kt_verification', schema=None) as batch_op:
        batch_op.create_index('ix_big_kt_verification_staff_checked', ['staff_id', 'checked_at'], unique=False)


def downgrade():
    with op.batch_alter_table('big_kt_verification', schema=None) as batch_op:
        batch_op.drop_index('ix_big_kt_verification_staff_checked')
    op.drop_table('big_kt_verification')
    with op.batch_alter_table('big_kt_quality_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_big_kt_quality_activity_staff_date')
    op.drop_table('big_kt_quality_activity')
    op.drop_table('big_kt_quality_entry')
    with op.batch_alter_table('big_kt_work_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_big_kt_work_hours_staff_period')
    op.drop_table('big_kt_work_hours')
    with op.batch_alter_table('big_kt_staff_subdomain', schema=None) as batch_op:
        batch_op.drop_index('ix_big_kt_staff_subdomain_subdomain')
    op.drop_table('big_kt_staff_subdomain')
    with op.batch_alter_table('big_kt_status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_big_kt_status_change_staff_effective')
    op.drop_table('big_kt_status_change')
    op.drop_table('big_kt_registration')
    op.drop_table('big_kt_subdomain')
