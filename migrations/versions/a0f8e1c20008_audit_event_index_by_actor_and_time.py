"""audit_event: index (actor_id, at) instead of (actor_id) and (at)

The audit log filtered by one person, newest first, read that person's events through the
index of every event's time, passing over everyone else's (23 ms for someone with few events in
a log of 150,000); and the autosave check of a note ("was an edit recorded in the last ten
minutes?") read every recorded edit of the practice. The composite index gives both a short
range. The index of time alone served nothing else: the practice's log in time order has
(practice_id, at). One index fewer to update on every event added (a timeline page adds one
per note it shows). The composite leads with actor_id, so it serves the foreign key too.

Revision ID: a0f8e1c20008
Revises: a0f8e1c20007
Create Date: 2026-12-07 05:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20008'
down_revision = 'a0f8e1c20007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_event_actor_id_at', 'audit_event', ['actor_id', 'at'], unique=False)
    op.drop_index('ix_audit_event_actor_id', table_name='audit_event')
    op.drop_index('ix_audit_event_at', table_name='audit_event')


def downgrade():
    op.create_index('ix_audit_event_at', 'audit_event', ['at'], unique=False)
    op.create_index('ix_audit_event_actor_id', 'audit_event', ['actor_id'], unique=False)
    op.drop_index('ix_audit_event_actor_id_at', table_name='audit_event')
