"""Coverage pages (dashboard, skills matrix, what-if) and the home page panel, on a small estate worked out by hand.

Estate (fixtures.inventory: routers ams-rtr-1 and ber-rtr-1 on junos, server ams-srv-1 on linux, circuit TC-1001
of Transit Co, cluster ams-cl-1 of type VMware vSphere holding VM ams-vm-1):

* Junos   - network, custodian Network Operations, 2 required, on 2 routers; Ada 4 (agreed hours)
            -> single_expert (high, 2 devices).
* Linux   - server, custodian Servers, 1 required, on 1 server; Bob 4 (no agreed hours), Cy 2 (Servers, too low)
            -> custodian_lacks_skill (high, 1), no_capacity (medium, 1).
* vSphere - server, no custodian, 2 required, on the cluster and its VM; nobody skilled
            -> no_expert (critical, 2), no_custodian (medium, 2).
* Transit - network, custodian Network Operations, 2 required, on the circuit; Ada 3, Bob 3 -> no gap.
* PostgreSQL - database, not in use; Cy 5 -> no gap.
* Nobody has primary support: each technology in use also has no_primary_support (medium, on all its objects).

So: 4 technologies in use; gaps critical 1, high 2, medium 6, low 0 (9 in all); bus factor 0: 1, 1: 2, 2: 1,
3+: 0. Truck factor: weights Junos 2, Linux 1, vSphere 2, Transit 1; vSphere is already orphaned (2/6); Ada's
departure orphans Junos too (4/6 > 1/2), so the truck factor is 1 with Ada.
"""

from collections import Counter
from datetime import date, timedelta

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from nautobot.apps.testing import TestCase
from nautobot.dcim.models import Device

from nautobot_techmgmt.knowledge import SEVERITIES, state
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import KnowledgeGap, TechnologyScope
from tests import fixtures

DASHBOARD = reverse("plugins:nautobot_techmgmt:coverage_dashboard")
MATRIX = reverse("plugins:nautobot_techmgmt:skills_matrix")
WHAT_IF = reverse("plugins:nautobot_techmgmt:what_if")
VIEW_TECHNOLOGY = "nautobot_techmgmt.view_technology"
VIEW_EXPERT = "nautobot_techmgmt.view_expert"
VIEW_SKILL = "nautobot_techmgmt.view_skill"
VIEW_GAP = "nautobot_techmgmt.view_knowledgegap"


class CoverageEstateMixin:
    """The estate described in the module docstring."""

    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        network, servers = fixtures.team("Network Operations"), fixtures.team("Servers")
        cls.platform_team = fixtures.team("Platform")
        cls.ada = fixtures.expert("Ada Lovelace", home_team=network)
        cls.bob = fixtures.expert("Bob Dylan", home_team=network)
        cls.cy = fixtures.expert("Cy Young", home_team=servers)
        network.contacts.set([cls.ada.contact, cls.bob.contact])
        servers.contacts.set([cls.cy.contact])
        cls.platform_team.contacts.set([cls.bob.contact])  # membership only: Bob's home team stays Network
        fixtures.agreement(cls.ada, network, 8, date.today() - timedelta(days=10))
        cls.junos = fixtures.technology("Junos", category="network", custodian_team=network, required_experts=2)
        cls.linux = fixtures.technology("Linux", category="server", custodian_team=servers, required_experts=1)
        cls.vsphere = fixtures.technology("vSphere", category="server", required_experts=2)
        cls.transit = fixtures.technology("Transit", category="network", custodian_team=network, required_experts=2)
        cls.postgres = fixtures.technology("PostgreSQL", category="database")
        TechnologyScope.objects.create(technology=cls.junos, platform=cls.inv["junos"])
        TechnologyScope.objects.create(technology=cls.linux, platform=cls.inv["linux"])
        TechnologyScope.objects.create(technology=cls.vsphere, cluster_type=cls.inv["cluster_type"])
        TechnologyScope.objects.create(technology=cls.transit, provider=cls.inv["provider"])
        fixtures.skill(cls.ada, cls.junos, 4)
        fixtures.skill(cls.ada, cls.transit, 3)
        fixtures.skill(cls.bob, cls.linux, 4)
        fixtures.skill(cls.bob, cls.transit, 3)
        fixtures.skill(cls.cy, cls.linux, 2)
        fixtures.skill(cls.cy, cls.postgres, 5)

    def get_page(self, url, **params):
        response = self.client.get(url, params)
        self.assertHttpStatus(response, 200)
        return response, response.content.decode()


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class AccessTest(CoverageEstateMixin, TestCase):
    def test_every_page_renders_for_a_permitted_user(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT, VIEW_SKILL)
        for url in (DASHBOARD, MATRIX, WHAT_IF):
            with self.subTest(url=url):
                self.get_page(url)

    def test_pages_refuse_users_without_technology_permission(self):
        self.add_permissions(VIEW_EXPERT, VIEW_SKILL)
        for url in (DASHBOARD, MATRIX, WHAT_IF, f"{MATRIX}?export=csv"):
            with self.subTest(url=url):
                self.assertHttpStatus(self.client.get(url), 403)

    def test_what_if_needs_expert_permission_too(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        self.assertHttpStatus(self.client.get(WHAT_IF), 403)

    def test_anonymous_users_are_sent_to_login(self):
        self.client.logout()
        for url in (DASHBOARD, MATRIX, WHAT_IF):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertHttpStatus(response, 302)
                self.assertIn(reverse("login"), response["Location"])

    def test_menu_offers_the_coverage_pages(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT)
        _, page = self.get_page(DASHBOARD)
        for url in (DASHBOARD, MATRIX, WHAT_IF):
            self.assertIn(f'href="{url}"', page)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class DashboardTest(CoverageEstateMixin, TestCase):
    def test_tiles_count_gaps_by_severity(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT)
        response, page = self.get_page(DASHBOARD)
        self.assertIn('aria-label="1 critical gap: list them"', page)
        self.assertIn('aria-label="2 high gaps: list them"', page)
        self.assertIn('aria-label="6 medium gaps: list them"', page)
        self.assertIn('aria-label="0 low gaps: list them"', page)
        self.assertEqual(response.context["technologies_in_use"], 4)
        self.assertEqual(response.context["total_gaps"], 9)

    def test_charts_carry_the_figures_as_a_table(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        response, page = self.get_page(DASHBOARD)
        self.assertEqual(response.context["bus_factor_summary"]["rows"], [["0", 1], ["1", 2], ["2", 1], ["3+", 0]])
        kinds = {row[0]: (row[1], row[2]) for row in response.context["gaps_by_kind_summary"]["rows"]}
        self.assertEqual(kinds["No expert"], ("Critical", 1))
        self.assertEqual(kinds["Custodian lacks skill"], ("High", 1))
        self.assertEqual(kinds["Vendor only"], ("Low", 0))
        self.assertIn("Figures as a table", page)
        self.assertIn('role="img" aria-label="Bus factor of technologies in use;', page)

    def test_worst_gaps_in_risk_order_with_links_to_technology_and_objects(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        response, page = self.get_page(DASHBOARD)
        rows = [(row.technology.name, row.kind) for row in response.context["gap_rows"]]
        self.assertEqual(
            rows,
            [
                ("vSphere", "no_expert"),  # 10 x 2
                ("Junos", "single_expert"),  # 5 x 2
                ("Linux", "custodian_lacks_skill"),  # 5 x 1
                ("Junos", "no_primary_support"),  # 2 x 2; ties: by technology name, then kind
                ("vSphere", "no_custodian"),
                ("vSphere", "no_primary_support"),
                ("Linux", "no_capacity"),  # 2 x 1
                ("Linux", "no_primary_support"),
                ("Transit", "no_primary_support"),
            ],
        )
        self.assertIn(f'href="{self.vsphere.get_absolute_url()}"', page)
        junos_devices = next(row for row in response.context["gap_rows"] if row.kind == "single_expert")
        link = junos_devices.links[0]
        self.assertEqual((link["count"], link["label"]), (2, "devices"))
        self.add_permissions("dcim.view_device")
        rebuild_knowledge()  # the core list's technology filter reads the materialised rows
        # Core lists load their table with HTMX; ask for it the way the page does.
        listed = self.client.get(link["url"], headers={"HX-Request": "true"}).content.decode()
        self.assertIn("ams-rtr-1", listed)
        self.assertIn("ber-rtr-1", listed)
        self.assertNotIn("ams-srv-1", listed)

    def test_severity_tile_lists_every_gap_of_that_severity(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        response, _ = self.get_page(DASHBOARD, severity="medium")
        self.assertEqual(
            sorted((row.technology.name, row.kind) for row in response.context["gap_rows"]),
            [
                ("Junos", "no_primary_support"),
                ("Linux", "no_capacity"),
                ("Linux", "no_primary_support"),
                ("Transit", "no_primary_support"),
                ("vSphere", "no_custodian"),
                ("vSphere", "no_primary_support"),
            ],
        )

    def test_truck_factor_and_expert_names(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT)
        response, page = self.get_page(DASHBOARD)
        self.assertEqual(response.context["truck_factor"], 1)
        self.assertIn(f'<a href="{self.ada.get_absolute_url()}">Ada Lovelace</a>', page)

    def test_expert_names_hidden_without_expert_permission(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        response, page = self.get_page(DASHBOARD)
        self.assertEqual(response.context["truck_factor"], 1)
        self.assertIn("names are shown to users who may view experts", page)
        self.assertNotIn("Ada Lovelace", page)  # neither in the truck factor nor in the Junos single-expert gap

    def test_technologies_outside_the_users_permission_are_left_out(self):
        self.add_permissions(VIEW_TECHNOLOGY, constraints={"name__in": ["Junos", "Transit"]})
        response, page = self.get_page(DASHBOARD)
        self.assertEqual(response.context["technologies_in_use"], 2)
        # Junos single_expert (10), then no_primary_support of Junos (4) and of Transit (2).
        self.assertEqual(
            [(row.technology.name, row.kind) for row in response.context["gap_rows"]],
            [("Junos", "single_expert"), ("Junos", "no_primary_support"), ("Transit", "no_primary_support")],
        )
        self.assertNotIn("vSphere", page)

    def test_trend_and_time_to_close_from_the_register(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_GAP)
        today = timezone.localdate()
        fixtures.knowledge_gap(self.vsphere, "no_expert", "critical", today - timedelta(days=2))
        fixtures.knowledge_gap(
            self.junos, "single_expert", "high", today - timedelta(days=12), closed=today - timedelta(days=2)
        )
        response, page = self.get_page(DASHBOARD)
        self.assertIn("Open gaps by severity", page)
        rows = response.context["trend_summary"]["rows"]
        self.assertEqual(response.context["trend_summary"]["headers"], ["Date", "Critical", "High", "Medium", "Low"])
        self.assertEqual(len(rows), 365)
        self.assertEqual(
            rows[-4:-1],
            [
                [(today - timedelta(days=3)).isoformat(), 0, 1, 0, 0],
                [(today - timedelta(days=2)).isoformat(), 1, 0, 0, 0],
                [(today - timedelta(days=1)).isoformat(), 1, 0, 0, 0],
            ],
        )
        # Today also counts the gaps the engine recorded while answering this page (opened now).
        current = Counter(KnowledgeGap.objects.current().values_list("severity", flat=True))
        self.assertEqual(rows[-1], [today.isoformat(), *(current[severity] for severity in SEVERITIES)])
        self.assertEqual(current["critical"], 1)  # the vSphere record above, still open
        self.assertEqual(
            [(row["kind"], row["median_days"], row["closed"]) for row in response.context["time_to_close_rows"]],
            [("Single expert", 10.0, 1)],
        )
        self.assertIn("Median days to close", page)

    def test_register_figures_need_the_register_permission(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        fixtures.knowledge_gap(self.vsphere, "no_expert", "critical", timezone.localdate())
        response, page = self.get_page(DASHBOARD)
        self.assertIn("the gap register, which you may not view", page)
        self.assertNotIn("trend_summary", response.context)

    def test_queries_do_not_grow_with_devices(self):
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT)
        self.client.get(DASHBOARD)  # warm caches of content types, permissions and the menu
        with CaptureQueriesContext(connection) as before:
            self.client.get(DASHBOARD)
        router = self.inv["router"]
        for number in range(5):
            Device.objects.create(
                name=f"ams-rtr-{number + 10}",
                device_type=router.device_type,
                platform=router.platform,
                role=router.role,
                location=router.location,
                status=router.status,
            )
        state.drain()  # the new devices, taken in as their commit would
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(DASHBOARD)
        worst = response.context["gap_rows"][0]  # Junos on 7 routers now outweighs vSphere
        self.assertEqual((worst.kind, worst.links[0]["count"]), ("single_expert", 7))
        self.assertEqual(len(after), len(before))


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class SkillsMatrixTest(CoverageEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT, VIEW_SKILL)

    def cells(self, response):
        """{(row label, technology name): (level, qualified)} of the non-blank cells."""
        return {
            (row["label"], cell["technology"].name): (cell["level"], cell["qualified"])
            for row in response.context["matrix_rows"]
            for cell in row["cells"]
            if cell["level"]
        }

    def test_levels_and_qualified_cells(self):
        response, page = self.get_page(MATRIX)
        self.assertEqual(
            [t.name for t in response.context["technologies"]], ["Junos", "Linux", "PostgreSQL", "Transit"]
        )
        self.assertEqual(
            self.cells(response),
            {
                ("Ada Lovelace", "Junos"): (4, True),
                ("Ada Lovelace", "Transit"): (3, True),
                ("Bob Dylan", "Linux"): (4, True),
                ("Bob Dylan", "Transit"): (3, True),
                ("Cy Young", "Linux"): (2, False),
                ("Cy Young", "PostgreSQL"): (5, True),
            },
        )
        self.assertIn('title="Cy Young, Linux: level 2"', page)
        self.assertIn('title="Cy Young, PostgreSQL: level 5, qualified"', page)
        self.assertIn('class="techmgmt-cell techmgmt-level-5"', page)

    def test_team_filter_uses_home_team_and_membership(self):
        response, _ = self.get_page(MATRIX, team="Servers")
        self.assertEqual([row["label"] for row in response.context["matrix_rows"]], ["Cy Young"])
        response, _ = self.get_page(MATRIX, team="Platform")  # Bob is a member, not his home team
        self.assertEqual([row["label"] for row in response.context["matrix_rows"]], ["Bob Dylan"])

    def test_category_filter_narrows_columns_and_rows(self):
        response, _ = self.get_page(MATRIX, category="database")
        self.assertEqual([t.name for t in response.context["technologies"]], ["PostgreSQL"])
        self.assertEqual(self.cells(response), {("Cy Young", "PostgreSQL"): (5, True)})

    def test_csv_export_has_the_same_rows_and_columns(self):
        response = self.client.get(MATRIX, {"export": "csv"})
        self.assertHttpStatus(response, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response.content.decode().splitlines(),
            [
                "Expert,Home team,Junos,Linux,PostgreSQL,Transit",
                "Ada Lovelace,Network Operations,4,,,3",
                "Bob Dylan,Network Operations,,4,,3",
                "Cy Young,Servers,,2,5,",
            ],
        )

    def test_csv_export_keeps_the_filter(self):
        response = self.client.get(MATRIX, {"export": "csv", "category": "network"})
        self.assertEqual(
            response.content.decode().splitlines(),
            [
                "Expert,Home team,Junos,Transit",
                "Ada Lovelace,Network Operations,4,3",
                "Bob Dylan,Network Operations,,3",
            ],
        )

    def test_expert_names_hidden_without_expert_permission(self):
        self.remove_permissions(VIEW_EXPERT)
        response, page = self.get_page(MATRIX)
        self.assertEqual(
            [row["label"] for row in response.context["matrix_rows"]], ["Expert 1", "Expert 2", "Expert 3"]
        )
        for name in ("Ada Lovelace", "Bob Dylan", "Cy Young"):
            self.assertNotIn(name, page)
        csv_lines = self.client.get(MATRIX, {"export": "csv"}).content.decode().splitlines()
        self.assertEqual(csv_lines[1], "Expert 1,,4,,,3")

    def test_queries_do_not_grow_with_experts(self):
        self.client.get(MATRIX)  # warm caches of content types, permissions and the menu
        with CaptureQueriesContext(connection) as before:
            self.client.get(MATRIX)
        for number in range(5):
            fixtures.skill(fixtures.expert(f"Extra Expert {number}"), self.junos, 3)
        state.drain()  # the new skills, taken in as their commit would
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(MATRIX)
        self.assertEqual(len(response.context["matrix_rows"]), 8)
        self.assertEqual(len(after), len(before))

    def test_no_levels_without_skill_permission(self):
        self.remove_permissions(VIEW_SKILL)
        response, page = self.get_page(MATRIX)
        self.assertEqual(response.context["matrix_rows"], [])
        self.assertIn("No skill matches this filter.", page)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class WhatIfTest(CoverageEstateMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.add_permissions(VIEW_TECHNOLOGY, VIEW_EXPERT)

    def test_form_only_without_experts(self):
        response, page = self.get_page(WHAT_IF)
        self.assertNotIn("gap_rows", response.context)
        self.assertIn("Show what would break", page)

    def test_sole_expert_leaving_opens_no_expert_gap(self):
        response, page = self.get_page(WHAT_IF, experts=str(self.bob.pk))
        new = [(row.technology.name, row.kind, row.severity) for row in response.context["gap_rows"]]
        self.assertEqual(new, [("Linux", "no_expert", "critical"), ("Transit", "single_expert", "high")])
        self.assertIn("No expert", page)
        self.assertIn(f'<a href="{self.bob.get_absolute_url()}">Bob Dylan</a>', page)
        changes = {c["technology"].name: (c["before"], c["after"]) for c in response.context["bus_factor_changes"]}
        self.assertEqual(changes, {"Linux": (1, 0), "Transit": (2, 1)})
        self.assertIn("0 — nobody left", page)
        resolved = [(row.technology.name, row.kind) for row in response.context["resolved_rows"]]
        self.assertEqual(resolved, [("Linux", "no_capacity")])

    def test_several_experts_by_shareable_link(self):
        response, _ = self.get_page(f"{WHAT_IF}?experts={self.ada.pk}&experts={self.bob.pk}")
        self.assertEqual(
            sorted(e.contact.name for e in response.context["removed_experts"]), ["Ada Lovelace", "Bob Dylan"]
        )
        new = {(row.technology.name, row.kind) for row in response.context["gap_rows"]}
        self.assertTrue({("Junos", "no_expert"), ("Linux", "no_expert"), ("Transit", "no_expert")} <= new)

    def test_unknown_expert_is_a_form_error(self):
        response, page = self.get_page(WHAT_IF, experts="00000000-0000-0000-0000-000000000000")
        self.assertNotIn("gap_rows", response.context)
        self.assertIn("Select a valid choice", page)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class HomePagePanelTest(CoverageEstateMixin, TestCase):
    def test_panel_shows_summary_and_worst_gaps(self):
        self.add_permissions(VIEW_TECHNOLOGY)
        _, page = self.get_page(reverse("home"))
        self.assertIn("Knowledge Coverage", page)
        self.assertIn('aria-label="1 critical gap"', page)
        self.assertIn('aria-label="2 high gaps"', page)
        self.assertIn(f'<a href="{self.vsphere.get_absolute_url()}">vSphere</a>: no expert', page)
        self.assertIn(f"{DASHBOARD}?severity=critical#gaps", page)

    def test_no_panel_without_technology_permission(self):
        _, page = self.get_page(reverse("home"))
        self.assertNotIn("Knowledge Coverage", page)
        self.assertNotIn("vSphere", page)
