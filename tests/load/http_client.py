"""A small HTTP client for the load test: its own cookies, CSRF tokens read from the pages,
forms and JSON posts, and redirects reported instead of followed (the test wants the 302)."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html import unescape
from http.cookiejar import CookieJar

from tests.factories import PASSWORD

REQUEST_TIMEOUT = 60  # seconds; a request that takes longer fails the test, it never hangs it
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION_INPUT = re.compile(r'<input[^>]*\bname="version"[^>]*>')
VALUE = re.compile(r'\bvalue="(-?\d*)"')


@dataclass
class Answer:
    status: int
    text: str
    location: str = ""

    def json(self) -> dict:
        return json.loads(self.text)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # urllib then raises HTTPError(302), which Client turns into an Answer


class Client:
    """One person in one browser: a cookie jar, the last CSRF token seen."""

    def __init__(self, base_url: str):
        if not base_url.startswith("http://127.0.0.1:"):
            raise ValueError("the load test talks to its own server on 127.0.0.1 only")
        self.base_url = base_url
        self.token = ""
        self.statuses: list[int] = []  # every status this client received, for the 5xx check
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _KeepRedirects()
        )

    def get(self, path: str) -> Answer:
        answer = self._send(self._request(path))
        found = CSRF_META.search(answer.text)
        if found:
            self.token = unescape(found.group(1))
        return answer

    def follow(self, answer: Answer) -> Answer:
        """The page a redirect leads to (where the flashed message is shown)."""
        return self.get(urllib.parse.urlsplit(answer.location).path)

    def post_form(self, path: str, fields: dict) -> Answer:
        body = urllib.parse.urlencode({**fields, "csrf_token": self.token}, doseq=True).encode()
        request = self._request(path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._send(request)

    def post_json(self, path: str, payload: dict) -> Answer:
        request = self._request(path, data=json.dumps(payload).encode(), method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        request.add_header("X-CSRFToken", self.token)
        return self._send(request)

    def login(self, email: str) -> None:
        self.get("/login")
        answer = self.post_form("/login", {"email": email, "password": PASSWORD})
        if answer.status != 302:
            raise AssertionError(f"login of {email} answered {answer.status}")

    def _request(self, path: str, **kwargs) -> urllib.request.Request:
        # Only ever the test's own server on 127.0.0.1 (checked in __init__).
        return urllib.request.Request(self.base_url + path, **kwargs)  # noqa: S310

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                answer = Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.read().decode(), error.headers.get("Location", ""))
        self.statuses.append(answer.status)
        return answer


def version_on(page: str) -> int | None:
    """The record version a form page was rendered with (its hidden `version` field)."""
    tag = VERSION_INPUT.search(page)
    value = VALUE.search(tag.group(0)) if tag else None
    return int(value.group(1)) if value and value.group(1) else None


def text_of(page: str) -> str:
    return unescape(page)
