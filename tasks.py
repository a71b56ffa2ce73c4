"""Development tasks for nautobot-techmgmt, run as `./run <task>` (invoke). No Docker anywhere.

PostgreSQL and Redis are used where they answer; otherwise private instances are started from the binaries
found on this machine (development/local_services.py) and stopped when the task ends.
"""

import contextlib
import errno
import importlib.util
import ipaddress
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from invoke import Collection, task
from invoke.exceptions import Exit
from invoke.runners import Local

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


def command_environment():
    """What the tasks' commands get on top of this process's environment (which importing this file leaves alone).

    Child commands (nautobot-server, pytest, ruff, ...) come from this virtualenv and read this configuration, from
    whichever folder `invoke` was started.
    """
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NAUTOBOT_CONFIG": str(ROOT / os.environ.get("NAUTOBOT_CONFIG", "development/nautobot_config.py")),
    }


def is_ci():
    """Whether we run under CI (CI=true)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# Locally the test database is kept and reused; CI creates it fresh.
KEEPDB_DEFAULT = not is_ci()


# ------------------------------------------------------------------------------------------------ helpers


class StopRequested(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the task stops as on Ctrl-C."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stopping_on_sigterm_and_sighup():
    """Within the block, SIGTERM and SIGHUP raise StopRequested in the main thread, as Ctrl-C raises KeyboardInterrupt.

    Only the first one does: later ones must not cut short the stop it started (stopping the web server, the
    Celery worker and private services). A SIGHUP because the terminal hung up also sends our output to /dev/null,
    where the messages about the stop cannot fail it.
    """
    terminal_fds = [fd for fd in (sys.stdout.fileno(), sys.stderr.fileno()) if os.isatty(fd)]
    stopping = False

    def request_stop(signum, frame):  # pylint: disable=unused-argument
        nonlocal stopping
        if signum == signal.SIGHUP:
            hung_up = [fd for fd in terminal_fds if not os.isatty(fd)]
            if hung_up:
                devnull = os.open(os.devnull, os.O_WRONLY)
                for fd in hung_up:
                    os.dup2(devnull, fd)
                os.close(devnull)
        if not stopping:
            stopping = True
            raise StopRequested(signum)

    previous = {signum: signal.signal(signum, request_stop) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class CommandRunner(Local):
    """Runs the tasks' commands; when the task is interrupted, the command is stopped and then so is the task.

    invoke's own runner only passes Ctrl-C on to the command and then carries on with the task.
    """

    def __init__(self, context):
        super().__init__(context)
        self.interruption = None

    def send_interrupt(self, interrupt):
        """Stop the command: Ctrl-C reached it from the terminal; SIGTERM and SIGHUP reached only this process."""
        self.interruption = interrupt
        if isinstance(interrupt, StopRequested):
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(interrupt.signum)

    def run(self, command, **kwargs):
        """Run the command; raise the interruption once it has stopped."""
        result = super().run(command, **kwargs)
        if self.interruption is not None:
            raise self.interruption
        return result


def run(c, command, shown=None, env=None, **kwargs):
    """Echo and run a command (a list or a string) without raising on failure (but on Ctrl-C, SIGTERM, SIGHUP).

    It runs in the repository root with the task's environment (`c.config.run.env`) plus `env`; `shown` is echoed
    instead of the command when that holds a secret.
    """
    if not isinstance(command, str):
        command = shlex.join(str(part) for part in command)
    print(f"$ {shown or command}", flush=True)
    return CommandRunner(c).run(
        # exec: the command replaces the shell, so that SIGTERM/SIGHUP passed on by CommandRunner reach it.
        f"cd {shlex.quote(str(ROOT))} && exec {command}",
        env={**c.config.run.env, **(env or {})},
        warn=True,
        pty=False,
        in_stream=False,
        **kwargs,
    )


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


# Environment for each database backend the checks can run on (`--db`); the first is the default.
DATABASE_BACKENDS = {
    "postgresql": {"NAUTOBOT_DB_ENGINE": "django.db.backends.postgresql"},
    "mariadb": {
        "NAUTOBOT_DB_ENGINE": "django.db.backends.mysql",
        "NAUTOBOT_DB_HOST": "127.0.0.1",
        "NAUTOBOT_DB_PORT": "3306",
        "NAUTOBOT_DB_USER": "root",
        "NAUTOBOT_DB_PASSWORD": "",
    },
}
DB_HELP = "Database backend: postgresql (default) or mariadb (MySQL engine on 127.0.0.1:3306 as root)."


def select_database(c, db):
    """Point the task's commands at one database backend: postgresql as configured, or MariaDB on 127.0.0.1:3306."""
    if db not in DATABASE_BACKENDS:
        raise Exit(f"--db must be one of {', '.join(DATABASE_BACKENDS)}, not {db!r}.", code=1)
    if db == "mariadb" and importlib.util.find_spec("MySQLdb") is None:
        raise Exit(
            "--db mariadb needs the MySQL/MariaDB driver mysqlclient, which is not installed because it could not be "
            "built. Install pkg-config and the MariaDB client headers (Debian/Ubuntu: apt-get install "
            "libmariadb-dev pkg-config) and run ./run again: it builds the driver.",
            code=1,
        )
    c.config.run.env.update(DATABASE_BACKENDS[db])


# -------------------------------------------------------------------------------------------------- tasks


@task(help={"stop": "Stop private PostgreSQL/Redis left running under development/.local by an earlier run."})
def services(c, stop=False):  # pylint: disable=unused-argument
    """Check PostgreSQL and Redis; start private ones if needed and keep them up until Ctrl-C."""
    if stop:
        stop_leftover_services()
        return
    with stopping_on_sigterm_and_sighup(), running_services(c.config.run.env) as started:
        print(f"\nConnection settings for commands run by hand:\n  {service_exports(c.config.run.env)}")
        if started:
            print("Private services keep running until you press Ctrl-C here (or send SIGTERM or SIGHUP).")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                print()


@task(
    help={
        "host": "Address the web server listens on (default 127.0.0.1, this machine only; 0.0.0.0 for every network).",
        "port": "Port for the web server (default 8080).",
        "workers": "Celery worker concurrency (default 2).",
    }
)
def demo(c, host="127.0.0.1", port=8080, workers=2):
    """Run Nautobot with the app and demo data on http://127.0.0.1:8080 (migrate, admin user, docs, Celery).

    Ctrl-C, SIGTERM and SIGHUP stop all of it: the web server, the Celery worker and private PostgreSQL and Redis.
    """
    user = os.environ.get("NAUTOBOT_SUPERUSER_NAME", "admin")
    password = os.environ.get("NAUTOBOT_SUPERUSER_PASSWORD", "admin")
    exposed_warning = (
        f"WARNING: the demo listens on {host}: other machines can reach it, and log in as {user!r} with password "
        f"{password!r}. Change that password: every start sets it from NAUTOBOT_SUPERUSER_PASSWORD."
    )
    base_url = f"http://{url_host(host)}:{port}"
    ensure_port_free(host, port)  # at once, not after minutes of migrations
    if not is_loopback(host):
        say(exposed_warning)
    with stopping_on_sigterm_and_sighup(), running_services(c.config.run.env):
        create_database_if_missing(c.config.run.env)
        run_or_exit(c, ["nautobot-server", "migrate"])
        create_superuser(c, user, password)
        load_demo_data(c)
        enable_app_jobs(c)
        if not build_docs(c).ok:
            raise Exit("The documentation did not build; see above.", code=1)
        ensure_port_free(host, port)
        LOCAL.mkdir(parents=True, exist_ok=True)
        celery_log = LOCAL / "celery.log"
        worker, server, interrupted = None, None, False
        try:
            say(f"starting a Celery worker in the background (log: {celery_log})")
            with open(celery_log, "ab") as log:
                worker = start_process_group(
                    c,
                    ["nautobot-server", "celery", "worker", "--loglevel", "INFO", "--concurrency", str(workers)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            server = start_process_group(
                c, ["nautobot-server", "runserver", runserver_address(host, port), "--insecure"]
            )
            # The login comes last, once the server answers, so that it is not lost in the server's start-up output.
            if wait_for_server(f"{base_url}/login/", server):
                print(
                    f"\n  Nautobot with nautobot-techmgmt is ready: {base_url}/\n"
                    f"  Log in as user {user!r} with password {password!r}\n"
                    f"  App docs: {base_url}/static/nautobot_techmgmt/docs/index.html\n"
                    "  Stop with Ctrl-C.\n",
                    flush=True,
                )
                if not is_loopback(host):
                    say(exposed_warning)
            server.wait()
        except KeyboardInterrupt:
            interrupted = True
            print()
        finally:
            # SIGTERM, not SIGINT: a demo started in the background by a script ignores SIGINT, and so do its children.
            if server is not None:
                say("stopping the web server")
                stop_process_group(server, signal.SIGTERM)
            if worker is not None:
                say("stopping the Celery worker")
                stop_process_group(worker, signal.SIGTERM)
        if not interrupted and server is not None and server.returncode:
            raise Exit(f"The web server stopped with exit code {server.returncode}.", code=1)


def is_loopback(host):
    """Whether `host` is reachable from this machine only."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def url_host(host):
    """The host part of a URL that reaches a server listening on `host` from this machine."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.is_unspecified:  # listening on every address: reach it on the loopback one
        address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
    return f"[{address}]" if address.version == 6 else str(address)


def runserver_address(host, port):
    """The address:port argument of `nautobot-server runserver` (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def ensure_port_free(host, port):
    """Stop the task unless a server could listen on host:port, saying why not."""
    try:
        # IPv4 for a name, as runserver does.
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        family, kind, proto, _, address = socket.getaddrinfo(
            host, int(port), family, socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as sock:
            # As the web server does: connections of an earlier run still closing (TIME_WAIT) do not hold the port.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except socket.gaierror as error:
        raise Exit(f"--host {host}: {error.strerror}", code=1) from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise Exit(
                f"port {port} on {host} is already in use — is another ./run demo running? choose another with --port",
                code=1,
            ) from None
        raise Exit(f"cannot listen on {host}:{port}: {error.strerror}", code=1) from None


def wait_for_server(url, server, seconds=180):
    """Whether the web server answers `url` within `seconds` (False as soon as it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a local http URL built here)
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    return False


def start_process_group(c, command, **kwargs):
    """Start a command in its own process group, so that it and all its children can be stopped together."""
    env = {**os.environ, **c.config.run.env}
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **kwargs)  # noqa: S603


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
        "db": DB_HELP,
    }
)
def tests(c, keepdb=KEEPDB_DEFAULT, label="", failfast=False, db="postgresql"):
    """Run every check: ruff, pylint, djlint, migrations check, docs build, then the whole test suite with pytest."""
    select_database(c, db)
    failures = []

    def check(name, ok):
        if not ok:
            failures.append(name)
            if failfast:
                raise Exit(f"FAILED: {name}", code=1)

    with running_services(c.config.run.env):
        check("ruff check", run(c, ["ruff", "check", "."]).ok)
        check("ruff format --check", run(c, ["ruff", "format", "--check", "."]).ok)
        check("pylint", run_pylint(c).ok)
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
        "db": DB_HELP,
    }
)
def unittest(c, keepdb=KEEPDB_DEFAULT, label="", failfast=False, db="postgresql"):
    """Run pytest only; arguments after `--` go to pytest as they are (./run unittest -- -vv)."""
    select_database(c, db)
    with running_services(c.config.run.env):
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


# What pylint checks: the app and the development tooling. tests/ is not checked yet (see docs/dev/dev_environment.md).
PYLINT_PATHS = (APP, "tasks.py", "development")


def run_pylint(c):
    """Run pylint with the pylint-django and pylint-nautobot checkers; any message fails it (a score below 10)."""
    init_hook = f"import nautobot; nautobot.setup({c.config.run.env['NAUTOBOT_CONFIG']!r})"
    # One process: with --jobs pylint stops at once, as it cannot pickle the pylint-django/-nautobot checkers.
    return run(c, ["pylint", "--rcfile", "pyproject.toml", "--init-hook", init_hook, *PYLINT_PATHS])


@task
def pylint(c):
    """Run pylint with the pylint-nautobot checkers on the app, tasks.py and development/ (also part of `tests`)."""
    result = run_pylint(c)
    if not result.ok:
        raise Exit(code=result.exited)


@task(help={"name": "Name for the new migration."})
def migrations(c, name=""):
    """Create migrations for the app after model changes (nautobot-server makemigrations)."""
    with running_services(c.config.run.env):
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


@task(
    help={
        "scale": "Estate size: small (default; a tenth of the design's scale), large (the design's scale) or tiny.",
        "runs": "Measured runs per measurement (default 5; fewer for calls slower than 20 s).",
        "only": "Measure only this measurement (repeatable), e.g. --only 'gaps REST'.",
        "profile": "Also write a pyinstrument profile of this measurement to development/.local/.",
        "output": "Results file (default benchmark-results.json).",
        "regenerate": "Drop the scale's database (techmgmt_bench_<scale>) and generate the estate again.",
    },
    iterable=["only"],
)
# invoke makes each argument of a task a command-line option.
def benchmark(c, scale="small", runs=5, only=None, profile="", output="", regenerate=False):  # pylint: disable=too-many-arguments,too-many-positional-arguments
    """Measure coverage, gaps, pages, lists, GraphQL, what-if and truck factor on a generated estate."""
    command = ["python", "-m", "development.benchmark", "--scale", scale, "--runs", str(runs)]
    command += [part for name in only or () for part in ("--only", name)]
    command += ["--profile", profile] if profile else []
    command += ["--output", output] if output else []
    command += ["--regenerate"] if regenerate else []
    with running_services(c.config.run.env):
        run_or_exit(c, command)


@task(
    help={
        "url": "Base URL of a running Nautobot with the app (default http://127.0.0.1:8080, where ./run demo serves).",
        "token": "API token of a superuser (default: $NAUTOBOT_TOKEN).",
        "examples": "Generated examples per operation and phase (default 20).",
    }
)
def schemathesis(c, url="http://127.0.0.1:8080", token="", examples=20):
    """Fuzz the app's REST API on a running server with schemathesis: no 5xx, every answer as documented."""
    import requests  # pylint: disable=import-outside-toplevel

    from development.api_fuzzing import APP_PATHS, CHECK_NAMES  # pylint: disable=import-outside-toplevel

    token = token or os.environ.get("NAUTOBOT_TOKEN", "")
    if not token:
        raise Exit("Give a superuser's API token: --token or NAUTOBOT_TOKEN (UI: user menu > API Tokens).", code=1)
    base = url.rstrip("/")
    schema_file = LOCAL / "openapi.json"
    LOCAL.mkdir(parents=True, exist_ok=True)
    # Fetched here, not by schemathesis: a cold Nautobot takes longer to generate it than schemathesis waits.
    say(f"fetching {base}/api/swagger.json (the first generation takes a minute or more)")
    answer = requests.get(
        f"{base}/api/swagger.json",
        headers={"Authorization": f"Token {token}", "Accept": "application/json"},
        timeout=900,
    )
    if answer.status_code != 200:
        raise Exit(f"{base}/api/swagger.json answered HTTP {answer.status_code}.", code=1)
    schema_file.write_bytes(answer.content)
    command = [
        "schemathesis", "run", str(schema_file.relative_to(ROOT)), "--url", f"{base}/api",
        "--include-path-regex", APP_PATHS, "--checks", CHECK_NAMES, "--mode", "all",
        "--phases", "examples,fuzzing", "--max-examples", str(examples),
    ]  # fmt: skip
    result = run(
        c,
        [*command, "--header", f"Authorization: Token {token}"],
        shown=f"{shlex.join(command)} --header 'Authorization: Token ***'",
        env={"SCHEMATHESIS_HOOKS": "development.api_fuzzing"},
    )
    if not result.ok:
        raise Exit(code=result.exited or 1)


@task(
    help={
        "database": "Database holding the estate (default techmgmt_bench_small, from ./run benchmark --scale small).",
        "users": "Concurrent Locust users (default 20).",
        "spawn_rate": "Users started per second (default 5).",
        "run_time": "How long the users run, e.g. 60s, 2m (default 60s).",
        "processes": "uWSGI worker processes (default 4).",
        "threads": "Threads per uWSGI worker process (default 2).",
        "port": "Port of the uWSGI server on 127.0.0.1 (default 8097).",
        "csv": "Also write Locust's statistics to CSV files with this prefix.",
    }
)
# invoke makes each argument of a task a command-line option.
def loadtest(  # pylint: disable=too-many-arguments,too-many-positional-arguments
    c,
    database="techmgmt_bench_small",
    users=20,
    spawn_rate=5,
    run_time="60s",
    processes=4,
    threads=2,
    port=8097,
    csv="",
):
    """Load test with Locust (headless, bounded): the knowledge API and a device page with the panel on uWSGI."""
    command = ["python", "-m", "development.loadtest", "--users", str(users), "--spawn-rate", str(spawn_rate)]
    command += ["--run-time", run_time, "--processes", str(processes), "--threads", str(threads), "--port", str(port)]
    command += ["--csv", csv] if csv else []
    c.config.run.env["NAUTOBOT_DB_NAME"] = database
    with running_services(c.config.run.env):
        run_or_exit(c, command)


# The tasks' commands run with this environment (see `run`); invoke picks the namespace up by this name.
ns = Collection.from_module(sys.modules[__name__])
ns.configure({"run": {"env": command_environment()}})
