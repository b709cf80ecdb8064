"""Rules for couples: adding them and inviting their partners."""

from workshop.auth.services import normalise_email, retire_links, send_invitation
from workshop.extensions import db
from workshop.models import Couple, Role, User
from workshop.practice.services import EmailTaken, ensure_email_free

__all__ = ["EmailTaken", "add_couple", "invite_partner", "update_partner"]


class PartnerHasLogin(Exception):
    """The partner already uses their account; their login email is theirs to change."""


def add_couple(counselor: User, partners: list[tuple[str, str | None]]) -> Couple:
    """Create a couple of two partners (name, email or None) and invite those with an email."""
    emails = [email for _, email in partners if email]
    for email in emails:
        ensure_email_free(email)
    couple = Couple(practice_id=counselor.practice_id, counselor=counselor)
    db.session.add(couple)
    for name, email in partners:
        couple.partners.append(_new_partner(counselor, name, email))
    db.session.flush()
    for partner in couple.partners:
        if partner.email:
            send_invitation(partner, invited_by=counselor)
    return couple


def update_partner(counselor: User, partner: User, name: str, email: str | None) -> bool:
    """Rename a partner or set the email of one without a login; True when an invite went out."""
    new_email = normalise_email(email) if email else None
    if new_email != partner.email:
        if partner.has_login:
            raise PartnerHasLogin
        if new_email is not None:
            ensure_email_free(new_email, allowed_owner=partner)
    partner.name = name
    if new_email == partner.email:
        return False
    partner.email = new_email
    retire_links(partner)
    if new_email is None:
        return False
    send_invitation(partner, invited_by=counselor)
    return True


def invite_partner(counselor: User, partner: User) -> bool:
    """(Re)send an invitation to a partner with an email and no password yet."""
    if not partner.email or partner.has_login:
        return False
    send_invitation(partner, invited_by=counselor)
    return True


def _new_partner(counselor: User, name: str, email: str | None) -> User:
    return User(
        practice_id=counselor.practice_id,
        role=Role.PARTNER,
        name=name,
        email=normalise_email(email) if email else None,
        timezone=counselor.timezone,
    )
