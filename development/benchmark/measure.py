"""Timing and SQL query counting of one measurement: warm call, then several measured runs."""

import re
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A measurement whose first call takes longer than this is run fewer times (see Measurement.runs_when_slow).
SLOW_SECONDS = 20.0
# Seconds between profiler samples: fine enough for calls of a few milliseconds.
PROFILE_INTERVAL = 0.0001


class MeasurementError(RuntimeError):
    """A measured call failed: an exception, a response other than 200, or an answer that is not what it should be."""


@dataclass
class Measurement:  # pylint: disable=too-many-instance-attributes  # its options, all with defaults
    """One thing to time: a call, optionally inside a set-up (a context manager factory)."""

    name: str
    call: Callable[[], object]
    setup: Callable[[], object] = nullcontext
    warm: bool = True  # one unmeasured call first, so caches are as in a running server
    max_runs: int = None  # at most this many measured runs, whatever the benchmark's default
    runs_when_slow: int = 3  # at most this many runs when the first call took longer than SLOW_SECONDS
    details: Callable[[object], dict] = None  # extra figures of the row, from what the last run returned
    aliases: tuple = ()  # earlier names of the measurement: still accepted by --only, still written to the results


@dataclass
class Result:
    """Seconds and SQL query counts of the measured runs."""

    name: str
    seconds: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def as_dict(self):
        """The JSON shape: name, median, min, max (seconds), queries (the most any run made), runs, any details."""
        return {
            "name": self.name,
            "median_s": round(statistics.median(self.seconds), 4),
            "min_s": round(min(self.seconds), 4),
            "max_s": round(max(self.seconds), 4),
            "queries": max(self.queries),
            "runs": len(self.seconds),
            **self.details,
        }


def timed_call(call):
    """Run a call once; return (seconds, number of SQL queries, what the call returned).

    Django keeps the last 9,000 queries: once that log is full, a capture that counts by its length sees none, so it
    is emptied first (a call of more than 9,000 queries, such as the full rebuild, still counts 9,000).
    """
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        returned = call()
        seconds = time.perf_counter() - started
    return seconds, len(captured.captured_queries), returned


def measure(measurement, default_runs):
    """Run a measurement: warm call (unless disabled), then its runs; a failing call raises MeasurementError."""
    runs = min(default_runs, measurement.max_runs or default_runs)
    result = Result(measurement.name)
    try:
        with measurement.setup():
            first = None
            if measurement.warm:
                first, _, _ = timed_call(measurement.call)
            while len(result.seconds) < runs:
                seconds, queries, returned = timed_call(measurement.call)
                result.seconds.append(seconds)
                result.queries.append(queries)
                first = seconds if first is None else first
                if first > SLOW_SECONDS:
                    runs = min(runs, measurement.runs_when_slow)
            if measurement.details is not None:
                result.details = measurement.details(returned)
    except MeasurementError:
        raise
    except Exception as error:
        raise MeasurementError(f"{measurement.name}: {type(error).__name__}: {error}") from error
    return result


def slug(name):
    """A file-name friendly form of a measurement name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def profiler():
    """A pyinstrument profiler, not started."""
    from pyinstrument import Profiler  # pylint: disable=import-outside-toplevel  # a development tool only

    return Profiler(interval=PROFILE_INTERVAL)


def write_profile(stopped, name, directory):
    """Write a stopped profiler's HTML and text reports for a measurement name; return their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    html = directory / f"profile-{slug(name)}.html"
    text = directory / f"profile-{slug(name)}.txt"
    html.write_text(stopped.output_html(), encoding="utf-8")
    text.write_text(stopped.output_text(unicode=True, show_all=False), encoding="utf-8")
    return html, text


def profile(measurement, directory):
    """Profile one call of a measurement with pyinstrument; write HTML and text reports; return their paths."""
    sampling = profiler()
    with measurement.setup():
        if measurement.warm:
            measurement.call()
        sampling.start()
        try:
            measurement.call()
        finally:
            sampling.stop()
    return write_profile(sampling, measurement.name, directory)
