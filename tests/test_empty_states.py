"""What the app's pages say before there is anything to show: each empty page says what to do next."""

from django.test import override_settings
from django.urls import reverse
from nautobot.apps.testing import TestCase

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.models import Expert, Responsibility, TechnologyScope
from tests import fixtures

DASHBOARD = reverse("plugins:nautobot_techmgmt:coverage_dashboard")
MATRIX = reverse("plugins:nautobot_techmgmt:skills_matrix")
WHAT_IF = reverse("plugins:nautobot_techmgmt:what_if")
ADD_TECHNOLOGY = reverse("plugins:nautobot_techmgmt:technology_add")
ADD_SCOPE = reverse("plugins:nautobot_techmgmt:technologyscope_add")
DEMO_COMMAND = "nautobot-server load_techmgmt_demo"


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class EmptyStateTestCase(TestCase):
    """A user who may view (and add) what the pages need, on a database without app data."""

    def setUp(self):
        super().setUp()
        self.add_permissions(
            "nautobot_techmgmt.view_technology",
            "nautobot_techmgmt.add_technology",
            "nautobot_techmgmt.add_technologyscope",
            "nautobot_techmgmt.view_expert",
            "nautobot_techmgmt.add_expert",
            "nautobot_techmgmt.view_skill",
            "nautobot_techmgmt.add_skill",
            "dcim.view_device",
            "extras.run_job",
        )

    def assertShows(self, page, text):  # pylint: disable=invalid-name
        self.assertTrue(text in page, f"{text!r} is not on the page")

    def assertHides(self, page, text):  # pylint: disable=invalid-name
        self.assertFalse(text in page, f"{text!r} is on the page")

    def page(self, url, **params):
        response = self.client.get(url, params)
        self.assertHttpStatus(response, 200)
        return response.content.decode()


class DashboardTest(EmptyStateTestCase):
    def test_without_technologies_it_says_to_add_one_or_load_the_demo(self):
        page = self.page(DASHBOARD)
        self.assertShows(page, "No technologies yet")
        self.assertShows(page, DEMO_COMMAND)
        self.assertShows(page, f'href="{ADD_TECHNOLOGY}"')
        self.assertShows(page, "app_getting_started.html")
        self.assertHides(page, "Gaps by kind and severity")  # no empty charts
        self.assertHides(page, "Worst gaps")

    def test_with_technologies_not_in_use_it_says_to_add_a_scope(self):
        fixtures.technology("Junos")
        fixtures.technology("Linux")
        page = self.page(DASHBOARD)
        self.assertShows(page, "None of the 2 technologies is in use yet")
        self.assertShows(page, f'href="{ADD_SCOPE}"')
        self.assertHides(page, "No technologies yet")

    def test_no_add_link_without_permission(self):
        self.remove_permissions("nautobot_techmgmt.add_technology")
        page = self.page(DASHBOARD)
        self.assertShows(page, "No technologies yet")
        self.assertHides(page, f'href="{ADD_TECHNOLOGY}"')

    def test_figures_once_a_technology_is_in_use(self):
        inventory = fixtures.inventory()
        junos = fixtures.technology("Junos")
        TechnologyScope.objects.create(technology=junos, platform=inventory["junos"])
        page = self.page(DASHBOARD)
        self.assertShows(page, "Gaps by kind and severity")
        self.assertHides(page, "None of the")
        # Junos, on both routers, has no expert at all: the truck factor is 0 and the panel says why.
        self.assertShows(page, "Nobody needs to leave")
        self.assertHides(page, "No technology is in use yet.")


class HomePagePanelTest(EmptyStateTestCase):
    def test_without_technologies_the_panel_says_what_to_do_first(self):
        page = self.page(reverse("home"))
        self.assertShows(page, "Knowledge Coverage")
        self.assertShows(page, "No technologies yet")
        self.assertShows(page, DEMO_COMMAND)
        self.assertHides(page, "No knowledge gap.")  # "no gap" would read as good news

    def test_with_technologies_not_in_use(self):
        fixtures.technology("Junos")
        page = self.page(reverse("home"))
        self.assertShows(page, "None of the 1 technology is in use yet")


class SkillsMatrixTest(EmptyStateTestCase):
    def test_without_skills_it_offers_adding_and_importing(self):
        page = self.page(MATRIX)
        self.assertShows(page, "No skills recorded yet")
        self.assertShows(page, DEMO_COMMAND)
        self.assertShows(page, f'href="{reverse("plugins:nautobot_techmgmt:skill_add")}"')
        import_url = reverse(
            "extras:job_run_by_class_path",
            kwargs={"class_path": "nautobot_techmgmt.jobs.skills_import.ImportSkillsMatrix"},
        )
        self.assertShows(page, f'href="{import_url}"')
        self.assertHttpStatus(self.client.get(import_url), 200)  # the link opens the Job's run form

    def test_a_filter_that_matches_nothing_says_so(self):
        team = fixtures.team("Network Operations")
        page = self.page(MATRIX, team=team.name)
        self.assertShows(page, "No skill matches this filter.")
        self.assertHides(page, "No skills recorded yet")

    def test_long_matrix_is_paginated(self):
        estate = fixtures.knowledge_estate()
        fixtures.more_experts(estate, 30)
        total = Expert.objects.filter(skills__isnull=False).distinct().count()
        row = 'scope="row" class="techmgmt-expert"'
        first, second = self.page(MATRIX, per_page=25), self.page(MATRIX, per_page=25, page=2)
        self.assertEqual(first.count(row), 25)
        self.assertEqual(second.count(row), total - 25)
        self.assertShows(first, "matrix-paginator")


class WhatIfTest(EmptyStateTestCase):
    def test_without_experts_it_says_to_add_them(self):
        page = self.page(WHAT_IF)
        self.assertShows(page, "No experts yet")
        self.assertShows(page, f'href="{reverse("plugins:nautobot_techmgmt:expert_add")}"')

    def test_with_experts_no_hint(self):
        fixtures.expert("Ada Lovelace")
        self.assertHides(self.page(WHAT_IF), "No experts yet")


class DevicePanelTest(EmptyStateTestCase):
    def test_device_without_technologies_links_to_a_prefilled_scope(self):
        device = fixtures.inventory()["router"]
        page = self.page(device.get_absolute_url())
        self.assertShows(page, "No technology is in use on this object.")
        self.assertShows(page, f"{ADD_SCOPE}?device={device.pk}")
        form = self.page(ADD_SCOPE, device=device.pk)  # the scope form opens with the device chosen
        self.assertRegex(form, rf'<option value="{device.pk}"\s+selected\s*>{device.name}</option>')


class DetailPanelTest(EmptyStateTestCase):
    def test_technology_not_in_use_says_why(self):
        junos = fixtures.technology("Junos")
        page = self.page(junos.get_absolute_url())
        self.assertShows(
            page, "not in use: no scope matches a device, circuit, virtual machine, cluster or cloud service"
        )

    def test_expert_without_agreement_or_over_committed(self):
        ada = fixtures.expert("Ada Lovelace")
        self.assertShows(self.page(ada.get_absolute_url()), "0 (no agreed availability agreement in force)")
        junos = fixtures.technology("Junos")
        Responsibility.objects.create(
            expert=ada, technology=junos, role=ResponsibilityRoleChoices.PRIMARY_SUPPORT, hours_per_week=4
        )
        page = self.page(ada.get_absolute_url())
        self.assertShows(page, "Over-committed")
        self.assertShows(page, "4.0 beyond the agreed hours")
