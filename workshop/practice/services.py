"""Rules for running a practice: inviting staff, branding its reports."""

from workshop import audit
from workshop.audit import Action
from workshop.auth.services import (
    find_user_by_email,
    normalise_email,
    retire_links,
    send_invitation,
)
from workshop.auth.sessions import end_all_sessions_of
from workshop.extensions import db
from workshop.models import Role, User


class EmailTaken(Exception):
    """Another account already uses this email address (`.email`, normalised)."""

    def __init__(self, email: str):
        super().__init__(email)
        self.email = email


def ensure_email_free(email: str, allowed_owner: User | None = None) -> None:
    """Raise EmailTaken unless the address is unused (or used by `allowed_owner`)."""
    owner = find_user_by_email(email)
    if owner is not None and owner is not allowed_owner:
        raise EmailTaken(normalise_email(email))


def invite_counselor(admin: User, name: str, email: str) -> User:
    """Create a counselor in the admin's practice and email them an invitation."""
    ensure_email_free(email)
    counselor = User(
        practice_id=admin.practice_id,
        role=Role.COUNSELOR,
        name=name,
        email=normalise_email(email),
        timezone=admin.timezone,
    )
    db.session.add(counselor)
    db.session.flush()
    send_invitation(counselor, invited_by=admin)
    return counselor


def resend_staff_invitation(admin: User, staff: User) -> None:
    """Send a fresh invitation link to staff who have not chosen a password yet."""
    send_invitation(staff, invited_by=admin)


# --- branding on reports ------------------------------------------------------------------------

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4000  # pixels; a bigger image is a mistake (or a decompression bomb)
# The file's first bytes decide its type, never its name or the browser's Content-Type.
LOGO_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


class LogoRefused(ValueError):
    """The upload is not a PNG or JPEG of at most 1 MB (the message says why, for the form)."""


def logo_mime(content: bytes) -> str:
    """The logo's MIME type from its magic bytes, after checking that it really is one image.

    SVG (and anything else) is refused: an SVG can carry scripts and links into the report."""
    if not content:
        raise LogoRefused("The file is empty.")
    if len(content) > LOGO_MAX_BYTES:
        raise LogoRefused("Choose an image of at most 1 MB.")
    mime = next((m for sig, m in LOGO_SIGNATURES.items() if content.startswith(sig)), None)
    if mime is None:
        raise LogoRefused("Choose a PNG or JPEG image (other kinds, SVG included, are refused).")
    _check_decodes(content, mime)
    return mime


def _check_decodes(content: bytes, mime: str) -> None:
    """Pillow reads the header and checks the structure (without decoding the pixels)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content), formats=[PILLOW_FORMATS[mime]]) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoRefused("This image is damaged or incomplete; choose another file.") from None
    if max(width, height) > LOGO_MAX_SIDE:
        raise LogoRefused(f"Choose an image at most {LOGO_MAX_SIDE} pixels wide and high.")


def update_branding(
    admin: User, name: str, paper_size: str, logo: bytes | None, remove_logo: bool
) -> None:
    """Set the admin's own practice's name, report paper size and logo (checked first)."""
    practice = admin.practice
    practice.name = name
    practice.paper_size = paper_size
    if logo is not None:
        practice.logo_mime = logo_mime(logo)
        practice.logo = logo
    elif remove_logo:
        practice.logo = None
        practice.logo_mime = None
    db.session.flush()


# --- sign-in: the two-factor policy, disabled accounts -------------------------------------------


def set_sign_in_policy(admin: User, require_staff_two_factor: bool) -> None:
    """Whether the admin's practice requires two-factor sign-in for staff (from next login)."""
    admin.practice.require_staff_two_factor = require_staff_two_factor


def disable_account(admin: User, account: User) -> None:
    """Stop the account from logging in, and end its logins everywhere at once."""
    if account.id == admin.id:
        raise ValueError("an admin cannot disable their own account")
    account.is_active = False
    end_all_sessions_of(account)
    retire_links(account)  # a reset link sent earlier must not open the account again
    audit.record(admin, Action.ACCOUNT_DISABLED, "user", account.id, account.couple_id)


def enable_account(admin: User, account: User) -> None:
    """Let the account log in again (with its own password; no session comes back)."""
    account.is_active = True
    audit.record(admin, Action.ACCOUNT_ENABLED, "user", account.id, account.couple_id)
