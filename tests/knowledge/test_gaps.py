"""Each gap kind appears exactly when its rule holds, with its severity and affected objects."""

from datetime import timedelta

from nautobot.apps.testing import TestCase

from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    Certification,
    ExpertCertification,
    Responsibility,
    Supplier,
    SupportContract,
    TechnologyScope,
)
from tests import fixtures

TODAY = fixtures.TODAY


class GapsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.ada, cls.bob = fixtures.expert("Ada"), fixtures.expert("Bob")
        cls.team = fixtures.team("Network Operations", members=[cls.ada.contact, cls.bob.contact])
        for expert in (cls.ada, cls.bob):
            AvailabilityAgreement.objects.create(
                expert=expert,
                team=cls.team,
                hours_per_week=8,
                valid_from=TODAY - timedelta(days=10),
                status=fixtures.status("Agreed"),
            )
        # Junos runs on two routers.
        cls.junos = fixtures.technology("Junos", custodian_team=cls.team, required_experts=2)
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])

    def kinds(self, technology=None):
        technology = technology or self.junos
        return {gap.kind: gap for gap in Knowledge(as_of=TODAY).gaps if gap.technology == technology}

    def test_an_engine_scoped_to_one_technology_answers_only_about_it(self):
        linux = fixtures.technology("Linux")  # in use, nobody qualified: gaps of its own
        TechnologyScope.objects.create(technology=linux, device=self.inv["server"])
        for live in (True, False):
            scoped = Knowledge(technology_ids=[self.junos.pk], live=live)
            self.assertEqual(scoped.live, live)
            self.assertEqual({gap.technology for gap in scoped.gaps}, {self.junos})
            self.assertEqual(scoped.gaps_of(self.junos.pk), Knowledge().gaps_of(self.junos.pk))

    def test_no_gaps_when_two_qualified_team_members_with_hours(self):
        fixtures.skill(self.ada, self.junos, 4)
        fixtures.skill(self.bob, self.junos, 3)
        # The team (both qualified) also takes the first call: the support path is covered too.
        Responsibility.objects.create(team=self.team, technology=self.junos, role="primary-support")
        self.assertEqual(self.kinds(), {})

    def test_no_expert_is_critical_and_affects_every_object_in_use(self):
        gaps = self.kinds()
        self.assertEqual(gaps["no_expert"].severity, "critical")
        self.assertEqual(gaps["no_expert"].affected_objects, 2)
        self.assertNotIn("single_expert", gaps)

    def test_single_expert_when_target_is_two(self):
        fixtures.skill(self.ada, self.junos, 4)
        gaps = self.kinds()
        self.assertEqual(gaps["single_expert"].severity, "high")
        self.assertEqual(gaps["single_expert"].experts, [self.ada])
        self.assertNotIn("no_expert", gaps)

    def test_single_expert_not_raised_when_one_is_enough(self):
        self.junos.required_experts = 1
        self.junos.save()
        fixtures.skill(self.ada, self.junos, 4)
        self.assertNotIn("single_expert", self.kinds())

    def test_below_target(self):
        self.junos.required_experts = 3
        self.junos.save()
        fixtures.skill(self.ada, self.junos, 4)
        fixtures.skill(self.bob, self.junos, 4)
        self.assertEqual(self.kinds()["below_target"].severity, "medium")

    def test_custodian_lacks_skill_when_team_has_no_qualified_member(self):
        outsider = fixtures.expert("Cy")
        fixtures.skill(outsider, self.junos, 5)
        gap = self.kinds()["custodian_lacks_skill"]
        self.assertEqual((gap.severity, gap.affected_objects), ("high", 2))

    def test_no_custodian_counts_only_objects_without_one(self):
        linux = fixtures.technology("Linux", required_experts=1)
        TechnologyScope.objects.create(technology=linux, device_role=self.inv["server_role"])
        fixtures.skill(self.ada, linux, 4)
        gap = self.kinds(linux)["no_custodian"]
        self.assertEqual((gap.severity, gap.affected_objects), ("medium", 1))

    def test_certification_expiring_within_the_warning_window(self):
        self.junos.certification_required = True
        self.junos.save()
        jncip = Certification.objects.create(name="JNCIP-SP")
        jncip.technologies.add(self.junos)
        for expert, days in ((self.ada, 30), (self.bob, 400)):
            fixtures.skill(expert, self.junos, 4)
            ExpertCertification.objects.create(
                expert=expert, certification=jncip, obtained_on=TODAY, expires_on=TODAY + timedelta(days=days)
            )
        gap = self.kinds()["certification_expiring"]
        self.assertEqual(gap.experts, [self.ada])
        # Outside the window: no gap.
        ExpertCertification.objects.filter(expert=self.ada).update(expires_on=TODAY + timedelta(days=91))
        self.assertNotIn("certification_expiring", self.kinds())

    def test_no_capacity_when_no_qualified_expert_has_agreed_hours_in_force(self):
        fixtures.skill(self.ada, self.junos, 4)
        fixtures.skill(self.bob, self.junos, 4)
        AvailabilityAgreement.objects.update(valid_until=TODAY - timedelta(days=1))
        self.assertEqual(self.kinds()["no_capacity"].severity, "medium")

    def test_vendor_only_replaces_no_expert(self):
        supplier = Supplier.objects.create(name="Juniper Professional Services")
        contract = SupportContract.objects.create(supplier=supplier, reference="JPS-1", start_date=TODAY)
        contract.technologies.add(self.junos)
        gaps = self.kinds()
        self.assertEqual(gaps["vendor_only"].severity, "low")
        self.assertNotIn("no_expert", gaps)

    def test_technology_not_in_use_has_no_gaps(self):
        unused = fixtures.technology("Mainframe")
        self.assertEqual(self.kinds(unused), {})

    def test_risk_orders_gaps(self):
        linux = fixtures.technology("Linux", required_experts=1, custodian_team=self.team)
        TechnologyScope.objects.create(technology=linux, device=self.inv["server"])
        knowledge = Knowledge(as_of=TODAY)
        # Both have no expert (critical); Junos runs on two devices, Linux on one.
        self.assertGreater(knowledge.risk[self.junos.pk], knowledge.risk[linux.pk])
        self.assertEqual(knowledge.gaps[0].technology, self.junos)
