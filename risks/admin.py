"""The risk register in the admin: risks with their change history, reviews, and the scoring
data (scale and level thresholds) that the BI team may change."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.locking import LockedModelForm
from measures.publication import published_changed
from risks import scoring, services
from risks.models import Risk, RiskLevelThreshold, RiskReview, RiskScale


class RiskReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    fields = ["reviewed_on", "likelihood", "impact", "score", "level", "trend", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # reviews are recorded through the risk page, which re-rates the series


class RiskForm(LockedModelForm):
    class Meta:
        model = Risk
        fields = "__all__"


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    form = RiskForm
    list_display = ["code", "title", "level", "trend", "score", "owner", "review_date"]
    list_filter = ["level", "trend", "outcomes", "owner"]
    search_fields = ["code", "title", "description", "owner"]
    filter_horizontal = ["outcomes", "population_indicators"]
    inlines = [RiskReviewInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        published_changed()


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = RiskLevelThreshold
        fields = ["level", "min_score", "max_score"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        others = RiskLevelThreshold.objects.exclude(pk=self.instance.pk)
        proposed = [(t.level, t.min_score, t.max_score) for t in others]
        proposed.append((cleaned["level"], cleaned["min_score"], cleaned["max_score"]))
        try:
            for score in set(RiskReview.objects.values_list("score", flat=True)):
                scoring.level_for(score, proposed)
        except scoring.ScoringError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


@admin.register(RiskLevelThreshold)
class RiskLevelThresholdAdmin(admin.ModelAdmin):
    form = ThresholdForm
    list_display = ["level", "min_score", "max_score"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.rescore_all()


@admin.register(RiskScale)
class RiskScaleAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not RiskScale.objects.exists()
