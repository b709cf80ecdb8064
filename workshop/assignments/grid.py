"""The workshop's homework page: couples down, assignments across, each partner's state; and
the answers waiting for review.

Assigning one exercise to several couples makes one assignment per couple; the grid shows
them as one column (same exercise version, open and due times, session).

Both are built from plain rows (queries.grid_data): a workshop has hundreds of assignments
and answers, too many to build an ORM object each, and the grid has hundreds of cells, too
many to draw each with template logic, so the cells' HTML is made here. The grid shows a
window of COLUMNS_SHOWN columns at a time: it reads the columns (with the workshop), then
only the window's homework (and the answers waiting for review), and makes only its cells.
cell_for makes the states from ORM objects instead, for a few assignments (the note page's
recent homework).
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import NamedTuple, TypeVar

from flask import get_template_attribute
from markupsafe import Markup, escape

from workshop.assignments import queries
from workshop.assignments.queries import GridData, QueueAnswer
from workshop.homework.services import respondent_of, state_from
from workshop.models import Assignment, SubmissionStatus
from workshop.models.people import couple_name_of, first_name_of
from workshop.templating import localtime, url_for_each

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
    is_safety_check: bool
    opens_at: datetime
    due_at: datetime


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


class Row(NamedTuple):
    """A couple's row; a tuple, which the template unpacks (a Jinja attribute lookup costs
    more than Python's)."""

    couple_id: int
    couple_name: str
    enrolled: bool
    flagged: bool
    # A <td> per shown column, in column order: a link to the couple's assignment, its text
    # saying which homework for which couple (screen readers hear a cell without its
    # headers), then each part's name and state badge; or NOT_ASSIGNED.
    cells: Markup


@dataclass
class Grid:
    columns: list[Column]  # the window's
    rows: list[Row]
    window: ColumnWindow
    every_column: dict[tuple, Column]  # by key: the review queue names its answers' homework


@dataclass
class _Couple:
    """A couple's row heading, and what their cells show, escaped once for all their cells."""

    id: int
    name: str
    enrolled_at: datetime | None  # None: no longer enrolled
    first_homework: tuple | None  # its first homework's (due, id), if no longer enrolled
    locked: bool
    name_html: str
    own_parts: list[tuple[str, str]]  # (respondent, the HTML of its name), see parts_of
    joint_parts: list[tuple[str, str]]


def build_grid(
    workshop_id: int, column_rows: list, now: datetime, first_column: int | None = None
) -> tuple[Grid, GridData]:
    """Rows for the enrolled couples (in enrolment order), then for withdrawn couples who
    still have homework here (in the order of their first homework); the columns (read with
    the workshop: queries.grid_workshop_and_columns_or_404) of the window that `first_column`
    asks for (see column_window), and cells only for those. Returns the grid and its GridData
    (the review queue is made from it too)."""
    columns = _columns(column_rows)
    window = column_window(columns, now, first_column)
    shown = columns[window.first : window.end]
    due_between = (shown[0].key[2], shown[-1].key[2]) if shown else None  # as stored
    data = queries.grid_data(workshop_id, _couple_ids(column_rows), due_between)
    couples = _couples(data)
    rows = _rows(couples, shown, _cells(shown, couples, data, now))
    every_column = {column.key: column for column in columns}
    return Grid(shown, rows, window, every_column), data


def _columns(rows: list) -> list[Column]:
    """The columns (of queries.grid_workshop_and_columns_or_404, in order) with their times
    made aware."""
    columns = []
    for row in rows:
        key = row[:4]  # version, open and due times, session
        _, opens_at, due_at, _, title, is_joint, is_safety_check, _ = row
        columns.append(
            Column(key, title, is_joint, is_safety_check, _aware(opens_at), _aware(due_at))
        )
    return columns


def _couple_ids(column_rows: list) -> list[int]:
    """The couples with homework here: the columns' couple ids ("12,15,…"), once each."""
    listed = ",".join([row[-1] for row in column_rows])
    return [int(couple_id) for couple_id in set(listed.split(","))] if listed else []


def _rows(couples: dict[int, _Couple], shown: list[Column], cells: dict) -> list[Row]:
    """A row per couple, in row order, with its cells of the `shown` columns."""
    rows = []
    for couple in _in_row_order(couples):
        html = "".join([cells.get((couple.id, column.key), NOT_ASSIGNED) for column in shown])
        enrolled = couple.enrolled_at is not None
        # Markup: the link, titles, names and badges in it are escaped (here and in _couples).
        markup = Markup(html)  # nosec B704 # noqa: S704
        rows.append(Row(couple.id, couple.name, enrolled, couple.locked, markup))
    return rows


def _in_row_order(couples: dict[int, _Couple]) -> list[_Couple]:
    """The enrolled couples in enrolment order, then the others in the order of their first
    homework here."""
    enrolled = sorted(
        (c for c in couples.values() if c.enrolled_at is not None),
        key=attrgetter("enrolled_at", "id"),
    )
    withdrawn = sorted(
        (c for c in couples.values() if c.enrolled_at is None),
        key=attrgetter("first_homework", "id"),
    )
    return enrolled + withdrawn


def _cells(
    columns: list[Column], couples: dict[int, _Couple], data: GridData, now: datetime
) -> dict[tuple[int, tuple], str]:
    """The <td> of each assignment in `columns`, by (couple id, column key)."""
    stored_now = now.astimezone(UTC).replace(tzinfo=None)  # compared with times as stored
    link = _assignment_link()  # url_for's URL of a route with an int id: nothing to escape
    badges = _state_badges()
    shown = {}  # by key: the column, its title as HTML, its parts' badges by status
    for column in columns:
        states = _states_by_status(column.key, stored_now)
        badge_of = {status: badges[state] for status, state in states.items()}
        shown[column.key] = (column, escape(column.title), badge_of)
    cells = {}
    for assignment_id, (couple_id, key, statuses) in _shown_assignments(shown, data).items():
        column, title, badge_of = shown[key]
        couple = couples.get(couple_id)
        if couple is None:
            continue  # a couple given homework after the couples were read: on the next view
        parts = couple.joint_parts if column.is_joint else couple.own_parts
        label = f'<span class="visually-hidden">{title}, {couple.name_html}: </span>'
        parts_html = "".join(
            [
                f'<span class="hw-cell__part">{who} {badge_of[statuses.get(respondent)]}</span>'
                for respondent, who in parts
            ]
        )
        cells[couple_id, key] = (
            f'<td><a class="hw-cell" href="{link(assignment_id)}">{label}{parts_html}</a></td>'
        )
    return cells


def _shown_assignments(shown: dict[tuple, object], data: GridData) -> dict[int, tuple]:
    """(couple id, column key, its answers' statuses by respondent) of each assignment of
    the `shown` columns (by key), by id. GridData.answers also holds assignments of columns
    not shown (due at the same time as a shown one)."""
    assignments: dict[int, tuple] = {}
    # Read by position: a row's attributes cost more than the rest here.
    for answer in data.answers:
        key = answer[2:6]
        if key in shown:
            found = assignments.get(answer[0])
            if found is None:
                found = assignments[answer[0]] = (answer[1], key, {})
            if answer[7] is not None:  # respondent: an answer, not just the assignment
                found[2][answer[7]] = answer[9]
    return assignments


def _states_by_status(key: tuple, stored_now: datetime) -> dict[str | None, str]:
    """A part's state in a column by the status of its answer (None: none yet), from
    states_of: the same in each of the column's cells, so worked out once a column."""
    _, opens_at, due_at, _ = key
    statuses = [None, *SubmissionStatus]
    parts = [(status, status) for status in statuses]  # (respondent, who): the status itself
    return dict(states_of(parts, {s: s for s in statuses}, opens_at, due_at, stored_now))


def _aware(stored: datetime | None) -> datetime | None:
    """A time as read (naive UTC, see queries._as_stored) as the aware UTC time shown."""
    return None if stored is None else stored.replace(tzinfo=UTC)


def _assignment_link():
    """The assignment pages' URLs by id, for one url_for: a url_for per cell would cost more
    than the cell."""
    return url_for_each("assignments.show_assignment", "assignment_id")


def _state_badges() -> dict[str, str]:
    """Each state's badge (HTML), made once by the one badge macro the other pages use too."""
    badge = get_template_attribute("assignments/_state.html", "state_badge")
    return {state: str(badge(state, STATE_LABELS)) for state in STATE_LABELS}


def _couples(data: GridData) -> dict[int, _Couple]:
    # Rows unpacked once: a row's attributes cost more than the rest here.
    partners: dict[int, list] = {}
    for couple_id, *partner in data.couples:  # in partner order
        partners.setdefault(couple_id, []).append(partner)
    couples = {}
    for couple_id, rows in partners.items():
        names = [name for _, name, *_ in rows]
        first_names = [(partner_id, first_name_of(name)) for partner_id, name, *_ in rows]
        name = couple_name_of(names)
        # The couple's, the same on each partner's row.
        _, _, enrolled_at, locked, first_due, first_id = rows[0]
        couples[couple_id] = _Couple(
            couple_id,
            name,
            enrolled_at,
            (first_due, first_id),
            bool(locked),
            escape(name),
            _escaped(parts_of(False, first_names)),
            _escaped(parts_of(True, first_names)),
        )
    return couples


def _escaped(parts: list[Part]) -> list[tuple[str, str]]:
    """Each part's name as HTML, escaped once for all the couple's cells."""
    return [(respondent, str(escape(who))) for respondent, who in parts]


# --- the review queue --------------------------------------------------------------------------


class QueueItem(NamedTuple):
    """A row of the review queue; a tuple, which the template unpacks (a Jinja attribute
    lookup costs more than Python's)."""

    link: str  # to the answers on their assignment's page
    title: str
    is_safety_check: bool
    names: str  # the couple's, and whose answers: the partner's name or "together"
    submitted: str  # when, on the viewer's clock


def queue_items(rows, data: GridData, grid: Grid) -> list[QueueItem]:
    """The review queue preview's rows (GridData.oldest_waiting) with what the grid already
    read: the homework's title and kind, the names."""
    couple_names = {row.couple_id: row.couple_name for row in grid.rows}
    partner_names = {partner_id: name for _, partner_id, name, *_ in data.couples}
    link = _assignment_link()
    items = []
    for answer in rows:
        assignment_id, couple_id = answer[:2]
        column = grid.every_column.get(answer[2:6])
        if column is None or couple_id not in couple_names:
            continue  # given after the columns or couples were read: on the next view
        partner_name = partner_names.get(answer[8])  # None: answered together
        where = f"{link(assignment_id)}#submission-{answer[6]}"
        couple_name = couple_names[couple_id]
        items.append(
            _queue_item(
                where, column.title, column.is_safety_check, couple_name, partner_name, answer[10]
            )
        )
    return items


def queue_page_items(answers: list[QueueAnswer]) -> list[QueueItem]:
    """The review queue page's rows (its QueueAnswers), in the grid preview's form."""
    link = _assignment_link()
    items = []
    for answer in answers:
        names = dict(answer.partners)
        where = f"{link(answer.assignment_id)}#submission-{answer.submission_id}"
        couple_name = couple_name_of(list(names.values()))
        partner_name = names.get(answer.partner_id)  # None: answered together
        items.append(
            _queue_item(
                where,
                answer.title,
                answer.is_safety_check,
                couple_name,
                partner_name,
                answer.submitted_at,
            )
        )
    return items


def _queue_item(
    where: str,
    title: str,
    is_safety_check: bool,
    couple_name: str,
    partner_name: str | None,
    submitted_at: datetime | None,
) -> QueueItem:
    """A queue row: `partner_name` None for answers given together, `submitted_at` as stored."""
    whose = partner_name or "together"
    when = localtime(_aware(submitted_at))
    return QueueItem(where, title, is_safety_check, f"{couple_name} ({whose})", when)
