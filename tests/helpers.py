"""A small browser over Flask's test client: log in, read pages, send forms with CSRF."""

import re
from contextlib import contextmanager
from html import unescape

from sqlalchemy import event

from tests.factories import PASSWORD
from workshop.extensions import db

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    """What a person does in the app: open pages, fill forms, log in and out."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self, page_url: str = "/login") -> str:
        """The CSRF token a page of the app gives this browser."""
        response = self.client.get(page_url, follow_redirects=True)
        found = CSRF_META.search(response.get_data(as_text=True))
        assert found, f"no CSRF token on {page_url}"
        return unescape(found.group(1))

    def post(self, url: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        """Send a form as a browser would: with the CSRF token of the page it came from."""
        token = self.csrf_token(token_from or url)
        return self.client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)

    def login(self, email: str, password: str = PASSWORD, follow_redirects: bool = False):
        return self.post(
            "/login", {"email": email, "password": password}, follow_redirects=follow_redirects
        )

    def logout(self):
        return self.post("/logout", token_from="/")

    def cookie(self, name: str = "workshop_session") -> str | None:
        found = self.client.get_cookie(name)
        return found.value if found else None


def text_of(response) -> str:
    """The response body as text with HTML entities decoded, for searching."""
    return unescape(response.get_data(as_text=True))


CSRF_VALUE = re.compile(r'(csrf[-_]token"[^>]*(?:content|value)=")[^"]+"')


def without_tokens(page: str) -> str:
    """The page with CSRF token values blanked: they carry a timestamp, so two otherwise
    identical pages differ when rendered in different seconds."""
    return CSRF_VALUE.sub(r"\1", page)


@contextmanager
def counting_queries(app):
    """Count the SQL statements sent while the block runs."""
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
