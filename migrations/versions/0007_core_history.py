"""dated history of the TVB matrix; bounds on a person's dates

Revision ID: 0007_core
Revises: 0006_core_lifecycle
Create Date: 2026-11-30

The decision reads ``tvb_cell_version`` and ``tvb_activity_version`` so that
a change made today never alters the answer for an earlier date. Cells and
activities that exist now were, as far as anyone can tell, valid always: they
get one open version from 1900-01-01, which keeps every earlier answer as it
was before this migration.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_core'
down_revision = '0006_core_lifecycle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tvb_cell_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cell_id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('letters', sa.String(length=3), nullable=False),
        sa.Column('technology_group_id', sa.Integer(), nullable=True),
        sa.Column('device_type_id', sa.Integer(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['role_id'], ['tvb_role.id'], name='fk_tvb_cell_version_role_id_tvb_role'),
        sa.ForeignKeyConstraint(['activity_id'], ['tvb_activity.id'],
                                name='fk_tvb_cell_version_activity_id_tvb_activity'),
        sa.ForeignKeyConstraint(['technology_group_id'], ['technology_group.id'],
                                name='fk_tvb_cell_version_technology_group_id_technology_group'),
        sa.ForeignKeyConstraint(['device_type_id'], ['device_type.id'],
                                name='fk_tvb_cell_version_device_type_id_device_type'),
        sa.PrimaryKeyConstraint('id', name='pk_tvb_cell_version'),
    )
    op.create_index('ix_tvb_cell_version_activity_role', 'tvb_cell_version',
                    ['activity_id', 'role_id', 'valid_from', 'valid_until'])
    op.create_index('ix_tvb_cell_version_cell', 'tvb_cell_version', ['cell_id', 'valid_from'])
    op.create_table(
        'tvb_activity_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('requirements', sa.JSON(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_tvb_activity_version'),
    )
    op.create_index('ix_tvb_activity_version_activity', 'tvb_activity_version', ['activity_id', 'valid_from'])
    sqlite = op.get_bind().dialect.name == 'sqlite'
    beginning = "'1900-01-01'" if sqlite else "DATE '1900-01-01'"
    empty = "'{}'" if sqlite else "'{}'::json"
    op.execute("INSERT INTO tvb_cell_version (cell_id, role_id, activity_id, letters, technology_group_id, "
               f"device_type_id, valid_from) SELECT id, role_id, activity_id, letters, technology_group_id, "
               f"device_type_id, {beginning} FROM tvb_cell")
    op.execute("INSERT INTO tvb_activity_version (activity_id, requirements, valid_from) "
               f"SELECT id, COALESCE(requirements, {empty}), {beginning} FROM tvb_activity")


def downgrade():
    op.drop_index('ix_tvb_activity_version_activity', table_name='tvb_activity_version')
    op.drop_table('tvb_activity_version')
    op.drop_index('ix_tvb_cell_version_cell', table_name='tvb_cell_version')
    op.drop_index('ix_tvb_cell_version_activity_role', table_name='tvb_cell_version')
    op.drop_table('tvb_cell_version')
