"""Every knowledge surface costs the same queries when the estate doubles (devices, cloud services, experts, skills)."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase

from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import TechnologyScope
from tests import fixtures

SIZE = 50


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class QueryCountTest(fixtures.GraphQLTestMixin, APITestCase):
    """Measure a surface at SIZE devices, experts and skills per technology, double all three, measure again."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        # Junos runs the managed databases too (by cloud resource type).
        TechnologyScope.objects.create(technology=cls.estate.junos, cloud_resource_type=cls.estate.inv["rds"])

    def setUp(self):
        super().setUp()
        self.add_permissions(
            "dcim.view_device",
            "cloud.view_cloudservice",
            "nautobot_techmgmt.view_technology",
            "nautobot_techmgmt.view_expert",
            *fixtures.EVERYTHING,
        )
        self.round = 0

    def grow(self):
        """Add SIZE devices and SIZE experts (each with two skills), and refresh the materialised rows."""
        self.round += 1
        fixtures.more_routers(self.estate, SIZE, prefix=f"r{self.round}")
        fixtures.more_cloud_services(self.estate, SIZE, prefix=f"db{self.round}")
        fixtures.more_experts(self.estate, SIZE, prefix=f"Round {self.round} expert")
        rebuild_knowledge()

    def queries(self, call):
        """SQL of one call, after a first call has warmed Nautobot's caches (custom fields, relationships)."""
        call()
        with CaptureQueriesContext(connection) as captured:
            call()
        return [query["sql"] for query in captured.captured_queries]

    def assertSameQueriesWhenDoubled(self, call):  # pylint: disable=invalid-name
        self.grow()
        small = self.queries(call)
        self.grow()
        large = self.queries(call)
        grown = [sql[:160] for sql in large if sql not in small]
        self.assertEqual(len(large), len(small), f"queries that differ: {grown}")
        return len(large)

    def get(self, url, **headers):
        response = self.client.get(url, **headers)
        self.assertHttpStatus(response, 200)
        return response

    def api(self, name, **kwargs):
        return reverse(f"plugins-api:nautobot_techmgmt-api:{name}", kwargs=kwargs)

    def test_device_detail_page_with_the_panel(self):
        self.client.force_login(self.user)
        url = reverse("dcim:device", kwargs={"pk": self.estate.inv["router"].pk})
        self.assertSameQueriesWhenDoubled(lambda: self.assertContains(self.get(url), "TECHNICAL MANAGEMENT"))

    def test_cloud_service_detail_page_with_the_panel(self):
        self.client.force_login(self.user)
        url = reverse("cloud:cloudservice", kwargs={"pk": self.estate.inv["database"].pk})
        self.assertSameQueriesWhenDoubled(lambda: self.assertContains(self.get(url), "TECHNICAL MANAGEMENT"))

    def test_coverage_of_technologies(self):
        self.assertSameQueriesWhenDoubled(lambda: self.get(self.api("coverage-technologies"), **self.header))

    def test_coverage_of_one_device(self):
        url = self.api("coverage-object", model="dcim.device", pk=self.estate.inv["router"].pk)
        self.assertSameQueriesWhenDoubled(lambda: self.get(url, **self.header))

    def test_coverage_of_one_cloud_service(self):
        url = self.api("coverage-object", model="cloud.cloudservice", pk=self.estate.inv["database"].pk)
        self.assertSameQueriesWhenDoubled(lambda: self.get(url, **self.header))

    def test_gaps(self):
        self.assertSameQueriesWhenDoubled(lambda: self.get(self.api("gaps"), **self.header))

    def test_graphql_devices_with_their_knowledge(self):
        def devices_query():
            self.assertEqual(len(self.query(fixtures.DEVICES)["devices"]), 3 + SIZE * self.round)

        self.assertSameQueriesWhenDoubled(devices_query)

    def test_graphql_cloud_services_with_their_knowledge(self):
        def services_query():
            services = self.query(f"query {{ cloud_services {{ name {fixtures.KNOWLEDGE} }} }}")["cloud_services"]
            self.assertEqual(len(services), 2 + SIZE * self.round)

        self.assertSameQueriesWhenDoubled(services_query)
