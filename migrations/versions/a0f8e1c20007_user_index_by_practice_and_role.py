"""user: index (practice_id, role) instead of (practice_id)

A practice's users are nearly all partners; reading its counselors (the admin's home counts
them, the staff lists show them) through an index of practice alone read every partner too.
The composite index leads with practice_id, so it serves the foreign key and every lookup by
practice alone as the old index did.

Revision ID: a0f8e1c20007
Revises: a0f8e1c20006
Create Date: 2026-12-06 23:50:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20007'
down_revision = 'a0f8e1c20006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_user_practice_id_role', 'user', ['practice_id', 'role'], unique=False)
    op.drop_index('ix_user_practice_id', table_name='user')


def downgrade():
    op.create_index('ix_user_practice_id', 'user', ['practice_id'], unique=False)
    op.drop_index('ix_user_practice_id_role', table_name='user')
