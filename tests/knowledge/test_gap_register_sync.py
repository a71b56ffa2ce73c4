"""The engine keeps the gap register in step with the knowledge state and publishes its events to a real Redis."""

import json
import time
from datetime import date, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from nautobot.apps.events import RedisEventBroker, deregister_event_broker, register_event_broker
from nautobot.apps.testing import TestCase
from nautobot.extras.models import ObjectChange

from nautobot_techmgmt.choices import GapStatusChoices
from nautobot_techmgmt.knowledge import state
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.knowledge.register import ENGINE_USERNAME, sync_register
from nautobot_techmgmt.models import KnowledgeGap
from tests import fixtures


def open_gaps(technology):
    return dict(KnowledgeGap.objects.current().filter(technology=technology).values_list("kind", "severity"))


class GapRegisterTest(TestCase):
    """Records open, close and open again; the engine's saves are in the change log as the app's user."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        rebuild_knowledge()

    def test_a_rebuild_opens_one_record_per_gap(self):
        # No object of the estate has a primary support assignee.
        self.assertEqual(
            open_gaps(self.estate.junos),
            {"single_expert": "high", "no_capacity": "medium", "no_primary_support": "medium"},
        )
        self.assertEqual(
            open_gaps(self.estate.linux),
            {"no_expert": "critical", "no_custodian": "medium", "no_primary_support": "medium"},
        )
        self.assertEqual(open_gaps(self.estate.vsphere), {"no_primary_support": "medium"})
        record = KnowledgeGap.objects.get(technology=self.estate.junos, kind="single_expert")
        self.assertEqual((record.affected, record.affected_objects, record.risk), ({"devices": 2}, 2, 10))
        change = ObjectChange.objects.get(changed_object_id=record.pk)
        self.assertEqual((change.action, change.user_name), ("create", ENGINE_USERNAME))

    def test_gap_that_disappears_closes_and_a_new_record_opens_when_it_returns(self):
        bob_skill = fixtures.skill(self.estate.bob, self.estate.junos, 4)
        state.ensure_fresh()
        closed = KnowledgeGap.objects.get(technology=self.estate.junos, kind="single_expert")
        self.assertEqual(closed.status, GapStatusChoices.CLOSED)
        self.assertIsNotNone(closed.closed)
        bob_skill.delete()
        state.ensure_fresh()
        records = KnowledgeGap.objects.filter(technology=self.estate.junos, kind="single_expert").order_by("opened")
        self.assertEqual([record.status for record in records], [GapStatusChoices.CLOSED, GapStatusChoices.OPEN])

    def test_people_keep_status_owner_and_comments_while_the_figures_follow_the_inventory(self):
        record = KnowledgeGap.objects.get(technology=self.estate.junos, kind="single_expert")
        record.status, record.owner_team, record.comments = GapStatusChoices.ACKNOWLEDGED, self.estate.team, "Hiring"
        record.validated_save()
        fixtures.more_routers(self.estate, 2)
        state.ensure_fresh()
        record.refresh_from_db()
        self.assertEqual(
            (record.status, record.owner_team, record.comments), ("acknowledged", self.estate.team, "Hiring")
        )
        self.assertEqual(record.affected, {"devices": 4})

    def test_accepted_risk_reopens_after_its_day(self):
        record = KnowledgeGap.objects.get(technology=self.estate.junos, kind="single_expert")
        record.status, record.risk_accepted_until = GapStatusChoices.RISK_ACCEPTED, date.today() + timedelta(days=1)
        record.validated_save()
        # The day after the acceptance ends (its date moved back, as time would move on).
        KnowledgeGap.objects.filter(pk=record.pk).update(risk_accepted_until=date.today() - timedelta(days=1))
        cache.delete(state.SWEPT_KEY)
        state.ensure_fresh()
        record.refresh_from_db()
        self.assertEqual((record.status, record.risk_accepted_until), (GapStatusChoices.OPEN, None))

    def test_severity_change_is_saved_as_a_change(self):
        # A kind's severity is fixed by the rules; a record saved under other rules (an older release) follows them.
        KnowledgeGap.objects.filter(technology=self.estate.junos, kind="single_expert").update(severity="medium")
        sync_register([self.estate.junos.pk])
        record = KnowledgeGap.objects.get(technology=self.estate.junos, kind="single_expert")
        self.assertEqual(record.severity, "high")
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=record.pk, action="update").exists())

    def test_external_only_when_only_supplier_staff_know_it(self):
        contractor = fixtures.expert("Sam Supplier", employment_type="supplier-staff")
        fixtures.skill(contractor, self.estate.linux, 4)
        state.ensure_fresh()
        self.assertEqual(open_gaps(self.estate.linux)["external_only"], "high")
        self.assertNotIn("no_expert", open_gaps(self.estate.linux))
        fixtures.support_contract(fixtures.supplier("Linux Help"), "LH-1", [self.estate.linux], start_date=date.today())
        state.ensure_fresh()
        self.assertNotIn("external_only", open_gaps(self.estate.linux))


class GapEventsTest(TestCase):
    """Gap opened, closed and severity changed reach a subscriber of a real Redis event broker."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        url = settings.CACHES["default"]["LOCATION"]
        self.broker = RedisEventBroker(url=url, include_topics=["nautobot.techmgmt.gap.*"])
        register_event_broker(self.broker)
        self.addCleanup(deregister_event_broker, self.broker)
        self.subscriber = redis.StrictRedis.from_url(url).pubsub()
        self.subscriber.psubscribe("nautobot.techmgmt.gap.*")
        self.addCleanup(self.subscriber.close)
        self.subscriber.get_message(timeout=1)  # the subscription's confirmation

    def received(self):
        messages = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            message = self.subscriber.get_message(timeout=0.2)
            if message is None:
                if messages:
                    break
                continue
            if message["type"] == "pmessage":
                messages.append((message["channel"].decode(), json.loads(message["data"])))
        return messages

    def test_opened_and_closed_events_with_kind_technology_severity_objects_and_url(self):
        with self.captureOnCommitCallbacks(execute=True):
            rebuild_knowledge()
        opened = {payload["kind"]: payload for topic, payload in self.received() if topic.endswith(".opened")}
        single = opened["single_expert"]
        self.assertEqual(single["technology"]["name"], "Junos")
        self.assertEqual((single["severity"], single["affected"], single["status"]), ("high", {"devices": 2}, "open"))
        self.assertTrue(single["url"].startswith("/plugins/techmgmt/"))
        with self.captureOnCommitCallbacks(execute=True):
            fixtures.skill(self.estate.bob, self.estate.junos, 4)
            state.ensure_fresh()
        closed = [payload for topic, payload in self.received() if topic == "nautobot.techmgmt.gap.closed"]
        # Bob, with agreed hours, now qualifies: one expert too few and no capacity both close.
        self.assertEqual(
            sorted((payload["kind"], payload["status"]) for payload in closed),
            [("no_capacity", "closed"), ("single_expert", "closed")],
        )
