"""Fixtures shared by the whole suite: users in each role, and a real headless Chromium."""

import os
import shutil

import pytest

from measures.roles import BI_TEAM, SCRUTINY_MEMBER, SERVICE_LEAD, ensure_roles
from tests.factories import ServiceFactory, UserFactory

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made there
# (fixtures, assertions) are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The API's throttle counts live in the cache, which outlives each test's database (whose
    rolled-back ids come round again): each test starts with none."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        return  # its table is in the test database, rolled back after each test
    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file, not memory, so that the background worker a test
    starts (tests/jobs/test_worker.py) opens the test's own database."""
    import tempfile

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.gettempdir(), f"perfhub-test-{os.getpid()}-{worker}.sqlite3"
        )


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Users made by the tests hash their passwords with a quick hasher, as Django's testing
    docs advise: the production hasher's deliberate slowness cost every test that makes a user
    about a second. Settings checked in a subprocess (tests/test_settings.py) keep production's."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def worker_runs_tasks_at_once():
    """Tasks run in the test's own process as they are queued (huey's immediate mode); one test
    starts the real worker instead (tests/jobs/test_worker.py)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def empty_worker_store():
    """What the worker heard of jobs (kept in huey's store, here in memory) outlives each test's
    database, whose rolled-back ids come round again: each test starts with none."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()


@pytest.fixture
def roles(db):
    ensure_roles()


def _user_in(group_name, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def bi_user(roles):
    return _user_in(BI_TEAM, username="bi")


@pytest.fixture
def member(roles):
    return _user_in(SCRUTINY_MEMBER, username="member")


@pytest.fixture
def adult_care(db):
    return ServiceFactory(name="Adult Care")


@pytest.fixture
def lead(roles, adult_care):
    user = _user_in(SERVICE_LEAD, username="lead")
    adult_care.leads.add(user)
    return user


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's), driven by Playwright."""
    if not shutil.which(CHROMIUM):
        message = f"No Chromium at {CHROMIUM}: install Debian's chromium package to run browser tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """Signs in through the real sign-in form: `sign_in(username)` returns the page."""
    from tests.factories import PASSWORD

    def sign_in_as(username, password=PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        return page

    return sign_in_as


@pytest.fixture
def bi_page(sign_in, bi_user):
    """A Chromium page signed in as the BI team, through the sign-in form."""
    return sign_in(bi_user.username)


@pytest.fixture
def artifacts():
    """Where browser tests leave their screenshots."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")
    os.makedirs(path, exist_ok=True)
    return path


@pytest.fixture
def axe():
    """Runs axe-core in the page and fails on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    def scan(page):
        results = Axe().run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in serious
        )
        return results

    return scan
