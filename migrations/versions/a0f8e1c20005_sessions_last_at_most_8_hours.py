"""workshop_session: a CHECK that a session lasts at most 8 hours (PostgreSQL)

The scheduling rules (check_times) already refuse longer sessions; the pages that list the
sessions under way find them by their start time alone, so the database now holds the rule
too. SQLite (development, tests) has no interval type: the rule stays in the code there.

Revision ID: a0f8e1c20005
Revises: a0f8e1c20004
Create Date: 2026-11-24 23:40:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20005'
down_revision = 'a0f8e1c20004'
branch_labels = None
depends_on = None

CONSTRAINT = 'ck_workshop_session_lasts_at_most_8_hours'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_check_constraint(
            op.f(CONSTRAINT), 'workshop_session', "ends_at <= starts_at + interval '8 hours'"
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f(CONSTRAINT), 'workshop_session', type_='check')
