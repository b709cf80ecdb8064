"""Rules for running a practice: inviting staff."""

from workshop.auth.services import find_user_by_email, normalise_email, send_invitation
from workshop.extensions import db
from workshop.models import Role, User


class EmailTaken(Exception):
    """Another account already uses this email address (`.email`, normalised)."""

    def __init__(self, email: str):
        super().__init__(email)
        self.email = email


def ensure_email_free(email: str, allowed_owner: User | None = None) -> None:
    """Raise EmailTaken unless the address is unused (or used by `allowed_owner`)."""
    owner = find_user_by_email(email)
    if owner is not None and owner is not allowed_owner:
        raise EmailTaken(normalise_email(email))


def invite_counselor(admin: User, name: str, email: str) -> User:
    """Create a counselor in the admin's practice and email them an invitation."""
    ensure_email_free(email)
    counselor = User(
        practice_id=admin.practice_id,
        role=Role.COUNSELOR,
        name=name,
        email=normalise_email(email),
        timezone=admin.timezone,
    )
    db.session.add(counselor)
    db.session.flush()
    send_invitation(counselor, invited_by=admin)
    return counselor


def resend_staff_invitation(admin: User, staff: User) -> None:
    """Send a fresh invitation link to staff who have not chosen a password yet."""
    send_invitation(staff, invited_by=admin)
