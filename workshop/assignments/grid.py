"""The workshop's homework page: couples down, assignments across, each partner's state; and
the answers waiting for review.

Assigning one exercise to several couples makes one assignment per couple; the grid shows
them as one column (same exercise version, open and due times, session).

Both are built from plain rows (queries.grid_data, queries.review_queue): a workshop has
hundreds of assignments and answers, too many to build an ORM object each, and the grid has
hundreds of cells, too many to draw each with template logic, so the cells' HTML is made here.
cell_for makes the states from ORM objects instead, for a few assignments (the note page's
recent homework).
"""

from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import TypeVar

from flask import get_template_attribute
from markupsafe import Markup, escape

from workshop.assignments.queries import GridData
from workshop.homework.services import respondent_of, state_from
from workshop.models import Assignment
from workshop.models.people import couple_name_of, first_name_of
from workshop.templating import url_for_each

STATE_LABELS = {
    "not_started": "Not started",
    "opens_later": "Opens later",
    "draft": "Draft",
    "submitted": "Submitted",
    "reviewed": "Reviewed",
    "overdue": "Overdue",
}

T = TypeVar("T")
Part = tuple[str, str]  # (respondent, who): whose submission, and how the grid names them


def parts_of(is_joint: bool, partners: list[tuple[int, str]]) -> list[Part]:
    """A part per partner (id, first name), or the couple's one part of a joint exercise."""
    if is_joint:
        return [(respondent_of(True, partners[0][0]), "Together")] if partners else []
    return [(respondent_of(False, partner_id), name) for partner_id, name in partners]


def states_of(
    parts: list[tuple[str, T]], statuses: dict, opens_at, due_at, now
) -> list[tuple[T, str]]:
    """(who, state) per part (respondent, who): the rule of services.partner_state, and "opens
    later" for what nobody may start yet. `statuses`: the assignment's submission status by
    respondent."""
    opens_later = opens_at > now
    states = []
    for respondent, who in parts:
        state = state_from(statuses.get(respondent), due_at, now)
        states.append((who, "opens_later" if opens_later and state == "not_started" else state))
    return states


@dataclass
class Cell:
    assignment: Assignment
    states: list[tuple[str, str]]  # (who, state), one per partner, or ("Together", state)


def cell_for(assignment: Assignment, now: datetime) -> Cell:
    """A cell from an assignment loaded with its version, submissions and couple's partners."""
    partners = [(p.id, p.first_name) for p in assignment.couple.partners]
    parts = parts_of(assignment.exercise_version.is_joint, partners)
    statuses = {s.respondent: s.status for s in assignment.submissions}
    return Cell(assignment, states_of(parts, statuses, assignment.opens_at, assignment.due_at, now))


# --- the grid ----------------------------------------------------------------------------------


@dataclass
class Column:
    key: tuple
    title: str
    is_joint: bool
    opens_at: datetime
    due_at: datetime


# A cell's HTML is made here, not in the template: the grid has hundreds of cells, and each
# drawn by template logic costs several times the Python of the string below.
NOT_ASSIGNED = '<td><span class="muted" aria-label="Not assigned">–</span></td>'


@dataclass
class Row:
    couple_id: int
    couple_name: str
    enrolled: bool
    flagged: bool
    # A <td> per column, in column order: a link to the couple's assignment, its text saying
    # which homework for which couple (screen readers hear a cell without its headers), then
    # each part's name and state badge; or NOT_ASSIGNED.
    cells: Markup = Markup()


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]


@dataclass
class _Couple:
    """A couple's row heading, and what their cells show, escaped once for all their cells."""

    id: int
    name: str
    enrolled_at: datetime | None  # None: no longer enrolled
    locked: bool
    name_html: str
    own_parts: list[tuple[str, dict[str, str]]]  # (respondent, HTML of the part by state)
    joint_parts: list[tuple[str, dict[str, str]]]


def build_grid(data: GridData, now: datetime) -> Grid:
    """Rows for the enrolled couples (in enrolment order), then for withdrawn couples who
    still have homework here (in the order of their first homework)."""
    couples = _couples(data, _state_badges())
    statuses = _statuses_by_assignment(data)
    enrolled = sorted(
        (c for c in couples.values() if c.enrolled_at is not None),
        key=attrgetter("enrolled_at", "id"),
    )
    rows = {c.id: Row(c.id, c.name, enrolled=True, flagged=c.locked) for c in enrolled}
    columns: dict[tuple, Column] = {}
    titles: dict[tuple, str] = {}  # by column, escaped once for all its cells
    cells: dict[tuple[int, tuple], str] = {}
    link = _assignment_link()  # url_for's URL of a route with an int id: nothing to escape
    # Unpacked, not read by name: a row's attributes cost more than all the rest here.
    for assignment_id, couple_id, *column, title, is_joint in data.assignments:
        key = tuple(column)  # version, open and due times, session
        if key not in columns:
            columns[key] = Column(key, title, is_joint, column[1], column[2])
            titles[key] = escape(title)
        couple = couples[couple_id]
        if couple_id not in rows:
            rows[couple_id] = Row(couple_id, couple.name, enrolled=False, flagged=couple.locked)
        parts = couple.joint_parts if is_joint else couple.own_parts
        states = states_of(parts, statuses.get(assignment_id, {}), column[1], column[2], now)
        label = f'<span class="visually-hidden">{titles[key]}, {couple.name_html}: </span>'
        parts_html = "".join([html[state] for html, state in states])
        cells[couple_id, key] = (
            f'<td><a class="hw-cell" href="{link(assignment_id)}">{label}{parts_html}</a></td>'
        )
    for row in rows.values():
        html = "".join([cells.get((row.couple_id, key), NOT_ASSIGNED) for key in columns])
        # Markup: the link, titles, names and badges in it are escaped (here and in _couples).
        row.cells = Markup(html)  # nosec B704 # noqa: S704
    return Grid(list(columns.values()), list(rows.values()))


def _assignment_link():
    """The assignment pages' URLs by id, for one url_for: a url_for per cell would cost more
    than the cell."""
    return url_for_each("assignments.show_assignment", "assignment_id")


def _state_badges() -> dict[str, Markup]:
    """Each state's badge, made once by the one badge macro that the other pages use too."""
    badge = get_template_attribute("assignments/_state.html", "state_badge")
    return {state: badge(state, STATE_LABELS) for state in STATE_LABELS}


def _couples(data: GridData, badges: dict[str, Markup]) -> dict[int, _Couple]:
    partners: dict[int, list] = {}
    for p in data.couples:  # in partner order
        partners.setdefault(p.couple_id, []).append(p)
    couples = {}
    for couple_id, rows in partners.items():
        first_names = [(p.id, first_name_of(p.name)) for p in rows]
        name = couple_name_of(p.name for p in rows)
        couples[couple_id] = _Couple(
            couple_id,
            name,
            rows[0].enrolled_at,
            bool(rows[0].locked),
            escape(name),
            _part_html(parts_of(False, first_names), badges),
            _part_html(parts_of(True, first_names), badges),
        )
    return couples


def _part_html(parts: list[Part], badges: dict[str, Markup]) -> list[tuple[str, dict[str, str]]]:
    """Each part's HTML in each state: its name and the state's badge."""
    named = [(respondent, escape(who)) for respondent, who in parts]
    return [
        (
            respondent,
            {s: f'<span class="hw-cell__part">{who} {b}</span>' for s, b in badges.items()},
        )
        for respondent, who in named
    ]


def _statuses_by_assignment(data: GridData) -> dict[int, dict[str, str]]:
    statuses: dict[int, dict[str, str]] = {}
    for assignment_id, respondent, status in data.submissions:
        statuses.setdefault(assignment_id, {})[respondent] = status
    return statuses


# --- the review queue --------------------------------------------------------------------------


@dataclass
class QueueItem:
    link: str  # to the answers on their assignment's page
    title: str
    is_safety_check: bool
    couple_name: str
    partner_name: str | None  # None: answered together
    submitted_at: datetime


def queue_items(rows, data: GridData, grid: Grid) -> list[QueueItem]:
    """The review queue's rows (queries.QueuePage) with the names the grid already read."""
    couple_names = {row.couple_id: row.couple_name for row in grid.rows}
    partner_names = {p.id: p.name for p in data.couples}
    link = _assignment_link()
    return [
        QueueItem(
            f"{link(r.assignment_id)}#submission-{r.id}",
            r.title,
            r.is_safety_check,
            couple_names[r.couple_id],
            partner_names.get(r.partner_id),
            r.submitted_at,
        )
        for r in rows
    ]
