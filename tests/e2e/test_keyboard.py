"""A partner answers a homework exercise with the keyboard alone, and can see where the focus is.

The demo's Alex has an open exercise with a list, a single choice and a long answer. The test
presses Tab from the top of the page, checks at each stop that the focus is visible and that
a form control has a label, sends the form empty first (the errors must be announced and tied to
their fields), then fills every answer from the keyboard and submits it.
"""

import pytest

from tests.e2e.audit import audit_page, watch_documents
from tests.e2e.test_accessibility import log_in

PARTNER = "alex@example.org"
MAX_TAB_STOPS = 80
# What the focused element is, whether its focus shows, and how it is labelled.
FOCUS_INFO = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const labelled = (el.labels && el.labels.length > 0)
    || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')
    || (['submit', 'button'].includes(el.type) && el.value.trim() !== '');
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    name: el.name || '',
    id: el.id,
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    inAnswerForm: !!el.closest('form.answer-form'),
    isControl: ['input', 'textarea', 'select'].includes(el.tagName.toLowerCase()),
    labelled: labelled,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    isErrorSummary: el.hasAttribute('data-error-summary'),
    role: el.getAttribute('role'),
  };
}"""


def press_tab(page) -> dict:
    """Move the focus on with Tab; what it landed on, after checking it can be seen and named."""
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_INFO)
    where = f"{focus['tag']} {focus['name'] or focus['id'] or focus['text']!r} on {page.url}"
    assert focus["tag"] != "body", f"the focus fell off the page after {where}"
    assert focus["outline"] or focus["shadow"], f"no visible focus on {where}"
    if focus["isControl"] and focus["type"] != "hidden":
        assert focus["labelled"], f"no label for {where}"
    return focus


def is_submit_button(focus: dict) -> bool:
    return focus["inAnswerForm"] and focus["type"] == "submit" and focus["name"] == "submit"


def tab_to_submit(page, typing: str) -> list[dict]:
    """Tab through the page to the form's Submit button, typing `typing` into each text box."""
    stops = []
    for _ in range(MAX_TAB_STOPS):
        focus = press_tab(page)
        stops.append(focus)
        if is_submit_button(focus):
            return stops
        if focus["inAnswerForm"]:
            answer_from_keyboard(page, focus, typing)
    pytest.fail(f"Submit was not reached in {MAX_TAB_STOPS} presses of Tab: {stops}")


def answer_from_keyboard(page, focus: dict, typing: str) -> None:
    """Replace a text box's text (empty `typing` clears it); tick a group's first choice."""
    if focus["tag"] == "textarea" or (focus["tag"] == "input" and focus["type"] == "text"):
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.type(typing)
    elif typing and focus["type"] in ("radio", "checkbox"):
        page.keyboard.press("Space")


def open_first_homework(page, base_url: str) -> str:
    """Alex's first exercise still to do (the demo's "What needs to heal first")."""
    page.goto(f"{base_url}/homework")
    page.locator("main a[href*='/homework/']").first.click()
    page.wait_for_load_state()
    assert page.locator("form.answer-form").is_visible(), "the first exercise is not open"
    return page.locator("h1").inner_text()


def test_partner_answers_homework_with_the_keyboard_alone(live_server, chromium):
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    watch_documents(context)
    page = context.new_page()
    try:
        log_in(page, live_server.url, PARTNER)
        title = open_first_homework(page, live_server.url)
        assert page.title().startswith(title), "the page title does not name the exercise"
        first = press_tab(page)
        assert first["text"] == "Skip to content", "the first Tab stop is not the skip link"

        stops = tab_to_submit(page, typing="")  # empties the draft's answers
        assert any(s["type"] == "radio" for s in stops), "the choice question was not reached"
        with page.expect_navigation():
            page.keyboard.press("Enter")  # sent with empty answers: they are required
        check_errors_announced_and_tied(page)
        audit_page(page, "partner keyboard: homework errors")

        tab_to_submit(page, typing="Typed with the keyboard only")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", name="Your answers").is_visible()
        assert "Typed with the keyboard only" in page.locator("main").inner_text()
    finally:
        context.close()


def check_errors_announced_and_tied(page) -> None:
    """The focus is on an alert listing the errors, and each error describes its field."""
    focus = page.evaluate(FOCUS_INFO)
    assert focus["isErrorSummary"], f"after a bad submit the focus is on {focus}, not the errors"
    assert focus["role"] == "alert", "the error summary is not announced (role=alert)"
    errors = page.locator(".field__error").all()
    assert errors, "the empty form came back without an error on any field"
    for error in errors:
        error_id = error.get_attribute("id")
        described = page.locator(f"[aria-describedby~='{error_id}']")
        assert error_id, f"{error.inner_text()!r} has no id to be tied to its field by"
        assert described.count() == 1, f"{error.inner_text()!r} is tied to no field"
