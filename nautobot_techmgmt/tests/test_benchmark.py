"""The benchmark harness (development/benchmark) on a tiny estate: it builds what it is asked and measures it all."""

import json
import tempfile
from pathlib import Path

from django.db import connection
from nautobot.apps.testing import TestCase
from nautobot.circuits.models import Circuit
from nautobot.dcim.models import Location
from nautobot.extras.models import DynamicGroup
from nautobot.virtualization.models import Cluster, VirtualMachine

from development.benchmark import report
from development.benchmark.generate import dataset_counts, generate, holds_estate
from development.benchmark.knowledge import RESPONSIBILITY_SHARES, SCOPE_SHARES
from development.benchmark.measure import MeasurementError
from development.benchmark.run import run_measurements
from development.benchmark.scales import DEFAULT_SEED, REQUESTED, SCALES
from development.benchmark.suite import Session, measurements
from nautobot_techmgmt.knowledge.materialize import refresh_object_knowledge
from nautobot_techmgmt.models import Expert, Responsibility, Technology, TechnologyScope
from nautobot_techmgmt.models.targets import TARGET_FIELDS

TINY = SCALES["tiny"]
MEASUREMENT_KEYS = {"name", "median_s", "min_s", "max_s", "queries", "runs"}


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
        refresh_object_knowledge()  # as the benchmark does before it measures
        session = Session()
        for model in (Circuit, VirtualMachine, Cluster, Location, DynamicGroup, Technology, Expert, Responsibility):
            with self.subTest(model=model.__name__):
                session.page(model.objects.order_by("pk").first().get_absolute_url())

    def test_building_the_estate_queues_no_knowledge_refresh(self):
        pending = [callback for _, callback, _ in connection.run_on_commit]
        self.assertFalse([callback for callback in pending if getattr(callback, "techmgmt_refresh_pending", False)])

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
        expected = [measurement.name for measurement in measurements(Session())]
        self.assertEqual([row["name"] for row in written["measurements"]], expected)
        for row in written["measurements"]:
            self.assertEqual(set(row), MEASUREMENT_KEYS, row["name"])
            self.assertGreater(row["queries"], 0, row["name"])
            self.assertTrue(0 < row["min_s"] <= row["median_s"] <= row["max_s"], row)
        self.assertEqual(set(written["ratios"]), set(report.RATIOS))
        for name, ratio in written["ratios"].items():
            self.assertGreater(ratio, 0, name)
        self.assertEqual(len(written["targets"]), len(report.TARGETS))
        self.assertTrue(all(target["passed"] in (True, False) for target in written["targets"]))

    def test_a_response_other_than_200_stops_the_benchmark(self):
        with self.assertRaises(MeasurementError):
            Session().api_get("/api/plugins/techmgmt/no-such-endpoint/")
