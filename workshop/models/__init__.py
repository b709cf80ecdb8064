"""All models, imported here so Alembic and the app see one complete metadata."""

from workshop.models.auth import AccountToken, LoginSession, TokenPurpose
from workshop.models.curriculum import Stage
from workshop.models.people import STAFF_ROLES, Couple, Practice, Role, User
from workshop.models.types import utcnow

__all__ = [
    "STAFF_ROLES",
    "AccountToken",
    "Couple",
    "LoginSession",
    "Practice",
    "Role",
    "Stage",
    "TokenPurpose",
    "User",
    "utcnow",
]
