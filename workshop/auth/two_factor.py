"""Two-factor sign-in: TOTP secrets, their QR code, single-use recovery codes.

Codes are checked against the TOTP time step they belong to. Each accepted step is stored, and
that step and older ones are refused afterwards, so a code cannot be used twice even within the
window in which it is valid. Recovery codes are random (60 bits), so a plain sha256 is enough to
store them: there is no dictionary to try against it.
"""

import hmac
import io
import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from workshop import audit
from workshop.audit import Action
from workshop.extensions import db
from workshop.models import PendingStep, RecoveryCode, TwoFactorCredential, User, utcnow
from workshop.security import token_digest, verify_password

ISSUER = "Couples Workshop"
RECOVERY_CODE_COUNT = 10
# A code of the step before or after the server's is accepted: phones' clocks drift.
DRIFT_STEPS = 1
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 3, 4


class WrongCode(Exception):
    """The code is not valid now, was already used, or is not one of the user's."""


class WrongPassword(Exception):
    """The password given to confirm a change is not the user's."""


class TwoFactorRequired(Exception):
    """The user's practice requires two-factor sign-in for staff: it cannot be turned off."""


def current_time() -> float:
    """The clock codes are checked against (tests replace it: no sleeping to move time)."""
    return time.time()


# --- reading ------------------------------------------------------------------------------------


def credential_of(user: User) -> TwoFactorCredential | None:
    return db.session.scalar(
        select(TwoFactorCredential).where(TwoFactorCredential.user_id == user.id)
    )


def has_two_factor(user: User) -> bool:
    credential = credential_of(user)
    return credential is not None and credential.is_enabled


def must_enrol(user: User) -> bool:
    """Staff of a practice that requires two-factor sign-in, who have not set it up yet."""
    return user.is_staff and user.practice.require_staff_two_factor and not has_two_factor(user)


def step_after_password(user: User) -> PendingStep | None:
    """What a login needs after a correct password: nothing, the second factor, or set-up."""
    if has_two_factor(user):
        return PendingStep.SECOND_FACTOR
    if must_enrol(user):
        return PendingStep.ENROLMENT
    return None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# --- enrolment ----------------------------------------------------------------------------------


def start_enrolment(user: User) -> TwoFactorCredential:
    """The user's unconfirmed credential, made with a fresh secret if there is none yet.

    Reloading the page keeps the secret, so a QR code already scanned stays good."""
    credential = credential_of(user)
    if credential is None:
        credential = TwoFactorCredential(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(credential)
        db.session.flush()
    return credential


def provisioning_uri(user: User, credential: TwoFactorCredential) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(credential.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG markup, drawn here: the secret never leaves the server.

    Safe to mark as markup: segno writes only its own elements and a fixed title; the URI
    (with the user's email) is encoded in the modules' geometry, never written as text."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=4, light="#fff",
        title="QR code for your authenticator app", svgclass="qr-code", lineclass=None,
    )  # fmt: skip
    return Markup(buffer.getvalue().decode())  # noqa: S704 # nosec B704


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on once the app's first code matches; returns recovery codes."""
    credential = credential_of(user)
    if credential is None or credential.is_enabled:
        raise WrongCode
    _accept_totp(credential, code)
    credential.enabled_at = utcnow()
    audit.record(user, Action.TWO_FACTOR_ENABLED, "user", user.id, user.couple_id)
    return replace_recovery_codes(user)


# --- checking codes -----------------------------------------------------------------------------


def verify_second_factor(user: User, code: str) -> str:
    """Accept a TOTP code ("app") or an unused recovery code ("recovery"), else WrongCode."""
    credential = credential_of(user)
    if credential is None or not credential.is_enabled:
        raise WrongCode
    if _looks_like_totp(code):
        _accept_totp(credential, code)
        return "app"
    _use_recovery_code(user, code)
    return "recovery"


def _looks_like_totp(code: str) -> bool:
    digits = _compact(code)
    return len(digits) == 6 and digits.isascii() and digits.isdigit()


def _accept_totp(credential: TwoFactorCredential, code: str) -> None:
    """Check the code against the steps around now; refuse a step used before."""
    if not _looks_like_totp(code):
        raise WrongCode  # hmac.compare_digest raises TypeError on non-ASCII text (fuzz-found)
    totp = pyotp.TOTP(credential.secret)
    typed = _compact(code)
    now_step = int(current_time() // totp.interval)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), typed):
            _claim_step(credential, step)
            return
    raise WrongCode


def _claim_step(credential: TwoFactorCredential, step: int) -> None:
    """Record the step as used, unless it (or a later one) already was: one conditional
    UPDATE, so two requests racing with the same code cannot both pass."""
    claimed = db.session.execute(
        update(TwoFactorCredential)
        .where(
            TwoFactorCredential.id == credential.id,
            or_(
                TwoFactorCredential.last_used_step.is_(None),
                TwoFactorCredential.last_used_step < step,
            ),
        )
        .values(last_used_step=step)
    )
    if claimed.rowcount != 1:
        raise WrongCode  # replayed, or older than a code already used


def _use_recovery_code(user: User, code: str) -> None:
    # A conditional UPDATE, like _claim_step: a code is used once even by racing requests.
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        raise WrongCode
    audit.record(user, Action.RECOVERY_CODE_USED, "user", user.id, user.couple_id)


# --- recovery codes and turning it off ----------------------------------------------------------


def replace_recovery_codes(user: User) -> list[str]:
    """Ten new codes for the user; the old ones stop working. Only digests are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_digest(code)) for code in codes
    )
    return codes


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    """New recovery codes, after the password confirms it is the user at the keyboard."""
    if not has_two_factor(user):
        raise WrongCode
    _check_password(user, password)
    codes = replace_recovery_codes(user)
    audit.record(user, Action.RECOVERY_CODES_REPLACED, "user", user.id, user.couple_id)
    return codes


def disable_two_factor(user: User, password: str, code: str) -> None:
    """Turn two-factor sign-in off: needs the password and a current (or recovery) code."""
    if user.is_staff and user.practice.require_staff_two_factor:
        raise TwoFactorRequired
    _check_password(user, password)
    verify_second_factor(user, code)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.delete(credential_of(user))
    audit.record(user, Action.TWO_FACTOR_DISABLED, "user", user.id, user.couple_id)


def _check_password(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password):
        raise WrongPassword


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
        for _ in range(RECOVERY_GROUPS)
    )
    return "-".join(groups)


def _compact(code: str) -> str:
    """The code as typed, without spaces and dashes, lower case: "ABCD-efgh" = "abcdefgh"."""
    return "".join(ch for ch in code if ch not in " -\t").lower()


def _recovery_digest(code: str) -> str:
    return token_digest(_compact(code))
