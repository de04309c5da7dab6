"""Template context that every page shares."""

from django.conf import settings
from django.urls import reverse

# The service navigation: (URL name, text, who sees it: everyone, a permission, or "staff": staff
# who enter or set up figures; a scrutiny member's admin is read-only, so not offered to them).
NAVIGATION = [
    ("home", "Home", None),
    ("dashboard", "Dashboard", None),
    ("exception_report", "Exception report", None),
    ("spc_exceptions", "SPC exceptions", None),
    ("outcome_index", "Outcomes and risks", None),
    ("my_measures", "My measures", "measures.add_value"),
    ("approvals", "Approvals", "measures.publish_value"),
    ("outstanding", "Outstanding", "measures.publish_value"),
    ("framework", "Set up", "measures.publish_value"),
    ("people", "People", "measures.publish_value"),
    ("imports:upload", "Import", "measures.publish_value"),
    ("jobs:list", "Jobs", "measures.publish_value"),
    ("notifications:list", "Notifications", None),
    ("api_tokens", "API tokens", None),
    ("admin:index", "Framework admin", "staff"),
]


def _edits_in_admin(user):
    return user.is_staff and user.has_perm("measures.add_value")


def council(request):
    return {"council_name": settings.COUNCIL_NAME}


def navigation(request):
    """The signed-in person's navigation items as (href, text, current), built in Python (a
    dozen template includes cost more than the rest of a page served from the cache) and only
    when the layout shows them."""

    def items():
        user = request.user
        shown = [name for name, _, who in NAVIGATION
                 if who is None or (_edits_in_admin(user) if who == "staff" else user.has_perm(who))]
        return [(href, text, href == request.path)
                for name, text, _ in NAVIGATION if name in shown for href in [reverse(name)]]

    return {"navigation": items}
