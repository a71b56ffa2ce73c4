"""The per-user answer layer: what one user may see of the engine's answers, one gap filter, one shape per answer.

The estate is `fixtures.knowledge_estate()`: Junos (Ada the only expert of two: single_expert, no_capacity), Linux
(no_expert, no_custodian), vSphere (Bob, covered), Transit (no_expert, custodian_lacks_skill; its custodian is the
plain contact Olga Owner). Nobody has primary support: every technology also has no_primary_support.
"""

from nautobot.apps.testing import TestCase
from nautobot.extras.models import Team

from nautobot_techmgmt.answers import Answers, GapAnswer, ObjectTechnology, TechnologyCoverage
from nautobot_techmgmt.filters import KnowledgeTechnologyFilterSet
from nautobot_techmgmt.models import Technology
from tests import fixtures

TECHNOLOGY = "nautobot_techmgmt.technology"
EXPERT = "nautobot_techmgmt.expert"


class AnswersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        cls.everything = fixtures.user_with_permissions(
            "everything", ([TECHNOLOGY, EXPERT, "extras.contact"], ["view"], None)
        )
        cls.junos_only = fixtures.user_with_permissions("junos-only", ([TECHNOLOGY], ["view"], {"name": "Junos"}))
        cls.bob_only = fixtures.user_with_permissions(
            "bob-only",
            ([TECHNOLOGY], ["view"], None),
            ([EXPERT], ["view"], {"contact__name": "Bob Baker"}),
        )

    @staticmethod
    def kinds(gaps):
        return sorted((gap.technology.name, gap.kind) for gap in gaps)

    def test_gaps_of_technologies_the_user_may_not_view_are_left_out(self):
        self.assertEqual(
            self.kinds(Answers(self.junos_only).gaps()),
            [("Junos", "no_capacity"), ("Junos", "no_primary_support"), ("Junos", "single_expert")],
        )
        self.assertEqual(len(Answers(self.everything).gaps()), 10)

    def test_an_expert_is_named_only_to_users_who_may_view_that_expert(self):
        for user in (self.junos_only, self.bob_only):
            with self.subTest(user=user.username):
                (single,) = Answers(user).gaps(kinds=["single_expert"])
                self.assertEqual((single.experts, single.hidden_experts), ([], 1))
                self.assertNotIn("Ada", single.detail_with_experts)
        (single,) = Answers(self.everything).gaps(kinds=["single_expert"])
        self.assertEqual(([str(e) for e in single.experts], single.hidden_experts), (["Ada Lovelace"], 0))
        self.assertTrue(single.detail_with_experts.endswith("Experts: Ada Lovelace."))

    def test_a_contact_custodian_is_named_only_to_users_who_may_view_the_contact(self):
        circuit = self.estate.inv["circuit"]
        (row,) = Answers(self.bob_only).object_knowledge(circuit)
        self.assertEqual((row.custodian.contact, row.custodian_name), (self.estate.owner_contact, None))
        (row,) = Answers(self.everything).object_knowledge(circuit)
        self.assertEqual(row.custodian_name, self.estate.owner_contact)

    def test_one_gap_filter_for_kind_severity_category_and_technologies(self):
        answers = Answers(self.everything)
        self.assertEqual(
            self.kinds(answers.gaps(kinds=["no_expert"])), [("Linux", "no_expert"), ("Transit", "no_expert")]
        )
        self.assertEqual(
            self.kinds(answers.gaps(severities=["high"])),
            [("Junos", "single_expert"), ("Transit", "custodian_lacks_skill")],
        )
        self.assertEqual(
            self.kinds(answers.gaps(categories=["server"])),
            [
                ("Linux", "no_custodian"),
                ("Linux", "no_expert"),
                ("Linux", "no_primary_support"),
                ("vSphere", "no_primary_support"),
            ],
        )
        by_team = KnowledgeTechnologyFilterSet({"team": ["Network Operations"]}, queryset=Technology.objects.all()).qs
        self.assertEqual({gap.technology.name for gap in answers.gaps(technologies=by_team)}, {"Junos"})
        by_id = KnowledgeTechnologyFilterSet({"technology": [str(self.estate.linux.pk)]}, Technology.objects.all()).qs
        self.assertEqual({gap.technology.name for gap in answers.gaps(technologies=by_id)}, {"Linux"})
        nothing = KnowledgeTechnologyFilterSet({"technology": ["Nonesuch"]}, Technology.objects.all()).qs
        self.assertEqual(answers.gaps(technologies=nothing), [])
        self.assertEqual(answers.gaps(kinds=["no_expert"], categories=["network"])[0].technology.name, "Transit")

    def test_a_gap_in_its_one_shape_says_how_its_risk_is_made(self):
        gaps = Answers(self.everything).gaps()
        self.assertTrue(all(isinstance(gap, GapAnswer) for gap in gaps))
        self.assertEqual([gap.risk for gap in gaps], sorted((gap.risk for gap in gaps), reverse=True))
        (single,) = [gap for gap in gaps if gap.kind == "single_expert"]
        self.assertEqual((single.severity, single.affected_objects, single.risk), ("high", 2, 10))
        self.assertEqual(single.risk_explanation, "high: weight 5 × 2 objects = 10")
        self.assertEqual((single.label, single.badge), ("Single expert", "bg-warning text-black"))

    def test_coverage_of_a_technology_in_its_one_shape(self):
        coverage = Answers(self.bob_only).coverage(self.estate.junos)
        self.assertIsInstance(coverage, TechnologyCoverage)
        self.assertEqual(
            coverage.in_use, {"devices": 2, "circuits": 0, "virtual_machines": 0, "clusters": 0, "cloud_services": 0}
        )
        self.assertEqual((coverage.bus_factor, coverage.qualified_experts, coverage.hidden_experts), (1, [], 1))
        self.assertEqual(coverage.custodian_team, self.estate.team)
        self.assertEqual(
            sorted(gap.kind for gap in coverage.gaps), ["no_capacity", "no_primary_support", "single_expert"]
        )
        self.assertEqual(coverage.risk, sum(gap.risk for gap in coverage.gaps))
        listed = Answers(self.junos_only).coverages(Technology.objects.all(), in_use=True)
        self.assertEqual([row.technology.name for row in listed], ["Junos"])

    def test_knowledge_of_an_object_in_its_one_shape(self):
        (row,) = Answers(self.everything).object_knowledge(self.estate.inv["router"])
        self.assertIsInstance(row, ObjectTechnology)
        self.assertEqual(
            (row.technology, row.custodian_name), (self.estate.junos, Team.objects.get(name="Network Operations"))
        )
        self.assertEqual([gap.affected_objects for gap in row.gaps], [1, 1, 1])
        self.assertEqual(Answers(self.junos_only).object_knowledge(self.estate.inv["server"]), [])

    def test_truck_factor_and_what_if_name_only_visible_experts_and_technologies(self):
        # Bob's departure orphans vSphere (2 objects) on top of Linux and Transit: 4 of 6 objects.
        self.assertEqual(Answers(self.bob_only).truck_factor(), (1, [self.estate.bob], 0))
        self.assertEqual(Answers(self.junos_only).truck_factor(), (1, [], 1))
        scenario = Answers(self.junos_only).what_if([self.estate.ada.pk, self.estate.bob.pk])
        self.assertEqual({gap.technology.name for gap in scenario.new_gaps}, {"Junos"})
        self.assertEqual([change["technology"].name for change in scenario.bus_factor_changes], ["Junos"])
