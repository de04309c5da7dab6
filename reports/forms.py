"""Form fields for the reports' parameters, and the form that publishes a committee snapshot."""

from datetime import date

from django import forms
from django.utils.functional import lazy

from measures import periods
from measures.forms import GovukForm, MonthField
from measures.models import Committee, Measure
from reports import selectors


def current_month_end():
    return periods.span(periods.MONTH, date.today()).end


class AsAtField(MonthField):
    """A month such as 2020-10 (or Oct-20), cleaned to its last day: figures for periods ending
    on or before it count."""

    default_error_messages = {"invalid": "Enter the as-at month like 2020-10"}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(periods.month_hint, str)())
        super().__init__(**kwargs)

    def to_python(self, value):
        month = super().to_python(value)
        return month.end if month else None


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
    audience = forms.TypedChoiceField(
        label="Who may read it", coerce=lambda text: text == "public", initial="members",
        required=False, empty_value=False,
        choices=[("members", "Councillors and officers only"), ("public", "Residents too, on the public pages")],
        error_messages={"invalid_choice": "Choose who may read it"},
    )


class ExceptionReportForm(GovukForm):
    """The exception report's parameters: /reports/exception/?committee=...&as_at=2020-10"""

    committee = forms.ModelChoiceField(
        Committee.objects.all(), to_field_name="slug", empty_label="Select a committee",
        error_messages={"required": "Select the committee", "invalid_choice": "Select a committee from the list"},
    )
    as_at = AsAtField(label="As at", required=False)

    def clean_as_at(self):
        """Without a month, the latest with published figures of the committee's measures."""
        as_at, committee = self.cleaned_data["as_at"], self.cleaned_data.get("committee")
        if as_at or not committee:
            return as_at or current_month_end()
        return selectors.latest_published_month(selectors.committee_measures(committee))
