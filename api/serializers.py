"""What each API resource holds. Figures are numbers at their stored precision, dates ISO 8601,
blanks null; related things are named by their slug or id, so rows stay flat for CSV."""

from decimal import Decimal

from rest_framework import serializers

from measures.models import (
    ComparatorValue, Committee, Measure, Outcome, Period, PopulationIndicator, Service, Target, Value,
)
from measures.roles import is_bi_team
from measures.spc import Assurance, Nature
from reports import variation
from reports.models import CommitteeSnapshot
from risks.models import Risk, RiskReview


class ExactFigure(serializers.DecimalField):
    """A stored figure, exactly: a Decimal without trailing zeros (80.5000 is 80.5), which
    api.renderers.ExactJSONRenderer writes as a JSON number digit for digit (never via a float)."""

    def to_representation(self, value):
        number = super().to_representation(value)
        return None if number is None else Decimal(format(number.normalize(), "f"))


def Figure(**kwargs):  # noqa: N802 - a field, named like one
    """A stored figure as a JSON number (never a string), exact to the digit, null when blank."""
    kwargs.setdefault("help_text", "")
    kwargs["help_text"] = (kwargs["help_text"] + " A JSON number written with the stored decimal's "
                           "exact digits (up to 12 before the point and 4 after): read it as a decimal.").strip()
    return ExactFigure(
        max_digits=16, decimal_places=4, coerce_to_string=False, allow_null=True, read_only=True, **kwargs
    )


def Slug(**kwargs):  # noqa: N802
    """A related object (or several) by its slug."""
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


def requested_by_bi_team(request):
    """Whether the request's person (the token's owner) is in the BI team: asked once a request."""
    if not hasattr(request, "_is_bi_team"):
        request._is_bi_team = is_bi_team(request.user)
    return request._is_bi_team


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "name", "short_name", "slug", "plan", "sponsor", "sponsor_role", "contacts"]


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "slug"]


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "name", "slug"]


class PopulationIndicatorSerializer(serializers.ModelSerializer):
    outcome = Slug()
    headline_measure = serializers.IntegerField(source="headline_id", read_only=True)

    class Meta:
        model = PopulationIndicator
        fields = [
            "id", "outcome", "number", "title", "headline_measure", "outcome_lead_officer",
            "indicator_lead_officer", "story", "partners", "what_we_are_doing",
        ]


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = ["id", "kind", "start", "end", "label"]


class PeriodFields(serializers.Serializer):
    """A row's period as flat columns: period, period_kind, period_start, period_end."""

    period = serializers.CharField(source="period.label", read_only=True, allow_null=True)
    period_kind = serializers.CharField(source="period.kind", read_only=True, allow_null=True)
    period_start = serializers.DateField(source="period.start", read_only=True, allow_null=True)
    period_end = serializers.DateField(source="period.end", read_only=True, allow_null=True)

    PERIOD_FIELDS = ["period", "period_kind", "period_start", "period_end"]


def attach_spc(measures):
    """Sets `spc` (reports.variation.KeptSPC) on each of `measures` from the SPC kept on its
    latest published value, as reports.selectors.with_latest_ratings annotates it: no query."""
    synthetic = variation.synthetic_measures(m.pk for m in measures if m.latest_variation)
    for measure in measures:
        measure.spc = variation.kept_spc(measure.latest_variation, measure.latest_side, measure.latest_assurance,
                                         measure.pk in synthetic)
    return measures


class SPCFields(serializers.Serializer):
    """The SPC of the measure's latest published value (issue 12), read from `spc`: its variation
    and assurance as the Making Data Count icons name them, each with its words in full. Null
    where the series has too few figures for process limits (assurance also without a target or
    a polarity)."""

    variation = serializers.ChoiceField(
        choices=[nature.value for nature in Nature], source="spc.variation.nature", read_only=True, allow_null=True,
        help_text="common (cause), or special cause of an improvement, concern or neither nature.",
    )
    variation_text = serializers.CharField(
        source="spc.variation.label", read_only=True, allow_null=True,
        help_text="The variation icon's text alternative, e.g. 'Special cause variation of a concerning "
        "nature: higher values'.",
    )
    assurance = serializers.ChoiceField(
        choices=[assurance.value for assurance in Assurance], source="spc.assurance.value", read_only=True,
        allow_null=True,
        help_text="passing, failing or hit-and-miss: the process against the target in force.",
    )
    assurance_text = serializers.CharField(
        source="spc.assurance.label", read_only=True, allow_null=True,
        help_text="The assurance icon's text alternative, e.g. 'The process will consistently fail the target'.",
    )

    spc_synthetic = serializers.BooleanField(
        source="spc.synthetic", read_only=True, default=False,
        help_text="True where the variation and assurance were worked out from a series holding "
        "synthetic (generated) figures, not only the council's own.",
    )

    SPC_FIELDS = ["variation", "variation_text", "assurance", "assurance_text", "spc_synthetic"]


class MeasureSerializer(SPCFields, serializers.ModelSerializer):
    service = Slug(allow_null=True)
    outcome = Slug(allow_null=True)
    committees = Slug(many=True)
    rag_tolerance = Figure(help_text="The amber band: how far short of the target a value is Amber rather "
                                     "than Red (in amber_band_unit).")
    green_band = Figure(help_text="How far short of the target a value is still Green (in green_band_unit).")
    same_band = Figure(help_text="A change no larger than this counts as Same (in same_band_unit).")
    dot_baseline = Figure(help_text="For a fixed baseline: the baseline figure as given (null: the measure's "
                                    "own value for the baseline period).")
    latest_value = serializers.IntegerField(
        source="latest_value_id", read_only=True, allow_null=True,
        help_text="The id of the latest published value as at `as_at`.",
    )
    rag = serializers.CharField(source="latest_rag", read_only=True, help_text="The RAG in force as at `as_at`.")
    dot = serializers.CharField(
        source="latest_dot", read_only=True, help_text="The direction of travel in force as at `as_at`."
    )
    minimum = Figure(help_text="A figure below this is flagged at entry.")
    maximum = Figure(help_text="A figure above this is flagged at entry.")
    rollups = serializers.SerializerMethodField(
        help_text="A monthly measure with an aggregation: its quarter, year to date, financial year and "
        "rolling 12 months as at `as_at`, each rated against the target for its period.",
    )

    class Meta:
        model = Measure
        fields = [
            "id", "code", "title", "definition", "service", "unit", "unit_label", "rate_per", "frequency",
            "year_basis", "polarity", "decimal_places", "rating_rule", "green_band", "green_band_unit",
            "rag_tolerance", "amber_band_unit", "dot_basis", "dot_baseline", "same_band", "same_band_unit",
            "committees", "outcome",
            "population_indicator", "reported_elsewhere", "is_public", "latest_value", "rag", "dot",
            *SPCFields.SPC_FIELDS,
            "numerator_label", "denominator_label", "aggregation", "formula", "minimum", "maximum", "rollups",
        ]

    def get_rollups(self, measure) -> list[dict]:
        return [
            {"window": up.window, "name": up.name, "period": up.label, "start": up.span.start,
             "end": up.span.end, "value": _float(up.value), "numerator": _float(up.numerator),
             "denominator": _float(up.denominator), "months": up.months,
             "months_in_period": up.months_in_window, "target": _float(up.target), "rag": up.rag}
            for up in getattr(measure, "rollups", [])
        ]


def _float(number):
    """A figure as the API's Figure fields give them: a JSON number, or null."""
    return None if number is None else float(number)


class TargetSerializer(PeriodFields, serializers.ModelSerializer):
    value = Figure()
    floor = Figure(help_text="The amber threshold, for a measure rated against a floor.")

    class Meta:
        model = Target
        fields = ["id", "measure", *PeriodFields.PERIOD_FIELDS, "value", "floor", "ends"]


class ValueSerializer(PeriodFields, serializers.ModelSerializer):
    value = Figure()
    numerator = Figure(help_text="For a measure entered as two figures: the numerator.")
    denominator = Figure(help_text="For a measure entered as two figures: the denominator.")
    rag = serializers.CharField(read_only=True, help_text="The RAG in force: the override where there is one.")
    direction_of_travel = serializers.CharField(read_only=True, help_text="The direction of travel in force.")
    overridden = serializers.SerializerMethodField(help_text="Whether the BI team overrode a rating.")
    revision = serializers.IntegerField(
        source="version", read_only=True, help_text="Goes up by one every time the value is saved."
    )
    updated_at = serializers.DateTimeField(
        read_only=True, help_text="When the value or its ratings last changed (a save, a re-rating "
        "after a target or rule changed); `updated_since` filters on it.",
    )
    # Not read-only, so that the schema does not require it of members' rows (the API is read-only).
    flags = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="BI team only: why the figure looked unusual when it was entered or imported "
        "(bounds, SPC limits, history, validation rules).",
    )
    BI_ONLY = ("status", "returned_comment", "flags", "flag_reason")

    class Meta:
        model = Value
        fields = [
            "id", "measure", *PeriodFields.PERIOD_FIELDS, "value", "numerator", "denominator",
            "no_data_reason", "provisional",
            "caveat", "rag", "direction_of_travel", "overridden", "rag_override", "dot_override",
            "override_reason", "commentary", "actions", "revision", "updated_at", "status",
            "returned_comment", "flags", "flag_reason",
        ]
        extra_kwargs = {
            "status": {"help_text": "BI team only: where the value is in its lifecycle."},
            "returned_comment": {"help_text": "BI team only: why the value was returned to its lead."},
            "flag_reason": {"help_text": "BI team only: the lead's reason the unusual figure is right."},
        }

    def get_overridden(self, value) -> bool:
        return bool(value.rag_override or value.dot_override)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # The OpenAPI document describes every field (drf-spectacular marks its fake views).
        describing = getattr(self.context.get("view"), "swagger_fake_view", False)
        if request is not None and not describing and not requested_by_bi_team(request):
            for name in self.BI_ONLY:
                fields.pop(name)
        return fields


class ComparatorSerializer(PeriodFields, serializers.ModelSerializer):
    value = Figure()

    class Meta:
        model = ComparatorValue
        fields = [
            "id", "measure", "name", *PeriodFields.PERIOD_FIELDS, "value", "rank", "rank_of", "basis",
            "rating", "rag", "direction_of_travel",
        ]


class RiskReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskReview
        fields = ["reviewed_on", "likelihood", "impact", "score", "level", "trend", "note"]


class RiskSerializer(serializers.ModelSerializer):
    score = serializers.IntegerField(read_only=True, allow_null=True)
    outcomes = Slug(many=True)
    reviews = RiskReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id", "code", "title", "description", "owner", "likelihood", "impact", "score", "level",
            "trend", "mitigations", "review_date", "outcomes", "population_indicators", "reviews",
        ]


class SnapshotRowSerializer(serializers.Serializer):
    """A row of a published exception report, as it was printed for the meeting. A column the
    stored row lacks (snapshots published before it existed) is blank."""

    measure_id = serializers.IntegerField(default=None, allow_null=True)
    indicator = serializers.CharField(default="")
    service = serializers.CharField(default="")
    period = serializers.CharField(default="")
    unit = serializers.CharField(default="")
    frequency = serializers.CharField(default="")
    data = serializers.CharField(default="", help_text="The figure as printed.")
    rag = serializers.CharField(default="")
    dot = serializers.CharField(default="")
    target = serializers.CharField(default="")
    last_year = serializers.CharField(default="")
    commentary = serializers.CharField(default="")
    action = serializers.CharField(default="")


class SnapshotSerializer(serializers.ModelSerializer):
    committee = Slug()
    rows = SnapshotRowSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeSnapshot
        fields = [
            "id", "committee", "as_at", "meeting_date", "published_at", "red_amber_count",
            "other_count", "is_public", "rows",
        ]


class ExceptionRowSerializer(serializers.Serializer):
    """A row of the live exception report (reports.selectors.Row), figures as numbers, with its
    measure's SPC."""

    measure_id = serializers.IntegerField()
    indicator = serializers.CharField()
    service = serializers.CharField()
    period = serializers.CharField(help_text="The period as the report prints it: Oct-20.")
    period_end = serializers.DateField(allow_null=True)
    unit = serializers.CharField()
    frequency = serializers.CharField()
    data = Figure(source="number")
    rag = serializers.CharField()
    dot = serializers.CharField()
    target = Figure(source="target_value")
    last_year = Figure(source="last_year_value")
    commentary = serializers.CharField()
    action = serializers.CharField()

    def get_fields(self):
        return {**super().get_fields(), **SPCFields().get_fields()}  # after Appendix 1's columns


class ExceptionReportSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.slug")
    as_at = serializers.DateField()
    red_amber_count = serializers.IntegerField()
    other_count = serializers.IntegerField()
    no_data_count = serializers.IntegerField()
    rows = ExceptionRowSerializer(many=True)


class PointSerializer(serializers.Serializer):
    period = serializers.CharField(source="period_label")
    value = Figure()
    provisional = serializers.BooleanField()


class MeasureSectionSerializer(serializers.Serializer):
    measure_id = serializers.IntegerField(source="measure.pk")
    title = serializers.CharField()
    unit = serializers.CharField(source="measure.unit")
    trend = serializers.CharField(help_text="No trend, Improving, Unchanged or Worsening.")
    rag = serializers.CharField()
    values = PointSerializer(many=True)


class IndicatorSectionSerializer(serializers.Serializer):
    number = serializers.CharField(source="indicator.number")
    title = serializers.CharField(source="indicator.title")
    headline = MeasureSectionSerializer()
    comparators = ComparatorSerializer(many=True)
    measures = MeasureSectionSerializer(many=True)
    risks = serializers.SerializerMethodField(help_text="The codes of the indicator's risks.")

    def get_risks(self, section) -> list[str]:
        return [risk.code for risk in section.risks]


class OutcomeReportSerializer(serializers.Serializer):
    outcome = serializers.CharField(source="outcome.slug")
    as_at = serializers.DateField()
    indicators = IndicatorSectionSerializer(many=True)
    other_measures = MeasureSectionSerializer(many=True)
    risks = serializers.SerializerMethodField(help_text="The codes of the outcome's risks.")
    indicator_trends = serializers.DictField(child=serializers.IntegerField())
    measure_trends = serializers.DictField(child=serializers.IntegerField())
    risk_levels = serializers.DictField(child=serializers.IntegerField())

    def get_risks(self, report) -> list[str]:
        return [risk.code for risk in report.risks]
