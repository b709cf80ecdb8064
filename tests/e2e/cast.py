"""Who the journeys follow: the new couple's two partners, and the story the steps share."""

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from tests.e2e.people import DESKTOP, PHONE


@dataclass(frozen=True)
class Partner:
    name: str
    email: str
    password: str
    timezone: str
    viewport: dict
    draft_text: str
    feedback: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


PARTNERS = {
    "phone": Partner(
        "Robin Quill",
        "robin.quill@example.net",
        "robin-has-a-long-password",
        "Europe/Lisbon",
        PHONE,
        "Robin hopes for calmer Sunday evenings.",
        "Robin, thank you: let us start from the Sunday evenings.",
    ),
    "desktop": Partner(
        "Ash Marlow",
        "ash.marlow@example.net",
        "ash-has-a-long-password",
        "Asia/Tokyo",
        DESKTOP,
        "Ash hopes we can talk about money without shouting.",
        "Ash, thank you: money talk is a good first goal.",
    ),
}


@dataclass
class Story:
    """What the steps pass on: how far the story got and the addresses people saw."""

    steps_done: set[str] = field(default_factory=set)
    first_session_utc: datetime | None = None
    counselor_paths: list[str] = field(default_factory=list)
    partner_paths: list[str] = field(default_factory=list)
    counselor_edition_id: int = 0  # a report with the notes, never released

    def require(self, *steps: str) -> None:
        missing = [step for step in steps if step not in self.steps_done]
        if missing:
            pytest.fail(f"an earlier step of the story did not finish: {', '.join(missing)}")
