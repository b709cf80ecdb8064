"""Scoped reads: a counselor reaches only the couples they work with."""

from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, case, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workshop.extensions import db
from workshop.models import (
    Assignment,
    Couple,
    Enrollment,
    Role,
    SafetyFlag,
    Submission,
    User,
    Workshop,
)
from workshop.models.people import couple_name_of
from workshop.statements import COUNSELOR_AS_PARAMETERS, counselor_parameters, plain_rows

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


class PartnerCard(NamedTuple):
    """A partner as the couple's page shows them."""

    id: int
    name: str
    email: str | None
    has_login: bool


class CoupleCard(NamedTuple):
    """A couple as its page shows it: plain values (loading the ORM couple and its partners
    costs several times more than the statement)."""

    id: int
    partners: list[PartnerCard]

    @property
    def name(self) -> str:
        return couple_name_of(partner.name for partner in self.partners)


class OpenSafetyFlag(NamedTuple):
    raised_at: datetime
    assignment_id: int | None  # None: raised in a colleague's workshop, who reads it


# The couple page's statements are built once (see workshop.statements), on first use:
# couples_query_for and led_by import each other's modules.


@cache
def _couple_card_statement():
    """The couple's partners (one row with no partner when it has none), if the counselor
    works with it."""
    reachable = couples_query_for(COUNSELOR_AS_PARAMETERS).where(
        Couple.id == bindparam("couple_id")
    )
    partner = (User.id, User.name, User.email, User.has_login)
    return (
        reachable.with_only_columns(Couple.id.label("couple_id"), *partner)
        .outerjoin(User, User.couple_id == Couple.id)
        .order_by(User.id)
    )


@cache
def _open_safety_flags_statement():
    """The couple's unreviewed safety flags, each with its check-in's assignment when the
    counselor leads its workshop (the rule of assignments.queries.open_safety_flags)."""
    from workshop.workshops.queries import led_by

    readable = case((led_by(COUNSELOR_AS_PARAMETERS), Submission.assignment_id), else_=None)
    return (
        select(SafetyFlag.raised_at, readable.label("assignment_id"))
        .join(Submission, Submission.id == SafetyFlag.submission_id)
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Workshop, Workshop.id == Assignment.workshop_id)
        .where(SafetyFlag.couple_id == bindparam("couple_id"), SafetyFlag.reviewed_at.is_(None))
        .order_by(SafetyFlag.raised_at, SafetyFlag.id)
    )


def get_couple_card_or_404(couple_id: int, counselor: User) -> CoupleCard:
    """The couple and its partners as plain values, or 404 when this counselor does not work
    with it."""
    parameters = counselor_parameters(counselor) | {"couple_id": couple_id}
    rows = plain_rows(_couple_card_statement(), parameters)
    if not rows:
        abort(404)
    partners = [PartnerCard(r.id, r.name, r.email, r.has_login) for r in rows if r.id is not None]
    return CoupleCard(rows[0].couple_id, partners)


def open_safety_flags(couple_id: int, counselor: User) -> list[OpenSafetyFlag]:
    """The couple's unreviewed safety flags, oldest first, as this counselor may see them."""
    parameters = counselor_parameters(counselor) | {"couple_id": couple_id}
    rows = plain_rows(_open_safety_flags_statement(), parameters)
    return [OpenSafetyFlag(*row) for row in rows]


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
