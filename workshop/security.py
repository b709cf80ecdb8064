"""Password hashing, random tokens and safe redirects: small rules used across the app."""

import hashlib
import secrets
from urllib.parse import unquote, urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current defaults
# Verified against when an email is unknown, so a miss costs as much time as a hit.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; unknown accounts take the same time as known ones."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with parameters weaker than today's defaults."""
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> str:
    """A random URL-safe token for links and sessions."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What we store in place of a token: its sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


def safe_next_path(target: str | None) -> str | None:
    """The target if it is a path inside this app, else None.

    Browsers treat backslashes as slashes and ignore tabs and newlines, so a target is judged
    after repeated percent-decoding and that normalisation: only "/path" (never "//host",
    "/\\host", "scheme:...") survives.
    """
    if not target:
        return None
    decoded = target
    for _ in range(3):
        decoded = unquote(decoded)
    normalised = decoded.replace("\\", "/").strip()
    normalised = "".join(ch for ch in normalised if ch not in "\t\r\n")
    if not normalised.startswith("/") or normalised.startswith("//"):
        return None
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc:
        return None
    if any(ord(ch) < 32 for ch in decoded):
        return None
    return target
