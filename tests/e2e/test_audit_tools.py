"""The audit tools themselves catch what they are there for (so a green run means something)."""

import pytest

from tests.e2e.audit import BLOCKING_IMPACTS, axe_violations, nu_checker_missing, run_nu_checker

BAD_PAGE = """<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>
<p style="color:#bbb;background:#fff">Grey on white</p>
<label>Name</label><input type="text" name="name">
</main></body></html>"""


def test_axe_flags_low_contrast_and_an_unlabelled_field_as_blocking(chromium):
    page = chromium.new_page()
    try:
        page.set_content(BAD_PAGE)
        blocking = {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS}
    finally:
        page.close()
    assert {"color-contrast", "label"} <= blocking


def test_the_nu_checker_reports_invalid_html(tmp_path):
    if nu_checker_missing():
        pytest.skip(f"the Nu Html Checker cannot run here: {nu_checker_missing()}")
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<p id="a">one</p><p id="a">two</p><select required><option value="1">1</option>'
        "</select></body></html>"
    )
    messages = [m["message"] for m in run_nu_checker([bad])]
    assert any("Duplicate ID" in m for m in messages)
    assert any("first “option”" in m for m in messages)
