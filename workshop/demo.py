"""The demo practice used by the README, the browser tests and later issues' demo data."""

from datetime import time, timedelta

from sqlalchemy import select

from workshop.assignments.demo import seed_demo_homework
from workshop.curriculum.services import sync_curriculum
from workshop.extensions import db
from workshop.homework.services import sync_library
from workshop.models import (
    Attendance,
    AttendanceStatus,
    Couple,
    Enrollment,
    Practice,
    Role,
    Stage,
    User,
    Workshop,
    WorkshopFormat,
    WorkshopSession,
    utcnow,
)
from workshop.notes.demo import seed_demo_notes
from workshop.scheduling.plan import series_starts
from workshop.security import hash_password

DEMO_PASSWORD = "workshop-demo"  # nosec B105 # noqa: S105 - published in the README on purpose
DEMO_PRACTICE = "Harbor Light Counseling"
DEMO_TIMEZONE = "America/New_York"
DEMO_STAFF = [
    (Role.ADMIN, "Morgan Avery", "admin@example.org"),
    (Role.COUNSELOR, "Dana Whitfield", "counselor@example.org"),
    (Role.COUNSELOR, "Priya Natarajan", "counselor2@example.org"),
]
# (counselor's email, [(partner name, email, timezone), ...])
DEMO_COUPLES = [
    (
        "counselor@example.org",
        [
            ("Alex Morgan", "alex@example.org", "America/New_York"),
            ("Sam Rivera", "sam@example.org", "Europe/Lisbon"),
        ],
    ),
    (
        "counselor@example.org",
        [
            ("Jordan Lee", "jordan@example.org", "America/Chicago"),
            ("Riley Chen", "riley@example.org", "America/Chicago"),
        ],
    ),
    (
        "counselor2@example.org",
        [
            ("Casey Brooks", "casey@example.org", "America/New_York"),
            ("Drew Patel", "drew@example.org", "America/New_York"),
        ],
    ),
]
# (lead's email, title, format, partner emails of the enrolled couples, weeks already held)
DEMO_WORKSHOPS = [
    (
        "counselor@example.org",
        "Rebuilding Together: autumn group",
        WorkshopFormat.GROUP,
        ["alex@example.org", "jordan@example.org"],
        6,
    ),
    (
        "counselor2@example.org",
        "Casey & Drew: private program",
        WorkshopFormat.COUPLE,
        ["casey@example.org"],
        2,
    ),
]


def seed_demo() -> dict[str, int]:
    """Create whatever part of the demo practice is missing; never changes what exists."""
    created = {"stages": sync_curriculum(), "users": 0, "couples": 0, "workshops": 0}
    db.session.flush()  # the built-in exercises look their stages up
    created["exercises"] = sync_library()
    practice = _demo_practice()
    password_hash = hash_password(DEMO_PASSWORD)
    staff = {}
    for role, name, email in DEMO_STAFF:
        staff[email] = _find_user(email) or _add_user(
            practice, role, name, email, password_hash, DEMO_TIMEZONE, created
        )
    for counselor_email, partners in DEMO_COUPLES:
        if _find_user(partners[0][1]) is None:
            _add_couple(practice, staff[counselor_email], partners, password_hash, created)
    db.session.flush()
    for lead_email, title, format_, partner_emails, weeks_held in DEMO_WORKSHOPS:
        if _find_workshop(title) is None:
            _add_workshop(staff[lead_email], title, format_, partner_emails, weeks_held)
            created["workshops"] += 1
    db.session.flush()
    created["assignments"] = seed_demo_homework()
    created["notes"] = seed_demo_notes()
    return created


def _demo_practice() -> Practice:
    practice = db.session.scalar(select(Practice).where(Practice.name == DEMO_PRACTICE))
    if practice is None:
        practice = Practice(name=DEMO_PRACTICE)
        db.session.add(practice)
    return practice


def _find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _add_user(practice, role, name, email, password_hash, timezone, created) -> User:
    user = User(
        practice=practice,
        role=role,
        name=name,
        email=email,
        password_hash=password_hash,
        timezone=timezone,
    )
    db.session.add(user)
    created["users"] += 1
    return user


def _add_couple(practice, counselor, partners, password_hash, created) -> None:
    couple = Couple(practice=practice, counselor=counselor)
    db.session.add(couple)
    for name, email, timezone in partners:
        couple.partners.append(
            _add_user(practice, Role.PARTNER, name, email, password_hash, timezone, created)
        )
    created["couples"] += 1


def _find_workshop(title: str) -> Workshop | None:
    return db.session.scalar(select(Workshop).where(Workshop.title == title))


def _add_workshop(
    lead: User, title: str, format_: str, partner_emails: list[str], weeks_held: int
) -> None:
    """A workshop of all twelve stages, weekly at 18:00, `weeks_held` of them already past."""
    workshop = Workshop(
        practice_id=lead.practice_id,
        lead_id=lead.id,
        title=title,
        format=format_,
        description="Twelve weekly evenings, one stage of rebuilding at a time.",
        location="Harbor Light Counseling, 12 Pier Street, room 3",
        video_url="https://video.example.org/harbor-light",
        timezone=DEMO_TIMEZONE,
        capacity=8 if format_ == WorkshopFormat.GROUP else 1,
    )
    db.session.add(workshop)
    couples = [_find_user(email).couple for email in partner_emails]
    for couple in couples:
        db.session.add(Enrollment(workshop=workshop, couple_id=couple.id))
    first_day = (utcnow() - timedelta(weeks=weeks_held)).date()
    stages = list(db.session.scalars(select(Stage).order_by(Stage.position)))
    starts = series_starts(
        first_day, first_day.weekday(), time(18, 0), 1, len(stages), DEMO_TIMEZONE
    )
    for index, (stage, start) in enumerate(zip(stages, starts, strict=True)):
        session = WorkshopSession(
            workshop=workshop,
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            location=workshop.location,
            video_url=workshop.video_url,
        )
        session.stages = [stage]
        db.session.add(session)
        if start < utcnow():
            _record_demo_attendance(session, couples, lead, index)


def _record_demo_attendance(session, couples, lead, index) -> None:
    for couple in couples:
        for number, partner in enumerate(couple.partners):
            # Mostly present; now and then someone is excused or missing, as in real life.
            status = AttendanceStatus.PRESENT
            if (index + number) % 5 == 4:
                status = AttendanceStatus.EXCUSED if number else AttendanceStatus.ABSENT
            db.session.add(
                Attendance(session=session, partner=partner, status=status, recorded_by_id=lead.id)
            )
