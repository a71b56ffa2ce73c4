"""The computed REST endpoints answer with the documented shape and honour permissions."""

from django.urls import reverse
from nautobot.apps.testing import APITestCase

from nautobot_techmgmt.models import TechnologyScope
from tests import fixtures


class KnowledgeEndpointsTest(APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.ada = fixtures.expert("Ada")
        cls.team = fixtures.team("Network Operations", members=[cls.ada.contact])
        cls.junos = fixtures.technology("Junos", custodian_team=cls.team, required_experts=2, category="network")
        cls.oracle = fixtures.technology("Oracle", category="database")
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])
        fixtures.skill(cls.ada, cls.junos, 4)

    def url(self, name, **kwargs):
        return reverse(f"plugins-api:nautobot_techmgmt-api:{name}", kwargs=kwargs)

    def test_coverage_technologies_shape_and_filters(self):
        self.add_permissions("nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert")
        response = self.client.get(self.url("coverage-technologies") + "?in_use=true", **self.header)
        self.assertHttpStatus(response, 200)
        (row,) = response.json()
        self.assertEqual(row["technology"]["name"], "Junos")
        self.assertEqual(
            row["in_use"], {"devices": 2, "circuits": 0, "virtual_machines": 0, "clusters": 0, "cloud_services": 0}
        )
        self.assertEqual((row["bus_factor"], row["required_experts"]), (1, 2))
        self.assertEqual([e["display"] for e in row["qualified_experts"]], ["Ada"])
        self.assertEqual(row["custodian_team"]["display"], str(self.team))
        self.assertIn({"kind": "single_expert", "severity": "high"}, row["gaps"])
        self.assertGreater(row["risk"], 0)
        response = self.client.get(self.url("coverage-technologies") + "?category=database", **self.header)
        self.assertEqual([r["technology"]["name"] for r in response.json()], ["Oracle"])
        response = self.client.get(self.url("coverage-technologies") + "?category=database&in_use=false", **self.header)
        self.assertEqual([r["technology"]["name"] for r in response.json()], ["Oracle"])  # in_use with a filter

    def test_coverage_of_one_device(self):
        self.add_permissions("nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert", "dcim.view_device")
        response = self.client.get(
            self.url("coverage-object", model="dcim.device", pk=self.inv["router"].pk), **self.header
        )
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertEqual(body["object"]["display"], "ams-rtr-1")
        (row,) = body["technologies"]
        self.assertEqual(row["custodian"]["team"]["display"], str(self.team))
        self.assertEqual(row["custodian"]["source"], "custodian team of technology Junos")

    def test_coverage_of_an_object_the_user_may_not_view_is_404(self):
        self.add_permissions("nautobot_techmgmt.view_technology")
        response = self.client.get(
            self.url("coverage-object", model="dcim.device", pk=self.inv["router"].pk), **self.header
        )
        self.assertHttpStatus(response, 404)

    def test_gaps_filters_and_hides_expert_names_without_permission(self):
        self.add_permissions("nautobot_techmgmt.view_technology")
        response = self.client.get(self.url("gaps") + "?kind=single_expert", **self.header)
        self.assertHttpStatus(response, 200)
        (gap,) = response.json()
        self.assertEqual((gap["technology"]["name"], gap["affected_objects"]), ("Junos", 2))
        self.assertNotIn("Ada", gap["detail"])
        self.add_permissions("nautobot_techmgmt.view_expert")
        (gap,) = self.client.get(self.url("gaps") + "?kind=single_expert", **self.header).json()
        self.assertIn("Experts: Ada.", gap["detail"])

    def test_what_if_and_truck_factor(self):
        self.add_permissions("nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert")
        response = self.client.post(self.url("what-if"), {"experts": [str(self.ada.pk)]}, format="json", **self.header)
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertIn("no_expert", [gap["kind"] for gap in body["new_gaps"]])
        self.assertEqual(body["bus_factor_changes"][0]["after"], 0)
        response = self.client.post(self.url("what-if"), {"experts": ["not-a-uuid"]}, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        response = self.client.get(self.url("truck-factor"), **self.header)
        self.assertEqual(
            response.json(),
            {"truck_factor": 1, "experts": [{"id": str(self.ada.pk), "display": "Ada"}], "threshold": 0.5},
        )

    def test_user_without_technology_permission_is_refused(self):
        response = self.client.get(self.url("gaps"), **self.header)
        self.assertHttpStatus(response, 403)
