"""Plotly figures for the reports, each with the data table that is shown beside it.

A Chart carries the figure and the same figures as table rows, so a chart never appears
without its table (WCAG: information must not depend on the picture alone). Pages render it
with `{% include "includes/chart.html" %}`: as SVG drawn on the server (presentation.svg, as
for paper), which costs the browser nothing, unless the chart is `interactive` (the measure
page's charts, with hover, zoom and the SPC layers), which plotly.js draws from our own static
files (a partial bundle: `{% include "includes/chart_scripts.html" %}` in that page's head).

Figures are plain dicts in plotly.js's own JSON form ({"data": [traces], "layout": {...}}):
plotly.js draws them as it would draw a plotly `Figure`, and a dict costs a fraction of a
millisecond to build where a `Figure` costs about 6 ms.

The figure travels as a JSON data block that static/js/charts.js hands to plotly.js, never as an
inline script, so the Content-Security-Policy need not allow inline scripts.
"""

import html
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

from measures.numbers import format_number
from measures.rating import RAG
from presentation.svg import chart_svg

# GOV.UK Frontend's palette, so that charts and RAG tags agree.
RAG_COLOURS = {RAG.RED: "#d4351c", RAG.AMBER: "#f47738", RAG.GREEN: "#00703c", RAG.ND: "#505a5f"}
SERIES_COLOURS = ["#1d70b8", "#0b0c0c", "#6f72af", "#d53880", "#28a197", "#912b88"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
PAGE_LAYOUT = {
    "font": {"family": FONT, "size": 14, "color": "#0b0c0c"},
    "margin": {"l": 50, "r": 20, "t": 30, "b": 50},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "height": 320,
}


@dataclass
class Chart:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    figure: dict = field(repr=False)
    id: str = "chart"
    # Drawn by plotly.js in the browser (hover, zoom) rather than as SVG from the server.
    interactive: bool = False
    # The cells after each row's first are number text (measures.numbers: digits, separators,
    # signs and units), which has nothing to escape: the outcome report's 15,600 figures skip it.
    plain_figures: bool = False

    @property
    def wide(self):
        """A table of more than three columns needs the page's width: it goes under the chart."""
        return len(self.headers) > 3

    @property
    def table_body(self):
        """The data table's rows (`<tr>`s), the first cell of each a row header and the figures
        right-aligned: written in Python, since the outcome report's 260 charts have 15,600 rows
        and a template loop over their cells cost most of the page's time."""
        return _table_body(self.rows, ' class="govuk-table__cell govuk-table__cell--numeric"', self.plain_figures)

    @property
    def paper_table_body(self):
        """The same rows for the PDF, where the figures keep the paper's plain cells."""
        return _table_body(self.rows, ' class="govuk-table__cell"', self.plain_figures)

    @property
    def screen_html(self):
        """The chart with its data table beside it (under it when wide), as
        templates/includes/chart.html writes it, in one pass: the outcome report shows 260."""
        wide = self.wide
        chart_column, table_column = ("full", "full") if wide else ("two-thirds", "one-third")
        caption = escaped(self.caption)
        headers = "".join(
            f'<th scope="col" class="govuk-table__header{"" if index == 0 else " govuk-table__header--numeric"}">'
            f"{escaped(header)}</th>"
            for index, header in enumerate(self.headers)
        )
        return mark_safe(
            f'\n<div class="govuk-grid-row app-chart">\n'
            f'  <div class="govuk-grid-column-{chart_column}">{self.html}</div>\n'
            f'  <div class="govuk-grid-column-{table_column}">\n'
            f'    <div class="app-table-wrapper" tabindex="0" role="region" aria-label="{caption}: data">\n'
            f'      <table class="govuk-table app-chart__table">\n'
            f'        <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>\n'
            f'        <thead class="govuk-table__head">\n'
            f'          <tr class="govuk-table__row">{headers}</tr>\n'
            f"        </thead>\n"
            f'        <tbody class="govuk-table__body">{self.table_body}</tbody>\n'
            f"      </table>\n"
            f"    </div>\n"
            f"  </div>\n"
            f"</div>\n"
        )

    @property
    def html(self):
        """The chart for the screen, with its text alternative: SVG drawn here, or (interactive)
        an empty div that static/js/charts.js draws the figure into, and the figure as JSON in
        `<script type="application/json" id="<id>-data">` (data, not run by the browser)."""
        label = f"Chart: {self.caption}. The table beside it gives the same figures."
        if not self.interactive:
            return format_html(
                '<div class="app-chart__figure" role="img" aria-label="{}">{}</div>',
                label, chart_svg(self, screen=True),
            )
        figure = {**self.figure, "layout": {**self.figure.get("layout", {}), **PAGE_LAYOUT}}
        # json_script escapes <, > and & so no figure text can close the script element.
        data = json_script(figure, f"{self.id}-data")
        return format_html(
            '<div class="app-chart__figure" role="img" aria-label="{}">'
            '<div id="{}" class="app-chart__plot"></div>{}</div>',
            label,
            self.id,
            data,
        )


def escaped(text):
    """`text` as HTML: as Django's conditional_escape gives it, without its lazy-text wrapper
    (which doubled its cost over a report's 30,000 cells)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


# A few dozen period labels head the outcome report's 15,600 rows: each is escaped once.
_escaped_label = lru_cache(maxsize=4096, typed=True)(escaped)  # typed: a SafeString is not its str


def _table_body(rows, cell_class, plain_figures=False):
    td, text = f"<td{cell_class}>", (str if plain_figures else escaped)
    return mark_safe("".join(
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{_escaped_label(row[0])}</th>'
        + "".join(f"{td}{text(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    ))
    return mark_safe("".join(
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{escaped(row[0])}</th>'
        + "".join(f"{td}{escaped(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    ))


def _number(value):
    return None if value is None else float(value)


STEPPED = ("Target", "Minimum standard")  # set per period: drawn as steps on a date axis


def trend(caption, labels, series, formatter=str, chart_id="trend", dates=None, notes=None, unit=""):
    """A line per named series over the period labels, e.g. Value, Target, Same period last year.

    `series` maps a name to one figure (a Decimal or None) per label; `formatter` writes a
    figure for the table as the reports print it. With `dates` (each period's last day) time
    runs on a date axis, so a year with no figures shows as a year-wide gap, and a "Target"
    series steps from period to period; `notes` (one text per label, e.g. the commentary) show
    on hovering over the first series' points; `unit` titles the vertical axis.
    """
    traces = []
    for index, (name, figures) in enumerate(series.items()):
        trace = {
            "type": "scatter",
            "x": [d.isoformat() for d in dates] if dates else list(labels),
            "y": [_number(v) for v in figures],
            "name": name,
            "mode": "lines+markers",
            "line": {
                "color": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                "dash": "solid" if index == 0 else "dash",
                "shape": "hv" if dates and name in STEPPED else "linear",
            },
            "connectgaps": False,
        }
        if index == 0 and notes:
            trace["text"] = [_hover_note(note) for note in notes]
            trace["hovertemplate"] = "%{y}<br>%{text}<extra>%{x}</extra>"
        traces.append(trace)
    figure = {"data": traces, "layout": {
        "xaxis": _date_axis(dates, labels) if dates else {"type": "category", "showgrid": False},
        "yaxis": {"gridcolor": "#e5e5e5", "zeroline": False, "title": {"text": unit}},
        "legend": {"orientation": "h", "y": -0.25},
        "showlegend": len(series) > 1,
    }}
    rows = [
        [label] + [formatter(figures[i]) if figures[i] is not None else "" for figures in series.values()]
        for i, label in enumerate(labels)
    ]
    return Chart(caption, ["Period", *series.keys()], rows, figure, chart_id)


MAX_TICKS = 12


def _date_axis(dates, labels):
    """A date axis ticked at the periods themselves and labelled as the tables label them
    (measures.periods.label): a year is "2017" at its own point, never monthly ticks or "Jan 2018",
    and one figure is not drawn on an axis of milliseconds. At most MAX_TICKS labels, evenly
    spaced, the latest always among them."""
    step = max(1, -(-len(dates) // MAX_TICKS))
    chosen = list(range(len(dates) - 1, -1, -step))[::-1]
    return {
        "type": "date", "showgrid": False, "tickmode": "array",
        "tickvals": [dates[i].isoformat() for i in chosen], "ticktext": [str(labels[i]) for i in chosen],
    }


def _hover_note(note, words=40):
    """A point's note for hovering: its first words, wrapped for the tooltip."""
    shown = note.split()
    text = " ".join(shown[:words]) + (" …" if len(shown) > words else "")
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 60:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return "<br>".join(lines + [line]) if text else ""


def counts_bar(caption, counts, colours, chart_id="counts"):
    """A bar per category (e.g. RAG) with its count, coloured by category."""
    names = list(counts)
    figure = {
        "data": [{
            "type": "bar",
            "x": names,
            "y": [counts[n] for n in names],
            "marker": {"color": [colours.get(n, SERIES_COLOURS[0]) for n in names]},
            "text": [counts[n] for n in names],
            "textposition": "outside",
        }],
        "layout": {"yaxis": {"gridcolor": "#e5e5e5", "rangemode": "tozero"}, "showlegend": False},
    }
    return Chart(caption, ["", "Count"], [[n, str(counts[n])] for n in names], figure, chart_id)


# The outcome report and the risk register (issue 5).

TREND_COLOURS = {
    "No trend": "#505a5f", "Improving": "#00703c", "Unchanged": "#1d70b8", "Worsening": "#d4351c",
}
LEVEL_COLOURS = {"High": "#d4351c", "Medium": "#f47738", "Low": "#00703c"}


def doughnut(caption, counts, colours, chart_id="doughnut"):
    """A doughnut of the count in each category, the total in its hole; categories with no
    items stay in the table (as 0) but draw no slice."""
    names = list(counts)
    total = sum(counts.values())
    figure = {
        "data": [{
            "type": "pie",
            "labels": names,
            "values": [counts[n] for n in names],
            "hole": 0.55,
            "sort": False,
            "direction": "clockwise",
            "marker": {"colors": [colours.get(n, SERIES_COLOURS[0]) for n in names],
                       "line": {"color": "white", "width": 2}},
            # An empty category draws no slice; its 0 would float at the edge, so it has no label.
            "text": [str(counts[n]) if counts[n] else "" for n in names],
            "textinfo": "text",
            "hovertemplate": "%{label}: %{value}<extra></extra>",
        }],
        "layout": {
            "annotations": [{"text": f"{total}<br>in total", "showarrow": False, "font": {"size": 16}}],
            "legend": {"orientation": "h", "y": -0.1},
        },
    }
    rows = [[n, str(counts[n])] for n in names] + [["Total", str(total)]]
    return Chart(caption, ["", "Count"], rows, figure, chart_id)


def heat_map(caption, counts, likelihoods, impacts, chart_id="heat-map"):
    """Risks counted by likelihood (rows, lowest at the bottom) and impact (columns).

    `counts` maps (likelihood, impact) to a number of risks; the table beside it has a row per
    likelihood, highest first as a register prints it, and a column per impact.
    """
    z = [[counts.get((likelihood, impact), 0) for impact in impacts] for likelihood in likelihoods]
    figure = {
        "data": [{
            "type": "heatmap",
            "x": [str(i) for i in impacts],
            "y": [str(lk) for lk in likelihoods],
            "z": z,
            "text": [[str(n) if n else "" for n in row] for row in z],
            "texttemplate": "%{text}",
            "colorscale": [[0, "#f3f2f1"], [0.01, "#fff7bf"], [0.5, "#f47738"], [1, "#d4351c"]],
            "zmin": 0,
            "showscale": False,
            "xgap": 2,
            "ygap": 2,
            "hovertemplate": "Likelihood %{y}, impact %{x}: %{z} risk(s)<extra></extra>",
        }],
        "layout": {
            "xaxis": {"title": {"text": "Impact"}, "type": "category"},
            "yaxis": {"title": {"text": "Likelihood"}, "type": "category"},
        },
    }
    rows = [
        [f"Likelihood {likelihood}"] + [str(n) for n in row]
        for likelihood, row in reversed(list(zip(likelihoods, z)))
    ]
    return Chart(caption, ["", *(f"Impact {i}" for i in impacts)], rows, figure, chart_id)


def score_history(caption, reviews, chart_id="score-history"):
    """A risk's score at each review, as a line, with the level beside each figure."""
    labels = [review.reviewed_on.strftime("%-d %b %Y") for review in reviews]
    chart = trend(caption, labels, {"Score": [review.score for review in reviews]}, chart_id=chart_id)
    chart.headers = ["Review", "Score", "Level", "Trend"]
    chart.rows = [
        [label, str(review.score), review.level, review.trend]
        for label, review in zip(labels, reviews)
    ]
    return chart

def measure_trend(measure, history):
    """A measure's published values over time, with its targets, the same period last year and
    any comparators given for the same periods (series with no figure at all are left out)."""
    values = history.values
    series = {"Value": [v.value for v in values]}
    extra = {
        "Target": [history.targets.get(v.period_id) for v in values],
        # Two targets: the stretch target above, the minimum standard (the floor) as a second line.
        "Minimum standard": [history.floors.get(v.period_id) for v in values],
        "Same period last year": [history.last_year.get(v.pk) for v in values],
    }
    for comparator in history.comparators:
        figures = extra.setdefault(comparator.name, [None] * len(values))
        for index, value in enumerate(values):
            if comparator.period_id == value.period_id and comparator.value is not None:
                figures[index] = comparator.value
    series.update({name: figures for name, figures in extra.items() if any(f is not None for f in figures)})
    # The measure page's chart: hover shows each figure's commentary, zoom reads a long series.
    chart = trend(
        f"{measure.title}: values ({measure.unit_shown})",
        [v.period.label + (" (synthetic)" if v.synthetic else "") for v in values],
        series,
        formatter=measure.format,
        chart_id=f"measure-{measure.pk}-trend",
        dates=[v.period.end for v in values],
        notes=[v.commentary for v in values],
        unit=measure.unit,
    )
    chart.interactive = True
    return chart


# Statistical process control (issue 12): the Making Data Count colours, each with its own marker
# shape so that no signal is told by colour alone.
SPC_STYLES = {
    "improvement": ("Special cause: improvement", "#1d70b8", "circle"),
    "concern": ("Special cause: concern", "#b35900", "diamond"),
    "neither": ("Special cause: neither", "#6f72af", "square"),
}
SPC_LINE = "#505a5f"


def _segment_line(figure, labels, figures, name, dash, colour, showlegend=True):
    """One line per segment of `figures` (None between segments), sharing one legend entry."""
    start = 0
    first = True
    for end in range(1, len(figures) + 1):
        if end == len(figures) or figures[end] != figures[start]:
            if figures[start] is not None:
                figure["data"].append(dict(
                    type="scatter",
                    x=labels[start:end] if end - start > 1 else labels[start:end] * 2,
                    y=[figures[start]] * max(end - start, 2),
                    name=name, mode="lines", legendgroup=name, showlegend=showlegend and first,
                    line={"color": colour, "dash": dash, "width": 1.5}, hoverinfo="skip",
                ))
                first = False
            start = end


def spc_chart(series, chart_id="spc"):
    """A measure's XmR chart (reports.variation.MeasureSPC): its points, the mean and process
    limits of each segment, the target, the signals by kind and the change points."""
    measure, analysis = series.measure, series.analysis
    labels = series.labels
    places = measure.decimal_places + 1

    def stat(number):
        return "" if number is None else format_number(Decimal(repr(number)), places)

    limits = [p.limits for p in analysis.points]
    means = [lim.mean if lim else None for lim in limits]
    labels = list(labels)
    figure = {"data": [dict(
        type="scatter", x=labels, y=[_number(v) for v in series.values], name="Value",
        mode="lines+markers", line={"color": SPC_LINE}, marker={"color": SPC_LINE, "size": 7},
    )], "layout": {"shapes": [], "annotations": []}}
    _segment_line(figure, labels, means, "Mean", "solid", "#0b0c0c")
    _segment_line(figure, labels, [lim.lower if lim else None for lim in limits], "Process limits", "dash", SPC_LINE)
    _segment_line(figure, labels, [lim.upper if lim else None for lim in limits], "Process limits", "dash", SPC_LINE, showlegend=False)
    if any(t is not None for t in series.targets):
        figure["data"].append(dict(
            type="scatter", x=labels, y=[_number(t) for t in series.targets], name="Target",
            mode="lines+markers", line={"color": "#d53880", "dash": "dot"},
            marker={"symbol": "line-ew-open", "size": 14}, connectgaps=True,
        ))
    for kind, (name, colour, symbol) in SPC_STYLES.items():
        chosen = [i for i, p in enumerate(analysis.points) if p.nature == kind]
        if chosen:
            figure["data"].append(dict(
                type="scatter", x=[labels[i] for i in chosen],
                y=[_number(series.values[i]) for i in chosen], name=name, mode="markers",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "white", "width": 1}},
            ))
    for index in series.change_points:
        figure["layout"]["shapes"].append({
            "type": "line", "x0": index - 0.5, "x1": index - 0.5, "xref": "x", "y0": 0, "y1": 1,
            "yref": "paper", "line": {"color": "#0b0c0c", "dash": "dashdot", "width": 1},
        })
        figure["layout"]["annotations"].append({
            "x": index - 0.5, "y": 1, "yref": "paper", "text": "Change point", "showarrow": False,
            "xanchor": "left", "yanchor": "bottom", "font": {"size": 12},
        })
    gaps = series.gaps
    for index in sorted(gaps):
        figure["layout"]["shapes"].append({
            "type": "line", "x0": index - 0.5, "x1": index - 0.5, "xref": "x", "y0": 0, "y1": 1,
            "yref": "paper", "line": {"color": "#d4351c", "dash": "dot", "width": 2},
        })
        figure["layout"]["annotations"].append({
            "x": index - 0.5, "y": 0, "yref": "paper", "text": "Gap: periods missing", "showarrow": False,
            "xanchor": "left", "yanchor": "bottom", "font": {"size": 12},
        })
    figure["layout"].update(
        xaxis={"type": "category", "showgrid": False},
        yaxis={"gridcolor": "#e5e5e5", "zeroline": False},
        legend={"orientation": "h", "y": -0.25},
    )
    rows = []
    for i, (label, point) in enumerate(zip(labels, analysis.points)):
        notes = []
        if point.rules:
            rules = "; ".join(rule.label for rule in sorted(point.rules))
            notes.append(f"{SPC_STYLES[point.nature][0]} ({rules})")
        if i in series.change_points:
            notes.append(f"Change point: {series.change_points[i]}")
        if i in gaps:
            notes.append("After a gap: periods missing before this one (no moving range or run spans it)")
        lim = point.limits
        rows.append([
            label, measure.format(series.values[i]), stat(lim and lim.mean),
            stat(lim and lim.lower), stat(lim and lim.upper), measure.format(series.targets[i]),
            ". ".join(notes),
        ])
    caption = f"{measure.title}: SPC chart ({measure.unit})"
    if series.synthetic:
        caption += ", with synthetic history"
    if gaps:
        missing = "; ".join(f"between {before} and {after}" for before, after in series.gap_labels)
        caption += f", with gaps ({missing})"
    headers = ["Period", "Value", "Mean", "Lower process limit", "Upper process limit", "Target", "Signal"]
    return Chart(caption, headers, rows, figure, chart_id, interactive=True)
