"""Scoped reads of homework for partners: only their own couple's assignments, ever."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import exists, false, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.homework import services
from workshop.models import (
    JOINT_RESPONDENT,
    Assignment,
    Couple,
    Submission,
    SubmissionStatus,
    User,
)

DONE_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.REVIEWED})
DONE_PAGE_SIZE = 20


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
    """A partner's assignments: to do (soonest due first), opening later, and done (the most
    recently due first, one page of them: years of finished homework is a long list)."""

    to_do: list[HomeworkItem] = field(default_factory=list)
    opens_later: list[HomeworkItem] = field(default_factory=list)
    done: list[HomeworkItem] = field(default_factory=list)
    done_page: Pagination | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.to_do or self.opens_later or self.done)


def _done_by(partner: User):
    """Whether the partner's part of an assignment (their own, or the couple's joint answers)
    has been submitted: the same rule as services.partner_state, in SQL."""
    return exists().where(
        Submission.assignment_id == Assignment.id,
        Submission.respondent.in_([f"p{partner.id}", JOINT_RESPONDENT]),
        Submission.status.in_(DONE_STATES),
    )


def _items(assignments, partner: User, now: datetime) -> list[HomeworkItem]:
    paused = partner.couple_id is not None and services.couple_is_locked(partner.couple_id)
    items = [HomeworkItem(a, services.partner_state(a, partner, now)) for a in assignments]
    for item in items:
        item.paused = paused and item.is_joint
    return items


def homework_to_do(partner: User, now: datetime, limit: int) -> list[HomeworkItem]:
    """The first `limit` open assignments the partner has not submitted, soonest due first."""
    query = assignments_of(partner).where(Assignment.opens_at <= now, ~_done_by(partner))
    query = _with_details(query.order_by(Assignment.due_at, Assignment.id).limit(limit))
    return _items(db.session.scalars(query), partner, now)


def homework_of(partner: User, now: datetime, done_page: int = 1) -> HomeworkList:
    """The partner's homework in three groups, in a fixed number of queries."""
    pending = _with_details(
        assignments_of(partner).where(~_done_by(partner)).order_by(Assignment.due_at, Assignment.id)
    )
    done = _with_details(
        assignments_of(partner)
        .where(_done_by(partner))
        .order_by(Assignment.due_at.desc(), Assignment.id.desc())
    )
    page = db.paginate(done, page=done_page, per_page=DONE_PAGE_SIZE, error_out=False)
    homework = HomeworkList(done=_items(page.items, partner, now), done_page=page)
    for item in _items(db.session.scalars(pending), partner, now):
        if item.assignment.opens_at > now:
            homework.opens_later.append(item)
        else:
            homework.to_do.append(item)
    homework.opens_later.sort(key=lambda item: (item.assignment.opens_at, item.assignment.id))
    return homework
