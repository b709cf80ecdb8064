"""Scoped reads: a counselor reaches only the workshops they lead or co-lead."""

from flask import abort
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
)

PAGE_SIZE = 20


def led_by(counselor: User):
    """SQL condition: the workshop is led or co-led by this counselor."""
    co_led = exists().where(
        WorkshopCounselor.workshop_id == Workshop.id,
        WorkshopCounselor.counselor_id == counselor.id,
    )
    return (Workshop.practice_id == counselor.practice_id) & or_(
        Workshop.lead_id == counselor.id, co_led
    )


def workshops_query_for(counselor: User) -> Select:
    return select(Workshop).where(led_by(counselor))


def get_workshop_or_404(workshop_id: int, counselor: User) -> Workshop:
    query = (
        workshops_query_for(counselor)
        .where(Workshop.id == workshop_id)
        .options(selectinload(Workshop.co_counselors), selectinload(Workshop.lead))
    )
    return db.session.scalar(query) or abort(404)


def paginate_workshops(counselor: User, page: int):
    query = (
        workshops_query_for(counselor)
        .options(selectinload(Workshop.lead), selectinload(Workshop.co_counselors))
        .order_by(Workshop.created_at.desc(), Workshop.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=True)


def active_enrollments(workshop_id: int) -> list[Enrollment]:
    """The couples on the roster, with their partners, in enrollment order."""
    query = (
        select(Enrollment)
        .where(
            Enrollment.workshop_id == workshop_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
        )
        .options(selectinload(Enrollment.couple).selectinload(Couple.partners))
        .order_by(Enrollment.enrolled_at, Enrollment.id)
    )
    return list(db.session.scalars(query))


def get_enrollment_or_404(workshop: Workshop, enrollment_id: int) -> Enrollment:
    query = select(Enrollment).where(
        Enrollment.id == enrollment_id,
        Enrollment.workshop_id == workshop.id,
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    return db.session.scalar(query) or abort(404)


def sessions_of(workshop_id: int) -> list[WorkshopSession]:
    query = (
        select(WorkshopSession)
        .where(WorkshopSession.workshop_id == workshop_id)
        .options(selectinload(WorkshopSession.stages))
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return list(db.session.scalars(query))


def practice_counselors(practice_id: int, excluding: int | None = None) -> list[User]:
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role == Role.COUNSELOR, User.is_active)
        .order_by(User.name)
    )
    if excluding is not None:
        query = query.where(User.id != excluding)
    return list(db.session.scalars(query))
