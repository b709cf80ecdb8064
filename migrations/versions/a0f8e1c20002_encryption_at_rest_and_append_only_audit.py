"""encryption at rest for note text, addenda and homework answers; append-only audit log

Upgrade: session_note.sections and submission.answers become Text columns holding Fernet
tokens of their JSON; note_addendum.text holds a token of its text. Existing rows are encrypted
with the app's DATA_ENCRYPTION_KEY (first key). On PostgreSQL a trigger refuses UPDATE, DELETE
and TRUNCATE on audit_event. Downgrade decrypts (any configured key) and restores JSON columns.

Revision ID: a0f8e1c20002
Revises: a0f8e1c20001
Create Date: 2026-11-24 08:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
from cryptography.fernet import Fernet, MultiFernet
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'a0f8e1c20002'
down_revision = 'a0f8e1c20001'
branch_labels = None
depends_on = None

# (table, column, was JSON): a frozen copy, migrations do not import the app's models.
ENCRYPTED = (
    ('session_note', 'sections', True),
    ('note_addendum', 'text', False),
    ('submission', 'answers', True),
)
BATCH = 500

APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',"
    " ERRCODE = 'insufficient_privilege';"
    " END $$",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event"
    " FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
)
NOT_APPEND_ONLY = (
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
)


def _cipher():
    raw = current_app.config['DATA_ENCRYPTION_KEY']
    return MultiFernet([Fernet(key.strip()) for key in raw.split(',') if key.strip()])


def _set_type(table, column, new_type, old_type):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column(
            column,
            existing_type=old_type,
            type_=new_type,
            existing_nullable=False,
            postgresql_using=f'{column}::{"text" if isinstance(new_type, sa.Text) else "json"}',
        )


def _transform(table_name, column, change):
    """Rewrite every value of one column through `change`, a batch of rows at a time."""
    bind = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column, sa.Text))
    after_id = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c[column])
            .where(table.c.id > after_id)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam('row_id'))
            .values({column: sa.bindparam('value')}),
            [{'row_id': row_id, 'value': change(value)} for row_id, value in rows],
        )
        after_id = rows[-1][0]


def upgrade():
    cipher = _cipher()
    for table, column, was_json in ENCRYPTED:
        if was_json:
            _set_type(table, column, sa.Text(), sa.JSON())
        _transform(table, column, lambda plain: cipher.encrypt(plain.encode()).decode())
    if op.get_bind().dialect.name == 'postgresql':
        for statement in APPEND_ONLY:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in NOT_APPEND_ONLY:
            op.execute(statement)
    cipher = _cipher()
    for table, column, was_json in ENCRYPTED:
        _transform(table, column, lambda token: cipher.decrypt(token.encode()).decode())
        if was_json:
            _set_type(table, column, sa.JSON(), sa.Text())
