"""Scoped reads: a counselor reaches only the workshops they lead or co-lead."""

from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from flask import abort
from sqlalchemy import Select, bindparam, exists, or_, select
from sqlalchemy.orm import aliased, selectinload

from workshop.couples.queries import couples_query_for
from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
)
from workshop.models.people import couple_name_of
from workshop.statements import (
    COUNSELOR_AS_PARAMETERS,
    LIKE_ESCAPE,
    counselor_parameters,
    like_as_typed,
    plain_rows,
)

PAGE_SIZE = 20
# The enroll form offers this many couples at most; a name search finds the others. A select
# of every couple a busy counselor works with would run to thousands of options.
ENROLL_CHOICES = 20


class WorkshopFacts(NamedTuple):
    """What the workshop page shows of the workshop itself, as plain values."""

    id: int
    lead_id: int
    title: str
    description: str
    format: str
    timezone: str
    capacity: int


class Leaders(NamedTuple):
    """Who leads a workshop, by name: the lead, then the co-counselors in name order."""

    lead: str
    co_counselors: list[str]


class RosterLine(NamedTuple):
    """An enrolled couple as the roster shows it."""

    enrollment_id: int
    couple_id: int
    couple_name: str
    partner_names: list[str]


class CoupleChoices(NamedTuple):
    """Couples the enroll form offers, as (id, name), and whether more were left out."""

    couples: list[tuple[int, str]]
    more: bool


def led_by(counselor: User):
    """SQL condition: the workshop is led or co-led by this counselor (a user, or
    COUNSELOR_AS_PARAMETERS in a statement built once)."""
    counselor_id, practice_id = counselor.id, counselor.practice_id
    co_led = exists().where(
        WorkshopCounselor.workshop_id == Workshop.id,
        WorkshopCounselor.counselor_id == counselor_id,
    )
    return (Workshop.practice_id == practice_id) & or_(Workshop.lead_id == counselor_id, co_led)


def workshops_query_for(counselor: User) -> Select:
    return select(Workshop).where(led_by(counselor))


# The statements the workshop pages run are built once (see workshop.statements).
_WORKSHOP_FOR_COUNSELOR = workshops_query_for(COUNSELOR_AS_PARAMETERS).where(
    Workshop.id == bindparam("workshop_id")
)
_LEAD = aliased(User)
_CO_COUNSELOR = aliased(User)
# Its own alias: led_by's EXISTS reads workshop_counselor too, and must stay a subquery.
_CO_LEADING = aliased(WorkshopCounselor)
# The workshop page's workshop with its leaders' names and its roster, in one statement of plain
# rows (the same access rule as _WORKSHOP_FOR_COUNSELOR): a row per co-counselor (in name order,
# or one with None) and partner on the roster (in enrollment order, or one with None), each
# co-counselor's rows carrying the whole roster.
_PARTNER = aliased(User)
_WORKSHOP_LEADERS_AND_ROSTER = (
    select(
        Workshop.id,
        Workshop.lead_id,
        Workshop.title,
        Workshop.description,
        Workshop.format,
        Workshop.timezone,
        Workshop.capacity,
        _LEAD.name.label("lead_name"),
        _CO_COUNSELOR.id.label("co_counselor_id"),
        _CO_COUNSELOR.name.label("co_counselor_name"),
        Enrollment.id.label("enrollment_id"),
        Enrollment.couple_id,
        _PARTNER.name.label("partner_name"),
    )
    .where(led_by(COUNSELOR_AS_PARAMETERS), Workshop.id == bindparam("workshop_id"))
    .outerjoin(_LEAD, _LEAD.id == Workshop.lead_id)
    .outerjoin(_CO_LEADING, _CO_LEADING.workshop_id == Workshop.id)
    .outerjoin(_CO_COUNSELOR, _CO_COUNSELOR.id == _CO_LEADING.counselor_id)
    .outerjoin(
        Enrollment,
        (Enrollment.workshop_id == Workshop.id) & (Enrollment.status == EnrollmentStatus.ENROLLED),
    )
    .outerjoin(_PARTNER, _PARTNER.couple_id == Enrollment.couple_id)
    .order_by(
        _CO_COUNSELOR.name,
        _CO_COUNSELOR.id,
        Enrollment.enrolled_at,
        Enrollment.id,
        _PARTNER.id,
    )
)
# The roster page's workshop with its roster, in one statement (the same access rule as
# _WORKSHOP_FOR_COUNSELOR): a row per partner on the roster in enrollment order, each with the
# workshop; one with no enrollment when nobody is enrolled.
_WORKSHOP_WITH_ROSTER = (
    _WORKSHOP_FOR_COUNSELOR.add_columns(
        Enrollment.id.label("enrollment_id"), Enrollment.couple_id, User.name
    )
    .outerjoin(
        Enrollment,
        (Enrollment.workshop_id == Workshop.id) & (Enrollment.status == EnrollmentStatus.ENROLLED),
    )
    .outerjoin(User, User.couple_id == Enrollment.couple_id)
    .order_by(Enrollment.enrolled_at, Enrollment.id, User.id)
)


def get_workshop_or_404(workshop_id: int, counselor: User) -> Workshop:
    """The workshop alone: most pages under it never show its lead or co-counselors, so they
    are not loaded with it (get_workshop_leaders_and_roster_or_404 names them; the relationships
    still load on use)."""
    params = {
        "workshop_id": workshop_id,
        **counselor_parameters(counselor),
    }
    return db.session.scalar(_WORKSHOP_FOR_COUNSELOR, params) or abort(404)


def get_workshop_leaders_and_roster_or_404(
    workshop_id: int, counselor: User
) -> tuple[WorkshopFacts, Leaders, list[RosterLine]]:
    """The workshop (reached as get_workshop_or_404 reaches it), the names of its lead and
    co-counselors, and its roster (couples in enrollment order, with their partners' names), as
    plain values read in one statement."""
    params = {"workshop_id": workshop_id, **counselor_parameters(counselor)}
    rows = plain_rows(_WORKSHOP_LEADERS_AND_ROSTER, params) or abort(404)
    workshop = WorkshopFacts(*rows[0][: len(WorkshopFacts._fields)])
    by_co_counselor = [list(group) for _, group in groupby(rows, key=itemgetter(_CO_COUNSELOR_ID))]
    co_counselors = [
        co_rows[0][_CO_COUNSELOR_NAME]
        for co_rows in by_co_counselor
        if co_rows[0][_CO_COUNSELOR_ID] not in (None, workshop.lead_id)
    ]
    # Every co-counselor's rows carry the same roster: the first one's are read.
    enrolled = [
        row[_ROSTER_COLUMNS] for row in by_co_counselor[0] if row[_ENROLLMENT_ID] is not None
    ]
    return workshop, Leaders(rows[0].lead_name or "", co_counselors), _roster_lines(enrolled)


# The places of _WORKSHOP_LEADERS_AND_ROSTER's columns after the workshop's and its lead's.
_CO_COUNSELOR_ID, _CO_COUNSELOR_NAME = 8, 9
_ENROLLMENT_ID, _ROSTER_COLUMNS = 10, slice(10, 13)  # enrollment_id, couple_id, partner_name


def paginate_workshops(counselor: User, page: int):
    query = (
        workshops_query_for(counselor)
        .options(selectinload(Workshop.lead), selectinload(Workshop.co_counselors))
        .order_by(Workshop.created_at.desc(), Workshop.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=True)


def active_enrollments(workshop_id: int) -> list[Enrollment]:
    """The couples on the roster, with their partners, in enrollment order."""
    query = (
        select(Enrollment)
        .where(
            Enrollment.workshop_id == workshop_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
        )
        .options(selectinload(Enrollment.couple).selectinload(Couple.partners))
        .order_by(Enrollment.enrolled_at, Enrollment.id)
    )
    return list(db.session.scalars(query))


def get_workshop_and_roster_or_404(
    workshop_id: int, counselor: User
) -> tuple[Workshop, list[RosterLine]]:
    """The workshop (as get_workshop_or_404) and its roster (couples in enrollment order, with
    their partners' names), in one statement."""
    params = {"workshop_id": workshop_id, **counselor_parameters(counselor)}
    rows = db.session.execute(_WORKSHOP_WITH_ROSTER, params).all() or abort(404)
    enrolled = [row[1:] for row in rows if row.enrollment_id is not None]
    return rows[0].Workshop, _roster_lines(enrolled)


def _roster_lines(rows) -> list[RosterLine]:
    """(enrollment id, couple id, partner name) rows, a couple's together, as roster lines."""
    partners = _names_grouped(
        ((enrollment_id, couple_id), name) for enrollment_id, couple_id, name in rows
    )
    return [
        RosterLine(enrollment_id, couple_id, couple_name_of(names), names)
        for (enrollment_id, couple_id), names in partners.items()
    ]


def enrollable_couples(counselor: User, workshop_id: int, search: str = "") -> CoupleChoices:
    """Couples this counselor works with who are not on the workshop's roster now, newest
    first, at most ENROLL_CHOICES of them; with a search, those with a partner whose name
    contains it (in any case; % and _ match as typed)."""
    params = {
        **counselor_parameters(counselor),
        "workshop_id": workshop_id,
        # One more than shown tells whether there are more, without counting them all.
        "limit": ENROLL_CHOICES + 1,
    }
    if search:
        params["search"] = like_as_typed(search)
    rows = db.session.execute(_enrollable_statement(searching=bool(search)), params)
    couples = [
        (couple_id, couple_name_of(names)) for couple_id, names in _names_grouped(rows).items()
    ]
    return CoupleChoices(couples[:ENROLL_CHOICES], more=len(couples) > ENROLL_CHOICES)


@cache
def _enrollable_statement(searching: bool) -> Select:
    """enrollable_couples' statement, built once with and once without a search."""
    on_roster = exists().where(
        Enrollment.couple_id == Couple.id,
        Enrollment.workshop_id == bindparam("workshop_id"),
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    query = (
        couples_query_for(COUNSELOR_AS_PARAMETERS).with_only_columns(Couple.id).where(~on_roster)
    )
    if searching:
        named = User.name.icontains(bindparam("search"), escape=LIKE_ESCAPE)
        query = query.where(exists().where(User.couple_id == Couple.id, named))
    chosen = query.order_by(Couple.id.desc()).limit(bindparam("limit")).subquery()
    return (
        select(chosen.c.id, User.name)
        .outerjoin(User, User.couple_id == chosen.c.id)
        .order_by(chosen.c.id.desc(), User.id)
    )


def _names_grouped(rows) -> dict:
    """(key, partner name or None) rows, each key's rows together, as key -> names in order."""
    grouped: dict = {}
    for key, name in rows:
        names = grouped.setdefault(key, [])
        if name is not None:
            names.append(name)
    return grouped


def get_enrollment_or_404(workshop: Workshop, enrollment_id: int) -> Enrollment:
    query = select(Enrollment).where(
        Enrollment.id == enrollment_id,
        Enrollment.workshop_id == workshop.id,
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    return db.session.scalar(query) or abort(404)


def sessions_of(workshop_id: int) -> list[WorkshopSession]:
    query = (
        select(WorkshopSession)
        .where(WorkshopSession.workshop_id == workshop_id)
        .options(selectinload(WorkshopSession.stages))
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return list(db.session.scalars(query))


def practice_counselors(practice_id: int, excluding: int | None = None) -> list[User]:
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role == Role.COUNSELOR, User.is_active)
        .order_by(User.name)
    )
    if excluding is not None:
        query = query.where(User.id != excluding)
    return list(db.session.scalars(query))
