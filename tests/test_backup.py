"""bin/database backs up the demo council and restores it into a new database that gives the
same exception report, byte for byte: on PostgreSQL (pg_dump/pg_restore) when DATABASE_URL
names one, on SQLite (its online backup API) otherwise. Everything runs as an operator would:
separate processes, real databases, PerfHub's own settings."""

import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager

import dj_database_url
import psycopg2
import pytest

from tests.test_settings import ROOT, run_manage

CONFIGURED = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = CONFIGURED.startswith(("postgres://", "postgresql://"))
EXCEPTION_CSV = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username="bi"))
response = client.get(
    "/reports/exception/", {"committee": "people-and-health", "as_at": "2020-10", "_export": "csv"}
)
assert response.status_code == 200, response.status_code
sys.stdout.buffer.write(response.getvalue())
"""


def run(*args, database_url):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**environment, "DATABASE_URL": database_url},
        capture_output=True, timeout=300,
    )


def exception_csv(database_url):
    result = run("-c", EXCEPTION_CSV, database_url=database_url)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


@pytest.fixture
def new_database_url(tmp_path):
    """Makes URLs of new, empty databases of the configured kind; drops them afterwards."""
    made = []

    def make(role):
        if not ON_POSTGRES:
            return f"sqlite:///{tmp_path / f'{role}.sqlite3'}"
        settings = dj_database_url.parse(CONFIGURED)
        name = f"{settings['NAME']}_{role}_{uuid.uuid4().hex[:8]}"
        with maintenance(settings) as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        made.append((settings, name))
        return CONFIGURED.rsplit("/", 1)[0] + f"/{name}"

    yield make
    for settings, name in made:
        with maintenance(settings) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def maintenance(settings):
    """A cursor on the server's `postgres` database, outside any transaction."""
    connection = psycopg2.connect(
        dbname="postgres", user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"], port=settings["PORT"] or 5432,
    )
    connection.autocommit = True
    try:
        yield connection.cursor()
    finally:
        connection.close()


def test_a_restored_backup_of_the_demo_gives_the_same_exception_report(new_database_url, tmp_path):
    source = new_database_url("backup_source")
    assert run_manage("migrate", "--noinput", DATABASE_URL=source).returncode == 0
    loaded = run_manage("load_demo", DATABASE_URL=source)
    assert loaded.returncode == 0, loaded.stderr
    backup = tmp_path / "perfhub.backup"

    made = run("bin/database", "backup", str(backup), database_url=source)
    assert made.returncode == 0, made.stderr.decode()
    restored = new_database_url("restored")
    result = run("bin/database", "restore", str(backup), database_url=restored)
    assert result.returncode == 0, result.stderr.decode()

    original = exception_csv(source)
    assert exception_csv(restored) == original
    lines = original.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Indicator,Service,Period") and len(lines) > 10
    # Nothing left for migrate to do: the restore is the whole schema.
    check = run_manage("migrate", "--check", DATABASE_URL=restored)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_restore_never_writes_over_a_database_that_holds_tables(new_database_url, tmp_path):
    target = new_database_url("occupied")
    assert run_manage("migrate", "--noinput", DATABASE_URL=target).returncode == 0
    backup = tmp_path / "perfhub.backup"
    assert run("bin/database", "backup", str(backup), database_url=target).returncode == 0

    result = run("bin/database", "restore", str(backup), database_url=target)

    assert result.returncode != 0
    assert b"already holds tables: restore into a new, empty database" in result.stderr


def test_a_backup_never_writes_over_an_existing_file(new_database_url, tmp_path):
    existing = tmp_path / "yesterday.backup"
    existing.write_bytes(b"yesterday's backup")

    result = run("bin/database", "backup", str(existing), database_url=new_database_url("empty"))

    assert result.returncode != 0 and b"exists already" in result.stderr
    assert existing.read_bytes() == b"yesterday's backup"


SIGN_IN = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.create_user("signed_in"))
print(client.session.session_key)
"""
SIGNED_IN = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
print(Session.objects.count(), get_user_model().objects.filter(username="signed_in").count())
"""


def signed_in(database_url):
    """How many sessions the database holds, and whether the person who signed in is there."""
    result = run("-c", SIGNED_IN, database_url=database_url)
    assert result.returncode == 0, result.stderr.decode()
    return tuple(int(n) for n in result.stdout.split())


@pytest.fixture
def source_with_a_session(new_database_url):
    source = new_database_url("sessions")
    assert run_manage("migrate", "--noinput", DATABASE_URL=source).returncode == 0
    made = run("-c", SIGN_IN, database_url=source)
    assert made.returncode == 0, made.stderr.decode()
    assert signed_in(source) == (1, 1)
    return source, made.stdout.decode().strip()


def test_a_backup_holds_no_session_and_a_restore_signs_nobody_in(source_with_a_session, new_database_url, tmp_path):
    """Issue 22, finding 8: backups carried live session keys."""
    source, key = source_with_a_session
    backup = tmp_path / "perfhub.backup"
    assert run("bin/database", "backup", str(backup), database_url=source).returncode == 0
    if not ON_POSTGRES:
        assert key.encode() not in backup.read_bytes()
    assert signed_in(source) == (1, 1)  # the live database keeps its sessions
    restored = new_database_url("restored")
    assert run("bin/database", "restore", str(backup), database_url=restored).returncode == 0
    assert signed_in(restored) == (0, 1)


def test_a_restore_signs_out_everyone_a_backup_made_otherwise_holds(source_with_a_session, new_database_url, tmp_path):
    """A backup made by hand (pg_dump, or a copy of the SQLite file) holds sessions: none survive
    bin/database's restore."""
    source, key = source_with_a_session
    backup = tmp_path / "by-hand.backup"
    if ON_POSTGRES:
        settings = dj_database_url.parse(source)
        dumped = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={backup}",
             f"--dbname={settings['NAME']}", f"--host={settings['HOST']}", f"--port={settings['PORT'] or 5432}",
             f"--username={settings['USER']}"],
            env={**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}, capture_output=True,
        )
        assert dumped.returncode == 0, dumped.stderr.decode()
    else:
        shutil.copyfile(dj_database_url.parse(source)["NAME"], backup)
        assert key.encode() in backup.read_bytes()
    restored = new_database_url("restored")
    result = run("bin/database", "restore", str(backup), database_url=restored)
    assert result.returncode == 0, result.stderr.decode()
    assert signed_in(restored) == (0, 1)


def test_the_guide_says_backups_hold_no_sessions_and_a_restore_signs_everyone_out():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text()
    assert "**Sessions are not in the backup.**" in guide
