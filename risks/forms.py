"""The form the BI team records a risk review with."""

from django import forms
from django.utils import timezone

from risks import scoring
from risks.models import RiskReview
from risks.services import current_scale


class RiskReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label="Date of review", initial=timezone.localdate,
        help_text="For example, 27 3 2025 or 2025-03-27",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
    )
    likelihood = forms.IntegerField(label="Likelihood")
    impact = forms.IntegerField(label="Impact")
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=RiskReview._meta.get_field("note").max_length,
    )
    next_review = forms.DateField(
        label="Next review due (optional)", required=False,
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = current_scale()
        self.fields["likelihood"].help_text = (
            f"A whole number from {self.scale.likelihood_min} to {self.scale.likelihood_max}"
        )
        self.fields["impact"].help_text = (
            f"A whole number from {self.scale.impact_min} to {self.scale.impact_max}"
        )

    def clean_likelihood(self):
        return self._on_scale("likelihood", self.scale.likelihood_min, self.scale.likelihood_max)

    def clean_impact(self):
        return self._on_scale("impact", self.scale.impact_min, self.scale.impact_max)

    def _on_scale(self, name, low, high):
        try:
            return scoring.check_rating(name, self.cleaned_data[name], low, high)
        except scoring.ScoringError as error:
            raise forms.ValidationError(str(error)) from None
