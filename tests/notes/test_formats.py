"""The four note formats: their labelled sections, the length cap, and switching formats."""

import pytest

from workshop.notes import formats
from workshop.notes.forms import NoteForm

EXPECTED_SECTIONS = {
    "soap": ["Subjective", "Objective", "Assessment", "Plan"],
    "dap": ["Data", "Assessment", "Plan"],
    "birp": ["Behavior", "Intervention", "Response", "Plan"],
    "free": ["Note"],
}


@pytest.mark.parametrize(("key", "labels"), EXPECTED_SECTIONS.items())
def test_each_format_has_its_labelled_sections_with_help(key, labels):
    fmt = formats.FORMATS[key]
    assert [section.label for section in fmt.sections] == labels
    assert all(section.help for section in fmt.sections)


def test_a_section_over_the_cap_is_refused_with_the_cap_in_the_message():
    fmt = formats.FORMATS["dap"]
    long_text = "x" * (formats.SECTION_MAX_LENGTH + 1)

    errors = formats.check_sections(fmt, {"data": long_text, "plan": "fine"})

    assert set(errors) == {"data"}
    assert "10,000 characters" in errors["data"]
    assert "10,001" in errors["data"]
    assert formats.check_sections(fmt, {"data": "x" * formats.SECTION_MAX_LENGTH}) == {}


def test_the_form_states_the_cap_in_every_sections_help(app):
    with app.test_request_context():
        form = NoteForm(meta={"csrf": False})
        form.use_format(formats.FORMATS["birp"])
        fields = form.section_fields(formats.FORMATS["birp"])
    assert [field.label.text for field in fields] == EXPECTED_SECTIONS["birp"]
    assert all("Up to 10,000 characters." in field.description for field in fields)


def test_switching_format_keeps_shared_sections_and_carries_the_rest():
    soap, dap = formats.FORMATS["soap"], formats.FORMATS["dap"]
    sections = {
        "subjective": "They said A.",
        "objective": "I saw B.",
        "assessment": "C",
        "plan": "D",
    }

    converted = formats.convert(sections, soap, dap)

    assert converted["assessment"] == "C"
    assert converted["plan"] == "D"
    assert converted["data"] == "Subjective:\nThey said A.\n\nObjective:\nI saw B."


def test_switching_to_free_text_keeps_every_section():
    birp, free = formats.FORMATS["birp"], formats.FORMATS["free"]
    sections = {"behavior": "B", "intervention": "I", "response": "R", "plan": "P"}

    converted = formats.convert(sections, birp, free)

    assert converted == {"text": "Behavior:\nB\n\nIntervention:\nI\n\nResponse:\nR\n\nPlan:\nP"}


def test_clean_sections_keeps_only_the_formats_keys_as_text():
    cleaned = formats.clean_sections(formats.FORMATS["free"], {"text": "  hi ", "plan": "x"})
    assert cleaned == {"text": "hi"}
    assert formats.is_empty({"text": "   "})
