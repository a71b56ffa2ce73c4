"""ObjectKnowledge rows hold the engine's per-object answers and stay fresh after changes."""

from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.knowledge import refresh
from nautobot_techmgmt.knowledge.materialize import refresh_object_knowledge
from nautobot_techmgmt.models import CustodianCoverage, KnowledgeRefresh, ObjectKnowledge, Skill, TechnologyScope
from nautobot_techmgmt.tests import fixtures


class RefreshObjectKnowledgeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def row(self, technology, **target):
        return ObjectKnowledge.objects.get(technology=technology, **target)

    def test_one_row_per_technology_in_use_on_each_object_with_counts(self):
        counts = refresh_object_knowledge()
        self.assertEqual(
            counts,
            {
                "deleted": 0,
                "created": 6,
                "devices": 3,
                "circuits": 1,
                "virtual_machines": 1,
                "clusters": 1,
                "coverage": CustodianCoverage.objects.count(),
            },
        )
        # Every object row is counted once in the coverage groups, and the refresh is recorded.
        self.assertEqual(sum(CustodianCoverage.objects.values_list("objects_count", flat=True)), 6)
        self.assertEqual(KnowledgeRefresh.objects.get().object_rows, 6)
        inv = self.estate.inv
        self.assertEqual(
            sorted(
                (str(row.technology), str(row.device or row.circuit or row.virtual_machine or row.cluster))
                for row in ObjectKnowledge.objects.all()
            ),
            [
                ("Junos", "ams-rtr-1"),
                ("Junos", "ber-rtr-1"),
                ("Linux", "ams-srv-1"),
                ("Transit", str(inv["circuit"])),
                ("vSphere", "ams-cl-1"),
                ("vSphere", "ams-vm-1"),
            ],
        )

    def test_team_custodian_with_technology_gaps(self):
        refresh_object_knowledge()
        row = self.row(self.estate.junos, device=self.estate.inv["router"])
        self.assertEqual(row.custodian_team, self.estate.team)
        self.assertIsNone(row.custodian_expert)
        self.assertEqual(row.custodian_source, "custodian team of technology Junos")
        self.assertEqual(row.bus_factor, 1)
        self.assertEqual(row.gaps, ["single_expert", "no_capacity"])
        self.assertEqual((row.severity, row.risk), ("high", 5 + 2))

    def test_no_custodian_and_no_expert(self):
        refresh_object_knowledge()
        row = self.row(self.estate.linux, device=self.estate.inv["server"])
        self.assertEqual((row.custodian_team, row.custodian_expert, row.custodian_source), (None, None, ""))
        self.assertEqual((row.bus_factor, row.gaps), (0, ["no_expert", "no_custodian"]))
        self.assertEqual((row.severity, row.risk), ("critical", 10 + 2))

    def test_expert_custodian_without_gaps(self):
        refresh_object_knowledge()
        for target in ({"cluster": self.estate.inv["cluster"]}, {"virtual_machine": self.estate.inv["vm"]}):
            row = self.row(self.estate.vsphere, **target)
            self.assertEqual(row.custodian_expert, self.estate.bob)
            self.assertIsNone(row.custodian_team)
            self.assertEqual(row.custodian_source, "inherited from cluster type VMware vSphere")
            self.assertEqual((row.bus_factor, row.gaps, row.severity, row.risk), (1, [], "", 0))

    def test_contact_only_custodian_keeps_its_source(self):
        refresh_object_knowledge()
        row = self.row(self.estate.transit, circuit=self.estate.inv["circuit"])
        self.assertEqual((row.custodian_team, row.custodian_expert), (None, None))
        self.assertEqual(row.custodian_source, "assigned on this circuit (contact association)")
        self.assertEqual(row.gaps, ["no_expert", "custodian_lacks_skill"])
        self.assertEqual((row.severity, row.risk), ("critical", 10 + 5))

    def test_rows_match_the_engine_answer_for_the_object(self):
        refresh_object_knowledge()
        from nautobot_techmgmt.knowledge import Knowledge  # pylint: disable=import-outside-toplevel

        for row in Knowledge().for_object(self.estate.inv["router"]):
            stored = self.row(row["technology"], device=self.estate.inv["router"])
            self.assertEqual(stored.gaps, [gap.kind for gap in row["gaps"]])
            self.assertEqual(stored.custodian_source, row["custodian"].source)

    def test_a_second_refresh_replaces_the_rows(self):
        refresh_object_knowledge()
        TechnologyScope.objects.filter(technology=self.estate.linux).delete()
        counts = refresh_object_knowledge()
        self.assertEqual((counts["deleted"], counts["created"], counts["devices"]), (6, 5, 2))
        self.assertFalse(ObjectKnowledge.objects.filter(technology=self.estate.linux).exists())
        self.assertEqual(ObjectKnowledge.objects.filter(device=self.estate.inv["router"]).count(), 1)

    def test_as_of_judges_on_that_day(self):
        # Bob's agreement starts 30 days ago: a year earlier, vSphere had no agreed capacity.
        from datetime import date, timedelta  # pylint: disable=import-outside-toplevel

        refresh_object_knowledge(as_of=date.today() - timedelta(days=365))
        self.assertEqual(self.row(self.estate.vsphere, cluster=self.estate.inv["cluster"]).gaps, ["no_capacity"])

    def test_query_count_does_not_grow_with_objects(self):
        # Each kind of custodian target costs its own lookup: have a device-level custodian in both estates.
        fixtures.more_routers(self.estate, 1, prefix="first")
        refresh_object_knowledge()  # warm the content-type cache
        with CaptureQueriesContext(connection) as small:
            refresh_object_knowledge()
        fixtures.more_routers(self.estate, 20)
        fixtures.more_experts(self.estate, 5)
        with CaptureQueriesContext(connection) as large:
            counts = refresh_object_knowledge()
        self.assertEqual(counts["devices"], 24)
        self.assertEqual(len(large), len(small), [q["sql"][:120] for q in large.captured_queries])


class RefreshOnChangeTest(TestCase):
    """A burst of changes asks for one refresh, after the commit."""

    @classmethod
    def setUpTestData(cls):
        # Commit hooks of the test data run here, as they would when the data was saved: rows exist to start with.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        cache.delete(refresh.REFRESH_PENDING_KEY)

    def router_row(self, technology):
        return ObjectKnowledge.objects.get(technology=technology, device=self.estate.inv["router"])

    def test_changes_refresh_once_after_commit_when_tasks_run_eagerly(self):
        self.assertEqual(self.router_row(self.estate.junos).bus_factor, 1)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            Skill.objects.create(expert=fixtures.expert("Cy Clone"), technology=self.estate.junos, level=5)
            TechnologyScope.objects.create(technology=self.estate.linux, device=self.estate.inv["router"])
            self.assertEqual(self.router_row(self.estate.junos).bus_factor, 1, "nothing changes before the commit")
        self.assertEqual(len(callbacks), 1)
        row = self.router_row(self.estate.junos)
        self.assertEqual((row.bus_factor, row.gaps), (2, ["no_capacity"]))
        self.assertEqual(self.router_row(self.estate.linux).gaps, ["no_expert", "no_custodian"])

    def test_core_changes_and_team_membership_ask_for_a_refresh(self):
        changes = (
            lambda: fixtures.more_routers(self.estate, 1),
            self.estate.inv["junos"].save,
            lambda: self.estate.team.contacts.add(self.estate.bob.contact),
            self.estate.team.save,
            self.estate.inv["circuit"].delete,
        )
        for change in changes:
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                change()
            self.assertEqual(len(callbacks), 1)

    def test_unrelated_changes_do_not_ask(self):
        with self.captureOnCommitCallbacks() as callbacks:
            fixtures.supplier("Unrelated Ltd")
            fixtures.contact("Someone Else")
        self.assertEqual(callbacks, [])

    @override_settings(CELERY_TASK_ALWAYS_EAGER=False)
    def test_with_a_worker_one_task_is_queued_with_a_countdown_until_it_starts(self):
        with mock.patch.object(refresh.refresh_object_knowledge_task, "apply_async") as apply_async:
            for name in ("One", "Two"):
                with self.captureOnCommitCallbacks(execute=True):
                    fixtures.skill(fixtures.expert(f"Burst {name}"), self.estate.junos, 4)
            apply_async.assert_called_once_with(countdown=refresh.REFRESH_COUNTDOWN)
            self.assertEqual(self.router_row(self.estate.junos).bus_factor, 1, "the refresh is left to the worker")
            # The worker runs the task: the pending mark is cleared, the rows are rebuilt, and the next change
            # queues the next refresh.
            refresh.refresh_object_knowledge_task.run()
            self.assertEqual(self.router_row(self.estate.junos).bus_factor, 3)
            with self.captureOnCommitCallbacks(execute=True):
                self.estate.inv["junos"].save()
            self.assertEqual(apply_async.call_count, 2)
