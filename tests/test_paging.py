"""Every paginated list answers a page number it cannot have (huge, zero, negative, not a
number) with a page or a 404, never a 500: a huge number once overflowed the database's
OFFSET (found on the audit log)."""

import pytest

from tests.workshops.builders import Builder

HUGE = 10**18
PAGED_LISTS = [
    ("admin", "/practice/audit"),
    ("admin", "/practice/partners"),
    ("counselor", "/couples/"),
    ("counselor", "/workshops/"),
    ("counselor", "/workshops/{workshop}/homework"),
    ("counselor", "/couples/{couple}/notes"),
    ("counselor", "/workshops/{workshop}/couples/{couple}/reports"),
    ("counselor", "/notes/search?q=trust"),
    ("partner", "/homework"),
]


@pytest.mark.parametrize(("who", "url"), PAGED_LISTS)
@pytest.mark.parametrize("page", [HUGE, -HUGE, 0, -1, "x"])
def test_an_impossible_page_number_is_a_page_or_a_404(app, world, browser, who, url, page):
    workshop = Builder(app, world).workshop(couples=(world.couple_id,))
    browser.login(getattr(world, who))
    address = url.format(workshop=workshop.id, couple=world.couple_id)
    joiner = "&" if "?" in address else "?"

    response = browser.get(f"{address}{joiner}page={page}")

    assert response.status_code in (200, 404)
