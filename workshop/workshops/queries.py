"""Scoped reads: a counselor reaches only the workshops they lead or co-lead."""

from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask import abort
from sqlalchemy import Select, bindparam, exists, or_, select
from sqlalchemy.orm import selectinload

from workshop.couples.queries import couples_query_for
from workshop.extensions import db
from workshop.models import (
    Couple,
    Enrollment,
    EnrollmentStatus,
    Role,
    SessionStage,
    Stage,
    User,
    Workshop,
    WorkshopCounselor,
    WorkshopSession,
)
from workshop.models.people import couple_name_of
from workshop.models.workshops import session_title_of
from workshop.statements import (
    COUNSELOR_AS_PARAMETERS,
    LIKE_ESCAPE,
    counselor_parameters,
    like_as_typed,
)

PAGE_SIZE = 20
# The enroll form offers this many couples at most; a name search finds the others. A select
# of every couple a busy counselor works with would run to thousands of options.
ENROLL_CHOICES = 20


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


class SessionLine(NamedTuple):
    """A session as the workshop page lists it."""

    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    is_cancelled: bool
    title: str


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
_LEADERS = (
    select(User.id, User.name)
    .where(
        or_(
            User.id == bindparam("lead_id"),
            User.id.in_(
                select(WorkshopCounselor.counselor_id).where(
                    WorkshopCounselor.workshop_id == bindparam("workshop_id")
                )
            ),
        )
    )
    .order_by(User.name, User.id)
)
_ROSTER = (
    select(Enrollment.id, Enrollment.couple_id, User.name)
    .outerjoin(User, User.couple_id == Enrollment.couple_id)
    .where(
        Enrollment.workshop_id == bindparam("workshop_id"),
        Enrollment.status == EnrollmentStatus.ENROLLED,
    )
    .order_by(Enrollment.enrolled_at, Enrollment.id, User.id)
)
_SESSION_LINES = (
    select(
        WorkshopSession.id,
        WorkshopSession.starts_at,
        WorkshopSession.ends_at,
        WorkshopSession.location,
        WorkshopSession.video_url,
        WorkshopSession.is_cancelled,
        Stage.title,
    )
    .outerjoin(SessionStage, SessionStage.session_id == WorkshopSession.id)
    .outerjoin(Stage, Stage.id == SessionStage.stage_id)
    .where(WorkshopSession.workshop_id == bindparam("workshop_id"))
    .order_by(WorkshopSession.starts_at, WorkshopSession.id, Stage.position)
)


def get_workshop_or_404(workshop_id: int, counselor: User) -> Workshop:
    """The workshop alone: most pages under it never show its lead or co-counselors, so they
    are not loaded with it (`leaders_of` names them; the relationships still load on use)."""
    params = {
        "workshop_id": workshop_id,
        **counselor_parameters(counselor),
    }
    return db.session.scalar(_WORKSHOP_FOR_COUNSELOR, params) or abort(404)


def leaders_of(workshop: Workshop) -> Leaders:
    """The names of the workshop's lead and co-counselors, in one statement of plain rows."""
    rows = db.session.execute(_LEADERS, {"lead_id": workshop.lead_id, "workshop_id": workshop.id})
    lead, co_counselors = "", []
    for user_id, name in rows:
        if user_id == workshop.lead_id:
            lead = name
        else:
            co_counselors.append(name)
    return Leaders(lead, co_counselors)


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


def roster_of(workshop_id: int) -> list[RosterLine]:
    """The couples on the roster with their partners' names, in enrollment order: plain rows in
    one statement, where ORM enrollments, couples and partners take three and many objects."""
    rows = db.session.execute(_ROSTER, {"workshop_id": workshop_id})
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


def session_lines_of(workshop_id: int) -> list[SessionLine]:
    """The workshop's sessions in time order with their titles: plain rows in one statement,
    where ORM sessions and their stages take two and many objects."""
    rows = db.session.execute(_SESSION_LINES, {"workshop_id": workshop_id})
    stage_titles = _names_grouped((tuple(row[:-1]), row[-1]) for row in rows)
    return [
        SessionLine(*session, title=session_title_of(titles))
        for session, titles in stage_titles.items()
    ]


def practice_counselors(practice_id: int, excluding: int | None = None) -> list[User]:
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role == Role.COUNSELOR, User.is_active)
        .order_by(User.name)
    )
    if excluding is not None:
        query = query.where(User.id != excluding)
    return list(db.session.scalars(query))
