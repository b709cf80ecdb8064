"""The admin brands the practice's reports: name, logo (PNG or JPEG only) and paper size."""

import io
import re
import struct
import zlib

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.reporting.builders import ReportBuilder, pdf_reader
from workshop.extensions import db
from workshop.models import Practice, User, Workshop
from workshop.reporting import services as reporting
from workshop.reporting.data import build_couple_report
from workshop.reporting.render import render_pdf

BRANDING = "/practice/branding"
LETTER = (612, 792)
A4 = (595, 842)


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG (red pixels), built by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
    b'<a href="https://example.org"><rect width="10" height="10"/></a></svg>'
)


def field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', page, re.DOTALL)
    return found.group(1).strip() if found else ""


def practice_row(app, practice_id: int) -> dict:
    with app.app_context():
        practice = db.session.get(Practice, practice_id)
        return {
            "name": practice.name,
            "paper_size": practice.paper_size,
            "logo": practice.logo,
            "logo_mime": practice.logo_mime,
        }


def send(browser, name="Harbour Counselling", paper_size="A4", logo=None, **extra):
    """Post the branding form as multipart, encoded in memory (the test client would spool a
    large body to a temporary file it never closes)."""
    data = {"name": name, "paper_size": paper_size, **extra}
    data["csrf_token"] = browser.csrf_token(BRANDING)
    if logo is not None:
        data["logo"] = FileStorage(io.BytesIO(logo[1]), logo[0], content_type="image/png")
    boundary, body = encode_multipart(data)
    return browser.client.post(
        BRANDING, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def couple_pdf(app, story) -> bytes:
    with app.app_context():
        data = build_couple_report(story.couple_id, story.workshop_id)
        return render_pdf("couple_report.html", data)


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in pdf_reader(pdf).pages)


def page_size(pdf: bytes) -> tuple[int, int]:
    box = pdf_reader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.fixture
def admin(browser, world):
    browser.login(world.admin)
    return browser


def test_admin_home_and_navigation_link_to_branding(admin):
    page = admin.get("/").get_data(as_text=True)
    assert 'href="/practice/branding"' in page
    assert admin.get(BRANDING).status_code == 200


def test_uploaded_png_appears_on_the_report_cover(app, admin, world):
    story = ReportBuilder(app, world).story()
    assert image_count(couple_pdf(app, story)) == 0  # the bundled mark is vector art

    png = tiny_png()
    response = send(admin, logo=("logo.png", png))
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = practice_row(app, world.practice_id)
    assert saved["name"] == "Harbour Counselling"
    assert saved["logo"] == png
    assert saved["logo_mime"] == "image/png"

    pdf = couple_pdf(app, story)
    assert image_count(pdf) >= 1
    assert "Harbour Counselling" in pdf_reader(pdf).pages[0].extract_text()
    with app.app_context():
        data = build_couple_report(story.couple_id, story.workshop_id)
    assert data["practice_logo"].startswith("data:image/png;base64,")
    assert "/practice/branding" not in data["practice_logo"]


def test_removing_the_logo_brings_back_the_default_mark(app, admin, world):
    story = ReportBuilder(app, world).story()
    send(admin, logo=("logo.png", tiny_png()))
    response = send(admin, remove_logo="y")
    assert response.status_code == 302
    assert practice_row(app, world.practice_id)["logo"] is None
    assert image_count(couple_pdf(app, story)) == 0


def test_a_saved_name_keeps_the_logo(app, admin, world):
    png = tiny_png()
    send(admin, logo=("logo.png", png))
    send(admin, name="Renamed Practice")
    saved = practice_row(app, world.practice_id)
    assert (saved["name"], saved["logo"]) == ("Renamed Practice", png)


def test_letter_paper_gives_us_letter_pages(app, admin, world):
    story = ReportBuilder(app, world).story()
    assert page_size(couple_pdf(app, story)) == A4
    assert send(admin, paper_size="Letter").status_code == 302
    assert practice_row(app, world.practice_id)["paper_size"] == "Letter"
    assert page_size(couple_pdf(app, story)) == LETTER
    with app.app_context():
        workshop = db.session.get(Workshop, story.workshop_id)
        assert reporting._paper_size(workshop) == "Letter"  # noqa: SLF001 - the archived path
        lead = db.session.get(User, workshop.lead_id)
        report = reporting.generate_workshop_report(workshop, lead)
        assert page_size(reporting.read_report(report)) == LETTER


def test_paper_size_falls_back_to_the_setting_without_a_practice(app):
    with app.app_context():
        assert reporting._paper_size() == app.config["REPORT_PAPER_SIZE"]  # noqa: SLF001


@pytest.mark.parametrize(
    ("logo", "expected"),
    [
        (("logo.png", b"just some text, not an image at all"), "PNG or JPEG"),
        (("logo.svg", SVG), "PNG or JPEG"),
        (("logo.png", SVG), "PNG or JPEG"),
        (("logo.png", tiny_png()[:30]), "damaged"),
        (("big.png", tiny_png() + b"\x00" * (1024 * 1024)), "1 MB"),
        (("empty.png", b""), "empty"),
    ],
)
def test_bad_logos_are_refused_with_a_field_error(app, admin, world, logo, expected):
    before = practice_row(app, world.practice_id)
    response = send(admin, name="Changed Name", logo=logo)
    assert response.status_code == 200
    assert expected in field_error(response.get_data(as_text=True), "logo")
    assert practice_row(app, world.practice_id) == before  # nothing saved, name included


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 121}, "name"), ({"paper_size": "A3"}, "paper_size")],
)
def test_bad_name_or_paper_size_are_field_errors(app, admin, world, changes, field):
    before = practice_row(app, world.practice_id)
    response = send(admin, **changes)
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), field)
    assert practice_row(app, world.practice_id) == before


@pytest.mark.parametrize("who", ["counselor", "partner"])
def test_counselors_and_partners_are_refused(app, browser, world, who):
    browser.login(getattr(world, who))
    assert browser.get(BRANDING).status_code == 403
    response = browser.post(BRANDING, {"name": "Hijacked", "paper_size": "A4"}, token_from="/")
    assert response.status_code == 403
    assert practice_row(app, world.practice_id)["name"] == "Practice A"


def test_another_practices_admin_changes_only_their_own_practice(app, browser, world):
    browser.login(world.other_practice_admin)
    assert send(browser, name="Practice B Renamed", logo=("l.png", tiny_png())).status_code == 302
    assert practice_row(app, world.practice_id) == {
        "name": "Practice A",
        "paper_size": "A4",
        "logo": None,
        "logo_mime": None,
    }
    with app.app_context():
        other = db.session.scalar(select(Practice).where(Practice.name == "Practice B Renamed"))
        assert other is not None
        assert other.id != world.practice_id
