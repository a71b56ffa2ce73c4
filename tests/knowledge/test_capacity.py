"""Expert hours: demand from the effort model and inventory, allocation of agreed hours, make-or-buy.

The estate (figures in hours per week; a month is 52/12 weeks, so 13 h per object per month is 3 h per week):

* Junos, network: 2 routers. Network model: base 2, 13 h per device and 26 h per circuit per month, uplift 20 %;
  Junos's own model: base 4. Ada and Bob are qualified: no gap of its own. Demand 4 + 2 x 3 = 10.
* Cloud, cloud: 2 cloud services. No model: `default_effort` (base 2, 13 h per cloud service, uplift 50 %).
  Only Ada is qualified (single expert, high: half the uplift, 25 %). Demand (2 + 2 x 3) x 1.25 = 10.
* Linux, server: 1 server. Server model: base 3, 26 h per device, uplift 10 %. Only Carol (single expert, high: 5 %).
  Demand (3 + 6) x 1.05 = 9.45.
* Transit, network: 1 circuit. Nobody qualified, but a contract in force covers it (vendor only, low: no uplift).
  Demand 2 + 6 = 8. The contract states 26 h per month: 6 h per week.
* Cobol: not in use, needs nothing.

Ada: 20 h agreed, 4 committed to Junos. Rest 16 split by demand Junos 10 : Cloud 10, so Junos 12 and Cloud 8.
Bob: 4 h agreed (a proposed and an ended agreement do not count), 2 h committed on a router with no technology
(part of the rest): Junos 4. Carol: 6 h agreed, 3 committed to Transit, for which she is not qualified (spent):
Linux 3. Dan is on leave: 10 h agreed, qualified for nothing, unallocated.

Junos: supply 16, surplus 6 (Ada's share 12 x 6/16 = 4.5 spare, Bob's 1.5). Cloud: supply 8, shortfall 2.
Linux: supply 3, shortfall 6.45. Transit: supply 6 (the contract), shortfall 2.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.capacity import CapacityAnswers
from nautobot_techmgmt.knowledge.capacity import (
    AGREE_HOURS,
    BUILD,
    BUY,
    COMPARE,
    CONTRACT,
    CONTRACTOR,
    RELEASE_HOURS,
    TRAIN,
    CapacityPlan,
)
from nautobot_techmgmt.knowledge.state import ensure_fresh
from nautobot_techmgmt.models import CoverageSnapshot, EffortModel, Responsibility, TechnologyScope
from tests import fixtures

D = Decimal
DEFAULT_EFFORT = {"base_hours_per_week": 2, "hours_per_object": {"cloud_services": 13}, "gap_uplift_percent": 50}
SETTINGS = {"nautobot_techmgmt": {"default_effort": DEFAULT_EFFORT}}


def plugins_config(**values):
    """PLUGINS_CONFIG with the test's default effort and the given settings."""
    return {"nautobot_techmgmt": {"default_effort": DEFAULT_EFFORT, **values}}


def close(value, places=4):
    """A Decimal rounded for comparison."""
    return round(value, places)


class CapacityEstate(TestCase):
    """The estate of the module docstring."""

    @classmethod
    def setUpTestData(cls):
        inv = cls.inv = fixtures.inventory()
        today = date.today()
        cls.netops = fixtures.team("Network Operations")
        cls.lina = fixtures.contact("Lina Manager")
        cls.junos = fixtures.technology("Junos", category="network")
        cls.cloud = fixtures.technology("Cloud", category="cloud")
        cls.linux = fixtures.technology("Linux", category="server")
        cls.transit = fixtures.technology("Transit", category="network")
        cls.cobol = fixtures.technology("Cobol", category="application")
        TechnologyScope.objects.create(technology=cls.junos, platform=inv["junos"])
        TechnologyScope.objects.create(technology=cls.cloud, manufacturer=inv["aws"])
        TechnologyScope.objects.create(technology=cls.linux, platform=inv["linux"])
        TechnologyScope.objects.create(technology=cls.transit, provider=inv["provider"])
        EffortModel.objects.create(
            category="network",
            base_hours_per_week=D(2),
            hours_per_object={"devices": 13, "circuits": 26},
            gap_uplift_percent=D(20),
        )
        EffortModel.objects.create(technology=cls.junos, base_hours_per_week=D(4))
        EffortModel.objects.create(
            category="server", base_hours_per_week=D(3), hours_per_object={"devices": 26}, gap_uplift_percent=D(10)
        )
        cls.ada = fixtures.expert("Ada", hourly_cost=D(90), line_manager=cls.lina)
        cls.bob = fixtures.expert("Bob", hourly_cost=D(50))
        cls.carol = fixtures.expert("Carol", hourly_cost=D(80))
        cls.dan = fixtures.expert("Dan", status_name="On Leave", hourly_cost=D(60))
        cls.erin = fixtures.expert("Erin", employment_type="contractor", hourly_cost=D(100))
        for expert, technology, level in (
            (cls.ada, cls.junos, 4),
            (cls.ada, cls.cloud, 4),
            (cls.bob, cls.junos, 3),
            (cls.bob, cls.linux, 2),
            (cls.carol, cls.linux, 4),
            (cls.dan, cls.junos, 5),
            (cls.erin, cls.junos, 4),
        ):
            fixtures.skill(expert, technology, level)
        start = today - timedelta(days=30)
        fixtures.agreement(cls.ada, cls.netops, D(20), start, line_manager=cls.lina)
        fixtures.agreement(cls.bob, cls.netops, D(4), start)
        fixtures.agreement(cls.bob, fixtures.team("Servers"), D(10), start, status_name="Proposed")
        fixtures.agreement(
            cls.bob, fixtures.team("Old"), D(30), start - timedelta(days=90), valid_until=start - timedelta(days=1)
        )
        fixtures.agreement(cls.carol, cls.netops, D(6), start)
        fixtures.agreement(cls.dan, cls.netops, D(10), start)
        Responsibility.objects.create(expert=cls.ada, role="primary-support", technology=cls.junos, hours_per_week=4)
        Responsibility.objects.create(expert=cls.bob, role="escalation", device=inv["router"], hours_per_week=2)
        Responsibility.objects.create(expert=cls.carol, role="custodian", technology=cls.transit, hours_per_week=3)
        cls.contract = fixtures.support_contract(
            fixtures.supplier("Carrier Care"),
            "CC-1",
            [cls.transit],
            start_date=today - timedelta(days=10),
            hours_per_month=D(26),
            cost=D(9000),
        )
        fixtures.training_plan(cls.bob, cls.linux, 3, cost=D(1200))


@override_settings(PLUGINS_CONFIG=SETTINGS)
class CapacityPlanTest(CapacityEstate):
    """The engine's figures."""

    @staticmethod
    def plan():
        return CapacityPlan()

    # --- demand ---

    def test_demand_is_the_effort_model_applied_to_the_objects_in_use(self):
        demand = self.plan().demand
        self.assertEqual(close(demand[self.junos.pk].hours), D(10))
        self.assertEqual(close(demand[self.cloud.pk].hours), D(10))
        self.assertEqual(close(demand[self.linux.pk].hours), D("9.45"))
        self.assertEqual(close(demand[self.transit.pk].hours), D(8))
        self.assertNotIn(self.cobol.pk, demand)

    def test_each_value_is_inherited_from_the_category_then_the_setting(self):
        plan = self.plan()
        junos = plan.effort(self.junos)
        self.assertEqual(junos.base_hours_per_week, D(4))
        self.assertEqual(junos.hours_per_object["devices"], D(13))
        self.assertEqual(junos.gap_uplift_percent, D(20))
        self.assertEqual(
            (junos.sources["base_hours_per_week"], junos.sources["devices"], junos.sources["cloud_services"]),
            ("technology", "category", "default"),
        )
        self.assertEqual(plan.effort(self.cloud).sources["gap_uplift_percent"], "default")

    def test_a_critical_gap_adds_the_uplift_and_a_high_one_half_of_it(self):
        demand = self.plan().demand
        self.assertEqual((demand[self.cloud.pk].worst_gap, demand[self.cloud.pk].uplift_percent), ("high", D(25)))
        self.assertEqual((demand[self.transit.pk].worst_gap, demand[self.transit.pk].uplift_percent), ("low", D(0)))
        self.contract.delete()  # Transit loses its contract: nobody is qualified, a critical gap
        demand = self.plan().demand[self.transit.pk]
        self.assertEqual((demand.worst_gap, demand.uplift_percent, close(demand.hours)), ("critical", D(20), D("9.6")))

    def test_demand_follows_the_inventory_at_once(self):
        fixtures.more_routers(self, 26)  # 26 more Junos routers: 26 x 3 h = 78 h more
        self.assertEqual(close(self.plan().demand[self.junos.pk].hours), D(88))

    def test_steady_demand_is_the_least_of_the_last_90_days(self):
        today = date.today()
        CoverageSnapshot.objects.create(date=today - timedelta(days=60), technology=self.junos, objects_in_use=1)
        CoverageSnapshot.objects.create(date=today - timedelta(days=120), technology=self.junos, objects_in_use=0)
        demand = self.plan().demand[self.junos.pk]
        self.assertEqual((close(demand.hours), close(demand.steady_hours)), (D(10), D(7)))  # 4 + 3 x 1

    # --- supply ---

    def test_committed_hours_first_then_the_rest_in_proportion_to_demand(self):
        experts = self.plan().experts
        ada, bob, carol, dan = (experts[e.pk] for e in (self.ada, self.bob, self.carol, self.dan))
        self.assertEqual((ada.agreed, ada.committed), (D(20), D(4)))
        self.assertEqual({t: close(h) for t, h in ada.allocated.items()}, {self.junos.pk: D(12), self.cloud.pk: D(8)})
        self.assertEqual((bob.agreed, bob.committed, bob.allocated), (D(4), D(2), {self.junos.pk: D(4)}))
        self.assertEqual((carol.spent_elsewhere, carol.allocated), (D(3), {self.linux.pk: D(3)}))
        self.assertEqual((dan.agreed, dan.allocated, dan.unallocated, dan.spare), (D(10), {}, D(10), D(10)))

    def test_shortfall_surplus_and_utilisation_per_technology(self):
        technologies = self.plan().technologies
        figures = {
            name: (close(c.demand.hours), close(c.supply), close(c.shortfall), close(c.surplus))
            for name, c in ((c.technology.name, c) for c in technologies.values())
        }
        self.assertEqual(
            figures,
            {
                "Junos": (D(10), D(16), D(0), D(6)),
                "Cloud": (D(10), D(8), D(2), D(0)),
                "Linux": (D("9.45"), D(3), D("6.45"), D(0)),
                "Transit": (D(8), D(6), D(2), D(0)),
            },
        )
        self.assertEqual(close(technologies[self.junos.pk].utilisation), D("0.625"))
        self.assertEqual(technologies[self.transit.pk].contract_hours, D(6))
        self.assertEqual([c.contract for c in technologies[self.transit.pk].contributions], [self.contract])

    def test_spare_hours_are_the_share_of_the_surplus(self):
        experts = self.plan().experts
        self.assertEqual(close(experts[self.ada.pk].spare), D("4.5"))
        self.assertEqual(close(experts[self.bob.pk].spare), D("1.5"))
        self.assertEqual(close(experts[self.carol.pk].spare), D(0))

    def test_committed_hours_beyond_the_agreed_are_scaled_down(self):
        Responsibility.objects.create(
            expert=self.carol, role="primary-support", technology=self.linux, hours_per_week=5
        )
        carol = self.plan().experts[self.carol.pk]  # 8 h committed on 6 agreed: x 3/4
        self.assertEqual((carol.committed, carol.uncommitted), (D(8), D(-2)))
        self.assertEqual((close(carol.allocated[self.linux.pk]), close(carol.spent_elsewhere)), (D("3.75"), D("2.25")))

    # --- make or buy ---

    def test_a_shortfall_between_the_rules_compares_costed_options(self):
        found = self.plan().make_or_buy(self.linux.pk)
        self.assertEqual(found.recommendation, COMPARE)
        options = {(o.kind, str(o.expert or o.contract or "")): o for o in found.options}
        train = options[(TRAIN, "Bob")]
        self.assertEqual((close(train.cost_per_year), train.one_off_cost), (D("16770"), D(1200)))  # 6.45 x 52 x 50
        self.assertEqual(close(options[(AGREE_HOURS, "Carol")].cost_per_year), D("26832"))  # 6.45 x 52 x 80
        contractor = options[(CONTRACTOR, "")]
        self.assertEqual((contractor.hourly_cost, close(contractor.cost_per_year)), (D(100), D(33540)))
        self.assertEqual(contractor.basis, "median hourly cost of all contractors")
        similar = options[(CONTRACT, "")]
        self.assertEqual(
            (similar.cost_per_year, similar.basis), (None, "no contract for a Server technology states a cost")
        )

    def test_a_surplus_offers_to_release_each_experts_share(self):
        found = self.plan().make_or_buy(self.junos.pk)
        self.assertEqual(found.recommendation, COMPARE)
        released = {str(o.expert): (close(o.hours_per_week), close(o.cost_per_year)) for o in found.options}
        self.assertEqual(released, {"Ada": (D("4.5"), D(21060)), "Bob": (D("1.5"), D(3900))})
        self.assertEqual({o.kind for o in found.options}, {RELEASE_HOURS})
        self.assertEqual(found.internal_cost_per_year, D(12 * 52 * 90 + 4 * 52 * 50))

    def test_contracts_are_priced_per_year(self):
        found = self.plan().make_or_buy(self.transit.pk)
        contract = next(o for o in found.options if o.kind == CONTRACT)
        self.assertEqual(
            (contract.contract, contract.cost_per_year, contract.basis), (self.contract, D(9000), "in force")
        )
        contractor = next(o for o in found.options if o.kind == CONTRACTOR)  # Erin: a network contractor at 100
        self.assertEqual(
            (close(contractor.cost_per_year), contractor.basis),
            (D(10400), "median hourly cost of contractors qualified for Network technologies"),
        )

    @override_settings(PLUGINS_CONFIG=plugins_config(buy_below_hours_per_week=12))
    def test_a_few_hours_a_week_are_better_bought_whole(self):
        found = self.plan().make_or_buy(self.junos.pk)
        self.assertEqual(found.recommendation, BUY)
        contractor = next(o for o in found.options if o.kind == CONTRACTOR)
        self.assertEqual((contractor.hours_per_week, close(contractor.cost_per_year)), (D(10), D(52000)))

    @override_settings(PLUGINS_CONFIG=plugins_config(build_from_hours_per_week=9))
    def test_a_steady_large_demand_is_better_built_inside(self):
        plan = self.plan()
        self.assertEqual(plan.make_or_buy(self.linux.pk).recommendation, BUILD)
        CoverageSnapshot.objects.create(date=date.today() - timedelta(days=5), technology=self.linux, objects_in_use=0)
        self.assertEqual(self.plan().make_or_buy(self.linux.pk).recommendation, COMPARE)  # steady 3 x 1.05

    def test_no_view_without_a_shortfall_or_a_surplus(self):
        # Cloud: (0 + 2 x 10.4 x 12/52) x 1.25 = 6 h; Ada's rest 16 splits Junos 10 : Cloud 6, so Cloud gets 6.
        EffortModel.objects.create(
            technology=self.cloud, base_hours_per_week=0, hours_per_object={"cloud_services": 10.4}
        )
        plan = self.plan()
        capacity = plan.technologies[self.cloud.pk]
        self.assertEqual((capacity.demand.hours, capacity.supply, capacity.shortfall, capacity.surplus), (6, 6, 0, 0))
        self.assertIsNone(plan.make_or_buy(self.cloud.pk))

    def test_the_plan_costs_a_fixed_number_of_queries(self):
        def count():
            ensure_fresh()  # take in the estate's pending changes first: only the plan's reads are counted
            with CaptureQueriesContext(connection) as queries:
                plan = CapacityPlan()
                for technology_id in plan.technologies:
                    plan.make_or_buy(technology_id)
            return len(queries)

        before = count()
        for number in range(3):
            technology = fixtures.technology(f"Extra {number}", category="network")
            TechnologyScope.objects.create(technology=technology, device_type=self.inv["mx"])
            expert = fixtures.expert(f"Extra {number}", hourly_cost=D(70))
            fixtures.skill(expert, technology, 4)
            fixtures.agreement(expert, self.netops, D(5), date.today())
        self.assertEqual(count(), before)


@override_settings(PLUGINS_CONFIG=SETTINGS)
class CapacityAnswersTest(CapacityEstate):
    """What one user may see: names of viewable experts only, costs only with the view_costs permission."""

    @staticmethod
    def answers(username, *grants):
        """The layer for a new user who may view technologies, with more grants."""
        technologies = (["nautobot_techmgmt.technology"], ["view"], None)
        return CapacityAnswers(Answers(fixtures.user_with_permissions(username, technologies, *grants)))

    def test_worst_first_and_hidden_experts(self):
        answers = self.answers("viewer")
        rows = answers.technologies()
        self.assertEqual([row.technology.name for row in rows], ["Linux", "Transit", "Cloud", "Junos"])
        junos = rows[-1]
        self.assertEqual((junos.contributors, junos.hidden_contributors), ([], 2))
        self.assertEqual(answers.experts(), [])

    def test_costs_need_their_own_permission(self):
        expert_view = (["nautobot_techmgmt.expert"], ["view"], None)
        contract_view = (["nautobot_techmgmt.supportcontract"], ["view"], None)
        without = self.answers("no-costs", expert_view, contract_view).make_or_buy(self.linux)
        self.assertTrue(without.options)
        self.assertEqual(
            {(o.cost_per_year, o.hourly_cost, o.one_off_cost) for o in without.options}, {(None, None, None)}
        )
        self.assertIsNone(without.cheapest)
        costs = (["nautobot_techmgmt.expert"], ["view_costs"], {"contact__name": "Bob"})
        found = self.answers("costs", expert_view, costs).make_or_buy(self.linux)
        priced = {(o.kind, str(o.expert or "")): o.cost_per_year for o in found.options}
        self.assertEqual(close(priced[(TRAIN, "Bob")]), D(16770))
        self.assertIsNone(priced[(AGREE_HOURS, "Carol")])  # Carol's cost is not covered by the permission
        self.assertEqual(close(priced[(CONTRACTOR, "")]), D(33540))
        self.assertEqual((found.cheapest.kind, str(found.cheapest.expert)), (TRAIN, "Bob"))

    def test_hours_per_team_and_line_manager(self):
        answers = self.answers(
            "groups", (["extras.team"], ["view"], None), (["extras.contact"], ["view"], {"name": "Lina Manager"})
        )
        (netops,) = answers.teams()  # the Servers and Old agreements are not in force: no rows
        self.assertEqual(
            (netops.owner, netops.experts, netops.agreed, netops.committed, netops.allocated, close(netops.spare)),
            (self.netops, 4, D(40), D(9), D(27), D(16)),  # spare: Ada 4.5 + Bob 1.5 + Dan 10
        )
        self.assertEqual((netops.demand, netops.cost_per_year), (None, None))  # custodian of nothing; no costs
        (lina,) = answers.line_managers()
        self.assertEqual(
            (lina.owner, lina.experts, lina.agreed, lina.allocated, close(lina.spare)),
            (self.lina, 1, D(20), D(20), D("4.5")),
        )
