"""Fixtures for the reports: the demo council, and frameworks of any size built in bulk."""

from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from imports import demo
from measures import periods
from measures.models import Measure, Period, Target, Value
from measures.rating import RAG, Direction
from tests.factories import CommitteeFactory, ServiceFactory


@pytest.fixture
def demo_council(db):
    demo.load()


def months(first, count):
    """`count` monthly Periods from the month of `first` on."""
    spans = [periods.span(periods.MONTH, first)]
    while len(spans) < count:
        spans.append(periods.span(periods.MONTH, spans[-1].end + timedelta(days=1)))
    return [Period.for_span(s) for s in spans]


RAGS = [RAG.RED, RAG.AMBER, RAG.GREEN, RAG.ND]
DOTS = [Direction.IMPROVING, Direction.SAME, Direction.WORSENING, Direction.NO_TREND]


def bulk_framework(count, months_of_values=13, committee=None, service=None):
    """`count` monthly measures of one committee and service, each with published values from
    Oct-19 and a target for every month; ratings cycle through Red, Amber, Green and ND."""
    committee = committee or CommitteeFactory()
    service = service or ServiceFactory(name="Bulk service")
    start = len(Measure.objects.all())
    measures = Measure.objects.bulk_create(
        Measure(title=f"Bulk measure {start + i:05d}", service=service, decimal_places=1)
        for i in range(count)
    )
    Measure.committees.through.objects.bulk_create(
        Measure.committees.through(measure=m, committee=committee) for m in measures
    )
    series = months(date(2019, 10, 1), months_of_values)
    Value.objects.bulk_create(
        Value(
            measure=m, period=p, value=Decimal(i + k), status=Value.Status.PUBLISHED,
            rag=RAGS[i % 4], direction_of_travel=DOTS[i % 4],
        )
        for i, m in enumerate(measures) for k, p in enumerate(series)
    )
    Target.objects.bulk_create(
        Target(measure=m, period=p, value=Decimal(100)) for m in measures for p in series
    )
    return committee, measures


class TableCells(HTMLParser):
    """The text of each body row's cells in the first table whose class includes `css_class`."""

    def __init__(self, css_class):
        super().__init__(convert_charrefs=True)
        self.css_class, self.inside, self.rows, self.cell = css_class, False, [], None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.css_class in (attrs.get("class") or "").split():
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.inside and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.inside and self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = self.in_body = False
        elif self.cell is not None and tag in ("td", "th"):
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html, css_class):
    parser = TableCells(css_class)
    parser.feed(html)
    return parser.rows
