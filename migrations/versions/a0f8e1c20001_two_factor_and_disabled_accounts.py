"""two-factor sign-in, recovery codes, disabled accounts (placeholder, filled in by the work on issue 8)

Revision ID: a0f8e1c20001
Revises: d5b9e996256c
Create Date: 2026-11-24 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20001'
down_revision = 'd5b9e996256c'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
