"""submission: a partial index of the answers waiting for review, by assignment

The review queue page (and its count) looks up each of a workshop's assignments among the
answers waiting; the plain assignment index also holds every draft and reviewed answer, each
read and thrown away.

Revision ID: a0f8e1c20006
Revises: a0f8e1c20005
Create Date: 2026-11-24 23:45:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20006'
down_revision = 'a0f8e1c20005'
branch_labels = None
depends_on = None


def upgrade():
    waiting = sa.text("status = 'submitted'")
    op.create_index(
        'ix_submission_waiting_assignment_id',
        'submission',
        ['assignment_id'],
        unique=False,
        postgresql_where=waiting,
        sqlite_where=waiting,
    )


def downgrade():
    op.drop_index('ix_submission_waiting_assignment_id', table_name='submission')
