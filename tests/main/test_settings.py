"""Everyone chooses the clock their times are shown on."""

from sqlalchemy import select

from tests.helpers import text_of
from workshop.extensions import db
from workshop.models import User


def timezone_of(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.timezone).where(User.email == email))


def test_partner_sets_their_own_timezone(app, browser, world):
    browser.login(world.partner)
    response = browser.post("/settings", {"timezone": "Europe/Lisbon"})
    assert response.status_code == 302
    assert timezone_of(app, world.partner) == "Europe/Lisbon"
    assert timezone_of(app, world.other_partner_same_couple) == "UTC"


def test_unknown_timezone_is_refused_on_the_field(app, browser, world):
    browser.login(world.counselor)
    response = browser.post("/settings", {"timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Choose a timezone from the list." in text_of(response)
    assert timezone_of(app, world.counselor) == "UTC"


def test_settings_need_a_login(client):
    assert client.get("/settings").headers["Location"].startswith("/login")
