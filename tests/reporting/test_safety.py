"""Text that looks like markup stays text and fetches nothing; the fetcher refuses the world."""

import socket
import threading

import pytest
from weasyprint import HTML

from tests.reporting.builders import pdf_reader, pdf_text
from workshop.extensions import db
from workshop.models import ProgressSummary, User
from workshop.reporting import render
from workshop.reporting.data import build_couple_report
from workshop.reporting.render import REPORTS_ROOT, ResourceRefused, make_fetcher, render_pdf


@pytest.fixture
def listener():
    """A socket listening on 127.0.0.1 that counts the connections it gets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            seen.append(1)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join()
    server.close()


def hostile_texts(port: int) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/hostname">',
        f"<style>body {{ background: url(http://127.0.0.1:{port}/css) }}</style>",
        f'<img src="http://127.0.0.1:{port}/img">',
    ]


def test_markup_in_names_answers_and_summary_is_text_and_fetches_nothing(
    app, build, world, listener
):
    port, seen = listener
    story = build.story()
    texts = hostile_texts(port)
    with app.app_context():
        partners = db.session.query(User).filter(User.couple_id == story.couple_id).all()
        partners[0].name = texts[0]
        partners[1].name = texts[1]
        summary = db.session.query(ProgressSummary).one()
        summary.summary = texts[2]
        summary.next_steps = texts[3]
        db.session.commit()
        pdfs = [
            render_pdf(
                "couple_report.html", build_couple_report(story.couple_id, story.workshop_id, e)
            )
            for e in ("couple", "counselor")
        ]
    for pdf in pdfs:
        reader = pdf_reader(pdf)
        assert reader.attachments == {}
        assert "127.0.0.1" in pdf_text(pdf)  # shown as text
    assert seen == []


def test_the_fetcher_refuses_everything_outside_reports(listener):
    port, seen = listener
    fetcher = make_fetcher()
    refused = [
        f"http://127.0.0.1:{port}/",
        f"https://127.0.0.1:{port}/",
        "file:///etc/passwd",
        f"{REPORTS_ROOT.as_uri()}/../pyproject.toml",
        "ftp://127.0.0.1/x",
        "file://example.com/etc/passwd",
    ]
    for url in refused:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    assert fetcher.fetch(f"{REPORTS_ROOT.as_uri()}/print.css").read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert seen == []


def test_even_raw_markup_rendered_with_the_fetcher_loads_nothing(listener):
    """Defence in depth: were markup ever to slip past escaping, nothing would be fetched."""
    port, seen = listener
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css">'
        f'<link rel="attachment" href="file:///etc/hostname">'
        f"<style>@import url(http://127.0.0.1:{port}/b.css);"
        f"p {{ background: url(http://127.0.0.1:{port}/c.png) }}</style>"
        f'<p>hi</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/d.png">'
        f'<a rel="attachment" href="file:///etc/hostname">x</a>'
    )
    pdf = HTML(string=html, base_url=render.BASE_URL, url_fetcher=make_fetcher()).write_pdf()
    assert pdf_reader(pdf).attachments == {}
    assert seen == []


def test_names_in_other_scripts_and_emoji_render(app, build, world):
    couple_id = build.couple(names=("Zoë", "Дарья"))
    story = build.story(couple_id=couple_id)
    with app.app_context():
        summary = db.session.query(ProgressSummary).one()
        summary.summary = "Łukasz and 美咲 say hello 💛"
        db.session.commit()
        pdf = render_pdf("couple_report.html", build_couple_report(couple_id, story.workshop_id))
    text = pdf_text(pdf)
    for name in ("Zoë", "Дарья", "Łukasz", "美咲"):
        assert name in text
    fonts = str([page.get("/Resources") for page in pdf_reader(pdf).pages])
    assert "Emoji" in fonts or "💛" in text
