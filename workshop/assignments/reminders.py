""" "Homework due tomorrow" emails, sent by `send-reminders` (workshop/feeds/reminders.py).

Each partner hears once per assignment per due time, however often the command runs: an
AssignmentReminder row records what was sent, and its unique constraint settles a race between
two runs. A partner whose part is submitted (or reviewed) is not reminded; a due time moved
later is reminded again.
"""

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.homework.notifications import partners_to_email
from workshop.homework.services import couple_is_locked, partner_state
from workshop.mail_outbox import public_url, queue_email
from workshop.models import (
    Assignment,
    AssignmentReminder,
    Enrollment,
    EnrollmentStatus,
    User,
    Workshop,
    WorkshopStatus,
)
from workshop.scheduling.notifications import when_for

REMIND_AHEAD = timedelta(hours=24)
DONE = ("submitted", "reviewed")


def send_due_homework_reminders(now: datetime) -> int:
    """Remind partners of homework due within 24 hours, one transaction per assignment."""
    sent = 0
    for assignment_id in due_assignment_ids(now):
        try:
            queued = queue_homework_reminders(assignment_id, now)
            db.session.commit()  # the emails leave only now
        except IntegrityError:
            db.session.rollback()  # another run reminded the same partner just now
        else:
            sent += queued
    return sent


def due_assignment_ids(now: datetime) -> list[int]:
    """Open assignments of running workshops, due in the next 24 hours, couple still enrolled."""
    enrolled = exists().where(
        Enrollment.workshop_id == Assignment.workshop_id,
        Enrollment.couple_id == Assignment.couple_id,
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    query = (
        select(Assignment.id)
        .join(Assignment.workshop)
        .where(
            Workshop.status != WorkshopStatus.CANCELLED,
            Assignment.opens_at <= now,
            Assignment.due_at > now,
            Assignment.due_at <= now + REMIND_AHEAD,
            enrolled,
        )
        .order_by(Assignment.due_at, Assignment.id)
    )
    return list(db.session.scalars(query))


def queue_homework_reminders(assignment_id: int, now: datetime) -> int:
    """Queue a reminder to each partner with email whose part is not done, not yet reminded."""
    assignment = db.session.scalar(
        select(Assignment)
        .where(Assignment.id == assignment_id)
        .options(joinedload(Assignment.exercise_version), selectinload(Assignment.submissions))
    )
    if assignment is None or _locked(assignment):
        return 0
    reminded = already_reminded(assignment)
    partners = [
        p
        for p in partners_to_email(assignment.couple_id)
        if p.id not in reminded and partner_state(assignment, p, now) not in DONE
    ]
    for partner in partners:
        db.session.add(
            AssignmentReminder(
                assignment_id=assignment.id, partner_id=partner.id, due_at=assignment.due_at
            )
        )
        _queue_reminder(assignment, partner)
    db.session.flush()  # a clash with another run surfaces here, before any email leaves
    return len(partners)


def already_reminded(assignment: Assignment) -> set[int]:
    """Partners reminded of the assignment at its current due time."""
    return set(
        db.session.scalars(
            select(AssignmentReminder.partner_id).where(
                AssignmentReminder.assignment_id == assignment.id,
                AssignmentReminder.due_at == assignment.due_at,
            )
        )
    )


def _locked(assignment: Assignment) -> bool:
    """A joint exercise waiting for a safety review cannot be answered: no reminder (and the
    email must not hint at why)."""
    return assignment.exercise_version.is_joint and couple_is_locked(assignment.couple_id)


def _queue_reminder(assignment: Assignment, partner: User) -> None:
    due = when_for(partner, assignment.due_at)
    queue_email(
        partner.email,
        f"Homework due soon: {assignment.exercise_version.title}",
        "homework_due",
        partner=partner,
        assignment=assignment,
        due=due,
        link=public_url("homework.edit_answers", assignment_id=assignment.id),
    )
