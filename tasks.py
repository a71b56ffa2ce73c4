"""Development tasks for nautobot-techmgmt, run as `./run <task>` (invoke). No Docker anywhere.

PostgreSQL and Redis are used where they answer; otherwise private instances are started from the binaries
found on this machine (development/local_services.py) and stopped when the task ends.
"""

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from invoke import task
from invoke.exceptions import Exit

from development.local_services import (
    LOCAL,
    create_database_if_missing,
    running_services,
    say,
    service_exports,
    stop_leftover_services,
)

ROOT = Path(__file__).resolve().parent
DOCS_SITE = ROOT / "nautobot_techmgmt" / "static" / "nautobot_techmgmt" / "docs"
TEMPLATES = ROOT / "nautobot_techmgmt" / "templates"
APP = "nautobot_techmgmt"

os.chdir(ROOT)
# Child commands (nautobot-server, pytest, ruff, ...) come from this virtualenv and read this configuration.
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ["NAUTOBOT_CONFIG"] = str(ROOT / os.environ.get("NAUTOBOT_CONFIG", "development/nautobot_config.py"))


def is_ci():
    """Whether we run under CI (CI=true)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# Locally the test database is kept and reused; CI creates it fresh.
KEEPDB_DEFAULT = not is_ci()


# ------------------------------------------------------------------------------------------------ helpers


def run(c, command, **kwargs):
    """Echo and run a command (a list or a string) without raising on failure."""
    if not isinstance(command, str):
        command = shlex.join(str(part) for part in command)
    return c.run(command, echo=True, echo_format="$ {command}", warn=True, pty=False, in_stream=False, **kwargs)


def run_or_exit(c, command, **kwargs):
    """Run a command and stop the task with its exit code if it fails."""
    result = run(c, command, **kwargs)
    if not result.ok:
        raise Exit(code=result.exited or 1)
    return result


def pytest_command(keepdb, label, failfast, extra=""):
    """The pytest command line: test DB reuse, a path or -k expression, stop at first failure."""
    command = ["pytest", "--reuse-db" if keepdb else "--create-db"]
    if failfast:
        command.append("-x")
    if label:
        looks_like_path = "/" in label or "::" in label or label.endswith(".py") or (ROOT / label).exists()
        command += [label] if looks_like_path else ["-k", label]
    return shlex.join(command) + (f" {extra}" if extra else "")


def run_pytest(c, keepdb, label, failfast, extra=""):
    """Run pytest; treat "no tests collected" (exit 5) as the failure it is. Return True on success."""
    result = run(c, pytest_command(keepdb, label, failfast, extra))
    if result.exited == 5:
        print("pytest collected no tests: that counts as a failure.", file=sys.stderr)
    return result.ok


def build_docs(c):
    """Build the documentation into the app's static folder (the UI serves it; model tests look for it).

    The site is built aside and then swapped in, so tests running meanwhile never see a half-built folder.
    """
    staging = LOCAL / "docs-build"
    LOCAL.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    result = run(c, ["mkdocs", "build", "--strict", "--site-dir", str(staging.relative_to(ROOT))])
    if result.ok:
        previous = LOCAL / "docs-previous"
        shutil.rmtree(previous, ignore_errors=True)
        if DOCS_SITE.exists():
            DOCS_SITE.rename(previous)
        DOCS_SITE.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(DOCS_SITE)
        shutil.rmtree(previous, ignore_errors=True)
    return result


def template_files():
    """Django templates shipped by the app."""
    return sorted(TEMPLATES.rglob("*.html")) if TEMPLATES.exists() else []


# -------------------------------------------------------------------------------------------------- tasks


@task(help={"stop": "Stop private PostgreSQL/Redis left running under development/.local by an earlier run."})
def services(c, stop=False):  # pylint: disable=unused-argument
    """Check PostgreSQL and Redis; start private ones if needed and keep them up until Ctrl-C."""
    if stop:
        stop_leftover_services()
        return
    with running_services() as started:
        print(f"\nConnection settings for commands run by hand:\n  {service_exports()}")
        if started:
            print("Private services keep running until you press Ctrl-C here.")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                print()


@task(
    help={
        "port": "Port for the web server (default 8080).",
        "workers": "Celery worker concurrency (default 2).",
    }
)
def demo(c, port=8080, workers=2):
    """Run Nautobot with the app and demo data on http://127.0.0.1:8080 (migrate, admin user, docs, Celery)."""
    user = os.environ.get("NAUTOBOT_SUPERUSER_NAME", "admin")
    password = os.environ.get("NAUTOBOT_SUPERUSER_PASSWORD", "admin")
    with running_services():
        create_database_if_missing()
        run_or_exit(c, ["nautobot-server", "migrate"])
        create_superuser(c, user, password)
        load_demo_data(c)
        enable_app_jobs(c)
        if not build_docs(c).ok:
            raise Exit("The documentation did not build; see above.", code=1)
        LOCAL.mkdir(parents=True, exist_ok=True)
        celery_log = LOCAL / "celery.log"
        say(f"starting a Celery worker in the background (log: {celery_log})")
        with open(celery_log, "ab") as log:
            worker = start_process_group(
                ["nautobot-server", "celery", "worker", "--loglevel", "INFO", "--concurrency", str(workers)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server, interrupted = None, False
        try:
            print(
                f"\n  Nautobot with nautobot-techmgmt: http://127.0.0.1:{port}/\n"
                f"  Log in as {user} / {password}\n"
                f"  App docs: http://127.0.0.1:{port}/static/nautobot_techmgmt/docs/index.html\n"
                "  Stop with Ctrl-C.\n",
                flush=True,
            )
            server = start_process_group(["nautobot-server", "runserver", f"0.0.0.0:{port}", "--insecure"])
            server.wait()
        except KeyboardInterrupt:
            interrupted = True
            print()
        finally:
            if server is not None:
                say("stopping the web server")
                stop_process_group(server, signal.SIGINT)
            say("stopping the Celery worker")
            stop_process_group(worker, signal.SIGTERM)
        if not interrupted and server is not None and server.returncode:
            raise Exit(f"The web server stopped with exit code {server.returncode}.", code=1)


def start_process_group(command, **kwargs):
    """Start a command in its own process group, so that it and all its children can be stopped together."""
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True, **kwargs)  # noqa: S603


def stop_process_group(process, sig, seconds=20):
    """Signal a process group started here, wait for its leader, then kill whatever of the group is left."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=seconds)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def nautobot_shell(c, code, **env):
    """Run Python code inside `nautobot-server shell`, with values handed over as environment variables."""
    return run(c, ["nautobot-server", "shell", "--no-startup", "--no-imports", "--command", code], env=env)


def create_superuser(c, user, password):
    """Create the demo superuser, or reset its password to the one printed at the end."""
    code = (
        "import os; from django.contrib.auth import get_user_model; "
        "u, _ = get_user_model().objects.get_or_create(username=os.environ['DEMO_USER']); "
        "u.is_superuser = u.is_staff = True; u.email = u.email or os.environ['DEMO_EMAIL']; "
        "u.set_password(os.environ['DEMO_PASSWORD']); u.save()"
    )
    email = os.environ.get("NAUTOBOT_SUPERUSER_EMAIL", "admin@example.com")
    if not nautobot_shell(c, code, DEMO_USER=user, DEMO_PASSWORD=password, DEMO_EMAIL=email).ok:
        raise Exit("Could not create the demo superuser.", code=1)


def load_demo_data(c):
    """Load the app's demo data set (idempotent), if the command exists in this checkout."""
    known = run(c, ["nautobot-server", "help", "load_techmgmt_demo"], hide=True)
    if not known.ok:
        say("WARNING: `nautobot-server load_techmgmt_demo` does not exist yet; the demo starts without demo data")
        return
    run_or_exit(c, ["nautobot-server", "load_techmgmt_demo"])


def enable_app_jobs(c):
    """Enable the app's Jobs (Nautobot installs Jobs disabled)."""
    code = (
        "from nautobot.extras.models import Job; "
        "n = Job.objects.filter(module_name__startswith='nautobot_techmgmt').update(enabled=True); "
        "print(f'enabled {n} nautobot_techmgmt job(s)')"
    )
    if not nautobot_shell(c, code).ok:
        raise Exit("Could not enable the app's Jobs.", code=1)


@task(
    help={
        "keepdb": "Reuse the test database between runs (default; off when CI=true, which creates it fresh).",
        "label": "Run only these tests: a path (file, folder, file::Class::test) or a pytest -k expression.",
        "failfast": "Stop at the first failing check or test.",
    }
)
def tests(c, keepdb=KEEPDB_DEFAULT, label="", failfast=False):
    """Run every check: ruff, djlint, migrations check, docs build, then the whole test suite with pytest."""
    failures = []

    def check(name, ok):
        if not ok:
            failures.append(name)
            if failfast:
                raise Exit(f"FAILED: {name}", code=1)

    with running_services():
        check("ruff check", run(c, ["ruff", "check", "."]).ok)
        check("ruff format --check", run(c, ["ruff", "format", "--check", "."]).ok)
        if template_files():
            check("djlint --lint", run(c, ["djlint", "--lint", str(TEMPLATES.relative_to(ROOT))]).ok)
        check(
            "makemigrations --check",
            run(c, ["nautobot-server", "makemigrations", APP, "--check", "--dry-run"]).ok,
        )
        check("mkdocs build --strict", build_docs(c).ok)
        check("pytest", run_pytest(c, keepdb, label, failfast))
    if failures:
        raise Exit(f"\nFAILED: {', '.join(failures)}", code=1)
    say("all checks and tests passed")


@task(
    help={
        "keepdb": "Reuse the test database (default; off when CI=true).",
        "label": "A test path (file, folder, file::Class::test) or a pytest -k expression.",
        "failfast": "Stop at the first failing test.",
    }
)
def unittest(c, keepdb=KEEPDB_DEFAULT, label="", failfast=False):
    """Run pytest only; arguments after `--` go to pytest as they are (./run unittest -- -vv)."""
    with running_services():
        if not (DOCS_SITE / "index.html").exists():
            say("the documentation is not built yet and the model tests look for it: building it first")
            build_docs(c)
        if not run_pytest(c, keepdb, label, failfast, c.remainder):
            raise Exit(code=1)


@task(help={"fix": "Apply fixes and reformat instead of only reporting."})
def ruff(c, fix=False):
    """Lint and check formatting with ruff (--fix to apply fixes and reformat)."""
    lint = run(c, ["ruff", "check", *(["--fix"] if fix else []), "."])
    fmt = run(c, ["ruff", "format", *([] if fix else ["--check"]), "."])
    if not (lint.ok and fmt.ok):
        raise Exit(code=1)


@task
def pylint(c):
    """Run pylint with the pylint-nautobot checkers on the app (report only; not part of `tests` yet)."""
    init_hook = f"import nautobot; nautobot.setup({os.environ['NAUTOBOT_CONFIG']!r})"
    result = run(c, ["pylint", "--rcfile", "pyproject.toml", "--init-hook", init_hook, APP])
    if not result.ok:
        raise Exit(code=result.exited)


@task(help={"name": "Name for the new migration."})
def migrations(c, name=""):
    """Create migrations for the app after model changes (nautobot-server makemigrations)."""
    with running_services():
        run_or_exit(c, ["nautobot-server", "makemigrations", APP, *(["--name", name] if name else [])])


@task(help={"serve": "Serve the docs with live reload instead of building once.", "port": "Port for --serve."})
def docs(c, serve=False, port=8001):
    """Build the documentation (mkdocs build --strict) into the app's static folder, or serve it (--serve)."""
    if serve:
        run_or_exit(c, ["mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"])
        return
    if not build_docs(c).ok:
        raise Exit(code=1)
    say(f"documentation built in {DOCS_SITE.relative_to(ROOT)}")


@task
def benchmark(c):  # pylint: disable=unused-argument
    """Performance benchmark at the design's scale (not implemented yet)."""
    raise Exit("benchmark: not implemented yet: see issue 4. Nothing was measured.", code=1)
