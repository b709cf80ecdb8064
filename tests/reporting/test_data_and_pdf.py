"""The couple report: what each edition holds, and what the PDF says."""

import re

from tests.helpers import counting_queries
from tests.reporting.builders import (
    NOTE_MARKER,
    PRIVATE_MARKER,
    SAFETY_MARKER,
    SUMMARY_TEXT,
    pdf_reader,
    pdf_text,
)
from workshop.extensions import db
from workshop.reporting.data import build_couple_report
from workshop.reporting.render import render_pdf
from workshop.reporting.workshop_data import build_workshop_report


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def couple_pdf(app, story, edition="couple", include_notes=False) -> bytes:
    with app.app_context():
        data = build_couple_report(story.couple_id, story.workshop_id, edition, include_notes)
        return render_pdf("couple_report.html", data)


def test_couple_edition_shows_names_stages_and_attendance(app, build):
    story = build.story()
    text = flat(pdf_text(couple_pdf(app, story)))
    assert "Alex & Sam" in text
    for title in ("Can this even work?", "The right time", "Mutual cooperation"):
        assert title in text
    assert "Alex attended 4 of 4 sessions (100%)" in text
    assert "Sam attended 3 of 4 sessions (75%)" in text
    assert SUMMARY_TEXT in text
    assert "Page 1 of" in text


def test_couple_edition_never_shows_notes_private_or_safety_answers(app, build):
    story = build.story()
    text = pdf_text(couple_pdf(app, story, edition="couple", include_notes=True))
    for marker in (NOTE_MARKER, PRIVATE_MARKER, SAFETY_MARKER):
        assert marker not in text


def test_counselor_edition_shows_answers_but_notes_only_when_ticked(app, build):
    story = build.story()
    without = flat(pdf_text(couple_pdf(app, story, edition="counselor")))
    assert PRIVATE_MARKER in without
    assert SAFETY_MARKER in without
    assert NOTE_MARKER not in without
    with_notes = flat(pdf_text(couple_pdf(app, story, edition="counselor", include_notes=True)))
    assert NOTE_MARKER in with_notes


def test_pdf_is_tagged_with_title_author_and_language(app, build):
    story = build.story()
    reader = pdf_reader(couple_pdf(app, story))
    assert reader.metadata.title == "Progress report: Alex & Sam"
    assert reader.metadata.author
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert "/EmbeddedFiles" not in root.get("/Names", {})


def test_report_data_costs_the_same_queries_however_long_the_workshop(app, build, world):
    short = build.story(sessions=2)
    other = build.couple(names=("Kim", "Lee"))
    long = build.story(couple_id=other, sessions=12)
    counts = []
    for story in (short, long):
        with counting_queries(app) as statements, app.app_context():
            build_couple_report(story.couple_id, story.workshop_id, "counselor", True)
            db.session.rollback()
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_couple_with_no_sessions_or_answers_gets_a_short_report(app, build, world):
    built = build.workshop(couples=(world.couple_id,))
    with app.app_context():
        data = build_couple_report(world.couple_id, built.id)
        pdf = render_pdf("couple_report.html", data)
    text = flat(pdf_text(pdf))
    assert "No sessions have taken place yet" in text
    assert "No homework has been given yet" in text
    assert len(pdf_reader(pdf).pages) <= 3


def test_workshop_summary_lists_every_couple(app, build):
    story = build.story()
    with app.app_context():
        data = build_workshop_report(story.workshop_id)
        text = flat(pdf_text(render_pdf("workshop_report.html", data)))
    assert "Alex & Sam" in text
    assert "88%" in text  # 7 of 8 partner-sessions attended


def test_a_private_answers_measure_stays_out_of_the_couples_charts(app, build):
    """Alex's trust score came from a private exercise: Sam must not read it in their report."""
    story = build.story()
    with app.app_context():
        couple = build_couple_report(story.couple_id, story.workshop_id, "couple")
        counselor = build_couple_report(story.couple_id, story.workshop_id, "counselor")
    assert "trust" not in {measure["key"] for measure in couple["measures"]}
    assert "trust" in {measure["key"] for measure in counselor["measures"]}
    assert "readiness" in {measure["key"] for measure in couple["measures"]}


def test_a_report_whose_transaction_rolls_back_leaves_no_file_behind(app, build):
    from pathlib import Path

    from workshop.reporting.services import generate_couple_report

    story = build.story()
    reports_dir = Path(app.config["REPORTS_DIR"])
    with app.app_context():
        workshop, couple, counselor = build.loaded(story.workshop_id, story.couple_id)
        report = generate_couple_report(workshop, couple, counselor)
        written = reports_dir / report.file_path
        assert written.exists()
        db.session.rollback()  # e.g. a later step of the same action failed
    assert not written.exists()
    with app.app_context():
        workshop, couple, counselor = build.loaded(story.workshop_id, story.couple_id)
        kept = generate_couple_report(workshop, couple, counselor)
        db.session.commit()
        assert (reports_dir / kept.file_path).exists()
