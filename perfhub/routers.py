"""Report reads go to a PostgreSQL read replica when DATABASE_REPLICA_URL is set.

The report views (dashboard, exception report, outcome report, measure page, risk register)
run inside `reading_reports()`; while it is open, reads go to the "replica" database. Every
write, and every read elsewhere (data entry, approvals, the admin, sign-in, sessions, the
cache table), stays on the primary, so a person always sees their own changes where they make
them. Without a replica the router sends everything to "default".
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reports = ContextVar("reading_reports", default=False)

# Tables that belong to the request's own bookkeeping, never to a report.
_PRIMARY_APPS = {"sessions", "auth", "contenttypes", "axes", "django_cache"}


@contextmanager
def reading_reports():
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reports.get() and model._meta.app_label not in _PRIMARY_APPS:
            return settings.REPORT_READS_DATABASE
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def report_reads(view):
    """For a report view function: its reads go to the replica (when there is one)."""

    def wrapped(request, *args, **kwargs):
        with reading_reports():
            return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


class ReportReadsMixin:
    """For a report view: its reads go to the replica (when there is one)."""

    def dispatch(self, request, *args, **kwargs):
        with reading_reports():
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # the template's reads are report reads too
            return response
