"""A counselor enrolls couples up to capacity, withdraws them, and shares the roster with
co-counselors."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.helpers import text_of
from tests.workshops.builders import field_error, input_value
from workshop.extensions import db
from workshop.models import Couple, Enrollment, Practice, Role, User
from workshop.workshops import queries

NEW_COUPLE = {
    "first_name": "Robin",
    "first_email": "robin@example.org",
    "second_name": "Casey",
    "second_email": "casey@example.org",
}


def roster_of(app, workshop_id: int) -> dict[int, str]:
    """couple id -> enrollment status."""
    with app.app_context():
        rows = db.session.execute(
            select(Enrollment.couple_id, Enrollment.status).where(
                Enrollment.workshop_id == workshop_id
            )
        )
        return dict(rows.all())


def enrollment_id(app, workshop_id: int, couple_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.workshop_id == workshop_id, Enrollment.couple_id == couple_id
            )
        )


def offered_couples(page: str) -> list[str]:
    """The couple ids the enroll form offers."""
    select_tag = re.search(r'<select[^>]*name="couple".*?</select>', page, re.DOTALL)
    return re.findall(r'value="(\d+)"', select_tag.group(0)) if select_tag else []


def test_counselor_enrolls_couples_and_sees_the_roster(app, counselor, build, world):
    second = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(capacity=3)

    # The couples added most recently come first.
    assert offered_couples(text_of(counselor.get(workshop.url("/roster")))) == [
        str(second),
        str(world.couple_id),
    ]
    first = counselor.post(workshop.url("/roster"), {"couple": world.couple_id})
    counselor.post(workshop.url("/roster"), {"couple": second})

    assert first.status_code == 302
    assert roster_of(app, workshop.id) == {world.couple_id: "enrolled", second: "enrolled"}
    page = text_of(counselor.get(workshop.url("/roster")))
    assert "Alex & Sam" in page
    assert "Kim & Lee" in page
    assert "Enrolled couples (2 of 3)" in page
    assert offered_couples(page) == []
    assert "Alex & Sam" in text_of(counselor.get(workshop.url()))


def test_a_full_workshop_refuses_one_more_couple(app, counselor, build, world):
    second = build.couple(names=("Kim", "Lee"))
    workshop = build.workshop(capacity=1, couples=(world.couple_id,))

    response = counselor.post(workshop.url("/roster"), {"couple": second})

    assert response.status_code == 200
    assert "full" in text_of(response)
    assert roster_of(app, workshop.id) == {world.couple_id: "enrolled"}


def test_a_full_roster_page_says_how_to_make_room(counselor, build, world):
    workshop = build.workshop(capacity=1, couples=(world.couple_id,))
    page = text_of(counselor.get(workshop.url("/roster")))
    assert "The workshop is full" in page
    assert workshop.url("/edit") in page


def test_a_couple_of_another_counselor_cannot_be_enrolled_by_hand(app, counselor, build, world):
    workshop = build.workshop()

    response = counselor.post(workshop.url("/roster"), {"couple": world.other_couple_id})

    assert response.status_code in (200, 404)
    assert roster_of(app, workshop.id) == {}


def test_an_enrolled_couple_cannot_be_enrolled_twice(app, counselor, build, world):
    build.couple(names=("Kim", "Lee"))  # so that the form is still shown
    workshop = build.workshop(couples=(world.couple_id,))

    response = counselor.post(workshop.url("/roster"), {"couple": world.couple_id})

    assert response.status_code == 200
    assert field_error(text_of(response), "couple")
    assert roster_of(app, workshop.id) == {world.couple_id: "enrolled"}


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("", "Choose a couple."),
        ("abc", "Choose a couple from the list."),
        ("999999", "Choose a couple from the list."),
    ],
)
def test_a_bad_choice_is_explained_on_the_field(app, counselor, build, world, choice, message):
    workshop = build.workshop()

    response = counselor.post(workshop.url("/roster"), {"couple": choice})

    assert response.status_code == 200
    assert field_error(text_of(response), "couple") == message
    assert roster_of(app, workshop.id) == {}


# Finding a couple to enroll among many


def test_the_form_offers_the_newest_couples_and_finds_the_others_by_name(
    app, counselor, build, world, monkeypatch
):
    monkeypatch.setattr(queries, "ENROLL_CHOICES", 2)
    kim = build.couple(names=("Kim", "Lee"), emails=(None, None))
    jo = build.couple(names=("Jo", "Max"), emails=(None, None))
    workshop = build.workshop()
    roster = workshop.url("/roster")

    page = text_of(counselor.get(roster))
    assert offered_couples(page) == [str(jo), str(kim)]  # not Alex & Sam, the oldest
    assert "find others by a partner's name" in page
    found = text_of(counselor.get(roster + "?q=SAM"))
    assert offered_couples(found) == [str(world.couple_id)]
    assert input_value(found, "q") == "SAM"

    response = counselor.post(roster + "?q=SAM", {"couple": world.couple_id})

    assert response.status_code == 302
    assert roster_of(app, workshop.id) == {world.couple_id: "enrolled"}


def test_a_counselor_with_few_couples_picks_from_all_of_them_without_searching(
    counselor, build, world
):
    page = text_of(counselor.get(build.workshop().url("/roster")))

    assert offered_couples(page) == [str(world.couple_id)]
    assert input_value(page, "q") is None


def test_a_search_matches_names_as_typed(counselor, build, world):
    workshop = build.workshop()

    page = text_of(counselor.get(workshop.url("/roster?q=%25")))  # "%" is no wildcard

    assert offered_couples(page) == []
    assert "No couple off the roster has a partner whose name contains “%”." in page
    assert "Enrolled couples (0 of 8)" in page


def test_a_search_finds_only_couples_off_the_roster_of_this_counselor(counselor, build, world):
    build.couple(world.other_counselor, names=("Alexandra", "Sami"), emails=(None, None))
    workshop = build.workshop(couples=(world.couple_id,))
    build.couple(names=("Kim", "Lee"), emails=(None, None))  # so that the form is shown

    page = text_of(counselor.get(workshop.url("/roster?q=alex")))

    assert offered_couples(page) == []


@pytest.mark.parametrize("search", ["x" * 121, "Al\x00ex"])
def test_a_bad_search_is_explained_and_the_newest_couples_offered(counselor, build, world, search):
    workshop = build.workshop()

    response = counselor.get(workshop.url("/roster"), query_string={"q": search})

    assert response.status_code == 200
    assert field_error(text_of(response), "q")
    assert offered_couples(text_of(response)) == [str(world.couple_id)]


def test_withdrawing_frees_the_place_and_the_couple_can_come_back(app, counselor, build, world):
    workshop = build.workshop(capacity=1, couples=(world.couple_id,))
    enrollment = workshop.enrollment_ids[0]
    roster = workshop.url("/roster")

    response = counselor.post(workshop.url(f"/roster/{enrollment}/withdraw"), token_from=roster)

    assert response.status_code == 302
    assert roster_of(app, workshop.id) == {world.couple_id: "withdrawn"}
    page = text_of(counselor.get(roster))
    assert "Nobody is enrolled yet" in page
    assert offered_couples(page) == [str(world.couple_id)]

    counselor.post(roster, {"couple": world.couple_id})

    assert roster_of(app, workshop.id) == {world.couple_id: "enrolled"}
    assert enrollment_id(app, workshop.id, world.couple_id) == enrollment


def test_withdrawing_twice_or_through_another_workshop_is_not_found(counselor, build, world):
    workshop = build.workshop(couples=(world.couple_id,))
    other = build.workshop(title="Other group")
    enrollment = workshop.enrollment_ids[0]

    wrong_workshop = counselor.post(
        other.url(f"/roster/{enrollment}/withdraw"), token_from=other.url("/roster")
    )
    counselor.post(
        workshop.url(f"/roster/{enrollment}/withdraw"), token_from=workshop.url("/roster")
    )
    twice = counselor.post(
        workshop.url(f"/roster/{enrollment}/withdraw"), token_from=workshop.url("/roster")
    )

    assert wrong_workshop.status_code == 404
    assert twice.status_code == 404


def test_a_withdrawn_couple_no_longer_sees_the_workshop(build, world, make_browser):
    workshop = build.workshop(title="Marker workshop QX7", couples=(world.couple_id,), sessions=1)
    partner = make_browser()
    partner.login(world.partner)
    assert "Marker workshop QX7" in text_of(partner.get("/"))
    counselor = make_browser()
    counselor.login(world.counselor)

    counselor.post(
        workshop.url(f"/roster/{workshop.enrollment_ids[0]}/withdraw"),
        token_from=workshop.url("/roster"),
    )

    assert "Marker workshop QX7" not in text_of(partner.get("/"))


def test_a_new_couple_added_from_the_roster_is_enrolled(app, counselor, build, outbox):
    workshop = build.workshop()

    response = counselor.post(f"/couples/new?workshop={workshop.id}", NEW_COUPLE)

    assert response.status_code == 302
    assert response.headers["Location"] == workshop.url("/roster")
    assert list(roster_of(app, workshop.id).values()) == ["enrolled"]
    assert "Robin & Casey" in text_of(counselor.get(workshop.url("/roster")))
    assert len(outbox) == 2


def test_a_new_couple_is_not_added_to_a_full_workshop(app, counselor, build, world, outbox):
    workshop = build.workshop(capacity=1, couples=(world.couple_id,))

    response = counselor.post(f"/couples/new?workshop={workshop.id}", NEW_COUPLE)

    page = text_of(response)
    assert response.status_code == 200
    assert "full" in page
    assert 'value="robin@example.org"' in page
    assert outbox == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Couple.id))) == 2  # world's couples only


def test_adding_a_couple_to_someone_elses_workshop_is_not_found(app, counselor, build, world):
    workshop = build.workshop(world.other_counselor)

    response = counselor.post(f"/couples/new?workshop={workshop.id}", NEW_COUPLE)

    assert response.status_code == 404
    assert roster_of(app, workshop.id) == {}


# Co-counselors


def test_a_co_counselor_sees_and_manages_the_workshop(app, build, world, make_browser):
    workshop = build.workshop(
        title="Shared group", co=(world.other_counselor,), couples=(world.couple_id,), sessions=1
    )
    colleague = make_browser()
    colleague.login(world.other_counselor)

    assert "Shared group" in text_of(colleague.get("/workshops/"))
    assert colleague.get(workshop.url()).status_code == 200
    assert colleague.get(f"/sessions/{workshop.session_ids[0]}").status_code == 200
    roster = text_of(colleague.get(workshop.url("/roster")))
    assert "Alex & Sam" in roster
    # They may enroll their own couple, and see the lead's couple's details.
    colleague.post(workshop.url("/roster"), {"couple": world.other_couple_id})
    assert roster_of(app, workshop.id) == {
        world.couple_id: "enrolled",
        world.other_couple_id: "enrolled",
    }
    assert colleague.get(f"/couples/{world.couple_id}").status_code == 200
    assert "Alex & Sam" in text_of(colleague.get("/couples/"))


def test_the_workshop_page_names_the_lead_then_the_co_counselors_by_name(
    app, build, counselor, world
):
    with app.app_context():
        practice = db.session.get(Practice, world.practice_id)
        zoe = make_user(practice, Role.COUNSELOR, name="Zoe Lane").email
        ada = make_user(practice, Role.COUNSELOR, name="Ada Moss").email
        lead = db.session.scalar(select(User.name).where(User.email == world.counselor))
        db.session.commit()
    shared = build.workshop(title="Shared group", co=(zoe, ada))
    alone = build.workshop(title="Solo group")

    def words(url: str) -> str:
        return " ".join(text_of(counselor.get(url)).split())

    assert f"led by {lead} with Ada Moss, Zoe Lane ·" in words(shared.url())
    assert f"led by {lead} ·" in words(alone.url())


def test_the_workshop_page_lists_each_leader_and_couple_once_with_two_co_counselors(
    app, build, counselor, world
):
    # The page reads its leaders and roster in one statement, a row per co-counselor and
    # partner: each couple and each co-counselor is still shown once, in order.
    with app.app_context():
        practice = db.session.get(Practice, world.practice_id)
        zoe = make_user(practice, Role.COUNSELOR, name="Zoe Lane").email
        ada = make_user(practice, Role.COUNSELOR, name="Ada Moss").email
        db.session.commit()
    robin = build.couple(names=("Robin Vale", "Casey Vale"))
    shared = build.workshop(title="Shared group", co=(zoe, ada), couples=(robin, world.couple_id))

    page = " ".join(text_of(counselor.get(shared.url())).split())

    assert "with Ada Moss, Zoe Lane ·" in page
    assert "Couples (2 of 8)" in page
    assert page.count(">Robin & Casey</a>") == 1
    assert page.count(">Alex & Sam</a>") == 1
    assert page.index(">Robin & Casey</a>") < page.index(">Alex & Sam</a>")


def test_a_couple_stays_visible_to_a_co_counselor_after_withdrawal(build, world, make_browser):
    workshop = build.workshop(co=(world.other_counselor,), couples=(world.couple_id,))
    colleague = make_browser()
    colleague.login(world.other_counselor)
    colleague.post(
        workshop.url(f"/roster/{workshop.enrollment_ids[0]}/withdraw"),
        token_from=workshop.url("/roster"),
    )

    assert colleague.get(f"/couples/{world.couple_id}").status_code == 200


def test_without_a_shared_workshop_the_couple_stays_private(build, world, make_browser):
    build.workshop(couples=(world.couple_id,))
    other = make_browser()
    other.login(world.other_counselor)

    assert other.get(f"/couples/{world.couple_id}").status_code == 404
