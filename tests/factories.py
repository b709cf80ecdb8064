"""Build practices, staff and couples in one line. Call inside an app context.

Objects come back detached with their columns loaded, so tests can read `.id` and `.email`
after the context is gone.
"""

from dataclasses import dataclass
from functools import cache
from itertools import count

from workshop.extensions import db
from workshop.models import Couple, Practice, Role, User
from workshop.security import hash_password

PASSWORD = "a long and private passphrase"  # noqa: S105 - the test accounts' password
_serial = count(1)


@cache
def password_hash(password: str = PASSWORD) -> str:
    """argon2 is slow on purpose; one hash per password per test run is enough."""
    return hash_password(password)


def make_practice(name: str | None = None) -> Practice:
    practice = Practice(name=name or f"Practice {next(_serial)}")
    db.session.add(practice)
    db.session.flush()
    return practice


def make_user(
    practice: Practice,
    role: Role,
    name: str | None = None,
    email: str | None = "",
    password: str | None = PASSWORD,
    **columns,
) -> User:
    """A user; email "" (the default) makes up a unique address, None means no email."""
    number = next(_serial)
    user = User(
        practice_id=practice.id,
        role=role,
        name=name or f"{role.value.title()} {number}",
        email=f"{role.value}{number}@example.net" if email == "" else email,
        password_hash=password_hash(password) if password else None,
        **columns,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_couple(
    counselor: User,
    names: tuple[str, str] = ("Alex", "Sam"),
    emails: tuple[str | None, str | None] | None = None,
) -> Couple:
    couple = Couple(practice_id=counselor.practice_id, counselor_id=counselor.id)
    db.session.add(couple)
    db.session.flush()
    number = next(_serial)
    emails = emails or tuple(f"{name.lower()}{number}@example.net" for name in names)
    practice = db.session.get(Practice, counselor.practice_id)
    for name, email in zip(names, emails, strict=True):
        make_user(
            practice,
            Role.PARTNER,
            name=name,
            email=email or None,
            password=PASSWORD if email else None,
            couple_id=couple.id,
        )
    return couple


@dataclass
class World:
    """Ids and emails of everyone in two practices; see build_world."""

    practice_id: int
    admin: str
    counselor: str
    other_counselor: str
    couple_id: int
    partner: str
    other_partner_same_couple: str
    other_couple_id: int
    other_couple_partner: str
    other_practice_admin: str
    other_practice_counselor: str
    partner_id: int


def build_world() -> World:
    """Practice A: admin, counselor (couple 1), other counselor (couple 2); practice B."""
    practice = make_practice("Practice A")
    admin = make_user(practice, Role.ADMIN)
    counselor = make_user(practice, Role.COUNSELOR)
    other_counselor = make_user(practice, Role.COUNSELOR)
    couple = make_couple(counselor, ("Alex", "Sam"))
    other_couple = make_couple(other_counselor, ("Jordan", "Riley"))
    other_practice = make_practice("Practice B")
    other_admin = make_user(other_practice, Role.ADMIN)
    other_practice_counselor = make_user(other_practice, Role.COUNSELOR)
    db.session.commit()
    partners = sorted(couple.partners, key=lambda p: p.id)
    return World(
        practice_id=practice.id,
        admin=admin.email,
        counselor=counselor.email,
        other_counselor=other_counselor.email,
        couple_id=couple.id,
        partner=partners[0].email,
        other_partner_same_couple=partners[1].email,
        other_couple_id=other_couple.id,
        other_couple_partner=other_couple.partners[0].email,
        other_practice_admin=other_admin.email,
        other_practice_counselor=other_practice_counselor.email,
        partner_id=partners[0].id,
    )
