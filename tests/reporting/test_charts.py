"""The SVG chart builder shared by the PDF and the web pages."""

import re
from datetime import date

from workshop.reporting.charts import NARROW_WIDTH, Series, line_chart


def test_chart_draws_one_line_per_partner_with_every_point():
    chart = line_chart(
        "Trust over time",
        [
            Series("Alex", [(date(2026, 1, 1), 3), (date(2026, 1, 8), 5), (date(2026, 1, 15), 7)]),
            Series("Sam", [(date(2026, 1, 1), 4), (date(2026, 1, 15), 6)]),
        ],
        (1, 10),
        y_label="Trust",
    )
    lines = re.findall(r'<polyline class="series" points="([^"]+)"', chart)
    assert [len(points.split()) for points in lines] == [3, 2]
    assert "<title>Trust over time</title>" in chart
    assert ">Alex</text>" in chart
    assert ">Sam</text>" in chart
    assert "01 Jan" in chart
    assert "15 Jan" in chart


def test_higher_values_are_drawn_higher():
    chart = line_chart("T", [Series("A", [(date(2026, 1, 1), 1), (date(2026, 1, 2), 10)])], (1, 10))
    [points] = re.findall(r'points="([^"]+)"', chart)
    (x1, y1), (x2, y2) = (map(float, p.split(",")) for p in points.split())
    assert x2 > x1
    assert y2 < y1  # SVG's y grows downwards


def test_names_and_titles_are_escaped():
    hostile = '<img src="file:///etc/passwd">'
    chart = line_chart(hostile, [Series(hostile, [(date(2026, 1, 1), 2)])], (0, 5))
    assert "<img" not in chart
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in chart or "&lt;img" in chart


def test_empty_data_gives_a_message_not_an_error():
    chart = line_chart("Hope", [Series("Alex"), Series("Sam")], (1, 10))
    assert "No answers yet." in chart
    assert "polyline" not in chart


def test_a_single_day_is_centred():
    chart = line_chart("Hope", [Series("Alex", [(date(2026, 1, 1), 5)])], (1, 10))
    assert re.search(r'<circle cx="33[0-9]\.[0-9]"', chart)


def test_dates_a_day_apart_share_one_label_instead_of_overlapping():
    from datetime import date

    from workshop.reporting.charts import Series, line_chart

    svg = line_chart(
        "Hope",
        [
            Series("Alex", [(date(2026, 10, 18), 4)]),
            Series("Sam", [(date(2026, 10, 19), 3)]),
            Series("Alex", [(date(2026, 11, 15), 7)]),
        ],
        (1, 10),
    )
    assert "18 Oct" in svg
    assert "19 Oct" not in svg  # too close to 18 Oct to print both
    assert "15 Nov" in svg
    assert ">10<" in svg  # the top of the scale is labelled


def test_the_narrow_drawing_for_phones_keeps_everything_inside_its_width():
    weeks = [(date(2026, 1, 1 + 7 * week), week % 10 + 1) for week in range(4)]
    chart = line_chart(
        "Hope", [Series("Alex", weeks), Series("Sam", weeks)], (1, 10), width=NARROW_WIDTH
    )
    assert f'viewBox="0 0 {NARROW_WIDTH} 250"' in chart
    xs = [float(x) for x in re.findall(r'\bx2?="([\d.]+)"', chart)]
    xs += [float(p.split(",")[0]) for p in " ".join(re.findall(r'points="([^"]+)"', chart)).split()]
    assert xs
    assert max(xs) <= NARROW_WIDTH  # nothing is drawn off the narrow canvas
    labels = re.findall(r">(\d\d [A-Z][a-z]{2})</text>", chart)
    assert 2 <= len(labels) <= 4  # fewer date labels than the wide drawing, never overlapping
