"""Practices and the people in them: staff, couples and their partners."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from workshop.extensions import db
from workshop.models.types import UTCDateTime, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    COUNSELOR = "counselor"
    PARTNER = "partner"


STAFF_ROLES = frozenset({Role.ADMIN, Role.COUNSELOR})


PAPER_SIZES = ("A4", "Letter")


def first_name_of(name: str) -> str:
    """A person's first name: the first word of their name (User.first_name, for plain rows)."""
    return name.split()[0] if name.strip() else name


def couple_name_of(partner_names) -> str:
    """A couple's name from its partners' full names in partner order (Couple.name, for
    plain rows): "Alex & Sam"."""
    return " & ".join(first_name_of(name) for name in partner_names)


class Practice(db.Model):
    __table_args__ = (CheckConstraint("paper_size IN ('A4', 'Letter')", name="paper_size_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Branding on reports. The logo (PNG or JPEG, at most 1 MB, checked on upload) lives in the
    # database beside its MIME type; deferred, so loading a practice never drags its bytes along.
    paper_size: Mapped[str] = mapped_column(String(10), default="A4", server_default="A4")
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(20))
    # Counselors and admins without two-factor sign-in must set it up at their next login.
    require_staff_two_factor: Mapped[bool] = mapped_column(default=False, server_default=false())

    users: Mapped[list["User"]] = relationship(back_populates="practice")


class User(UserMixin, db.Model):
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'counselor', 'partner')", name="role_known"),
        CheckConstraint("role = 'partner' OR couple_id IS NULL", name="only_partners_in_couples"),
        # A practice's users of one role (its counselors, its staff): partners are nearly all
        # of a practice's users, so an index of practice alone had the admin's home read every
        # partner to count a few dozen counselors. It serves lookups by practice alone too
        # (the foreign key's), so practice_id has no index of its own.
        db.Index("ix_user_practice_id_role", "practice_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    # Lower-cased on the way in; a partner may have no email (and so no login) yet.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    is_active: Mapped[bool] = mapped_column(default=True)
    couple_id: Mapped[int | None] = mapped_column(ForeignKey("couple.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Secret part of the counselor's calendar feed URL; rotating it retires the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    practice: Mapped[Practice] = relationship(back_populates="users")
    couple: Mapped["Couple | None"] = relationship(
        back_populates="partners", foreign_keys=[couple_id]
    )

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @hybrid_property
    def has_login(self) -> bool:  # a hybrid: list queries read it as a column too
        return self.password_hash is not None

    @has_login.inplace.expression
    @classmethod
    def _has_login_expression(cls):
        return cls.password_hash.is_not(None)

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Couple(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # The counselor who added the couple; later, workshop leads reach them through enrollments.
    # use_alter breaks the user <-> couple cycle so tables can be created and dropped in order.
    counselor_id: Mapped[int] = mapped_column(ForeignKey("user.id", use_alter=True), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Secret part of the couple's calendar feed URL, shared by both partners.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    partners: Mapped[list[User]] = relationship(
        back_populates="couple", foreign_keys=[User.couple_id], order_by=User.id
    )
    counselor: Mapped[User] = relationship(foreign_keys=[counselor_id])
    practice: Mapped[Practice] = relationship()

    @property
    def name(self) -> str:
        return couple_name_of(partner.name for partner in self.partners)
