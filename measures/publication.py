"""The version of what the published pages show, for the shared cache of those pages.

Every write that changes something a published page shows calls `published_changed()`: a
value published, revised or overridden (measures.services), ratings recomputed after an import
or a change of definition or target (measures.services.rate_measure), a risk reviewed or
re-levelled (risks.services). Cached pages are keyed by the version, so the next request after
a change builds its page afresh, on every app server that shares the cache.
"""

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "perfhub:published-version"


def published_version():
    """The current version (a number that only goes up while the cache keeps it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh or emptied cache: any number not used before will do.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def published_changed():
    """Retire every cached published page, now and again once the transaction commits (so that
    a page built from the data before the commit, while it ran, is retired too)."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)
