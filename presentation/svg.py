"""Charts for paper: the same figures the screen's plotly charts draw, written as SVG on the
server, so that a PDF carries its charts with no JavaScript and no network.

`chart_svg(chart)` reads the chart's figure (a plotly Figure or its plain-dict form) and draws
its traces: lines over the periods (gaps where a figure is missing), bars, a doughnut or a heat
map. Each SVG has a title and the chart's data table stays beside it, as on screen. The screen
draws its charts with the same function (`screen=True`: the SVG scales to its column, and the
text alternative is on the chart's wrapper), all but the interactive ones (presentation.charts).
"""

import math
from functools import lru_cache
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56
COLOURS = ["#1d70b8", "#0b0c0c", "#6f72af", "#d53880", "#28a197", "#912b88"]
FONT = 'font-family="system-ui, sans-serif"'


def chart_svg(chart, screen=False):
    """The chart as an SVG element (safe HTML), or "" for a kind of chart it does not draw."""
    figure = chart.figure.to_plotly_json() if hasattr(chart.figure, "to_plotly_json") else chart.figure
    traces = list(figure.get("data", []))
    layout = figure.get("layout", {})
    kinds = {trace.get("type", "scatter") for trace in traces}
    if not traces:
        return ""
    if kinds == {"pie"}:
        body = _doughnut(traces[0])
    elif kinds == {"heatmap"}:
        body = _heat_map(traces[0], _axis_title(layout.get("xaxis", {})), _axis_title(layout.get("yaxis", {})))
    elif kinds <= {"scatter", "bar"}:
        body = _axes_chart(traces, _axis_title(layout.get("yaxis", {})), f"{chart.id}-point" if screen else None)
    else:
        return ""
    if screen:
        # The wrapper (presentation.charts.Chart.html) carries the text alternative.
        return mark_safe(
            f'<svg id="{escape(chart.id)}" class="app-chart__svg app-chart__svg--screen" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">{body}</svg>'
        )
    return mark_safe(
        f'<svg class="app-chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{escape(chart.id)}-svg-title">'
        f'<title id="{escape(chart.id)}-svg-title">{escape(chart.caption)}</title>{body}</svg>'
    )


def _axis_title(axis):
    title = axis.get("title") or {}
    return title.get("text", "") if isinstance(title, dict) else str(title)


def _figures(values):
    return [None if v is None else float(v) for v in values]


def nice_ticks(low, high, count=4):
    """Round tick values covering low..high (e.g. 0, 25, 50, 75, 100)."""
    if low == high:
        low, high = (low - 1, high + 1) if low else (0, 1)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _label(number):
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}".rstrip("0")


def _tick_label(x):
    """A period as the axis shows it: a date axis's ISO day (a period's last day) as its month."""
    text = str(x)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        return f"{MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    return text


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _axes_chart(traces, unit, marker_id=None):
    """Lines and bars over the period labels. With `marker_id` (unique on the page) a line's
    points are SVG markers on the line rather than an element each: the screen's outcome report
    draws hundreds of charts, and a point apiece was most of their bytes and time."""
    labels = [str(x) for x in traces[0].get("x", [])]
    for trace in traces[1:]:
        labels += [str(x) for x in trace.get("x", []) if str(x) not in labels]
    series = [(trace, _figures(trace.get("y", []))) for trace in traces]
    numbers = [n for _, figures in series for n in figures if n is not None]
    if not numbers or not labels:
        return ""
    low = min(0, min(numbers)) if any(t.get("type") == "bar" for t in traces) else min(numbers)
    ticks = nice_ticks(low, max(numbers))
    bottom, top = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(labels)

    def x_of(index):
        return LEFT + slot * (index + 0.5)

    def y_of(number):
        return TOP + plot_h * (1 - (number - bottom) / ((top - bottom) or 1))

    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{_label(tick)}</text>')
    if unit:
        parts.append(
            f'<text transform="translate(12 {TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
            f'font-size="11" {FONT}>{escape(unit)}</text>'
        )
    every = max(1, math.ceil(len(labels) / 10))
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="11" {FONT}>{escape(_tick_label(label))}</text>'
            )
    index_of = {label: index for index, label in enumerate(labels)}
    # Each point's place, worked out once a chart with the arithmetic inline: a report draws
    # hundreds of these charts, so this loop is most of what SVG costs the server.
    y_base, y_scale = TOP + plot_h, plot_h / ((top - bottom) or 1)
    for number, (trace, figures) in enumerate(series):
        colour = _colour(trace, number)
        points = [(index_of[str(x)], y) for x, y in zip(trace.get("x", []), figures)]
        if trace.get("type") == "bar":
            width = slot * 0.6
            colours = (trace.get("marker") or {}).get("color")
            for index, y in points:
                if y is None:
                    continue
                fill = colours[index] if isinstance(colours, list) else colour
                top_y, base = y_of(max(y, 0)), y_of(max(bottom, 0))
                parts.append(
                    f'<rect x="{x_of(index) - width / 2:.1f}" y="{top_y:.1f}" width="{width:.1f}" '
                    f'height="{max(base - top_y, 0):.1f}" fill="{fill}"/>'
                )
            continue
        dash = "" if number == 0 else ' stroke-dasharray="6 4"'
        across = _across(len(labels))
        placed = [
            None if y is None else f"{across[index]},{y_base - (y - bottom) * y_scale:.1f}"
            for index, y in points
        ]
        markers = ""
        if marker_id:
            marker = f"{marker_id}-{number}"
            parts.append(
                f'<defs><marker id="{escape(marker)}" viewBox="0 0 6 6" refX="3" refY="3" markerWidth="6" '
                f'markerHeight="6" markerUnits="userSpaceOnUse"><circle cx="3" cy="3" r="3" fill="{colour}"/>'
                f'</marker></defs>'
            )
            markers = "".join(f' marker-{at}="url(#{escape(marker)})"' for at in ("start", "mid", "end"))
        run, alone = [], []
        for point in placed + [None]:
            if point is None:  # a missing figure breaks the line: a gap shows as a gap
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"{dash}{markers}/>')
                elif run:
                    alone.append(run[0])
                run = []
            else:
                run.append(point)
        circle = f'" r="3" fill="{colour}"/>'
        parts.extend(
            '<circle cx="' + point.replace(",", '" cy="') + circle
            for point in (alone if marker_id else [point for point in placed if point is not None])
        )
    if len(series) > 1:
        x = LEFT
        for number, (trace, _) in enumerate(series):
            name = escape(str(trace.get("name", "")))
            parts.append(f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="4" fill="{_colour(trace, number)}"/>')
            parts.append(f'<text x="{x + 16}" y="{HEIGHT - 12}" font-size="11" {FONT}>{name}</text>')
            x += 28 + 7 * len(name)
    return "".join(parts)


@lru_cache(maxsize=256)
def _across(count):
    """Where each of `count` periods sits across the plot, as the SVG writes it ("94.4"): the
    same for every chart of as many periods, so worked out once."""
    slot = (WIDTH - LEFT - RIGHT) / count
    return tuple(f"{LEFT + slot * 0.5 + slot * index:.1f}" for index in range(count))


def _colour(trace, number):
    line = trace.get("line") or {}
    marker = trace.get("marker") or {}
    colour = line.get("color") or marker.get("color")
    return colour if isinstance(colour, str) else COLOURS[number % len(COLOURS)]


def _doughnut(trace):
    labels = [str(label) for label in trace.get("labels", [])]
    values = [float(v or 0) for v in trace.get("values", [])]
    colours = (trace.get("marker") or {}).get("colors") or COLOURS
    total = sum(values)
    cx, cy, outer, inner = HEIGHT / 2, HEIGHT / 2, HEIGHT / 2 - 12, (HEIGHT / 2 - 12) * 0.55
    parts = []
    angle = -math.pi / 2
    for index, value in enumerate(values):
        if not value:
            continue
        sweep = 2 * math.pi * value / total
        if sweep >= 2 * math.pi - 1e-9:
            sweep = 2 * math.pi - 1e-6
        end = angle + sweep
        large = 1 if sweep > math.pi else 0
        points = [
            (cx + outer * math.cos(angle), cy + outer * math.sin(angle)),
            (cx + outer * math.cos(end), cy + outer * math.sin(end)),
            (cx + inner * math.cos(end), cy + inner * math.sin(end)),
            (cx + inner * math.cos(angle), cy + inner * math.sin(angle)),
        ]
        (x1, y1), (x2, y2), (x3, y3), (x4, y4) = points
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} A{outer:.1f},{outer:.1f} 0 {large} 1 {x2:.1f},{y2:.1f} '
            f'L{x3:.1f},{y3:.1f} A{inner:.1f},{inner:.1f} 0 {large} 0 {x4:.1f},{y4:.1f} Z" '
            f'fill="{colours[index % len(colours)]}" stroke="white" stroke-width="2"/>'
        )
        angle = end
    parts.append(f'<text x="{cx}" y="{cy + 6}" text-anchor="middle" font-size="20" {FONT}>{_label(total)}</text>')
    for index, (label, value) in enumerate(zip(labels, values)):
        y = 24 + index * 20
        parts.append(f'<rect x="{HEIGHT + 16}" y="{y - 10}" width="12" height="12" fill="{colours[index % len(colours)]}"/>')
        parts.append(f'<text x="{HEIGHT + 34}" y="{y}" font-size="12" {FONT}>{escape(label)}: {_label(value)}</text>')
    return "".join(parts)


def _scale_colour(scale, fraction):
    """The colour at `fraction` (0-1) of a plotly colour scale [[0, "#rrggbb"], ...]."""
    for (low, low_colour), (high, high_colour) in zip(scale, scale[1:]):
        if fraction <= high:
            share = 0 if high == low else (fraction - low) / (high - low)
            a, b = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (low_colour, high_colour))
            return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b))
    return scale[-1][1]


def _heat_map(trace, x_title, y_title):
    """Counts in a grid: a column per x, a row per y (the first at the bottom), each cell's count
    written in it and its colour from the trace's colour scale."""
    xs, ys, z = [str(x) for x in trace.get("x", [])], [str(y) for y in trace.get("y", [])], trace.get("z", [])
    if not xs or not ys:
        return ""
    scale = trace.get("colorscale") or [[0, "#f3f2f1"], [1, "#d4351c"]]
    highest = max((n for row in z for n in row), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT - 200, HEIGHT - TOP - BOTTOM
    cell = min(plot_w / len(xs), plot_h / len(ys))
    parts = []
    for row, y in enumerate(ys):
        top = TOP + plot_h - (row + 1) * cell
        parts.append(f'<text x="{LEFT - 6}" y="{top + cell / 2 + 4:.1f}" text-anchor="end" font-size="11" {FONT}>{escape(y)}</text>')
        for column, x in enumerate(xs):
            count = z[row][column]
            left = LEFT + column * cell
            parts.append(
                f'<rect x="{left + 1:.1f}" y="{top + 1:.1f}" width="{cell - 2:.1f}" height="{cell - 2:.1f}" '
                f'fill="{_scale_colour(scale, count / highest)}"/>'
            )
            if count:
                parts.append(
                    f'<text x="{left + cell / 2:.1f}" y="{top + cell / 2 + 5:.1f}" text-anchor="middle" '
                    f'font-size="13" {FONT}>{_label(count)}</text>'
                )
    for column, x in enumerate(xs):
        parts.append(
            f'<text x="{LEFT + (column + 0.5) * cell:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
            f'font-size="11" {FONT}>{escape(x)}</text>'
        )
    if x_title:
        parts.append(
            f'<text x="{LEFT + len(xs) * cell / 2:.1f}" y="{TOP + plot_h + 36}" text-anchor="middle" '
            f'font-size="12" {FONT}>{escape(x_title)}</text>'
        )
    if y_title:
        parts.append(
            f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
            f'font-size="12" {FONT}>{escape(y_title)}</text>'
        )
    return "".join(parts)
