"""Reads for the home pages and the health check."""

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from workshop.extensions import db
from workshop.homework import queries as homework_queries
from workshop.models import Couple, Role, Stage, User, utcnow
from workshop.scheduling import agenda
from workshop.scheduling import queries as scheduling_queries

HOME_LIST_LENGTH = 10
HOMEWORK_ON_HOME = 3


def home_data(user: User) -> dict:
    """What the user's home page shows, in a fixed number of queries."""
    if user.role == Role.ADMIN:
        return {"counselors": practice_staff(user.practice_id)}
    if user.role == Role.COUNSELOR:
        today, upcoming = agenda.today_and_upcoming(user, limit=HOME_LIST_LENGTH)
        return {
            "couples": couples_of_counselor(user.id, limit=HOME_LIST_LENGTH),
            "stage_count": db.session.scalar(select(func.count(Stage.id))),
            "today": today,
            "upcoming": upcoming,
        }
    return {
        "couple": couple_with_partners(user.couple_id),
        "sessions": scheduling_queries.upcoming_sessions(user, utcnow(), limit=HOME_LIST_LENGTH),
        "homework_to_do": homework_queries.homework_to_do(user, utcnow(), HOMEWORK_ON_HOME),
    }


def practice_staff(practice_id: int) -> list[User]:
    query = (
        select(User)
        .where(User.practice_id == practice_id, User.role.in_([Role.ADMIN, Role.COUNSELOR]))
        .order_by(User.role, User.name)
    )
    return list(db.session.scalars(query))


def couples_of_counselor(counselor_id: int, limit: int) -> list[Couple]:
    query = (
        select(Couple)
        .options(selectinload(Couple.partners))
        .where(Couple.counselor_id == counselor_id)
        .order_by(Couple.created_at.desc(), Couple.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def couple_with_partners(couple_id: int | None) -> Couple | None:
    if couple_id is None:
        return None
    query = select(Couple).options(selectinload(Couple.partners)).where(Couple.id == couple_id)
    return db.session.scalar(query)


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
