"""The form macros' accessible markup, checked on the HTML the server sends (no browser needed).

The browser tests (tests/e2e) run axe-core and the Nu Html Checker on every page; these pin the
macro behaviour they rely on, so a change to templates/_forms.html fails fast here too.
"""

import re

from tests.helpers import text_of
from tests.workshops.builders import Builder


def test_a_form_sent_empty_lists_its_errors_in_an_announced_summary_linking_to_fields(
    browser, world
):
    browser.login(world.counselor)
    page = text_of(browser.post("/couples/new", {"first_name": "", "second_name": ""}))
    summary = re.search(r'<div class="[^"]*error-summary"([^>]*)>(.*?)</div>', page, re.S)
    assert summary, "no error summary after an empty submit"
    assert 'role="alert"' in summary.group(1)
    assert "data-error-summary" in summary.group(1)
    linked = re.findall(r'href="#([\w-]+)"', summary.group(2))
    assert linked, "the summary links to no field"
    for field_id in linked:
        tag = re.search(rf'<[a-z]+\b[^>]*\bid="{field_id}"[^>]*>', page)
        assert tag, f"the summary links to #{field_id}, which is not there"
        described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
        assert described, f"the field {field_id} is described by nothing"
        assert f"{field_id}-error" in described.group(1).split()
        assert f'id="{field_id}-error"' in page


def test_a_roster_with_several_withdraw_forms_repeats_no_id(browser, world, app):
    build = Builder(app, world)
    second_couple = build.couple()
    workshop = build.workshop(couples=(world.couple_id, second_couple))
    browser.login(world.counselor)
    page = text_of(browser.get(f"/workshops/{workshop.id}/roster"))
    assert page.count("Withdraw") >= 2, "both couples have a withdraw form"
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), (
        f"repeated ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    )


def test_selects_never_carry_required_without_an_empty_first_option(browser, world):
    browser.login(world.counselor)
    page = text_of(browser.get("/settings"))
    selects = re.findall(r"<select[^>]*>", page)
    assert selects, "the settings page has its timezone select"
    assert not [s for s in selects if re.search(r"\brequired\b", s)]


def test_only_a_page_with_errors_loads_the_script_that_focuses_them(browser, world):
    browser.login(world.counselor)
    script = r'<script src="/static/js/error_summary[^"]*\.js" defer>'
    assert not re.search(script, text_of(browser.get("/couples/new")))
    assert re.search(script, text_of(browser.post("/couples/new", {"first_name": ""})))
