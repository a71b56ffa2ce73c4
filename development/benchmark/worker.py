"""A real Celery worker for the propagation measurements, started and stopped by the benchmark itself.

`nautobot-server celery worker --concurrency 1` runs as a child process with the benchmark's own settings: the same
configuration file, database (NAUTOBOT_DB_NAME) and Redis broker, never eager. It is stopped when the block ends,
however it ends (an error, Ctrl-C, SIGTERM or SIGHUP of the benchmark); should the benchmark itself be killed, the
kernel sends the worker SIGTERM (Linux).
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from nautobot.core.celery import app

from development.benchmark.measure import MeasurementError

READY_SECONDS = 120  # the worker must answer a ping within this time of its start
STOP_SECONDS = 30  # a warm shutdown (SIGTERM) may take this long before the worker is killed
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


class CeleryWorker:
    """A context manager: a Celery worker of its own, ready when the block starts, gone when it ends."""

    def __init__(self, log_path, concurrency=1):
        """Remember where the worker's output goes (overwritten at each start)."""
        self.log_path = Path(log_path)
        self.concurrency = concurrency
        self.node = f"techmgmt-benchmark-{os.getpid()}@{os.uname().nodename}"
        self.process = None
        self._log = None
        self._handlers = {}

    def command(self):
        """The worker's command line."""
        server = Path(sys.executable).with_name("nautobot-server")
        return [
            str(server),
            "celery",
            "worker",
            "--concurrency",
            str(self.concurrency),
            "--loglevel",
            "WARNING",
            "--hostname",
            self.node,
        ]

    def environment(self):
        """The benchmark's environment, with the database and broker this process uses spelled out."""
        return {
            **os.environ,
            "NAUTOBOT_DB_NAME": connection.settings_dict["NAME"],
            "NAUTOBOT_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        }

    def __enter__(self):
        """Check that tasks would reach a worker, empty the broker's queue, start the worker, wait until it answers."""
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise MeasurementError("Celery runs tasks eagerly here (CELERY_TASK_ALWAYS_EAGER): no worker would get one")
        if settings.CELERY_BROKER_URL.startswith("memory://"):
            raise MeasurementError("the Celery broker is in memory: a worker process cannot share it")
        # Tasks left in the benchmark's own broker (a rebuild Job asked for by `migrate`, takings-in of a run that
        # stopped) would run in the middle of the measurements.
        app.control.purge()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        for number in (signal.SIGTERM, signal.SIGHUP):
            self._handlers[number] = signal.signal(number, _exit_on_signal)
        try:
            # pylint: disable-next=subprocess-popen-preexec-fn
            self.process = subprocess.Popen(  # noqa: S603  # our own virtualenv's nautobot-server
                self.command(),
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole, untouched by the terminal's Ctrl-C
                preexec_fn=_die_with_parent,  # noqa: PLW1509  # a prctl call only, and no other thread runs here
            )
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MeasurementError(
                    f"the Celery worker stopped at its start (exit {self.process.returncode}){self._tail()}"
                )
            if app.control.ping(destination=[self.node], timeout=1.0):
                return
        raise MeasurementError(f"the Celery worker did not answer within {READY_SECONDS} s{self._tail()}")

    def _tail(self, lines=15):
        self._log.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return ("; its last lines:\n" + "\n".join(text)) if text else ""

    def alive(self):
        """Whether the worker process is still running."""
        return self.process is not None and self.process.poll() is None

    def __exit__(self, *exc_info):
        """Stop the worker: a warm shutdown of its process group, killed if it takes longer than STOP_SECONDS."""
        try:
            if self.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(STOP_SECONDS)
        finally:
            for number, handler in self._handlers.items():
                signal.signal(number, handler)
            self._handlers = {}
            if self._log is not None:
                self._log.close()
        return False


def _exit_on_signal(number, frame):  # pylint: disable=unused-argument
    """Turn SIGTERM and SIGHUP into SystemExit, so that the worker is stopped on the way out."""
    raise SystemExit(128 + number)


def _die_with_parent():
    """In the child, before exec: ask the kernel for SIGTERM when the benchmark dies (Linux; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
