"""A practice with two counselors' workshops, for the feed and reminder tests."""

from dataclasses import dataclass

import pytest

from tests.factories import make_couple, make_practice, make_user
from tests.feeds.builders import add_sessions, enroll, make_workshop, weekly_starts
from tests.feeds.ics import feed_path_on
from workshop.extensions import db
from workshop.models import EnrollmentStatus, Role

# A name that must never appear in another couple's feed.
MARKER_NAME = "Zebulon Quillfeather"


@dataclass
class FeedWorld:
    """Ids and emails; see the feed_world fixture."""

    workshop_id: int
    session_ids: list[int]
    counselor: str
    counselor_id: int
    co_counselor: str
    counselor2: str
    counselor2_id: int
    other_workshop_id: int
    other_session_id: int
    couple_id: int
    partner: str
    second_partner: str
    marker_couple_id: int
    marker_partner: str
    withdrawn_couple_id: int
    withdrawn_partner: str
    counselor2_couple_id: int
    counselor2_partner: str
    admin: str


@pytest.fixture
def feed_world(app) -> FeedWorld:
    """counselor leads a 12-session Berlin workshop (co-led) with two couples and one withdrawn;
    counselor2 leads another workshop with its own couple."""
    with app.app_context():
        practice = make_practice()
        admin = make_user(practice, Role.ADMIN)
        counselor = make_user(practice, Role.COUNSELOR, name="Dana Counselor")
        co_counselor = make_user(practice, Role.COUNSELOR, name="Eli Cocounselor")
        counselor2 = make_user(practice, Role.COUNSELOR, name="Fran Second")
        couple = make_couple(counselor, ("Alex", "Sam"))
        marker_couple = make_couple(counselor, (MARKER_NAME, "Morgan"))
        withdrawn = make_couple(counselor, ("Wren", "Quinn"))
        couple2 = make_couple(counselor2, ("Jordan", "Riley"))
        workshop = make_workshop(counselor, co_counselors=(co_counselor,))
        sessions = add_sessions(workshop, weekly_starts(12))
        for member in (couple, marker_couple):
            enroll(workshop, member)
        enroll(workshop, withdrawn, EnrollmentStatus.WITHDRAWN)
        other = make_workshop(counselor2, title="Kestrel evenings", timezone="America/New_York")
        other_sessions = add_sessions(other, weekly_starts(1, "America/New_York"))
        enroll(other, couple2)
        db.session.commit()
        return FeedWorld(
            workshop_id=workshop.id,
            session_ids=[session.id for session in sessions],
            counselor=counselor.email,
            counselor_id=counselor.id,
            co_counselor=co_counselor.email,
            counselor2=counselor2.email,
            counselor2_id=counselor2.id,
            other_workshop_id=other.id,
            other_session_id=other_sessions[0].id,
            couple_id=couple.id,
            partner=couple.partners[0].email,
            second_partner=couple.partners[1].email,
            marker_couple_id=marker_couple.id,
            marker_partner=marker_couple.partners[0].email,
            withdrawn_couple_id=withdrawn.id,
            withdrawn_partner=withdrawn.partners[0].email,
            counselor2_couple_id=couple2.id,
            counselor2_partner=couple2.partners[0].email,
            admin=admin.email,
        )


@pytest.fixture
def feed_path(make_browser):
    """The feed path a user's calendar page shows them (made on their first visit)."""

    def path_for(email: str) -> str:
        browser = make_browser()
        browser.login(email)
        response = browser.get("/calendar")
        assert response.status_code == 200
        return feed_path_on(response.get_data(as_text=True))

    return path_for
