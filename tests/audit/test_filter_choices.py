"""The audit log's filters stay usable (and the page light) in a practice of thousands: staff
are listed by name, couples are found by typing a partner's name."""

import re

from tests.factories import make_couple, make_user
from tests.helpers import text_of
from tests.workshops.builders import field_error, input_value, user_id
from workshop.extensions import db
from workshop.models import Role, User


def options(page: str, field: str) -> dict[str, str]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select))


def shown(admin, query: str, ips: tuple[str, ...]) -> set[str]:
    page = text_of(admin.get("/practice/audit?" + query))
    return {ip for ip in ips if ip in page}


def test_user_filter_lists_staff_and_couples_are_typed_not_listed(app, admin, world):
    response = admin.get("/practice/audit")
    page = response.get_data(as_text=True)
    users = options(page, "user")
    with app.app_context():
        staff = {str(user_id(world.counselor)), str(user_id(world.admin))}
    assert staff <= set(users)
    assert str(world.partner_id) not in users
    assert '<select id="couple"' not in page
    assert input_value(page, "couple") == ""
    assert "A partner's name, or part of it." in text_of(response)
    assert "progress summary in Practice A:" in text_of(response)  # the admin's practice


def test_a_partners_name_in_any_case_or_part_finds_their_couples_events(admin, build, world):
    build.event(world.counselor, couple_id=world.couple_id, ip="192.0.2.11")  # Alex & Sam
    build.event(world.counselor, couple_id=world.other_couple_id, ip="192.0.2.12")  # Jordan & Riley
    build.event(world.counselor, ip="192.0.2.13")  # no couple
    ips = ("192.0.2.11", "192.0.2.12", "192.0.2.13")

    assert shown(admin, "couple=Sam", ips) == {"192.0.2.11"}
    assert shown(admin, "couple=alex", ips) == {"192.0.2.11"}
    assert shown(admin, "couple=ORDA", ips) == {"192.0.2.12"}
    assert shown(admin, "couple=%20riley%20", ips) == {"192.0.2.12"}  # stray spaces dropped
    assert shown(admin, "couple=", ips) == set(ips)
    assert shown(admin, "couple=Nobody", ips) == set()


def test_wildcards_typed_are_plain_characters(admin, build, world):
    build.event(world.counselor, couple_id=world.couple_id, ip="192.0.2.14")
    for typed in ("%25", "_", "A_ex"):
        assert shown(admin, f"couple={typed}", ("192.0.2.14",)) == set(), typed


def test_the_typed_name_stays_in_the_field_and_in_the_result(admin, build, world):
    build.event(world.counselor, couple_id=world.couple_id, ip="192.0.2.15")
    page = admin.get("/practice/audit?couple=Al").get_data(as_text=True)
    assert input_value(page, "couple") == "Al"
    assert "Alex &amp; Sam" in page
    assert "192.0.2.15" in page


def test_a_partner_of_another_practice_finds_nothing_here(app, admin, build, world):
    with build.database():
        outsider = db.session.get(User, user_id(world.other_practice_counselor))
        make_couple(outsider, ("Quinn", "Avery"))
    build.event(world.other_practice_counselor, ip="192.0.2.16")
    build.event(world.counselor, couple_id=world.couple_id, ip="192.0.2.17")

    assert shown(admin, "couple=Quinn", ("192.0.2.16", "192.0.2.17")) == set()


def test_an_overlong_name_is_a_field_error_with_the_text_kept(admin, build, world):
    build.event(world.counselor, couple_id=world.couple_id, ip="192.0.2.18")
    typed = "Alex" * 40

    response = admin.get(f"/practice/audit?couple={typed}")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert field_error(page, "couple") == "Type at most 120 characters."
    assert input_value(page, "couple") == typed
    assert "192.0.2.18" not in page  # no events until the filters are fixed


def test_an_unstorable_character_is_a_field_error_not_a_500(admin):
    response = admin.get("/practice/audit?couple=Al%00ex")
    assert response.status_code == 200
    assert "cannot be stored" in field_error(response.get_data(as_text=True), "couple")


def test_each_view_shows_the_filters_it_was_opened_with(app, admin, world):
    with app.app_context():
        counselor = str(user_id(world.counselor))
    filtered = "/practice/audit?user={}&couple=Sam&action=note.viewed&date_from=2026-03-01"

    plain_before = admin.get("/practice/audit").get_data(as_text=True)
    chosen = admin.get(filtered.format(counselor)).get_data(as_text=True)
    wrong = admin.get("/practice/audit?date_from=2026-13-45").get_data(as_text=True)
    plain_after = admin.get("/practice/audit").get_data(as_text=True)

    assert selected(chosen, "user") == counselor
    assert selected(chosen, "action") == "note.viewed"
    assert input_value(chosen, "couple") == "Sam"
    assert input_value(chosen, "date_from") == "2026-03-01"
    assert field_error(wrong, "date_from")
    assert input_value(wrong, "date_from") == "2026-13-45"  # as typed, to correct it
    for page in (plain_before, plain_after):
        assert selected(page, "user") == selected(page, "action") == ""
        assert input_value(page, "couple") == input_value(page, "date_from") == ""
        assert not field_error(page, "date_from")


def test_a_new_counselor_is_a_user_choice_at_once(app, admin, world):
    admin.get("/practice/audit")  # the filters as they were
    with app.app_context():
        practice = db.session.get(User, user_id(world.admin)).practice
        newcomer = make_user(practice, Role.COUNSELOR, name="Robin Newcomer")
        db.session.commit()
        newcomer_id = str(newcomer.id)

    page = admin.get("/practice/audit").get_data(as_text=True)

    assert options(page, "user")[newcomer_id] == "Robin Newcomer (counselor)"


def selected(page: str, field: str) -> str | None:
    """The value of the option selected in the select called `field`."""
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else None
