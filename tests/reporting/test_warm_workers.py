"""Processes that render reports set WeasyPrint up once, at start: its import, the font
configuration and the parsed print CSS are reused by every report they render."""

from types import SimpleNamespace

import pytest

from tests.reporting.builders import pdf_text
from workshop import gunicorn_config, templating
from workshop.reporting import pool, render


class SetUpAgain(AssertionError):
    """A render built fonts or parsed the print CSS a second time."""


def _refuse_set_up(monkeypatch) -> None:
    import weasyprint.text.fonts

    def refuse(*args, **kwargs):
        raise SetUpAgain("set up again")

    monkeypatch.setattr(weasyprint.text.fonts, "FontConfiguration", refuse)
    monkeypatch.setattr(render, "_stylesheets", refuse)


def _data(name: str) -> dict:
    return {"paper_size": "A4", "title": name}


def test_after_warm_up_a_render_builds_no_fonts_and_parses_no_css(monkeypatch):
    render.warm_up(("A4",))
    _refuse_set_up(monkeypatch)
    html = "<html><body><h1>{{ title }}</h1></body></html>"
    monkeypatch.setattr(
        render, "render_html", lambda name, data: html.replace("{{ title }}", data["title"])
    )
    first = render.render_pdf("any.html", _data("WARMMARKER-one"))
    second = render.render_pdf("any.html", _data("WARMMARKER-two"))
    assert "WARMMARKER-one" in pdf_text(first)
    assert "WARMMARKER-two" in pdf_text(second)


def test_without_warm_up_the_set_up_happens_at_the_first_render(monkeypatch):
    """The check above can fail: a process that was not warmed sets up on its first report."""
    monkeypatch.setattr(render, "_local", type(render._local)())  # noqa: SLF001 - a new process
    _refuse_set_up(monkeypatch)
    with pytest.raises(SetUpAgain):
        render.render_pdf("couple_report.html", {"paper_size": "A4"})


def test_a_render_worker_warms_up_when_it_starts(monkeypatch):
    warmed = []
    monkeypatch.setattr(render, "warm_up", warmed.append)
    pool.warm_worker("Letter")
    assert warmed == [("Letter",)]


def test_gunicorn_master_warms_up_before_forking_its_workers(monkeypatch):
    warmed = []
    monkeypatch.setattr(render, "warm_up", lambda *sizes: warmed.append(sizes))
    compiled = []  # the templates' part: tests/test_gunicorn_config.py
    monkeypatch.setattr(templating, "compile_templates", compiled.append)
    gunicorn_config.when_ready(server=SimpleNamespace(app=SimpleNamespace(wsgi=lambda: "app")))
    assert warmed == [()]
    assert compiled == ["app"]


def test_an_exiting_gunicorn_worker_frees_its_fonts_first(monkeypatch):
    render.warm_up(("A4",))
    gunicorn_config.worker_exit(server=None, worker=None)
    _refuse_set_up(monkeypatch)
    with pytest.raises(SetUpAgain):  # nothing is left: the next render would set up again
        render.render_pdf("couple_report.html", {"paper_size": "A4"})
