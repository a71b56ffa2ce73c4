"""What-if shows the gaps a departure opens; the truck factor counts the departures that orphan the estate."""

from nautobot.apps.testing import TestCase

from nautobot_techmgmt.knowledge import truck_factor, what_if
from nautobot_techmgmt.models import TechnologyScope
from tests import fixtures


class WhatIfTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.ada, cls.bob = fixtures.expert("Ada"), fixtures.expert("Bob")
        team = fixtures.team("Ops", members=[cls.ada.contact, cls.bob.contact])
        cls.junos = fixtures.technology("Junos", custodian_team=team, required_experts=1)
        cls.linux = fixtures.technology("Linux", custodian_team=team, required_experts=1)
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])  # 2 devices
        TechnologyScope.objects.create(technology=cls.linux, platform=cls.inv["linux"])  # 1 device
        fixtures.skill(cls.ada, cls.junos, 4)
        fixtures.skill(cls.bob, cls.junos, 4)
        fixtures.skill(cls.bob, cls.linux, 4)

    def test_departure_of_sole_expert_opens_no_expert(self):
        result = what_if([self.bob.pk])
        new = {(gap.kind, gap.technology.name) for gap in result.new_gaps}
        self.assertIn(("no_expert", "Linux"), new)
        self.assertNotIn(("no_expert", "Junos"), new)
        changes = {row["technology"].name: (row["before"], row["after"]) for row in result.bus_factor_changes}
        self.assertEqual(changes, {"Junos": (2, 1), "Linux": (1, 0)})
        self.assertEqual(result.removed_experts, [self.bob])

    def test_truck_factor_greedy(self):
        # Weights: Junos 2 objects, Linux 1 (total 3). Removing Bob orphans Linux (1/3); then Ada orphans Junos.
        factor, experts = truck_factor()
        self.assertEqual(factor, 2)
        self.assertEqual([str(e) for e in experts], ["Bob", "Ada"])

    def test_truck_factor_one_when_a_single_expert_holds_most(self):
        self.bob.skills.filter(technology=self.junos).delete()
        # Ada alone holds Junos (2 of 3 objects): her departure orphans more than half.
        factor, experts = truck_factor()
        self.assertEqual((factor, [str(e) for e in experts]), (1, ["Ada"]))
