"""How fast committed changes reach the knowledge state: from the commit until the state shows them.

Each measurement changes the estate as a user, a sync Job or an import does (the ORM, one transaction per change)
and times from the moment the transaction commits (a commit callback registered before the change) until the state
shows the change: no `PendingChange` left and the expected rows or values present, polled every POLL_SECONDS. What
is expected is worked out inside the change's transaction, before it commits, with the app's own scope matching and
custodian resolution, so that the poll only compares plain values. Every change is undone afterwards (untimed), and
the state must come back to what it was: the run ends by comparing it with the state before the first change.

Modes: "inline" keeps the app's settings (the committing process takes in up to `inline_propagation_limit`
changes itself); "worker" sets the limit to 0, so that every change goes to the Celery worker. A rule change (a
custodian responsibility on a location) and a large import go to the worker in either mode: they are measured once.
"""

import itertools
import math
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from development.benchmark.changes import (
    DeviceImport,
    Invisible,
    ScopeOnLocation,
    compare_states,
    custodian_changes,
    locations_near,
    platform_moves,
    skill_raises,
    state_digest,
)
from development.benchmark.measure import SLOW_SECONDS, MeasurementError, profiler, write_profile
from nautobot_techmgmt.knowledge import state
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.models import PendingChange

POLL_SECONDS = 0.02
LOCATIONS_TRIED, TEAMS_TRIED = 5, 3  # bounds of the search for a custodian responsibility that changes rows
SLOW_SAMPLES = 3  # timed changes of a measurement once one took longer than SLOW_SECONDS
# Bounds of every wait (seconds): a change that the state has not shown by then counts as never shown.
TIMEOUTS = {"edit": 60, "rule": 300, "import": 600, "stream": 300, "settle": 600}


@dataclass(frozen=True)
class Plan:
    """How much the propagation measurements do: the design's figures by default (the test asks for less)."""

    edits: int = 20  # timed device edits, and timed skill edits, per mode
    location_devices: int = 10_000  # the custodian goes on the location subtree with the nearest number of devices
    import_devices: int = 1_000  # devices created in one transaction
    stream_rate: float = 10.0  # device edits per second, each in its own transaction
    stream_seconds: float = 60.0

    @property
    def stream_edits(self):
        """Edits the stream makes."""
        return round(self.stream_rate * self.stream_seconds)


@dataclass
class Sample:
    """One timed change."""

    seconds: float  # commit to visible, or the time waited when it never became visible
    visible: bool
    queries: int = None  # the committing process: the change, its commit and, inline, taking it in
    blocked: float = 0.0  # how long the commit held the committing process (inline: taking the change in)
    change: object = None


@dataclass(frozen=True)
class ChangeMeasurement:
    """A propagation measurement: a name (as --only and --profile take it), a mode and what it runs."""

    name: str
    mode: str  # "inline", "worker" or "default" (the app's settings; the change goes to the worker anyway)
    run: Callable[[], dict]
    aliases: tuple = ()


def nearest_rank(sorted_values, percent):
    """The nearest-rank percentile of sorted values."""
    return sorted_values[max(0, math.ceil(percent / 100 * len(sorted_values)) - 1)]


# ------------------------------------------------------------------------------------------------ measuring


class Subjects:
    """What the changes are made to, chosen once from the estate as generated (before any change)."""

    def __init__(self, plan):
        """Remember the plan; nothing is read until asked."""
        self.plan = plan
        self._found = {}

    def _once(self, name, find):
        if name not in self._found:
            self._found[name] = find()
        return self._found[name]

    @property
    def moves(self):
        """Device moves for the timed edits (many may not change the state: ten times as many) and the stream."""
        wanted = max(10 * self.plan.edits, math.ceil(self.plan.stream_edits / 2))
        moves = self._once("moves", lambda: platform_moves(wanted))
        if not moves:
            raise MeasurementError("no device can move to a platform that a technology scope matches")
        return moves

    @property
    def skills(self):
        """Skill raises for the timed skill edits."""
        skills = self._once("skills", lambda: skill_raises(self.plan.edits * 2))
        if not skills:
            raise MeasurementError("no skill of an active expert is below its technology's qualified level")
        return skills

    @property
    def locations(self):
        """Up to LOCATIONS_TRIED (location, subtree ids, devices beneath) for the custodian responsibility."""
        found = self._once(
            "locations", lambda: list(itertools.islice(locations_near(self.plan.location_devices), LOCATIONS_TRIED))
        )
        return found

    def custodian_changes(self):
        """Custodian responsibilities to try, on each location, nearest first."""
        for location, subtree, devices in self.locations:
            for change in custodian_changes(location, subtree, TEAMS_TRIED):
                yield change, devices

    def scope_changes(self):
        """Technology scopes to try on the locations nearest the wanted size, whatever their custodians."""
        for location, subtree, devices in itertools.islice(
            locations_near(self.plan.location_devices, custodian_can_change=False), LOCATIONS_TRIED
        ):
            yield ScopeOnLocation(location, subtree), devices


class Changes:
    """The propagation measurements, made against the estate in the current database.

    Args:
        plan: how much each measurement does.
        commit: the context manager each change runs in (a transaction; the test wraps it to run commit callbacks).
        worker: a context manager that runs a Celery worker while the measurements run (None: Celery must run
            eagerly, as in the test, where a commit takes everything in at once).
        say: where progress lines go.
    """

    def __init__(self, plan=None, commit=transaction.atomic, worker=None, say=print):
        """Remember how to measure; nothing is read until a measurement runs."""
        self.plan, self.commit, self.worker, self.say = plan or Plan(), commit, worker, say
        self.subjects = Subjects(self.plan)
        self.undo_failures = []

    def measurements(self):
        """Every propagation measurement, in the order they run."""
        return [
            ChangeMeasurement("device edit inline", "inline", self.device_edits),
            ChangeMeasurement("device edit worker", "worker", self.device_edits),
            ChangeMeasurement("skill edit inline", "inline", self.skill_edits),
            ChangeMeasurement("skill edit worker", "worker", self.skill_edits),
            ChangeMeasurement("custodian on a location", "default", self.custodian_on_location),
            ChangeMeasurement("device import", "default", self.device_import),
            ChangeMeasurement("edit stream inline", "inline", self.edit_stream),
            ChangeMeasurement("edit stream worker", "worker", self.edit_stream),
        ]

    def run(self, chosen, profile_of=None, profile_directory=None):
        """Profile one (before the worker starts), then measure the chosen ones with the worker running.

        Returns (result rows, state check, profile paths or None).
        """
        if self.worker is None and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise MeasurementError("propagation measurements need a Celery worker (or Celery running eagerly)")
        profiled = self.profile(profile_of, profile_directory) if profile_of is not None else None
        rows = []
        check = None
        if chosen:
            with self.worker if self.worker is not None else nullcontext():
                self.settle()
                before = state_digest()
                for measurement in chosen:
                    with self.mode(measurement.mode):
                        row = {"name": measurement.name, "mode": measurement.mode, **measurement.run()}
                    rows.append(row)
                    self.say(
                        f"  {row['name']:<28} p50 {row['p50_s']:8.3f} s  p95 {row['p95_s']:8.3f} s"
                        + (f"  ({row['incomplete']} never shown)" if row["incomplete"] else "")
                    )
                self.settle()
                differences, count = compare_states(before, state_digest())
                check = {"same": not count and not self.undo_failures, "differing": count}
                check.update({"differences": differences, "undo_failures": self.undo_failures})
        return rows, check, profiled

    @contextmanager
    def mode(self, mode):
        """The app's settings ("inline", "default") or every change to the worker ("worker")."""
        if mode != "worker":
            yield
            return
        plugins = {**settings.PLUGINS_CONFIG}
        plugins["nautobot_techmgmt"] = {**plugins.get("nautobot_techmgmt", {}), "inline_propagation_limit": 0}
        with override_settings(PLUGINS_CONFIG=plugins):
            yield

    # --- primitives ---

    def committed(self, change, count_queries=True):
        """Make a change in its own transaction; returns (perf_counter at its commit, queries, seconds blocked, check).

        The commit callback that takes the time is registered before the change, so it runs before the app's. The
        queries (None when not counted: an import makes more than Django keeps a record of) leave out those that
        work out what to expect.
        """
        marks = []
        counting = CaptureQueriesContext(connection) if count_queries else nullcontext([])
        with counting as everything:
            with self.commit():
                transaction.on_commit(lambda: marks.append(time.perf_counter()))
                change.make()
                with CaptureQueriesContext(connection) if count_queries else nullcontext([]) as expecting:
                    visible = change.expect()
            returned = time.perf_counter()
        if not marks:
            raise MeasurementError("a change's transaction did not run its commit callbacks")
        queries = len(everything) - len(expecting) if count_queries else None
        return marks[0], queries, returned - marks[0], visible

    def wait(self, visible, timeout):
        """Poll until no change is pending and `visible()` holds; returns perf_counter then, or None after timeout."""
        deadline = time.perf_counter() + timeout
        while True:
            if not PendingChange.objects.exists() and visible():
                return time.perf_counter()
            if self.worker is not None and not self.worker.alive():
                raise MeasurementError("the Celery worker stopped during the measurements")
            if time.perf_counter() > deadline:
                return None
            time.sleep(POLL_SECONDS)

    def settle(self):
        """Wait until nothing is pending (changes of an earlier run or an undo); stop when it never happens."""
        if self.wait(lambda: True, TIMEOUTS["settle"]) is None:
            raise MeasurementError(
                f"{PendingChange.objects.count()} changes still pending after {TIMEOUTS['settle']} s: "
                "the knowledge state does not take them in"
            )

    def undo(self, change, timeout):
        """Undo a change in its own transaction and wait until the state shows it (untimed)."""
        with self.commit():
            visible = change.undo()
        if self.wait(visible, timeout) is None:
            self.undo_failures.append(f"{type(change).__name__}: the undo was not shown within {timeout} s")
            self.settle()

    def sample(self, change, timeout, count_queries=True):
        """Time one change from its commit until the state shows it, then undo it; raises Invisible (rolled back)."""
        committed, queries, blocked, visible = self.committed(change, count_queries)
        try:
            seen = self.wait(visible, timeout)
            ended = seen if seen is not None else time.perf_counter()
            return Sample(ended - committed, seen is not None, queries, blocked, change)
        finally:
            self.undo(change, timeout)

    def samples(self, changes, number, timeout):
        """Time up to `number` changes, skipping those that would not show; raises when none would.

        Bounded like the reads: after a change slower than SLOW_SECONDS at most SLOW_SAMPLES in all, and none after
        a change that was never shown.
        """
        samples = []
        for change in changes:
            if len(samples) >= number:
                break
            try:
                sample = self.sample(change, timeout)
            except Invisible:
                continue
            samples.append(sample)
            if not sample.visible:
                break
            if sample.seconds > SLOW_SECONDS:
                number = min(number, SLOW_SAMPLES)
        if not samples:
            raise MeasurementError(f"none of {len(changes)} candidate changes would change the knowledge state")
        return samples

    @staticmethod
    def row(samples, **details):
        """Result row of timed samples: p50, p95, min, max seconds, counts, queries and details."""
        seconds = sorted(sample.seconds for sample in samples)
        queries = [sample.queries for sample in samples if sample.queries is not None]
        return {
            "p50_s": round(nearest_rank(seconds, 50), 4),
            "p95_s": round(nearest_rank(seconds, 95), 4),
            "min_s": round(seconds[0], 4),
            "max_s": round(seconds[-1], 4),
            "samples": len(samples),
            "incomplete": sum(1 for sample in samples if not sample.visible),
            "queries": max(queries) if queries else None,
            "blocked_p95_s": round(nearest_rank(sorted(sample.blocked for sample in samples), 95), 4),
            **details,
        }

    # --- the measurements ---

    def device_edits(self):
        """One device moved to another platform, `plan.edits` times (distinct devices; see changes.platform_moves)."""
        samples = self.samples(self.subjects.moves, self.plan.edits, TIMEOUTS["edit"])
        return self.row(
            samples,
            inline_limit=app_setting("inline_propagation_limit"),
            onto_scoped_platform=sum(1 for sample in samples if sample.change.onto),
        )

    def skill_edits(self):
        """One skill raised to its technology's qualified level, `plan.edits` times."""
        samples = self.samples(self.subjects.skills, self.plan.edits, TIMEOUTS["edit"])
        return self.row(samples, inline_limit=app_setting("inline_propagation_limit"))

    def custodian_on_location(self):
        """A custodian responsibility on the location subtree nearest `plan.location_devices` devices.

        A location where it would change no row (every row has a custodian that wins over it: more specific, or at
        the same location and first by name) is passed over for the next nearest. Where no location has such a row,
        a technology scope on the location is measured instead (the row says which rule it measured).
        """
        rules = (
            ("custodian responsibility", self.subjects.custodian_changes),
            ("technology scope", self.subjects.scope_changes),
        )
        for rule, changes in rules:
            for change, devices in changes():
                try:
                    sample = self.sample(change, TIMEOUTS["rule"])
                except Invisible:
                    continue
                return self.row(
                    [sample],
                    rule=rule,
                    location=str(change.location),
                    technology=str(change.technology or "every technology"),
                    devices=devices,
                    rows=change.rows,
                    rows_changed=change.expected,
                )
        raise MeasurementError("no custodian responsibility or technology scope on a location near the wanted size")

    def device_import(self):
        """`plan.import_devices` new devices created in one transaction."""
        change = DeviceImport(self.plan.import_devices)
        try:
            sample = self.sample(change, TIMEOUTS["import"], count_queries=False)
        except Invisible as error:
            raise MeasurementError("no scope matches the imported devices") from error
        return self.row(
            [sample],
            devices=self.plan.import_devices,
            rows=change.expected,
            transaction_s=round(change.seconds, 4),
        )

    def edit_stream(self):
        """Device edits at `plan.stream_rate` a second for `plan.stream_seconds`, each its own transaction.

        Times the last commit until nothing is pending; records the largest backlog seen after an edit.
        """
        edits, rate = self.plan.stream_edits, self.plan.stream_rate
        moves = self.subjects.moves[: math.ceil(edits / 2)]  # each device there and back
        backlog, blocked = 0, []
        last = None
        started = time.perf_counter()
        try:
            for index in range(edits):
                delay = started + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                marks = []
                with self.commit():
                    transaction.on_commit(lambda marks=marks: marks.append(time.perf_counter()))
                    moves[index % len(moves)].toggle()
                last = marks[0]
                blocked.append(time.perf_counter() - last)
                backlog = max(backlog, PendingChange.objects.count())
            seen = self.wait(lambda: True, TIMEOUTS["stream"])
            drained = (seen if seen is not None else time.perf_counter()) - last
        finally:
            for move in moves:
                self.undo(move, TIMEOUTS["edit"])
        return self.row(
            [Sample(drained, seen is not None, blocked=nearest_rank(sorted(blocked), 95))],
            edits=edits,
            edits_per_s=round(edits / (last - started), 2) if last > started else None,
            backlog_max=backlog,
        )

    # --- profiling ---

    def profile(self, measurement, directory):
        """Profile one change of a measurement, from its commit until it is taken in, in this process.

        Runs before the worker starts: what the commit leaves to a worker is taken in here (`state.drain()`), so the
        profile shows the work wherever it would run. The change is undone afterwards.
        """
        change = {
            "device edit": lambda: self.subjects.moves,
            "skill edit": lambda: self.subjects.skills,
            "custodian on a location": lambda: (
                change
                for change, _ in itertools.chain(self.subjects.custodian_changes(), self.subjects.scope_changes())
            ),
            "device import": lambda: [DeviceImport(self.plan.import_devices)],
            "edit stream": lambda: self.subjects.moves,
        }
        kind = next(key for key in change if measurement.name.startswith(key))
        sampling = profiler()
        with self.mode(measurement.mode):
            for candidate in change[kind]():
                try:
                    with self.commit():
                        candidate.make()
                        candidate.expect()
                        sampling.start()
                except Invisible:
                    continue
                try:
                    state.drain()
                finally:
                    sampling.stop()
                with self.commit():
                    candidate.undo()
                state.drain()
                return write_profile(sampling, measurement.name, directory)
        raise MeasurementError(f"{measurement.name}: no change to profile")
