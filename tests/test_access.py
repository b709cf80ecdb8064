"""Deny by default: every route is in the access table, and every role gets what the table says.

The walk is driven by ROUTE_ACCESS and app.url_map, so a new route joins it by being added to
the table. A route with a URL parameter the walk cannot fill, or an object rule whose owner it
does not know, fails loudly: add it to OBJECT_RULES (or PLAIN_URL_VALUES) below.
"""

from dataclasses import dataclass

import pytest
from flask import Blueprint, url_for
from sqlalchemy import select

from tests.assignments.builders import walk_homework
from tests.factories import make_couple, make_user
from tests.helpers import Browser
from tests.jobs.builders import walk_jobs
from tests.notes.builders import walk_notes
from tests.reporting.builders import walk_reports
from tests.workshops.builders import Builder
from workshop import access
from workshop.access import ROUTE_ACCESS, Rule
from workshop.auth.services import issue_token
from workshop.extensions import db
from workshop.models import Exercise, Practice, Role, Stage, TokenPurpose, User

# Who walks the routes, and the role each one logs in with (None: not logged in).
ACTORS: dict[str, Role | None] = {
    "anonymous": None,
    "partner": Role.PARTNER,  # a partner of world.couple_id
    "other_couple_partner": Role.PARTNER,
    "counselor": Role.COUNSELOR,  # works with world.couple_id
    "other_counselor": Role.COUNSELOR,  # same practice, another couple
    "other_practice_counselor": Role.COUNSELOR,
    "admin": Role.ADMIN,
    "other_practice_admin": Role.ADMIN,
}


@dataclass(frozen=True)
class ObjectRule:
    """Who owns the walked object, and which URL values (from `objects`) name it."""

    owners: frozenset[str]
    url_values: tuple[str, ...]


# Every object rule of ROUTE_ACCESS. Public object rules need no owner.
OBJECT_RULES: dict[str, ObjectRule] = {
    "couple the counselor works with": ObjectRule(
        frozenset({"counselor"}), ("couple_id", "partner_id")
    ),
    "staff of the admin's practice": ObjectRule(frozenset({"admin"}), ("user_id",)),
    access.PRACTICE_ACCOUNT: ObjectRule(frozenset({"admin"}), ("user_id",)),
    "an unused, unexpired token": ObjectRule(frozenset(), ("token",)),
    access.LED_WORKSHOP: ObjectRule(frozenset({"counselor"}), ("workshop_id", "enrollment_id")),
    access.LED_SESSION: ObjectRule(frozenset({"counselor"}), ("session_id", "direction")),
    access.OWN_SESSION: ObjectRule(frozenset({"counselor", "partner"}), ("session_id",)),
    access.CURRENT_FEED_URL: ObjectRule(frozenset(), ("counselor_token", "couple_token")),
    access.LED_ASSIGNMENT: ObjectRule(frozenset({"counselor"}), ("assignment_id", "submission_id")),
    access.READABLE_EXERCISE: ObjectRule(frozenset({"counselor"}), ("exercise_id",)),
    access.OWN_EXERCISE: ObjectRule(
        frozenset({"counselor"}), ("exercise_id", "field_key", "towards")
    ),
    access.OWN_ASSIGNMENT: ObjectRule(frozenset({"partner"}), ("assignment_id",)),
    access.NOTE_SESSION: ObjectRule(frozenset({"counselor"}), ("session_id", "couple_id")),
    access.READABLE_NOTE: ObjectRule(frozenset({"counselor"}), ("note_id",)),
    access.OWN_DRAFT_NOTE: ObjectRule(frozenset({"counselor"}), ("note_id",)),
    access.OWN_JOB: ObjectRule(frozenset({"counselor"}), ("job_id",)),
    access.LED_WORKSHOP_COUPLE: ObjectRule(frozenset({"counselor"}), ("workshop_id", "couple_id")),
    access.LED_REPORT: ObjectRule(frozenset({"counselor"}), ("report_id",)),
    access.OWN_RELEASED_REPORT: ObjectRule(frozenset({"partner"}), ("report_id",)),
}
# URL values that name nobody's object.
PLAIN_URL_VALUES = {"filename": "css/app.css", "key": "readiness"}

# What an answer means; expectations are sets of these.
OK, REDIRECT, LOGIN, FORBIDDEN, NOT_FOUND = "200", "redirect", "login", "403", "404"
REACHABLE = frozenset({OK, REDIRECT, LOGIN})  # any answer short of an error
DENIED = frozenset({FORBIDDEN, NOT_FOUND})


def expected_outcome(rule: Rule, actor: str, method: str) -> frozenset[str]:
    """The table of expectations, checked in this order."""
    if rule.is_public:
        return REACHABLE
    if ACTORS[actor] is None:
        return frozenset({LOGIN})
    if ACTORS[actor] not in rule.roles:
        return DENIED
    if rule.object_rule and actor not in object_rule_of(rule).owners:
        return frozenset({NOT_FOUND})  # out of reach looks exactly like missing
    return frozenset({OK} if method == "GET" else {OK, REDIRECT})


def outcome(response) -> str:
    """Sort a response into one of the outcomes above (or its bare status code)."""
    if response.status_code in (302, 303):
        location = response.headers["Location"]
        return LOGIN if location.startswith("/login") else REDIRECT
    if response.status_code == 401 and 'name="password"' in response.get_data(as_text=True):
        return LOGIN  # an anonymous POST: the login form, with what was typed
    return str(response.status_code)


def visit(browser: Browser, method: str, url: str) -> str:
    """The outcome of a GET, or of a POST carrying a valid CSRF token."""
    response = browser.get(url) if method == "GET" else browser.post(url, token_from="/")
    response.close()  # static files stay open otherwise
    return outcome(response)


def object_rule_of(rule: Rule) -> ObjectRule:
    if rule.object_rule not in OBJECT_RULES:
        pytest.fail(f"the access walk does not know the object rule {rule.object_rule!r}")
    return OBJECT_RULES[rule.object_rule]


def url_values(url_rule, rule: Rule, objects: dict) -> dict:
    """Values for the route's URL parameters, naming an object of the primary actor."""
    available = dict(PLAIN_URL_VALUES)
    if rule.object_rule:
        available |= {name: objects[name] for name in object_rule_of(rule).url_values}
    missing = set(url_rule.arguments) - set(available)
    if missing:
        pytest.fail(f"the access walk cannot fill {sorted(missing)} of {url_rule.endpoint}")
    return {name: available[name] for name in url_rule.arguments}


def walked_routes(app, objects: dict) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) of every route.

    GET where a route has it; POST for POST-only routes and, on non-public routes, for their
    forms too (a denial must not depend on the method). Logout ends the login: it comes last.
    """
    walked = []
    with app.test_request_context():
        for url_rule in app.url_map.iter_rules():
            rule = ROUTE_ACCESS[url_rule.endpoint]
            methods = [method for method in ("GET", "POST") if method in url_rule.methods]
            if rule.is_public and "GET" in methods:
                methods = ["GET"]  # public forms have their own tests (and rate limits)
            url = url_for(url_rule.endpoint, **url_values(url_rule, rule, objects))
            walked += [(url_rule.endpoint, method, url) for method in methods]
    return sorted(walked, key=walk_order)


# Routes that destroy the walked object come after every other visit of it (the owner's POST
# really removes and merges), and logout ends the login, so it comes last of all.
WALKED_LAST = [
    "scheduling.merge_session",
    "scheduling.remove_session",
    "exercises.delete_field",
    "exercises.delete_exercise",
    "notes.delete_note",
    "auth.logout",
]


def walk_order(route: tuple[str, str, str]) -> int:
    endpoint = route[0]
    return WALKED_LAST.index(endpoint) + 1 if endpoint in WALKED_LAST else 0


COUNSELOR_FEED_TOKEN = "walk-counselor-feed-token"
COUPLE_FEED_TOKEN = "walk-couple-feed-token"


@pytest.fixture
def objects(app, world) -> dict:
    """URL values of the primary actors' objects: world's couple, an invited counselor, a link."""
    with app.app_context():
        practice = db.session.get(Practice, world.practice_id)
        invited = make_user(practice, Role.COUNSELOR, name="Invited Counselor", password=None)
        token = issue_token(invited, TokenPurpose.INVITATION)
        # Feed tokens of a counselor and couple outside the walk: no walker's rotation retires them.
        invited.calendar_token = COUNSELOR_FEED_TOKEN
        make_couple(invited, ("Casey", "Robin")).calendar_token = COUPLE_FEED_TOKEN
        db.session.commit()
        invited_id = invited.id
    # The counselor's workshop, with world's couple enrolled and three sessions to come.
    workshop = Builder(app, world).workshop(couples=(world.couple_id,), sessions=3)
    return {
        "workshop_id": workshop.id,
        "enrollment_id": workshop.enrollment_ids[0],
        "session_id": workshop.session_ids[0],
        "direction": "later",
        "couple_id": world.couple_id,
        "partner_id": world.partner_id,
        "user_id": invited_id,
        "token": token,
        "counselor_token": COUNSELOR_FEED_TOKEN,
        "couple_token": COUPLE_FEED_TOKEN,
        **own_exercise(app, world),
        **walk_homework(app, world, workshop.id),  # assignment_id, submission_id
        # A draft note on the last session (the merge and removal walked above leave it be).
        **walk_notes(app, world, workshop.session_ids[-1]),  # note_id
        **walk_jobs(app, world),  # job_id: a finished batch with its ZIP
        **walk_reports(app, world, workshop.id),  # report_id: released to the world's couple
    }


def own_exercise(app, world) -> dict:
    """URL values of an exercise the world's counselor wrote, with one question."""
    with app.app_context():
        counselor = db.session.scalar(select(User).where(User.email == world.counselor))
        stage_id = db.session.scalar(select(Stage.id).order_by(Stage.position))
        question = {"key": "walk_q", "type": "yes_no", "label": "Walked?", "required": True}
        exercise = Exercise(
            practice_id=counselor.practice_id,
            owner_id=counselor.id,
            stage_id=stage_id,
            title="Walked exercise",
            fields=[question],
        )
        db.session.add(exercise)
        db.session.commit()
        return {"exercise_id": exercise.id, "field_key": "walk_q", "towards": "down"}


def endpoints_missing_from_table(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()} - set(ROUTE_ACCESS)


def test_every_route_is_in_the_access_table(app):
    assert endpoints_missing_from_table(app) == set()


def test_every_access_table_entry_is_a_real_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ROUTE_ACCESS) - endpoints == set()


@pytest.fixture
def app_with_unlisted_route(app):
    """The app with one more route that nobody added to ROUTE_ACCESS."""
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.get("/forgotten")
    def open_secret():
        return "should never be served"

    app.register_blueprint(forgotten)
    return app


def test_a_route_missing_from_the_table_is_caught_and_denied(app_with_unlisted_route, world):
    assert endpoints_missing_from_table(app_with_unlisted_route) == {"forgotten.open_secret"}
    browser = Browser(app_with_unlisted_route.test_client())
    assert browser.get("/forgotten").status_code == 404
    browser.login(world.admin)
    assert browser.get("/forgotten").status_code == 404


# Who may reach today's routes, as the design says; the walk below checks that the app enforces
# ROUTE_ACCESS, and this pins ROUTE_ACCESS itself so that a loosened rule is noticed.
DESIGNED_ACCESS = {
    "static": "public",
    "main.healthz": "public",
    "main.healthz_live": "public",
    "main.home": "admin counselor partner",
    "auth.login": "public",
    "auth.logout": "public",
    "auth.forgot_password": "public",
    "auth.set_password": "public",
    "auth.second_factor": "public",
    "auth.enrol_at_login": "public",
    "auth.show_security": "admin counselor partner",
    "auth.enrol_two_factor": "admin counselor partner",
    "auth.regenerate_recovery_codes": "admin counselor partner",
    "auth.disable_two_factor": "admin counselor partner",
    "practice.list_counselors": "admin",
    "practice.invite_counselor": "admin",
    "practice.resend_invitation": "admin, own object",
    "practice.edit_branding": "admin",
    "practice.show_logo": "admin",
    "practice.edit_sign_in_policy": "admin",
    "practice.list_partners": "admin",
    "practice.disable_account": "admin, own object",
    "practice.enable_account": "admin, own object",
    "couples.list_couples": "counselor",
    "couples.add_couple": "counselor",
    "couples.show_couple": "counselor, own object",
    "couples.edit_partner": "counselor, own object",
    "couples.invite_partner": "counselor, own object",
    "curriculum.list_stages": "admin counselor",
    "curriculum.show_stage": "admin counselor",
    "workshops.list_workshops": "counselor",
    "workshops.new_workshop": "counselor",
    "workshops.show_workshop": "counselor, own object",
    "workshops.edit_workshop": "counselor, own object",
    "workshops.show_roster": "counselor, own object",
    "workshops.withdraw_couple": "counselor, own object",
    "scheduling.plan_sessions": "counselor, own object",
    "scheduling.add_session": "counselor, own object",
    "scheduling.show_session": "counselor, own object",
    "scheduling.record_attendance": "counselor, own object",
    "scheduling.edit_session": "counselor, own object",
    "scheduling.cancel_session": "counselor, own object",
    "scheduling.remove_session": "counselor, own object",
    "scheduling.merge_session": "counselor, own object",
    "scheduling.move_session": "counselor, own object",
    "scheduling.list_agenda": "counselor",
    "scheduling.show_week": "counselor",
    "feeds.show_calendar": "counselor partner",
    "feeds.rotate_token": "counselor partner",
    "feeds.export_counselor_feed": "public",
    "feeds.export_couple_feed": "public",
    "feeds.download_session": "counselor partner, own object",
    "assignments.assign_homework": "counselor, own object",
    "assignments.show_grid": "counselor, own object",
    "assignments.show_review_queue": "counselor, own object",
    "assignments.show_assignment": "counselor, own object",
    "assignments.review_submission": "counselor, own object",
    "assignments.reopen_submission": "counselor, own object",
    "assignments.mark_safety_reviewed": "counselor, own object",
    "exercises.list_exercises": "counselor",
    "exercises.new_exercise": "counselor",
    "exercises.show_exercise": "counselor, own object",
    "exercises.copy_exercise": "counselor, own object",
    "exercises.edit_exercise": "counselor, own object",
    "exercises.delete_exercise": "counselor, own object",
    "exercises.new_field": "counselor, own object",
    "exercises.edit_field": "counselor, own object",
    "exercises.move_field": "counselor, own object",
    "exercises.delete_field": "counselor, own object",
    "homework.list_assignments": "partner",
    "homework.edit_answers": "partner, own object",
    "homework.save_draft": "partner, own object",
    "notes.write_note": "counselor, own object",
    "notes.autosave_note": "counselor, own object",
    "notes.show_note": "counselor, own object",
    "notes.add_addendum": "counselor, own object",
    "notes.delete_note": "counselor, own object",
    "notes.list_couple_notes": "counselor, own object",
    "notes.search_notes": "counselor",
    "notes.edit_summary": "counselor, own object",
    "audit.list_events": "admin",
    "audit.export_events": "admin",
    "jobs.generate_workshop_reports": "counselor, own object",
    "jobs.show_job": "counselor, own object",
    "jobs.job_status": "counselor, own object",
    "jobs.download_job": "counselor, own object",
    "reporting.list_couple_reports": "counselor, own object",
    "reporting.generate_report": "counselor, own object",
    "reporting.release_report": "counselor, own object",
    "reporting.download_report": "counselor, own object",
    "reporting.list_workshop_reports": "counselor, own object",
    "reporting.generate_workshop_summary": "counselor, own object",
    "reporting.show_my_progress": "partner",
    "reporting.download_my_report": "partner, own object",
}


def describe(rule: Rule) -> str:
    if rule.is_public:
        return "public"
    who = " ".join(sorted(rule.roles))
    return f"{who}, own object" if rule.object_rule else who


def test_access_table_grants_what_the_design_says():
    table = {endpoint: describe(ROUTE_ACCESS[endpoint]) for endpoint in DESIGNED_ACCESS}
    assert table == DESIGNED_ACCESS


def test_the_walk_visits_every_route(app, objects):
    walked = {endpoint for endpoint, _, _ in walked_routes(app, objects)}
    assert walked == set(ROUTE_ACCESS)


def test_object_rules_of_the_table_are_all_known_to_the_walk():
    rules = {rule.object_rule for rule in ROUTE_ACCESS.values() if rule.object_rule}
    assert rules - set(OBJECT_RULES) == set()


@pytest.mark.parametrize("actor", list(ACTORS))
def test_each_actor_reaches_exactly_what_the_table_allows(app, world, objects, actor):
    browser = Browser(app.test_client())
    if ACTORS[actor] is not None:
        browser.login(getattr(world, actor))
    surprises = []
    for endpoint, method, url in walked_routes(app, objects):
        got = visit(browser, method, url)
        wanted = expected_outcome(access.rule_for(endpoint), actor, method)
        if got not in wanted:
            surprises.append(f"{method} {url} ({endpoint}): got {got}, want {sorted(wanted)}")
    assert surprises == [], f"{actor}:\n" + "\n".join(surprises)
