"""The demo practice used by the README, the browser tests and later issues' demo data."""

from sqlalchemy import select

from workshop.curriculum.services import sync_curriculum
from workshop.extensions import db
from workshop.models import Couple, Practice, Role, User
from workshop.security import hash_password

DEMO_PASSWORD = "workshop-demo"  # noqa: S105 - published in the README on purpose
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
]


def seed_demo() -> dict[str, int]:
    """Create whatever part of the demo practice is missing; never changes what exists."""
    created = {"stages": sync_curriculum(), "users": 0, "couples": 0}
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
