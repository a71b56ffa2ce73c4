"""Materialised knowledge on core objects through GraphQL: fields, filters and permissions."""

from nautobot.apps.testing import APITestCase

from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import Responsibility
from tests import fixtures


class GraphQLKnowledgeTest(fixtures.GraphQLTestMixin, APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        # Bob, an expert, is the Junos custodian of the Berlin router.
        Responsibility.objects.create(
            expert=cls.estate.bob, technology=cls.estate.junos, role="custodian", device=cls.estate.inv["other_router"]
        )
        rebuild_knowledge()

    def devices(self, text=fixtures.DEVICES):
        return {device["name"]: device["techmgmt_knowledge"] for device in self.query(text)["devices"]}

    def test_devices_carry_their_knowledge(self):
        self.add_permissions("dcim.view_device", *fixtures.EVERYTHING)
        devices = self.devices()
        self.assertEqual(
            devices["ams-rtr-1"],
            [
                {
                    "technology": {"name": "Junos"},
                    "custodian_team": {"name": "Network Operations"},
                    "custodian_expert": None,
                    "custodian_source": "custodian team of technology Junos",
                    "bus_factor": 1,
                    "gaps": ["single_expert", "no_capacity", "no_primary_support"],
                    "severity": "high",
                    "risk": 9,
                }
            ],
        )
        (berlin,) = devices["ber-rtr-1"]
        self.assertEqual(berlin["custodian_expert"], {"contact": {"name": "Bob Baker"}})
        self.assertEqual(berlin["custodian_source"], "assigned on this device")
        (server,) = devices["ams-srv-1"]
        self.assertEqual((server["custodian_team"], server["severity"], server["risk"]), (None, "critical", 14))

    def test_circuits_virtual_machines_and_clusters_carry_their_knowledge(self):
        self.add_permissions(
            "circuits.view_circuit",
            "virtualization.view_virtualmachine",
            "virtualization.view_cluster",
            *fixtures.EVERYTHING,
        )
        data = self.query(
            f"query {{ circuits {{ cid {fixtures.KNOWLEDGE} }} virtual_machines {{ name {fixtures.KNOWLEDGE} }}"
            f" clusters {{ name {fixtures.KNOWLEDGE} }} }}"
        )
        (circuit,) = data["circuits"][0]["techmgmt_knowledge"]
        self.assertEqual(circuit["custodian_source"], "assigned on this circuit (contact association)")
        self.assertEqual(circuit["gaps"], ["no_expert", "custodian_lacks_skill", "no_primary_support"])
        for key in ("virtual_machines", "clusters"):
            (row,) = data[key][0]["techmgmt_knowledge"]
            self.assertEqual(row["technology"], {"name": "vSphere"})
            self.assertEqual(row["custodian_expert"], {"contact": {"name": "Bob Baker"}})
            self.assertEqual((row["gaps"], row["severity"], row["risk"]), (["no_primary_support"], "medium", 2))

    def test_no_expert_data_without_permission_to_view_experts(self):
        self.add_permissions("dcim.view_device", *(perm for perm in fixtures.EVERYTHING if perm.endswith("_team")))
        self.add_permissions("nautobot_techmgmt.view_objectknowledge", "nautobot_techmgmt.view_technology")
        (berlin,) = self.devices()["ber-rtr-1"]
        self.assertIsNone(berlin["custodian_expert"])
        self.assertEqual(berlin["technology"], {"name": "Junos"})
        self.assertNotIn("Bob", str(self.query(fixtures.DEVICES)))

    def test_no_knowledge_rows_without_permission_to_view_them(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology")
        self.assertEqual(self.devices(), {"ams-rtr-1": [], "ams-srv-1": [], "ber-rtr-1": []})

    def test_rows_of_technologies_the_user_may_not_view_hide_the_technology(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_objectknowledge")
        (router,) = self.devices()["ams-rtr-1"]
        self.assertIsNone(router["technology"])

    def test_knowledge_filters_are_graphql_arguments(self):
        self.add_permissions("dcim.view_device", "virtualization.view_cluster")
        team = self.estate.team
        data = self.query(f'query {{ devices(nautobot_techmgmt_custodian_team: ["{team.name}"]) {{ name }} }}')
        self.assertEqual(sorted(d["name"] for d in data["devices"]), ["ams-rtr-1"])
        data = self.query('query { devices(nautobot_techmgmt_technology: ["Linux"]) { name } }')
        self.assertEqual([d["name"] for d in data["devices"]], ["ams-srv-1"])
        # Bob (qualified) takes the first call for vSphere: its cluster has no gap left.
        Responsibility.objects.create(expert=self.estate.bob, technology=self.estate.vsphere, role="primary-support")
        rebuild_knowledge()
        data = self.query("query { clusters(nautobot_techmgmt_has_knowledge_gap: false) { name } }")
        self.assertEqual([c["name"] for c in data["clusters"]], ["ams-cl-1"])
        data = self.query("query { devices(nautobot_techmgmt_has_knowledge_gap: false) { name } }")
        self.assertEqual(data["devices"], [])
