"""Audit rows for the rows an import inserts, written by the database rather than by Python.

django-simple-history's `bulk_create_with_history` builds a history instance in Python for every
row it inserts; for an import of 50,000 values and as many targets that is most of the import's
time. `bulk_create_with_history` here inserts the rows with `bulk_create` and then writes the
same history rows as simple-history would (every tracked field as inserted, history type "+",
the import's reason and user, one timestamp) with INSERT ... SELECT from the rows just inserted.
"""

from django.db import connection
from django.utils import timezone

BATCH = 2000
_OWN = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")


def bulk_create_with_history(objs, model, *, reason, user=None):
    """Insert `objs` (unsaved instances of `model`) in batches, each with its creation history
    row; returns them with their primary keys."""
    created = model.objects.bulk_create(objs, batch_size=BATCH)
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.name not in _OWN)
    pk = quote(model._meta.pk.column)
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for start in range(0, len(created), BATCH):
            pks = [obj.pk for obj in created[start:start + BATCH]]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
                f"history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, '+', %s FROM {quote(model._meta.db_table)} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(pks))})",
                [now, reason[:100], user_id, *pks],
            )
    return created
