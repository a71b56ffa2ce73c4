"""The capacity report Job: expert hours per technology, expert, team and line manager as CSV and Markdown files.

The estate, with its worked figures (hours per week):

* Junos on two routers, effort 10 + 13 per device per month: demand 10 + 13 x 2 x 12 / 52 = 16. Ada (the only
  qualified expert) commits 2 through a responsibility; the contract JN-1 gives 13 h/month = 3.
* Linux on one server, effort 4 and nothing per device: demand 4.
* Ada agreed 12 h (Network, by Mia), 2 committed to Junos; the other 10 go to Junos and Linux by demand (16 : 4),
  8 and 2. Bob agreed 6 h (Servers, by Max), all to Linux, the only technology he is qualified for.
* Junos: supply 10 + 3 = 13, shortfall 3, utilisation 123 %, "Compare the costs" (16 h is neither under 8 nor a
  steady 20). Linux: supply 2 + 6 = 8, surplus 4, utilisation 50 %, "Buy" (under 8 h). Half of Linux's supply is
  spare: Ada 1, Bob 3.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from nautobot.apps.choices import JobResultStatusChoices

from nautobot_techmgmt.jobs import CapacityReport
from nautobot_techmgmt.models import EffortModel, Responsibility, TechnologyScope
from tests import fixtures

TODAY = date.today()


class CapacityReportJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        inv = fixtures.inventory()
        network, servers = fixtures.team("Network"), fixtures.team("Servers")
        mia, max_ = fixtures.contact("Mia Manager"), fixtures.contact("Max Manager")
        junos = fixtures.technology("Junos", category="network", custodian_team=network)
        linux = fixtures.technology("Linux", category="server", custodian_team=servers)
        TechnologyScope.objects.create(technology=junos, platform=inv["junos"])
        TechnologyScope.objects.create(technology=linux, platform=inv["linux"])
        EffortModel.objects.create(
            technology=junos, base_hours_per_week=10, hours_per_object={"devices": 13}, gap_uplift_percent=0
        )
        EffortModel.objects.create(
            technology=linux, base_hours_per_week=4, hours_per_object={"devices": 0}, gap_uplift_percent=0
        )
        ada = fixtures.expert("Ada", home_team=network, hourly_cost=Decimal("100"))
        bob = fixtures.expert("Bob", home_team=servers, hourly_cost=Decimal("80"))
        fixtures.skill(ada, junos, 4)
        fixtures.skill(ada, linux, 3)
        fixtures.skill(bob, linux, 4)
        start = TODAY - timedelta(days=30)
        fixtures.agreement(ada, network, Decimal("12"), start, line_manager=mia)
        fixtures.agreement(bob, servers, Decimal("6"), start, line_manager=max_)
        Responsibility.objects.create(expert=ada, role="primary-support", technology=junos, hours_per_week=Decimal("2"))
        fixtures.support_contract(
            fixtures.supplier("Juniper"),
            "JN-1",
            [junos],
            start_date=TODAY - timedelta(days=100),
            end_date=TODAY + timedelta(days=265),
            hours_per_month=Decimal("13"),
        )
        self.linux = linux
        self.files = {
            part: f"capacity-{part}-{TODAY.isoformat()}.csv"
            for part in ("technologies", "experts", "teams", "line-managers")
        }
        self.report = f"capacity-{TODAY.isoformat()}.md"

    def export(self, **kwargs):
        result = fixtures.run_job(CapacityReport, **kwargs)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        return result

    def rows(self, result, part):
        """The CSV file of one part as (header, [rows])."""
        reader = csv.reader(io.StringIO(fixtures.job_file(result, self.files[part])))
        header, *rows = list(reader)
        return header, rows

    def test_technologies_worst_first_with_demand_supply_and_recommendation(self):
        result = self.export()
        self.assertEqual(set(result.files.values_list("name", flat=True)), {*self.files.values(), self.report})
        self.assertEqual(
            self.rows(result, "technologies"),
            (
                [
                    "technology",
                    "category",
                    "custodian team",
                    "demand",
                    "expert hours",
                    "contract hours",
                    "supply",
                    "utilisation %",
                    "shortfall",
                    "surplus",
                    "recommendation",
                    "supplied by",
                ],
                [
                    ["Junos", "Network", "Network", "16.0", "10.0", "3.0", "13.0", "123", "3.0", "0.0",
                     "Compare the costs", "Ada 10.0; Juniper JN-1 3.0"],
                    ["Linux", "Server", "Servers", "4.0", "8.0", "0.0", "8.0", "50", "0.0", "4.0", "Buy",
                     "Bob 6.0; Ada 2.0"],
                ],
            ),
        )  # fmt: skip
        self.assertEqual(
            fixtures.job_log(result, "info")[-1],
            "Exported the capacity of 2 technologies (1 short of 3.0 h/week in all), 2 experts, 2 teams and 2 "
            "line managers.",
        )

    def test_experts_teams_and_line_managers_with_costs(self):
        result = self.export()
        self.assertEqual(
            self.rows(result, "experts"),
            (
                ["expert", "home team", "line manager", "agreed", "committed", "allocated", "spare", "allocated to",
                 "hourly cost", "cost per year"],
                [
                    ["Ada", "Network", "Mia Manager", "12.0", "2.0", "12.0", "1.0", "Junos 10.0; Linux 2.0", "100.00",
                     "62400.00"],
                    ["Bob", "Servers", "Max Manager", "6.0", "0.0", "6.0", "3.0", "Linux 6.0", "80.00", "24960.00"],
                ],
            ),
        )  # fmt: skip
        self.assertEqual(
            self.rows(result, "teams"),
            (
                ["team", "experts", "agreed", "committed", "allocated", "spare", "demand", "supply", "cost per year"],
                [
                    ["Network", "1", "12.0", "2.0", "12.0", "1.0", "16.0", "13.0", "62400.00"],
                    ["Servers", "1", "6.0", "0.0", "6.0", "3.0", "4.0", "8.0", "24960.00"],
                ],
            ),
        )
        self.assertEqual(
            self.rows(result, "line-managers"),
            (
                ["line manager", "experts", "agreed", "committed", "allocated", "spare", "cost per year"],
                [
                    ["Max Manager", "1", "6.0", "0.0", "6.0", "3.0", "24960.00"],
                    ["Mia Manager", "1", "12.0", "2.0", "12.0", "1.0", "62400.00"],
                ],
            ),
        )

    def test_markdown_has_the_totals_the_tables_and_the_assumptions(self):
        report = fixtures.job_file(self.export(), self.report)
        self.assertIn(f"# Expert hours on {TODAY.isoformat()}", report)
        self.assertIn("All technologies in use.", report)
        self.assertIn("| 2 | 20.0 | 21.0 | 3.0 | 4.0 |", report)  # technologies, demand, supply, shortfall, surplus
        self.assertIn("## Technologies, worst first (2)", report)
        technologies = report.split("## Technologies, worst first (2)")[1].split("## Experts")[0]
        self.assertLess(technologies.index("| Junos |"), technologies.index("| Linux |"))
        self.assertIn(
            "| Junos | Network | Network | 16.0 | 10.0 | 3.0 | 13.0 | 123 | 3.0 | 0.0 | Compare the costs | "
            "Ada 10.0; Juniper JN-1 3.0 |",
            report,
        )
        self.assertIn(
            "| Ada | Network | Mia Manager | 12.0 | 2.0 | 12.0 | 1.0 | Junos 10.0; Linux 2.0 | 100.00 |", report
        )
        self.assertIn("## Teams (2)", report)
        self.assertIn("## Line managers (2)", report)
        self.assertIn("## Assumptions", report)
        self.assertIn("* A year has 52 weeks and a month 52/12 weeks", report)
        self.assertNotIn("Costs are left out", report)

    def test_filters_by_category_and_shortfall(self):
        result = self.export(category=["server"])
        self.assertEqual([row[0] for row in self.rows(result, "technologies")[1]], ["Linux"])
        self.assertIn("Technologies filtered by technology category: server.", fixtures.job_file(result, self.report))
        self.assertEqual(len(self.rows(result, "experts")[1]), 2)  # the filters narrow technologies only
        result = self.export(shortfall_only=True)
        self.assertEqual([row[0] for row in self.rows(result, "technologies")[1]], ["Junos"])
        self.assertIn("Technologies filtered by shortfall only: yes.", fixtures.job_file(result, self.report))

    def test_costs_and_names_only_where_the_user_may_see_them(self):
        app = "nautobot_techmgmt"
        fixtures.user_with_permissions(
            "planner",
            ([f"{app}.technology", f"{app}.expert", "extras.contact", "extras.team"], ["view"], None),
        )
        result = self.export(username="planner")
        header, rows = self.rows(result, "experts")
        self.assertEqual(header[-1], "allocated to")
        self.assertEqual(rows[0][:7], ["Ada", "Network", "Mia Manager", "12.0", "2.0", "12.0", "1.0"])
        self.assertEqual(self.rows(result, "teams")[0][-1], "supply")
        # The contract is not named to a user who may not view contracts.
        self.assertEqual(self.rows(result, "technologies")[1][0][-1], "Ada 10.0; 1 not shown")
        report = fixtures.job_file(result, self.report)
        self.assertIn("Costs are left out: you may not view costs.", report)
        self.assertNotIn("62400", report)
        self.assertIn("Costs are left out of the report: you may not view costs.", fixtures.job_log(result, "info"))

        fixtures.user_with_permissions("technologies-only", ([f"{app}.technology"], ["view"], None))
        result = self.export(username="technologies-only")
        self.assertEqual(self.rows(result, "experts")[1], [])
        self.assertEqual(self.rows(result, "line-managers")[1], [])
        self.assertEqual(self.rows(result, "technologies")[1][0][-1], "2 not shown")
        self.assertIn(
            "Expert names are left out of the report: you may not view experts.", fixtures.job_log(result, "info")
        )

    def test_queries_do_not_grow_with_experts_teams_and_line_managers(self):
        with CaptureQueriesContext(connection) as before:
            self.export()
        for number in range(3):
            expert = fixtures.expert(f"Linux expert {number}", hourly_cost=Decimal("90"))
            fixtures.skill(expert, self.linux, 4)
            fixtures.agreement(
                expert,
                fixtures.team(f"Team {number}"),
                Decimal("4"),
                TODAY - timedelta(days=1),
                line_manager=fixtures.contact(f"Manager {number}"),
            )
        with CaptureQueriesContext(connection) as after:
            result = self.export()
        self.assertEqual(len(self.rows(result, "experts")[1]), 5)
        self.assertEqual(len(self.rows(result, "line-managers")[1]), 5)
        self.assertEqual(len(after), len(before))
