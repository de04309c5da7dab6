"""The BI team's workbench: every part of the framework, with search, filters and inlines.

Service leads see only their own services' measures and values, and change only what "My
measures" lets them change: the entry fields of draft values, and a measure's wording (the
fields that decide ratings or report membership are the BI team's alone). A value's status
moves only through measures.services (the approvals page, My measures, the withdraw page);
nobody deletes a published value here. A scrutiny member has view permissions only, and sees
published values only.
"""

from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from measures import figure_checks, locking, numbers, periods, services
from measures.models import (
    ChangePoint,
    Committee,
    ComparatorValue,
    Measure,
    Outcome,
    Period,
    PopulationIndicator,
    Service,
    Target,
    ValidationRule,
    Value,
)
from measures.roles import MEASURE_FIELDS_BI_ONLY, is_bi_team, is_service_lead


class ServiceScopedAdmin(admin.ModelAdmin):
    """Limits service leads to the rows of the services they lead.

    `service_path` is the lookup from the model to its Service. A lead who opens another
    service's row by its URL gets 403 rather than a pretence that it doesn't exist.
    """

    service_path = "service"

    def scoped(self, request):
        user = request.user
        return is_service_lead(user) and not is_bi_team(user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scoped(request):
            queryset = queryset.filter(**{f"{self.service_path}__leads": request.user}).distinct()
        return queryset

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and self.scoped(request) and self.model._default_manager.filter(pk=object_id).exists():
            raise PermissionDenied
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "measure" and self.scoped(request):
            kwargs["queryset"] = Measure.objects.filter(service__leads=request.user)
        if db_field.name == "service" and self.scoped(request):
            kwargs["queryset"] = request.user.led_services.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RefreshesMeasureMixin:
    """A target or change point changes what its measure's values keep (RAG, direction of
    travel, SPC): every save and delete here, one or many, and a move from one measure to
    another, ends in services.rerate, the worker's job of the one refresh service every door
    calls."""

    def _rerate(self, request, measure_ids, what):
        name = self.model._meta.verbose_name
        services.rerate(measure_ids, f"{name[:1].upper()}{name[1:]} {what} in the admin", request.user)

    def save_model(self, request, obj, form, change):
        before = form.initial.get("measure") if change else None
        super().save_model(request, obj, form, change)
        self._rerate(request, {obj.measure_id, before} - {None}, "changed" if change else "added")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._rerate(request, [obj.measure_id], "deleted")

    def delete_queryset(self, request, queryset):
        measure_ids = set(queryset.values_list("measure_id", flat=True))
        super().delete_queryset(request, queryset)
        self._rerate(request, measure_ids, "deleted")


def _published_only(request):
    """Scrutiny members see what the reports show: published values only."""
    return not (is_bi_team(request.user) or is_service_lead(request.user))


class KeepsReportedValuesMixin:
    """Nobody deletes what has left draft: `kept(obj)` says which objects stay. Django's bulk
    "delete selected" action asks has_delete_permission without the object, so it is removed."""

    def kept(self, obj):
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.kept(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class FiguresForm(forms.ModelForm):
    """Puts each figure in its input to its measure's decimal places (4.0 or 4, not the stored
    4.0000), keeping any further digits the figure has."""

    figures = ("value", "floor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.measure()
        for name in self.figures:
            if measure is not None and name in self.fields and self.initial.get(name) is not None:
                self.initial[name] = numbers.figure_to_edit(self.initial[name], measure.decimal_places)

    def measure(self):
        return self.instance.measure if self.instance.measure_id else None


class MeasureForm(locking.LockedModelForm, FiguresForm):
    figures = ("same_band", "dot_baseline")

    def measure(self):
        return self.instance if self.instance.pk else None


def shown_figure(name, description):
    """An admin display of the figure in field `name` as the reports print it, for read-only pages
    (Django would print the stored 4.0000)."""

    @admin.display(description=description)
    def shown(self, obj):
        return self.measure_of(obj).format(getattr(obj, name))

    return shown


def shown_band(name, description):
    """An admin display of a band (a percentage or a figure) without the stored 0.0000."""

    @admin.display(description=description)
    def shown(self, obj):
        band = getattr(obj, name)
        return "" if band is None else format(band.normalize(), "f")

    return shown


class FiguresAdminMixin:
    """Figures to their measure's decimal places: in inputs (FiguresForm), and on read-only pages
    (a scrutiny member's, a kept value's) through a display in each figure field's place."""

    form = FiguresForm
    shown_figures = {"value": "value_shown", "floor": "floor_shown"}
    value_shown = shown_figure("value", "Value")
    floor_shown = shown_figure("floor", "Floor")

    def measure_of(self, obj):
        return obj.measure

    def read_only(self, request, obj):
        if isinstance(self, admin.options.InlineModelAdmin):
            return not (self.has_change_permission(request, obj) or self.has_add_permission(request, obj))
        return obj is not None and not self.has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        everything = self.read_only(request, obj)
        return readonly + [shown for name, shown in self.shown_figures.items() if everything or name in readonly]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        readonly = self.get_readonly_fields(request, obj)
        return list(dict.fromkeys(
            self.shown_figures[name] if self.shown_figures.get(name) in readonly else name for name in fields
        ))


class ValueInline(admin.TabularInline):
    """A measure's values, to read: they change only through their lifecycle."""

    model = Value
    extra = 0
    fields = [
        "period", "formatted", "status", "provisional", "rag", "direction_of_travel", "override_reason",
    ]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    @admin.display(description="Data")
    def formatted(self, obj):
        return obj.formatted

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("period", "measure")
        return queryset.published() if _published_only(request) else queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TargetInline(FiguresAdminMixin, admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["period"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")


class ComparatorInline(FiguresAdminMixin, admin.TabularInline):
    model = ComparatorValue
    extra = 0
    autocomplete_fields = ["period"]
    shown_figures = {"value": "value_shown"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure")


class RatingFieldsForBITeamMixin:
    """The fields that decide a measure's ratings or report membership are the BI team's alone."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if is_bi_team(request.user) else [*readonly, *MEASURE_FIELDS_BI_ONLY]


@admin.register(Measure)
class MeasureAdmin(FiguresAdminMixin, RatingFieldsForBITeamMixin, KeepsReportedValuesMixin, ServiceScopedAdmin):
    form = MeasureForm
    shown_figures = {"same_band": "same_band_shown", "green_band": "green_band_shown",
                     "rag_tolerance": "amber_band_shown", "dot_baseline": "dot_baseline_shown"}
    same_band_shown = shown_figure("same_band", "Same band")
    green_band_shown = shown_band("green_band", "Green band")
    amber_band_shown = shown_band("rag_tolerance", "Amber band")
    dot_baseline_shown = shown_figure("dot_baseline", "Baseline figure")
    list_display = ["title", "code", "service", "unit", "frequency", "polarity", "reported_elsewhere", "is_public"]
    list_filter = [
        "service", "committees", "frequency", "polarity", "rating_rule", "unit", "outcome", "reported_elsewhere",
        "is_public",
    ]
    actions = ["make_public", "make_not_public"]
    search_fields = ["title", "code", "definition"]
    filter_horizontal = ["committees"]
    list_select_related = ["service"]
    inlines = [TargetInline, ValueInline, ComparatorInline]

    def measure_of(self, obj):
        return obj

    def has_publish_permission(self, request):
        return is_bi_team(request.user)

    def _set_public(self, request, queryset, public):
        measures = list(queryset)
        for measure in measures:
            measure.is_public = public
        bulk_update_with_history(measures, Measure, ["is_public"], default_user=request.user)
        return len(measures)

    @admin.action(description="Show on the public pages", permissions=["publish"])
    def make_public(self, request, queryset):
        self.message_user(request, f"{self._set_public(request, queryset, True)} measures are now public.")

    @admin.action(description="Take off the public pages", permissions=["publish"])
    def make_not_public(self, request, queryset):
        count = self._set_public(request, queryset, False)
        self.message_user(request, f"{count} measures are no longer public.")

    def kept(self, obj):
        # Deleting a measure would delete its values: never once one has left draft.
        return obj.values.exclude(status=Value.Status.DRAFT).exists()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        targets = any(formset.model is Target and formset.has_changed() for formset in formsets)
        if targets or set(form.changed_data) & set(services.RATING_FIELDS):
            services.rerate([form.instance.pk], "Targets or rating rule changed in the admin", request.user)
        else:  # a figure or the wording: rated at once, as the pages that show it are refreshed
            services.rate_measure(form.instance)


@admin.register(ChangePoint)
class ChangePointAdmin(RefreshesMeasureMixin, ServiceScopedAdmin):
    """The periods from which a measure's SPC chart is rebased, each with its reason."""

    service_path = "measure__service"
    list_display = ["measure", "period", "reason", "recorded_by", "recorded_at"]
    list_filter = ["measure__service"]
    search_fields = ["measure__title", "reason"]
    list_select_related = ["measure", "period", "recorded_by"]
    autocomplete_fields = ["measure", "period"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)


class AsAtFilter(admin.SimpleListFilter):
    """Each measure's latest value for a period ending by the chosen month, as reports show them."""

    title = "latest as at"
    parameter_name = "as_at"

    def lookups(self, request, model_admin):
        # A scrutiny member is offered the months with published figures only: a month with
        # drafts alone would tell them figures are in progress.
        values = {"values__status": Value.Status.PUBLISHED} if _published_only(request) else {"values__isnull": False}
        months = Period.objects.filter(kind=periods.MONTH, **values).distinct()
        return [(p.span.iso, p.label) for p in months.order_by("-start")[:36]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            as_at = periods.parse_period(self.value()).end
        except periods.PeriodError as error:
            raise IncorrectLookupParameters(error) from error
        published = _published_only(request)
        latest = Measure.objects.with_latest_value(as_at, published=published).values("latest_value_id")
        return queryset.filter(pk__in=latest)


class SeenPeriodsFilter(admin.RelatedOnlyFieldListFilter):
    """The periods of the values the person sees (a member's: published ones), so that no choice
    tells a member a period has unpublished figures. It filters even when it offers no choice
    (Django would drop the parameter and list every value)."""

    def has_output(self):
        return True


class ValueAdminForm(FiguresForm):
    """The fields of a "My measures" row, and the version of the value the person saw."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Value
        fields = ["measure", "period", *services.ENTRY_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("seen_version") != self.instance.version:
            raise forms.ValidationError(
                "Someone else changed this value while you were editing it. Reload it and make your change again."
            )
        measure = data.get("measure") or self.measure()
        if measure is not None and measure.has_parts:
            figure, reason = services.entry_figure(measure, data)
            if reason and not data.get("no_data_reason"):
                self.add_error("denominator", reason)
            data["value"] = figure
        self._check_figure(data)
        period = data.get("period") or (self.instance.period if self.instance.period_id else None)
        if measure is not None and period is not None and data.get("value") is not None:
            # The same checks as My measures (measures.figure_checks): rules refuse, flags need a reason.
            checked = figure_checks.check_figure(measure, period.span, data["value"])
            for error in checked.errors:
                self.add_error("value", error)
            ask = figure_checks.unconfirmed(checked, data.get("flag_reason"))
            if ask:
                self.add_error("flag_reason", ask)
            self.instance.flags = checked.flags
        return data

    def _check_figure(self, data):
        """The rules My measures and the importer apply to a figure (measures.numbers, periods)."""
        measure = data.get("measure") or (self.instance.measure if self.instance.measure_id else None)
        period = data.get("period") or (self.instance.period if self.instance.period_id else None)
        if measure is not None and data.get("value") is not None:
            try:
                numbers.check_figure(data["value"], measure.unit)
            except numbers.NumberError as error:
                self.add_error("value", str(error))
        if period is not None and data.get("value") is not None:
            try:
                periods.check_open_for_entry(period.span, date.today())
            except periods.PeriodError as error:
                self.add_error("period" if "period" in self.fields else None, str(error))


@admin.register(Value)
class ValueAdmin(FiguresAdminMixin, KeepsReportedValuesMixin, ServiceScopedAdmin):
    """Values are entered and changed here as drafts only; their status, ratings, overrides and
    returned comment move only through the lifecycle's own steps (measures.services)."""

    service_path = "measure__service"
    form = ValueAdminForm
    shown_figures = {"value": "value_shown"}
    list_display = ["measure", "period", "formatted", "rag", "direction_of_travel", "status", "entered_at"]
    list_filter = [AsAtFilter, ("period", SeenPeriodsFilter), "rag", "direction_of_travel", "measure__service", "measure__committees", "status", "provisional"]
    search_fields = ["measure__title", "commentary", "actions"]
    list_select_related = ["measure", "period"]
    autocomplete_fields = ["measure", "period"]
    readonly_fields = [
        "status", "rag", "direction_of_travel", "rag_override", "dot_override", "override_reason",
        "returned_comment", "entered_by", "entered_at",
    ]

    @admin.display(description="Data")
    def formatted(self, obj):
        return obj.formatted

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.published() if _published_only(request) else queryset

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if obj is None else [*readonly, "measure", "period"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Why a figure went back to its lead is the lead's and the BI team's (the API hides it too).
        return [name for name in fields if name != "returned_comment"] if _published_only(request) else fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.kept(obj):
            return False
        return super().has_change_permission(request, obj)

    def kept(self, obj):
        return obj.status != Value.Status.DRAFT

    def save_model(self, request, obj, form, change):
        try:
            services.save_draft(request.user, obj, form.cleaned_data, form.cleaned_data.get("seen_version"))
        except services.StaleValue:
            raise PermissionDenied("Someone else changed this value meanwhile: reload it.") from None


@admin.register(Target)
class TargetAdmin(RefreshesMeasureMixin, FiguresAdminMixin, ServiceScopedAdmin):
    service_path = "measure__service"
    list_display = ["measure", "period", "figure", "floor_shown", "ends"]
    list_filter = ["period", "measure__service"]
    search_fields = ["measure__title"]
    list_select_related = ["measure", "period"]
    autocomplete_fields = ["measure", "period"]

    @admin.display(description="Target", ordering="value")
    def figure(self, obj):
        """The target to the measure's decimal places, as the reports print it (not 4.0000)."""
        return obj.measure.format(obj.value)


@admin.register(ComparatorValue)
class ComparatorValueAdmin(FiguresAdminMixin, ServiceScopedAdmin):
    service_path = "measure__service"
    shown_figures = {"value": "value_shown"}
    list_display = ["measure", "name", "figure", "rating", "rag", "period"]
    list_filter = ["name", "rating", "rag"]
    search_fields = ["measure__title", "name"]
    list_select_related = ["measure", "period"]
    autocomplete_fields = ["measure", "period"]


class MeasureInline(admin.TabularInline):
    model = Measure
    fk_name = "population_indicator"
    extra = 0
    fields = ["title", "service", "unit", "frequency", "polarity"]
    show_change_link = True


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    """The BI team's checks across measures (issue 21): see measures.checks."""

    list_display = ["name", "left", "operator", "right", "importance", "active"]
    list_filter = ["importance", "active"]
    search_fields = ["name", "left", "right", "message"]


@admin.register(PopulationIndicator)
class PopulationIndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "outcome", "outcome_lead_officer", "indicator_lead_officer"]
    list_filter = ["outcome"]
    search_fields = ["title", "story", "partners"]
    autocomplete_fields = ["headline"]
    inlines = [MeasureInline]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sponsor", "plan"]
    search_fields = ["name", "short_name", "sponsor"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["leads"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    """Periods to read and pick: the code makes each from its kind and start (Period.for_span)
    when a figure, target or import needs it, so nobody adds or changes one by hand."""

    list_display = ["label", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["start", "end"]
    date_hierarchy = "start"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _published_only(request):
            # A period that only unpublished figures use would tell a member they are in progress.
            queryset = queryset.filter(Q(values__isnull=True) | Q(values__status=Value.Status.PUBLISHED)).distinct()
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        """Find periods by their label too (Oct-20, Q2 17-18), which is not a column."""
        try:
            span = periods.parse_period(search_term)
        except periods.PeriodError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(start=span.start), False
