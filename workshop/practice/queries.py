"""Scoped reads for the practice administration."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.models import STAFF_ROLES, Couple, Role, User

PARTNERS_PER_PAGE = 50


def get_staff_or_404(user_id: int, admin: User) -> User:
    """A counselor or admin of the admin's own practice; anyone else is a 404."""
    query = select(User).where(
        User.id == user_id,
        User.practice_id == admin.practice_id,
        User.role.in_(list(STAFF_ROLES)),
    )
    return db.session.scalar(query) or abort(404)


def get_account_or_404(user_id: int, admin: User) -> User:
    """A counselor or partner of the admin's own practice (never the admin); else a 404."""
    query = select(User).where(
        User.id == user_id,
        User.practice_id == admin.practice_id,
        User.role.in_([Role.COUNSELOR, Role.PARTNER]),
    )
    return db.session.scalar(query) or abort(404)


def partner_accounts(practice_id: int, page: int):
    """The practice's partners who have an email (and so may log in), by name, paginated."""
    query = (
        select(User)
        .options(selectinload(User.couple).selectinload(Couple.partners))
        .where(User.practice_id == practice_id, User.role == Role.PARTNER, User.email.is_not(None))
        .order_by(User.name, User.id)
    )
    return db.paginate(query, page=page, per_page=PARTNERS_PER_PAGE, error_out=False)
