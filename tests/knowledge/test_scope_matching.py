"""A technology is in use on an object when one of its scopes matches the object."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from nautobot.apps.testing import TestCase
from nautobot.dcim.models import Device
from nautobot.extras.models import DynamicGroup

from nautobot_techmgmt.knowledge import Knowledge, technology_ids_on
from nautobot_techmgmt.models import TechnologyScope
from tests import fixtures


class ScopeMatchingTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()

    def scope(self, name, **target):
        technology = fixtures.technology(name)
        TechnologyScope.objects.create(technology=technology, **target)
        return technology

    def test_platform_scope_matches_devices_of_that_platform_only(self):
        junos = self.scope("Junos", platform=self.inv["junos"])
        self.assertIn(junos.pk, technology_ids_on(self.inv["router"]))
        self.assertIn(junos.pk, technology_ids_on(self.inv["other_router"]))
        self.assertNotIn(junos.pk, technology_ids_on(self.inv["server"]))
        self.assertEqual(Knowledge().in_use[junos.pk]["devices"], 2)

    def test_manufacturer_scope_matches_through_device_type(self):
        dell = self.scope("Dell PowerEdge", manufacturer=self.inv["dell"])
        self.assertEqual(technology_ids_on(self.inv["server"]), {dell.pk})
        self.assertEqual(technology_ids_on(self.inv["router"]), set())

    def test_location_scope_matches_descendant_locations(self):
        europe = self.scope("Europe networking", location=self.inv["region"])
        amsterdam = self.scope("Amsterdam DC", location=self.inv["site"])
        counts = Knowledge().in_use
        # Three devices sit in sites below the region; only two in Amsterdam.
        self.assertEqual(counts[europe.pk]["devices"], 3)
        self.assertEqual(counts[amsterdam.pk]["devices"], 2)
        # The cluster is in Amsterdam; its VM inherits the cluster's location.
        self.assertEqual(counts[amsterdam.pk]["clusters"], 1)
        self.assertEqual(counts[amsterdam.pk]["virtual_machines"], 1)

    def test_dynamic_group_scope_matches_members(self):
        group = DynamicGroup.objects.create(
            name="Routers",
            content_type=ContentType.objects.get_for_model(Device),
            filter={"role": ["Router"]},
        )
        group.update_cached_members()
        routing = self.scope("Routing", dynamic_group=group)
        self.assertIn(routing.pk, technology_ids_on(self.inv["router"]))
        self.assertNotIn(routing.pk, technology_ids_on(self.inv["server"]))

    def test_circuit_and_cluster_scopes(self):
        transit = self.scope("Internet transit", provider=self.inv["provider"])
        vsphere = self.scope("vSphere", cluster_type=self.inv["cluster_type"])
        counts = Knowledge().in_use
        self.assertEqual(counts[transit.pk]["circuits"], 1)
        self.assertEqual(
            counts[vsphere.pk], {"devices": 0, "circuits": 0, "virtual_machines": 1, "clusters": 1, "cloud_services": 0}
        )

    def test_overlapping_scopes_count_an_object_once(self):
        junos = self.scope("Junos", platform=self.inv["junos"])
        TechnologyScope.objects.create(technology=junos, device=self.inv["router"])
        TechnologyScope.objects.create(technology=junos, device_role=self.inv["router_role"])
        self.assertEqual(Knowledge().in_use[junos.pk]["devices"], 2)

    def test_technology_without_matching_object_is_not_in_use(self):
        unused = fixtures.technology("Mainframe")
        self.assertFalse(Knowledge().is_in_use(unused.pk))

    def test_in_use_counts_take_a_fixed_number_of_queries(self):
        self.scope("Junos", platform=self.inv["junos"])
        with CaptureQueriesContext(connection) as few:
            Knowledge(live=True).in_use  # noqa: B018
        for number in range(10):
            Device.objects.create(
                name=f"more-{number}",
                device_type=self.inv["mx"],
                platform=self.inv["junos"],
                role=self.inv["router_role"],
                location=self.inv["site"],
                status=fixtures.status("Active"),
            )
        with CaptureQueriesContext(connection) as more:
            in_use = Knowledge(live=True).in_use
        self.assertEqual(in_use[TechnologyScope.objects.get(platform=self.inv["junos"]).technology_id]["devices"], 12)
        self.assertEqual(len(more), len(few))
        # One of them matches every scope of every object type at once.
        self.assertEqual(sum("WITH RECURSIVE" in query["sql"] for query in more.captured_queries), 1)
