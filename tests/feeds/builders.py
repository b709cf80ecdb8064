"""Workshops, sessions and enrollments in one line, for the feed tests. Call in an app context."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Stage,
    User,
    Workshop,
    WorkshopSession,
    utcnow,
)
from workshop.scheduling.plan import series_starts

LOCATION = "Garden Room, 5 Linden Street"
VIDEO_URL = "https://video.example.org/garden-room"
SESSION_LENGTH = timedelta(minutes=90)
THURSDAY = 3


def make_workshop(
    lead: User,
    title: str = "Rebuilding together",
    timezone: str = "Europe/Berlin",
    co_counselors: tuple[User, ...] = (),
) -> Workshop:
    workshop = Workshop(
        practice_id=lead.practice_id,
        lead_id=lead.id,
        title=title,
        timezone=timezone,
        location=LOCATION,
        video_url=VIDEO_URL,
    )
    workshop.co_counselors = list(co_counselors)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def weekly_starts(count: int = 12, timezone: str = "Europe/Berlin") -> list[datetime]:
    """Thursdays at 18:00 local time, starting about a month from now."""
    first = utcnow().date() + timedelta(days=30)
    return series_starts(first, THURSDAY, time(18, 0), 1, count, timezone)


def add_sessions(workshop: Workshop, starts: list[datetime]) -> list[WorkshopSession]:
    """One session per start time, covering the curriculum's stages in order."""
    stages = list(db.session.scalars(select(Stage).order_by(Stage.position)))
    sessions = []
    for number, start in enumerate(starts):
        session = WorkshopSession(
            workshop=workshop,
            starts_at=start,
            ends_at=start + SESSION_LENGTH,
            location=workshop.location,
            video_url=workshop.video_url,
        )
        session.stages = [stages[number % len(stages)]]
        db.session.add(session)
        sessions.append(session)
    db.session.flush()
    return sessions


def enroll(
    workshop: Workshop, couple: Couple, status: EnrollmentStatus = EnrollmentStatus.ENROLLED
) -> Enrollment:
    enrollment = Enrollment(workshop_id=workshop.id, couple_id=couple.id, status=status)
    db.session.add(enrollment)
    db.session.flush()
    return enrollment
