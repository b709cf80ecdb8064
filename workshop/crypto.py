"""Encryption at rest for clinical text: note text, addenda and homework answers.

Values are Fernet tokens (AES-128-CBC with an HMAC-SHA256, so a changed byte is refused, not
read as something else) kept in ordinary Text columns. DATA_ENCRYPTION_KEY is a comma-separated
list of Fernet keys: the first encrypts, every one decrypts, which is what lets a key be rotated
(prepend a new key, run `flask rotate-key`, then drop the old one).

The key is read from the app's config whenever a value is written or read, so every process
that builds the app (web, CLI, RQ worker, the job thread) has it. The report render pool's
worker processes receive plain dicts already decrypted and never touch the database.
"""

import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app, has_app_context
from sqlalchemy import Text, bindparam, select, type_coerce, update
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

# Documented in the README; for a developer's own machine only.
DEVELOPMENT_KEY_FILE = "dev-data-key"


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted with any configured key (or was altered)."""


def parse_keys(raw: str) -> list[bytes]:
    """The keys in a DATA_ENCRYPTION_KEY value; ValueError naming the problem if any is bad."""
    keys = [part.strip().encode() for part in (raw or "").split(",") if part.strip()]
    if not keys:
        raise ValueError("DATA_ENCRYPTION_KEY is empty.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as error:
            raise ValueError(
                f"DATA_ENCRYPTION_KEY key #{position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from error
    return keys


@lru_cache(maxsize=8)
def _cipher_for(raw: str) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in parse_keys(raw)])


@lru_cache(maxsize=8)
def _primary_for(raw: str) -> Fernet:
    return Fernet(parse_keys(raw)[0])


def _configured_keys() -> str:
    if not has_app_context():
        raise RuntimeError("Encrypted columns are read and written inside an app context.")
    return current_app.config["DATA_ENCRYPTION_KEY"]


def cipher() -> MultiFernet:
    """The app's MultiFernet: encrypts with the first key, decrypts with any."""
    return _cipher_for(_configured_keys())


def encrypt(plain: str) -> str:
    return cipher().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as error:
        raise DecryptionError(
            "A stored value cannot be decrypted with DATA_ENCRYPTION_KEY: a key is missing "
            "from the list, or the value was altered."
        ) from error


class EncryptedText(TypeDecorator):
    """A str stored as a Fernet token in a Text column."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value (dict or list) stored as the Fernet token of its serialized text.

    Like the plain JSON type, a change made in place is not seen: assign a new value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else json.loads(decrypt(value))


def encrypted_columns(metadata) -> list[tuple[str, str]]:
    """(table, column) of every encrypted column in the models, found by its type, so that
    key rotation cannot forget a column added later (the migration keeps its own frozen copy)."""
    return [
        (table.name, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedJSON)
    ]


def rotate_column(connection: Connection, table, column: str, after_id: int, limit: int):
    """Re-encrypt with the first key up to `limit` rows with id > after_id; returns
    (rows seen, rows rewritten, last id seen). Rows already under the first key are left as
    they are, so running rotation again rewrites nothing."""
    raw = type_coerce(table.c[column], Text)  # the token as stored, not decrypted
    rows = connection.execute(
        select(table.c.id, raw).where(table.c.id > after_id).order_by(table.c.id).limit(limit)
    ).all()
    keys = _configured_keys()
    stale = [
        {"row_id": row_id, "old": token, "new": _rotated(keys, token)}
        for row_id, token in rows
        if token is not None and not _under_primary(keys, token)
    ]
    if stale:
        connection.execute(
            # Matching the old token too: a row the app saved meanwhile (already under the
            # first key) is not overwritten with an older value.
            update(table)
            .where(table.c.id == bindparam("row_id"), raw == bindparam("old", type_=Text))
            .values({column: bindparam("new", type_=Text)}),
            stale,
        )
    return len(rows), len(stale), rows[-1][0] if rows else after_id


def _under_primary(keys: str, token: str) -> bool:
    try:
        _primary_for(keys).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def _rotated(keys: str, token: str) -> str:
    try:
        return _cipher_for(keys).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise DecryptionError("A stored value cannot be decrypted with any key.") from error


def rotate_all(batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted value with the first key, one transaction per batch, so a
    long rotation holds no lock for long and an interrupted one resumes where it stopped.
    Returns the rows rewritten per table.column."""
    from workshop.extensions import db

    rewritten = {}
    for table_name, column in encrypted_columns(db.metadata):
        table = db.metadata.tables[table_name]
        name, after_id, total = f"{table_name}.{column}", 0, 0
        while True:
            with db.engine.begin() as connection:
                seen, changed, after_id = rotate_column(
                    connection, table, column, after_id, batch_size
                )
            total += changed
            if seen < batch_size:
                break
        rewritten[name] = total
    return rewritten
