"""Audit rows for the rows an import inserts, written by the database rather than by Python.

django-simple-history's `bulk_create_with_history` builds a history instance in Python for every
row it inserts; for an import of 50,000 values and as many targets that is most of the import's
time. `bulk_create_with_history` here inserts the rows with `bulk_create` and then writes the
same history rows as simple-history would (every tracked field as inserted, history type "+",
the import's reason and user, one timestamp) with INSERT ... SELECT from the rows just inserted.
"""

import io
import json
from operator import attrgetter

from django.db import connection, models
from django.utils import timezone

BATCH = 2000
_OWN = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")


def bulk_create_with_history(objs, model, *, reason, user=None):
    """Insert `objs` (unsaved instances of `model`) in batches, each with its creation history
    row; returns them with their primary keys."""
    created = _insert(objs, model) if connection.vendor == "postgresql" else model.objects.bulk_create(
        objs, batch_size=BATCH)
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


# Plain values that psycopg2 sends as they are: for these fields Django's own preparation of a
# value for the database changes nothing, and doing it field by field for 50,000 rows is most of
# bulk_create's time.
_AS_THEY_ARE = (models.CharField, models.TextField, models.BooleanField, models.IntegerField,
                models.DecimalField, models.ForeignKey)


def _insert(objs, model):
    """model.objects.bulk_create(objs) on PostgreSQL, with each field's value read once, the
    primary keys drawn from the table's sequence and the rows sent with COPY."""
    if not objs:
        return objs
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    readers = [_reader(f, now) for f in fields]
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk, len(objs)],
        )
        for obj, (number,) in zip(objs, cursor.fetchall()):
            obj.pk = number
            obj._state.adding, obj._state.db = False, connection.alias
        rows = io.StringIO()
        for obj in objs:
            rows.write("\t".join([_copy_text(obj.pk), *(_copy_text(read(obj)) for read in readers)]))
            rows.write("\n")
        rows.seek(0)
        columns = ", ".join(quote(c) for c in [pk, *(f.column for f in fields)])
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", rows)
    return objs


def _copy_text(value):
    """A value as COPY's text format writes it."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _reader(field, now):
    """How to read `field`'s value for the database from an instance."""
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        def stamped(obj):
            setattr(obj, name, now)
            return now
        return stamped
    if isinstance(field, _AS_THEY_ARE) or type(field) is models.DateField:
        return attrgetter(name)
    if isinstance(field, models.JSONField):
        return lambda obj: json.dumps(getattr(obj, name), cls=field.encoder)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
