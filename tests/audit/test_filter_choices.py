"""The audit log's filters stay usable (and the page light) in a practice of thousands: staff
are listed by name, partners are reached through their couple."""

import re

from tests.workshops.builders import user_id


def options(page: str, field: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select))


def test_user_filter_lists_staff_and_couple_filter_lists_couples_by_name(app, admin, world):
    page = admin.get("/practice/audit").get_data(as_text=True)
    users = options(page, "user")
    with app.app_context():
        staff = {str(user_id(world.counselor)), str(user_id(world.admin))}
    assert staff <= set(users)
    assert str(world.partner_id) not in users
    couples = options(page, "couple")
    assert couples[str(world.couple_id)] == "Alex &amp; Sam"
    assert couples[str(world.other_couple_id)] == "Jordan &amp; Riley"


def test_a_chosen_couple_stays_selected_and_filters(admin, world):
    page = admin.get(f"/practice/audit?couple={world.couple_id}").get_data(as_text=True)
    assert re.search(rf'<option value="{world.couple_id}" selected>Alex &amp; Sam</option>', page)
    assert "Choose a couple from the list." not in page


def test_a_couple_of_another_practice_is_refused_with_a_message(admin, world):
    response = admin.get("/practice/audit?couple=999999")
    assert "Choose a couple from the list." in response.get_data(as_text=True)
