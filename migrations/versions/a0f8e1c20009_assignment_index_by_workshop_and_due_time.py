"""assignment: index (workshop_id, due_at) instead of (workshop_id)

The homework grid reads one workshop's assignments due within its window of columns; with an
index of the workshop alone and one of due times across all workshops, PostgreSQL combined
both (reading every assignment of the practice due in those weeks). The composite index
gives the window as one range, and leads with workshop_id for the foreign key and every lookup
by workshop.

Revision ID: a0f8e1c20009
Revises: a0f8e1c20008
Create Date: 2026-12-07 06:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20009'
down_revision = 'a0f8e1c20008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assignment_workshop_id_due_at', 'assignment', ['workshop_id', 'due_at'], unique=False
    )
    op.drop_index('ix_assignment_workshop_id', table_name='assignment')


def downgrade():
    op.create_index('ix_assignment_workshop_id', 'assignment', ['workshop_id'], unique=False)
    op.drop_index('ix_assignment_workshop_id_due_at', table_name='assignment')
