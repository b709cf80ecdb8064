"""indexes for practice scale: every foreign key leads an index; the main pages' sorts

Revision ID: a0f8e1c20003
Revises: a0f8e1c20002
Create Date: 2026-11-24 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20003'
down_revision = 'a0f8e1c20002'
branch_labels = None
depends_on = None

# (index name, table, columns). Names follow the metadata's naming convention (ix_<column label>)
# for one-column indexes, so `alembic check` finds no drift.
INDEXES = [
    ("ix_assignment_assigned_by_id", "assignment", ["assigned_by_id"]),
    ("ix_attendance_recorded_by_id", "attendance", ["recorded_by_id"]),
    ("ix_note_addendum_author_id", "note_addendum", ["author_id"]),
    ("ix_progress_summary_updated_by_id", "progress_summary", ["updated_by_id"]),
    ("ix_report_generated_by_id", "report", ["generated_by_id"]),
    ("ix_report_released_by_id", "report", ["released_by_id"]),
    ("ix_safety_flag_reviewed_by_id", "safety_flag", ["reviewed_by_id"]),
    ("ix_submission_last_edited_by_id", "submission", ["last_edited_by_id"]),
    ("ix_submission_reviewed_by_id", "submission", ["reviewed_by_id"]),
    ("ix_workshop_session_overlap_confirmed_by_id", "workshop_session", ["overlap_confirmed_by_id"]),
    # The audit log: one practice's events, newest first.
    ("ix_audit_event_practice_id_at", "audit_event", ["practice_id", "at"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)

    # --- report archive reuse (issue 9, the report path): the digest of the data a report was
    # rendered from, so an unchanged report is served from the archive instead of re-rendered.
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_sha256', sa.String(length=64), nullable=True))


def downgrade():
    # --- report archive reuse (see upgrade)
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('data_sha256')

    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
