"""Writing what an import inserts and revises in bulk, with its audit rows written by the
database rather than by Python.

django-simple-history's `bulk_create_with_history` and `bulk_update_with_history` build a history
instance in Python for every row, and Django's `bulk_update` a CASE expression per field that
grows with the batch; for an import of 50,000 values and as many targets those are most of the
import's time. Here, on PostgreSQL, the rows go in with COPY (new rows: ids drawn from the
table's sequence; revised rows: COPY into a temporary table, then one UPDATE ... FROM), each
field's value read once; then the history rows simple-history would write (every tracked field
as saved, type "+" or "~", the import's reason and user, one timestamp) are written with
INSERT ... SELECT from the rows just saved. Other databases use the ORM's bulk operations.
"""

import io
import json
from operator import attrgetter

from django.db import connection, models
from django.utils import timezone

from measures.publication import refresh_chains

BATCH = 2000
_OWN = ("history_id", "history_date", "history_change_reason", "history_type", "history_user")
_CHANGES = "perfhub_import_changes"


def bulk_create_with_history(objs, model, *, reason, user=None):
    """Insert `objs` (unsaved instances of `model`), each with its creation history row; returns
    them with their primary keys."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=BATCH)
    elif objs:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(objs)],
            )
            for obj, (number,) in zip(objs, cursor.fetchall()):
                obj.pk = number
                obj._state.adding, obj._state.db = False, connection.alias
            _copy(cursor, model._meta.db_table, model._meta.pk, fields, objs, now)
        if model._meta.label == "measures.Value":  # as Value.objects.bulk_create does
            refresh_chains({obj.measure_id for obj in objs})
    _history(model, objs, "+", reason, user, now)
    return objs


def bulk_update_with_history(objs, model, names, *, reason, user=None):
    """Save the fields `names` of `objs` (saved instances of `model`), each with a history row
    of type "~", as saving each with simple-history would record."""
    if not objs:
        return
    now = timezone.now()
    if connection.vendor != "postgresql":
        for name in names:
            if getattr(model._meta.get_field(name), "auto_now", False):
                for obj in objs:
                    setattr(obj, name, now)
        model.objects.bulk_update(objs, names, batch_size=BATCH)
    else:
        pk, fields = model._meta.pk, [model._meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
            cursor.execute(f"CREATE TEMPORARY TABLE {_CHANGES} AS SELECT {columns} "
                           f"FROM {quote(model._meta.db_table)} WITH NO DATA")
            _copy(cursor, _CHANGES, pk, fields, objs, now)
            cursor.execute(
                f"UPDATE {quote(model._meta.db_table)} AS saved SET "
                + ", ".join(f"{quote(f.column)} = changes.{quote(f.column)}" for f in fields)
                + f" FROM {_CHANGES} AS changes WHERE saved.{quote(pk.column)} = changes.{quote(pk.column)}"
            )
            cursor.execute(f"DROP TABLE {_CHANGES}")
    _history(model, objs, "~", reason, user, now)


def _history(model, objs, kind, reason, user, now):
    history = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in history._meta.concrete_fields if f.name not in _OWN)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            pks = [obj.pk for obj in objs[start:start + BATCH]]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
                f"history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {pk} IN ({', '.join(['%s'] * len(pks))})",
                [now, reason[:100], kind, getattr(user, "pk", None), *pks],
            )


def _copy(cursor, table, pk, fields, objs, now):
    """COPY the primary key and `fields` of `objs` into `table`."""
    readers = [attrgetter(pk.attname), *(_reader(f, now) for f in fields)]
    rows = io.StringIO()
    for obj in objs:
        rows.write("\t".join([_copy_text(read(obj)) for read in readers]))
        rows.write("\n")
    rows.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
    cursor.cursor.copy_expert(f"COPY {quote(table)} ({columns}) FROM STDIN", rows)


def _copy_text(value):
    """A value as COPY's text format writes it."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# Plain values that psycopg2 sends as they are: for these fields Django's own preparation of a
# value for the database changes nothing, and doing it field by field for 50,000 rows is most of
# bulk_create's time.
_AS_THEY_ARE = (models.CharField, models.TextField, models.BooleanField, models.IntegerField,
                models.DecimalField, models.ForeignKey)


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
