"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # The suite itself sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; production never would.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {**inherited, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="False", SECRET_KEY="x" * 60 + "production-secret-for-check", ALLOWED_HOSTS="perfhub.example.org",
        COUNCIL_NAME="Example Borough Council",  # unset, the check warns (perfhub.W001)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", DEBUG="False", SECRET_KEY="")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr



def test_database_connections_are_health_checked_before_reuse():
    """Issue 22, finding 8: 43 of 300 requests answered 500 during a database restart."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_gunicorn_gives_a_request_longer_than_a_large_upload_takes():
    """Issue 22, finding 8: a 19 MB upload took 28-31 s against gunicorn's default 30 s timeout."""
    import re
    from pathlib import Path

    from django.conf import settings

    command = Path(settings.BASE_DIR, "Dockerfile").read_text()
    timeout = re.search(r"gunicorn .*--timeout (\d+)", command)
    assert timeout and int(timeout.group(1)) >= 120
