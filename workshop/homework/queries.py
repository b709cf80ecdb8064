"""Scoped reads of homework for partners: only their own couple's assignments, ever."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from sqlalchemy import false, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.homework import services
from workshop.models import Assignment, Couple, Submission, SubmissionStatus, User

DONE_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED})


def assignments_of(partner: User):
    """Assignments given to the partner's own couple (none for anyone else)."""
    if partner.couple_id is None:
        return select(Assignment).where(false())
    return select(Assignment).where(Assignment.couple_id == partner.couple_id)


def _with_details(query):
    return query.options(
        joinedload(Assignment.exercise_version),
        selectinload(Assignment.submissions),
    )


def get_assignment_or_404(assignment_id: int, partner: User) -> Assignment:
    """One of the partner's couple's assignments; anyone else's answers 404, like a missing one."""
    query = _with_details(assignments_of(partner).where(Assignment.id == assignment_id))
    query = query.options(
        selectinload(Assignment.submissions).joinedload(Submission.partner),
        joinedload(Assignment.couple).selectinload(Couple.partners),
    )
    return db.session.scalar(query) or abort(404)


@dataclass
class HomeworkItem:
    """One assignment as a partner's list shows it."""

    assignment: Assignment
    state: str  # not_started, draft, submitted, reviewed, overdue
    paused: bool = False

    @property
    def title(self) -> str:
        return self.assignment.exercise_version.title

    @property
    def is_joint(self) -> bool:
        return self.assignment.exercise_version.is_joint


@dataclass
class HomeworkList:
    """A partner's assignments: to do (soonest due first), opening later, and done."""

    to_do: list[HomeworkItem] = field(default_factory=list)
    opens_later: list[HomeworkItem] = field(default_factory=list)
    done: list[HomeworkItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.to_do or self.opens_later or self.done)


def homework_of(partner: User, now: datetime) -> HomeworkList:
    """The partner's homework in three groups, in a fixed number of queries."""
    query = _with_details(assignments_of(partner).order_by(Assignment.due_at, Assignment.id))
    assignments = list(db.session.scalars(query))
    paused = partner.couple_id is not None and services.couple_is_locked(partner.couple_id)
    homework = HomeworkList()
    for assignment in assignments:
        item = HomeworkItem(assignment, services.partner_state(assignment, partner, now))
        item.paused = paused and item.is_joint
        if item.state in DONE_STATES:
            homework.done.append(item)
        elif assignment.opens_at > now:
            homework.opens_later.append(item)
        else:
            homework.to_do.append(item)
    homework.opens_later.sort(key=lambda item: (item.assignment.opens_at, item.assignment.id))
    homework.done.reverse()  # the most recently due first
    return homework
