"""Fixtures for the partner's homework pages: the world's couple in a workshop of the world's
counselor, the built-in exercises loaded, and a browser for each partner."""

from dataclasses import dataclass

import pytest

from tests.homework.builders import PartnerHomework


@dataclass
class Couple:
    """The world's couple in the counselor's workshop: ids and emails."""

    workshop_id: int
    couple_id: int
    partner_ids: list[int]  # in id order: the world's partner first
    emails: list[str]


@pytest.fixture
def hw(app, world) -> PartnerHomework:
    """Workshops, couples, exercises, assignments and answers straight in the database."""
    return PartnerHomework(app, world)


@pytest.fixture
def couple(hw, world) -> Couple:
    hw.library()
    workshop = hw.workshop(couples=(world.couple_id,))
    return Couple(
        workshop.id,
        world.couple_id,
        hw.partner_ids(world.couple_id),
        [world.partner, world.other_partner_same_couple],
    )


@pytest.fixture
def alex(browser, world):
    """The browser, logged in as the world's partner (Alex)."""
    browser.login(world.partner)
    return browser


@pytest.fixture
def sam(make_browser, world):
    """A second browser, logged in as Alex's partner (Sam)."""
    other = make_browser()
    other.login(world.other_partner_same_couple)
    return other


@pytest.fixture
def counselor_browser(make_browser, world):
    """A browser logged in as the world's counselor."""
    other = make_browser()
    other.login(world.counselor)
    return other
