"""The benchmark harness (development/benchmark) on a tiny estate: it builds what it is asked and measures it all."""

import json
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from nautobot.apps.testing import TestCase
from nautobot.circuits.models import Circuit
from nautobot.dcim.models import Location
from nautobot.extras.models import DynamicGroup
from nautobot.virtualization.models import Cluster, VirtualMachine

from development.benchmark import report
from development.benchmark.generate import dataset_counts, generate, holds_estate
from development.benchmark.knowledge import RESPONSIBILITY_SHARES, SCOPE_SHARES
from development.benchmark.measure import MeasurementError
from development.benchmark.propagation import Changes, Plan
from development.benchmark.run import run_measurements
from development.benchmark.scales import DEFAULT_SEED, REQUESTED, SCALES
from development.benchmark.suite import Session, leaf_values, measurements
from development.benchmark.worker import CeleryWorker
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import Expert, PendingChange, Responsibility, Technology, TechnologyScope
from nautobot_techmgmt.models.targets import TARGET_FIELDS

TINY = SCALES["tiny"]
# The propagation measurements, a little of each: the tiny estate has 100 devices.
TINY_PLAN = Plan(edits=2, location_devices=50, import_devices=20, stream_rate=5, stream_seconds=1)
MEASUREMENT_KEYS = {"name", "median_s", "min_s", "max_s", "queries", "runs"}
CHANGE_KEYS = {"name", "mode", "p50_s", "p95_s", "min_s", "max_s", "samples", "incomplete", "queries", "blocked_p95_s"}
# Extra figures of some rows.
DETAILS = {
    "full rebuild": {"rows", "deleted"},
    "refresh object knowledge": {"rows", "deleted", "same_as"},
    "graphql values 1000 devices": {"values"},
    "graphql values 100 devices": {"values"},
    "graphql values 1000 devices core": {"values"},
    "graphql values 100 devices core": {"values"},
}


def quiet(line):  # pylint: disable=unused-argument
    """Progress lines are not wanted in test output."""


class BenchmarkTest(TestCase):
    """One tiny estate, generated once for every test."""

    @classmethod
    def setUpTestData(cls):
        cls.generation_seconds = generate(TINY, say=quiet)

    def test_the_estate_holds_exactly_the_requested_counts(self):
        counts = dataset_counts()
        self.assertEqual({name: counts[name] for name in REQUESTED}, TINY)
        self.assertTrue(holds_estate(TINY))
        self.assertFalse(holds_estate(SCALES["small"]))

    def test_scopes_and_responsibilities_reach_every_kind_of_target(self):
        for field_name in SCOPE_SHARES:
            self.assertTrue(TechnologyScope.objects.filter(**{f"{field_name}__isnull": False}).exists(), field_name)
        for role, field_name in RESPONSIBILITY_SHARES:
            rows = Responsibility.objects.filter(role=role)
            if field_name:
                rows = rows.filter(**{f"{field_name}__isnull": False})
            else:
                rows = rows.filter(**{f"{name}__isnull": True for name in TARGET_FIELDS})
            self.assertTrue(rows.exists(), f"{role} on {field_name or 'a technology alone'}")

    def test_core_and_app_pages_render_for_the_generated_objects(self):
        rebuild_knowledge()  # as the benchmark does before it measures
        session = Session()
        for model in (Circuit, VirtualMachine, Cluster, Location, DynamicGroup, Technology, Expert, Responsibility):
            with self.subTest(model=model.__name__):
                session.page(model.objects.order_by("pk").first().get_absolute_url())

    def test_building_the_estate_records_no_knowledge_change(self):
        pending = [callback for _, callback, _ in connection.run_on_commit]
        self.assertFalse([callback for callback in pending if getattr(callback, "techmgmt_drain", False)])
        self.assertFalse(PendingChange.objects.exists())

    @contextmanager
    def committed(self):
        """A change's transaction, whose commit callbacks run at its end (the test's own transaction never commits)."""
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            yield

    def changes(self):
        """The propagation measurements on the tiny estate; Celery runs eagerly here, so no worker is started."""
        return Changes(plan=TINY_PLAN, commit=self.committed, say=quiet)

    def test_every_measurement_answers_and_is_written_with_its_queries(self):
        with tempfile.TemporaryDirectory() as directory:
            document = run_measurements(
                "tiny",
                connection.settings_dict["NAME"],
                DEFAULT_SEED,
                generation_seconds=self.generation_seconds,
                runs=1,
                profile_name="coverage engine",
                profile_directory=directory,
                say=quiet,
                changes=self.changes(),
            )
            written = json.loads(
                report.write(document, Path(directory) / "benchmark-results.json").read_text(encoding="utf-8")
            )
            self.assertTrue((Path(directory) / "profile-coverage-engine.html").stat().st_size)
            self.assertIn(
                "coverage_from_engine", (Path(directory) / "profile-coverage-engine.txt").read_text(encoding="utf-8")
            )
        self.assertEqual(written["scale"], "tiny")
        self.assertEqual({name: written["dataset"][name] for name in REQUESTED}, TINY)
        self.assertGreater(written["dataset"]["object_knowledge"], 0)
        reads = [measurement.name for measurement in measurements(Session())]
        reads.insert(1, "refresh object knowledge")  # the full rebuild's earlier name, kept for older results
        changes = [measurement.name for measurement in self.changes().measurements()]
        self.assertEqual([row["name"] for row in written["measurements"]], reads + changes)
        rows = {row["name"]: row for row in written["measurements"]}
        for name in reads:
            self.assertEqual(set(rows[name]), MEASUREMENT_KEYS | DETAILS.get(name, set()), name)
            self.assertGreater(rows[name]["queries"], 0, name)
            self.assertTrue(0 < rows[name]["min_s"] <= rows[name]["median_s"] <= rows[name]["max_s"], name)
        self.assertEqual(rows["full rebuild"]["rows"], written["dataset"]["object_knowledge"])
        self.assertEqual(rows["refresh object knowledge"]["same_as"], "full rebuild")
        self.assertGreater(
            rows["graphql values 1000 devices"]["values"], rows["graphql values 1000 devices core"]["values"]
        )
        for name in changes:
            row = rows[name]
            self.assertLessEqual(CHANGE_KEYS, set(row), name)
            self.assertEqual(row["incomplete"], 0, name)
            self.assertTrue(0 < row["min_s"] <= row["p50_s"] <= row["p95_s"] <= row["max_s"], row)
        self.assertEqual(rows["device edit inline"]["samples"], TINY_PLAN.edits)
        self.assertEqual(rows["skill edit worker"]["samples"], TINY_PLAN.edits)
        self.assertGreater(rows["device edit inline"]["queries"], 0)
        self.assertGreater(rows["custodian on a location"]["rows_changed"], 0)
        self.assertEqual(rows["device import"]["devices"], TINY_PLAN.import_devices)
        self.assertEqual(rows["edit stream worker"]["edits"], TINY_PLAN.stream_edits)
        self.assertEqual(written["state_after_changes"]["same"], True, written["state_after_changes"])
        self.assertEqual(dataset_counts(), written["dataset"], "every change was undone")
        self.assertEqual(set(written["ratios"]), {*report.RATIOS, "graphql_per_value_vs_core"})
        for name, ratio in written["ratios"].items():
            self.assertGreater(ratio, 0, name)
        self.assertEqual(len(written["targets"]), len(report.TARGETS))
        self.assertTrue(all(target["passed"] in (True, False) for target in written["targets"]))
        self.assertTrue(any("propagation (from the commit" in line for line in report.table(written)))

    def test_a_propagation_measurement_can_be_profiled(self):
        rebuild_knowledge()
        changes = self.changes()
        measurement = next(m for m in changes.measurements() if m.name == "skill edit worker")
        with tempfile.TemporaryDirectory() as directory:
            html, text = changes.profile(measurement, directory)
            self.assertTrue(html.stat().st_size)
            self.assertIn("drain", text.read_text(encoding="utf-8"))
        self.assertFalse(PendingChange.objects.exists())

    def test_leaf_values_count_every_scalar_and_empty_lists(self):
        self.assertEqual(leaf_values([{"name": "a", "rows": [{"gaps": [], "team": None}, {"gaps": ["x", "y"]}]}]), 5)

    def test_the_worker_refuses_eager_celery_and_shares_the_database(self):
        worker = CeleryWorker(Path(tempfile.gettempdir()) / "unused-worker.log")
        self.assertEqual(worker.environment()["NAUTOBOT_DB_NAME"], connection.settings_dict["NAME"])
        with self.assertRaises(MeasurementError):
            worker.__enter__()  # pylint: disable=unnecessary-dunder-call
        self.assertIsNone(worker.process)

    def test_a_response_other_than_200_stops_the_benchmark(self):
        with self.assertRaises(MeasurementError):
            Session().api_get("/api/plugins/techmgmt/no-such-endpoint/")
