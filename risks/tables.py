"""The risk register as one django-tables2 Table: the page and its CSV, XLSX and JSON exports."""

import django_tables2 as tables
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from presentation.rows import QUICK_BODY_TEMPLATE, QuickBody
from risks.models import Risk

LEVEL_TAGS = {"HIGH": "app-rag--red", "MEDIUM": "app-rag--amber", "LOW": "app-rag--green"}
NOT_SCORED = "Not scored"


class RiskTable(QuickBody, tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code")
    title = tables.Column(verbose_name="Risk")
    owner = tables.Column(verbose_name="Owner", default="")
    likelihood = tables.Column(verbose_name="Likelihood", default="", attrs={"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}})
    impact = tables.Column(verbose_name="Impact", default="", attrs={"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}})
    score = tables.Column(verbose_name="Score", empty_values=(), order_by=("score_sort",), attrs={"td": {"class": "govuk-table__cell--numeric"}, "th": {"class": "govuk-table__header--numeric"}})
    level = tables.Column(verbose_name="Level", order_by=("level_rank",))
    trend = tables.Column(verbose_name="Trend")
    review_date = tables.Column(verbose_name="Review date", empty_values=())

    class Meta:
        model = Risk
        fields = ["code", "title", "owner", "likelihood", "impact", "score", "level", "trend", "review_date"]
        caption = "Corporate risk register"
        empty_text = "No risks match these filters."
        order_by = ("level", "code")
        template_name = QUICK_BODY_TEMPLATE

    def render_score(self, record):
        return NOT_SCORED if record.score is None else record.score

    def value_score(self, record):
        return "" if record.score is None else record.score

    def render_level(self, record):
        return format_html(
            '<strong class="app-rag {}">{}</strong>', LEVEL_TAGS[record.level], record.level
        )

    def value_level(self, record):
        return record.level

    def value_trend(self, record):
        return record.trend

    def render_trend(self, record):
        return record.trend

    def render_review_date(self, record):
        if record.review_date is None:
            return "Not set"
        shown = date_format(record.review_date, "j M Y")
        if record.is_review_overdue():
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red app-overdue">Review overdue</strong>', shown
            )
        return shown

    def value_review_date(self, record):
        return record.review_date.isoformat() if record.review_date else ""

    @property
    def caption(self):
        return self.Meta.caption
