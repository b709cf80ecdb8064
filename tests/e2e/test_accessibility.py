"""Every main page, for each demo role, at phone and desktop size, passes axe and the Nu checker.

The pages are found as a person finds them: from the role's home page, following the links the
app shows (one page per address shape, so /couples/1 and /couples/2 count once). Forms shown
again with their errors are audited too. The journeys audit their own pages; this covers the rest.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.e2e.audit import audit_page, watch_documents

PASSWORD = "workshop-demo"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
ROLES = {
    "admin": "admin@example.org",
    "counselor": "counselor@example.org",
    "partner": "alex@example.org",
}
# Pages each role must reach, as address shapes: proof that the crawl saw the product.
MUST_VISIT = {
    "admin": {
        "/",
        "/practice/counselors",
        "/practice/counselors/invite",
        "/practice/audit",
        "/settings",
    },
    "counselor": {
        "/workshops/N",
        "/workshops/N/roster",
        "/workshops/N/review",
        "/couples/N",
        "/sessions/N",
        "/notes/N",
        "/exercises/N",
        "/assignments/N",
        "/workshops/N/couples/N/reports",
        "/agenda/week",
    },
    "partner": {"/", "/homework", "/homework/N", "/my/progress", "/calendar"},
}
# Links that download a file or leave the page's HTML: not pages to audit.
NOT_PAGES = re.compile(r"\.(ics|pdf|csv|zip|json|svg|png)$|^/static/|^/feeds/|/download")
MAX_PAGES = 80
# Forms to send empty, reached from a start page by following links whose path matches each
# pattern in turn: (role, start, [patterns]).
FORMS_WITH_ERRORS = [
    ("counselor", "/workshops/", [r"^/workshops/new$"]),
    ("counselor", "/workshops/", [r"^/workshops/\d+$", r"/sessions/new$"]),
    ("counselor", "/couples/", [r"^/couples/new$"]),
    ("counselor", "/exercises/", [r"^/exercises/new$"]),
    ("admin", "/practice/counselors", [r"/invite$"]),
    ("partner", "/homework", [r"^/homework/\d+$"]),
]


def shape(path: str) -> str:
    """The address with its ids blanked: one audit per kind of page."""
    return re.sub(r"\d+", "N", path)


def log_in(page, base_url: str, email: str) -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    assert urlparse(page.url).path != "/login", f"{email} could not log in"


def in_app_links(page, base_url: str) -> list[str]:
    """The app's own page addresses linked from the current page."""
    found = []
    for href in page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))"
    ):
        address = urlparse(urljoin(page.url, href))
        if f"{address.scheme}://{address.netloc}" == base_url and not NOT_PAGES.search(
            address.path
        ):
            found.append(address.path + (f"?{address.query}" if address.query else ""))
    return found


def crawl_and_audit(page, base_url: str, label: str) -> set[str]:
    """Audit every page reachable by links from the current one; the shapes visited."""
    queue, shapes = [urlparse(page.url).path], set()
    while queue and len(shapes) < MAX_PAGES:
        address = queue.pop(0)
        if shape(address) in shapes:
            continue
        shapes.add(shape(address))
        response = page.goto(base_url + address)
        assert response.ok, f"{label}: {address} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        audit_page(page, f"{label} {address}")
        assert page.title().split(" · ")[0].strip(), (
            f"{label}: the title of {address} names no page"
        )
        queue.extend(in_app_links(page, base_url))
    return shapes


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, chromium):
    """A fresh browser tab (own cookies) at phone or desktop size."""
    context = chromium.new_context(viewport=VIEWPORTS[request.param])
    watch_documents(context)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_passes_axe_and_is_kept_for_the_html_check(
    live_server, sized_page, role
):
    log_in(sized_page, live_server.url, ROLES[role])
    visited = crawl_and_audit(sized_page, live_server.url, f"{role}@{sized_page.viewport_name}")
    assert MUST_VISIT[role] <= visited, f"not reached: {MUST_VISIT[role] - visited}"


def submit_empty(page) -> None:
    """Clear the page's main form and send it, past the browser's own checks."""
    form = page.locator("main form.form").first
    for box in form.locator(
        "input[type=text], input[type=email], input:not([type]), textarea"
    ).all():
        if box.is_visible() and box.is_editable():
            box.fill("")
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("[type=submit]").last.click()
    page.wait_for_load_state()


def follow(page, pattern: str) -> None:
    """Click the first link of the page's main content whose path matches the pattern."""
    for link in page.locator("main a[href]").all():
        if re.search(pattern, urlparse(link.get_attribute("href")).path):
            link.click()
            page.wait_for_load_state()
            return
    pytest.fail(f"no link matching {pattern} on {page.url}")


@pytest.mark.parametrize(("role", "start", "patterns"), FORMS_WITH_ERRORS)
def test_forms_showing_their_errors_pass_axe(live_server, sized_page, role, start, patterns):
    log_in(sized_page, live_server.url, ROLES[role])
    sized_page.goto(live_server.url + start)
    for pattern in patterns:
        follow(sized_page, pattern)
    submit_empty(sized_page)
    summary = sized_page.locator("[data-error-summary]")
    assert summary.is_visible(), f"no error summary after sending {sized_page.url} empty"
    saved = audit_page(
        sized_page, f"{role}@{sized_page.viewport_name} errors {urlparse(sized_page.url).path}"
    )
    assert "data-error-summary" in saved.read_text(), "the HTML check must see the errors too"


def test_login_failure_and_password_reset_pages_pass_axe(live_server, sized_page):
    page, base = sized_page, live_server.url
    page.goto(f"{base}/login")
    audit_page(page, f"anonymous@{page.viewport_name} login")
    page.get_by_label("Email").fill("nobody@example.org")  # no account: locks nobody out
    page.get_by_label("Password").fill("not the password")
    page.locator("main form [type=submit]").click()
    assert page.get_by_role("alert").is_visible()
    saved = audit_page(page, f"anonymous@{page.viewport_name} login failed")
    assert 'role="alert"' in saved.read_text(), "the HTML check must see the failed login"
    page.goto(f"{base}/password/forgot")
    audit_page(page, f"anonymous@{page.viewport_name} forgot password")
    submit_empty(page)
    audit_page(page, f"anonymous@{page.viewport_name} forgot password errors")
