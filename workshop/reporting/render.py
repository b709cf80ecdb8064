"""One way to make a PDF: a Jinja template from reports/, fed plain data, rendered by WeasyPrint.

WeasyPrint may load files under the top-level reports/ folder and data: URLs, nothing else: the
fetcher below refuses http(s), ftp, redirects and any file outside reports/, on every HTML() and
CSS() call. The print CSS and the font configuration are parsed once per thread and reused, so a
warm render pays only for layout.
"""

import atexit
import functools
import gc
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

REPORTS_ROOT = (Path(__file__).resolve().parents[2] / "reports").resolve()
BASE_URL = REPORTS_ROOT.as_uri() + "/"
STYLESHEET = "print.css"
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}
# Tagged and accessible. WeasyPrint 70 writes PDF/UA-1 (PDF 1.7, tags on) without trouble.
PDF_VARIANT = "pdf/ua-1"

_jinja = Environment(
    loader=FileSystemLoader(REPORTS_ROOT),
    autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_local = threading.local()
# WeasyPrint logs every step of every render at INFO ("Step 2 - Fetching and parsing CSS"):
# in production (INFO) that would be a dozen lines per report. Its warnings still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class ResourceRefused(ValueError):
    """A report tried to load something from outside reports/ (or over the network)."""


def make_fetcher():
    """The restrictive URL fetcher (built lazily: importing WeasyPrint costs half a second)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ReportsFetcher(URLFetcher):
        """Serves files under reports/ and data: URLs; refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=2)

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ResourceRefused(f"refused {scheme or 'relative'} URL")
            path = _local_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
            )

        def open(self, url, data=None, timeout=None):
            # urllib's handlers (and their redirects) are never used: only fetch() opens.
            raise ResourceRefused("refused")

    return ReportsFetcher()


def _local_path(url: str) -> Path:
    """The file a file: URL names, if it lies inside reports/ (symlinks resolved)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ResourceRefused("refused remote file URL")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(REPORTS_ROOT) or not path.is_file():
        raise ResourceRefused("refused file outside reports/")
    return path


def _toolkit(paper_size: str):
    """This thread's fetcher, font configuration and parsed stylesheets (made once)."""
    kit = getattr(_local, "kit", None)
    if kit is None:
        from weasyprint.text.fonts import FontConfiguration

        kit = _local.kit = {"fetcher": make_fetcher(), "fonts": FontConfiguration(), "css": {}}
        _free_toolkits_at_exit()
    if paper_size not in kit["css"]:
        kit["css"][paper_size] = _stylesheets(kit, paper_size)
    return kit


def warm_up(paper_sizes=tuple(PAPER_SIZES)) -> None:
    """Import WeasyPrint, build the font configuration and parse the print CSS now, once per
    process (a render worker at start; gunicorn's master before it forks its workers), so no
    report pays for them (seconds on a busy machine)."""
    import weasyprint  # noqa: F401 - the import itself is what is warmed

    for paper_size in paper_sizes:
        _toolkit(paper_size)


def forget_toolkit() -> None:
    """Drop this thread's fonts and stylesheets (a worker about to exit frees them first)."""
    _local.__dict__.pop("kit", None)


@functools.cache  # once per process
def _free_toolkits_at_exit() -> None:
    """Have the process free its fonts and stylesheets when it exits normally, while their C
    libraries are still loaded. Left to the interpreter's shutdown, their finalizers can run in
    the wrong order and crash the process (SIGSEGV: the RQ worker on every stop, a script that
    rendered a report), which a supervisor reports as a crash. Processes that end with
    os._exit (forked job children) skip this."""
    atexit.register(free_toolkits)


def free_toolkits() -> None:
    """Free this thread's fonts and stylesheets now (a process about to exit)."""
    forget_toolkit()
    gc.collect()


def _stylesheets(kit, paper_size: str) -> list:
    from weasyprint import CSS

    page = f"@page {{ size: {PAPER_SIZES.get(paper_size, 'A4')}; }}"
    common = {"base_url": BASE_URL, "url_fetcher": kit["fetcher"], "font_config": kit["fonts"]}
    return [CSS(filename=str(REPORTS_ROOT / STYLESHEET), **common), CSS(string=page, **common)]


def render_html(template_name: str, data: dict) -> str:
    """The report's HTML (autoescaped: every value from the data is text, never markup)."""
    return _jinja.get_template(template_name).render(**data)


def render_pdf(template_name: str, data: dict) -> bytes:
    """The PDF of a report template from reports/ filled with plain `data`."""
    from weasyprint import HTML

    kit = _toolkit(data.get("paper_size") or "A4")
    document = HTML(
        string=render_html(template_name, data),
        base_url=BASE_URL,
        url_fetcher=kit["fetcher"],
    )
    return document.write_pdf(
        stylesheets=kit["css"][data.get("paper_size") or "A4"],
        font_config=kit["fonts"],
        pdf_variant=PDF_VARIANT,
        attachments=[],
    )
