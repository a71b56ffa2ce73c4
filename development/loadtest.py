"""Bounded load test of the app's knowledge surfaces on a production-like server.

`./run loadtest` runs `python -m development.loadtest`: it starts Nautobot under uWSGI (`nautobot-server start`) on
127.0.0.1 against an existing database (by default the small benchmark estate, `./run benchmark --scale small`),
then N clients (threads, each with its own HTTP session) call the REST endpoints of the knowledge engine with an API
token and open a device page with the Technical management panel in a logged-in session, for a fixed time.
It prints, per endpoint, the number of requests, errors, median and 95th percentile latency; any error fails it.

The user `loadtest` (superuser, with an API token) is created or updated in the database; nothing else is written.
"""

import argparse
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
USERNAME = "loadtest"
API = "/api/plugins/techmgmt"
# The Technical management panel on a detail page.
PANEL_MARKER = 'id="technical-management"'
REQUEST_TIMEOUT = 300


@dataclass
class Endpoint:
    """One request of the mix: a name for the report, the method, the path and, for POST, the JSON body."""

    name: str
    method: str
    path: str
    body: dict | None = None
    api: bool = True


@dataclass
class Tally:
    """Latencies (seconds) and errors of one endpoint."""

    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


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


def browser_session(base_url, password):
    """An HTTP session logged in through the login form, as a browser is."""
    session = requests.Session()
    page = session.get(f"{base_url}/login/", timeout=REQUEST_TIMEOUT)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not csrf:
        raise SystemExit("No CSRF token on the login page.")
    answer = session.post(
        f"{base_url}/login/",
        data={"csrfmiddlewaretoken": csrf.group(1), "username": USERNAME, "password": password, "next": "/"},
        headers={"Referer": f"{base_url}/login/"},
        timeout=REQUEST_TIMEOUT,
    )
    if answer.status_code != 200 or "sessionid" not in session.cookies:
        raise SystemExit(f"Logging in as {USERNAME} failed (HTTP {answer.status_code}).")
    return session


def request_mix(base_url, token):
    """The endpoints to load: the knowledge API, one device's coverage and that device's page with the panel."""
    session = api_session(token)
    device_id = device_with_technologies(base_url, session)
    experts = session.get(f"{base_url}{API}/experts/?limit=2&status=Active", timeout=REQUEST_TIMEOUT).json()
    expert_ids = [row["id"] for row in experts["results"]]
    if not expert_ids:
        raise SystemExit("The database holds no active expert; load an estate first (./run benchmark --scale small).")
    return [
        Endpoint("coverage/technologies/", "GET", f"{API}/coverage/technologies/"),
        Endpoint("gaps/", "GET", f"{API}/gaps/"),
        Endpoint("what-if/", "POST", f"{API}/what-if/", {"experts": expert_ids}),
        Endpoint("truck-factor/", "GET", f"{API}/truck-factor/"),
        Endpoint("coverage/objects/dcim.device/", "GET", f"{API}/coverage/objects/dcim.device/{device_id}/"),
        Endpoint("device page with panel", "GET", f"/dcim/devices/{device_id}/", api=False),
    ]


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


def call(session, base_url, endpoint):
    """Make one request; return (seconds, error message or None)."""
    started = time.perf_counter()
    try:
        answer = session.request(
            endpoint.method, f"{base_url}{endpoint.path}", json=endpoint.body, timeout=REQUEST_TIMEOUT
        )
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            return elapsed, f"HTTP {answer.status_code}"
        if not endpoint.api and PANEL_MARKER not in answer.text:
            return elapsed, "page without the Technical management panel"
        return elapsed, None
    except requests.RequestException as error:
        return time.perf_counter() - started, type(error).__name__


def client(base_url, sessions, mix, stop_at, tallies, lock):
    """One client: the whole mix in a shuffled order, again and again, until the time is up."""
    api, browser = sessions
    order = list(mix)
    while time.monotonic() < stop_at:
        random.shuffle(order)
        for endpoint in order:
            if time.monotonic() >= stop_at:
                break
            elapsed, error = call(api if endpoint.api else browser, base_url, endpoint)
            with lock:
                tally = tallies[endpoint.name]
                tally.latencies.append(elapsed)
                if error:
                    tally.errors.append(error)


def run_load(base_url, token, password, clients, seconds):
    """Warm up, then run `clients` concurrent clients for `seconds`; return ({name: Tally}, wall seconds)."""
    mix = request_mix(base_url, token)
    warm = [(api_session(token), browser_session(base_url, password))]
    for endpoint in mix:
        _, error = call(warm[0][0] if endpoint.api else warm[0][1], base_url, endpoint)
        if error:
            raise SystemExit(f"Warm-up request to {endpoint.name} failed: {error}")
    sessions = [(api_session(token), browser_session(base_url, password)) for _ in range(clients)]
    tallies = {endpoint.name: Tally() for endpoint in mix}
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [
        threading.Thread(target=client, args=(base_url, pair, mix, stop_at, tallies, lock), daemon=True)
        for pair in sessions
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tallies, time.monotonic() - started


def report(tallies, wall_seconds, clients):
    """Rows of the result table, and the text of it."""
    rows = []
    for name, tally in tallies.items():
        latencies = tally.latencies or [0.0]
        rows.append(
            {
                "endpoint": name,
                "requests": len(tally.latencies),
                "errors": len(tally.errors),
                "median_ms": round(statistics.median(latencies) * 1000),
                "p95_ms": round(percentile(latencies, 0.95) * 1000),
                "error_kinds": sorted(set(tally.errors)),
            }
        )
    total = sum(row["requests"] for row in rows)
    lines = [
        f"{clients} clients for {wall_seconds:.0f} s: {total} requests ({total / wall_seconds:.1f}/s), "
        f"{sum(row['errors'] for row in rows)} errors",
        f"{'endpoint':32} {'requests':>8} {'errors':>6} {'median ms':>10} {'p95 ms':>8}",
    ]
    lines += [
        f"{row['endpoint']:32} {row['requests']:>8} {row['errors']:>6} {row['median_ms']:>10} {row['p95_ms']:>8}"
        for row in rows
    ]
    lines += [f"  {row['endpoint']}: {', '.join(row['error_kinds'])}" for row in rows if row["errors"]]
    return rows, "\n".join(lines)


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--processes", type=int, default=4, help="uWSGI worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per uWSGI worker process")
    parser.add_argument(
        "--url",
        help="Load a server already running here instead of starting one; it must use the database that "
        "NAUTOBOT_DB_NAME names, where the loadtest user is created.",
    )
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    return parser.parse_args(argv)


def main(argv=None):
    """Prepare the user, start the server, load it, report; exit 1 on any error."""
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
        print(f"==> {args.clients} clients for {args.seconds} s against {base_url}", flush=True)
        tallies, wall_seconds = run_load(base_url, token, password, args.clients, args.seconds)
    finally:
        if server is not None:
            stop_server(server)
    rows, text = report(tallies, wall_seconds, args.clients)
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"clients": args.clients, "seconds": wall_seconds, "endpoints": rows}, indent=2)
        )
    return 1 if any(row["errors"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
