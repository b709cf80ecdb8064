"""What every template may use: the navigation for the user's role, and time formatting."""

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, has_request_context, url_for
from flask_login import current_user

from workshop.models import Role

# The largest id an INTEGER column holds: url_for_each builds its URLs around it.
ID_MARKER = 2_147_483_647

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


def navigation() -> dict:
    """The menu for the current user's role (empty for anonymous visitors)."""
    # Emails rendered from the command line have no request, and so no current_user at all.
    if not has_request_context() or not current_user.is_authenticated:
        return {"navigation": []}
    return {"navigation": NAVIGATION.get(current_user.role, [])}


def localtime(
    value: datetime | None, fmt: str = "%a %d %b %Y, %H:%M", zone: str | None = None
) -> str:
    """A UTC datetime shown in the viewer's timezone (or in `zone`)."""
    if value is None:
        return ""
    if zone is None:
        signed_in = has_request_context() and current_user.is_authenticated
        zone = current_user.timezone if signed_in else "UTC"
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


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
