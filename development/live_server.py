"""A real Nautobot for the browser tests: processes, their environment, and what a page needs to use it."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from development.pytest_nautobot import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TECHMGMT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 800, "height": 900}
STARTUP_SECONDS = 180

# Run inside `nautobot-server shell` against the scratch database: the demo estate, a superuser, the Jobs enabled,
# and the knowledge state rebuilt now (a fresh install's rebuild, done before the server starts), so every page reads
# the same figures from the first test on.
SETUP_CODE = """
import os
from django.contrib.auth import get_user_model
from django.core.management import call_command
from nautobot.extras.models import Job
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge

call_command("load_techmgmt_demo")
rebuild_knowledge()
user, _ = get_user_model().objects.get_or_create(username=os.environ["BROWSER_USER"])
user.is_superuser = user.is_staff = True
user.set_password(os.environ["BROWSER_PASSWORD"])
user.save()
Job.objects.filter(module_name__startswith="nautobot_techmgmt").update(enabled=True)
"""


@dataclass
class LiveNautobot:
    """Where the server listens, how to log in, and the logged-in browser state once there is one."""

    url: str
    username: str
    password: str
    storage_state: dict | None = None


def nautobot_server(*args):
    """The command line of `nautobot-server` from the virtualenv running the tests."""
    return [str(Path(sys.executable).with_name("nautobot-server")), *args]


def free_port():
    """$TECHMGMT_BROWSER_PORT, or a port the system reports free."""
    if os.environ.get("TECHMGMT_BROWSER_PORT"):
        return int(os.environ["TECHMGMT_BROWSER_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_name, workdir):
    """The environment of the server processes: the test settings' Redis index, the scratch database."""
    redis_db = urlparse(settings.CACHES["default"]["LOCATION"]).path.strip("/") or "0"
    return {
        **os.environ,
        "NAUTOBOT_CONFIG": os.environ.get("NAUTOBOT_CONFIG", str(DEFAULT_CONFIG)),
        "NAUTOBOT_DB_NAME": database_name,
        "NAUTOBOT_REDIS_DB": redis_db,
        # The worker says it is ready by creating a file; a private one, not shared with other workers on the machine.
        "NAUTOBOT_CELERY_HEALTH_PROBES_AS_FILES": "True",
        "NAUTOBOT_CELERY_WORKER_HEARTBEAT_FILE": str(workdir / "worker_heartbeat"),
        "NAUTOBOT_CELERY_WORKER_READINESS_FILE": str(workdir / "worker_ready"),
    }


def prepare_demo(env, username, password):
    """Load the demo estate, the superuser and the enabled Jobs into the scratch database; fail with the output."""
    setup = subprocess.run(  # noqa: S603
        nautobot_server("shell", "--no-startup", "--no-imports", "--command", SETUP_CODE),
        cwd=ROOT,
        env={**env, "BROWSER_USER": username, "BROWSER_PASSWORD": password},
        capture_output=True,
        text=True,
        check=False,
    )
    if setup.returncode:
        pytest.fail(f"loading the demo data failed:\n{setup.stdout[-3000:]}\n{setup.stderr[-3000:]}")


def start(command, env, log_path):
    """Start a process in its own process group, its output into a log file."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process, sig=signal.SIGTERM):
    """Stop a process group started by `start`: `sig`, then SIGKILL after 20 seconds."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def log_tail(path, lines=40):
    """The end of a log file, to explain a failed start."""
    return "\n".join(Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def wait_for(ready, what, process, log_path):
    """Poll `ready()` every second until it is true; fail with the process's log if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}:\n{log_tail(log_path)}")
        if ready():
            return
        time.sleep(1)
    pytest.fail(f"{what}: not ready within {STARTUP_SECONDS} s:\n{log_tail(log_path)}")


def wait_until_ready(readiness_file, worker, log_path):
    """Wait until the Celery worker has purged its queue and is ready (Nautobot touches its readiness file)."""
    wait_for(readiness_file.exists, "Celery worker", worker, log_path)


def wait_until_serving(url, server, log_path):
    """Wait until the login page answers 200."""

    def serving():
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=5) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    wait_for(serving, f"Nautobot on {url}", server, log_path)


def log_in(page, nautobot):
    """Log in through the login form."""
    page.goto("/login/")
    page.get_by_label("Username").fill(nautobot.username)
    page.get_by_label("Password").fill(nautobot.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def logged_in_state(chromium, nautobot):
    """Cookies and storage of a browser that logged in through the login form, for the pages of every test."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=nautobot.url)
        log_in(context.new_page(), nautobot)
        state = context.storage_state()
        browser.close()
    return state


@contextmanager
def browser_page(chromium, nautobot, logged_in=True):
    """A page of a fresh Chromium at desktop width, and the list of JavaScript errors seen on it.

    Each test has its own Playwright session: Playwright runs an event loop while it is open, and Django refuses
    database access (the test's transaction) from a thread with a running event loop.
    """
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=nautobot.url, viewport=DESKTOP, storage_state=nautobot.storage_state if logged_in else None
        )
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None
        )
        try:
            yield page, problems
        finally:
            browser.close()
