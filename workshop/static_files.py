"""Static files under fingerprinted names, cached by browsers for a year.

`url_for('static', filename='css/app.css')` gives `/static/css/app.<hash>.css`, the hash taken
from the file's content. A browser may keep that URL forever (`immutable`): a changed file gets
a new name, so nobody ever sees a stale stylesheet after a deploy, and returning visitors load
no static file at all. A name whose hash is not the file's current one (a page cached before a
deploy) still gets the file, but only with a short cache life; so does the plain name.
"""

import hashlib
import os
import re

from flask import Flask, current_app, send_from_directory

FINGERPRINT_LENGTH = 12
ONE_YEAR = 365 * 24 * 60 * 60
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{FINGERPRINT_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)

_digests: dict[tuple[str, str, int], str] = {}


def init_app(app: Flask) -> None:
    """Fingerprint the URLs that url_for builds for "static", and serve those names."""
    if app.has_static_folder:
        app.url_defaults(_fingerprint_static_urls)
        app.view_functions["static"] = send_static_file


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted_name(values["filename"])


def fingerprinted_name(filename: str) -> str:
    """`css/app.css` → `css/app.<first 12 hex of its sha256>.css` (unchanged if not a file)."""
    stem, dot, suffix = filename.rpartition(".")
    digest = content_digest(filename)
    if not dot or "/" in suffix or digest is None:
        return filename
    return f"{stem}.{digest}.{suffix}"


def content_digest(filename: str) -> str | None:
    """The start of the file's sha256, recomputed only when the file changes (its mtime)."""
    folder = current_app.static_folder
    path = os.path.join(folder, filename)
    try:
        modified = os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return None
    key = (folder, filename, modified)
    if key not in _digests:
        with open(path, "rb") as handle:
            _digests[key] = hashlib.file_digest(handle, "sha256").hexdigest()[:FINGERPRINT_LENGTH]
    return _digests[key]


def send_static_file(filename: str):
    """Serve a static file by its fingerprinted or plain name, cached as long as is safe."""
    original, digest = split_fingerprint(filename)
    current = digest is not None and content_digest(original) == digest
    response = send_from_directory(
        current_app.static_folder, original, max_age=ONE_YEAR if current else 0
    )
    if current:
        response.cache_control.public = True
        response.cache_control.immutable = True
    else:
        # Revalidate every time (a cheap 304 thanks to the ETag): this name may change content.
        response.cache_control.no_cache = True
    return response


def split_fingerprint(filename: str) -> tuple[str, str | None]:
    """`css/app.0123456789ab.css` → (`css/app.css`, `0123456789ab`); a plain name → (name, None)."""
    folder, slash, name = filename.rpartition("/")
    match = FINGERPRINTED.match(name)
    if match is None:
        return filename, None
    return f"{folder}{slash}{match['stem']}{match['suffix']}", match["digest"]
