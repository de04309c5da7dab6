"""Redis stopped or frozen (issue 22, finding 6): the page cache and the API's throttle fail open,
so the dashboard, the exception report and the API still answer, uncached, with a warning
logged. The test starts a redis-server of its own on a free port, and stops and freezes it."""

import logging
import os
import runpy
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from tests.api.conftest import token_client
from tests.factories import MeasureFactory, ValueFactory, month

pytestmark = pytest.mark.django_db

PAGES = ["/dashboard/", "/reports/exception/", "/api/v1/measures/"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed: apt-get install redis-server")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.kill()
    process.wait()


@pytest.fixture
def production_caches(redis_server, monkeypatch):
    """CACHES as perfhub/settings.py makes them when CACHE_URL names our own server."""
    _, url = redis_server
    monkeypatch.setenv("CACHE_URL", url)
    made = runpy.run_path(str(Path(settings.BASE_DIR) / "perfhub" / "settings.py"))
    with override_settings(CACHES=made["CACHES"]):
        yield


def served(client, api):
    started = time.monotonic()
    codes = [(api if path.startswith("/api/") else client).get(path).status_code for path in PAGES]
    return codes, time.monotonic() - started


def test_pages_and_the_api_serve_with_redis_stopped_then_frozen(client, bi_user, redis_server,
                                                               production_caches, caplog):
    process, _ = redis_server
    measure = MeasureFactory()
    ValueFactory(measure=measure, period=month(2020, 10), status="published")
    client.force_login(bi_user)
    api = token_client(bi_user)
    assert served(client, api)[0] == [200, 200, 200]
    assert cache.get_many(["perfhub:published-version"])  # the pages went through Redis

    process.terminate()
    process.wait()
    with caplog.at_level(logging.WARNING, logger="perfhub.cache"):
        codes, _ = served(client, api)
    assert codes == [200, 200, 200]
    assert "The cache is not answering" in caplog.text


def test_a_frozen_redis_costs_a_timeout_not_a_hang(client, bi_user, redis_server, production_caches, caplog):
    process, _ = redis_server
    client.force_login(bi_user)
    api = token_client(bi_user)
    assert served(client, api)[0] == [200, 200, 200]
    process.send_signal(signal.SIGSTOP)
    with caplog.at_level(logging.WARNING, logger="perfhub.cache"):
        codes, seconds = served(client, api)
    assert codes == [200, 200, 200]
    assert seconds < 10
    assert "The cache is not answering" in caplog.text
