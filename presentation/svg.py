"""Charts for paper: the same figures the screen's plotly charts draw, written as SVG on the
server, so that a PDF carries its charts with no JavaScript and no network.

`chart_svg(chart)` reads the chart's figure (a plotly Figure or its plain-dict form) and draws
its traces: lines over the periods (gaps where a figure is missing), bars, or a doughnut. Each
SVG has a title and the chart's data table stays beside it, as on screen.
"""

import math
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56
COLOURS = ["#1d70b8", "#0b0c0c", "#6f72af", "#d53880", "#28a197", "#912b88"]
FONT = 'font-family="system-ui, sans-serif"'


def chart_svg(chart):
    """The chart as an SVG element (safe HTML), or "" for a kind of chart paper does not draw."""
    figure = chart.figure.to_plotly_json() if hasattr(chart.figure, "to_plotly_json") else chart.figure
    traces = list(figure.get("data", []))
    layout = figure.get("layout", {})
    kinds = {trace.get("type", "scatter") for trace in traces}
    if not traces:
        return ""
    if kinds == {"pie"}:
        body = _doughnut(traces[0])
    elif kinds <= {"scatter", "bar"}:
        body = _axes_chart(traces, _axis_title(layout.get("yaxis", {})))
    else:
        return ""
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


def _axes_chart(traces, unit):
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
                f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="11" {FONT}>{escape(label)}</text>'
            )
    for number, (trace, figures) in enumerate(series):
        colour = _colour(trace, number)
        points = [(labels.index(str(x)), y) for x, y in zip(trace.get("x", []), figures)]
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
        run = []
        for index, y in points + [(None, None)]:
            if y is None:  # a missing figure breaks the line: a gap shows as a gap
                if len(run) > 1:
                    path = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in run)
                    parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
                run = []
            else:
                run.append((index, y))
                parts.append(f'<circle cx="{x_of(index):.1f}" cy="{y_of(y):.1f}" r="3" fill="{colour}"/>')
    if len(series) > 1:
        x = LEFT
        for number, (trace, _) in enumerate(series):
            name = escape(str(trace.get("name", "")))
            parts.append(f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="4" fill="{_colour(trace, number)}"/>')
            parts.append(f'<text x="{x + 16}" y="{HEIGHT - 12}" font-size="11" {FONT}>{name}</text>')
            x += 28 + 7 * len(name)
    return "".join(parts)


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
