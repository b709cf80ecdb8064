"""Every form of the app, fed arbitrary text and extra keys: never a server error, and no
key a form does not have can change who owns a record.

FUZZED_ROUTES lists every POST route, and how a browser sends it; a new POST route fails
test_every_post_route_is_fuzzed until it is listed. Each route is posted by an actor who may
use it (from ROUTE_ACCESS), on the access walk's objects, with the field names its form has
on the app's own pages.
"""

from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.forms import (
    changed_ownership,
    endpoint_of,
    filled_in,
    ownership_snapshot,
    post_forms,
)
from tests.fuzz.strategies import FUZZ, any_text, extra_keys
from tests.helpers import Browser
from tests.test_access import (  # noqa: F401 - objects is a fixture
    ACTORS,
    object_rule_of,
    objects,
    url_values,
    walked_routes,
)
from workshop.access import ROUTE_ACCESS
from workshop.notes.formats import ALL_SECTION_KEYS

FORM, JSON = "form", "json"

# Every POST route, and how its data travels.
FUZZED_ROUTES = {
    "assignments.assign_homework": FORM,
    "assignments.mark_safety_reviewed": FORM,
    "assignments.reopen_submission": FORM,
    "assignments.review_submission": FORM,
    "auth.forgot_password": FORM,
    "auth.login": FORM,
    "auth.logout": FORM,
    "auth.set_password": FORM,
    "auth.second_factor": FORM,
    "auth.enrol_at_login": FORM,
    "auth.enrol_two_factor": FORM,
    "auth.disable_two_factor": FORM,
    "auth.regenerate_recovery_codes": FORM,
    "couples.add_couple": FORM,
    "couples.edit_partner": FORM,
    "couples.invite_partner": FORM,
    "exercises.copy_exercise": FORM,
    "exercises.delete_exercise": FORM,
    "exercises.delete_field": FORM,
    "exercises.edit_exercise": FORM,
    "exercises.edit_field": FORM,
    "exercises.move_field": FORM,
    "exercises.new_exercise": FORM,
    "exercises.new_field": FORM,
    "feeds.rotate_token": FORM,
    "homework.edit_answers": FORM,
    "homework.save_draft": JSON,
    "jobs.generate_workshop_reports": FORM,
    "main.edit_settings": FORM,
    "notes.add_addendum": FORM,
    "notes.autosave_note": JSON,
    "notes.delete_note": FORM,
    "notes.edit_summary": FORM,
    "notes.write_note": FORM,
    "practice.edit_branding": FORM,
    "practice.invite_counselor": FORM,
    "practice.resend_invitation": FORM,
    "practice.edit_sign_in_policy": FORM,
    "practice.disable_account": FORM,
    "practice.enable_account": FORM,
    "reporting.generate_report": FORM,
    "reporting.generate_workshop_summary": FORM,
    "reporting.release_report": FORM,
    "scheduling.add_session": FORM,
    "scheduling.cancel_session": FORM,
    "scheduling.edit_session": FORM,
    "scheduling.merge_session": FORM,
    "scheduling.move_session": FORM,
    "scheduling.plan_sessions": FORM,
    "scheduling.record_attendance": FORM,
    "scheduling.remove_session": FORM,
    "workshops.edit_workshop": FORM,
    "workshops.new_workshop": FORM,
    "workshops.show_roster": FORM,
    "workshops.withdraw_couple": FORM,
}

# Fields of forms that the walked objects' state hides (a submitted homework, a draft note, a
# roster with nobody left to enroll, a question type chosen in the URL); the rest are read from
# the pages.
HIDDEN_FIELDS = {
    "exercises.new_field": "label help_text required max_length scale_min scale_max min_label "
    "max_label measure options items version submit",
    "homework.edit_answers": "a_willing a_patterns a_hope a_hopeful version save submit",
    "notes.add_addendum": "text submit",
    "workshops.show_roster": "couple submit",
}
# Query strings a form's URL carries (the question type of a new question).
QUERIES = {
    "exercises.new_field": [
        f"?type={kind}" for kind in ("short_text", "long_text", "scale", "single_choice")
    ]
    + [f"?type={kind}" for kind in ("multi_choice", "yes_no", "date", "list", "nonsense")],
}

# The keys the two autosaves carry their text under (the walked homework asks these).
JSON_TEXT_KEYS = {
    "homework.save_draft": ("answers", ["willing", "patterns", "hope", "hopeful"]),
    "notes.autosave_note": ("sections", ALL_SECTION_KEYS),
}
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def test_every_post_route_is_fuzzed(app):
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posted - set(FUZZED_ROUTES) == set(), "add the new POST routes to FUZZED_ROUTES"
    assert set(FUZZED_ROUTES) - posted == set(), "FUZZED_ROUTES names a route that is gone"


def actor_for(endpoint: str) -> str:
    """Someone the access table lets use the route on the walked objects."""
    rule = ROUTE_ACCESS[endpoint]
    if rule.is_public:
        return "anonymous"
    owners = object_rule_of(rule).owners if rule.object_rule else set(ACTORS)
    return next(
        actor
        for actor in ("counselor", "partner", "admin")
        if ACTORS[actor] in rule.roles and actor in owners
    )


# Field names by endpoint, read once from the pages (the same in every test's fresh world).
_FIELDS: dict[str, list[str]] = {}


def form_fields(app, browser: Browser, objects: dict, endpoint: str) -> list[str]:  # noqa: F811
    """The names a browser sends to the endpoint: read from every page the actor can open."""
    if endpoint not in _FIELDS:
        for page_endpoint, method, url in walked_routes(app, objects):
            if method != "GET" or page_endpoint == "static":
                continue
            response = browser.get(url)
            if response.mimetype == "text/html":
                for action, names in post_forms(url, response.get_data(as_text=True)).items():
                    posted_to = endpoint_of(app, action)
                    if posted_to:
                        _FIELDS.setdefault(posted_to, []).extend(
                            n for n in names if n not in _FIELDS.get(posted_to, [])
                        )
            response.close()
        _FIELDS.setdefault(endpoint, [])
    return _FIELDS[endpoint]


def url_for_route(app, endpoint: str, objects: dict) -> str:  # noqa: F811
    from flask import url_for

    url_rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    with app.test_request_context():
        return url_for(endpoint, **url_values(url_rule, ROUTE_ACCESS[endpoint], objects))


def page_values(app, browser: Browser, endpoint: str, url: str) -> dict[str, str]:
    """What the route's own page fills its form with (empty for a route without a page)."""
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    if "GET" not in rule.methods:
        return {}
    response = browser.get(url)
    return filled_in(url, response.get_data(as_text=True), url)


def send_form(browser: Browser, url: str, token: str, values: dict, extra: dict):
    return browser.client.post(url, data={**extra, **values, "csrf_token": token})


def send_json(browser: Browser, url: str, token: str, body: dict):
    return browser.client.post(url, json=body, headers={"X-CSRFToken": token})


def logged_in(app, world, actor: str) -> tuple[Browser, str]:
    """A browser logged in as the actor, and its CSRF token."""
    browser = Browser(app.test_client())
    if actor != "anonymous":
        assert browser.login(getattr(world, actor)).status_code == 302
    return browser, browser.csrf_token("/login" if actor == "anonymous" else "/")


@pytest.mark.parametrize("endpoint", sorted(e for e, how in FUZZED_ROUTES.items() if how == FORM))
def test_a_form_takes_any_text_without_a_server_error_or_a_change_of_owner(
    app,
    world,
    objects,  # noqa: F811
    endpoint,
):
    actor = actor_for(endpoint)
    browser, token = logged_in(app, world, actor)
    fields = form_fields(app, browser, objects, endpoint)
    fields = [*fields, *(n for n in HIDDEN_FIELDS.get(endpoint, "").split() if n not in fields)]
    url = url_for_route(app, endpoint, objects)
    baseline = page_values(app, browser, endpoint, url)
    # Most examples keep the page's own values and try up to three fields with anything, so
    # the form is often valid and the odd text really reaches the database.
    overrides = (
        st.dictionaries(st.sampled_from(fields), any_text, max_size=3) if fields else st.just({})
    )

    @FUZZ
    @given(
        values=overrides,
        extra=extra_keys,
        query=st.sampled_from(QUERIES.get(endpoint, [""])),
    )
    def post_anything(values, extra, query):
        unknown = {key: value for key, value in extra.items() if key not in fields}
        # A versioned form is read afresh, as a person would reload it after saving.
        filled = page_values(app, browser, endpoint, url) if "version" in baseline else baseline
        sent = {key: value.replace("{n}", str(next(serial))) for key, value in filled.items()}
        response = send_form(browser, url + query, token, {**sent, **values}, unknown)
        assert response.status_code < 500, f"{actor} POST {url}{query}: {response.status_code}"
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1

    outcomes: dict[int, int] = {}
    serial = count(1)
    before = ownership_snapshot(app)
    post_anything()
    # Compared once over all the examples (a snapshot per example would double the run time):
    # nothing ever moves a row back, so any change made by any example is still visible here.
    assert changed_ownership(before, ownership_snapshot(app)) == []
    print(f"{endpoint}: answers {outcomes}")


@pytest.mark.parametrize("endpoint", sorted(e for e, how in FUZZED_ROUTES.items() if how == JSON))
def test_an_autosave_takes_any_json_without_a_server_error_or_a_change_of_owner(
    app,
    world,
    objects,  # noqa: F811
    endpoint,
):
    actor = actor_for(endpoint)
    browser, token = logged_in(app, world, actor)
    url = url_for_route(app, endpoint, objects)
    container, keys = JSON_TEXT_KEYS[endpoint]
    texts = st.fixed_dictionaries({}, optional=dict.fromkeys(keys, st.one_of(any_text, json_value)))

    @FUZZ
    @given(
        texts=texts,
        version=json_value,
        fmt=st.sampled_from(["soap", "dap", "birp", "free"]) | any_text,
        extra=extra_keys,
    )
    def autosave_anything(texts, version, fmt, extra):
        body = {**extra, container: texts, "version": version, "format": fmt}
        response = send_json(browser, url, token, body)
        assert response.status_code < 500, f"{actor} POST {url}: {response.status_code}"

    before = ownership_snapshot(app)
    autosave_anything()
    assert changed_ownership(before, ownership_snapshot(app)) == []


@pytest.mark.parametrize("actor", ["partner", "counselor", "admin"])
def test_every_search_and_filter_form_takes_any_text_without_a_server_error(
    app,
    world,
    objects,  # noqa: F811
    actor,
):
    """The GET forms (note search, audit log filters, ...) read their fields from the URL."""
    browser, _ = logged_in(app, world, actor)
    forms = {}
    for endpoint, method, url in walked_routes(app, objects):
        if method == "GET" and endpoint != "static":
            response = browser.get(url)
            if response.mimetype == "text/html":
                forms |= post_forms(url, response.get_data(as_text=True), method="get")
            response.close()
    for action, fields in forms.items():
        search_anything(browser, actor, action, fields)
    print(f"{actor}: GET forms {sorted(forms)}")


def search_anything(browser: Browser, actor: str, action: str, fields: list[str]) -> None:
    @FUZZ
    @given(values=st.dictionaries(st.sampled_from([*fields, "page"]), any_text, max_size=4))
    def search(values):
        response = browser.get(action, query_string=values)
        assert response.status_code < 500, f"{actor} GET {action}?{values}"

    search()
