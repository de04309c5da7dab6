"""Form fields for the reports' parameters, and the form that publishes a committee snapshot."""

from datetime import date

from django import forms

from measures import periods
from measures.models import Committee, Measure


class GovukForm(forms.Form):
    """A form whose widgets carry the design system's classes, hint and error ids
    (rendered by reports/includes/field.html)."""

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


def current_month_end():
    return periods.span(periods.MONTH, date.today()).end


class AsAtField(forms.CharField):
    """A month such as 2020-10 (or Oct-20), cleaned to its last day: figures for periods ending
    on or before it count."""

    default_error_messages = {
        "invalid": "Enter the as-at month like 2020-10",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "A month, for example 2020-10")
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            span = periods.parse_period(text)
        except periods.PeriodError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if span.kind != periods.MONTH:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return span.end


class FrequencyField(forms.ChoiceField):
    """A reporting frequency as displayed (Monthly, Quarterly, Annual, Irregular); any case."""

    def __init__(self, **kwargs):
        kwargs["choices"] = [("", "Any")] + [(label, label) for _, label in Measure.Frequency.choices]
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        labels = {label.lower(): label for _, label in Measure.Frequency.choices}
        return labels.get(text.lower(), text)


class PublishSnapshotForm(GovukForm):
    committee = forms.ModelChoiceField(
        Committee.objects.all(), to_field_name="slug",
        error_messages={"required": "Select the committee", "invalid_choice": "Select a committee"},
    )
    as_at = AsAtField(label="As at", error_messages={"required": "Enter the as-at month like 2020-10"})
    meeting_date = forms.DateField(
        label="Meeting date", help_text="For example 2021-01-28",
        error_messages={"required": "Enter the meeting date", "invalid": "Enter the meeting date like 2021-01-28"},
    )


class ExceptionReportForm(GovukForm):
    """The exception report's parameters: /reports/exception/?committee=...&as_at=2020-10"""

    committee = forms.ModelChoiceField(
        Committee.objects.all(), to_field_name="slug", empty_label="Select a committee",
        error_messages={"required": "Select the committee", "invalid_choice": "Select a committee from the list"},
    )
    as_at = AsAtField(label="As at", required=False)

    def clean_as_at(self):
        return self.cleaned_data["as_at"] or current_month_end()
