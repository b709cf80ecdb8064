"""indexes for practice scale (placeholder, filled in by the work on issue 9)

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


def upgrade():
    pass


def downgrade():
    pass
