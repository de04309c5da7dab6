"""One import at a time: two imports of one file (two people, a double click, the command beside
the page) would each find no measure with a code and create it twice, or each bump the same
figures from what they read. Every import's transaction first takes one lock, held until it
commits or rolls back, so the second import starts from what the first wrote."""

from django.db import transaction

# Any fixed number, the same in every process: pg_advisory_xact_lock's key for imports.
IMPORT_LOCK = 0x50_48_49_4D  # "PHIM"


def one_import_at_a_time(using=None):
    """Wait until no other import's transaction runs, then hold the lock until this one ends.

    Call it inside the import's transaction. On PostgreSQL it is a transaction-scoped advisory
    lock; SQLite lets one writer at a time anyway.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        raise RuntimeError("one_import_at_a_time() holds its lock for a transaction: call it inside one.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
