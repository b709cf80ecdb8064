"""The note formats (SOAP, DAP, BIRP, free text): their sections, labels, help and length cap.

A note stores its text as a dict by section key; the same keys name the form fields. Sections
shared by two formats (Assessment, Plan) keep their key, so switching a draft's format keeps
their text; the rest is carried into the new format's first section under its old heading.
"""

from dataclasses import dataclass

from workshop.forms import UNSTORABLE_TEXT_MESSAGE, has_unstorable_text
from workshop.models import NoteFormat

SECTION_MAX_LENGTH = 10_000
CAP_TEXT = f"Up to {SECTION_MAX_LENGTH:,} characters."


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    help: str


@dataclass(frozen=True)
class Format:
    key: str
    name: str
    summary: str
    sections: tuple[Section, ...]

    @property
    def keys(self) -> list[str]:
        return [section.key for section in self.sections]


ASSESSMENT = Section(
    "assessment",
    "Assessment",
    "Your clinical reading: progress on this stage, patterns you see, any risk.",
)
PLAN = Section(
    "plan", "Plan", "What comes next: homework, the focus of the next session, referrals."
)

FORMATS: dict[str, Format] = {
    NoteFormat.SOAP: Format(
        NoteFormat.SOAP,
        "SOAP",
        "Subjective, Objective, Assessment, Plan",
        (
            Section(
                "subjective",
                "Subjective",
                "What the partners reported: their week, feelings and goals, in their words.",
            ),
            Section(
                "objective",
                "Objective",
                "What you observed: mood, how they spoke to each other, homework done.",
            ),
            ASSESSMENT,
            PLAN,
        ),
    ),
    NoteFormat.DAP: Format(
        NoteFormat.DAP,
        "DAP",
        "Data, Assessment, Plan",
        (
            Section(
                "data",
                "Data",
                "What was said and what you observed: both partners' accounts and your own.",
            ),
            ASSESSMENT,
            PLAN,
        ),
    ),
    NoteFormat.BIRP: Format(
        NoteFormat.BIRP,
        "BIRP",
        "Behavior, Intervention, Response, Plan",
        (
            Section(
                "behavior",
                "Behavior",
                "How the couple presented: what they brought, how they interacted.",
            ),
            Section(
                "intervention",
                "Intervention",
                "What you did: the exercises, techniques and topics you guided them through.",
            ),
            Section("response", "Response", "How each partner responded to the intervention."),
            PLAN,
        ),
    ),
    NoteFormat.FREE: Format(
        NoteFormat.FREE,
        "Free text",
        "One field, in your own structure",
        (Section("text", "Note", "Write the note in whatever structure suits this session."),),
    ),
}
DEFAULT_FORMAT = NoteFormat.SOAP
ALL_SECTION_KEYS = list(dict.fromkeys(s.key for f in FORMATS.values() for s in f.sections))


def get_format(key: str | None) -> Format:
    """The format called `key`; anything unknown falls back to the default (SOAP)."""
    return FORMATS.get(key or "", FORMATS[DEFAULT_FORMAT])


def length_error(text: str) -> str | None:
    """The message for a section over the cap, or None."""
    if len(text) <= SECTION_MAX_LENGTH:
        return None
    return (
        f"Keep each section to {SECTION_MAX_LENGTH:,} characters or fewer: this one has "
        f"{len(text):,}. Move part of it to another section, or shorten it."
    )


def check_sections(fmt: Format, sections: dict[str, str]) -> dict[str, str]:
    """Errors by section key (over-long text); empty when the sections can be saved."""
    errors = {}
    for key in fmt.keys:
        message = length_error(sections.get(key, ""))
        if has_unstorable_text(sections.get(key)):
            message = UNSTORABLE_TEXT_MESSAGE  # the same rule as every form (workshop/forms.py)
        if message:
            errors[key] = message
    return errors


def clean_sections(fmt: Format, sections: dict) -> dict[str, str]:
    """Exactly the format's sections, as text without surrounding whitespace."""
    cleaned = {}
    for key in fmt.keys:
        value = sections.get(key)
        cleaned[key] = value.strip() if isinstance(value, str) else ""
    return cleaned


def is_empty(sections: dict[str, str]) -> bool:
    return not any((value or "").strip() for value in sections.values())


def convert(sections: dict[str, str], old: Format, new: Format) -> dict[str, str]:
    """A draft's text in another format: shared sections stay, the others are carried into the
    new first section under their old heading, so no text is dropped."""
    converted = {key: sections.get(key, "") for key in new.keys}
    carried = [
        f"{section.label}:\n{sections[section.key]}"
        for section in old.sections
        if section.key not in new.keys and (sections.get(section.key) or "").strip()
    ]
    if carried:
        first = new.keys[0]
        converted[first] = "\n\n".join(part for part in [*carried, converted[first]] if part)
    return converted


def plain_text(fmt: Format, sections: dict[str, str]) -> str:
    """The note as one text: each filled section under its label (for search and snippets)."""
    parts = [
        f"{section.label}: {sections.get(section.key, '')}"
        for section in fmt.sections
        if (sections.get(section.key) or "").strip()
    ]
    return "\n".join(parts)
