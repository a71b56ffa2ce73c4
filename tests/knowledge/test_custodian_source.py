"""The effective custodian follows the five-step order and says where it came from."""

from django.contrib.contenttypes.models import ContentType
from nautobot.apps.testing import TestCase
from nautobot.dcim.models import Device
from nautobot.extras.models import ContactAssociation, DynamicGroup, Role

from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import Responsibility, TechnologyScope
from tests import fixtures


class CustodianSourceTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.network_team = fixtures.team("Network Operations")
        cls.junos = fixtures.technology("Junos", custodian_team=cls.network_team)
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])

    def custodian(self, device=None):
        (row,) = Knowledge().for_object(device or self.inv["router"])
        return row["custodian"]

    def custodian_team(self, name, **target):
        team = fixtures.team(name)
        Responsibility.objects.create(team=team, role="custodian", **target)
        return team

    def test_falls_back_to_technology_custodian_team(self):
        custodian = self.custodian()
        self.assertEqual(custodian.team, self.network_team)
        self.assertEqual(custodian.step, 5)
        self.assertEqual(custodian.source, "custodian team of technology Junos")

    def test_location_ancestor_beats_technology_and_nearest_location_wins(self):
        self.custodian_team("Europe Field Ops", location=self.inv["region"])
        self.assertEqual(self.custodian().source, "inherited from location Europe")
        self.custodian_team("Amsterdam DC Ops", location=self.inv["site"])
        self.assertEqual(str(self.custodian().team), "Amsterdam DC Ops")

    def test_platform_beats_location(self):
        self.custodian_team("Amsterdam DC Ops", location=self.inv["site"])
        self.custodian_team("Juniper Experts", platform=self.inv["junos"])
        custodian = self.custodian()
        self.assertEqual(str(custodian.team), "Juniper Experts")
        self.assertEqual(custodian.source, "inherited from platform junos")
        self.assertEqual(custodian.source_object, self.inv["junos"])

    def test_dynamic_group_beats_platform_and_object_beats_all(self):
        group = DynamicGroup.objects.create(
            name="Core routers", content_type=ContentType.objects.get_for_model(Device), filter={"role": ["Router"]}
        )
        group.update_cached_members()
        self.custodian_team("Juniper Experts", platform=self.inv["junos"])
        self.custodian_team("Core Team", dynamic_group=group)
        self.assertEqual(str(self.custodian().team), "Core Team")
        self.custodian_team("Router Owner", device=self.inv["router"])
        self.assertEqual(self.custodian().source, "assigned on this device")
        self.assertEqual(str(self.custodian().team), "Router Owner")

    def test_responsibility_for_the_technology_beats_one_for_every_technology_then_tier(self):
        self.custodian_team("All tech", platform=self.inv["junos"])
        Responsibility.objects.create(
            team=fixtures.team("Tier 2"),
            role="custodian",
            technology=self.junos,
            platform=self.inv["junos"],
            escalation_tier=2,
        )
        Responsibility.objects.create(
            team=fixtures.team("Tier 1"),
            role="custodian",
            technology=self.junos,
            platform=self.inv["junos"],
            escalation_tier=1,
        )
        self.assertEqual(str(self.custodian().team), "Tier 1")

    def test_non_custodian_roles_do_not_count(self):
        Responsibility.objects.create(team=fixtures.team("Helpdesk"), role="primary-support", device=self.inv["router"])
        self.assertEqual(self.custodian().step, 5)

    def test_core_contact_association_with_custodian_role_counts_on_its_object(self):
        role = Role.objects.get_or_create(name="Custodian")[0]
        role.content_types.add(ContentType.objects.get_for_model(ContactAssociation))
        owner = fixtures.team("Site Owners")
        ContactAssociation.objects.create(
            team=owner,
            associated_object_type=ContentType.objects.get_for_model(Device),
            associated_object_id=self.inv["router"].pk,
            role=role,
            status=fixtures.status("Active"),
        )
        custodian = self.custodian()
        self.assertEqual(custodian.team, owner)
        self.assertEqual(custodian.source, "assigned on this device (contact association)")
        # The other router is not associated and keeps the technology's team.
        self.assertEqual(self.custodian(self.inv["other_router"]).team, self.network_team)

    def test_no_custodian_when_nothing_applies(self):
        linux = fixtures.technology("Linux")
        TechnologyScope.objects.create(technology=linux, platform=self.inv["linux"])
        self.assertIsNone(self.custodian(self.inv["server"]))
