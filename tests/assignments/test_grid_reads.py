"""The homework grid reads its columns first, then only the homework of the columns it shows
(and the answers waiting for review): rows, cells and the queue stay whole and in order."""

import re
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import update

from tests.assignments.builders import STAND_ANSWERS
from tests.assignments.test_grid import column_titles, grid_url, queue_section
from tests.helpers import text_of
from workshop.extensions import db
from workshop.models import Assignment, Enrollment, Workshop, utcnow


def row_names(page: str) -> list[str]:
    """The couples' names heading the grid's rows, top to bottom."""
    return re.findall(r'<th scope="row">\s*<a href="/couples/\d+">(.*?)</a>', page)


def cell_links(page: str) -> set[int]:
    """The assignments with a cell in the grid."""
    return {int(found) for found in re.findall(r'class="hw-cell" href="/assignments/(\d+)"', page)}


def withdraw(app, workshop_id: int, couple_id: int) -> None:
    with app.app_context():
        db.session.execute(
            update(Enrollment)
            .where(Enrollment.workshop_id == workshop_id, Enrollment.couple_id == couple_id)
            .values(status="withdrawn")
        )
        db.session.commit()


def due_at(app, assignment_ids: list[int], moment) -> None:
    """Make the assignments due at the very same `moment` (one column per exercise)."""
    with app.app_context():
        db.session.execute(
            update(Assignment).where(Assignment.id.in_(assignment_ids)).values(due_at=moment)
        )
        db.session.commit()


def test_withdrawn_couples_follow_in_the_order_of_their_first_homework(app, counselor, hw, world):
    hw.library()
    names = ["Ann", "Bea", "Cid", "Dan", "Eve", "Fay"]
    ann, bea, cid, dan, eve, fay = (hw.couple(names=(n, f"{n}2")) for n in names)
    workshop = hw.workshop(title="Rows", capacity=10, couples=(ann, bea, cid, dan, eve, fay))
    hw.give(workshop.id, [ann, bea, cid], due_in=timedelta(days=9))
    hw.give(workshop.id, [dan, fay], due_in=timedelta(days=2))  # Dan's assignment first
    for couple in (cid, dan, eve, fay):
        withdraw(app, workshop.id, couple)

    page = counselor.get(grid_url(workshop.id)).get_data(as_text=True)

    # The enrolled in enrolment order; then Dan and Fay (due first; Dan's id first), then
    # Cid; Eve, withdrawn without homework here, has no row.
    assert row_names(page) == ["Ann &amp; Ann2", "Bea &amp; Bea2"] + [
        f"{n} &amp; {n}2" for n in ("Dan", "Fay", "Cid")
    ]
    assert page.count("No longer enrolled") == 3


def test_columns_due_with_the_window_edges_but_not_shown_have_no_cells(
    app, counselor, world, group, hw
):
    given = []
    for week in range(10):
        exercise = hw.own_exercise(world.counselor, title=f"Week {week + 1}")
        due = timedelta(days=7 * (week + 1))
        given.append(hw.give(group.workshop_id, group.couple_ids, exercise_id=exercise, due_in=due))
    moment = utcnow().replace(microsecond=0)
    due_at(app, given[0] + given[1], moment + timedelta(days=7))  # weeks 1 and 2: one time
    due_at(app, given[8] + given[9], moment + timedelta(days=63))  # weeks 9 and 10 too

    page = counselor.get(grid_url(group.workshop_id, columns=1)).get_data(as_text=True)

    assert column_titles(page) == [f"Week {n}" for n in range(2, 10)]
    shown = {assignment for week in given[1:9] for assignment in week}
    assert cell_links(page) == shown


def test_the_queue_lists_answers_to_homework_outside_the_shown_columns(counselor, world, group, hw):
    given = []
    for week in range(10):
        exercise = hw.own_exercise(world.counselor, title=f"Week {week + 1}")
        due = timedelta(days=7 * (week + 1))
        given.append(hw.give(group.workshop_id, group.couple_ids, exercise_id=exercise, due_in=due))
    alex = group.partners[0]
    hw.answer(given[0][0], alex, {"line": "First."})  # week 1: before the default window
    hw.answer(given[9][0], alex, {"line": "Last."})  # week 10: in it

    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)

    assert column_titles(page) == [f"Week {n}" for n in range(3, 11)]
    queue = queue_section(page)
    assert "Waiting for your review (2)" in queue
    assert queue.index("Week 1<") < queue.index("Week 10<")  # oldest first
    assert f'href="/assignments/{given[0][0]}#submission-' in queue


def test_a_workshop_without_homework_shows_its_couples_and_an_empty_queue(counselor, group):
    page = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    assert len(row_names(page)) == 2
    assert "Nothing is waiting" in page
    assert cell_links(page) == set()


def test_homework_given_while_the_grid_is_read_shows_on_the_next_view(
    app, counselor, group, hw, monkeypatch
):
    """A GET's statements each see the database as it is when they run: homework given to a
    couple (and answered) between the grid's reads is left for the next view, never a 500."""
    from workshop.assignments import queries

    hw.give(group.workshop_id, group.couple_ids)
    late = hw.couple(names=("Late", "Comer"))  # no row yet: not enrolled, no homework here
    read_grid_data = queries.grid_data

    def give_meanwhile(*args, **kwargs):
        [given] = hw.give(group.workshop_id, [late], due_in=timedelta(days=30))
        hw.answer(given, hw.partner_ids(late)[0], STAND_ANSWERS)  # waiting for review
        return read_grid_data(*args, **kwargs)

    monkeypatch.setattr(queries, "grid_data", give_meanwhile)
    first = counselor.get(grid_url(group.workshop_id))
    monkeypatch.undo()
    assert first.status_code == 200
    assert "Late &amp; Comer" not in first.get_data(as_text=True)

    again = counselor.get(grid_url(group.workshop_id)).get_data(as_text=True)
    assert "Late &amp; Comer" in again
    assert "Late &amp; Comer" in queue_section(again)


def test_the_grid_reads_its_workshop_with_the_columns_under_the_same_access_rule(
    counselor, group, hw, colleagues
):
    """The workshop is read in the columns' statement: found without homework too; a
    co-counselor reaches the grid, with the workshop's title and clock; a colleague who does
    not lead it gets a 404."""
    assert "No homework assigned yet" in text_of(counselor.get(grid_url(group.workshop_id)))
    co_counselor, outsider = colleagues
    with hw.database():
        workshop = db.session.get(Workshop, group.workshop_id)
        title, zone = workshop.title, workshop.timezone
    hw.give(group.workshop_id, group.couple_ids)

    assert outsider.get(grid_url(group.workshop_id)).status_code == 404
    response = co_counselor.get(grid_url(group.workshop_id))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f">{escape(title)}</a></p>" in page
    assert f"the workshop's clock ({zone.replace('_', ' ')})" in page
    assert len(column_titles(page)) == 1
    assert counselor.get(grid_url(group.workshop_id + 1000)).status_code == 404
