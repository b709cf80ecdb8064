"""What the load test's clients do, and how each answer is judged.

Twenty clients share a few records on purpose: three browsers per partner (answering their
couple's homework, the joint exercise with the other partner too), and counselor browsers that
write and sign the same notes and reschedule the same sessions. Every write is judged as
*accepted* (the app said it saved it), *refused* (it said, in words, that it did not), or
*unexpected* (anything else, such as a 5xx or a page without a message), and written to the
journal; the test then compares the database with the accepted writes.
"""

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count

from tests.load.http_client import Answer, Client, text_of, version_on

SUBMIT_SHARE = 0.08  # of a partner's writes: the rest are autosaved drafts
SIGN_SHARE = 0.12  # of a counselor's writes: note signatures
RESCHEDULE_SHARE = 0.3  # of a counselor's writes: session moves (the rest: note autosaves)

INDIVIDUAL_MEASURES = 2  # "Where I stand" tags two scales (readiness, hope)
JOINT_MEASURES = 1  # "Our shared goal" tags one (communication)

# What the app says when it refuses, as the user reads it (the test looks for these words).
HOMEWORK_REFUSALS = (
    "were saved from another tab or device",  # stale draft (form)
    "What you just sent was not saved",  # already submitted: the text is handed back
    "These answers were already submitted.",
    "Someone saved this at the same moment",  # the 409 page
)
NOTE_REFUSALS = (
    "this note was saved from another tab or window",
    "What you sent was not saved",  # signed meanwhile: the text is handed back
    "Someone saved this at the same moment",
)
SESSION_REFUSALS = (
    "Someone else changed this session while you were editing",
    "Someone saved this at the same moment",
)


@dataclass
class Plan:
    """The seeded records, by id, that the clients fight over."""

    counselor: str
    partners: dict[str, int]  # email -> partner id
    couple_of: dict[str, int]  # partner email -> couple id
    homework: dict[int, dict[str, int]]  # couple id -> {"individual": id, "joint": id}
    note_targets: list[tuple[int, int]]  # (session id, couple id)
    sessions: dict[int, tuple[int, int]]  # session id -> (version, ics_sequence) at the start
    first_day: object  # a date: moved sessions land on unique days from here on


@dataclass
class Entry:
    """One write and how the app answered it."""

    kind: str  # "draft", "submit", "note", "sign", "reschedule"
    target: tuple
    outcome: str  # "accepted", "refused" or "unexpected"
    sent: dict = field(default_factory=dict)
    version: int | None = None
    detail: str = ""


class Journal:
    """Entries from every client thread."""

    def __init__(self):
        self.entries: list[Entry] = []
        self._lock = threading.Lock()
        self._days = count()

    def add(self, entry: Entry) -> None:
        with self._lock:
            self.entries.append(entry)

    def next_day(self) -> int:
        with self._lock:
            return next(self._days)

    def of(self, kind: str, outcome: str = "accepted") -> list[Entry]:
        return [e for e in self.entries if e.kind == kind and e.outcome == outcome]

    def summary(self) -> str:
        """Writes per kind and outcome, e.g. "draft: 80 accepted, 31 refused"."""
        lines = []
        for kind in dict.fromkeys(e.kind for e in self.entries):
            outcomes = Counter(e.outcome for e in self.entries if e.kind == kind)
            lines.append(f"{kind}: " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))
        return "\n".join(lines)


def judge_json(answer: Answer) -> tuple[str, int | None, str]:
    """An autosave answer: saved with its new version, refused with a message, or neither."""
    try:
        body = answer.json()
    except ValueError:
        return "unexpected", None, f"{answer.status} not JSON: {answer.text[:200]}"
    if answer.status == 200 and body.get("saved") is True:
        return "accepted", body["version"], ""
    if answer.status == 409 and body.get("saved") is False and body.get("message"):
        return "refused", None, body["message"]
    return "unexpected", None, f"{answer.status} {body}"


def judge_form(client: Client, answer: Answer, success: str, refusals) -> tuple[str, str]:
    """A form post: a redirect to a page flashing `success`, or a page saying why not."""
    if answer.status == 302:
        page = text_of(client.follow(answer).text)
        if success in page:
            return "accepted", ""
        if any(words in page for words in refusals):
            return "refused", "redirect with a message"
        return "unexpected", f"302 to {answer.location} without the expected message"
    page = text_of(answer.text)
    if answer.status in (200, 409) and any(words in page for words in refusals):
        return "refused", f"{answer.status}"
    return "unexpected", f"{answer.status}: {page[:300]}"


# --- partners ------------------------------------------------------------------------------------


def homework_answers(joint: bool, token: str) -> dict:
    """Complete answers (they submit cleanly) carrying a token unique to this write."""
    if joint:
        return {"goal": token, "effort": "Twenty minutes each", "balance": 5}
    return {"willing": 7, "patterns": ["Codependency"], "hope": token, "hopeful": 6}


def partner_writes(client: Client, plan: Plan, email: str, rng: random.Random, journal, ops):
    """`ops` writes to this partner's couple's homework: drafts, now and then a submit."""
    couple_id = plan.couple_of[email]
    for number in range(ops):
        kind = rng.choice(["individual", "joint"])
        assignment_id = plan.homework[couple_id][kind]
        respondent = "joint" if kind == "joint" else f"p{plan.partners[email]}"
        target = (assignment_id, respondent)
        answers = homework_answers(kind == "joint", f"{email} write {number}")
        page = client.get(f"/homework/{assignment_id}")
        version = version_on(page.text)
        if rng.random() < SUBMIT_SHARE:
            _submit_homework(client, journal, target, answers, version)
        else:
            _autosave_homework(client, journal, target, answers, version)


def _autosave_homework(client, journal, target, answers, version):
    payload = {"version": version if version is not None else 0, "answers": answers}
    outcome, saved_version, detail = judge_json(
        client.post_json(f"/homework/{target[0]}/draft", payload)
    )
    journal.add(Entry("draft", target, outcome, answers, saved_version, detail))


def _submit_homework(client, journal, target, answers, version):
    fields = {f"a_{key}": value for key, value in answers.items()}
    fields |= {"version": "" if version is None else version, "submit": "Submit"}
    answer = client.post_form(f"/homework/{target[0]}", fields)
    outcome, detail = judge_form(client, answer, "Submitted.", HOMEWORK_REFUSALS)
    journal.add(Entry("submit", target, outcome, answers, None, detail))


# --- counselors ----------------------------------------------------------------------------------


def note_sections(token: str) -> dict:
    return {
        "subjective": f"They said: {token}",
        "objective": "Calm, listened to each other.",
        "assessment": "Working on it.",
        "plan": "Same time next week.",
    }


def counselor_writes(client: Client, plan: Plan, rng: random.Random, journal, ops, name: str):
    """`ops` writes: note autosaves and signatures, session moves, on shared targets."""
    for number in range(ops):
        token = f"{name} write {number}"
        draw = rng.random()
        if draw < RESCHEDULE_SHARE:
            _reschedule(client, plan, rng.choice(sorted(plan.sessions)), journal, token)
        else:
            sign = draw < RESCHEDULE_SHARE + SIGN_SHARE
            _write_note(client, rng.choice(plan.note_targets), sign, journal, token)


def _write_note(client, target, sign: bool, journal, token):
    url = f"/sessions/{target[0]}/couples/{target[1]}/note"
    page = client.get(url)
    version = version_on(page.text) if page.status == 200 else None  # 302: signed already
    sections = note_sections(token)
    if sign:
        fields = {f"s_{key}": text for key, text in sections.items()}
        fields |= {"format": "soap", "version": version if version is not None else 0}
        answer = client.post_form(url, fields | {"sign": "Sign note"})
        outcome, detail = judge_form(client, answer, "Note signed.", NOTE_REFUSALS)
        journal.add(Entry("sign", target, outcome, sections, None, detail))
        return
    payload = {"version": version or 0, "format": "soap", "sections": sections}
    outcome, saved_version, detail = judge_json(client.post_json(f"{url}/autosave", payload))
    journal.add(Entry("note", target, outcome, sections, saved_version, detail))


def _reschedule(client, plan: Plan, session_id: int, journal, token):
    page = client.get(f"/sessions/{session_id}/edit")
    day = plan.first_day + timedelta(days=journal.next_day())  # unique: no overlap refusals
    fields = {
        "date": day.isoformat(),
        "start_time": "03:00",
        "end_time": "04:30",
        "location": f"Room of {token}",
        "video_url": "",
        "version": version_on(page.text),
        "submit": "Save changes",
    }
    answer = client.post_form(f"/sessions/{session_id}/edit", fields)
    outcome, detail = judge_form(
        client, answer, "Session updated; the couples were told.", SESSION_REFUSALS
    )
    sent = {"day": day, "location": fields["location"]}
    journal.add(Entry("reschedule", (session_id,), outcome, sent, None, detail))
