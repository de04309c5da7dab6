"""The BI team's framework set-up pages, outside the Django admin: a measure's targets for a
year in one form, a new measure with its first year of targets, a framework copied into the
next financial year, a calculated measure's formula and a validation rule across measures."""

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from measures import figure_checks, framework, periods, services
from measures.framework_forms import (
    CopyYearForm, EndTargetsForm, FormulaForm, MeasureForm, RuleForm, ValidationRuleForm, YearTargetsForm,
)
from measures.models import Measure, ValidationRule
from measures.roles import is_bi_team

# After a change of targets: the figures' ratings follow from the worker (measures.services.rerate).
_RERATING = " The background worker re-rates the figures in a moment (see Jobs)."
MEASURES_LISTED = 50


def _bi_team_only(view):
    """Sign-in first; then the BI team only (403 for anyone else)."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not is_bi_team(request.user):
            raise PermissionDenied("Only the BI team sets up the framework.")
        return view(request, *args, **kwargs)

    return checked


@_bi_team_only
@require_GET
def index(request):
    """The set-up pages, and the measures (found by title) whose targets to edit."""
    query = request.GET.get("q", "").strip()
    measures = Measure.objects.select_related("service").order_by("title")
    if query:
        measures = measures.filter(Q(title__icontains=query) | Q(service__name__icontains=query))
    shown = list(measures[:MEASURES_LISTED + 1])
    context = {"measures": shown[:MEASURES_LISTED], "more": len(shown) > MEASURES_LISTED, "q": query}
    return render(request, "measures/framework/index.html", context)


@_bi_team_only
def targets(request, pk):
    """A measure's targets for one year (`year`, default the current one), in one form."""
    measure = get_object_or_404(Measure.objects.select_related("service"), pk=pk)
    year_text = request.GET.get("year", "").strip()
    year_error = ""
    year = framework.current_year(measure, date.today())
    if year_text:
        try:
            year = framework.year_for(measure, year_text)
        except periods.PeriodError as error:
            year_error = str(error)
    end_form = EndTargetsForm(request.POST if "end_targets" in request.POST else None, prefix="end")
    if end_form.is_bound and end_form.is_valid():
        month = end_form.cleaned_data["last_month"]
        changed = framework.end_targets(measure, month.end if month else None)
        ended = f"end after {month.label}" if month else "carry forward again"
        messages.success(request, f"The targets {ended} ({changed} changed).{_RERATING if changed else ''}")
        return redirect(f"{reverse('framework_targets', args=[measure.pk])}?year={year.label}")
    if request.method == "POST" and not year_error and not end_form.is_bound:
        form = YearTargetsForm(request.POST, measure=measure, year=year,
                               last_year=framework.last_year_months(measure, year))
        if form.is_valid():
            changed = framework.set_targets(measure, form.entries(), reason=f"Targets set for {year.label}")
            messages.success(request, f"{changed} target{'s' if changed != 1 else ''} changed for {year.label}."
                                      f"{_RERATING if changed else ''}")
            return redirect(f"{reverse('framework_targets', args=[measure.pk])}?year={year.label}")
    else:
        form = YearTargetsForm(initial=YearTargetsForm.initial_for(measure, year), measure=measure, year=year)
    ended = measure.targets.filter(ends__isnull=False).order_by("-ends").values_list("ends", flat=True).first()
    context = {
        "measure": measure, "form": form, "end_form": end_form, "ended": ended,
        "year": year, "year_text": year_text or year.label,
        "year_error": year_error, "previous_year": periods.previous(year), "next_year": periods.year_later(year),
    }
    return render(request, "measures/framework/targets.html", context, status=400 if year_error else 200)


@_bi_team_only
def create_measure(request):
    """A new measure with its first year of targets, on one page. "Show the periods" redraws the
    targets for the frequency and year chosen without saving."""
    form = MeasureForm(request.POST or None, initial={"first_year": framework.current_year(Measure(), date.today()).label})
    measure, year = Measure(), None
    if request.method == "POST":
        form.is_valid()
        measure = _measure_so_far(form)
        year = form.cleaned_data.get("first_year") if hasattr(form, "cleaned_data") else None
    year = year or framework.current_year(measure, date.today())
    layout = YearTargetsForm.layout_of(measure, year)
    showing_periods = request.method == "POST" and "show_periods" in request.POST
    if request.method == "POST" and not showing_periods and request.POST.get("layout") != layout:
        # The targets typed were laid out for another frequency, basis or year: never misread them.
        showing_periods = True
        messages.error(request, "The periods changed with the frequency, year basis or year: "
                                "enter the targets for the periods shown, then create the measure.")
    targets_form = YearTargetsForm(
        request.POST if request.method == "POST" and not showing_periods else None,
        measure=measure, year=year, prefix="targets",
    )
    if request.method == "POST" and not showing_periods and form.is_valid() and targets_form.is_valid():
        created = framework.create_measure(form.save(commit=False), form.cleaned_data["committees"], targets_form.entries())
        messages.success(request, f"{created.title} created with its targets for {year.label}.")
        return redirect(f"{reverse('framework_targets', args=[created.pk])}?year={year.label}")
    if showing_periods:
        # Redrawn, not submitted: show what was typed without complaining about what is missing.
        form = MeasureForm(initial={
            name: request.POST.getlist(name) if name == "committees" else request.POST.get(name)
            for name in form.fields
        })
    context = {
        "form": form, "targets_form": targets_form, "year": year, "layout": layout,
        "forms_with_errors": [f for f in (form, targets_form) if f.errors],
    }
    return render(request, "measures/framework/create_measure.html", context)


def _measure_so_far(form):
    """An unsaved measure with what the form has of its frequency, year basis, unit and polarity,
    so the targets can be laid out and read before the measure is valid as a whole."""
    data = getattr(form, "cleaned_data", {})
    defaults = Measure()
    return Measure(
        frequency=data.get("frequency") or defaults.frequency,
        year_basis=data.get("year_basis") or defaults.year_basis,
        unit=data.get("unit") or defaults.unit,
        polarity=data.get("polarity") or defaults.polarity,
    )


@_bi_team_only
def copy_year(request):
    """Copy measures' frameworks for a financial year (one measure's, a service's or committee's,
    or every one) into the next: "Preview" lists what would be copied and what is already set in
    the new year, without saving; "Copy" does it in one transaction."""
    form = CopyYearForm(request.POST or None, initial=CopyYearForm.initial_from(request.GET))
    plans = year = None
    if request.method == "POST" and form.is_valid():
        year, replace = form.cleaned_data["year"], form.cleaned_data["replace"]
        plans = framework.plan_copy(form.measures(), year)
        if "preview" not in request.POST:
            copied = framework.copy_framework(plans, replace)
            message = _copied_message(plans, copied, year, replace)
            messages.success(request, message + (_RERATING if copied else ""))
            return redirect(reverse("framework_copy_year"))
    context = {
        "form": form, "plans": plans, "measure": form.chosen_measure(),
        "year": year, "next_year": periods.year_later(year) if year else None,
        "shown": [p for p in plans or () if p.copies or p.taken],
        "copies": sum(len(p.copies) for p in plans or ()), "taken": sum(len(p.taken) for p in plans or ()),
    }
    return render(request, "measures/framework/copy_year.html", context)


def _copied_message(plans, copied, year, replace):
    measures = sum(bool(p.copies or (replace and p.taken)) for p in plans)
    taken = sum(len(p.taken) for p in plans)
    kept = "replaced" if replace else "left as they were"
    return (
        f"{copied} target{'s' if copied != 1 else ''} of {measures} measure{'s' if measures != 1 else ''} "
        f"copied from {year.label} into {periods.year_later(year).label}; {taken} already set there {kept}."
    )


@_bi_team_only
def bands(request):
    """Rating bands learnt from the council's published ratings: per measure, the simplest rule
    that reproduces them, the range of bands consistent with them, and the contradictions. One
    click applies a measure's suggestion (or every one), audited, and re-rates it."""
    council, suggestions = framework.suggest_bands(Measure.objects.select_related("service"))
    if request.method == "POST":
        chosen = [s for s in suggestions if s.changes and (
            "apply_all" in request.POST or str(s.measure.pk) == request.POST.get("measure", ""))]
        applied = framework.apply_suggestions(chosen, request.user)
        if applied:
            messages.success(request, f"The suggested rule applied to {applied} measure"
                                      f"{'s' if applied != 1 else ''}.{_RERATING}")
        else:
            messages.error(request, "Nothing to apply: that measure's rule is already the one suggested.")
        return redirect(reverse("framework_bands"))
    total = sum(len(s.found.ratings) for s in suggestions)
    context = {
        "council": council, "suggestions": suggestions, "total": total,
        "agrees_now": sum(s.agrees_now for s in suggestions),
        "agrees_suggested": sum(s.found.agrees for s in suggestions),
        "to_apply": sum(s.changes for s in suggestions),
    }
    return render(request, "measures/framework/bands.html", context)


@_bi_team_only
def rule(request, pk):
    """A measure's rating rule (its bands, or two targets) and its direction of travel's basis."""
    measure = get_object_or_404(Measure.objects.select_related("service", "dot_baseline_period"), pk=pk)
    form = RuleForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        changed = framework.save_rule(form.save(commit=False), form.changed_data, request.user)
        messages.success(request, f"The rating rule saved.{_RERATING}" if changed else "Nothing changed.")
        return redirect(reverse("framework_rule", args=[measure.pk]))
    return render(request, "measures/framework/rule.html", {"measure": measure, "form": form})


@_bi_team_only
@require_GET
def rules_broken(request):
    """The report of every validation rule across measures broken in a period (issue 21)."""
    text = request.GET.get("period", "").strip()
    span, error = None, ""
    if text:
        try:
            span = periods.parse_period(text)
        except periods.PeriodError as problem:
            error = str(problem)
    broken = figure_checks.rules_broken_in(span) if span else []
    context = {"period": span, "period_text": text, "error": error, "broken": broken,
               "rules": ValidationRule.objects.filter(active=True)}
    return render(request, "measures/framework/rules_broken.html", context, status=400 if error else 200)


@_bi_team_only
def formula(request, pk):
    """A calculated measure's formula (issue 21): "Check" validates it and works it out on a
    period's figures without saving; "Save" keeps it and works the measure out again."""
    measure = get_object_or_404(Measure.objects.select_related("service"), pk=pk)
    title = measure.title
    form = FormulaForm(request.POST or None, instance=measure)
    trial = None
    if request.method == "POST" and form.is_valid():
        span, text = form.cleaned_data["try_on"], form.cleaned_data["formula"]
        if "save" in request.POST:
            form.save()
            services.rate_measure(measure)  # works a calculated measure out again
            messages.success(request, f"The formula of {title} is saved." if text
                             else f"{title} is no longer calculated.")
            return redirect(reverse("framework_formula", args=[pk]))
        trial = figure_checks.try_formula(text, span) if span and text else None
    context = {"measure": measure, "title": title, "form": form, "trial": trial,
               "checked": form.is_bound and form.is_valid()}
    return render(request, "measures/framework/formula.html", context)


@_bi_team_only
def validation_rule(request, pk=None):
    """A validation rule across measures (issue 21), new or changed: "Check" validates it and
    tries it on a period's figures without saving; "Save" keeps it."""
    instance = get_object_or_404(ValidationRule, pk=pk) if pk is not None else None
    form = ValidationRuleForm(request.POST or None, instance=instance)
    trial = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            saved = form.save()
            messages.success(request, f"The rule {saved.name} is saved.")
            return redirect(reverse("framework_validation_rule", args=[saved.pk]))
        span = form.cleaned_data["try_on"]
        trial = figure_checks.try_rule(form.instance.rule, span) if span else None
    context = {"form": form, "rule": instance, "trial": trial, "checked": form.is_bound and form.is_valid(),
               "rules": ValidationRule.objects.all()}
    return render(request, "measures/framework/validation_rule.html", context)
