"""submission.workshop_id: the answers waiting for review found by workshop

The grid and the review queue count a workshop's answers waiting for review and show the
oldest. They found them through the workshop's assignments (an index lookup per assignment:
240 for a twelve-week workshop of ten couples, 0.4-0.5 ms of PostgreSQL's time on each view,
and more every week the workshop runs). A submission now holds its assignment's workshop, and
a partial index of the waiting answers by workshop gives them in one range (0.1 ms).

The copy is kept true by the database: the submission's (assignment_id, workshop_id) refers to
the assignment's (id, workshop_id), which replaces the key of assignment_id alone.

Revision ID: a0f8e1c20010
Revises: a0f8e1c20009
Create Date: 2026-12-07 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20010'
down_revision = 'a0f8e1c20009'
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'submitted'")


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_assignment_id_workshop_id', ['id', 'workshop_id'])

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE submission SET workshop_id ="
        " (SELECT assignment.workshop_id FROM assignment"
        " WHERE assignment.id = submission.assignment_id)"
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.alter_column('workshop_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('fk_submission_assignment_id_assignment', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_submission_assignment_workshop',
            'assignment',
            ['assignment_id', 'workshop_id'],
            ['id', 'workshop_id'],
        )
        batch_op.create_index(
            'ix_submission_waiting_workshop_id',
            ['workshop_id', 'submitted_at', 'id'],
            unique=False,
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )
        batch_op.drop_index(
            'ix_submission_waiting_assignment_id',
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(
            'ix_submission_waiting_assignment_id',
            ['assignment_id'],
            unique=False,
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )
        batch_op.drop_index(
            'ix_submission_waiting_workshop_id',
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )
        batch_op.drop_constraint('fk_submission_assignment_workshop', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_submission_assignment_id_assignment', 'assignment', ['assignment_id'], ['id']
        )
        batch_op.drop_column('workshop_id')

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_constraint('uq_assignment_id_workshop_id', type_='unique')
