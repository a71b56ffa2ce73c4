"""The benchmark harness (development/benchmark) on a tiny estate: it builds what it is asked and measures it all."""

import json
import math
import tempfile
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Min
from nautobot.apps.testing import TestCase
from nautobot.circuits.models import Circuit
from nautobot.dcim.models import Device, Interface, Location
from nautobot.extras.models import DynamicGroup, Note, ObjectChange
from nautobot.virtualization.models import Cluster, VirtualMachine

from development.benchmark import history, inventory, people, report
from development.benchmark.builder import Builder, allocate
from development.benchmark.generate import dataset_counts, generate, holds_estate
from development.benchmark.knowledge import RESPONSIBILITY_SHARES, SCOPE_SHARES
from development.benchmark.measure import MeasurementError
from development.benchmark.propagation import Changes, Plan
from development.benchmark.run import run_measurements
from development.benchmark.scales import DEFAULT_SEED, REQUESTED, SCALES
from development.benchmark.suite import Session, leaf_values, measurements
from development.benchmark.worker import CeleryWorker
from nautobot_techmgmt.knowledge import activity
from nautobot_techmgmt.knowledge.capacity import CapacityPlan
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import (
    EffortModel,
    Expert,
    PendingChange,
    Responsibility,
    SupportContract,
    Technology,
    TechnologyActivity,
    TechnologyScope,
    UserContact,
)
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
    "activity Job": {"rows", "people", "changes_in_window", "notes_in_window", "peak_python_mb"},
    "technology page with candidates": {"candidates", "without_skill", "names_shown"},
    "technology page, feature off": {"candidates", "without_skill", "names_shown"},
    "capacity page": {"first_technology_shown"},
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

    def test_the_estate_holds_what_expert_hours_are_made_of(self):
        rebuild_knowledge()
        plan = CapacityPlan()
        categories = {t.category for t in Technology.objects.filter(parent__isnull=True)}
        self.assertEqual(set(EffortModel.objects.exclude(category="").values_list("category", flat=True)), categories)
        self.assertTrue(EffortModel.objects.filter(technology__isnull=False).exists())
        self.assertTrue(plan.demand)
        self.assertTrue(any(supply.agreed for supply in plan.experts.values()))
        self.assertTrue(any(supply.committed for supply in plan.experts.values()))
        self.assertTrue(SupportContract.objects.filter(hours_per_month__gt=0).exists())

    def test_core_and_app_pages_render_for_the_generated_objects(self):
        rebuild_knowledge()  # as the benchmark does before it measures
        session = Session()
        for model in (Circuit, VirtualMachine, Cluster, Location, DynamicGroup, Technology, Expert, Responsibility):
            with self.subTest(model=model.__name__):
                session.page(model.objects.order_by("pk").first().get_absolute_url())

    def test_the_activity_job_reads_the_history(self):
        rebuild_knowledge()  # the objects' technologies, as the benchmark has them before it measures
        counts = activity.compute_activity()
        people_found = TechnologyActivity.objects.values("contact", "user").distinct().count()
        self.assertEqual(counts["people"], people_found)
        self.assertGreater(people_found, TINY["users"] // 2)
        self.assertTrue(TechnologyActivity.objects.filter(user__username__startswith="svc-").exists())

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
        job = rows["activity Job"]
        self.assertEqual(job["rows"], written["dataset"]["technology_activity"])
        self.assertGreater(job["rows"], 0)
        # The whole log of the window: the history, and the app's own changes of its gap register.
        self.assertGreaterEqual(job["changes_in_window"], TINY["change_log"])
        self.assertEqual(job["notes_in_window"], TINY["notes"])
        self.assertGreater(job["peak_python_mb"], 0)
        # Both pages are of the same technology, the one with the most candidates.
        with_candidates, off = rows["technology page with candidates"], rows["technology page, feature off"]
        self.assertGreater(with_candidates["candidates"], 0)
        self.assertEqual(with_candidates["candidates"], off["candidates"])
        self.assertGreater(off["without_skill"], 0)
        self.assertEqual(off["names_shown"], 0)
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
        for target in written["targets"]:
            self.assertIn(target["passed"], (True, False), target)
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


class HistoryTest(TestCase):
    """The users and change history of the estate, written by PostgreSQL itself or drawn in Python: the same shape."""

    def build(self, in_sql):
        """Inventory, staff, users and history of the tiny estate; return the builder."""
        builder = Builder(TINY, DEFAULT_SEED, date.today())
        inventory.build(builder)
        staff = people.build_staff(builder)
        users = history.build_users(builder, staff)
        history.build_change_log(builder, users, in_sql=in_sql)
        return builder

    def check_users(self):
        """As many users as asked, mapped by e-mail, by a user mapping or not at all, in the shares asked."""
        automation = max(1, TINY["users"] // history.USERS_PER_AUTOMATION_ACCOUNT)
        kinds = allocate(TINY["users"] - automation, history.USER_KINDS)
        generated = get_user_model().objects.filter(email__iendswith=history.DOMAIN)
        self.assertEqual(generated.count(), TINY["users"])
        mapped = activity.contacts_of_users()
        self.assertEqual(len(mapped), kinds["email"] + kinds["explicit"])
        self.assertEqual(UserContact.objects.count(), kinds["explicit"])
        unmapped = set(activity.unmapped_users().values_list("username", flat=True))
        self.assertEqual(
            len(unmapped & set(generated.values_list("username", flat=True))), kinds["no_contact"] + automation
        )
        self.assertIn("svc-netbox-sync", unmapped)

    def check_history(self, builder):  # pylint: disable=too-many-locals
        """Creations first, interface changes with their device, times in the year, owners making most changes."""
        start, end = history.history_span(builder)
        device_type = ContentType.objects.get_for_model(Device)
        changes = ObjectChange.objects.all()
        self.assertEqual((changes.count(), Note.objects.count()), (TINY["change_log"], TINY["notes"]))
        self.assertFalse(changes.filter(time__lt=start).exists() or changes.filter(time__gt=end).exists())
        self.assertFalse(Note.objects.exclude(created__range=(start, end)).exists())
        devices = set(Device.objects.values_list("pk", flat=True))
        creates = changes.filter(action="create", changed_object_type=device_type)
        self.assertEqual(len(set(creates.values_list("changed_object_id", flat=True))), math.ceil(TINY["devices"] / 10))
        # A device created within the year has nothing in the log before its creation.
        for device_id, created in creates.values_list("changed_object_id", "time"):
            on_it = changes.filter(changed_object_id=device_id) | changes.filter(related_object_id=device_id)
            self.assertEqual(on_it.aggregate(first=Min("time"))["first"], created)
        on_devices = changes.filter(changed_object_type=device_type)
        self.assertLessEqual(set(on_devices.values_list("changed_object_id", flat=True)), devices)
        interfaces = changes.filter(changed_object_type=ContentType.objects.get_for_model(Interface))
        self.assertEqual(interfaces.count() + on_devices.count(), TINY["change_log"])
        self.assertEqual(interfaces.filter(related_object_type=device_type).count(), interfaces.count())
        self.assertLessEqual(set(interfaces.values_list("related_object_id", flat=True)), devices)
        share = interfaces.count() / (TINY["change_log"] - creates.count())
        self.assertAlmostEqual(share, history.INTERFACE_SHARE, delta=0.05)
        deleted = changes.filter(user__isnull=True)
        self.assertTrue(deleted.exists())
        self.assertEqual(set(deleted.values_list("user_name", flat=True)), {history.DELETED_USER_NAME})
        by_automation = changes.filter(user_name__startswith="svc-").count() / TINY["change_log"]
        self.assertAlmostEqual(by_automation, 0.12, delta=0.04)
        # Most of a device's changes are its owner's: the top author of a device made more than a third of them.
        authors = Counter(on_devices.exclude(user=None).values_list("changed_object_id", "user"))
        per_device = Counter(on_devices.exclude(user=None).values_list("changed_object_id", flat=True))
        top = {}
        for (device_id, _), number in authors.items():
            top[device_id] = max(top.get(device_id, 0), number)
        owned = [device_id for device_id, number in per_device.items() if number >= 5]
        self.assertGreater(sum(top[device_id] * 3 > per_device[device_id] for device_id in owned), 0.8 * len(owned))
        self.assertFalse(Note.objects.filter(user=None).exists())

    def test_written_by_postgresql(self):
        if connection.vendor != "postgresql":
            self.skipTest("the history is written in SQL on PostgreSQL only")
        builder = self.build(in_sql=True)
        self.check_users()
        self.check_history(builder)

    def test_drawn_in_python(self):
        builder = self.build(in_sql=False)
        self.check_users()
        self.check_history(builder)
