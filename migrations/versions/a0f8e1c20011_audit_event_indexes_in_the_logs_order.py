"""audit_event: indexes (practice_id, at, id) and (actor_id, at, id), the log's order

The audit log lists events newest first, then by id. Events recorded by one statement share
their time (a notes timeline records a read of each note it shows), so with indexes of
(practice_id, at) and (actor_id, at) PostgreSQL read every event of the newest times and sorted
them to find a page's 25 (281 events for the first page on the scale data). With the id in the
index a page is the first 25 entries of a range.

Revision ID: a0f8e1c20011
Revises: a0f8e1c20010
Create Date: 2026-12-07 15:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20011'
down_revision = 'a0f8e1c20010'
branch_labels = None
depends_on = None

# (old name, new name, columns of the new one)
INDEXES = [
    ('ix_audit_event_practice_id_at', 'ix_audit_event_practice_id_at_id', ['practice_id', 'at', 'id']),
    ('ix_audit_event_actor_id_at', 'ix_audit_event_actor_id_at_id', ['actor_id', 'at', 'id']),
]


def upgrade():
    for old, new, columns in INDEXES:
        op.create_index(new, 'audit_event', columns, unique=False)
        op.drop_index(old, table_name='audit_event')


def downgrade():
    for old, new, columns in reversed(INDEXES):
        op.create_index(old, 'audit_event', columns[:2], unique=False)
        op.drop_index(new, table_name='audit_event')
