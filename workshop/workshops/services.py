"""Rules for workshops: creating and editing them, and who is on their roster."""

from dataclasses import dataclass

from sqlalchemy import func, select

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    User,
    Workshop,
    WorkshopFormat,
    utcnow,
)


class StaleEdit(Exception):
    """Someone else saved this object after the form was opened."""


class CapacityReached(Exception):
    """The workshop is full."""


class CapacityBelowRoster(Exception):
    """The new capacity is smaller than the number of couples already enrolled."""

    def __init__(self, enrolled: int):
        super().__init__(enrolled)
        self.enrolled = enrolled


class AlreadyEnrolled(Exception):
    """The couple is on the roster already."""


@dataclass
class WorkshopDetails:
    """What the workshop form edits."""

    title: str
    description: str
    format: str
    location: str
    video_url: str
    timezone: str
    capacity: int
    co_counselor_ids: list[int]


def create_workshop(lead: User, details: WorkshopDetails) -> Workshop:
    """A new workshop led by `lead`, with co-counselors from the same practice."""
    workshop = Workshop(practice_id=lead.practice_id, lead_id=lead.id)
    _apply(workshop, details)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def update_workshop(workshop: Workshop, details: WorkshopDetails, seen_version: int) -> None:
    """Save an edit made on the version the form showed; refuse if someone saved since."""
    check_version(workshop.version, seen_version)
    enrolled = count_enrolled(workshop.id)
    if _capacity_of(details) < enrolled:
        raise CapacityBelowRoster(enrolled)
    _apply(workshop, details)


def check_version(current: int, seen: int) -> None:
    if current != seen:
        raise StaleEdit


def count_enrolled(workshop_id: int) -> int:
    query = select(func.count(Enrollment.id)).where(
        Enrollment.workshop_id == workshop_id, Enrollment.status == EnrollmentStatus.ENROLLED
    )
    return db.session.scalar(query)


def enroll_couple(workshop: Workshop, couple: Couple) -> Enrollment:
    """Put the couple on the roster, within capacity; a withdrawn couple may come back."""
    if count_enrolled(workshop.id) >= workshop.capacity:
        raise CapacityReached
    enrollment = db.session.scalar(
        select(Enrollment).where(
            Enrollment.workshop_id == workshop.id, Enrollment.couple_id == couple.id
        )
    )
    if enrollment is None:
        enrollment = Enrollment(workshop_id=workshop.id, couple_id=couple.id)
        db.session.add(enrollment)
    elif enrollment.status == EnrollmentStatus.ENROLLED:
        raise AlreadyEnrolled
    enrollment.status = EnrollmentStatus.ENROLLED
    enrollment.enrolled_at = utcnow()
    enrollment.withdrawn_at = None
    db.session.flush()
    return enrollment


def withdraw_couple(enrollment: Enrollment) -> None:
    """Take the couple off the roster; their history (attendance, homework) stays."""
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = utcnow()


def _capacity_of(details: WorkshopDetails) -> int:
    # A private program is for exactly one couple, whatever the form said.
    return 1 if details.format == WorkshopFormat.COUPLE else details.capacity


def _apply(workshop: Workshop, details: WorkshopDetails) -> None:
    workshop.title = details.title
    workshop.description = details.description
    workshop.format = details.format
    workshop.location = details.location
    workshop.video_url = details.video_url
    workshop.timezone = details.timezone
    workshop.capacity = _capacity_of(details)
    workshop.co_counselors = _co_counselors(workshop, details.co_counselor_ids)


def _co_counselors(workshop: Workshop, counselor_ids: list[int]) -> list[User]:
    """Active counselors of the workshop's practice among the ids (the lead never twice)."""
    wanted = set(counselor_ids) - {workshop.lead_id}
    if not wanted:
        return []
    query = select(User).where(
        User.id.in_(wanted),
        User.practice_id == workshop.practice_id,
        User.role == Role.COUNSELOR,
        User.is_active,
    )
    return list(db.session.scalars(query))
