"""The audit log's filters stay usable (and the page light) in a practice of thousands: staff
are listed by name, couples are found by typing a partner's name."""

import re

from tests.factories import make_couple
from tests.helpers import text_of
from tests.workshops.builders import field_error, input_value, user_id
from workshop.extensions import db
from workshop.models import User


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
