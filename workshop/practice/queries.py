"""Scoped reads for the practice administration."""

from flask import abort
from sqlalchemy import select

from workshop.extensions import db
from workshop.models import STAFF_ROLES, User


def get_staff_or_404(user_id: int, admin: User) -> User:
    """A counselor or admin of the admin's own practice; anyone else is a 404."""
    query = select(User).where(
        User.id == user_id,
        User.practice_id == admin.practice_id,
        User.role.in_(list(STAFF_ROLES)),
    )
    return db.session.scalar(query) or abort(404)
