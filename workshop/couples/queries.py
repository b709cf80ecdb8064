"""Scoped reads: a counselor reaches only the couples they work with."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.models import Couple, Role, User

PAGE_SIZE = 20


def couples_query_for(counselor: User):
    """The couples this counselor works with (today: the ones they added)."""
    return select(Couple).where(
        Couple.counselor_id == counselor.id, Couple.practice_id == counselor.practice_id
    )


def get_couple_or_404(couple_id: int, counselor: User) -> Couple:
    query = couples_query_for(counselor).where(Couple.id == couple_id)
    return db.session.scalar(query.options(selectinload(Couple.partners))) or abort(404)


def get_partner_or_404(couple: Couple, partner_id: int) -> User:
    """A partner of this couple (already loaded with it); any other id is a 404."""
    found = [p for p in couple.partners if p.id == partner_id and p.role == Role.PARTNER]
    return found[0] if found else abort(404)


def paginate_couples(counselor: User, page: int):
    query = (
        couples_query_for(counselor)
        .options(selectinload(Couple.partners))
        .order_by(Couple.created_at.desc(), Couple.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
