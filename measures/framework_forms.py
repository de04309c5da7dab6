"""Forms for the BI team's framework set-up pages: a year of targets, a new measure, a copy, a
calculated measure's formula and a validation rule."""

from django import forms

from measures import locking, periods, profiles
from measures.forms import GovukFieldsMixin, GovukForm, MonthField
from measures.framework import TargetEntry, year_for
from measures.models import Committee, Measure, Service, ValidationRule
from measures.numbers import NumberError, parse_number
from measures.rating import rule_problems, suggest_rag_floor


def _figure_field(label):
    return forms.CharField(
        label=label, required=False, max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal",
                                      "spellcheck": "false", "autocomplete": "off"}),
    )


class YearTargetsForm(GovukForm):
    """A measure's targets (and floors) for each period it reports on through one year, with a
    target for the whole year that applies to every period left blank.

    Needs `measure` (saved or not: its unit and polarity read the figures) and `year` (a Span).
    A blank target removes the one set for that period; `entries()` lists what to save.
    """

    # What the form showed of the saved targets (measures.locking): a save over targets someone
    # else changed meanwhile is refused once, then replaces theirs.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measure, year, last_year=None, **kwargs):
        self.measure, self.year, self.last_year = measure, year, last_year
        self.spans = periods.reporting_spans(measure.frequency, year, measure.year_basis)
        super().__init__(*args, **kwargs)
        for span, label, target_name, floor_name in _slots(self.spans, year):
            self.fields[target_name] = _figure_field(f"Target for {label}")
            self.fields[floor_name] = _figure_field(f"Floor for {label}")
        if len(self.spans) == 12:
            # Issue 21: spread the whole year's target over its months in one step.
            self.fields["profile"] = forms.ChoiceField(
                label="Spread the whole year's target over the months", required=False,
                choices=[("", "No: use the targets typed for each month"),
                         *profiles.PROFILES.items()],
                help_text="Even: the same each month. Cumulative: each month's target is the "
                "target to date. In last year's shape: each month's share of last year's figures.",
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
            self.fields["profile"].widget.attrs["aria-describedby"] = f"{self['profile'].auto_id}-hint"

    @staticmethod
    def layout_of(measure, year):
        """What the periods of the form depend on, so a page laid out for another frequency,
        basis or year is never read as this one."""
        return f"{measure.frequency} {measure.year_basis} {year.kind} {year.start.isoformat()}"

    def rows(self):
        """(period label, target field, floor field) for each period, the whole year first."""
        return [(label, self[t], self[f]) for _, label, t, f in _slots(self.spans, self.year)]

    def pairs(self):
        """(Span, target field name, floor field name), the whole year first."""
        return [(span, t, f) for span, _, t, f in _slots(self.spans, self.year)]

    @classmethod
    def initial_for(cls, measure, year):
        """The targets set for the year's periods, as the form shows them, and their fingerprint."""
        shown = cls._saved(measure, year)
        return {**shown, "seen": locking.fingerprint(shown)}

    @classmethod
    def _saved(cls, measure, year):
        spans = periods.reporting_spans(measure.frequency, year, measure.year_basis)
        names = {(span.kind, span.start): (t, f) for span, _, t, f in _slots(spans, year)}
        initial = {}
        for target in measure.targets.select_related("period").filter(
            period__start__range=(year.start, year.end)
        ):
            key = (target.period.kind, target.period.start)
            if key in names:
                target_name, floor_name = names[key]
                initial[target_name] = _plain(target.value)
                initial[floor_name] = _plain(target.floor)
        return initial

    def clean(self):
        data = super().clean()
        if self.measure.pk and self.add_prefix("seen") in self.data:  # as a value's version: when sent
            current = locking.fingerprint(self._saved(self.measure, self.year))
            if data.get("seen") != current:
                self.data = self.data.copy()
                self.data[self.add_prefix("seen")] = current
                self.add_error(None, locking.STALE)
        unit = self.measure.unit
        for span, target_name, floor_name in self.pairs():
            figures = {}
            for name in (target_name, floor_name):
                try:
                    figures[name] = parse_number(data.get(name, "") or "", unit)
                except NumberError as error:
                    self.add_error(name, f"{self.fields[name].label}: {error}")
            target, floor = figures.get(target_name), figures.get(floor_name)
            if target == 0:  # a band in per cent of 0 is no band: say so here too
                for problem in rule_problems(self.measure.rule, [target], self.measure.polarity):
                    self.add_error(target_name, f"{self.fields[target_name].label}: {problem}")
            if floor is not None and target is None and target_name in figures:
                self.add_error(floor_name, f"{self.fields[floor_name].label}: give the target too")
            elif floor is not None and target is not None:
                try:
                    suggest_rag_floor(target, target, floor, self.measure.polarity)
                except ValueError as error:
                    self.add_error(floor_name, f"{self.fields[floor_name].label}: {error}")
            data[target_name], data[floor_name] = target, floor
        if data.get("profile"):
            if data.get("year_target") is None:
                self.add_error("profile", "Give the whole year's target to spread over the months")
            elif data["profile"] == profiles.LAST_YEAR and not any(self.last_year or []):
                self.add_error("profile", "Last year has no published monthly figures to take the shape from")
        return data

    def entries(self):
        entries = [
            TargetEntry(span, self.cleaned_data[target_name], self.cleaned_data[floor_name])
            for span, target_name, floor_name in self.pairs()
        ]
        method = self.cleaned_data.get("profile")
        if not method:
            return entries
        spread = profiles.profile(self.cleaned_data["year_target"], method, 12, self.last_year)
        return entries[:1] + [
            TargetEntry(entry.span, figure, entry.floor) for entry, figure in zip(entries[1:], spread)
        ]


def _slots(spans, year):
    """(span, label, target field name, floor field name) for the whole year (unless the measure
    reports on the year itself) and then each period."""
    whole = [] if spans == [year] else [(year, f"the whole year {year.label}", "year_target", "year_floor")]
    return whole + [(span, span.label, f"target_{i}", f"floor_{i}") for i, span in enumerate(spans)]


def _plain(number):
    return "" if number is None else format(number.normalize(), "f")


class EndTargetsForm(GovukForm):
    """The last month the measure's targets apply to; blank carries them forward again."""

    last_month = MonthField(
        label="Targets apply to no period after", required=False,
        help_text="A month, such as 2021-03 or Mar-21. Leave it blank to carry the targets forward again.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_month"].widget.attrs["class"] = "govuk-input govuk-input--width-10"


class MeasureForm(GovukFieldsMixin, forms.ModelForm):
    """A new measure's definition, its committees and the first year of its targets."""

    first_year = forms.CharField(
        label="First year of targets", max_length=20,
        help_text="A financial or academic year, such as 2020-21 (a calendar year such as 2020).",
    )
    committees = forms.ModelMultipleChoiceField(
        queryset=Committee.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The scrutiny committees it is reported to.",
    )

    class Meta:
        model = Measure
        fields = [
            "title", "definition", "service", "committees", "outcome", "unit", "unit_label",
            "rate_per", "frequency", "year_basis", "polarity", "decimal_places", "rating_rule",
            "green_band", "green_band_unit", "rag_tolerance", "amber_band_unit", "dot_basis", "same_band",
            "same_band_unit",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.all()
        self.fields["service"].required = True
        self.fields["polarity"].help_text = (
            "Which way is better. Rated against a floor, the floor sits on the worse side of the target."
        )
        for name in ("rate_per", "decimal_places", "green_band", "rag_tolerance", "same_band", "first_year"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def clean_first_year(self):
        basis = self.data.get(self.add_prefix("year_basis")) or periods.FINANCIAL_YEAR
        probe = Measure(year_basis=basis if basis in periods.YEAR_FIRST_MONTHS else periods.FINANCIAL_YEAR)
        try:
            return year_for(probe, self.cleaned_data["first_year"])
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if data.get("rate_per") and not str(data.get("unit", "")).startswith("Rate"):
            self.add_error("rate_per", "Only a rate is counted per 1,000, 10,000 or 100,000.")
        return data


RULE_FIELDS = [
    "rating_rule", "green_band", "green_band_unit", "rag_tolerance", "amber_band_unit",
    "dot_basis", "dot_baseline_period", "dot_baseline", "same_band", "same_band_unit",
]


class BaselinePeriodField(forms.CharField):
    """A period named as the reports name it ("2023-24", "Q4 2023/24", "Mar-24")."""

    def __init__(self, *args, year_basis=periods.FINANCIAL_YEAR, **kwargs):
        self.year_basis = year_basis
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        from measures.models import Period

        if isinstance(value, Period):
            return value.label
        if isinstance(value, int):
            period = Period.objects.filter(pk=value).first()
            return period.label if period else ""
        return value

    def clean(self, value):
        from measures.models import Period

        text = super().clean(value)
        if not text:
            return None
        try:
            return Period.for_span(periods.parse_period(text, self.year_basis))
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None


class RuleForm(GovukFieldsMixin, forms.ModelForm):
    """A measure's rating rule and the basis of its direction of travel. Measure.clean checks the
    bands against its targets (a band in per cent of a target of 0 is no band: it says so)."""

    dot_baseline_period = BaselinePeriodField(
        label="Baseline period", required=False, max_length=40,
        help_text="For a fixed baseline: the period compared with, such as 2023-24 (a year's outturn), "
                  "Q4 2023-24 or Mar-24.",
    )

    class Meta:
        model = Measure
        fields = RULE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dot_baseline_period"].year_basis = self.instance.year_basis
        for name in ("green_band", "rag_tolerance", "same_band", "dot_baseline"):
            if self.initial.get(name) is not None:  # 3, not the stored 3.0000
                self.initial[name] = _plain(self.initial[name])
        for name in ("green_band", "rag_tolerance", "same_band", "dot_baseline", "dot_baseline_period"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"
        for name in ("green_band_unit", "amber_band_unit", "same_band_unit"):
            self.fields[name].label = f"{name.split('_')[0].capitalize()} band given as"

    def clean(self):
        data = super().clean()
        if data.get("dot_basis") == Measure.Basis.BASELINE and not data.get("dot_baseline_period"):
            self.add_error("dot_baseline_period", "Name the baseline period, such as 2023-24.")
        return data


class CopyYearForm(GovukForm):
    """Which measures' frameworks to copy from one financial year into the next: one measure's,
    or a service's or committee's, or every measure's."""

    year = forms.CharField(
        label="Copy the framework set for", max_length=20,
        help_text="A financial year, such as 2020-21. Targets for periods starting in it are copied a year on "
                  "(for a measure counted in academic years, the academic year starting that September).",
    )
    measure = forms.ModelChoiceField(queryset=Measure.objects.all(), required=False, widget=forms.HiddenInput)
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(), required=False, empty_label="Every service", to_field_name="slug",
    )
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.all(), required=False, empty_label="Every committee", to_field_name="slug",
    )
    replace = forms.BooleanField(
        label="Replace targets already set in the new year", required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def clean_year(self):
        try:
            span = periods.parse_period(self.cleaned_data["year"], periods.FINANCIAL_YEAR)
        except periods.PeriodError as error:
            raise forms.ValidationError(str(error)) from None
        if span.kind != periods.FINANCIAL_YEAR:
            raise forms.ValidationError(f"'{self.cleaned_data['year']}' is not a financial year (try 2020-21)")
        return span

    @classmethod
    def initial_from(cls, query):
        """The measure and year a link asks for (?measure=12&year=2020-21); anything else is ignored."""
        initial = {}
        if query.get("measure", "").isdigit():
            initial["measure"] = Measure.objects.filter(pk=query["measure"]).first()
        if len(query.get("year", "")) <= 20:
            initial["year"] = query.get("year", "")
        return initial

    def chosen_measure(self):
        if self.is_bound:
            return self.cleaned_data.get("measure") if hasattr(self, "cleaned_data") else None
        return self.initial.get("measure")

    def measures(self):
        measures = Measure.objects.all()
        if self.cleaned_data.get("measure"):
            measures = measures.filter(pk=self.cleaned_data["measure"].pk)
        if self.cleaned_data.get("service"):
            measures = measures.filter(service=self.cleaned_data["service"])
        if self.cleaned_data.get("committee"):
            measures = measures.filter(committees=self.cleaned_data["committee"])
        return measures



class PeriodField(forms.CharField):
    """A period to try a formula or rule on: a month, a quarter or a year, as periods reads it."""

    default_error_messages = {"invalid": "Enter a period like 2020-10, Oct-20 or Q2 2020-21"}

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            if len(text) > 40:
                raise periods.PeriodError(text)
            return periods.parse_period(text)
        except periods.PeriodError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.label if isinstance(value, periods.Span) else value


def _try_on():
    return PeriodField(
        label="Try it on a period", required=False,
        help_text="A month such as 2020-10, or a quarter such as Q2 2020-21: the figures held for it "
        "(whatever their status) are worked through, before anything is saved.",
    )


class FormulaForm(GovukFieldsMixin, forms.ModelForm):
    """A calculated measure's formula; the model's clean (measures.calculated.check_formula) is
    the one check: it parses, names measures that exist, and refers back to no one."""

    try_on = _try_on()

    class Meta:
        model = Measure
        fields = ["formula"]
        help_texts = {
            "formula": "Measure codes with + - * / and brackets, sum(), mean(), min() and max() over "
            "a list of codes, and figures: (CPP / POP17) * 10000. Leave it blank for a measure "
            "entered by hand.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formula"].widget.attrs["class"] += " govuk-!-width-full"
        self.fields["try_on"].widget.attrs["class"] += " govuk-input--width-10"


class ValidationRuleForm(GovukFieldsMixin, forms.ModelForm):
    """A validation rule across measures; the model's clean checks both sides."""

    try_on = _try_on()

    class Meta:
        model = ValidationRule
        fields = ["name", "left", "operator", "right", "importance", "message", "active"]
        help_texts = {
            "left": "A formula over measure codes, such as ASC65 or sum(ASC65, ASC18)",
            "right": "A formula over measure codes, or a figure, such as ASCALL or 100",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("left", "right"):
            self.fields[name].widget.attrs["class"] += " govuk-!-width-two-thirds"
        self.fields["try_on"].widget.attrs["class"] += " govuk-input--width-10"
