"""A counselor's and a couple's first hour with the product, in Chromium, through the page only.

The tests run in file order and tell one story on one live server (session fixtures):
1. the counselor builds a workshop from the curriculum, adds a couple, schedules, assigns
   homework;
2. each partner (one on a phone, one on a desktop) accepts the invitation, sets a timezone,
   drafts, logs out and in, finds the draft, submits;
3. the counselor reviews, writes and signs a note, adds an addendum, generates and releases a
   report;
4. each partner reads their feedback and downloads the released PDF;
5. other people try the addresses seen so far and get nothing.
A step that needs an earlier one fails (never skips) when that one did not get as far.
"""

import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.cast import PARTNERS, Partner, Story
from tests.e2e.people import DESKTOP, PHONE, Person

COUNSELOR = ("counselor@example.org", "workshop-demo")
OTHER_COUNSELOR = ("counselor2@example.org", "workshop-demo")
OTHER_COUPLE_PARTNER = ("alex@example.org", "workshop-demo")
WORKSHOP_TITLE = "Spring group (browser test)"
WORKSHOP_TIMEZONE = "America/New_York"
COUPLE_NAME = "Robin & Ash"
EXERCISE = "Where I stand"
# Planted in the counselor's private note and addendum: no partner page or PDF may show them.
NOTE_MARKER = "private-note-marker-5e1d"
ADDENDUM_MARKER = "private-addendum-marker-9b7a"


@pytest.fixture(scope="module")
def story() -> Story:
    return Story()


@pytest.fixture
def person(chromium, live_server, screenshots_dir):
    """Open a fresh browser context (no cookies) for someone; closed after the test."""
    opened = []

    def open_for(who: str, viewport: dict = DESKTOP, forbidden_texts=()) -> Person:
        someone = Person.open(chromium, who, viewport, live_server.url, forbidden_texts)
        opened.append(someone)
        return someone

    yield open_for
    for someone in opened:
        someone.close()


def _path(url: str) -> str:
    """The address without scheme, host and #fragment (a fragment is not sent to the server)."""
    return re.sub(r"^https?://[^/]+", "", url).split("#")[0]


def _object_paths(urls: list[str]) -> list[str]:
    """The addresses that name an object (an id in the path), each once, in order."""
    return list(dict.fromkeys(p for p in map(_path, urls) if re.search(r"/\d+(/|$|\?)", p)))


def _first_saturday_on_or_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _invitation_link(outbox, email: str) -> str:
    """The set-password link in the newest message to this address in the file outbox."""
    for message in sorted(outbox.glob("*"), key=lambda p: p.stat().st_mtime, reverse=True):
        text = message.read_text()
        link = re.search(r"https?://\S+/password/set/\S+", text)
        if link and re.search(rf"^To: {re.escape(email)}$", text, re.MULTILINE):
            return link.group(0)
    raise AssertionError(f"no invitation to {email} in {outbox}")


# 1. The counselor prepares the workshop ------------------------------------------------------


def test_counselor_builds_a_workshop_adds_a_couple_and_assigns_homework(person, story):
    counselor = person("counselor")
    counselor.log_in(*COUNSELOR)
    counselor.expect_heading("Hello, Dana")
    _create_workshop(counselor)
    story.first_session_utc = _plan_sessions_from_the_curriculum(counselor)
    _add_a_new_couple_to_the_roster(counselor)
    _assign_homework(counselor)
    story.counselor_paths += counselor.seen
    story.steps_done.add("workshop ready")


def _create_workshop(counselor: Person) -> None:
    page = counselor.page
    counselor.click_link("New workshop", "new-workshop")
    page.get_by_label("Title").fill(WORKSHOP_TITLE)
    page.get_by_label("A group of couples").check()
    page.get_by_label("Location").fill("Room 4, Harbor Light")
    page.get_by_label("Timezone").select_option(WORKSHOP_TIMEZONE)
    counselor.click_button("Save workshop", "plan-sessions")
    counselor.expect_heading("Plan the sessions")


def _plan_sessions_from_the_curriculum(counselor: Person) -> datetime:
    """Saturdays at 10:00 on the workshop's clock; return the first session's start in UTC."""
    page = counselor.page
    first_date = datetime.now(ZoneInfo(WORKSHOP_TIMEZONE)).date() + timedelta(days=3)
    page.get_by_label("First possible date").fill(first_date.isoformat())
    page.get_by_label("Day of the week").select_option(label="Saturday")
    page.get_by_label("Start time (workshop's local time)").fill("10:00")
    page.get_by_label("Every week").check()
    counselor.click_button("Create sessions", "workshop")
    counselor.expect_heading(WORKSHOP_TITLE)
    # One session per curriculum stage, first to last.
    expect(page.get_by_role("link", name="Can this even work?", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Seeking help", exact=True)).to_be_visible()
    first_day = _first_saturday_on_or_after(first_date)
    counselor.expect_text(first_day.strftime("%a %d %b %Y"))
    starts = datetime.combine(first_day, time(10, 0), ZoneInfo(WORKSHOP_TIMEZONE))
    return starts.astimezone(ZoneInfo("UTC"))


def _add_a_new_couple_to_the_roster(counselor: Person) -> None:
    page = counselor.page
    counselor.click_link("Enroll a couple", "roster")
    counselor.click_link("Add a couple and enroll them", "add-couple")
    page.get_by_label("First partner's name").fill(PARTNERS["phone"].name)
    page.get_by_label("First partner's email").fill(PARTNERS["phone"].email)
    page.get_by_label("Second partner's name").fill(PARTNERS["desktop"].name)
    page.get_by_label("Second partner's email").fill(PARTNERS["desktop"].email)
    counselor.click_button("Add couple", "roster-with-couple")
    expect(page.get_by_role("button", name=f"Withdraw {COUPLE_NAME}")).to_be_visible()


def _assign_homework(counselor: Person) -> None:
    page = counselor.page
    counselor.click_link(WORKSHOP_TITLE, "workshop-with-couple", exact=True)
    counselor.click_link("Homework", "homework-grid")
    counselor.click_link("Assign homework", "assign-homework")
    page.get_by_label("Exercise").select_option(label=f"{EXERCISE} (each partner)")
    page.get_by_label(COUPLE_NAME).check()
    page.get_by_label("Extra instructions (optional)").fill("A few honest lines are enough.")
    counselor.click_button("Assign homework", "homework-assigned")
    assigned = page.get_by_role("link", name=re.compile(rf"^{EXERCISE}, {COUPLE_NAME}"))
    expect(assigned).to_be_visible()


# 2. Each partner accepts the invitation and does the homework ---------------------------------


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_partner_accepts_invitation_drafts_and_submits_homework(person, live_server, story, device):
    story.require("workshop ready")
    me = PARTNERS[device]
    partner = person(f"{device}-partner", me.viewport)
    page = partner.page

    partner.go(_path(_invitation_link(live_server.outbox, me.email)), "choose-password")
    partner.expect_heading(f"Welcome, {me.first_name}")
    page.get_by_label("New password", exact=True).fill(me.password)
    page.get_by_label("Repeat the new password").fill(me.password)
    partner.click_button("Save password", "home")
    partner.expect_heading(f"Hello, {me.first_name}")

    _choose_timezone(partner, me.timezone)
    _expect_first_session_on_my_clock(partner, story.first_session_utc, me.timezone)

    partner.click_link(EXERCISE, "homework-form")
    partner.expect_heading(EXERCISE)
    _answer_first_questions(partner, me)
    partner.click_button("Save draft", "draft-saved")
    partner.expect_text(re.compile(r"^Draft saved at \d\d:\d\d\.$"))

    partner.log_out()
    partner.log_in(me.email, me.password)
    partner.click_link("Homework", "homework-list")
    partner.click_link(EXERCISE, "homework-form-again")
    _expect_draft_intact(partner, me)

    _group(page, "How hopeful am I about us?").get_by_label("8", exact=True).check()
    partner.click_button("Submit", "submitted")
    partner.expect_text(
        "Submitted. Your counselor will read your answers before your next session."
    )

    story.partner_paths += partner.seen
    story.steps_done.add(f"{device} submitted")


def _group(page, legend: str):
    return page.get_by_role("group", name=legend)


def _choose_timezone(partner: Person, timezone: str) -> None:
    partner.click_link("Settings", "settings")
    partner.page.get_by_label("Your timezone").select_option(timezone)
    partner.click_button("Save settings", "settings-saved")
    partner.expect_text("Settings saved.")
    partner.click_link("Home", "home-on-my-clock")


def _expect_first_session_on_my_clock(partner: Person, starts_utc, timezone: str) -> None:
    """The first session shows at the time it is where the partner lives, not the workshop."""
    mine = starts_utc.astimezone(ZoneInfo(timezone))
    ends = mine + timedelta(minutes=90)
    schedule = partner.page.locator("main")
    expect(schedule).to_contain_text(f"Times on your clock: {timezone.replace('_', ' ')}")
    when = rf"{mine:%a %d %b %Y}\s*{mine:%H:%M}–{ends:%H:%M}\s*Can this even work\?"
    expect(schedule).to_contain_text(re.compile(when))
    expect(schedule).not_to_contain_text("10:00–11:30")  # the workshop's own clock


def _answer_first_questions(partner: Person, me: Partner) -> None:
    page = partner.page
    willing = _group(page, "How willing am I to work on this relationship right now?")
    willing.get_by_label("7", exact=True).check()
    _group(page, "Which old patterns do I think we need to work on?").get_by_label(
        "Poor communication"
    ).check()
    page.get_by_label("What would I like to be different a few months from now?").fill(
        me.draft_text
    )


def _expect_draft_intact(partner: Person, me: Partner) -> None:
    page = partner.page
    willing = _group(page, "How willing am I to work on this relationship right now?")
    expect(willing.get_by_label("7", exact=True)).to_be_checked()
    patterns = _group(page, "Which old patterns do I think we need to work on?")
    expect(patterns.get_by_label("Poor communication")).to_be_checked()
    expect(patterns.get_by_label("Codependency")).not_to_be_checked()
    hope = page.get_by_label("What would I like to be different a few months from now?")
    expect(hope).to_have_value(me.draft_text)


# 3. The counselor reviews, writes the note, releases the report -------------------------------


def test_counselor_reviews_writes_a_signed_note_and_releases_a_report(person, story):
    story.require("phone submitted", "desktop submitted")
    counselor = person("counselor-later")
    page = counselor.page
    counselor.log_in(*COUNSELOR)
    _open_workshop(counselor, "to-review")
    counselor.click_link("Homework", "homework-grid")
    counselor.click_link(EXERCISE, "review")
    counselor.expect_heading(EXERCISE)
    answers = page.get_by_role("region", name="Answers")
    for me in PARTNERS.values():
        expect(answers).to_contain_text(me.draft_text)
        submission = page.get_by_role("region", name=me.name)
        submission.get_by_label("Feedback").fill(me.feedback)
        submission.get_by_role(
            "button", name=re.compile("^Save feedback and mark reviewed")
        ).click()
        counselor.arrive("reviewed")
        counselor.expect_text("Feedback saved; the answers are marked reviewed.")

    _write_sign_and_amend_note(counselor)
    story.counselor_edition_id = _generate_and_release_report(counselor)
    story.counselor_paths += counselor.seen
    story.steps_done.add("report released")


def _open_workshop(counselor: Person, why: str) -> None:
    counselor.click_link("Workshops", f"workshops-{why}", exact=True)
    counselor.click_link(WORKSHOP_TITLE, f"workshop-{why}", exact=True)
    counselor.expect_heading(WORKSHOP_TITLE)


def _write_sign_and_amend_note(counselor: Person) -> None:
    page = counselor.page
    _open_workshop(counselor, "again")
    counselor.click_link("Can this even work?", "first-session")
    counselor.click_link(re.compile(rf"^Write note\s+on {COUPLE_NAME}"), "new-note")
    counselor.expect_heading(f"New note on {COUPLE_NAME}")
    page.get_by_label("Subjective").fill(f"Both arrived early. {NOTE_MARKER}")
    page.get_by_label("Objective").fill("Calm, eye contact, took turns.")
    page.get_by_label("Assessment").fill("Ready to work on communication.")
    page.get_by_label("Plan").fill("Active listening exercise next week.")
    counselor.click_button("Sign note", "note-signed")
    counselor.expect_text(re.compile(r"^Note signed\."))
    page.get_by_label("Addendum").fill(f"Robin called after the session. {ADDENDUM_MARKER}")
    counselor.click_button("Sign and add addendum", "addendum-added")
    counselor.expect_text("Addendum signed and added.")
    expect(page.get_by_text(ADDENDUM_MARKER)).to_be_visible()


def _generate_and_release_report(counselor: Person) -> int:
    """Release the couple's edition; return the id of the counselor's edition (kept back)."""
    page = counselor.page
    _open_workshop(counselor, "for-report")
    counselor.click_link(f"progress and reports of {COUPLE_NAME}", "reports")
    # A counselor edition with the notes, kept inside the practice: never released.
    page.get_by_role("radio", name=re.compile(r"^Counselor edition")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Include my session notes")).check()
    counselor.click_button("Generate report", "counselor-edition")
    counselor.expect_text(re.compile(r"^Report version 1 generated\."))
    page.get_by_role("radio", name=re.compile(r"^For the couple")).check()
    counselor.click_button("Generate report", "couple-edition")
    counselor.expect_text(re.compile(r"^Report version \d+ generated\."))
    couple_row = page.get_by_role("row").filter(has_text="For the couple")
    couple_row.get_by_role("button", name="Release to the couple").click()
    counselor.arrive("released")
    counselor.expect_text("Released: both partners can now download this report.")
    counselor_row = page.get_by_role("row").filter(has_text="Counselor edition")
    expect(counselor_row.get_by_role("button", name="Release to the couple")).to_have_count(0)
    download = counselor_row.get_by_role("link", name="Download").get_attribute("href")
    return int(re.search(r"/reports/(\d+)/download", download).group(1))


# 4. Each partner reads their feedback and downloads the report -------------------------------


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_partner_reads_feedback_and_downloads_the_released_report(person, story, device):
    story.require("report released")
    me = PARTNERS[device]
    other = next(p for p in PARTNERS.values() if p is not me)
    partner = person(f"{device}-partner-later", me.viewport, (NOTE_MARKER, ADDENDUM_MARKER))
    page = partner.page
    partner.log_in(me.email, me.password)
    partner.click_link("Homework", "homework-list")
    partner.click_link(EXERCISE, "homework-reviewed")
    feedback = page.get_by_role("region", name="Your counselor’s feedback")
    expect(feedback).to_contain_text(me.feedback)
    expect(feedback).not_to_contain_text(other.feedback)

    partner.click_link("Progress", "progress")
    report_link = page.get_by_role(
        "link", name=re.compile(rf"^Progress report: {re.escape(WORKSHOP_TITLE)}")
    )
    expect(report_link).to_have_count(1)  # the couple edition only, never the counselor's
    with page.expect_download() as download_info:
        report_link.click()
    download = download_info.value
    pdf = download.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert COUPLE_NAME in text
    assert NOTE_MARKER not in text
    assert ADDENDUM_MARKER not in text
    # The counselor's edition (with the notes) is not theirs, even by its address.
    partner.go(f"/my/reports/{story.counselor_edition_id}/download", "no-such-report", 404)
    story.partner_paths += [*partner.seen, _path(download.url)]
    story.steps_done.add(f"{device} downloaded")


# 5. Privacy: other people at the same addresses ---------------------------------------------


def test_another_couple_gets_404_for_everything_this_couple_saw(person, story):
    story.require("phone downloaded", "desktop downloaded")
    secrets = (NOTE_MARKER, ADDENDUM_MARKER, COUPLE_NAME, *_partner_texts())
    stranger = person("other-couple", PHONE, secrets)
    stranger.log_in(*OTHER_COUPLE_PARTNER)
    for path in _object_paths(story.partner_paths):
        stranger.go(path, "refused", status=404, audit=_first_time(stranger))


def test_another_counselor_gets_404_for_the_counselors_workshop_couple_and_notes(person, story):
    story.require("report released")
    secrets = (NOTE_MARKER, ADDENDUM_MARKER, COUPLE_NAME, *_partner_texts())
    colleague = person("other-counselor", DESKTOP, secrets)
    colleague.log_in(*OTHER_COUNSELOR)
    for path in _object_paths(story.counselor_paths):
        colleague.go(path, "refused", status=404, audit=_first_time(colleague))


def test_partners_cannot_open_the_counselors_pages(person, story):
    """Staff pages refuse a partner by role (403, whatever the id); never show the note."""
    story.require("phone downloaded")
    me = PARTNERS["phone"]
    partner = person("partner-at-staff-pages", PHONE, (NOTE_MARKER, ADDENDUM_MARKER))
    partner.log_in(me.email, me.password)
    for path in _object_paths(story.counselor_paths):
        partner.go(path, "refused", status=403, audit=_first_time(partner))


def _first_time(someone: Person) -> bool:
    """Audit the refusal page once per person: the same template, whatever the address."""
    return not any("-refused" in label for label in someone.labels)


def _partner_texts() -> tuple[str, ...]:
    return tuple(text for p in PARTNERS.values() for text in (p.draft_text, p.feedback))
