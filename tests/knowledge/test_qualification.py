"""An expert is qualified when active, skilled enough and, where required, certified on the day."""

from datetime import timedelta

from nautobot.apps.testing import TestCase

from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import Certification, ExpertCertification
from tests import fixtures

TODAY = fixtures.TODAY


class QualificationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.junos = fixtures.technology("Junos", qualified_level=3)

    def test_skill_at_qualified_level_counts_and_below_does_not(self):
        fixtures.skill(fixtures.expert("Ada"), self.junos, 3)
        fixtures.skill(fixtures.expert("Bob"), self.junos, 2)
        self.assertEqual([str(e) for e in Knowledge(as_of=TODAY).qualified_experts(self.junos.pk)], ["Ada"])

    def test_only_active_experts_count(self):
        fixtures.skill(fixtures.expert("Ada", status_name="On Leave"), self.junos, 5)
        fixtures.skill(fixtures.expert("Bob", status_name="Departed"), self.junos, 5)
        self.assertEqual(Knowledge(as_of=TODAY).bus_factor(self.junos.pk), 0)

    def test_certification_required_needs_unexpired_evidencing_certification(self):
        self.junos.certification_required = True
        self.junos.save()
        jncip = Certification.objects.create(name="JNCIP-SP")
        jncip.technologies.add(self.junos)
        unrelated = Certification.objects.create(name="CCNP")
        ada, bob, cy = fixtures.expert("Ada"), fixtures.expert("Bob"), fixtures.expert("Cy")
        for expert in (ada, bob, cy):
            fixtures.skill(expert, self.junos, 4)
        ExpertCertification.objects.create(
            expert=ada,
            certification=jncip,
            obtained_on=TODAY - timedelta(days=30),
            expires_on=TODAY + timedelta(days=30),
        )
        ExpertCertification.objects.create(
            expert=bob,
            certification=jncip,
            obtained_on=TODAY - timedelta(days=900),
            expires_on=TODAY - timedelta(days=1),
        )
        ExpertCertification.objects.create(expert=cy, certification=unrelated, obtained_on=TODAY)
        self.assertEqual([str(e) for e in Knowledge(as_of=TODAY).qualified_experts(self.junos.pk)], ["Ada"])
        # On the day after Ada's certification lapses nobody is qualified.
        self.assertEqual(Knowledge(as_of=TODAY + timedelta(days=31)).bus_factor(self.junos.pk), 0)

    def test_departed_in_scenario_do_not_count(self):
        ada = fixtures.expert("Ada")
        fixtures.skill(ada, self.junos, 4)
        self.assertEqual(Knowledge(as_of=TODAY, departed_experts=[ada.pk]).bus_factor(self.junos.pk), 0)
