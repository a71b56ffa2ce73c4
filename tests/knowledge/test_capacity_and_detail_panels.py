"""Agreed against committed hours of an expert, and the knowledge shown on technology and expert pages."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.knowledge import CapacityPlan
from nautobot_techmgmt.models import AvailabilityAgreement, Responsibility, TechnologyScope
from tests import fixtures


class DetailKnowledgeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.ada = fixtures.expert("Ada")
        cls.team = fixtures.team("Network Operations", members=[cls.ada.contact])
        cls.junos = fixtures.technology("Junos", custodian_team=cls.team, required_experts=2)
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])
        fixtures.skill(cls.ada, cls.junos, 4)
        today = date.today()
        agreed, proposed = fixtures.status("Agreed"), fixtures.status("Proposed")
        AvailabilityAgreement.objects.create(
            expert=cls.ada,
            team=cls.team,
            hours_per_week=Decimal("8"),
            valid_from=today - timedelta(days=10),
            status=agreed,
        )
        AvailabilityAgreement.objects.create(
            expert=cls.ada,
            team=cls.team,
            hours_per_week=Decimal("4"),
            valid_from=today - timedelta(days=90),
            valid_until=today - timedelta(days=11),
            status=agreed,
        )
        AvailabilityAgreement.objects.create(
            expert=cls.ada,
            team=fixtures.team("Servers"),
            hours_per_week=Decimal("6"),
            valid_from=today,
            status=proposed,
        )
        Responsibility.objects.create(
            expert=cls.ada, role="primary-support", technology=cls.junos, hours_per_week=Decimal("5")
        )
        Responsibility.objects.create(
            expert=cls.ada, role="escalation", device=cls.inv["router"], hours_per_week=Decimal("5.5")
        )

    def test_capacity_counts_only_agreed_agreements_in_force(self):
        supply = CapacityPlan().experts[self.ada.pk]
        self.assertEqual(
            (supply.agreed, supply.committed, supply.uncommitted), (Decimal("8"), Decimal("10.5"), Decimal("-2.5"))
        )

    def test_expert_page_shows_capacity(self):
        self.add_permissions("nautobot_techmgmt.view_expert")
        page = self.client.get(reverse("plugins:nautobot_techmgmt:expert", kwargs={"pk": self.ada.pk}))
        self.assertHttpStatus(page, 200)
        body = page.content.decode()
        self.assertIn("Committed Hours Per Week", body)
        self.assertIn("10.5", body)
        self.assertIn("2.5 beyond the agreed", body)

    def test_technology_page_shows_use_bus_factor_and_gaps(self):
        self.add_permissions("nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert")
        page = self.client.get(reverse("plugins:nautobot_techmgmt:technology", kwargs={"pk": self.junos.pk}))
        self.assertHttpStatus(page, 200)
        body = page.content.decode()
        self.assertIn("2 devices", body)
        self.assertIn("1 of 2 required", body)
        self.assertIn("Single expert (high, 2 object(s))", body)
        self.assertIn("Ada", body)
        self.assertNotIn("<td>Effort Model</td>", body)  # reverse one-to-ones are not fields of the technology

    def test_technology_page_follows_each_change_of_custodian_and_membership(self):
        helpdesk = fixtures.team("Helpdesk")
        self.junos.custodian_team = helpdesk
        self.junos.save()
        self.add_permissions("nautobot_techmgmt.view_technology")
        url = reverse("plugins:nautobot_techmgmt:technology", kwargs={"pk": self.junos.pk})
        body = self.client.get(url).content.decode()
        self.assertIn("Custodian lacks skill (high, 2 object(s))", body)
        self.assertIn("up to date", body)
        # Who the custodian is comes from the objects' rows; whether that team is qualified is joined in when read.
        helpdesk.contacts.add(self.ada.contact)
        self.assertNotIn("Custodian lacks skill", self.client.get(url).content.decode())
        helpdesk.contacts.remove(self.ada.contact)
        self.assertIn("Custodian lacks skill", self.client.get(url).content.decode())
        self.junos.custodian_team = self.team
        self.junos.save()
        self.assertNotIn("Custodian lacks skill", self.client.get(url).content.decode())
