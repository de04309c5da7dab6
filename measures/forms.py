"""Forms for entering a month's figures and for the BI team's approval steps."""

import json
from decimal import Decimal
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.functional import lazy

from measures import figure_checks, lifecycle, periods, selectors, services
from measures.models import Value
from measures.numbers import NumberError, parse_number
from measures.rating import RAG


class GovukFieldsMixin:
    """Widgets that carry the design system's classes, hint and error ids
    (rendered by includes/field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            kind = "govuk-select" if isinstance(widget, forms.Select) else "govuk-input"
            widget.attrs["class"] = kind
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound, widget = self[name], self.fields[name].widget
            widget.attrs["class"] += f" {widget.attrs['class']}--error"
            described = [widget.attrs.get("aria-describedby", ""), f"{bound.auto_id}-error"]
            widget.attrs["aria-describedby"] = " ".join(filter(None, described))


class GovukForm(GovukFieldsMixin, forms.Form):
    pass


def words_field(label, limit, rows=2, **kwargs):
    """A design-system textarea of at most `limit` characters (its model field's), which says
    so plainly when it is exceeded."""
    return forms.CharField(
        label=label, required=False, max_length=limit,
        error_messages={"max_length": f"{label} must be {limit:,} characters or fewer (it has %(show_value)d)"},
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": rows}), **kwargs,
    )


def _limit(model, name):
    return model._meta.get_field(name).max_length


@dataclass
class Preview:
    """What the row's value would be rated, or why it cannot be read."""

    rag: str = ""
    direction_of_travel: str = ""
    error: str = ""
    empty: bool = False


class ValueEntryForm(forms.Form):
    """One row of "My measures": one measure's figure for the period, with its words.

    Needs `row` (measures.selectors.Row). A row with no saved value that is left blank is
    not validated and not saved; a row whose value the person may not change is disabled.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    value = forms.CharField(
        label="Value", required=False, max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false", "autocomplete": "off"}),
    )
    numerator = forms.CharField(
        label="Numerator", required=False, max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false", "autocomplete": "off"}),
    )
    denominator = forms.CharField(
        label="Denominator", required=False, max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal",
                                      "spellcheck": "false", "autocomplete": "off"}),
    )
    flag_reason = forms.CharField(
        label="Why this unusual figure is right", required=False, max_length=300,
        help_text="Only when the figure is flagged as unusual: confirm it by saying why.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    no_data_reason = forms.CharField(
        label="Reason there is no data this period", required=False, max_length=300,
        help_text="Only when you leave the value blank.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    commentary = words_field(
        "Commentary", _limit(Value, "commentary"), rows=3,
        help_text="Why the figure is what it is. Required when it is rated Red or Amber.",
    )
    actions = words_field("Actions", _limit(Value, "actions"), help_text="What will be done.")
    provisional = forms.BooleanField(
        label="This figure is provisional", required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    caveat = words_field(
        "Caveat", _limit(Value, "caveat"), help_text="For example: not comparable with previous months.",
    )
    revision_reason = forms.CharField(
        label="Reason for revising the published figure", required=False, max_length=300,
        help_text='For example: "Measure adjusted in Dec 20 and backdated".',
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )

    def __init__(self, *args, row, role, **kwargs):
        self.row = row
        value = row.value
        if value is not None:
            # A lead's revision awaiting approval is what the lead goes on editing.
            shown = value.pending_revision or {
                name: getattr(value, name) for name in
                ("value", "no_data_reason", "commentary", "actions", "provisional", "caveat",
                 "numerator", "denominator", "flag_reason")
            }
            kwargs["initial"] = {
                **shown,
                "version": value.version,
                **{name: "" if shown.get(name) in (None, "") else _plain(Decimal(shown[name]))
                   for name in ("value", "numerator", "denominator")},
                "revision_reason": value.pending_revision.get("reason", ""),
            }
        kwargs.setdefault("empty_permitted", value is None)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.flags = []
        if row.measure.unit:
            self.fields["value"].help_text = f"Unit: {row.measure.unit_shown}"
        if row.measure.has_parts:
            # Entered as two figures: the value is derived from them (measures.derived).
            self.fields["numerator"].label = row.measure.numerator_label or "Numerator"
            self.fields["denominator"].label = row.measure.denominator_label or "Denominator"
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
        pk = row.measure.pk
        # As the value is typed, htmx posts the form to the preview view and puts the ratings
        # it renders into the row's live region; "Check ratings" does the same without JavaScript.
        self.fields["numerator" if row.measure.has_parts else "value"].widget.attrs.update({
            "hx-post": reverse("my_measures_preview"),
            "hx-trigger": "input changed delay:300ms, change",
            "hx-target": f"#row-{pk}-preview",
            "hx-vals": json.dumps({"row": pk}),
            "hx-sync": "this:replace",
        })
        status = row.status
        self.locked = row.due and not (
            lifecycle.allowed(status, role) & {lifecycle.Action.SAVE_DRAFT, lifecycle.Action.REVISE}
        )
        if self.locked:
            for field in self.fields.values():
                field.disabled = True
        self.published = status == Value.Status.PUBLISHED
        if not self.published:
            del self.fields["revision_reason"]

    def clean_value(self):
        try:
            return parse_number(self.cleaned_data["value"], self.row.measure.unit)
        except NumberError as error:
            raise forms.ValidationError(str(error)) from None

    def _clean_part(self, name):
        try:
            return parse_number(self.cleaned_data[name])
        except NumberError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_numerator(self):
        return self._clean_part("numerator")

    def clean_denominator(self):
        return self._clean_part("denominator")

    def clean(self):
        data = super().clean()
        if self.row.measure.has_parts:
            if "numerator" not in data or "denominator" not in data:
                return data
            data["value"], reason = services.entry_figure(self.row.measure, data)
            if reason and not data.get("no_data_reason", "").strip():
                self.add_error("denominator", reason)
                return data
        if not self.row.due:
            self.add_error("value", (
                f"{self.row.measure} is reported {self.row.measure.get_frequency_display().lower()}: "
                "it has no value due in this period."
            ))
            return data
        if "value" not in data:
            return data
        number = data["value"]
        if number is None and not data.get("no_data_reason", "").strip():
            self.add_error("value", "Enter the value, or give the reason there is no data this period.")
        if number is not None and data.get("no_data_reason", "").strip():
            self.add_error("no_data_reason", "Leave the reason blank when you enter a value.")
        rag, _ = self.row.suggested(number)
        if rag in (RAG.RED, RAG.AMBER) and not data.get("commentary", "").strip():
            self.add_error(
                "commentary", f"Enter commentary: the value is rated {rag}, so say why and what is being done."
            )
        if self.published and self.has_changed() and not data.get("revision_reason", "").strip():
            self.add_error("revision_reason", "Give the reason for revising the published figure.")
        return data

    def preview(self):
        """The ratings the value typed (or saved) would get, by the measure's own rules."""
        try:
            number = self._typed_figure()
        except NumberError as error:
            return Preview(error=str(error))
        if number is None or not self.row.due:
            return Preview(empty=True)
        rag, dot = self.row.suggested(number)
        return Preview(rag=rag, direction_of_travel=dot)


    def _typed_figure(self):
        def typed(name):
            text = self[name].value()
            return "" if text is None else str(text)

        if self.row.measure.has_parts:
            parts = {name: parse_number(typed(name)) for name in ("numerator", "denominator")}
            return services.entry_figure(self.row.measure, parts)[0]
        return parse_number(typed("value"), self.row.measure.unit)


def check_entries(forms):
    """Run the checks a figure meets on its way in (measures.figure_checks: validation rules
    across measures, outlier flags) on valid entry forms, all at once; add an error to each form
    whose figure breaks a rule, or is flagged and not confirmed with a reason. True when none."""
    checked = [form for form in forms if form.row.due and not form.locked and form.has_changed()]
    results = figure_checks.check_figures(
        (form.row.measure, form.row.span, form.cleaned_data.get("value")) for form in checked
    )
    clean = True
    for form, result in zip(checked, results):
        form.flags = result.flags
        form.cleaned_data["flags"] = result.flags
        field = "numerator" if form.row.measure.has_parts else "value"
        for error in result.errors:
            form.add_error(field, error)
            clean = False
        ask = figure_checks.unconfirmed(result, form.cleaned_data.get("flag_reason"))
        if ask:
            form.add_error("flag_reason", ask)
            clean = False
    return clean


def _plain(number):
    """A saved figure as a person would type it: no trailing zeros, no thousands separators."""
    return format(number.normalize(), "f")


class MonthField(forms.CharField):
    """A month such as 2020-10 or Oct-20, cleaned to its periods.Span."""

    default_error_messages = {"invalid": "Enter the period as a month, like 2020-10 or Oct-20"}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(periods.month_hint, str)())
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return selectors.month_span(text)
        except periods.PeriodError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.iso if isinstance(value, periods.Span) else value


class ReviewForm(forms.Form):
    """The BI team's action on the values ticked on the approvals page."""

    ACTIONS = [("approve", "Approve"), ("publish", "Publish"), ("return", "Return to the service lead")]

    values = forms.ModelMultipleChoiceField(
        queryset=Value.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
    )
    # "Every value of this service": the page's select-all, which works without JavaScript too.
    services = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    action = forms.ChoiceField(choices=ACTIONS)
    comment = words_field(
        "Comment for the service lead", _limit(Value, "returned_comment"),
        help_text="Required when you return values.",
    )

    def __init__(self, *args, queryset, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = queryset
        self.fields["services"].choices = [(slug, slug) for slug in services]

    def clean(self):
        data = super().clean()
        chosen = set(data.get("values") or [])
        if data.get("services"):
            chosen |= set(self.fields["values"].queryset.filter(measure__service__slug__in=data["services"]))
        if not chosen:
            self.add_error("values", "Select the values to act on.")
        data["values"] = sorted(chosen, key=lambda value: value.pk)
        if data.get("action") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "Say why you are returning the values.")
        return data


class OverrideForm(forms.Form):
    rag = forms.ChoiceField(
        label="RAG in force", required=False,
        choices=[("", "As the rules suggest (no override)")] + list(RAG.choices),
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    reason = forms.CharField(
        label="Reason for the override", required=False, max_length=300,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("rag") and not data.get("reason", "").strip():
            self.add_error("reason", "Give the reason for overriding the rating.")
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing the published value", max_length=300,
        error_messages={"required": "Give the reason for withdrawing the published value."},
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
