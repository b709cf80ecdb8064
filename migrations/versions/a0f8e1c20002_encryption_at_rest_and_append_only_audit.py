"""encryption at rest, append-only audit (placeholder, filled in by the work on issue 8)

Revision ID: a0f8e1c20002
Revises: a0f8e1c20001
Create Date: 2026-11-24 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20002'
down_revision = 'a0f8e1c20001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
