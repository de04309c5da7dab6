"""Data entry by service leads, and the BI team's approvals, outstanding list and audit trail."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from measures import lifecycle, periods, selectors, services
from measures.exports import ExportMixin
from measures.filters import ApprovalsFilter, OutstandingFilter
from measures.forms import OverrideForm, ReviewForm, ValueEntryForm, WithdrawForm, check_entries
from measures.models import Measure, Service, Target, Value
from measures.rating import as_reported_q
from measures.roles import is_bi_team, is_service_lead
from measures.tables import ApprovalsTable, OutstandingTable


def _month(source, measures):
    """The month the page is about: `period` ("2020-10"), else the month of the person's drafts
    (returned values among them), else the month after their last submitted figures.

    PeriodError when `period` is not a month, or not one figures can be entered for yet.
    """
    text = source.get("period", "").strip()
    if not text:
        return selectors.month_at_hand(Value.objects.filter(measure__in=measures), (Value.Status.DRAFT,))
    month = selectors.month_span(text)
    periods.check_open_for_entry(month, date.today())
    return month


def _entry_role(user):
    if is_bi_team(user):
        return lifecycle.BI
    if is_service_lead(user):
        return lifecycle.LEAD
    raise PermissionDenied("Only service leads and the BI team enter figures.")


def _page_measures(request, role, source):
    """The measures this person enters, narrowed to one service by `service` (a slug)."""
    measures = Measure.objects.for_user(request.user).filter(service__isnull=False)
    measures = measures.select_related("service").distinct()
    slug = source.get("service", "")
    if slug:
        service = get_object_or_404(Service, slug=slug)
        if role == lifecycle.LEAD and not service.leads.filter(pk=request.user.pk).exists():
            raise PermissionDenied("You do not lead that service.")
        measures = measures.filter(service=service)
    return measures


LAYOUTS = {"detailed": "Detailed view", "compact": "Compact view: one row per measure"}


def _layout(request):
    """How My measures is laid out: `view=compact` (one row per measure) or `view=detailed`
    (every fact and field shown), remembered for the person's session."""
    chosen = request.GET.get("view")
    if chosen in LAYOUTS and request.session.get("my_measures_view") != chosen:
        request.session["my_measures_view"] = chosen
    return request.session.get("my_measures_view", "detailed")


@login_required
def my_measures(request):
    """The figures due in a month, one section per service; each section saves on its own."""
    role = _entry_role(request.user)
    source = request.POST if request.method == "POST" else request.GET
    posting, status = request.method == "POST", 200
    measures = _page_measures(request, role, source)
    try:
        month = _month(source, measures)
    except periods.PeriodError as error:
        month = _month({}, measures)
        if posting:
            # Never into another month than the one the person chose: nothing is saved.
            messages.error(request, f"{error}. Nothing was saved.")
            posting, status = False, 400
        else:
            messages.error(request, f"{error}. Showing the month with work to do instead.")
    due = selectors.entry_rows(selectors.enterable_measures(measures, month), month)
    posted = []
    if posting:
        ids = source.getlist("measure")
        if not all(str(pk).isdigit() for pk in ids):
            return HttpResponseBadRequest("Give the measures by their numbers.")
        chosen = list(Measure.objects.filter(pk__in=ids).select_related("service"))
        allowed = set(measures.filter(pk__in=ids).values_list("pk", flat=True))
        if len(chosen) != len(set(ids)) or any(m.pk not in allowed for m in chosen):
            raise PermissionDenied("You may only enter the figures of the services you lead.")
        chosen.sort(key=lambda m: m.title)
        posted = [
            ValueEntryForm(request.POST, row=row, role=role, prefix=f"row-{row.measure.pk}")
            for row in selectors.entry_rows(chosen, month)
        ]
    action = source.get("action", "")
    if posted and action in ("save", "submit") and all(form.is_valid() for form in posted) \
            and check_entries(posted):
        entries = [
            (form.row, form.cleaned_data, form.cleaned_data.get("version"))
            for form in posted
            if not form.locked and (form.has_changed() or _submits_unchanged(action, form))
        ]
        try:
            saved = services.save_entries(request.user, entries, submit=action == "submit")
        except services.StaleValue as stale:
            _show_stale(posted, stale.current)
        except lifecycle.TransitionError as error:
            messages.error(request, str(error))
        else:
            verb = "submitted to the BI team" if action == "submit" else "saved as drafts"
            messages.success(request, f"{len(saved)} value{'s' if len(saved) != 1 else ''} {verb}.")
            anchor = f"#service-{posted[0].row.measure.service.slug}" if posted else ""
            return redirect(f"{reverse('my_measures')}?{_query(month, source)}{anchor}")
    # The posted section keeps what was typed; the others show what is saved.
    bound = {form.row.measure.pk: form for form in posted}
    forms = [
        bound.pop(row.measure.pk, None) or ValueEntryForm(None, row=row, role=role, prefix=f"row-{row.measure.pk}")
        for row in due
    ] + list(bound.values())
    context = {
        "forms": forms,
        "sections": _sections(forms),
        "month": month,
        "period_iso": month.iso,
        "service_slug": source.get("service", ""),
        "errors": [form for form in forms if form.errors],
        "role": role,
        "month_hint": periods.month_hint(),
        "layout": _layout(request),
        "layouts": LAYOUTS.items(),
    }
    return render(request, "measures/my_measures.html", context, status=status)


def _sections(forms):
    """The forms grouped per service, in service order, each with how many are entered."""
    groups = {}
    for form in forms:
        groups.setdefault(form.row.measure.service, []).append(form)
    return [
        {"service": service, "forms": group, "entered": sum(f.row.value is not None for f in group)}
        for service, group in sorted(groups.items(), key=lambda item: item[0].name)
    ]


def _submits_unchanged(action, form):
    return action == "submit" and form.row.status in (Value.Status.DRAFT, Value.Status.SUBMITTED)


def _query(month, source):
    query = f"period={month.iso}"
    if source.get("service"):
        query += f"&service={source['service']}"
    return query


def _show_stale(forms, current):
    """Refuse the stale row, show what the other person saved, and let this person save again."""
    for form in forms:
        if form.row.measure.pk == current.measure_id:
            user = current.entered_by
            who = (user.get_full_name() or user.get_username()) if user else "Someone else"
            figure = current.formatted or f"no data ({current.no_data_reason})"
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = current.version
            form.add_error("value", (
                f"{who} changed this value while you were editing it: it is now {figure} "
                f"({current.get_status_display().lower()}, saved {current.entered_at:%d %b %Y %H:%M}). "
                "Nothing on this page was saved. Check the figures and save again to replace theirs."
            ))


@login_required
@require_POST
def preview(request):
    """The ratings a row's typed value would get: a server-rendered fragment for htmx."""
    role = _entry_role(request.user)
    try:
        month = selectors.month_span(request.POST.get("period", ""))
        measure = Measure.objects.select_related("service").get(pk=int(request.POST.get("row", "")))
    except (periods.PeriodError, ValueError, Measure.DoesNotExist):
        return HttpResponseBadRequest("Give a month and a measure.")
    if services.role_for(request.user, measure) is None:
        raise PermissionDenied
    [row] = selectors.entry_rows([measure], month)
    form = ValueEntryForm(request.POST, row=row, role=role, prefix=f"row-{measure.pk}")
    return render(request, "measures/includes/preview.html", {"preview": form.preview()})


def _bi_only(user):
    if not is_bi_team(user):
        raise PermissionDenied("Only the BI team may do that.")


class BiTeamOnlyMixin(UserPassesTestMixin):
    """Sign-in first; then the BI team only (403 for anyone else)."""

    permission_denied_message = "Only the BI team may do that."

    def test_func(self):
        return is_bi_team(self.request.user)


class MonthListingMixin(BiTeamOnlyMixin, ExportMixin, SingleTableMixin, FilterView):
    """A BI team listing for one month: the whole list on one page, downloadable as CSV, XLSX
    or JSON; a bad `period` shows the error summary, for a download too."""

    table_pagination = False

    @property
    def month(self):
        return self.filterset.month if self.filterset.is_valid() else None

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if self.month:
            table.caption = f"{self.caption} for {self.month.label}"
        return table

    def get_export_filename(self, export_format):
        return f"{self.export_name}-{self.month.iso}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["month"] = self.month
        return context

    def exportable(self):
        return self.month is not None


class ApprovalsView(MonthListingMixin):
    """The values submitted for a month, to approve, publish or return in bulk."""

    table_class = ApprovalsTable
    filterset_class = ApprovalsFilter
    template_name = "measures/approvals.html"
    export_name = "approvals"
    caption = "Values submitted"

    def get_queryset(self):
        previous = Value.objects.published().filter(
            measure=OuterRef("measure"), period__end__lt=OuterRef("period__end")
        ).order_by("-period__end")
        return (
            Value.objects.exclude(status=Value.Status.DRAFT)
            .select_related("measure__service", "period", "entered_by")
            .annotate(previous_value=Subquery(previous.values("value")[:1]))
            .order_by("status", "measure__service__name", "measure__title")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def get_table_kwargs(self):
        return {"selected": self.request.POST.getlist("values")}

    @cached_property
    def form(self):
        services = [service["slug"] for service in self.services]
        return ReviewForm(self.request.POST or None, queryset=self.object_list, services=services)

    @cached_property
    def services(self):
        """Each service with values listed: its slug, name, how many, and how many keep the
        rating of a committee paper (one query)."""
        rows = (
            self.object_list.order_by("measure__service__name")
            .values("measure__service__slug", "measure__service__name")
            .annotate(count=Count("pk"), as_reported=Count("pk", filter=as_reported_q()))
        )
        return [
            {"slug": row["measure__service__slug"], "name": row["measure__service__name"],
             "count": row["count"], "as_reported": row["as_reported"]}
            for row in rows
        ]

    def post(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.object_list = self.filterset.qs if self.filterset.is_valid() else self.get_queryset().none()
        if self.month and self.form.is_valid():
            chosen = list(self.form.cleaned_data["values"])
            if self._apply(chosen, self.form.cleaned_data):
                return redirect(f"{reverse('approvals')}?period={self.month.iso}")
        return self.render_to_response(self.get_context_data(filter=self.filterset, object_list=self.object_list))

    def _apply(self, chosen, data):
        """Approve, publish or return the chosen values, all or none; say what happened."""
        action = data["action"]
        versions = _versions_seen(self.request.POST)
        try:
            if action == "approve":
                services.approve(self.request.user, chosen, versions)
            elif action == "publish":
                services.publish(self.request.user, chosen, versions)
            else:
                services.return_to_lead(self.request.user, chosen, data["comment"], versions)
        except lifecycle.TransitionError as error:
            messages.error(self.request, f"Nothing was changed. {error}")
        except services.StaleValue as stale:
            messages.error(self.request, f"Nothing was changed: {stale.current} was changed meanwhile. Check it and try again.")
        else:
            done = {"approve": "approved", "publish": "published", "return": "returned to their leads"}[action]
            messages.success(self.request, f"{len(chosen)} value{'s' if len(chosen) != 1 else ''} {done}.")
            return True
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, values=self.object_list, services=self.services)
        context["as_reported"] = any(service["as_reported"] for service in self.services)
        context["chosen_services"] = self.request.POST.getlist("services")
        return context


def _versions_seen(data):
    """{value pk: version shown} from the approvals page's `version-<pk>` fields."""
    seen = {}
    for key, text in data.items():
        if key.startswith("version-"):
            try:
                seen[int(key.removeprefix("version-"))] = int(text)
            except ValueError:
                continue
    return seen


@login_required
def withdraw(request, pk):
    """The BI team takes a published value out of the reports, with a reason."""
    _bi_only(request.user)
    value = get_object_or_404(Value.objects.select_related("measure", "period"), pk=pk)
    form = WithdrawForm(request.POST or None, initial={"version": value.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(request.user, value, form.cleaned_data["reason"], form.cleaned_data["version"])
        except lifecycle.TransitionError as error:
            form.add_error(None, str(error))
        except services.StaleValue:
            form.add_error(None, "Someone else changed this value meanwhile. Reload and try again.")
        else:
            messages.success(request, f"{value} is withdrawn: it no longer reaches the reports.")
            return redirect(value.get_absolute_url())
    return render(request, "measures/withdraw.html", {"form": form, "value": value})


@login_required
def override(request, pk):
    _bi_only(request.user)
    value = get_object_or_404(Value.objects.select_related("measure", "period"), pk=pk)
    form = OverrideForm(request.POST or None, initial={
        "rag": value.rag_override, "reason": value.override_reason, "version": value.version,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.override_rating(
                request.user, value, form.cleaned_data["rag"], form.cleaned_data["reason"],
                form.cleaned_data["version"],
            )
        except lifecycle.TransitionError as error:
            form.add_error(None, str(error))
        except services.StaleValue as stale:
            form.add_error(None, f"Someone else changed this value meanwhile: its RAG is now {stale.current.rag}. Reload and try again.")
        else:
            messages.success(request, f"The RAG of {value} is now {value.rag}.")
            return redirect(value.get_absolute_url())
    return render(request, "measures/override.html", {"form": form, "value": value})


class OutstandingView(MonthListingMixin):
    """Each measure due in a month that is not yet published, and where it has got to."""

    table_class = OutstandingTable
    filterset_class = OutstandingFilter
    template_name = "measures/outstanding.html"
    export_name = "outstanding"
    caption = "Outstanding"

    def get_queryset(self):
        return Measure.objects.filter(service__isnull=False).select_related("service")

    @cached_property
    def groups(self):
        return selectors.outstanding(self.month, self.object_list) if self.month else []

    def get_table_data(self):
        return [item for _, items in self.groups for item in items]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = self.groups
        return context


def _may_see_history(user, measure):
    if services.role_for(user, measure) is None:
        raise PermissionDenied("Only the BI team and the service's leads may see this history.")


@login_required
def value_history(request, pk):
    value = get_object_or_404(Value.objects.select_related("measure__service", "period"), pk=pk)
    _may_see_history(request.user, value.measure)
    records = value.history.select_related("history_user").order_by("history_date", "history_id")
    return render(request, "measures/history.html", {
        "title": f"{value.measure}, {value.period.label}",
        "subject": value,
        "measure": value.measure,
        "changes": selectors.changes(records, value.measure),
    })


@login_required
def measure_history(request, pk):
    measure = get_object_or_404(Measure.objects.select_related("service"), pk=pk)
    _may_see_history(request.user, measure)
    records = measure.history.select_related("history_user").order_by("history_date", "history_id")
    targets = (
        Target.history.filter(measure_id=measure.pk)
        .select_related("history_user", "period")
        .order_by("history_date", "history_id")
    )
    return render(request, "measures/history.html", {
        "title": str(measure),
        "measure": measure,
        "changes": sorted(
            selectors.changes(records, measure) + selectors.changes(targets, measure, per="period"),
            key=lambda change: change.when,
        ),
    })
