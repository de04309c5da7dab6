"""The outcomes-focused monitoring report: one outcome's population indicators, performance
measures and corporate risks, as at a month.

`outcome_report(outcome, as_at)` is the report's selector: it reads everything in a fixed number
of queries (10, three of them for SPC), however many indicators, measures and values the outcome has, and returns plain
data for the template and the PDF.

As at a month, a value counts when its period had begun by the end of that month. (The council's
September 2018 report prints the provisional 2018 school results, whose calendar-year periods
end in December, so a rule on the period's end would leave out what the report itself shows.)
A measure's trend is the direction of travel in force for its latest value; Same is shown as
UNCHANGED, as the report's key has it, and a measure with no value has no trend.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from measures import periods
from measures.models import ComparatorValue, Measure, PopulationIndicator, Value
from measures.rating import Direction
from presentation import charts
from presentation.charts import escaped
from reports import variation
from reports.variation import KeptSPC as variation_kept
from risks.models import Level, Risk

TRENDS = ("No trend", "Improving", "Unchanged", "Worsening")
_TREND_OF = {
    Direction.NO_TREND: "No trend", Direction.IMPROVING: "Improving",
    Direction.SAME: "Unchanged", Direction.WORSENING: "Worsening",
}
LEVELS = (Level.HIGH, Level.MEDIUM, Level.LOW)
PREVIOUS_SHOWN = 2  # the report prints up to two previous figures before the latest


class AsAtError(ValueError):
    """An as-at that is not a month."""


def parse_as_at(text, today=None):
    """The last day of the month `text` names ("2018-09", "Sep-18"); when blank, of the last
    complete month (this month's figures are not all in yet)."""
    if not text:
        return periods.last_complete_month(today or date.today()).end
    try:
        span = periods.parse_period(text)
    except periods.PeriodError as error:
        raise AsAtError(f"{error}. Give the month the report is as at, such as 2018-09.") from None
    if span.kind != periods.MONTH:
        raise AsAtError(f"'{text}' is not a month: give the month the report is as at, such as 2018-09.")
    return span.end


def month_name(as_at):
    """September 2018."""
    return f"{periods.MONTH_NAMES[as_at.month - 1]} {as_at.year}"


def figure(measure, value):
    """A value as the report prints it: 70.1%, 1,328, -0.86."""
    return number_figure(measure, None if value is None else value.value)


def number_figure(measure, number):
    """A number of `measure` as the report prints it."""
    if number is None:
        return "No data"
    suffix = "%" if measure.unit == Measure.Unit.PERCENT else ""
    return f"{measure.format(number)}{suffix}"


def ordinal(number):
    """107th, 1st, 22nd, 13th."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def comparator_figure(comparator):
    """A benchmark as the report prints it: 70.5% (Average), or 107th out of 151 (Q1 18-19)."""
    if comparator.rank is not None:
        text = ordinal(comparator.rank)
        if comparator.rank_of:
            text += f" out of {comparator.rank_of}"
        return f"{text} ({comparator.period.label})" if comparator.period else text
    text = figure(comparator.measure, comparator)
    return f"{text} ({comparator.basis})" if comparator.basis else text


@dataclass
class Point:
    """One printed figure: its period, value and the provisional flag."""

    period: str
    value: str
    provisional: bool


@dataclass
class MeasureSection:
    measure: Measure
    values: list = field(repr=False)
    previous: list
    latest: Point | None
    trend: str
    rag: str
    chart: charts.Chart | None = field(repr=False)
    trend_words: str = ""  # the report's own words for the trend, where it gave them
    spc: object = field(default=None, repr=False)  # reports.variation.KeptSPC

    @property
    def title(self):
        return self.measure.title

    @property
    def trend_shown(self):
        return self.trend_words or self.trend

    @property
    def points_html(self):
        """"Previous (2016) 70.1%; Latest (2018) 70.0% Provisional" (reports/outcomes/points.html)."""
        if not self.latest:
            return "No data yet: this is a new measure, so there is no trend"
        shown = [
            f'<span class="app-point" data-kind="previous">Previous ({escaped(point.period)}) {escaped(point.value)}'
            f'{" Provisional" if point.provisional else ""}</span>; '
            for point in self.previous
        ]
        latest = self.latest
        return mark_safe(
            "".join(shown) + f'<span class="app-point" data-kind="latest">Latest ({escaped(latest.period)}) '
            f'{escaped(latest.value)}{" Provisional" if latest.provisional else ""}</span>'
        )

    @property
    def screen_html(self):
        """The measure's block under its indicator on screen, as reports/outcomes/report.html's
        loop wrote it (the PDF's still does): written here in one pass for the report's 250."""
        chart = f"\n\n{self.chart.screen_html}\n\n" if self.chart else ""
        spc = self.spc  # reports.variation.KeptSPC or None
        return mark_safe(
            f'\n    <div class="app-measure" data-measure="{self.measure.pk}">\n'
            f'      <h4 class="govuk-heading-s">{escaped(self.title)}</h4>\n'
            f'      <p class="govuk-body" data-values>{self.points_html}\n <span class="app-measure__trend">'
            f"(Trend {escaped(self.trend_shown.upper())})</span></p>\n"
            f"      {_spc_html(spc.variation, spc.assurance, spc.synthetic) if spc else _spc_html(None, None, False)}\n"
            f"      {chart}\n"
            f"    </div>\n  "
        )


@dataclass
class IndicatorSection:
    indicator: PopulationIndicator
    headline: MeasureSection
    comparators: list
    measures: list
    risks: list

    @property
    def anchor(self):
        return f"indicator-{self.indicator.number}"


@dataclass
class OutcomeReport:
    outcome: object
    as_at: date
    indicators: list
    other_measures: list
    risks: list
    unassigned_risks: list
    indicator_trends: dict
    measure_trends: dict
    risk_levels: dict
    worsening_indicators: list
    worsening_measures: list
    high_risks: list
    charts: dict = field(repr=False)

    @property
    def label(self):
        """The outcome as the report's headings name it: INDEPENDENT."""
        return self.outcome.short_name.upper()

    @property
    def month(self):
        return month_name(self.as_at)

    @property
    def measures(self):
        return [m for section in self.indicators for m in section.measures] + self.other_measures

    @property
    def free_text(self):
        """Characters of written text the report prints (stories, partners, what is being done,
        contacts, risks' words): what its PDF's size is bounded by (reports.pdf)."""
        texts = [self.outcome.contacts or ""]
        for section in self.indicators:
            indicator = section.indicator
            texts += [indicator.story, indicator.partners, indicator.what_we_are_doing]
        for risk in self.risks:
            texts += [risk.title, risk.description]
        return sum(len(text or "") for text in texts)


def outcome_report(outcome, as_at):
    """Everything the report shows for `outcome` as at the month ending `as_at`."""
    indicators = list(outcome.indicators.select_related("headline").order_by("number"))
    measures = list(
        Measure.objects.performance()
        .filter(Q(population_indicator__outcome=outcome) | Q(outcome=outcome, population_indicator=None))
        .order_by("pk")
    )
    headlines = [indicator.headline for indicator in indicators]
    series = _series([m.pk for m in headlines + measures], as_at)
    comparators = _comparators([m.pk for m in headlines], as_at)
    spc = variation.kept_spc_as_at([m.pk for m in headlines + measures], as_at)
    risks = list(
        Risk.objects.for_outcome(outcome).prefetch_related(
            Prefetch("population_indicators",
                     queryset=PopulationIndicator.objects.filter(outcome=outcome),
                     to_attr="outcome_indicators")
        )
    )
    risks.sort(key=_risk_order)

    sections = []
    for indicator in indicators:
        sections.append(IndicatorSection(
            indicator=indicator,
            headline=_measure_section(indicator.headline, series, spc),
            comparators=comparators.get(indicator.headline_id, []),
            measures=[
                _measure_section(m, series, spc) for m in measures
                if m.population_indicator_id == indicator.pk
            ],
            risks=[r for r in risks if indicator.pk in {i.pk for i in r.outcome_indicators}],
        ))
    other_measures = [_measure_section(m, series, spc) for m in measures if m.population_indicator_id is None]
    all_measures = [m for s in sections for m in s.measures] + other_measures

    indicator_trends = _count(TRENDS, (s.headline.trend for s in sections))
    measure_trends = _count(TRENDS, (m.trend for m in all_measures))
    risk_levels = _count(LEVELS, (r.level for r in risks))
    return OutcomeReport(
        outcome=outcome,
        as_at=as_at,
        indicators=sections,
        other_measures=other_measures,
        risks=risks,
        unassigned_risks=[r for r in risks if not r.outcome_indicators],
        indicator_trends=indicator_trends,
        measure_trends=measure_trends,
        risk_levels=risk_levels,
        worsening_indicators=[s for s in sections if s.headline.trend == "Worsening"],
        worsening_measures=[m for m in all_measures if m.trend == "Worsening"],
        high_risks=sorted((r for r in risks if r.level == Level.HIGH), key=lambda r: r.code),
        charts={
            "indicators": charts.doughnut(
                f"Population indicators by trend ({len(sections)} in total)",
                indicator_trends, charts.TREND_COLOURS, chart_id="indicator-trends"),
            "measures": charts.doughnut(
                f"Performance measures by trend ({len(all_measures)} in total)",
                measure_trends, charts.TREND_COLOURS, chart_id="measure-trends"),
            "risks": charts.doughnut(
                f"Risks by level ({len(risks)} in total)",
                {Level(level).label: n for level, n in risk_levels.items()},
                charts.LEVEL_COLOURS, chart_id="risk-levels"),
        },
    )


class SeriesValue(NamedTuple):
    """A published value as the report reads it (from `values_list`, not a model instance)."""

    period_label: str
    value: object
    provisional: bool
    rag: str
    direction_of_travel: str
    direction_words: str  # the report's own words for the direction, where it gave them


def _series(measure_ids, as_at):
    """Each measure's published figures in force as at `as_at`, in period order: one query.
    (A value with no figure is neither charted nor printed, so it is not read.)"""
    rows = (
        Value.objects.published()
        .filter(measure_id__in=measure_ids, period_start__lte=as_at, value__isnull=False)
        .order_by("measure_id", "period_end", "period_start")
        .values_list("measure_id", "period__kind", "period_start", "value", "provisional", "rag",
                     "direction_of_travel", "direction_words")
    )
    by_measure, labels = {}, {}
    measure, shown = None, None
    for measure_id, kind, start, *figures in rows:
        # A few dozen periods label 15,600 values: each is labelled once.
        label = labels.get((kind, start)) or labels.setdefault((kind, start), periods.label(kind, start))
        if measure_id != measure:  # rows come measure by measure
            measure, shown = measure_id, by_measure.setdefault(measure_id, [])
        shown.append(SeriesValue(label, *figures))
    return by_measure


def _comparators(measure_ids, as_at):
    rows = (
        ComparatorValue.objects.filter(measure_id__in=measure_ids)
        .filter(Q(period__isnull=True) | Q(period__start__lte=as_at))
        .select_related("period", "measure")
        .order_by("measure_id", "pk")
    )
    by_measure = {}
    for row in rows:
        row.figure_text = comparator_figure(row)
        by_measure.setdefault(row.measure_id, []).append(row)
    return by_measure


def _measure_section(measure, series, spc):
    values = series.get(measure.pk, [])
    latest = values[-1] if values else None
    chart, shown = None, []
    if values:
        # Each figure is written once, for the chart's table and the printed points alike.
        shown = [number_figure(measure, v.value) for v in values]
        chart = charts.trend(
            measure.title,
            [v.period_label for v in values],
            {settings.COUNCIL_NAME: [v.value for v in values]},
            formatter=dict(zip((v.value for v in values), shown)).__getitem__,
            chart_id=f"measure-{measure.pk}",
            unit=measure.unit,
        )
        chart.plain_figures = True  # number_figure's text: figures, separators, signs and units
    return MeasureSection(
        measure=measure,
        values=values,
        previous=[_point(v, text) for v, text in zip(values[-1 - PREVIOUS_SHOWN:-1], shown[-1 - PREVIOUS_SHOWN:-1])],
        latest=_point(latest, shown[-1]) if latest else None,
        trend=_TREND_OF[Direction(latest.direction_of_travel)] if latest else "No trend",
        rag=latest.rag if latest else "",
        chart=chart,
        trend_words=latest.direction_words if latest else "",
        spc=spc.get(measure.pk),
    )


def _point(value, text):
    return Point(value.period_label, text, value.provisional)


@lru_cache(maxsize=64)
def _spc_html(variation, assurance, synthetic):
    """reports/outcomes/spc.html for an SPC (its few kinds recur over the report's 260
    measures): rendered once a kind."""
    return render_to_string("reports/outcomes/spc.html", {"spc": variation_kept(variation, assurance, synthetic)})


def _risk_order(risk):
    return (LEVELS.index(risk.level), risk.code)


def _count(categories, items):
    counts = Counter(items)
    return {category: counts.get(category, 0) for category in categories}
