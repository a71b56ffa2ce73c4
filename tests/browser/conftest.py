"""Browser tests: a real Nautobot with the demo data, driven by the system's Chromium through Playwright.

Once per test module: clone the test database, load the demo estate into the clone, create a superuser, enable the
app's Jobs, start a Celery worker and `nautobot-server runserver` on 127.0.0.1, and log in. At the end both processes
are stopped and the clone is dropped. The clone is made by Django's test-database cloning, so the same code runs on
PostgreSQL (CREATE DATABASE ... TEMPLATE) and on MySQL/MariaDB (mysqldump).

Chromium comes from the system: /usr/bin/chromium, or the path in $TECHMGMT_CHROMIUM; without it the browser tests
are skipped, saying so, and with CI=true they fail. TECHMGMT_BROWSER_PORT chooses the server's port (default: any free
one); TECHMGMT_UPDATE_SCREENSHOTS=1 also writes each test's screenshot into docs/images/.
"""

import os
import secrets
import shutil
import signal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, connections

from development import live_server as live
from tests.fixtures import seed_reference_data

CLONE_SUFFIX = "browser"
USERNAME = "browser-admin"


NO_CHROMIUM = (
    f"browser tests skipped: no Chromium at {live.CHROMIUM} (install the distribution's chromium package or set "
    "TECHMGMT_CHROMIUM to its path)"
)
NO_CHROMIUM_UNDER_CI = (
    f"no Chromium at {live.CHROMIUM}, and with CI=true the browser tests must run: ./run installs the distribution's "
    "chromium package under CI when it runs as root; otherwise install it or set TECHMGMT_CHROMIUM to its path"
)


def running_under_ci():
    """Whether we run under CI (CI=true), as tasks.py decides it."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium():
    """The Chromium executable; without one the browser tests are skipped, or fail under CI, where it must exist."""
    if not os.access(live.CHROMIUM, os.X_OK):
        if running_under_ci():
            pytest.fail(NO_CHROMIUM_UNDER_CI, pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return live.CHROMIUM


def pytest_terminal_summary(terminalreporter):
    """Say at the end of the run, not only in the skip count, that the browser tests did not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any(NO_CHROMIUM in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", NO_CHROMIUM, yellow=True, bold=True)


@pytest.fixture(scope="module")
def demo_database(chromium, django_db_setup, django_db_blocker):  # pylint: disable=unused-argument
    """The name of a scratch clone of the test database; dropped when the module's tests are done."""
    with django_db_blocker.unblock():
        seed_reference_data()  # earlier TransactionTestCases may have emptied the test database
        connections.close_all()  # PostgreSQL copies a database only while nobody is connected to it
        connection.creation.clone_test_db(suffix=CLONE_SUFFIX, verbosity=0)
        # The server shares the test settings' cache; nothing a previous server or test left there may leak in.
        cache.clear()
        name = connection.creation.get_test_db_clone_settings(CLONE_SUFFIX)["NAME"]
    yield name
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(verbosity=0, suffix=CLONE_SUFFIX)
        cache.clear()


@pytest.fixture(scope="module")
def live_nautobot(chromium, demo_database, tmp_path_factory):
    """Nautobot and a Celery worker serving the demo estate; stopped when the module's tests are done."""
    workdir = tmp_path_factory.mktemp("nautobot")
    env = live.server_environment(demo_database, workdir)
    password = secrets.token_urlsafe(16)
    port = live.free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = workdir / "server.log"
    worker_log = workdir / "worker.log"
    # --purge: tasks a previous run left in the queue must not run on this database. The worker purges before it
    # takes any task, so a task queued while it starts is purged or run, either way harmless: the demo set-up
    # refreshes the knowledge itself.
    worker = live.start(
        live.nautobot_server("celery", "worker", "--loglevel", "INFO", "--concurrency", "1", "--purge"),
        env,
        worker_log,
    )
    server = live.start(
        live.nautobot_server("runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"), env, server_log
    )
    try:
        live.prepare_demo(env, USERNAME, password)  # while the worker and the server start
        live.wait_until_ready(Path(env["NAUTOBOT_CELERY_WORKER_READINESS_FILE"]), worker, worker_log)
        live.wait_until_serving(url, server, server_log)
        nautobot = live.LiveNautobot(url=url, username=USERNAME, password=password)
        nautobot.storage_state = live.logged_in_state(chromium, nautobot)
        yield nautobot
    finally:
        live.stop(server)
        live.stop(worker, signal.SIGQUIT)  # a cold shutdown: nothing it might still run matters any more


@pytest.fixture
def page(chromium, live_nautobot):
    """A logged-in page, 1280 px wide; the test fails if a JavaScript or console error occurred on it."""
    with live.browser_page(chromium, live_nautobot) as (browser_page, problems):
        yield browser_page
    assert problems == [], "JavaScript errors on the page"


@pytest.fixture
def anonymous_page(chromium, live_nautobot):
    """A page that is not logged in, 1280 px wide; the test fails on JavaScript or console errors."""
    with live.browser_page(chromium, live_nautobot, logged_in=False) as (browser_page, problems):
        yield browser_page
    assert problems == [], "JavaScript errors on the page"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where every test leaves its screenshot."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshot_dir):
    """Save a screenshot as <name>.png: the whole page, or one element; with TECHMGMT_UPDATE_SCREENSHOTS=1 into
    docs/images/ as well."""

    def take(page, name, element=None):
        path = screenshot_dir / f"{name}.png"
        if element is not None:
            element.screenshot(path=path, animations="disabled")
        else:
            # A window as tall as the page, so that the fixed navigation bar runs down the whole picture.
            size = page.viewport_size
            height = page.evaluate("document.documentElement.scrollHeight")
            page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
            page.screenshot(path=path, animations="disabled")
            page.set_viewport_size(size)
        if os.environ.get("TECHMGMT_UPDATE_SCREENSHOTS") == "1":
            shutil.copyfile(path, live.ROOT / "docs" / "images" / path.name)
        return path

    return take
