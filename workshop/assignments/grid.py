"""The workshop's homework page: couples down, assignments across, each partner's state; and
the answers waiting for review.

Assigning one exercise to several couples makes one assignment per couple; the grid shows
them as one column (same exercise version, open and due times, session).

Both are built from plain rows (queries.grid_data): a workshop has hundreds of assignments
and answers, too many to build an ORM object each, and the grid has hundreds of cells, too
many to draw each with template logic, so the cells' HTML is made here. The grid shows a
window of COLUMNS_SHOWN columns at a time, and only the window's cells are made.
cell_for makes the states from ORM objects instead, for a few assignments (the note page's
recent homework).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
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

# The grid shows this many assignment columns at a time: a workshop's homework grows week by
# week, and the page (and the cells built for it) would grow with it.
COLUMNS_SHOWN = 8


@dataclass
class Column:
    key: tuple  # version, open and due times (naive UTC, as stored), session
    title: str
    is_joint: bool
    opens_at: datetime
    due_at: datetime
    assignments: list = field(default_factory=list)  # its GridData.assignments, one a couple


@dataclass(frozen=True)
class ColumnWindow:
    """The columns the grid shows: from index `first`, at most COLUMNS_SHOWN of `total`."""

    first: int
    total: int
    chosen: bool  # asked for in the URL: the page's other links keep it

    @property
    def hides_some(self) -> bool:
        """More columns than the grid shows at once: the page needs the column pager."""
        return self.total > COLUMNS_SHOWN

    @property
    def end(self) -> int:
        return min(self.first + COLUMNS_SHOWN, self.total)

    @property
    def earlier(self) -> int | None:
        """The first column of the window before this one; None at the start."""
        return _full_window_from(self.first - COLUMNS_SHOWN, self.total) if self.first else None

    @property
    def later(self) -> int | None:
        """The first column of the window after this one; None at the end."""
        if self.end == self.total:
            return None
        return _full_window_from(self.first + COLUMNS_SHOWN, self.total)

    @property
    def kept(self) -> int | None:
        """The `columns` argument that keeps this window in links; None for the default."""
        return self.first if self.chosen else None


def column_window(columns: list[Column], now: datetime, asked: int | None) -> ColumnWindow:
    """The window whose first column is `asked` (moved to show a full window), or by default
    the one ending with the last column already open, so that this week's homework is in
    view; the first columns when none has opened yet."""
    if asked is not None:
        return ColumnWindow(_full_window_from(asked, len(columns)), len(columns), chosen=True)
    opened = [index for index, column in enumerate(columns) if column.opens_at <= now]
    first = opened[-1] + 1 - COLUMNS_SHOWN if opened else 0
    return ColumnWindow(_full_window_from(first, len(columns)), len(columns), chosen=False)


def _full_window_from(first: int, total: int) -> int:
    """`first` moved into 0 .. total - COLUMNS_SHOWN: no window starts before the first
    column or shows fewer columns than it could."""
    return max(0, min(first, total - COLUMNS_SHOWN))


# A cell's HTML is made here, not in the template: the grid has hundreds of cells, and each
# drawn by template logic costs several times the Python of the string below.
NOT_ASSIGNED = '<td><span class="muted" aria-label="Not assigned">–</span></td>'


@dataclass
class Row:
    couple_id: int
    couple_name: str
    enrolled: bool
    flagged: bool
    # A <td> per shown column, in column order: a link to the couple's assignment, its text
    # saying which homework for which couple (screen readers hear a cell without its
    # headers), then each part's name and state badge; or NOT_ASSIGNED.
    cells: Markup = Markup()


@dataclass
class Grid:
    columns: list[Column]  # the window's
    rows: list[Row]
    window: ColumnWindow


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


def build_grid(data: GridData, now: datetime, first_column: int | None = None) -> Grid:
    """Rows for the enrolled couples (in enrolment order), then for withdrawn couples who
    still have homework here (in the order of their first homework); the columns of the
    window that `first_column` asks for (see column_window), and cells only for those."""
    couples = _couples(data, _state_badges())
    columns = _columns(data)
    window = column_window(columns, now, first_column)
    shown = columns[window.first : window.end]
    cells = _cells(shown, couples, _statuses_of(shown, data), now)
    rows = _rows(couples, data)
    for row in rows:
        html = "".join([cells.get((row.couple_id, column.key), NOT_ASSIGNED) for column in shown])
        # Markup: the link, titles, names and badges in it are escaped (here and in _couples).
        row.cells = Markup(html)  # nosec B704 # noqa: S704
    return Grid(shown, rows, window)


def _columns(data: GridData) -> list[Column]:
    """The columns in the order of their first assignment, each with its assignments."""
    columns: dict[tuple, Column] = {}
    for assignment in data.assignments:
        key = assignment[2:6]  # version, open and due times, session
        column = columns.get(key)
        if column is None:
            _, opens_at, due_at, _ = key
            title, is_joint = assignment.title, assignment.is_joint
            column = Column(key, title, is_joint, _aware(opens_at), _aware(due_at))
            columns[key] = column
        column.assignments.append(assignment)
    return list(columns.values())


def _rows(couples: dict[int, _Couple], data: GridData) -> list[Row]:
    enrolled = sorted(
        (c for c in couples.values() if c.enrolled_at is not None),
        key=attrgetter("enrolled_at", "id"),
    )
    rows = {c.id: Row(c.id, c.name, enrolled=True, flagged=c.locked) for c in enrolled}
    for couple_id in dict.fromkeys(a[1] for a in data.assignments):  # first homework first
        if couple_id not in rows:
            couple = couples[couple_id]
            rows[couple_id] = Row(couple_id, couple.name, enrolled=False, flagged=couple.locked)
    return list(rows.values())


def _cells(
    columns: list[Column], couples: dict[int, _Couple], statuses: dict, now: datetime
) -> dict[tuple[int, tuple], str]:
    """The <td> of each assignment in `columns`, by (couple id, column key)."""
    stored_now = now.astimezone(UTC).replace(tzinfo=None)  # compared with times as stored
    link = _assignment_link()  # url_for's URL of a route with an int id: nothing to escape
    cells = {}
    for column in columns:
        title = escape(column.title)
        _, opens_at, due_at, _ = column.key
        # Unpacked, not read by name: a row's attributes cost more than the rest here.
        for assignment_id, couple_id, *_ in column.assignments:
            couple = couples[couple_id]
            parts = couple.joint_parts if column.is_joint else couple.own_parts
            states = states_of(parts, statuses.get(assignment_id, {}), opens_at, due_at, stored_now)
            label = f'<span class="visually-hidden">{title}, {couple.name_html}: </span>'
            parts_html = "".join([html[state] for html, state in states])
            cells[couple_id, column.key] = (
                f'<td><a class="hw-cell" href="{link(assignment_id)}">{label}{parts_html}</a></td>'
            )
    return cells


def _aware(stored: datetime | None) -> datetime | None:
    """A time as read (naive UTC, see queries._as_stored) as the aware UTC time shown."""
    return None if stored is None else stored.replace(tzinfo=UTC)


def _assignment_link():
    """The assignment pages' URLs by id, for one url_for: a url_for per cell would cost more
    than the cell."""
    return url_for_each("assignments.show_assignment", "assignment_id")


def _state_badges() -> dict[str, Markup]:
    """Each state's badge, made once by the one badge macro that the other pages use too."""
    badge = get_template_attribute("assignments/_state.html", "state_badge")
    return {state: badge(state, STATE_LABELS) for state in STATE_LABELS}


def _couples(data: GridData, badges: dict[str, Markup]) -> dict[int, _Couple]:
    # Rows unpacked once: a row's attributes cost more than the rest here.
    partners: dict[int, list] = {}
    for couple_id, *partner in data.couples:  # in partner order
        partners.setdefault(couple_id, []).append(partner)
    couples = {}
    for couple_id, rows in partners.items():
        names = [name for _, name, _, _ in rows]
        first_names = [(partner_id, first_name_of(name)) for partner_id, name, _, _ in rows]
        name = couple_name_of(names)
        _, _, enrolled_at, locked = rows[0]  # the couple's, the same on each partner's row
        couples[couple_id] = _Couple(
            couple_id,
            name,
            enrolled_at,
            bool(locked),
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


def _statuses_of(columns: list[Column], data: GridData) -> dict[int, dict[str, str]]:
    """The submissions' statuses by respondent, by assignment, of the assignments shown."""
    shown = {assignment[0] for column in columns for assignment in column.assignments}
    statuses: dict[int, dict[str, str]] = {}
    for _, assignment_id, respondent, _, status, _ in data.submissions:
        if assignment_id in shown:
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
    """The review queue's rows (GridData.submissions) with what the grid already read: the
    assignment's title and kind, the names."""
    couple_names = {row.couple_id: row.couple_name for row in grid.rows}
    partner_names = {partner_id: name for _, partner_id, name, _, _ in data.couples}
    listed = {assignment_id for _, assignment_id, *_ in rows}
    assignments = {
        assignment_id: (couple_id, title, is_safety_check)
        for assignment_id, couple_id, *_, title, _, is_safety_check in data.assignments
        if assignment_id in listed
    }
    link = _assignment_link()
    items = []
    for submission_id, assignment_id, _, partner_id, _, submitted_at in rows:
        couple_id, title, is_safety_check = assignments[assignment_id]
        items.append(
            QueueItem(
                f"{link(assignment_id)}#submission-{submission_id}",
                title,
                is_safety_check,
                couple_names[couple_id],
                partner_names.get(partner_id),
                _aware(submitted_at),
            )
        )
    return items
