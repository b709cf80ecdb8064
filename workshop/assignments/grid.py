"""The per-workshop homework grid: couples down, assignments across, each partner's state.

Assigning one exercise to several couples makes one assignment per couple; the grid shows
them as one column (same exercise version, open and due times, session).
"""

from dataclasses import dataclass, field
from datetime import datetime

from workshop.homework.services import partner_state
from workshop.models import Assignment, Couple

STATE_LABELS = {
    "not_started": "Not started",
    "opens_later": "Opens later",
    "draft": "Draft",
    "submitted": "Submitted",
    "reviewed": "Reviewed",
    "overdue": "Overdue",
}


@dataclass
class Column:
    key: tuple
    title: str
    is_joint: bool
    opens_at: datetime
    due_at: datetime


@dataclass
class Cell:
    assignment: Assignment
    states: list[tuple[str, str]]  # (who, state), one per partner, or ("Together", state)


@dataclass
class Row:
    couple: Couple
    enrolled: bool
    flagged: bool = False
    cells: dict[tuple, Cell] = field(default_factory=dict)


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]


def column_key(assignment: Assignment) -> tuple:
    return (
        assignment.exercise_version_id,
        assignment.opens_at,
        assignment.due_at,
        assignment.session_id,
    )


def cell_for(assignment: Assignment, now: datetime) -> Cell:
    """Each partner's state; a joint exercise has one state for the couple."""
    partners = assignment.couple.partners
    if assignment.exercise_version.is_joint:
        return Cell(assignment, [("Together", _state(assignment, p, now)) for p in partners[:1]])
    return Cell(assignment, [(p.first_name, _state(assignment, p, now)) for p in partners])


def _state(assignment: Assignment, partner, now: datetime) -> str:
    state = partner_state(assignment, partner, now)
    return "opens_later" if state == "not_started" and assignment.opens_at > now else state


def build_grid(
    enrolled: list[Couple], assignments: list[Assignment], flagged: set[int], now: datetime
) -> Grid:
    """Rows for the enrolled couples, then for withdrawn couples who still have homework here."""
    columns: dict[tuple, Column] = {}
    rows = {couple.id: Row(couple, enrolled=True) for couple in enrolled}
    for assignment in assignments:  # in due order, so the columns are too
        key = column_key(assignment)
        version = assignment.exercise_version
        columns.setdefault(
            key,
            Column(key, version.title, version.is_joint, assignment.opens_at, assignment.due_at),
        )
        row = rows.setdefault(assignment.couple_id, Row(assignment.couple, enrolled=False))
        row.cells[key] = cell_for(assignment, now)
    for row in rows.values():
        row.flagged = row.couple.id in flagged
    return Grid(list(columns.values()), list(rows.values()))
