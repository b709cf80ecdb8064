"""What every template may use: the navigation for the user's role, and time formatting."""

import functools
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, request, url_for
from flask_login import current_user

from workshop.models import Role

# The largest id an INTEGER column holds: url_for_each builds its URLs around it.
ID_MARKER = 2_147_483_647
VIEWER_TIMEZONE_KEY = "workshop.viewer_timezone"

NAVIGATION = {
    Role.ADMIN: [
        ("main.home", "Home"),
        ("practice.list_counselors", "Counselors"),
        ("practice.edit_branding", "Branding"),
        ("curriculum.list_stages", "Curriculum"),
        ("audit.list_events", "Audit log"),
    ],
    Role.COUNSELOR: [
        ("main.home", "Home"),
        ("scheduling.list_agenda", "Agenda"),
        ("workshops.list_workshops", "Workshops"),
        ("couples.list_couples", "Couples"),
        ("feeds.show_calendar", "Calendar"),
        ("curriculum.list_stages", "Curriculum"),
        ("exercises.list_exercises", "Exercises"),
        ("notes.search_notes", "Notes"),
    ],
    Role.PARTNER: [
        ("main.home", "Home"),
        ("homework.list_assignments", "Homework"),
        ("reporting.show_my_progress", "Progress"),
        ("feeds.show_calendar", "Calendar"),
    ],
}


def init_app(app: Flask) -> None:
    app.context_processor(navigation)
    app.add_template_filter(localtime)
    app.add_template_global(url_for_each)


def compile_templates(app: Flask) -> int:
    """Compile every page template now, into the app's template cache; returns how many.

    gunicorn's master calls this before it forks: each worker starts with the templates
    compiled, and a worker recycled under load (max_requests) does not make its first visitors
    wait for compilation (several milliseconds a template) while requests queue behind them."""
    environment = app.jinja_env
    names = environment.list_templates()
    for name in names:
        environment.get_template(name)
    return len(names)


def navigation() -> dict:
    """The menu for the current user's role (empty for anonymous visitors)."""
    # Emails rendered from the command line have no request, and so no current_user at all.
    if not has_request_context() or not current_user.is_authenticated:
        return {"navigation": []}
    return {"navigation": _menu(current_user.role, request.script_root)}


@functools.cache
def _menu(role: Role, script_root: str) -> tuple[tuple[str, str, str], ...]:
    """(endpoint, URL, label) of a role's menu, built once per mount point: every page shows
    it, and a url_for per entry on every page adds up. The URLs depend only on the routes
    (the same in every app) and on where the app is mounted."""
    entries = NAVIGATION.get(role, ())
    return tuple((endpoint, url_for(endpoint), label) for endpoint, label in entries)


def localtime(
    value: datetime | None, fmt: str = "%a %d %b %Y, %H:%M", zone: str | None = None
) -> str:
    """A UTC datetime shown in the viewer's timezone (or in `zone`)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone or viewer_timezone())).strftime(fmt)


def viewer_timezone() -> str:
    """The signed-in viewer's timezone (UTC for anyone else), looked up once per request: a
    page formats dozens of times, and each look through current_user costs more than the
    formatting itself."""
    if not has_request_context():
        return "UTC"
    # Kept in the request's own environ, not in g: an app context may outlive one request
    # (several test requests inside one), a request's environ never does.
    environ = request.environ
    zone = environ.get(VIEWER_TIMEZONE_KEY)
    if zone is None:
        viewer = current_user._get_current_object()
        zone = viewer.timezone if viewer.is_authenticated else "UTC"
        environ[VIEWER_TIMEZONE_KEY] = zone
    return zone


def url_for_each(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """url_for(endpoint, key=id, **values) for many ids at the cost of one url_for, made on
    the first call (a list's links cost a url_for per row otherwise, a large share of
    rendering the page)."""
    built = []

    def url(id_: int) -> str:
        if not built:
            pattern = url_for(endpoint, **values, **{key: ID_MARKER})
            head, found, tail = pattern.partition(str(ID_MARKER))
            if found and str(ID_MARKER) not in tail:
                built.append((head, tail))
            else:  # the marker is a real id here: build each URL
                built.append(None)
        if built[0] is None:
            return url_for(endpoint, **values, **{key: id_})
        head, tail = built[0]
        return f"{head}{id_}{tail}"

    return url
