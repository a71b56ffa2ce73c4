"""A full rebuild writes the knowledge state; after that, committed changes reach it by themselves."""

import uuid
from datetime import date

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase, TestCase

from nautobot_techmgmt.knowledge import state
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.knowledge.rebuild import start_asked_rebuild
from nautobot_techmgmt.models import (
    CustodianCoverage,
    KnowledgeRefresh,
    ObjectKnowledge,
    PendingChange,
    Responsibility,
    Skill,
    TechnologyScope,
)
from tests import fixtures


class RebuildTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def row(self, technology, **target):
        return ObjectKnowledge.objects.get(technology=technology, **target)

    def test_one_row_per_technology_in_use_on_each_object_with_counts(self):
        counts = rebuild_knowledge()
        counts.pop("duration_s")
        self.assertEqual(
            counts,
            {
                "deleted": 0,
                "created": 6,
                "devices": 3,
                "circuits": 1,
                "virtual_machines": 1,
                "clusters": 1,
                "cloud_services": 0,
                "coverage": CustodianCoverage.objects.count(),
                "technologies": 4,
            },
        )
        # Every object row is counted once in the coverage groups, and the rebuild is recorded.
        self.assertEqual(sum(CustodianCoverage.objects.values_list("objects_count", flat=True)), 6)
        record = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_COMPLETED).latest()
        self.assertEqual((record.object_rows, record.progress), (6, 100))
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
        rebuild_knowledge()
        row = self.row(self.estate.junos, device=self.estate.inv["router"])
        self.assertEqual(row.custodian_team, self.estate.team)
        self.assertIsNone(row.custodian_expert)
        self.assertEqual(row.custodian_source, "custodian team of technology Junos")
        self.assertEqual(row.bus_factor, 1)
        self.assertEqual(row.gaps, ["single_expert", "no_capacity", "no_primary_support"])
        self.assertEqual((row.severity, row.risk), ("high", 5 + 2 + 2))

    def test_no_custodian_and_no_expert(self):
        rebuild_knowledge()
        row = self.row(self.estate.linux, device=self.estate.inv["server"])
        self.assertEqual((row.custodian_team, row.custodian_expert, row.custodian_source), (None, None, ""))
        self.assertEqual((row.bus_factor, row.gaps), (0, ["no_expert", "no_custodian", "no_primary_support"]))
        self.assertEqual((row.severity, row.risk), ("critical", 10 + 2 + 2))

    def test_expert_custodian_without_gaps(self):
        # Bob also takes the first call for vSphere, so that nothing is missing.
        Responsibility.objects.create(expert=self.estate.bob, technology=self.estate.vsphere, role="primary-support")
        rebuild_knowledge()
        for target in ({"cluster": self.estate.inv["cluster"]}, {"virtual_machine": self.estate.inv["vm"]}):
            row = self.row(self.estate.vsphere, **target)
            self.assertEqual(row.custodian_expert, self.estate.bob)
            self.assertIsNone(row.custodian_team)
            self.assertEqual(row.custodian_source, "inherited from cluster type VMware vSphere")
            self.assertEqual((row.bus_factor, row.gaps, row.severity, row.risk), (1, [], "", 0))

    def test_contact_only_custodian_keeps_its_source(self):
        rebuild_knowledge()
        row = self.row(self.estate.transit, circuit=self.estate.inv["circuit"])
        self.assertEqual((row.custodian_team, row.custodian_expert), (None, None))
        self.assertEqual(row.custodian_source, "assigned on this circuit (contact association)")
        self.assertEqual(row.gaps, ["no_expert", "custodian_lacks_skill", "no_primary_support"])
        self.assertEqual((row.severity, row.risk), ("critical", 10 + 5 + 2))

    def test_rows_match_the_engine_answer_for_the_object(self):
        rebuild_knowledge()
        from nautobot_techmgmt.knowledge import Knowledge  # pylint: disable=import-outside-toplevel

        for row in Knowledge().for_object(self.estate.inv["router"]):
            stored = self.row(row["technology"], device=self.estate.inv["router"])
            self.assertEqual(stored.gaps, [gap.kind for gap in row["gaps"]])
            self.assertEqual(stored.custodian_source, row["custodian"].source)

    def test_a_second_refresh_replaces_the_rows(self):
        rebuild_knowledge()
        TechnologyScope.objects.filter(technology=self.estate.linux).delete()
        counts = rebuild_knowledge()
        self.assertEqual((counts["deleted"], counts["created"], counts["devices"]), (6, 5, 2))
        self.assertFalse(ObjectKnowledge.objects.filter(technology=self.estate.linux).exists())
        self.assertEqual(ObjectKnowledge.objects.filter(device=self.estate.inv["router"]).count(), 1)

    def test_query_count_does_not_grow_with_objects(self):
        # Each kind of custodian target costs its own lookup: have a device-level custodian in both estates.
        fixtures.more_routers(self.estate, 1, prefix="first")
        rebuild_knowledge()  # warm the content-type cache, open the gaps of the register
        with CaptureQueriesContext(connection) as small:
            rebuild_knowledge()
        fixtures.more_routers(self.estate, 20)
        fixtures.more_experts(self.estate, 5)
        rebuild_knowledge()  # the register follows the new experts (gaps close): not what is measured
        with CaptureQueriesContext(connection) as large:
            counts = rebuild_knowledge()
        self.assertEqual(counts["devices"], 24)
        self.assertEqual(len(large), len(small), [q["sql"][:120] for q in large.captured_queries])


def take_in_callbacks(callbacks):
    """The commit callbacks that take changes into the knowledge state (others: events, Nautobot's own)."""
    return [callback for callback in callbacks if getattr(callback, "techmgmt_drain", None) is not None]


class PropagationTest(TestCase):
    """Committed changes reach the state: in the committing process when few, else on a worker."""

    @classmethod
    def setUpTestData(cls):
        # The commit callbacks of the test data run here, as they would when the data was saved.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        rebuild_knowledge()

    def router_row(self, technology):
        return ObjectKnowledge.objects.with_answers().get(technology=technology, device=self.estate.inv["router"])

    def test_a_commit_takes_its_changes_in_at_once(self):
        self.assertEqual(self.router_row(self.estate.junos).bus_factor, 1)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            Skill.objects.create(expert=fixtures.expert("Cy Clone"), technology=self.estate.junos, level=5)
            TechnologyScope.objects.create(technology=self.estate.linux, device=self.estate.inv["router"])
            self.assertEqual(PendingChange.objects.count(), 3, "recorded in the change's own transaction")
        self.assertEqual(len(take_in_callbacks(callbacks)), 1, "one callback per transaction, however many changes")
        self.assertFalse(PendingChange.objects.exists())
        row = self.router_row(self.estate.junos)
        self.assertEqual((row.bus_factor, row.gaps), (2, ["no_capacity", "no_primary_support"]))
        self.assertEqual(self.router_row(self.estate.linux).gaps, ["no_expert", "no_custodian", "no_primary_support"])

    def test_core_changes_and_team_membership_are_recorded(self):
        changes = (
            lambda: fixtures.more_routers(self.estate, 1),
            self.estate.inv["router"].save,
            lambda: self.estate.team.contacts.add(self.estate.bob.contact),
            self.estate.inv["circuit"].delete,
        )
        for change in changes:
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                change()
            self.assertEqual(len(take_in_callbacks(callbacks)), 1, change)

    def test_unrelated_changes_record_nothing(self):
        with self.captureOnCommitCallbacks() as callbacks:
            fixtures.supplier("Unrelated Ltd")
            fixtures.contact("Someone Else")
        self.assertEqual(take_in_callbacks(callbacks), [])
        self.assertFalse(PendingChange.objects.exists())

    @override_settings(CELERY_TASK_ALWAYS_EAGER=False)
    def test_many_changes_or_a_rule_go_to_a_worker_and_wait_there(self):
        with self.captureOnCommitCallbacks(execute=True):
            # A rule (every device at the site) is left to a worker: the in-memory broker of the tests keeps the task.
            fixtures.team("Site Ops")
            TechnologyScope.objects.create(technology=self.estate.linux, location=self.estate.inv["site"])
        self.assertTrue(PendingChange.objects.exists())
        self.assertFalse(ObjectKnowledge.objects.filter(technology=self.estate.linux, device=self.estate.inv["router"]))
        self.assertEqual(state.state_status().pending, 2)
        # The worker runs the task.
        state.drain_task.run()
        self.assertFalse(PendingChange.objects.exists())
        self.assertTrue(ObjectKnowledge.objects.filter(technology=self.estate.linux, device=self.estate.inv["router"]))

    @override_settings(CELERY_TASK_ALWAYS_EAGER=False)
    def test_a_small_change_is_taken_in_by_the_committing_process(self):
        with self.captureOnCommitCallbacks(execute=True):
            fixtures.skill(fixtures.expert("Inline Ida"), self.estate.junos, 4)
        self.assertFalse(PendingChange.objects.exists())
        self.assertEqual(self.router_row(self.estate.junos).bus_factor, 2)

    def test_a_change_that_cannot_be_taken_in_is_set_aside_and_asks_for_a_repair_rebuild(self):
        PendingChange.objects.create(kind=PendingChange.KIND_OBJECT, object_type="no-such-type", object_id=uuid.uuid4())
        with self.captureOnCommitCallbacks() as callbacks:
            done = state.drain()
        self.assertEqual(done["set_aside"], 1)
        self.assertFalse(PendingChange.objects.exists())
        asked = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_PENDING)
        self.assertEqual(list(asked.values_list("reason", flat=True)), ["repair after a failed change (object)"])
        self.assertIn(start_asked_rebuild, callbacks)  # the rebuild starts once that is committed


class FreshnessTest(APITestCase):
    """Surfaces say how fresh their answer is, and "being computed" until the first rebuild completes."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        rebuild_knowledge()
        self.add_permissions("nautobot_techmgmt.view_technology", "dcim.view_device")

    def test_rest_sends_the_state_time_and_pending_changes(self):
        response = self.client.get(reverse("plugins-api:nautobot_techmgmt-api:gaps"), **self.header)
        self.assertHttpStatus(response, 200)
        self.assertEqual(response["X-Knowledge-Pending-Changes"], "0")
        self.assertTrue(response["X-Knowledge-Updated"].startswith(str(date.today().year)))

    @override_settings(CELERY_TASK_ALWAYS_EAGER=False)
    def test_rest_answers_503_while_being_computed_and_lists_say_updating(self):
        KnowledgeRefresh.objects.create(status=KnowledgeRefresh.STATUS_RUNNING, reason="upgrade")
        response = self.client.get(reverse("plugins-api:nautobot_techmgmt-api:gaps"), **self.header)
        self.assertHttpStatus(response, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn("Knowledge is being computed", response.json()["detail"])
        self.client.force_login(self.user)
        page = self.client.get(reverse("dcim:device_list")).content.decode()
        self.assertIn("Knowledge updating", page)
        panel = self.client.get(self.estate.inv["router"].get_absolute_url()).content.decode()
        self.assertIn("Knowledge is being computed", panel)

    def test_graphql_rows_say_when_they_were_computed(self):
        query = '{ devices(name: "ams-rtr-1") { techmgmt_knowledge { knowledge_as_of bus_factor } } }'
        self.add_permissions("nautobot_techmgmt.view_objectknowledge")
        answer = self.client.post(reverse("graphql-api"), {"query": query}, format="json", **self.header).json()
        row = answer["data"]["devices"][0]["techmgmt_knowledge"][0]
        self.assertEqual(row["bus_factor"], 1)
        self.assertTrue(row["knowledge_as_of"].startswith(str(date.today().year)))
