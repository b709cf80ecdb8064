"""two-factor sign-in, recovery codes, disabled accounts

Accounts could already be disabled (user.is_active); this adds what two-factor sign-in needs:
the TOTP credential (its secret stored as a Fernet token, hence Text), hashed recovery codes,
the pending step of a login between password and second factor, and the practice setting that
requires two-factor sign-in for staff (off for existing practices).

Revision ID: a0f8e1c20001
Revises: d5b9e996256c
Create Date: 2026-11-24 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20001'
down_revision = 'd5b9e996256c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('two_factor_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('enabled_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_step', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_two_factor_credential_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_credential')),
    sa.UniqueConstraint('user_id', name=op.f('uq_two_factor_credential_user_id'))
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_code_code_hash'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_step', sa.String(length=20), nullable=True))

    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_staff_two_factor', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('require_staff_two_factor')

    with op.batch_alter_table('login_session', schema=None) as batch_op:
        batch_op.drop_column('pending_step')

    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))

    op.drop_table('recovery_code')
    op.drop_table('two_factor_credential')
