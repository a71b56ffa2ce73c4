"""The worked example of the user guide's *Expert Hours* page (docs/user/capacity.md), figure by figure.

Hours per week unless said otherwise. Junos (network) on 26 routers, Linux (server) on 26 servers. Network model:
base 2, 0.5 h per device and 1 h per circuit per month, uplift 25 %; Junos's own model: base 3. Server model: base
4, 2 h per device per month, uplift 25 %. Ada (90 an hour) agreed 12 and commits 4 to Junos; Ben (50) agreed 6;
Erin, a contractor (100), is qualified for Junos but has no agreement; Carl (60) is at Linux level 2 with a training
plan (1,500). The Penguin Care contract covers Linux: 26 h a month, 12,000 a year, open-ended.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.test import override_settings
from nautobot.apps.testing import TestCase
from nautobot.dcim.models import Device

from nautobot_techmgmt.knowledge.capacity import (
    AGREE_HOURS,
    BUY,
    COMPARE,
    CONTRACT,
    CONTRACTOR,
    RELEASE_HOURS,
    TRAIN,
    CapacityPlan,
)
from nautobot_techmgmt.models import EffortModel, Responsibility, TechnologyScope
from tests import fixtures

D = Decimal
# The settings as installed: the guide's example relies on the default rule (buy under 8, build from 20).
DEFAULTS = {"nautobot_techmgmt": {}}


def close(value, places=4):
    """A Decimal rounded for comparison."""
    return round(value, places)


@override_settings(PLUGINS_CONFIG=DEFAULTS)
class WorkedExampleTest(TestCase):
    """The estate of the guide's worked example."""

    @classmethod
    def setUpTestData(cls):
        inv = fixtures.inventory()
        today = date.today()
        active = fixtures.status("Active")
        # The inventory has 2 routers and 1 server: 24 and 25 more.
        for number, (device_type, platform, role) in enumerate(
            [(inv["mx"], inv["junos"], inv["router_role"])] * 24
            + [(inv["r750"], inv["linux"], inv["server_role"])] * 25
        ):
            Device.objects.create(
                name=f"dev-{number}",
                device_type=device_type,
                platform=platform,
                role=role,
                location=inv["site"],
                status=active,
            )
        cls.junos = fixtures.technology("Junos", category="network")
        cls.linux = fixtures.technology("Linux", category="server")
        TechnologyScope.objects.create(technology=cls.junos, platform=inv["junos"])
        TechnologyScope.objects.create(technology=cls.linux, platform=inv["linux"])
        EffortModel.objects.create(
            category="network",
            base_hours_per_week=2,
            hours_per_object={"devices": 0.5, "circuits": 1},
            gap_uplift_percent=25,
        )
        EffortModel.objects.create(technology=cls.junos, base_hours_per_week=3)
        EffortModel.objects.create(
            category="server", base_hours_per_week=4, hours_per_object={"devices": 2}, gap_uplift_percent=25
        )
        platform_team, cls.lina = fixtures.team("Platform"), fixtures.contact("Lina")
        cls.ada = fixtures.expert("Ada", hourly_cost=D(90), line_manager=cls.lina)
        cls.ben = fixtures.expert("Ben", hourly_cost=D(50), line_manager=cls.lina)
        cls.carl = fixtures.expert("Carl", hourly_cost=D(60), line_manager=cls.lina)
        cls.erin = fixtures.expert("Erin", employment_type="contractor", hourly_cost=D(100))
        for expert, technology, level in (
            (cls.ada, cls.junos, 4),
            (cls.ada, cls.linux, 4),
            (cls.ben, cls.junos, 3),
            (cls.carl, cls.linux, 2),
            (cls.erin, cls.junos, 4),
        ):
            fixtures.skill(expert, technology, level)
        start = today - timedelta(days=30)
        fixtures.agreement(cls.ada, platform_team, D(12), start, line_manager=cls.lina)
        fixtures.agreement(cls.ben, platform_team, D(6), start, line_manager=cls.lina)
        Responsibility.objects.create(expert=cls.ada, role="primary-support", technology=cls.junos, hours_per_week=4)
        cls.contract = fixtures.support_contract(
            fixtures.supplier("Penguin Care"),
            "PC-7",
            [cls.linux],
            start_date=today - timedelta(days=100),
            hours_per_month=D(26),
            cost=D(12000),
        )
        fixtures.training_plan(cls.carl, cls.linux, 3, cost=D(1500))

    def test_demand(self):
        demand = CapacityPlan().demand
        junos, linux = demand[self.junos.pk], demand[self.linux.pk]
        self.assertEqual(
            (junos.effort.base_hours_per_week, junos.effort.sources["base_hours_per_week"]), (3, "technology")
        )
        self.assertEqual((close(junos.object_hours), junos.uplift_percent, close(junos.hours)), (D(3), 0, D(6)))
        self.assertEqual((linux.worst_gap, linux.uplift_percent), ("high", D("12.5")))  # Ada alone: single expert
        self.assertEqual((close(linux.object_hours), close(linux.hours)), (D(12), D(18)))

    def test_supply_and_allocation(self):
        plan = CapacityPlan()
        ada, ben, erin = (plan.experts[e.pk] for e in (self.ada, self.ben, self.erin))
        self.assertEqual((ada.agreed, ada.committed), (D(12), D(4)))
        self.assertEqual({t: close(h) for t, h in ada.allocated.items()}, {self.junos.pk: D(6), self.linux.pk: D(6)})
        self.assertEqual({t: close(h) for t, h in ben.allocated.items()}, {self.junos.pk: D(6)})
        self.assertEqual(erin.allocated_hours, 0)
        self.assertEqual(close(plan.contracts[0].hours_per_week), D(6))

    def test_shortfall_surplus_utilisation_and_spare(self):
        plan = CapacityPlan()
        junos, linux = plan.technologies[self.junos.pk], plan.technologies[self.linux.pk]
        self.assertEqual(
            (close(junos.supply), close(junos.surplus), junos.shortfall, close(junos.utilisation)),
            (D(12), D(6), 0, D("0.5")),
        )
        self.assertEqual(
            (close(linux.expert_hours), close(linux.contract_hours), close(linux.shortfall), close(linux.utilisation)),
            (D(6), D(6), D(6), D("1.5")),
        )
        self.assertEqual((close(plan.experts[self.ada.pk].spare), close(plan.experts[self.ben.pk].spare)), (D(3), D(3)))

    def test_junos_few_hours_are_better_bought(self):
        found = CapacityPlan().make_or_buy(self.junos.pk)
        self.assertEqual(found.recommendation, BUY)
        options = {(o.kind, str(o.expert or o.contract or "")): o for o in found.options}
        self.assertEqual(
            set(options), {(RELEASE_HOURS, "Ada"), (RELEASE_HOURS, "Ben"), (CONTRACTOR, ""), (CONTRACT, "")}
        )
        self.assertEqual(
            (close(options[(RELEASE_HOURS, "Ada")].hours_per_week), options[(RELEASE_HOURS, "Ada")].cost_per_year),
            (D(3), D(14040)),
        )
        self.assertEqual(options[(RELEASE_HOURS, "Ben")].cost_per_year, D(7800))
        contractor = options[(CONTRACTOR, "")]
        self.assertEqual((close(contractor.hours_per_week), close(contractor.cost_per_year)), (D(6), D(31200)))
        self.assertEqual(contractor.basis, "median hourly cost of contractors qualified for Network technologies")
        self.assertIsNone(options[(CONTRACT, "")].cost_per_year)
        self.assertEqual(found.internal_cost_per_year, D(43680))

    def test_linux_between_the_rules_compares_the_costs(self):
        found = CapacityPlan().make_or_buy(self.linux.pk)
        self.assertEqual(found.recommendation, COMPARE)
        options = {(o.kind, str(o.expert or o.contract or "")): o for o in found.options}
        train = options[(TRAIN, "Carl")]
        self.assertEqual((close(train.cost_per_year), train.one_off_cost), (D(18720), D(1500)))
        agree = options[(AGREE_HOURS, "Ada")]
        self.assertEqual((close(agree.cost_per_year), agree.line_manager), (D(28080), self.lina))
        contractor = options[(CONTRACTOR, "")]
        self.assertEqual(
            (close(contractor.cost_per_year), contractor.basis), (D(31200), "median hourly cost of all contractors")
        )
        contract = options[(CONTRACT, "Penguin Care PC-7")]
        self.assertEqual((contract.cost_per_year, contract.basis), (D(12000), "in force"))
        self.assertEqual(len(options), 4)
