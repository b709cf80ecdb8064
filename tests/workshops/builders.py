"""Workshops, sessions and rosters built straight in the database, for the workshop and
scheduling tests. Every method opens its own app context and hands back plain ids."""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape

from sqlalchemy import select

from tests.factories import make_couple, make_user
from workshop.extensions import db
from workshop.models import (
    Attendance,
    Enrollment,
    Practice,
    Role,
    Stage,
    User,
    Workshop,
    WorkshopSession,
    utcnow,
)

STAGE_KEYS = [
    "readiness",
    "timing",
    "cooperation",
    "communication",
    "pace",
    "novelty",
    "trust",
    "self_trust",
    "positivity",
    "present",
    "betrayal",
    "support",
]


@dataclass
class BuiltWorkshop:
    """Ids of a workshop made by Builder.workshop, with its page addresses."""

    id: int
    session_ids: list[int] = field(default_factory=list)
    enrollment_ids: list[int] = field(default_factory=list)

    def url(self, suffix: str = "") -> str:
        return f"/workshops/{self.id}{suffix}"


def in_days(days: int, hour: int = 18, minute: int = 0) -> datetime:
    """A whole hour `days` from now, in UTC: safely in the future (or past, when negative)."""
    day = (utcnow() + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


class Builder:
    """Make workshops, sessions, couples and attendance in one line each."""

    def __init__(self, app, world):
        self.app = app
        self.world = world

    @contextmanager
    def database(self):
        """An app context whose work is committed at the end."""
        with self.app.app_context():
            yield db.session
            db.session.commit()

    def workshop(
        self,
        lead: str | None = None,
        title: str = "Spring group",
        *,
        timezone: str = "UTC",
        capacity: int = 8,
        co: tuple[str, ...] = (),
        couples: tuple[int, ...] = (),
        sessions: int = 0,
        first: datetime | None = None,
        every: timedelta = timedelta(days=7),
        minutes: int = 90,
        location: str = "Room 4, Garden Street 1",
        video_url: str = "",
        workshop_format: str = "group",
    ) -> BuiltWorkshop:
        """A workshop of `lead` (default: the world's counselor), its roster and sessions."""
        with self.database():
            lead_user = db.session.get(User, user_id(lead or self.world.counselor))
            workshop = Workshop(
                practice_id=lead_user.practice_id,
                lead_id=lead_user.id,
                title=title,
                timezone=timezone,
                capacity=capacity,
                location=location,
                video_url=video_url,
                format=workshop_format,
            )
            workshop.co_counselors = [db.session.get(User, user_id(email)) for email in co]
            db.session.add(workshop)
            db.session.flush()
            enrollments = [
                Enrollment(workshop_id=workshop.id, couple_id=couple_id) for couple_id in couples
            ]
            db.session.add_all(enrollments)
            start = first or in_days(3)
            made = [
                self._session(workshop, start + index * every, minutes, [STAGE_KEYS[index % 12]])
                for index in range(sessions)
            ]
            db.session.flush()
            return BuiltWorkshop(workshop.id, [s.id for s in made], [e.id for e in enrollments])

    def session(
        self,
        workshop_id: int,
        starts_at: datetime,
        minutes: int = 90,
        stages: tuple[str, ...] = ("readiness",),
    ) -> int:
        with self.database():
            workshop = db.session.get(Workshop, workshop_id)
            made = self._session(workshop, starts_at, minutes, list(stages))
            db.session.flush()
            return made.id

    def _session(self, workshop, starts_at, minutes, stage_keys) -> WorkshopSession:
        stages = list(db.session.scalars(select(Stage).where(Stage.key.in_(stage_keys))))
        session = WorkshopSession(
            workshop=workshop,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            location=workshop.location,
            video_url=workshop.video_url,
            stages=stages,
        )
        db.session.add(session)
        return session

    def couple(self, counselor: str | None = None, names=("Robin", "Casey"), emails=None) -> int:
        with self.database():
            owner = db.session.get(User, user_id(counselor or self.world.counselor))
            couple = make_couple(owner, names, emails)
            for partner, email in zip(couple.partners, emails or names, strict=True):
                if email is None:  # make_user would invent an address for None
                    partner.email = None
            return couple.id

    def counselor(self, name: str | None = None, practice_id: int | None = None) -> str:
        """A new counselor's email (default: in the world's first practice)."""
        with self.database():
            practice = db.session.get(Practice, practice_id or self.world.practice_id)
            return make_user(practice, Role.COUNSELOR, name=name).email

    def set_timezone(self, email: str, timezone: str) -> None:
        with self.database():
            db.session.get(User, user_id(email)).timezone = timezone

    def partner_ids(self, couple_id: int) -> list[int]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(User.id).where(User.couple_id == couple_id).order_by(User.id)
                )
            )

    def attend(self, session_id: int, partner_id: int, status: str = "present") -> None:
        with self.database():
            db.session.add(
                Attendance(
                    session_id=session_id,
                    partner_id=partner_id,
                    status=status,
                    recorded_by_id=user_id(self.world.counselor),
                )
            )

    def read(self, model, object_id: int, *attributes: str) -> dict:
        """Some columns (or properties) of one row, read in a fresh context."""
        with self.app.app_context():
            row = db.session.get(model, object_id)
            return None if row is None else {name: getattr(row, name) for name in attributes}

    def stage_keys(self, session_id: int) -> list[str]:
        with self.app.app_context():
            return [stage.key for stage in db.session.get(WorkshopSession, session_id).stages]

    def sessions_of(self, workshop_id: int) -> list[WorkshopSession]:
        """The workshop's sessions in time order, detached with their stages loaded."""
        with self.app.app_context():
            sessions = list(
                db.session.scalars(
                    select(WorkshopSession)
                    .where(WorkshopSession.workshop_id == workshop_id)
                    .order_by(WorkshopSession.starts_at)
                )
            )
            for session in sessions:
                session.stage_list = [stage.key for stage in session.stages]
            db.session.expunge_all()
            return sessions


# Reading pages


def field_error(page: str, field_id: str) -> str:
    """The error shown with a form field ('' when there is none)."""
    found = re.search(rf'id="{field_id}-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    return unescape(found.group(1)).strip() if found else ""


def input_value(page: str, name: str) -> str | None:
    """The value attribute of the input called `name` (None when there is no such input)."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return unescape(value.group(1)) if value else ""


def checked_values(page: str, name: str) -> list[str]:
    """The values of the ticked checkboxes (or radio buttons) called `name`."""
    tags = re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    return [re.search(r'\bvalue="([^"]*)"', tag).group(1) for tag in tags if " checked" in tag]


def textarea_value(page: str, name: str) -> str | None:
    found = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    return unescape(found.group(1)).strip() if found else None
