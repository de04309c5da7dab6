"""Template context that every page shares."""

from django.conf import settings


def council(request):
    return {"council_name": settings.COUNCIL_NAME}
