"""identity and access: server-side web sessions, failed-login counts

Revision ID: 0008_core_identity
Revises: 0007_core
Create Date: 2026-11-30

``user_session``: a web sign-in lives here, so logout and idle expiry hold on
every worker; cookies signed before this revision carry no session id and
ask for a new login once.
``login_attempt``: failed logins, counted per account and per address.
``user_account.oidc_subject``: the hospital account (issuer and subject) that signs in as the user.
``user_account.scim_id``: the identity system's id of an account it provisions (SCIM externalId).
``scim_token``: the bearer token of the provisioning connection, hashed.
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_core_identity'
down_revision = '0007_core'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('scim_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_oidc_subject'), ['oidc_subject'])
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_scim_id'), ['scim_id'])
    op.create_table(
        'user_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sid_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
        sa.UniqueConstraint('sid_hash', name=op.f('uq_user_session_sid_hash')),
    )
    op.create_index(op.f('ix_user_session_user_id'), 'user_session', ['user_id'], unique=False)
    op.create_table(
        'login_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt')),
    )
    op.create_index(op.f('ix_login_attempt_at'), 'login_attempt', ['at'], unique=False)
    op.create_index(op.f('ix_login_attempt_email'), 'login_attempt', ['email'], unique=False)
    op.create_index(op.f('ix_login_attempt_address'), 'login_attempt', ['address'], unique=False)
    op.create_table(
        'scim_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_token')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_scim_token_token_hash')),
    )


def downgrade():
    op.drop_table('scim_token')
    op.drop_table('login_attempt')
    op.drop_table('user_session')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_scim_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_user_account_oidc_subject'), type_='unique')
        batch_op.drop_column('scim_id')
        batch_op.drop_column('oidc_subject')
