"""drop ix_audit_event_practice_id: ix_audit_event_practice_id_at leads with the same column

Every audit event insert (one per note on each timeline page read, for instance) maintained
both indexes; the composite one serves every lookup by practice alone too, including the
foreign key's checks when a practice is deleted.

Revision ID: a0f8e1c20004
Revises: a0f8e1c20003
Create Date: 2026-11-24 20:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20004'
down_revision = 'a0f8e1c20003'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_audit_event_practice_id', table_name='audit_event')


def downgrade():
    op.create_index('ix_audit_event_practice_id', 'audit_event', ['practice_id'], unique=False)
