"""Bounded load test of the app's knowledge surfaces on a production-like server, with Locust.

`./run loadtest` runs `python -m development.loadtest`: it starts Nautobot under uWSGI (`nautobot-server start`) on
127.0.0.1 against an existing database (by default the small benchmark estate, `./run benchmark --scale small`),
creates the user, picks a device with technologies and two active experts, warms each request up once, then runs
Locust headless (`development/locustfile.py`) with a fixed number of users, spawn rate and run time. Locust prints
requests per second, the percentiles of each request and the failures; any failure fails the run.

The user `loadtest` (superuser, with an API token) is created or updated in the database; nothing else is written.
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "development" / "locustfile.py"
USERNAME = "loadtest"
API = "/api/plugins/techmgmt"
REQUEST_TIMEOUT = 300


def nautobot_server_command():
    """`nautobot-server` from this virtualenv."""
    return [sys.executable, "-m", "nautobot.core.cli"]


def prepare_user(password):
    """Create or update the superuser `loadtest` with this password; return its API token."""
    code = (
        "import os; from django.contrib.auth import get_user_model; from nautobot.users.models import Token; "
        f"u, _ = get_user_model().objects.get_or_create(username={USERNAME!r}); "
        "u.is_superuser = u.is_staff = True; u.set_password(os.environ['LOADTEST_PASSWORD']); u.save(); "
        "t = Token.objects.filter(user=u).first() or Token.objects.create(user=u); print('TOKEN', t.key)"
    )
    result = subprocess.run(  # noqa: S603
        [*nautobot_server_command(), "shell", "--no-startup", "--no-imports", "--command", code],
        env={**os.environ, "LOADTEST_PASSWORD": password},
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"^TOKEN (\w+)$", result.stdout, re.MULTILINE)
    if result.returncode or not match:
        raise SystemExit(f"Could not create the {USERNAME} user:\n{result.stdout}\n{result.stderr}")
    return match.group(1)


def start_server(port, processes, threads, log_path):
    """Start uWSGI (`nautobot-server start`) in its own process group; return the process."""
    command = [
        *nautobot_server_command(),
        "start",
        f"--http=127.0.0.1:{port}",
        "--master",
        f"--processes={processes}",
        f"--threads={threads}",
        # Clients keep their connections open, as browsers and API clients do; slow answers are waited for.
        "--http-keepalive",
        "--http-auto-chunked",
        f"--http-timeout={REQUEST_TIMEOUT}",
        # Long query strings and cookies fit; no per-request log line on the measured path.
        "--buffer-size=32768",
        "--disable-logging",
        "--die-on-term",
    ]
    with open(log_path, "ab") as log:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_server(process):
    """Stop the server's process group and wait for it."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def wait_until_ready(base_url, process, seconds=180):
    """Wait until the server answers its health check."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server stopped with exit code {process.returncode}; see its log.")
        try:
            if requests.get(f"{base_url}/health/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"The server did not answer {base_url}/health/ within {seconds} s.")


def api_session(token):
    """An HTTP session authenticated with the API token."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Token {token}", "Accept": "application/json"})
    return session


def load_targets(base_url, token):
    """(device id, [two active expert ids]) for the mix, each request of which is warmed up once."""
    session = api_session(token)
    device_id = device_with_technologies(base_url, session)
    experts = session.get(f"{base_url}{API}/experts/?limit=2&status=Active", timeout=REQUEST_TIMEOUT).json()
    expert_ids = [row["id"] for row in experts["results"]]
    if not expert_ids:
        raise SystemExit("The database holds no active expert; load an estate first (./run benchmark --scale small).")
    # The first answers fill caches; the measured run starts from a warm server, as the thread-based test did.
    for path in ("coverage/technologies/", "gaps/", "truck-factor/", f"coverage/objects/dcim.device/{device_id}/"):
        answer = session.get(f"{base_url}{API}/{path}", timeout=REQUEST_TIMEOUT)
        if answer.status_code != 200:
            raise SystemExit(f"Warm-up request to {path} failed: HTTP {answer.status_code}")
    answer = session.post(f"{base_url}{API}/what-if/", json={"experts": expert_ids}, timeout=REQUEST_TIMEOUT)
    if answer.status_code != 200:
        raise SystemExit(f"Warm-up request to what-if/ failed: HTTP {answer.status_code}")
    return device_id, expert_ids


def device_with_technologies(base_url, session):
    """Id of a device with at least one technology in use (the panel then has rows to show)."""
    devices = session.get(f"{base_url}/api/dcim/devices/?limit=20&depth=0", timeout=REQUEST_TIMEOUT).json()
    for device in devices["results"]:
        coverage = session.get(
            f"{base_url}{API}/coverage/objects/dcim.device/{device['id']}/", timeout=REQUEST_TIMEOUT
        ).json()
        if coverage.get("technologies"):
            return device["id"]
    raise SystemExit("None of the first devices uses a technology; load an estate first.")


def locust_command(args, base_url):
    """The headless, bounded Locust run: users, spawn rate and run time from the command line."""
    command = [
        sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE), "--host", base_url, "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
        # Requests under way when the time is up may finish (and be counted) for this long.
        "--stop-timeout", "30", "--only-summary", "--exit-code-on-error", "1",
    ]  # fmt: skip
    return command + (["--csv", str(args.csv)] if args.csv else [])


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent Locust users")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--run-time", default="60s", help="how long the users run, e.g. 60s, 2m")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--processes", type=int, default=4, help="uWSGI worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per uWSGI worker process")
    parser.add_argument(
        "--url",
        help="Load a server already running here instead of starting one; it must use the database that "
        "NAUTOBOT_DB_NAME names, where the loadtest user is created.",
    )
    parser.add_argument("--csv", type=Path, help="Also write Locust's statistics to CSV files with this prefix.")
    return parser.parse_args(argv)


def main(argv=None):
    """Prepare the user, start the server, run Locust, stop the server; exit with Locust's code (1 on any failure)."""
    args = parse_args(argv)
    password = secrets.token_urlsafe(16)
    token = prepare_user(password)
    server = None
    base_url = (args.url or f"http://127.0.0.1:{args.port}").rstrip("/")
    try:
        if not args.url:
            log_path = ROOT / "development" / ".local" / "loadtest-server.log"
            log_path.parent.mkdir(parents=True, exist_ok=True)
            print(f"==> starting uWSGI on {base_url} ({args.processes} processes x {args.threads} threads; log: "
                  f"{log_path.relative_to(ROOT)})", flush=True)  # fmt: skip
            server = start_server(args.port, args.processes, args.threads, log_path)
            wait_until_ready(base_url, server)
        device_id, expert_ids = load_targets(base_url, token)
        command = locust_command(args, base_url)
        print(f"==> {args.users} Locust users (spawn rate {args.spawn_rate}/s) for {args.run_time} against {base_url}",
              flush=True)  # fmt: skip
        env = {
            **os.environ,
            "LOADTEST_USERNAME": USERNAME,
            "LOADTEST_PASSWORD": password,
            "LOADTEST_TOKEN": token,
            "LOADTEST_DEVICE": device_id,
            "LOADTEST_EXPERTS": ",".join(expert_ids),
        }
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603
    finally:
        if server is not None:
            stop_server(server)


if __name__ == "__main__":
    sys.exit(main())
