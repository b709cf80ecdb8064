"""Every foreign key, and every column the main pages filter or sort on, leads an index.

A foreign key without an index makes every join through it, and every delete of the row it
points at, read the whole child table; at a practice's scale that is the slow page nobody
notices in the demo. (tests/test_migrations.py checks the migrations build these indexes.)
"""

import pytest

from workshop.extensions import db

# (table, column) the main pages filter or sort on beyond their foreign keys.
FILTERED_OR_SORTED = [
    ("workshop_session", "starts_at"),  # agenda, week, partner home
    ("workshop_session", "ends_at"),  # upcoming sessions
    ("assignment", "due_at"),  # grid, homework list
    ("assignment", "opens_at"),  # homework to do
    ("submission", "status"),  # review queue
    ("session_note", "status"),  # drafts to sign
    ("session_note", "updated_at"),
    # audit_event.at: the audit log sorts one practice's or one person's events by it, on
    # the composite indexes below (an index of time alone would be one more to update).
    ("audit_event", "action"),  # audit log filter
    ("workshop", "status"),
]


def leading_columns(table) -> set[str]:
    """Columns that are the first column of an index, primary key or unique constraint."""
    leading = {list(index.columns)[0].name for index in table.indexes}
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and constraint.__visit_name__ in ("primary_key_constraint", "unique_constraint"):
            leading.add(columns[0].name)
    return leading


def test_every_foreign_key_column_leads_an_index():
    unindexed = [
        f"{table.name}.{key.parent.name}"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.parent.name not in leading_columns(table)
    ]

    assert db.metadata.sorted_tables, "no tables: the models were not imported"
    assert unindexed == []


@pytest.mark.parametrize(("table", "column"), FILTERED_OR_SORTED)
def test_columns_the_main_pages_filter_or_sort_on_lead_an_index(table, column):
    assert column in leading_columns(db.metadata.tables[table])


def test_the_audit_log_reads_one_practices_or_one_persons_newest_events_from_one_index():
    table = db.metadata.tables["audit_event"]
    composite = [[column.name for column in index.columns] for index in table.indexes]

    # In the log's order (newest first, then by id): a page is the first entries of a range.
    assert ["practice_id", "at", "id"] in composite
    assert ["actor_id", "at", "id"] in composite
