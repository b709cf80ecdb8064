"""Scoped reads: a counselor reaches only the couples they work with."""

from flask import abort
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.models import Couple, Enrollment, Role, User, Workshop

PAGE_SIZE = 20


def couples_query_for(counselor: User):
    """The couples this counselor works with: added by them, or enrolled in a workshop they
    lead or co-lead (a withdrawn couple stays reachable: their history is still there)."""
    from workshop.workshops.queries import led_by

    in_their_workshop = exists().where(
        Enrollment.couple_id == Couple.id,
        Enrollment.workshop_id == Workshop.id,
        led_by(counselor),
    )
    return select(Couple).where(
        Couple.practice_id == counselor.practice_id,
        or_(Couple.counselor_id == counselor.id, in_their_workshop),
    )


def get_couple_or_404(couple_id: int, counselor: User) -> Couple:
    """The couple with its partners (two rows joined in one statement: a second statement for
    them costs more than the join), or 404 when this counselor does not work with it."""
    query = couples_query_for(counselor).where(Couple.id == couple_id)
    found = db.session.execute(query.options(joinedload(Couple.partners))).unique()
    return found.scalar_one_or_none() or abort(404)


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
    # error_out: a page past the end (or below 1) is a 404, not an empty "no couples yet".
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=True)
