"""The three roles, as Django groups, and what each may do.

- BI team: defines the framework and may change everything.
- Service lead: sees the measures, targets and values of the services they lead, enters their
  values (drafts, submitted for approval) and the wording of their measures.
- Scrutiny member: reads everything published, changes nothing.
"""

from django.contrib.auth.models import Group, Permission

BI_TEAM = "BI team"
SERVICE_LEAD = "Service lead"
SCRUTINY_MEMBER = "Scrutiny member"
# In order of what each may do, least first.
ROLES = (SCRUTINY_MEMBER, SERVICE_LEAD, BI_TEAM)

FRAMEWORK_APPS = ("measures", "risks", "reports")
# The collection timetable, reminder rules and heads of service: set by the BI team alone.
BI_ONLY_APPS = ("notifications",)
LEAD_EDITS = {
    "measure": ("view", "change"),
    "value": ("view", "add", "change", "delete"),
}  # periods are made by the code from their kind and start (measures.periods), never by hand

# A measure's fields that decide its ratings, its SPC chart or which reports it reaches: the BI
# team's alone. (Targets decide ratings too, so leads only read them.)
MEASURE_FIELDS_BI_ONLY = (
    "service", "unit", "unit_label", "rate_per", "frequency", "year_basis", "polarity",
    "decimal_places", "rating_rule", "rag_tolerance", "amber_band_unit", "green_band", "green_band_unit",
    "dot_basis", "dot_baseline_period", "dot_baseline", "same_band", "same_band_unit", "committees",
    "population_indicator", "outcome", "reported_elsewhere", "spc_baseline_points",
    "spc_screen_moving_ranges", "code",
    "is_public",
    # Issue 21: how the figure is worked out, rolled up and checked.
    "numerator_label", "denominator_label", "aggregation", "formula", "minimum", "maximum",
)


def _permissions(actions_by_model=None):
    perms = Permission.objects.filter(content_type__app_label__in=FRAMEWORK_APPS)
    if actions_by_model is None:
        return list(perms)
    return [
        p for p in perms.select_related("content_type")
        if p.codename.split("_", 1)[0] in actions_by_model.get(p.content_type.model, ("view",))
    ]


def ensure_roles(**kwargs):
    """Create the three groups with their permissions (run after every migrate)."""
    bi_only = Permission.objects.filter(content_type__app_label__in=BI_ONLY_APPS)
    Group.objects.get_or_create(name=BI_TEAM)[0].permissions.set([*_permissions(), *bi_only])
    Group.objects.get_or_create(name=SERVICE_LEAD)[0].permissions.set(_permissions(LEAD_EDITS))
    Group.objects.get_or_create(name=SCRUTINY_MEMBER)[0].permissions.set(_permissions({}))


def _in_group(user, name):
    return user.is_authenticated and user.groups.filter(name=name).exists()


def is_bi_team(user):
    return user.is_superuser or _in_group(user, BI_TEAM)


def is_service_lead(user):
    return _in_group(user, SERVICE_LEAD)
