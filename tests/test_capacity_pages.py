"""The expert-hours pages (capacity page, make-or-buy page) and panels, on a small estate worked out by hand.

Estate (fixtures.inventory: routers ams-rtr-1 and ber-rtr-1 on junos, server ams-srv-1 on linux, circuit TC-1001 of
Transit Co), with the rules of knowledge/capacity.py (a month is 52/12 weeks, so 13 h per object per month is 3 h a
week):

* Junos   - network, custodian Network, 2 required, on 2 routers. Its own effort model: base 2, 13 h per device,
            uplift 20 %. Ada (4) the only qualified expert: single expert, a high gap, so half the uplift: 10 %.
            Demand (2 + 13 x 2 x 12 / 52) x 1.1 = (2 + 6) x 1.1 = 8.8.
* Linux   - server, custodian Servers, on 1 server. The server category's model: base 1, 26 h per device, uplift
            50 %. Nobody qualified (Carol is at 2 of 3) but contract TUX-1 (26 h a month, 5,200 a year) covers it:
            vendor only, a low gap, no uplift. Demand 1 + 26 x 12 / 52 = 7.
* Transit - network, custodian Network, 1 required, on the circuit. The network category's model: base 1, 13 h per
            circuit. Ada (3) and Bob (3) qualified: no gap. Demand 1 + 3 = 4.
* Oracle  - not in use: no demand, not listed.

Supply: Ada has 10 h agreed (by Mia) and 4 h committed as primary support of Junos: 4 go to Junos, the other 6 to
Junos and Transit in proportion to their demand: 6 x 8.8 / 12.8 = 4.125 and 6 x 4 / 12.8 = 1.875. Bob has 8 h agreed
(by Mia), all to Transit, the only technology he is qualified for. Carol has 2 h agreed (by Max) and 3 h committed to
Linux, for which she is not qualified: over-committed by 1, nothing allocated. TUX-1 gives Linux 26 x 12 / 52 = 6.

| technology | demand | supply               | balance         | utilisation | recommendation (demand < 8: buy) |
|------------|--------|----------------------|-----------------|-------------|----------------------------------|
| Linux      | 7      | 6 (contract)         | short 1         | 117 %       | Buy                              |
| Junos      | 8.8    | 4 + 4.125 = 8.125    | short 0.675     | 108 %       | Compare (not < 8, not steady >= 20) |
| Transit    | 4      | 8 + 1.875 = 9.875    | surplus 5.875   | 41 %        | Buy                              |

Spare: Ada 1.875 x 5.875 / 9.875 = 1.1 (her share of Transit's surplus), Bob 8 x 5.875 / 9.875 = 4.8. Costs per year
(hours x 52 x hourly cost): Ada 10 x 52 x 100 = 52,000, Bob 8 x 52 x 50 = 20,800, Carol 2 x 52 x 60 = 6,240.

Make-or-buy of Linux (short 1 h/week): train Carol one level up, 1 x 52 x 60 = 3,120 a year and 1,500 once (her
plan); no contractor's rate is recorded; contract TUX-1 at 5,200 a year. The cheapest: training Carol (4,620 in the
first year).
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.models import AvailabilityAgreement, Responsibility, TechnologyScope
from tests import fixtures

CAPACITY = reverse("plugins:nautobot_techmgmt:capacity")
VIEW_TECHNOLOGY = "nautobot_techmgmt.view_technology"
VIEW_EXPERT = "nautobot_techmgmt.view_expert"
VIEW_CONTRACT = "nautobot_techmgmt.view_supportcontract"
VIEW_COSTS = "nautobot_techmgmt.view_costs_expert"
EVERYTHING = (VIEW_TECHNOLOGY, VIEW_EXPERT, VIEW_CONTRACT, "extras.view_contact", "extras.view_team")


def make_or_buy_url(technology):
    return reverse("plugins:nautobot_techmgmt:make_or_buy", kwargs={"pk": technology.pk})


def panel(page, label):
    """The body of the panel with this label ("" when the page has none)."""
    start = page.find(f'id="{slugify(label)}"')
    if start < 0:
        return ""
    end = page.find('<div id="component-', start)
    return page[start : end if end >= 0 else len(page)]


def row_of(html, name):
    """The table row of the link named `name`."""
    return html.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]


def build_capacity_estate(test):
    """The estate of the module docstring, on `test`."""
    month_ago = date.today() - timedelta(days=30)
    test.inv = fixtures.inventory()
    test.mia, test.max = fixtures.contact("Mia Manager"), fixtures.contact("Max Manager")
    test.network, test.servers = fixtures.team("Network"), fixtures.team("Servers")
    test.ada = fixtures.expert("Ada Lovelace", hourly_cost=Decimal(100), home_team=test.network)
    test.bob = fixtures.expert("Bob Baker", hourly_cost=Decimal(50), home_team=test.network)
    test.carol = fixtures.expert("Carol Cook", hourly_cost=Decimal(60), home_team=test.servers, line_manager=test.max)
    test.junos = fixtures.technology("Junos", category="network", custodian_team=test.network, required_experts=2)
    test.linux = fixtures.technology("Linux", category="server", custodian_team=test.servers, required_experts=1)
    test.transit = fixtures.technology("Transit", category="network", custodian_team=test.network, required_experts=1)
    test.oracle = fixtures.technology("Oracle", category="database")
    TechnologyScope.objects.create(technology=test.junos, platform=test.inv["junos"])
    TechnologyScope.objects.create(technology=test.linux, platform=test.inv["linux"])
    TechnologyScope.objects.create(technology=test.transit, provider=test.inv["provider"])
    fixtures.effort_model(
        test.junos, base_hours_per_week=2, hours_per_object={"devices": 13}, gap_uplift_percent=Decimal(20)
    )
    fixtures.effort_model(
        category="server", base_hours_per_week=1, hours_per_object={"devices": 26}, gap_uplift_percent=Decimal(50)
    )
    fixtures.effort_model(category="network", base_hours_per_week=1, hours_per_object={"circuits": 13})
    fixtures.skill(test.ada, test.junos, 4)
    fixtures.skill(test.ada, test.transit, 3)
    fixtures.skill(test.bob, test.transit, 3)
    fixtures.skill(test.bob, test.junos, 1)
    fixtures.skill(test.carol, test.linux, 2)
    fixtures.agreement(test.ada, test.network, 10, month_ago, line_manager=test.mia)
    fixtures.agreement(test.bob, test.network, 8, month_ago, line_manager=test.mia)
    fixtures.agreement(test.carol, test.servers, 2, month_ago, line_manager=test.max)
    Responsibility.objects.create(
        expert=test.ada, role="primary-support", technology=test.junos, hours_per_week=Decimal(4)
    )
    Responsibility.objects.create(
        expert=test.carol, role="primary-support", technology=test.linux, hours_per_week=Decimal(3)
    )
    fixtures.training_plan(test.carol, test.linux, 3, cost=Decimal(1500))
    test.tux = fixtures.support_contract(
        fixtures.supplier("Tux Support"),
        "TUX-1",
        [test.linux],
        start_date=month_ago,
        hours_per_month=Decimal(26),
        cost=Decimal(5200),
    )


class CapacityEstateMixin:
    """The estate of the module docstring, and pages read as text."""

    @classmethod
    def setUpTestData(cls):
        build_capacity_estate(cls)

    def get_page(self, url, **params):
        """The page's HTML, each run of white space made one space (as a browser shows it)."""
        response = self.client.get(url, params)
        self.assertHttpStatus(response, 200)
        return re.sub(r"\s+", " ", response.content.decode())

    def technology_rows(self, **params):
        """The technology names of the technologies tab, in order."""
        body = panel(self.get_page(CAPACITY, **params), "Technologies, worst first")
        names = [technology.name for technology in (self.junos, self.linux, self.transit, self.oracle)]
        found = {name: body.find(f">{name}</a>") for name in names}
        return [name for name, at in sorted(found.items(), key=lambda item: item[1]) if at >= 0]


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class TechnologiesTabTest(CapacityEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(*EVERYTHING)

    def test_worst_first_with_the_worked_figures(self):
        self.assertEqual(self.technology_rows(), ["Linux", "Junos", "Transit"])  # Oracle is not in use
        page = self.get_page(CAPACITY)
        for text in (
            # Junos: 8.8 made of base 2 + 6 for the two routers, raised 10 % for its high gap; 8.125 supplied.
            "8.8",
            "base 2.0 + 6.0 for 2 devices, + 10% for a high gap",
            "8.1",
            "Short 0.7 h/week",
            "108%",
            "Compare the costs",
            # Linux: 7 needed, 6 from the contract, nothing from experts.
            "base 1.0 + 6.0 for 1 device",
            "experts 0.0",
            "contracts 6.0",
            "Short 1.0 h/week",
            "117%",
            # Transit: 4 needed, 9.875 supplied.
            "base 1.0 + 3.0 for 1 circuit",
            "9.9",
            "Surplus 5.9 h/week",
            "41%",
        ):
            self.assertIn(text, page)
        self.assertNotIn(">Oracle</a>", page)

    def test_experts_and_contracts_behind_each_technology(self):
        page = self.get_page(CAPACITY)
        linux = row_of(page, "Linux")
        self.assertIn(self.tux.get_absolute_url(), linux)
        self.assertIn("Tux Support TUX-1</a> 6.0", linux)
        transit = row_of(page, "Transit")
        self.assertIn("Bob Baker</a> 8.0", transit)
        self.assertIn("Ada Lovelace</a> 1.9", transit)  # 1.875

    def test_recommendations_link_to_the_make_or_buy_pages(self):
        page = self.get_page(CAPACITY)
        for technology, label in ((self.linux, "Buy"), (self.junos, "Compare the costs"), (self.transit, "Buy")):
            row = row_of(page, technology.name)
            self.assertIn(f'href="{make_or_buy_url(technology)}"', row)
            self.assertIn(label, row)

    def test_filters(self):
        cases = (
            ({"technology": "Junos"}, ["Junos"]),
            ({"category": "network"}, ["Junos", "Transit"]),
            ({"custodian_team": "Servers"}, ["Linux"]),
            ({"shortfall": "true"}, ["Linux", "Junos"]),
            ({"category": "network", "shortfall": "true"}, ["Junos"]),
            ({"category": "database"}, []),
        )
        for params, expected in cases:
            with self.subTest(params=params):
                self.assertEqual(self.technology_rows(**params), expected)
        self.assertIn("No technology in use matches this filter.", self.get_page(CAPACITY, category="database"))

    def test_pagination(self):
        first = self.get_page(CAPACITY, per_page=2)
        self.assertIn("Showing 1-2 of 3", first)
        self.assertEqual(self.technology_rows(per_page=2), ["Linux", "Junos"])
        self.assertEqual(self.technology_rows(per_page=2, page=2), ["Transit"])
        # The page links keep the filter.
        filtered = self.get_page(CAPACITY, per_page=1, shortfall="true")
        self.assertIn("Showing 1-1 of 2", filtered)
        self.assertIn("shortfall=true", filtered.split('id="capacity-paginator"', 1)[1])

    def test_how_the_figures_are_made(self):
        how = panel(self.get_page(CAPACITY), "How these figures are made")
        self.assertIn("nautobot_techmgmt/docs/user/capacity.html", how)
        self.assertIn("A year has 52 weeks", how)  # the assumptions

    def test_nothing_in_use(self):
        TechnologyScope.objects.all().delete()
        page = self.get_page(CAPACITY)
        self.assertIn("No technology you may view is in use", page)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class OtherTabsTest(CapacityEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(*EVERYTHING, VIEW_COSTS)

    def test_experts_tab(self):
        page = self.get_page(CAPACITY, tab="experts")
        self.assertIn('aria-current="page" href="?tab=experts"', page)
        ada = row_of(page, "Ada Lovelace")
        # Agreed 10 by Mia, 4 committed, Junos 8.125 and Transit 1.875, 1.1 spare, 6 uncommitted, 100 an hour.
        expected = ("Mia Manager", "10.0", "4.0", "Junos</a> 8.1", "Transit</a> 1.9", "1.1", "6.0", "100.00", "52,000")
        for text in expected:
            self.assertIn(text, ada)
        self.assertIn("4.8", row_of(page, "Bob Baker"))  # Bob's share of Transit's surplus
        carol = row_of(page, "Carol Cook")
        self.assertIn("Over-committed", carol)
        self.assertIn("1.0 beyond the agreed hours", carol)
        self.assertIn("6,240", carol)

    def test_teams_tab(self):
        page = self.get_page(CAPACITY, tab="teams")
        network = row_of(page, "Network")
        # Ada's and Bob's 18 agreed hours: 4 committed, 18 allocated, 1.1 + 4.8 spare; Junos and Transit need 12.8
        # and get 18.0; 52,000 + 20,800 a year.
        for text in (">2<", "18.0", "4.0", "5.9", "12.8", "72,800"):
            self.assertIn(text, network)
        self.assertIn("?tab=technologies&amp;custodian_team=Network", network)
        servers = row_of(page, "Servers")
        for text in ("2.0", "3.0", "7.0", "6.0", "6,240"):
            self.assertIn(text, servers)

    def test_line_managers_tab(self):
        page = self.get_page(CAPACITY, tab="line-managers")
        self.assertIn("18.0", row_of(page, "Mia Manager"))
        self.assertIn("2.0", row_of(page, "Max Manager"))
        self.assertNotIn("Ada Lovelace", page)

    def test_an_unknown_tab_is_the_technologies_tab(self):
        self.assertIn("Linux", panel(self.get_page(CAPACITY, tab="nonsense"), "Technologies, worst first"))


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class PermissionsTest(CapacityEstateMixin, TestCase):
    def test_pages_need_the_permission_to_view_technologies(self):
        self.add_permissions(VIEW_EXPERT, VIEW_CONTRACT)
        for url in (CAPACITY, f"{CAPACITY}?tab=experts", make_or_buy_url(self.linux)):
            with self.subTest(url=url):
                self.assertHttpStatus(self.client.get(url), 403)

    def test_anonymous_users_are_sent_to_login(self):
        self.client.logout()
        response = self.client.get(CAPACITY)
        self.assertHttpStatus(response, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_menu_offers_expert_hours(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        self.assertIn(f'href="{CAPACITY}"', self.get_page(CAPACITY))

    def test_experts_are_not_named_without_the_permission_to_view_them(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_CONTRACT)
        page = self.get_page(CAPACITY)
        for name in ("Ada Lovelace", "Bob Baker", "Carol Cook"):
            self.assertNotIn(name, page)
        transit = row_of(page, "Transit")
        self.assertIn("2 more", transit)  # Bob and Ada, unnamed; the figures stay those of the whole estate
        self.assertIn("Surplus 5.9 h/week", transit)
        self.assertIn("TUX-1", page)
        experts = self.get_page(CAPACITY, tab="experts")
        self.assertIn("No expert you may view has agreed hours", experts)

    def test_only_the_experts_the_user_may_view_are_named(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_CONTRACT)
        self.add_permissions(VIEW_EXPERT, constraints={"contact__name": "Bob Baker"})
        transit = row_of(self.get_page(CAPACITY), "Transit")
        self.assertIn("Bob Baker", transit)
        self.assertNotIn("Ada Lovelace", transit)
        self.assertIn("and 1 more", transit)

    def test_costs_need_their_own_permission(self):
        self.add_permissions(*EVERYTHING)
        experts = self.get_page(CAPACITY, tab="experts")
        self.assertNotIn("Cost per year", experts)
        self.assertNotIn("52,000", experts)
        self.assertIn("Costs are shown to users with the permission to view experts' costs.", experts)
        make_or_buy = self.get_page(make_or_buy_url(self.linux))
        self.assertNotIn("5,200", make_or_buy)
        self.assertNotIn("Cheapest priced option", make_or_buy)
        self.add_permissions(VIEW_COSTS)
        self.assertIn("52,000", self.get_page(CAPACITY, tab="experts"))
        self.assertIn("5,200", self.get_page(make_or_buy_url(self.linux)))

    def test_a_cost_permission_limited_to_some_experts_shows_only_their_costs(self):
        self.add_permissions(*EVERYTHING)
        self.add_permissions(VIEW_COSTS, constraints={"contact__name": "Bob Baker"})
        experts = self.get_page(CAPACITY, tab="experts")
        self.assertIn("20,800", experts)  # Bob's
        self.assertNotIn("52,000", experts)  # Ada's

    def test_make_or_buy_of_an_unknown_or_hidden_technology_is_not_found(self):
        self.add_permissions(VIEW_TECHNOLOGY, constraints={"name": "Junos"})
        self.get_page(make_or_buy_url(self.junos))
        self.assertHttpStatus(self.client.get(make_or_buy_url(self.linux)), 404)
        url = reverse("plugins:nautobot_techmgmt:make_or_buy", kwargs={"pk": uuid4()})
        self.assertHttpStatus(self.client.get(url), 404)
        self.assertEqual(self.technology_rows(), ["Junos"])


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class MakeOrBuyPageTest(CapacityEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(*EVERYTHING, VIEW_COSTS)

    def test_shortfall_options_and_recommendation(self):
        page = self.get_page(make_or_buy_url(self.linux))
        for text in (
            "Make or Buy: Linux",
            "7.0 h/week",
            "6.0 h/week",
            "Short 1.0 h/week",
            # The rule, with the figures.
            "It needs 7.0 h/week, under 8 h/week: a few hours a week are better bought",
            "Nothing is decided for you",
            # Train Carol: 1 h x 52 x 60 a year, her plan's 1,500 once; her line manager from her agreement.
            "Train one level up",
            "Carol Cook",
            "Max Manager",
            "3,120",
            "1,500",
            # Buy: no contractor's rate recorded; the contract that covers it.
            "Hire a contractor",
            "no contractor&#x27;s hourly cost recorded",
            "Support contract",
            "Tux Support TUX-1",
            "5,200",
            # The cheapest: training, 3,120 + 1,500 in the first year against 5,200.
            "Cheapest priced option: <strong>Train one level up</strong> (Carol Cook)",
            "A year has 52 weeks",
        ):
            self.assertIn(text, page)

    def test_compare_and_agree_more_hours(self):
        page = self.get_page(make_or_buy_url(self.junos))
        self.assertIn("Compare the costs", page)
        self.assertIn("between 8 and 20 h/week: neither rule decides", page)
        options = panel(page, "Options")
        agree = options.split("Agree more hours", 1)[1].split("</tr>", 1)[0]
        # Ada, agreed by Mia: the 0.675 missing hours at 100 an hour, 0.675 x 52 x 100 = 3,510 a year.
        for text in ("Ada Lovelace", "Mia Manager", "0.7", "100.00", "3,510"):
            self.assertIn(text, agree)
        self.assertNotIn("Train one level up", options)  # Bob is at 1, two levels short

    def test_surplus_offers_to_release_hours(self):
        page = self.get_page(make_or_buy_url(self.transit))
        release = page.split("Release surplus hours", 1)[1].split("</tr>", 1)[0]
        self.assertIn("Bob Baker", release)
        self.assertIn("4.8", release)  # 8 x 5.875 / 9.875
        self.assertIn("Ada Lovelace", panel(page, "Who gives hours now"))

    def test_without_shortfall_or_surplus_it_says_so(self):
        # Linux: Carol qualified at 3, her responsibility gone and 1 h agreed: 6 + 1 = 7 h meet the 7 h demand.
        Responsibility.objects.filter(expert=self.carol).delete()
        skill = self.carol.skills.get()
        skill.level = 3
        skill.validated_save()
        agreement = AvailabilityAgreement.objects.get(expert=self.carol)
        agreement.hours_per_week = 1
        agreement.validated_save()
        page = self.get_page(make_or_buy_url(self.linux))
        self.assertIn("Balanced", page)
        self.assertIn("neither a shortfall nor a surplus", page)
        self.assertEqual(panel(page, "Options"), "")

    def test_technology_not_in_use(self):
        page = self.get_page(make_or_buy_url(self.oracle))
        self.assertIn("Oracle is not in use", page)
        self.assertEqual(panel(page, "Options"), "")


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class DetailPanelsTest(CapacityEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(*EVERYTHING)

    def test_technology_page_shows_its_expert_hours(self):
        page = self.get_page(self.junos.get_absolute_url())
        hours = panel(page, "Expert hours")
        for text in ("8.8 h/week", "8.1 h/week", "108%", "Short 0.7 h/week", "Compare the costs"):
            self.assertIn(text, hours)
        self.assertIn(f'href="{make_or_buy_url(self.junos)}"', hours)
        self.assertIn(f'href="{CAPACITY}"', hours)

    def test_technology_page_asks_the_capacity_layer_once(self):
        self.get_page(self.junos.get_absolute_url())  # the knowledge state takes in the estate's changes first
        with CaptureQueriesContext(connection) as queries:
            self.get_page(self.junos.get_absolute_url())
        table = 'FROM "nautobot_techmgmt_availabilityagreement"'
        agreements = [query for query in queries.captured_queries if table in query["sql"]]
        self.assertEqual(len(agreements), 1)

    def test_technology_not_in_use(self):
        self.assertIn("none: not in use", self.get_page(self.oracle.get_absolute_url()))

    def test_expert_page_shows_allocations_and_over_commitment(self):
        ada = self.get_page(self.ada.get_absolute_url())
        for text in ("Junos</a> 8.1", "Transit</a> 1.9", "Spare Hours Per Week", "1.1"):
            self.assertIn(text, ada)
        carol = self.get_page(self.carol.get_absolute_url())
        self.assertIn("Over-committed", carol)
        self.assertIn("1.0 beyond the agreed hours", carol)


def grow_estate(test, count):
    """`count` more technologies in use (on the routers) and `count` more experts qualified for them, with hours."""
    for number in range(count):
        technology = fixtures.technology(f"Extra {number}", category="network", custodian_team=test.network)
        TechnologyScope.objects.create(technology=technology, platform=test.inv["junos"])
        expert = fixtures.expert(f"Extra Expert {number}", hourly_cost=Decimal(70), line_manager=test.mia)
        fixtures.skill(expert, technology, 4)
        fixtures.agreement(expert, test.network, 4, date.today() - timedelta(days=5), line_manager=test.mia)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class QueryCountTest(CapacityEstateMixin, TestCase):
    def count_queries(self, url):
        self.get_page(url)  # warm: the per-user caches Nautobot keeps between requests
        with CaptureQueriesContext(connection) as queries:
            self.get_page(url)
        return len(queries)

    def test_queries_do_not_grow_with_technologies_and_experts(self):
        self.add_permissions(*EVERYTHING, VIEW_COSTS)
        urls = [f"{CAPACITY}?tab={tab}" for tab in ("technologies", "experts", "teams", "line-managers")]
        urls.append(make_or_buy_url(self.junos))
        before = {url: self.count_queries(url) for url in urls}
        grow_estate(self, 6)
        after = {url: self.count_queries(url) for url in urls}
        self.assertEqual(after, before)
