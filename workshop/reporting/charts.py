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
    return line_charts(title, series, y_range, y_label, empty_text, widths=(width,))[0]


def line_charts(
    title: str,
    series: list[Series],
    y_range: tuple[float, float],
    y_label: str = "",
    empty_text: str = "No answers yet.",
    widths: tuple[int, ...] = (WIDTH,),
) -> list[Markup]:
    """line_chart at each of these widths. What does not depend on the width (the days, each
    point's height, the legend, the escaped texts) is worked out once: the web pages draw
    every chart twice, narrow and wide."""
    days = sorted({day for s in series for day, _ in s.points})
    safe_title = _e(title)
    if not days:
        message = _e(empty_text)
        return [_svg(_head(safe_title, width), _empty(message, width)) for width in widths]
    frames = [_Frame(days, y_range, width) for width in widths]
    label = _y_label(y_label)
    legend = "".join(_legend(series))
    lines = [_Line(frames[0], one, STYLES[i % len(STYLES)]) for i, one in enumerate(series)]
    charts = []
    for frame in frames:
        xs = {day: frame.x(day) for day in days}
        parts = [_head(safe_title, frame.width), _grid(frame.low, frame.high, frame.width)]
        parts += [label, *_x_axis(frame, days, xs), legend]
        drawn_xs = {day: f"{x:.1f}" for day, x in xs.items()}
        parts += [line.drawn(xs, drawn_xs) for line in lines]
        charts.append(_svg(*parts))
    return charts


def _svg(*parts: str) -> Markup:
    return Markup("".join(parts) + "</svg>")  # nosec B704 # noqa: S704 - escaped parts


def _head(safe_title: str, width: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="line-chart" role="img" '
        f'viewBox="0 0 {width} {HEIGHT}" width="{width}" height="{HEIGHT}" '
        f'aria-label="{safe_title}"><title>{safe_title}</title>'
    )


def _empty(safe_message: str, width: int) -> str:
    return (
        f'<text x="{width / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
        f'font-size="13" fill="#5b667a">{safe_message}</text>'
    )


def _y_label(y_label: str) -> str:
    if not y_label:
        return ""
    middle = TOP + (HEIGHT - TOP - BOTTOM) / 2
    return (
        f'<text x="12" y="{middle:.1f}" transform="rotate(-90 12 {middle:.1f})" '
        f'text-anchor="middle" font-size="11" fill="#3b4558">{_e(y_label)}</text>'
    )


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


def _x_axis(frame: _Frame, days: list[date], xs: dict[date, float]) -> list[str]:
    """The date axis; xs: each day's x at this frame's width."""
    line, title = _x_axis_ends(frame.width)
    parts = [line]
    most_ticks = max(2, MAX_X_TICKS * frame.width // WIDTH)
    every = max(1, -(-len(days) // most_ticks))
    last_x = None
    for day in days[::every]:
        x = xs[day]
        if last_x is not None and x - last_x < MIN_LABEL_GAP:
            continue  # days close together (both partners, a day apart) share one label
        last_x = x
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="#3b4558">{_day_label(day)}</text>'
        )
    parts.append(title)
    return parts


@lru_cache(maxsize=64)
def _x_axis_ends(width: int) -> tuple[str, str]:
    """The axis line and its title: numbers only, the same for every chart of a width."""
    base = HEIGHT - BOTTOM
    line = (
        f'<line x1="{LEFT}" y1="{base}" x2="{width - RIGHT}" y2="{base}" '
        f'stroke="#3b4558" stroke-width="1"/>'
    )
    title = (
        f'<text x="{LEFT + (width - LEFT - RIGHT) / 2}" y="{HEIGHT - 6}" '
        f'text-anchor="middle" '
        f'font-size="11" fill="#3b4558">Date answered</text>'
    )
    return line, title


@lru_cache(maxsize=1024)
def _day_label(day: date) -> str:
    """A date axis label ("18 Oct"): a date only, no data, so kept for the process."""
    return _e(day.strftime("%d %b"))


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


class _Line:
    """One series' line and markers: each point's height worked out and formatted once, for
    every width drawn (only the x positions depend on the width)."""

    def __init__(self, frame: _Frame, one: Series, style: dict):
        self.style = style
        self.points = []  # (day, y as drawn, marker's top as drawn)
        for day, value in sorted(one.points):
            y = frame.y(value)
            self.points.append((day, f"{y:.1f}", f"{y - 3.5:.1f}"))

    def drawn(self, xs: dict[date, float], drawn_xs: dict[date, str]) -> str:
        """The polyline and its markers; xs: each day's x at the width drawn (drawn_xs: as
        written in the SVG)."""
        if not self.points:
            return ""
        color, dash = self.style["color"], self.style["dash"]
        coords = " ".join(f"{drawn_xs[day]},{y}" for day, y, _ in self.points)
        line = (
            f'<polyline class="series" points="{coords}" fill="none" stroke="{color}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}" stroke-linejoin="round"/>'
        )
        if self.style["marker"] == "square":
            return line + "".join(
                f'<rect x="{xs[day] - 3.5:.1f}" y="{top}" width="7" height="7" fill="{color}"/>'
                for day, _, top in self.points
            )
        return line + "".join(
            f'<circle cx="{drawn_xs[day]}" cy="{y}" r="3.5" fill="{color}"/>'
            for day, y, _ in self.points
        )


def _marker(x: float, y: float, style: dict) -> str:
    """A legend's marker."""
    color = style["color"]
    if style["marker"] == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{color}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"/>'
