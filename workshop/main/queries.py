"""Reads for the home pages and the health check."""

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import String, bindparam, func, literal, select, text, true

from workshop.curriculum.stages import STAGES
from workshop.extensions import db
from workshop.homework import queries as homework_queries
from workshop.models import Couple, Practice, Role, User, utcnow
from workshop.models.people import couple_name_of
from workshop.scheduling import agenda
from workshop.scheduling import queries as scheduling_queries
from workshop.statements import plain_rows

HOME_LIST_LENGTH = 10
HOMEWORK_ON_HOME = 3


def home_data(user: User) -> dict:
    """What the user's home page shows, in a fixed number of queries."""
    if user.role == Role.ADMIN:
        return {"practice": practice_overview(user.practice_id)}
    if user.role == Role.COUNSELOR:
        today, upcoming = agenda.today_and_upcoming(user, limit=HOME_LIST_LENGTH)
        name, couples = practice_and_couples(user, limit=HOME_LIST_LENGTH)
        return {
            "practice_name": name,
            "couples": couples,
            # The stage list is the product's: sync-curriculum loads STAGES into the stage
            # table at every deploy, so its length is the table's count without a statement.
            "stage_count": len(STAGES),
            "today": today,
            "upcoming": upcoming,
        }
    couple_name, sessions = couple_name_and_sessions(user.couple_id)
    return {
        "couple_name": couple_name,
        "sessions": sessions,
        "homework_to_do": homework_queries.homework_to_do(user, utcnow(), HOMEWORK_ON_HOME),
    }


def practice_staff(practice_id: int) -> list[User]:
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role.in_([Role.ADMIN, Role.COUNSELOR]))
        .order_by(User.role, User.name)
    )
    return list(db.session.scalars(query))


# The admin's and the counselor's home statements, built once with bound parameters:
# building a statement anew costs more Python than running it.
# The role is written into the SQL, not bound: the one plan PostgreSQL keeps for a prepared
# statement serves any value of a parameter, and for "any role" it read every user of the
# practice instead of its counselors' entries in ix_user_practice_id_role.
_COUNSELORS_OF_PRACTICE = (
    select(func.count(User.id))
    .where(
        User.practice_id == Practice.id,
        User.role == literal(Role.COUNSELOR, String, literal_execute=True),
    )
    .scalar_subquery()
)
# What the admin's home shows of the practice, with its number of counselors, in one statement
# (rather than lazy-loading current_user.practice and counting apart).
_PRACTICE_OVERVIEW = select(
    Practice.name,
    Practice.logo_mime,
    Practice.paper_size,
    _COUNSELORS_OF_PRACTICE.label("counselor_count"),
).where(Practice.id == bindparam("practice_id"))
_NEWEST_COUPLES = (
    select(Couple.id, Couple.created_at)
    .where(Couple.counselor_id == bindparam("counselor_id"))
    .order_by(Couple.created_at.desc(), Couple.id.desc())
    .limit(bindparam("limit"))
    .subquery()
)
# The counselor home's practice name and newest couples in one statement (a round trip less
# than reading the name apart): a row per partner of those couples, each with the name; one
# row with no couple when the counselor has none yet.
_PRACTICE_AND_PARTNERS_OF_NEWEST_COUPLES = (
    select(
        Practice.name.label("practice_name"),
        _NEWEST_COUPLES.c.id,
        User.name,
        User.has_login.label("has_login"),
    )
    .select_from(Practice)
    .outerjoin(_NEWEST_COUPLES, true())
    .outerjoin(User, User.couple_id == _NEWEST_COUPLES.c.id)
    .where(Practice.id == bindparam("practice_id"))
    # The subquery's order does not survive the joins: the same order again, then the
    # partners' order within a couple, as Couple.partners has it.
    .order_by(_NEWEST_COUPLES.c.created_at.desc(), _NEWEST_COUPLES.c.id.desc(), User.id)
)


def practice_overview(practice_id: int):
    """A row: the practice's name, logo_mime, paper_size and counselor_count."""
    return plain_rows(_PRACTICE_OVERVIEW, {"practice_id": practice_id})[0]


@dataclass(frozen=True, slots=True)
class CoupleSummary:
    """A couple as the counselor's home lists it, as plain values (no ORM objects)."""

    id: int
    name: str
    partner_count: int
    logged_in_count: int


def practice_and_couples(counselor: User, limit: int) -> tuple[str, list[CoupleSummary]]:
    """The counselor's practice name and newest couples, in one statement: a row per partner,
    grouped here."""
    rows = plain_rows(
        _PRACTICE_AND_PARTNERS_OF_NEWEST_COUPLES,
        {"practice_id": counselor.practice_id, "counselor_id": counselor.id, "limit": limit},
    )
    couples = [
        _couple_summary(couple_id, list(group))
        for couple_id, group in groupby(rows, key=lambda row: row.id)
        if couple_id is not None
    ]
    return rows[0].practice_name, couples


def _couple_summary(couple_id: int, rows) -> CoupleSummary:
    """One couple's rows (one per partner; one with no partner if it has none) as a summary."""
    partners = [row for row in rows if row.name is not None]
    return CoupleSummary(
        id=couple_id,
        name=couple_name_of(partner.name for partner in partners),
        partner_count=len(partners),
        logged_in_count=sum(1 for partner in partners if partner.has_login),
    )


def couple_name_and_sessions(
    couple_id: int | None,
) -> tuple[str | None, list[scheduling_queries.SessionSummary]]:
    """A partner's couple's name (Couple.name, from its partners' names) and its sessions not
    yet over, in one statement; None and none for a partner without a couple."""
    if couple_id is None:
        return None, []
    names, sessions = scheduling_queries.partners_and_upcoming(
        couple_id, utcnow(), limit=HOME_LIST_LENGTH
    )
    return couple_name_of(names), sessions


def health_checks(redis_url: str | None) -> dict[str, str]:
    """The state of each backing service: "ok" or "down"."""
    checks = {"database": _check_database()}
    if redis_url:
        checks["redis"] = _check_redis(redis_url)
    return checks


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure means the same thing here: not usable
        db.session.rollback()
        return "down"
    return "ok"


def _check_redis(redis_url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # connection refused, timeout, auth: all mean "down"
        return "down"
    return "ok"
