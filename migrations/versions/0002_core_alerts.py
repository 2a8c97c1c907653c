"""alerts: coverage minimums, Dutch alert text

Revision ID: 0002_core
Revises: 0001_core
Create Date: 2026-11-23

``coverage_minimum``: the fewest competent technicians a device type (or every
type of a technology group) must have (a coverage alert for single points of failure, docs/alerts.md).
``alert.message_nl``: the Dutch text of an alert, for Dutch readers.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_core'
down_revision = '0001_core'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coverage_minimum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_type_id', sa.Integer(), nullable=True),
    sa.Column('technology_group_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(device_type_id IS NULL) <> (technology_group_id IS NULL)', name=op.f('ck_coverage_minimum_one_subject')),
    sa.CheckConstraint('minimum >= 1', name=op.f('ck_coverage_minimum_minimum_positive')),
    sa.ForeignKeyConstraint(['device_type_id'], ['device_type.id'], name=op.f('fk_coverage_minimum_device_type_id_device_type')),
    sa.ForeignKeyConstraint(['technology_group_id'], ['technology_group.id'], name=op.f('fk_coverage_minimum_technology_group_id_technology_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_minimum'))
    )
    with op.batch_alter_table('coverage_minimum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coverage_minimum_device_type_id'), ['device_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coverage_minimum_technology_group_id'), ['technology_group_id'], unique=False)

    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_nl', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_column('message_nl')

    with op.batch_alter_table('coverage_minimum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coverage_minimum_technology_group_id'))
        batch_op.drop_index(batch_op.f('ix_coverage_minimum_device_type_id'))

    op.drop_table('coverage_minimum')
