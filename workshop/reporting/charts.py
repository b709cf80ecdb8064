"""A small SVG line-chart builder, shared by the PDF reports and the web pages.

Pure Python, no dependencies: every text that comes from data (titles, partners' names) is
escaped, so a name like `<img src=...>` is drawn as text and never becomes markup.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 250
# The web pages also draw each chart this narrow, for phones: the wide one scaled down to a
# phone's width would shrink its labels to about 5 px.
NARROW_WIDTH = 330
LEFT, RIGHT, TOP, BOTTOM = 48, 18, 40, 44
# Two partners: told apart by colour AND by dash and marker, so a grey print still works.
STYLES = [
    {"color": "#2f6690", "dash": "", "marker": "circle"},
    {"color": "#b5532a", "dash": "6 4", "marker": "square"},
    {"color": "#4f7a3a", "dash": "2 3", "marker": "circle"},
    {"color": "#6b4c9a", "dash": "8 3 2 3", "marker": "square"},
]
MAX_X_TICKS = 6


@dataclass
class Series:
    """One line: a label for the legend and (day, value) points."""

    label: str
    points: list[tuple[date, float]] = field(default_factory=list)


def _e(text) -> str:
    return escape(str(text), quote=True)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


class _Frame:
    """Maps days and values to SVG coordinates inside the plot area."""

    def __init__(self, days: list[date], y_range: tuple[float, float], width: int):
        self.width = width
        self.first, self.last = min(days), max(days)
        self.low, self.high = y_range if y_range[1] > y_range[0] else (y_range[0], y_range[0] + 1)
        # Worked out once: a page draws several charts, each point twice (line and marker).
        self._span = (self.last - self.first).days
        self._plot_width = width - LEFT - RIGHT
        self._plot_height = HEIGHT - TOP - BOTTOM

    def x(self, day: date) -> float:
        if self._span == 0:
            return LEFT + self._plot_width / 2
        return LEFT + self._plot_width * (day - self.first).days / self._span

    def y(self, value: float) -> float:
        ratio = (min(max(value, self.low), self.high) - self.low) / (self.high - self.low)
        return TOP + self._plot_height * (1 - ratio)


def line_chart(
    title: str,
    series: list[Series],
    y_range: tuple[float, float],
    y_label: str = "",
    empty_text: str = "No answers yet.",
    width: int = WIDTH,
) -> Markup:
    """An accessible SVG chart of each series over time (a short message when there is no data)."""
    days = sorted({day for s in series for day, _ in s.points})
    safe_title = _e(title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="line-chart" role="img" '
        f'viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" '
        f'aria-label="{safe_title}"><title>{safe_title}</title>'
    )
    if not days:
        message = (
            f'<text x="{width / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
            f'font-size="13" fill="#5b667a">{_e(empty_text)}</text>'
        )
        return Markup(head + message + "</svg>")  # nosec B704 # noqa: S704 - escaped parts
    frame = _Frame(days, y_range, width)
    parts = [head, *_y_axis(frame, y_label), *_x_axis(frame, days), *_legend(series)]
    for index, one in enumerate(series):
        parts += _line(frame, one, STYLES[index % len(STYLES)])
    return Markup("".join(parts) + "</svg>")  # nosec B704 # noqa: S704 - escaped parts


def _y_axis(frame: _Frame, y_label: str) -> list[str]:
    parts = [_grid(frame.low, frame.high, frame.width)]
    if y_label:
        middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
        parts.append(
            f'<text x="12" y="{middle:.1f}" transform="rotate(-90 12 {middle:.1f})" '
            f'text-anchor="middle" font-size="11" fill="#3b4558">{_e(y_label)}</text>'
        )
    return parts


@lru_cache(maxsize=64)
def _grid(low: float, high: float, width: int) -> str:
    """The value grid lines and their labels: the same for every chart of a scale and width
    (numbers only, no data), so drawn once per process."""
    frame_height = HEIGHT - TOP - BOTTOM
    parts = []
    for value in _ticks(low, high):
        y = TOP + frame_height * (1 - (value - low) / (high - low))
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" '
            f'stroke="#d8dee8" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#3b4558">{_fmt(value)}</text>'
        )
    return "".join(parts)


def _ticks(low: float, high: float) -> list[float]:
    """Round tick values: whole steps of 1 or 2 on short scales, fifths otherwise."""
    span = high - low
    if span == int(span) and span <= 12:
        step = 1 if span <= 6 else 2
        ticks = [low + step * i for i in range(int(span // step) + 1)]
        # The top of the scale ("10 = completely") is always labelled, even off the step.
        return ticks if ticks[-1] == high else [*ticks, high]
    return [low + span * i / 5 for i in range(6)]


MIN_LABEL_GAP = 44  # px between date labels, so "18 Oct" and "19 Oct" never overlap


def _x_axis(frame: _Frame, days: list[date]) -> list[str]:
    base = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{base}" x2="{frame.width - RIGHT}" y2="{base}" '
        f'stroke="#3b4558" stroke-width="1"/>'
    ]
    most_ticks = max(2, MAX_X_TICKS * frame.width // WIDTH)
    every = max(1, -(-len(days) // most_ticks))
    last_x = None
    for day in days[::every]:
        x = frame.x(day)
        if last_x is not None and x - last_x < MIN_LABEL_GAP:
            continue  # days close together (both partners, a day apart) share one label
        last_x = x
        parts.append(
            f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" '
            f'fill="#3b4558">{_e(day.strftime("%d %b"))}</text>'
        )
    parts.append(
        f'<text x="{LEFT + (frame.width - LEFT - RIGHT) / 2}" y="{HEIGHT - 6}" '
        f'text-anchor="middle" '
        f'font-size="11" fill="#3b4558">Date answered</text>'
    )
    return parts


def _legend(series: list[Series]) -> list[str]:
    parts = []
    x = LEFT
    for index, one in enumerate(series):
        style = STYLES[index % len(STYLES)]
        parts.append(
            f'<line x1="{x}" y1="16" x2="{x + 24}" y2="16" stroke="{style["color"]}" '
            f'stroke-width="2.5" stroke-dasharray="{style["dash"]}"/>'
            f"{_marker(x + 12, 16, style)}"
            f'<text x="{x + 30}" y="20" font-size="12" fill="#1d2330">{_e(one.label)}</text>'
        )
        x += 40 + 8 * min(len(one.label), 24)
    return parts


def _line(frame: _Frame, one: Series, style: dict) -> list[str]:
    points = sorted(one.points)
    if not points:
        return []
    # Each point's position, worked out and formatted once for the line and its marker.
    xy = [(frame.x(day), frame.y(value)) for day, value in points]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts = [
        f'<polyline class="series" points="{coords}" fill="none" stroke="{style["color"]}" '
        f'stroke-width="2.5" stroke-dasharray="{style["dash"]}" stroke-linejoin="round"/>'
    ]
    return parts + _markers(xy, style)


def _markers(xy: list[tuple[float, float]], style: dict) -> list[str]:
    color = style["color"]
    if style["marker"] == "square":
        return [
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{color}"/>'
            for x, y in xy
        ]
    return [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>' for x, y in xy]


def _marker(x: float, y: float, style: dict) -> str:
    return _markers([(x, y)], style)[0]
