"""Find PostgreSQL and Redis for the development tasks, or start private instances of them.

A server counts as available when it answers its own protocol on the configured host and port. Otherwise, for a
host on this machine, a private instance is started from the binaries found here, with its data under
development/.local/, and the connection variables (NAUTOBOT_DB_PORT, ...) are written into the environment the
task hands to its commands (never into this process's own). Only instances started here are ever stopped.
"""

import glob
import hashlib
import os
import pwd
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from invoke.exceptions import Exit

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / "development" / ".local"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Where the private PostgreSQL lives when, running as root, its unprivileged user cannot write development/.local.
FALLBACK_PG_HOME = Path(tempfile.gettempdir()) / f"nautobot-techmgmt-{hashlib.sha256(bytes(ROOT)).hexdigest()[:12]}"


def say(message):
    """Print a progress line that stands out from the tools' own output."""
    print(f"==> {message}", flush=True)


def port_reachable(host, port, timeout=1.0):
    """Whether a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def server_answers(host, port, greeting, answers, timeout=2.0):
    """Whether host:port answers `greeting` with a reply starting with one of `answers` (a real server, not a proxy)."""
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            sock.sendall(greeting)
            return sock.recv(16).startswith(answers)
    except OSError:
        return False


def postgres_answers(host, port):
    """Whether a PostgreSQL server answers on host:port (it answers an SSLRequest with S or N)."""
    return server_answers(host, port, struct.pack("!ii", 8, 80877103), (b"S", b"N"))


def redis_answers(host, port):
    """Whether a Redis server answers PING on host:port (+PONG, or an error such as NOAUTH)."""
    return server_answers(host, port, b"PING\r\n", (b"+", b"-"))


def free_port(preferred):
    """`preferred` if nothing can be bound on it is already bound, else a free port chosen by the kernel."""
    for port in (int(preferred), 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise Exit("Could not find a free TCP port on 127.0.0.1.", code=1)


def wait_for_port(port, seconds, what):
    """Wait until 127.0.0.1:port accepts connections, or stop with a message naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_reachable("127.0.0.1", port, timeout=0.5):
            return
        time.sleep(0.2)
    raise Exit(f"{what} did not accept connections on 127.0.0.1:{port} within {seconds} s.", code=1)


def postgres_bindir():
    """Directory holding initdb and pg_ctl: $TECHMGMT_PG_BINDIR, else PATH, else /usr/lib/postgresql/*/bin."""
    if os.environ.get("TECHMGMT_PG_BINDIR"):
        candidates = [os.environ["TECHMGMT_PG_BINDIR"]]
    else:
        on_path = shutil.which("initdb")
        candidates = [str(Path(on_path).resolve().parent)] if on_path else []
        versions = glob.glob("/usr/lib/postgresql/*/bin")
        candidates += sorted(versions, key=lambda d: [int(p) for p in Path(d).parent.name.split(".") if p.isdigit()])[
            ::-1
        ]
    for directory in candidates:
        if all(os.access(os.path.join(directory, name), os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return Path(directory)
    return None


def postgres_identity():
    """Command prefix and user that run PostgreSQL: ourselves, or an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return [], pwd.getpwuid(os.geteuid())
    runuser = shutil.which("runuser")
    if runuser is None:
        raise Exit(
            "PostgreSQL refuses to run as root and `runuser` (util-linux) is not installed to run it as another "
            "user. Install util-linux, run ./run as an ordinary user, or point NAUTOBOT_DB_HOST/NAUTOBOT_DB_PORT "
            "at a running PostgreSQL.",
            code=1,
        )
    names = [os.environ["TECHMGMT_PG_USER"]] if os.environ.get("TECHMGMT_PG_USER") else ["postgres", "nobody"]
    for name in names:
        try:
            return [runuser, "-u", name, "--"], pwd.getpwnam(name)
        except KeyError:
            continue
    raise Exit(f"PostgreSQL refuses to run as root and none of the users {names} exists to run it.", code=1)


def postgres_home(prefix, user):
    """Folder for the private PostgreSQL, owned by `user`; under /tmp if `user` cannot reach development/.local."""
    home = LOCAL / "postgres"
    for attempt in (home, FALLBACK_PG_HOME):
        attempt.mkdir(parents=True, exist_ok=True)
        if prefix:
            os.chown(attempt, user.pw_uid, user.pw_gid)
        if subprocess.run([*prefix, "test", "-w", str(attempt)], check=False).returncode == 0:  # noqa: S603
            if attempt != home:
                say(f"user {user.pw_name} cannot write {home}; the private PostgreSQL lives in {attempt}")
            return attempt
    raise Exit(f"User {user.pw_name} can write neither {home} nor /tmp for the private PostgreSQL.", code=1)


def start_private_postgres(port, stops):
    """Start (after initdb if needed) a private PostgreSQL and add its stop to the list `stops`; return its port.

    One that an earlier run left up is used and left up.
    """
    bindir = postgres_bindir()
    if bindir is None:
        raise Exit(
            f"No PostgreSQL answers on 127.0.0.1:{port} and no PostgreSQL server binaries (initdb, pg_ctl, "
            "postgres) were found on PATH, in /usr/lib/postgresql/*/bin or in $TECHMGMT_PG_BINDIR. Either install "
            "them (Debian/Ubuntu: `apt-get install postgresql`) or point NAUTOBOT_DB_HOST, NAUTOBOT_DB_PORT, "
            "NAUTOBOT_DB_USER and NAUTOBOT_DB_PASSWORD at a running PostgreSQL.",
            code=1,
        )
    prefix, user = postgres_identity()
    home = postgres_home(prefix, user)
    data = home / "data"
    pg_ctl = str(bindir / "pg_ctl")

    def as_owner(*args, **kwargs):
        return subprocess.run([*prefix, *map(str, args)], cwd=home, check=False, **kwargs)  # noqa: S603

    if not (data / "PG_VERSION").exists():
        say(f"initialising a private PostgreSQL cluster in {data} (user {user.pw_name})")
        init = as_owner(
            bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
            capture_output=True, text=True,
        )  # fmt: skip
        if init.returncode:
            raise Exit(f"initdb failed:\n{init.stdout}{init.stderr}", code=1)
    if as_owner(pg_ctl, "status", "-D", data, capture_output=True).returncode == 0:
        running_port = int((data / "postmaster.pid").read_text().splitlines()[3])
        say(f"private PostgreSQL from an earlier run is up on 127.0.0.1:{running_port}; using it and leaving it up")
        return running_port
    port = free_port(port)
    # Development data only: durability is traded for speed, and no unix socket clashes with a system server.
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
    options += " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"

    def stop():
        say("stopping the private PostgreSQL")
        as_owner(pg_ctl, "stop", "-D", data, "-m", "fast", "-w", capture_output=True)

    stops.append(stop)  # before the start, so that an interruption while it starts still stops it

    say(f"starting a private PostgreSQL on 127.0.0.1:{port} (log: {home / 'postgres.log'})")
    started = as_owner(pg_ctl, "start", "-w", "-t", "60", "-D", data, "-l", home / "postgres.log", "-o", options)
    if started.returncode:
        raise Exit(f"pg_ctl start failed; see {home / 'postgres.log'}", code=1)
    wait_for_port(port, 30, "The private PostgreSQL")
    return port


def start_private_redis(port, stops):
    """Start a private Redis and add its stop to the list `stops`; return its port.

    One that an earlier run left up is used and left up.
    """
    server = shutil.which("redis-server")
    if server is None:
        raise Exit(
            f"No Redis answers on 127.0.0.1:{port} and `redis-server` was not found on PATH. Either install "
            "it (Debian/Ubuntu: `apt-get install redis-server`) or point NAUTOBOT_REDIS_HOST and NAUTOBOT_REDIS_PORT "
            "(and NAUTOBOT_REDIS_PASSWORD if needed) at a running Redis.",
            code=1,
        )
    home = LOCAL / "redis"
    home.mkdir(parents=True, exist_ok=True)
    pidfile, portfile = home / "redis.pid", home / "redis.port"
    if pidfile.exists() and portfile.exists():
        old_port = int(portfile.read_text())
        if process_alive(int(pidfile.read_text())) and redis_answers("127.0.0.1", old_port):
            say(f"private Redis from an earlier run is up on 127.0.0.1:{old_port}; using it and leaving it up")
            return old_port
    port = free_port(port)
    pidfile.unlink(missing_ok=True)  # the process a stale one names may be anybody's by now

    def stop():
        say("stopping the private Redis")
        if pidfile.exists():
            terminate(int(pidfile.read_text()))

    stops.append(stop)  # before the start, so that an interruption while it starts still stops it

    say(f"starting a private Redis on 127.0.0.1:{port} (log: {home / 'redis.log'})")
    # redis-server 7 needs its arguments as given; "--save ''" keeps nothing on disk.
    subprocess.run(  # noqa: S603
        [server, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes", "--pidfile", str(pidfile),
         "--dir", str(home), "--save", "", "--appendonly", "no", "--logfile", str(home / "redis.log")],
        check=True,
    )  # fmt: skip
    portfile.write_text(str(port))
    wait_for_port(port, 15, "The private Redis")
    return port


def process_alive(pid):
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminate(pid, seconds=20):
    """Send SIGTERM to a process we started and wait for it to go; SIGKILL it after `seconds`."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if process_alive(pid):
        os.kill(pid, signal.SIGKILL)


def setting(env, name, default=None):
    """A connection setting: from the commands' environment `env`, else from this process's environment."""
    return env.get(name, os.environ.get(name, default))


def ensure_database_server(env, stops):
    """Use the configured database server, or start a private PostgreSQL whose stop is added to the list `stops`."""
    engine = setting(env, "NAUTOBOT_DB_ENGINE", "django.db.backends.postgresql")
    is_mysql = "mysql" in engine
    host = env["NAUTOBOT_DB_HOST"] = setting(env, "NAUTOBOT_DB_HOST", "127.0.0.1")
    port = int(setting(env, "NAUTOBOT_DB_PORT", "3306" if is_mysql else "5432"))
    env["NAUTOBOT_DB_PORT"] = str(port)
    if port_reachable(host, port) if is_mysql else postgres_answers(host, port):
        say(f"{'MySQL/MariaDB' if is_mysql else 'PostgreSQL'} answers on {host}:{port}")
        return
    if is_mysql or host not in LOCAL_HOSTS:
        raise Exit(
            f"No database server answers on {host}:{port} ({engine}). Start it, or fix NAUTOBOT_DB_HOST / "
            "NAUTOBOT_DB_PORT. (A private server is started automatically only for PostgreSQL on this machine.)",
            code=1,
        )
    port = start_private_postgres(port, stops)
    env.update(NAUTOBOT_DB_HOST="127.0.0.1", NAUTOBOT_DB_PORT=str(port), NAUTOBOT_DB_USER="postgres")
    env["NAUTOBOT_DB_PASSWORD"] = setting(env, "NAUTOBOT_DB_PASSWORD", "")


def ensure_redis(env, stops):
    """Use the configured Redis, or start a private one whose stop is added to the list `stops`."""
    host = env["NAUTOBOT_REDIS_HOST"] = setting(env, "NAUTOBOT_REDIS_HOST", "127.0.0.1")
    port = int(setting(env, "NAUTOBOT_REDIS_PORT", "6379"))
    env["NAUTOBOT_REDIS_PORT"] = str(port)
    if redis_answers(host, port):
        say(f"Redis answers on {host}:{port}")
        return
    if host not in LOCAL_HOSTS:
        raise Exit(f"No Redis answers on {host}:{port}. Start it, or fix NAUTOBOT_REDIS_HOST / _PORT.", code=1)
    port = start_private_redis(port, stops)
    env.update(NAUTOBOT_REDIS_HOST="127.0.0.1", NAUTOBOT_REDIS_PORT=str(port))


@contextmanager
def running_services(env):
    """Make PostgreSQL and Redis available to the commands run with `env` (a dict updated with where they answer).

    Stops on exit only what was started here.

    However the block ends (an error, Ctrl-C, a service that failed to start), every private service started here
    is stopped, even if stopping another one failed. Yields the number of private services started by this call.
    """
    stops = []
    try:
        for ensure in (ensure_database_server, ensure_redis):
            ensure(env, stops)
        yield len(stops)
    finally:
        with ExitStack() as stack:  # runs every stop, last started first, and then raises what any of them raised
            for stop in stops:
                stack.callback(stop)


def service_exports(env):
    """Shell `export` line for the connection settings the commands run with `env` use."""
    names = ("NAUTOBOT_CONFIG", "NAUTOBOT_DB_HOST", "NAUTOBOT_DB_PORT", "NAUTOBOT_REDIS_HOST", "NAUTOBOT_REDIS_PORT")
    values = {name: setting(env, name) for name in names}
    return "export " + " ".join(f"{name}={shlex.quote(value)}" for name, value in values.items() if value is not None)


def create_database_if_missing(env):
    """Create the NAUTOBOT_DB_NAME database (of the commands run with `env`) on PostgreSQL if it does not exist yet."""
    name = setting(env, "NAUTOBOT_DB_NAME", "nautobot_techmgmt")
    if "mysql" in setting(env, "NAUTOBOT_DB_ENGINE", ""):
        say(f"MySQL/MariaDB: make sure the database {name} exists (CREATE DATABASE {name} CHARACTER SET utf8mb4)")
        return
    import psycopg2  # pylint: disable=import-outside-toplevel
    from psycopg2 import sql  # pylint: disable=import-outside-toplevel

    connection = psycopg2.connect(
        dbname="postgres",
        host=setting(env, "NAUTOBOT_DB_HOST"),
        port=setting(env, "NAUTOBOT_DB_PORT"),
        user=setting(env, "NAUTOBOT_DB_USER", "postgres"),
        password=setting(env, "NAUTOBOT_DB_PASSWORD", ""),
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return
            say(f"creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def stop_leftover_services():
    """Stop private services recorded under development/.local (started by an earlier, interrupted run)."""
    redis_pid = LOCAL / "redis" / "redis.pid"
    if redis_pid.exists() and process_alive(int(redis_pid.read_text())):
        say("stopping the private Redis")
        terminate(int(redis_pid.read_text()))
    bindir = postgres_bindir()
    if bindir is None:
        return
    prefix, user = postgres_identity()
    for home in (LOCAL / "postgres", FALLBACK_PG_HOME):
        if (home / "data" / "postmaster.pid").exists():
            say(f"stopping the private PostgreSQL in {home} (user {user.pw_name})")
            subprocess.run(  # noqa: S603
                [*prefix, str(bindir / "pg_ctl"), "stop", "-D", str(home / "data"), "-m", "fast", "-w"],
                cwd=home,
                check=False,
            )
