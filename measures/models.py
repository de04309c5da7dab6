"""The performance framework: outcomes, population indicators, measures, and their figures."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from measures import checks, derived, formulas, periods, rating, spc
from measures.rollups import Aggregation
from measures.numbers import MAX_DECIMAL_PLACES, format_value
from measures.rating import RAG, Direction, Polarity, direction_of_travel, rate


class BoundedTextField(models.TextField):
    """A TextField whose `max_length` is checked whenever the model is validated, not only by
    the form box Django sizes from it: nobody pastes a megabyte into a report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))


class Outcome(models.Model):
    """A corporate-plan priority, such as "People in Dorset are Independent"."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, help_text="e.g. Independent")
    slug = models.SlugField(unique=True)
    plan = models.CharField(max_length=200, blank=True, help_text="e.g. Corporate Plan 2017-19")
    sponsor = models.CharField("outcome sponsor", max_length=200, blank=True)
    sponsor_role = models.CharField(max_length=200, blank=True)
    contacts = BoundedTextField(blank=True, max_length=2000, help_text="Who to contact about the outcome report.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Service(models.Model):
    """A council service that owns performance measures."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_services",
        help_text="Service leads who enter this service's figures.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Committee(models.Model):
    """A scrutiny committee that measures are reported to."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="committees",
        help_text="The councillors who sit on the committee: they hear when its report is published.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Period(models.Model):
    """A reporting period: a month, a financial quarter, a year of some kind, or a snapshot date."""

    kind = models.CharField(max_length=20, choices=periods.Kind.choices)
    start = models.DateField()
    end = models.DateField(db_index=True)

    class Meta:
        ordering = ["start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="period_unique_kind_start"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_ends_after_start"),
        ]

    def __str__(self):
        return self.label

    @property
    def span(self):
        return periods.Span(self.kind, self.start, self.end)

    @property
    def label(self):
        return periods.label(self.kind, self.start)

    @property
    def month_label(self):
        return periods.month_label(self.end)

    def clean(self):
        if self.kind and self.start and self.end:
            try:
                periods.check_whole(self.span)
            except periods.PeriodError as error:
                raise ValidationError(str(error)) from None

    @classmethod
    def for_span(cls, span):
        period, _ = cls.objects.get_or_create(kind=span.kind, start=span.start, defaults={"end": span.end})
        return period

    @classmethod
    def parse(cls, text, year_basis=periods.FINANCIAL_YEAR):
        return cls.for_span(periods.parse_period(text, year_basis))


class PopulationIndicator(models.Model):
    """A measure of a whole population, for which partners share responsibility (the ENDS).

    Its own figures are held by `headline`, an ordinary measure, so that values, targets,
    comparators and ratings work the same way for indicators and performance measures.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="indicators")
    number = models.CharField(max_length=10, help_text="Its order in the outcome report, e.g. 01")
    title = models.CharField(max_length=300)
    headline = models.OneToOneField(
        "Measure", on_delete=models.PROTECT, related_name="headline_of",
        help_text="The measure that holds the indicator's own figures.",
    )
    outcome_lead_officer = models.CharField(max_length=200, blank=True)
    indicator_lead_officer = models.CharField(max_length=200, blank=True)
    story = BoundedTextField("story behind the baseline", blank=True, max_length=8000)
    partners = BoundedTextField("partners with a significant role to play", blank=True, max_length=8000)
    what_we_are_doing = BoundedTextField("what are we doing?", blank=True, max_length=8000)

    class Meta:
        ordering = ["outcome", "number"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "number"], name="indicator_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class MeasureQuerySet(models.QuerySet):
    def performance(self):
        """Performance measures only, without the headline series of population indicators."""
        # NOT EXISTS, not a LEFT JOIN ... IS NULL: PostgreSQL estimates it (the join it
        # estimated at one row, and planned a probe per measure after it).
        return self.filter(~Exists(PopulationIndicator.objects.filter(headline=OuterRef("pk"))))

    def for_user(self, user):
        """The measures a service lead may edit; every measure for the BI team."""
        from measures.roles import is_bi_team

        if is_bi_team(user):
            return self
        return self.filter(service__leads=user)

    def with_latest_value(self, as_at, published=True):
        """Join each measure to its latest value for a period ending by `as_at` as `latest`
        (a LEFT JOIN: a measure with no such value keeps a row), and annotate its id as
        `latest_value_id`; `latest__rag` and the like read the value's other columns.

        Only published values count unless `published` is False (the BI team's own views,
        where the join's condition probes the values' index once per measure). See docs/speed.md
        for the alternatives measured.
        """
        if published:
            # The published value in force on `as_at`: each keeps the day its successor's period
            # ends (measures.publication), so this is a plain join, no probe per measure.
            condition = Q(
                values__status=Value.Status.PUBLISHED, values__period_end__lte=as_at,
                values__valid_until__gt=as_at,
            )
        else:
            latest = Subquery(Value.objects.latest_first_for_outer_measure(as_at).values("pk")[:1])
            condition = Q(values__pk=latest)
        return self.annotate(
            latest=FilteredRelation("values", condition=condition)
        ).annotate(latest_value_id=F("latest__pk"))


class Measure(models.Model):
    """A performance measure (the MEANS), or the headline series of a population indicator."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        TERMLY = "termly", "Termly (three terms in an academic year)"
        ANNUAL = "annual", "Annual"
        ROLLING_12 = "rolling_12", "Rolling 12 months (reported monthly)"
        IRREGULAR = "irregular", "Irregular"

    class Unit(models.TextChoices):
        # The stored values are those the reports print, so existing ones never change.
        NUMBER = "No.", "No."
        PERCENT = "%", "%"
        PERCENT_CHANGE = "% change", "% change (may be below 0 or above 100)"
        MONEY = "£", "Money (£)"
        DAYS = "No. (Days)", "No. (Days)"
        RATE_1000 = "Rate per 1,000", "Rate per 1,000"
        RATE = "Rate per 10,000", "Rate per 10,000"
        RATE_100000 = "Rate per 100,000", "Rate per 100,000"
        RATIO = "Ratio", "Ratio"
        SCORE = "Score", "Progress score"
        YES_NO = "Yes/No", "Yes/No"
        # Figures kept as the council counts them (12.3 for £12.3m), shown as plain numbers.
        MONEY_THOUSANDS = "£k", "Money (£k)"
        MONEY_MILLIONS = "£m", "Money (£m)"
        THOUSANDS = "No. (000s)", "Number (thousands)"

    class RatingRule(models.TextChoices):
        TOLERANCE = rating.TOLERANCE, "Bands: Green at the target or within the green band, Amber within the amber band"
        FLOOR = rating.FLOOR, (
            "Two targets: Green at the (stretch) target or within the green band, Amber down to the "
            "minimum standard (floor)"
        )
        REPORTED = rating.REPORTED, "Reported only: the RAG is taken as reported"

    class BandUnit(models.TextChoices):
        PERCENT = rating.PERCENT, "% of the target"
        UNITS = rating.UNITS, "in the measure's unit"

    class Basis(models.TextChoices):
        PREVIOUS = rating.PREVIOUS, "Previous data submission"
        YEAR_AGO = rating.YEAR_AGO, "Same period a year earlier"
        BASELINE = rating.BASELINE, "A fixed baseline (a year's outturn or a named period)"
        TARGET = rating.TARGET, "The target in force"

    code = models.CharField(
        max_length=30, blank=True, db_index=True,
        help_text="The council's own reference for the measure (e.g. CS01); imports match on it.",
    )
    title = models.CharField(max_length=600)
    definition = BoundedTextField(blank=True, max_length=4000)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    unit_label = models.CharField(
        max_length=60, blank=True,
        help_text='The council\'s own label for the unit, shown instead of it ("Rates per 10,000").',
    )
    rate_per = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a rate: per how many (1,000, 10,000 or 100,000)."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    year_basis = models.CharField(
        max_length=20, default=periods.FINANCIAL_YEAR,
        choices=[
            (periods.FINANCIAL_YEAR, "Financial year"),
            (periods.ACADEMIC_YEAR, "Academic year"),
            (periods.CALENDAR_YEAR, "Calendar year"),
        ],
        help_text="How years such as 2016-17 are read, and which year an annual measure reports on.",
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    decimal_places = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_DECIMAL_PLACES)],
        help_text=f"0 to {MAX_DECIMAL_PLACES}.",
    )
    rating_rule = models.CharField(
        max_length=10, choices=RatingRule.choices, default=RatingRule.TOLERANCE,
        help_text="How the RAG is worked out from the value and the target in force.",
    )
    green_band = models.DecimalField(
        max_digits=12, decimal_places=4, default=Decimal("0"), validators=[MinValueValidator(0)],
        help_text="How far short of the target a value still counts Green (0: only a target met is Green).",
    )
    green_band_unit = models.CharField(max_length=10, choices=BandUnit.choices, default=BandUnit.PERCENT)
    rag_tolerance = models.DecimalField(
        "amber band", max_digits=12, decimal_places=4, default=Decimal("10"), validators=[MinValueValidator(0)],
        help_text="How far short of the target, measured from the target, a value is Amber rather than Red "
        "(the RAG tolerance; 0: anything short of the green band is Red).",
    )
    amber_band_unit = models.CharField(max_length=10, choices=BandUnit.choices, default=BandUnit.PERCENT)
    dot_basis = models.CharField(
        "direction of travel compares with", max_length=10,
        choices=Basis.choices, default=Basis.PREVIOUS,
    )
    dot_baseline_period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="baseline period",
        help_text="For a fixed baseline: the period compared with (a year such as 2023-24, or any period).",
    )
    dot_baseline = models.DecimalField(
        "baseline figure", max_digits=16, decimal_places=4, null=True, blank=True,
        help_text="The baseline period's figure as the council gave it (e.g. an import's "
        "\"2023/24 Performance\" column); blank: the measure's own value for that period.",
    )
    same_band = models.DecimalField(
        max_digits=12, decimal_places=4, default=Decimal("0"),
        help_text="A change no larger than this counts as Same.",
    )
    same_band_unit = models.CharField(
        max_length=10, choices=[(rating.UNITS, "in the measure's unit"),
                                (rating.PERCENT, "% of the figure compared with")],
        default=rating.UNITS,
    )
    committees = models.ManyToManyField(Committee, blank=True, related_name="measures")
    population_indicator = models.ForeignKey(
        PopulationIndicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures",
        help_text="For a measure that serves an outcome but no single population indicator.",
    )
    reported_elsewhere = models.BooleanField(
        default=False, help_text="Reported elsewhere (risk, complaints): kept out of committee reports."
    )
    is_public = models.BooleanField(
        "public", default=False,
        help_text="Residents may see this measure's published figures on the public pages.",
    )
    spc_baseline_points = models.PositiveSmallIntegerField(
        "SPC baseline points", null=True, blank=True, default=spc.BASELINE_POINTS,
        validators=[MinValueValidator(2)],
        help_text="How many points from the start (and from each change point) set the SPC chart's "
        "mean and limits. Leave blank to use every point.",
    )
    spc_screen_moving_ranges = models.BooleanField(
        "screen SPC moving ranges", default=True,
        help_text="Leave out unusually large moving ranges (3.267 x their mean or more) when working "
        "out the limits, as the Making Data Count spreadsheet does.",
    )

    # Issue 21: figures worked out from others, roll-ups and checks at entry.
    numerator_label = models.CharField(
        max_length=200, blank=True,
        help_text='Enter the measure as two figures: the numerator\'s label ("Children in care").',
    )
    denominator_label = models.CharField(
        max_length=200, blank=True, help_text='The denominator\'s label ("Population aged 0-17").',
    )
    aggregation = models.CharField(
        max_length=10, choices=Aggregation.choices, blank=True,
        help_text="How a monthly measure's months roll up to a quarter, a year to date, a financial "
        "year and a rolling 12 months. Blank: no roll-ups.",
    )
    formula = models.CharField(
        max_length=formulas.MAX_LENGTH, blank=True,
        help_text="A calculated measure: a formula over other measures' codes for the same period, "
        "e.g. (ASC01 + ASC02) / POP18 * 10000, or sum(NORTH, SOUTH). Write [CS-01] for a code "
        "with a hyphen or a space.",
    )
    minimum = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True,
        help_text="A figure below this is flagged at entry: the lead confirms it and says why.",
    )
    maximum = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True,
        help_text="A figure above this is flagged at entry: the lead confirms it and says why.",
    )

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        # The lists' order (title, then id) read from an index: a page of the dashboard is its
        # first rows in that order, not a sort of every measure (docs/speed.md).
        indexes = [models.Index(fields=["title", "id"], name="measure_title_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimal_places__lte=MAX_DECIMAL_PLACES), name="measure_decimal_places_0_to_6"
            ),
            # One council per database: its codes name one measure each (imports match on them).
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="measure_unique_code"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("measure_detail", args=[self.pk])

    @property
    def has_parts(self):
        """Entered as a numerator and a denominator."""
        return bool(self.numerator_label or self.denominator_label)

    @property
    def is_calculated(self):
        return bool(self.formula)

    @property
    def scale(self):
        """What numerator / denominator is multiplied by (measures.derived)."""
        return derived.scale(self.unit, self.rate_per)

    def derive(self, numerator, denominator):
        return derived.derive(numerator, denominator, self.scale)

    def format(self, number):
        return format_value(number, self.unit, self.decimal_places)

    @property
    def unit_shown(self):
        """The council's own label for the unit where it gave one, else the unit."""
        return self.unit_label or self.unit

    @property
    def spc_settings(self):
        return spc.Settings(
            baseline_points=self.spc_baseline_points,
            screen_moving_ranges=self.spc_screen_moving_ranges,
        )

    @property
    def rule(self):
        """The measure's rating rule as measures.rating reads it."""
        return rating.Rule(self.rating_rule, self.rag_tolerance, self.amber_band_unit,
                           self.green_band, self.green_band_unit)

    @property
    def rule_text(self):
        """The rating rule in words, as the measure's page says it."""
        return self.rule.describe(self.unit)

    @property
    def dot_baseline_shown(self):
        return self.format(self.dot_baseline)

    def clean(self):
        errors = {}
        targets = list(self.targets.values_list("value", flat=True)) if self.pk else []
        try:
            problems = rating.rule_problems(self.rule, targets, self.polarity)
        except ValueError as error:
            problems = [str(error)]
        if problems:
            errors["rag_tolerance"] = problems
        if self.dot_basis == self.Basis.BASELINE and self.dot_baseline_period_id is None:
            errors["dot_basis"] = "Name the baseline period the direction of travel compares with."
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "The maximum cannot be below the minimum."
        if self.formula:
            from measures.calculated import check_formula

            try:
                check_formula(self)
            except formulas.FormulaError as error:
                errors["formula"] = str(error)
        if errors:
            raise ValidationError(errors)

    def suggested_ratings(self, number, target, previous, year_earlier, floor=None, reported=RAG.ND,
                          baseline=None):
        """The RAG and direction of travel the rules suggest for `number`, given the target in
        force (and its floor) and the figures it may be compared with (this measure's `dot_basis`
        says which one counts). A measure rated "reported only" keeps the `reported` RAG."""
        compared = rating.compared_figure(self.dot_basis, previous, year_earlier, baseline, target)
        return (
            rate(number, target, self.polarity, self.rule, floor, reported),
            direction_of_travel(number, compared, self.polarity, self.same_band, self.same_band_unit),
        )

    def baseline_for(self, span, values_by_span=None):
        """The fixed baseline figure a value for `span` compares with: the figure given, else the
        measure's own value for the baseline period (from `values_by_span`, {Span: Value}, or
        read); None for a period not after the baseline, or a measure with another basis."""
        if self.dot_basis != self.Basis.BASELINE or self.dot_baseline_period_id is None:
            return None
        period = self.dot_baseline_period
        if span.start <= period.end:
            return None
        if self.dot_baseline is not None:
            return self.dot_baseline
        if values_by_span is None:
            return self.values.filter(period=period).values_list("value", flat=True).first()
        value = values_by_span.get(period.span)
        return value.value if value is not None else None


class Target(models.Model):
    """The target for a measure from one period on (see measures.targets for which is in force).

    A target set for a year applies to every month or quarter in it; the latest target applies
    until a new one is set, unless `ends` says it stops.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    floor = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True,
        help_text="The amber threshold, for a measure rated against a floor.",
    )
    ends = models.DateField(
        null=True, blank=True,
        help_text="The target carries forward to no period starting after this date.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="target_unique_measure_period"),
        ]

    def __str__(self):
        return f"{self.measure} {self.period}: {self.measure.format(self.value)}"

    def clean(self):
        if self.value == 0 and self.measure_id:
            problems = rating.rule_problems(self.measure.rule, [self.value], self.measure.polarity)
            if problems:
                raise ValidationError({"value": problems})
        if self.ends and self.period_id and self.ends < self.period.start:
            raise ValidationError({"ends": "A target cannot end before its period starts."})
        if self.floor is not None and self.value is not None and self.measure_id:
            try:
                rate(self.value, self.value, self.measure.polarity, rating.Rule(rating.FLOOR), self.floor)
            except ValueError as error:
                raise ValidationError({"floor": str(error)}) from None


class ChangePoint(models.Model):
    """Where the BI team rebased a measure's SPC chart (a new service model, a definition
    change): the limits are worked out afresh from this period on."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="change_points")
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+",
        help_text="The first period of the new process.",
    )
    reason = models.CharField(max_length=300, help_text="e.g. New referral pathway from April 2019")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="change_point_unique_measure_period"),
        ]

    def __str__(self):
        return f"{self.measure}: from {self.period} ({self.reason})"


class ValueQuerySet(models.QuerySet):
    def published(self):
        """Only what scrutiny members and the reports may see."""
        return self.filter(status=Value.Status.PUBLISHED)

    def latest_first_for_outer_measure(self, as_at):
        """For a subquery over measures: the measure's values for periods ending by `as_at`,
        latest first. "Latest as at" means this everywhere: in annotations and in reports.

        It reads the period's end kept on the value, so that the published values' index on
        (measure, period end descending) answers it with one index probe per measure.
        """
        return self.filter(measure=OuterRef("pk"), period_end__lte=as_at).order_by("-period_end")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        copy_period_dates(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        _refresh_chains({v.measure_id for v in objs if v.status == Value.Status.PUBLISHED})
        return created

    def delete(self):
        measure_ids = set(self.order_by().values_list("measure_id", flat=True).distinct())
        deleted = super().delete()
        _refresh_chains(measure_ids)
        return deleted


def _refresh_chains(measure_ids):
    # The refresh is a service above the models (measures.publication imports them, they do not
    # import it): called here only until every door calls it itself.
    from measures.publication import refresh_chains

    refresh_chains(measure_ids)


def copy_period_dates(values):
    """Keep each value's copy of its period's start and end (a period's dates never change), in
    one query for any number of values given only their period's id. The one place they are set:
    Value.save and Value.objects.bulk_create call it."""
    missing = {v.period_id for v in values if not Value.period.is_cached(v) and v.period_id}
    dates = dict(
        (pk, (start, end))
        for pk, start, end in Period.objects.filter(pk__in=missing).values_list("pk", "start", "end")
    ) if missing else {}
    for value in values:
        if Value.period.is_cached(value) and value.period is not None:
            value.period_start, value.period_end = value.period.start, value.period.end
        elif value.period_id in dates:
            value.period_start, value.period_end = dates[value.period_id]


class Value(models.Model):
    """A measure's figure for one period, with its commentary, actions and ratings.

    `rag` and `direction_of_travel` hold the ratings in force: the override where one is
    recorded, else what the rules suggest. measures.services.rate_measure keeps them current.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    # The period's dates, copied (by copy_period_dates) so that "latest as at" needs no join.
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    # For a published value: the end of its measure's next published period (date.max for
    # the newest; None for a value not published), so that it is in force on the days from
    # period_end up to (not including) this. measures.publication.refresh_chains keeps it.
    valid_until = models.DateField(null=True, blank=True, editable=False)
    # SPC as at this value (issue 12): what measures.spc.analyse makes of the measure's published
    # figures up to it, with its change points and target; blank where there is none. Kept by
    # refresh_chains with valid_until, so the dashboard filters on them in SQL.
    spc_variation = models.CharField(max_length=12, blank=True, editable=False)  # spc.Nature
    spc_side = models.CharField(max_length=4, blank=True, editable=False)  # high or low
    spc_assurance = models.CharField(max_length=12, blank=True, editable=False)  # spc.Assurance
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    no_data_reason = models.CharField(max_length=300, blank=True)
    flags = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="Why the figure looked unusual at entry (measures.checks): bounds, SPC limits, history.",
    )
    flag_reason = models.CharField(
        "reason the unusual figure is right", max_length=300, blank=True,
        help_text="The lead's confirmation of a flagged figure.",
    )
    inputs = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="For a calculated measure: the inputs' figures it was worked out from.",
    )
    provisional = models.BooleanField(default=False)
    caveat = BoundedTextField(blank=True, max_length=1000)
    commentary = BoundedTextField(blank=True, max_length=4000)
    actions = BoundedTextField(blank=True, max_length=4000)
    rag_override = models.CharField("RAG override", max_length=10, choices=RAG.choices, blank=True)
    dot_override = models.CharField(
        "D.O.T. override", max_length=10, choices=Direction.choices, blank=True
    )
    override_reason = models.CharField(max_length=300, blank=True)
    direction_words = models.CharField(
        "D.O.T. as reported", max_length=40, blank=True,
        help_text="The council's own words for the direction of travel where a report gave "
        "them (e.g. Marginal change), shown in place of its name.",
    )
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, default=RAG.ND, editable=False)
    reported_rag = models.CharField(
        "RAG as reported", max_length=10, choices=RAG.choices, blank=True, editable=False,
        help_text="The RAG the council itself published for this figure, as an import gave it: kept "
        "apart from the RAG in force, which the rules work out; suggest_bands learns bands from it.",
    )
    direction_of_travel = models.CharField(
        "D.O.T.", max_length=10, choices=Direction.choices, default=Direction.NO_TREND, editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    # When anything the API shows of the value last changed: every save, and every re-rating
    # (measures.services.rate_measures writes ratings with .update(), which auto_now misses).
    updated_at = models.DateTimeField(auto_now=True, db_index=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    returned_comment = BoundedTextField(
        blank=True, max_length=2000, help_text="Why the BI team returned the value to its service lead."
    )
    pending_revision = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="A lead's revision of the published figure, waiting for the BI team's approval: "
        "the entry fields as text, the reason and who proposed it.",
    )
    synthetic = models.BooleanField(
        default=False, editable=False,
        help_text="Generated for trying SPC (load_demo --synthetic-history): not a council's figure.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False,
        help_text="Goes up by one on every save, so that a save made from a stale form is refused.",
    )

    objects = ValueQuerySet.as_manager()
    # Derived, not entered: kept out of the audit trail.
    history = HistoricalRecords(excluded_fields=["valid_until", "spc_variation", "spc_side", "spc_assurance"])

    class Meta:
        ordering = ["measure", "period__start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="value_unique_measure_period"),
            models.CheckConstraint(
                condition=Q(rag_override="", dot_override="") | ~Q(override_reason=""),
                name="value_override_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["rag", "direction_of_travel"], name="value_rating_idx"),
            # "Latest published value as at": one probe per measure, read from the index alone
            # (the ratings and the id are key columns, so it covers on SQLite as on PostgreSQL).
            models.Index(
                fields=["measure", "-period_end", "rag", "direction_of_travel", "id"],
                condition=Q(status="published"),
                name="value_latest_published_idx",
            ),
            # The published values in force on a day: one range of this index, read from the
            # index alone (the newest of each measure, in force today, end on date.max). The
            # figure and SPC side are carried too, so a list sorted by its figures is read from
            # the index as well (PostgreSQL; SQLite ignores `include`).
            models.Index(
                fields=[
                    "valid_until", "period_end", "measure", "rag", "direction_of_travel", "id",
                    "spc_variation", "spc_assurance",
                ],
                include=["value", "spc_side"],
                condition=Q(status="published"),
                name="value_in_force_idx",
            ),
            # Whether a measure's published series up to a value holds synthetic figures (the
            # exception report's rows, reports.selectors.LatestValue): a probe finding the few
            # synthetic ones, not a walk through each measure's every value.
            models.Index(
                fields=["measure", "period_end"],
                condition=Q(status="published", synthetic=True),
                name="value_synthetic_idx",
            ),
        ]
        permissions = [("publish_value", "Can approve, return and publish values, and override their RAG")]

    def __str__(self):
        return f"{self.measure} {self.period}"

    def get_absolute_url(self):
        return reverse("value_history", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        value = super().from_db(db, field_names, values)
        value._published_when_read = value.__dict__.get("status") == cls.Status.PUBLISHED
        return value

    def save(self, *args, **kwargs):
        copy_period_dates([self])
        super().save(*args, **kwargs)
        # Publishing, revising or withdrawing changes the measure's chain of published values.
        if self.status == self.Status.PUBLISHED or getattr(self, "_published_when_read", False):
            _refresh_chains([self.measure_id])
        self._published_when_read = self.status == self.Status.PUBLISHED

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        _refresh_chains([self.measure_id])
        return deleted

    def clean(self):
        if (self.rag_override or self.dot_override) and not self.override_reason.strip():
            raise ValidationError({"override_reason": "Give the reason for overriding the rating."})
        if self.period_id and self.period.start > timezone.localdate():
            raise ValidationError({"period": f"{self.period} has not begun: a value is entered once its period has started."})
        if self.period_id and self.measure_id:
            try:
                periods.check_fits(self.measure.frequency, self.period.span)
            except periods.PeriodError as error:
                raise ValidationError({"period": str(error)}) from None

    @property
    def formatted(self):
        return self.measure.format(self.value)

    def suggested_rag(self, target, floor=None):
        m = self.measure
        return rate(self.value, target, m.polarity, m.rule, floor, self.reported_rag or self.rag)


class ValidationRule(models.Model):
    """A check across measures, as the BI team writes it: "ASC65 <= ASCALL" (measures.checks)."""

    name = models.CharField(max_length=200)
    left = models.CharField("left side", max_length=formulas.MAX_LENGTH, help_text="A formula over measure codes.")
    operator = models.CharField(max_length=2, choices=checks.OPERATOR_CHOICES)
    right = models.CharField("right side", max_length=formulas.MAX_LENGTH, help_text="A formula over measure codes, or a figure.")
    importance = models.CharField(max_length=10, choices=checks.IMPORTANCE_CHOICES, default=checks.WARNING)
    message = models.CharField(max_length=300, help_text="What the lead is told when the rule is broken.")
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from measures.figure_checks import unknown_codes

        errors = {}
        for side in ("left", "right"):
            if not getattr(self, side):
                continue  # a required field: its own error says so
            try:
                unknown = unknown_codes(formulas.parse(getattr(self, side)).codes)
            except formulas.FormulaError as error:
                errors[side] = str(error)
                continue
            if unknown:
                errors[side] = f"No measure has the code {', '.join(unknown)}"
        if errors:
            raise ValidationError(errors)

    @property
    def rule(self):
        return checks.Rule(self.left, self.operator, self.right, self.importance, self.message, self.name)


class ComparatorValue(models.Model):
    """A benchmark for a measure: an average of other areas, or a national ranking."""

    class Rating(models.TextChoices):
        BETTER = "Better", "Better"
        SIMILAR = "Similar", "Similar"
        WORSE = "Worse", "Worse"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparators")
    name = models.CharField(max_length=100, help_text='e.g. "South West", "Statistical neighbours"')
    period = models.ForeignKey(Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    rank_of = models.PositiveIntegerField(null=True, blank=True)
    basis = models.CharField(max_length=60, blank=True, help_text='e.g. "Average"')
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, default=RAG.ND)
    direction_of_travel = models.CharField(
        "trend", max_length=10, choices=Direction.choices, blank=True
    )

    class Meta:
        ordering = ["measure", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(rank__isnull=False),
                name="comparator_has_value_or_rank",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.figure}"

    @property
    def figure(self):
        if self.rank is not None:
            return f"{self.rank} of {self.rank_of}" if self.rank_of else str(self.rank)
        return self.measure.format(self.value)
