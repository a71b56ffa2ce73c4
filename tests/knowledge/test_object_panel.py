"""The "Technical management" panel on core detail pages."""

from django.test import override_settings
from django.urls import reverse
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.models import TechnologyScope
from tests import fixtures


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class ObjectPanelTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.ada = fixtures.expert("Ada")
        cls.team = fixtures.team("Network Operations", members=[cls.ada.contact])
        cls.junos = fixtures.technology("Junos", custodian_team=cls.team, required_experts=2)
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])
        fixtures.skill(cls.ada, cls.junos, 4)

    def get_device_page(self):
        response = self.client.get(reverse("dcim:device", kwargs={"pk": self.inv["router"].pk}))
        self.assertHttpStatus(response, 200)
        return response.content.decode()

    def test_panel_shows_technology_custodian_source_experts_and_gap(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert")
        page = self.get_device_page()
        self.assertIn("TECHNICAL MANAGEMENT", page)
        self.assertIn("Junos", page)
        self.assertIn("custodian team of technology Junos", page)
        self.assertIn(">Ada<", page)
        self.assertIn("Single expert", page)

    def test_panel_hides_expert_names_without_expert_permission(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology")
        page = self.get_device_page()
        self.assertIn("Network Operations", page)
        self.assertNotIn(">Ada<", page)

    def test_no_panel_without_technology_permission(self):
        self.add_permissions("dcim.view_device")
        self.assertNotIn("TECHNICAL MANAGEMENT", self.get_device_page())

    def test_circuit_vm_and_cluster_pages_render_the_panel(self):
        self.add_permissions(
            "circuits.view_circuit",
            "virtualization.view_virtualmachine",
            "virtualization.view_cluster",
            "nautobot_techmgmt.view_technology",
        )
        for name, obj in (
            ("circuits:circuit", self.inv["circuit"]),
            ("virtualization:virtualmachine", self.inv["vm"]),
            ("virtualization:cluster", self.inv["cluster"]),
        ):
            response = self.client.get(reverse(name, kwargs={"pk": obj.pk}))
            self.assertHttpStatus(response, 200)
            self.assertIn("No technology is in use on this object", response.content.decode())
