"""Emails about homework: a new assignment, and (from send-reminders) a due-soon reminder."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.mail_outbox import public_url, queue_email
from workshop.models import Assignment, Couple, User
from workshop.scheduling.notifications import when_for


def partners_to_email(couple_id: int) -> list[User]:
    """The couple's partners who have an email address and an active account."""
    couple = db.session.scalar(
        select(Couple).where(Couple.id == couple_id).options(selectinload(Couple.partners))
    )
    return [p for p in couple.partners if p.email and p.is_active]


def assignment_given(assignment: Assignment) -> None:
    """Tell each partner about new homework, with its due time on their own clock."""
    for partner in partners_to_email(assignment.couple_id):
        queue_email(
            partner.email,
            f"New homework: {assignment.exercise_version.title}",
            "assignment_given",
            partner=partner,
            assignment=assignment,
            due=when_for(partner, assignment.due_at),
            opens=when_for(partner, assignment.opens_at),
            link=public_url("homework.edit_answers", assignment_id=assignment.id),
        )
