"""System checks that say what a fresh installation still needs (shown by migrate, runserver
and check)."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def council_name_set(app_configs=None, **kwargs):
    """A council that has not set COUNCIL_NAME would see the demo's council on every page."""
    if getattr(settings, "COUNCIL_NAME_SET", True):
        return []
    return [Warning(
        f"COUNCIL_NAME is not set, so every page, paper and chart names the council "
        f"'{settings.COUNCIL_NAME}' (the demo's).",
        hint="Set COUNCIL_NAME in the environment to your council's name (docs/operations.md).",
        id="perfhub.W001",
    )]
