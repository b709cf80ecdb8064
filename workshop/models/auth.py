"""Server-side records behind logins, invitations and password resets."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workshop.crypto import EncryptedText
from workshop.extensions import db
from workshop.models.people import User
from workshop.models.types import UTCDateTime, utcnow


class LoginSession(db.Model):
    """One login. The browser's signed cookie names it; logout or expiry ends it for good."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the random token in the cookie: a leaked table does not hand out sessions.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    # Set while the login waits for a step after the password (PendingStep); such a login
    # reaches no page but that step's own (see workshop.auth.sessions.hold_pending_login).
    pending_step: Mapped[str | None] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class PendingStep(StrEnum):
    SECOND_FACTOR = "second_factor"
    ENROLMENT = "enrolment"  # the practice requires two-factor sign-in and the user has none


class TokenPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"  # nosec B105 # noqa: S105 - a label, not a password


class AccountToken(db.Model):
    """A single-use, expiring link to set a password (invitation or reset)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class TwoFactorCredential(db.Model):
    """A user's TOTP secret. Until `enabled_at` is set it is an enrolment not yet confirmed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    # Encrypted like clinical text: whoever reads the table must not be able to make codes.
    secret: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP time step of the last accepted code: that step and older ones are refused,
    # so a code seen over someone's shoulder cannot be used again within its window.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    user: Mapped[User] = relationship()

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its digest is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
