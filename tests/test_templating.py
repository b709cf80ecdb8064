"""Times are shown on the viewer's clock: the zone is looked up once per request, never kept
from one request (or one viewer) to the next."""

import re
from datetime import UTC, datetime

from flask_login import login_user

from tests import factories
from workshop.extensions import db
from workshop.models import Role, User
from workshop.templating import localtime

MIDNIGHT_UTC = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def _viewer(timezone: str):
    practice = factories.make_practice()
    user = factories.make_user(practice, role=Role.COUNSELOR, timezone=timezone)
    db.session.commit()
    return user


def _shown_to(app, user) -> str:
    """Midnight UTC as one request of `user` (None: anonymous) formats it, in a context of its
    own as every real request has."""
    user_id = user.id if user is not None else None
    with app.app_context(), app.test_request_context("/"):
        if user_id is not None:
            login_user(db.session.get(User, user_id))
        return localtime(MIDNIGHT_UTC, "%H:%M")


def test_each_viewer_sees_times_on_their_own_clock(app):
    with app.app_context():
        tokyo, new_york = _viewer("Asia/Tokyo"), _viewer("America/New_York")
        assert _shown_to(app, tokyo) == "09:00"
        assert _shown_to(app, new_york) == "19:00"
        assert _shown_to(app, None) == "00:00"  # anonymous: UTC


def test_a_changed_timezone_shows_on_the_next_request(app):
    with app.app_context():
        viewer = _viewer("Asia/Tokyo")
        assert _shown_to(app, viewer) == "09:00"
        viewer.timezone = "Europe/Lisbon"
        db.session.commit()
        assert _shown_to(app, viewer) == "00:00"


def test_a_zone_given_wins_over_the_viewers(app):
    with app.app_context():
        viewer = _viewer("Asia/Tokyo")
        with app.test_request_context("/"):
            login_user(viewer)
            assert localtime(MIDNIGHT_UTC, "%H:%M") == "09:00"
            assert localtime(MIDNIGHT_UTC, "%H:%M", zone="America/New_York") == "19:00"
        assert localtime(MIDNIGHT_UTC, "%H:%M") == "00:00"  # no request: UTC


def _menu_links(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)"( aria-current="page")?', nav)


def test_each_role_gets_its_own_menu_with_the_current_page_marked(browser, world):
    browser.login(world.counselor)
    counselor_menu = _menu_links(browser.get("/agenda").get_data(as_text=True))
    assert [href for href, _ in counselor_menu] == [
        "/", "/agenda", "/workshops/", "/couples/", "/calendar", "/curriculum/",
        "/exercises/", "/notes/search", "/settings",
    ]  # fmt: skip
    assert [href for href, current in counselor_menu if current] == ["/agenda"]
    browser.logout()
    browser.login(world.partner)
    partner_menu = _menu_links(browser.get("/homework").get_data(as_text=True))
    assert [href for href, _ in partner_menu] == [
        "/",
        "/homework",
        "/my/progress",
        "/calendar",
        "/settings",
    ]
    assert [href for href, current in partner_menu if current] == ["/homework"]


def test_the_menu_follows_where_the_app_is_mounted(browser, world):
    """The menu's URLs are built once per mount point: under a prefix they carry it."""
    browser.login(world.counselor)
    mounted = browser.get("/agenda", environ_overrides={"SCRIPT_NAME": "/practice-app"})
    hrefs = [href for href, _ in _menu_links(mounted.get_data(as_text=True))]
    assert hrefs[:2] == ["/practice-app/", "/practice-app/agenda"]
    plain = [href for href, _ in _menu_links(browser.get("/agenda").get_data(as_text=True))]
    assert plain[:2] == ["/", "/agenda"]
