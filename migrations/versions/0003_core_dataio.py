"""data io: saved import mappings, staff leaving dates

Revision ID: 0003_core
Revises: 0002_core
Create Date: 2026-11-24

``import_mapping``: a column mapping saved per import source.
``staff_departure``: the date a person left (the AVG retention period runs
from it) and when their data was anonymised.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_core'
down_revision = '0002_core'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
    sa.UniqueConstraint('name', name=op.f('uq_import_mapping_name'))
    )
    op.create_table('staff_departure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_departure_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_departure')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_staff_departure_staff_id'))
    )
    with op.batch_alter_table('staff_departure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_departure_left_on'), ['left_on'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_departure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_departure_left_on'))
    op.drop_table('staff_departure')
    op.drop_table('import_mapping')
