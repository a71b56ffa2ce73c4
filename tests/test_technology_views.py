"""Technologies and technology scopes: UI views and REST API."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APIViewTestCases, AssertNoRepeatedQueries, TestCase, ViewTestCases, post_data
from rest_framework import status as http

from nautobot_techmgmt import models
from nautobot_techmgmt.knowledge import state
from tests import fixtures


def people_around(test_class):
    """An expert with a skill and a training plan on Junos, and a custodian responsibility for it."""
    junos = test_class.technologies[2]
    test_class.expert = fixtures.expert("Alice Archer")
    test_class.skill = fixtures.skill(test_class.expert, junos, 4)
    test_class.training_plan = fixtures.training_plan(test_class.expert, junos, 5)
    test_class.responsibility = models.Responsibility.objects.create(team=test_class.teams[0], technology=junos)


def spare_technologies():
    """Technologies nothing refers to, so the delete tests have something they may delete."""
    for name in ("Spare One", "Spare Two", "Spare Three"):
        fixtures.technology(name, category="other")


class TechnologyViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    model = models.Technology

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)
        people_around(cls)
        spare_technologies()
        state.drain()  # the test data's changes, taken in as their commit would
        cls.form_data = {
            "name": "BGP",
            "parent": cls.technologies[1].pk,
            "category": "network",
            "status": fixtures.status("Planned").pk,
            "custodian_team": cls.teams[0].pk,
            "technical_manager": cls.managers[0].pk,
            "required_experts": 3,
            "qualified_level": 4,
            "certification_required": True,
            "description": "Border Gateway Protocol",
        }
        cls.update_data = {
            "name": "Linux Servers",
            "category": "server",
            "status": fixtures.status("Active").pk,
            "custodian_team": cls.teams[1].pk,
            "required_experts": 2,
            "qualified_level": 3,
            "certification_required": False,
            "description": "All Linux distributions",
        }
        cls.bulk_edit_data = {
            "category": "cloud",
            "status": fixtures.status("Retiring").pk,
            "custodian_team": cls.teams[2].pk,
            "required_experts": 5,
            "qualified_level": 2,
        }

    def test_detail_links_related_records(self):
        self.user.is_superuser = True
        self.user.save()
        junos = self.technologies[2]
        response = self.client.get(junos.get_absolute_url())
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        for record in (self.scopes[0], self.skill, self.training_plan, self.responsibility):
            with self.subTest(record=type(record).__name__):
                self.assertIn(record.get_absolute_url(), body)
        certification = models.Certification.objects.get(name="JNCIA")
        contract = models.SupportContract.objects.get(reference="AC-1")
        self.assertIn(certification.get_absolute_url(), body)
        self.assertIn(contract.get_absolute_url(), body)
        # A technology elsewhere in the tree does not leak in.
        self.assertNotIn(self.scopes[1].get_absolute_url(), body)

    def test_expertise_tab_says_which_experts_do_not_count(self):
        self.user.is_superuser = True
        self.user.save()
        technology = fixtures.technology("Oracle", qualified_level=3)
        certified = fixtures.technology("Vault", qualified_level=3, certification_required=True)
        fixtures.skill(fixtures.expert("Active Ann"), technology, 3)
        fixtures.skill(fixtures.expert("Leaving Len", "On Leave"), technology, 5)
        fixtures.skill(fixtures.expert("Junior Jo"), technology, 2)
        fixtures.skill(fixtures.expert("Uncertified Uma"), certified, 5)
        body = self.client.get(technology.get_absolute_url()).content.decode()
        rows = {
            name: row for row in body.split("<tr") for name in ("Active Ann", "Leaving Len", "Junior Jo") if name in row
        }
        self.assertIn("Counts towards bus factor", body)
        self.assertIn(">Counted<", rows["Active Ann"].replace("\n", "").replace(" ", ""))
        self.assertIn("Not counted: on leave, only active experts count", rows["Leaving Len"])
        self.assertIn("Not counted: below level 3, the level that qualifies", rows["Junior Jo"])
        body = self.client.get(certified.get_absolute_url()).content.decode()
        self.assertIn("Not counted: no unexpired certification for this technology, which it requires", body)

    def test_detail_lists_child_technologies(self):
        self.user.is_superuser = True
        self.user.save()
        response = self.client.get(self.technologies[0].get_absolute_url())
        body = response.content.decode(response.charset)
        self.assertIn("Child Technologies", body)
        self.assertIn(self.technologies[1].get_absolute_url(), body)

    def test_list_is_indented_as_a_tree(self):
        self.add_permissions("nautobot_techmgmt.view_technology")
        response = self.client.get(reverse("plugins:nautobot_techmgmt:technology_list"), headers={"HX-Request": "true"})
        body = response.content.decode(response.charset)
        # Junos sits two levels deep: two hierarchy markers before its link.
        self.assertRegex(
            body, r'(<i class="mdi mdi-circle-small"></i>\s*){2}\s*<a href="' + self.technologies[2].get_absolute_url()
        )

    def test_parent_loop_error_shows_on_parent_field(self):
        self.add_permissions("nautobot_techmgmt.change_technology", "nautobot_techmgmt.view_technology")
        network = self.technologies[0]
        data = {
            "name": "Network",
            "parent": self.technologies[2].pk,
            "category": "network",
            "status": fixtures.status("Active").pk,
            "required_experts": 2,
            "qualified_level": 3,
        }
        response = self.client.post(
            reverse("plugins:nautobot_techmgmt:technology_edit", args=[network.pk]), post_data(data)
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual(
            response.context["form"].errors["parent"],
            ["A technology cannot sit under itself or under one of its own descendants."],
        )
        network.refresh_from_db()
        self.assertIsNone(network.parent)

    def test_field_errors_from_model_validation(self):
        self.add_permissions("nautobot_techmgmt.add_technology")
        data = {**self.form_data, "name": "Broken", "required_experts": 0, "qualified_level": 9}
        response = self.client.post(reverse("plugins:nautobot_techmgmt:technology_add"), post_data(data))
        self.assertHttpStatus(response, 200)
        errors = response.context["form"].errors
        self.assertEqual(errors["required_experts"], ["Ensure this value is greater than or equal to 1."])
        self.assertIn("Select a valid choice. 9 is not one of the available choices.", errors["qualified_level"])
        self.assertFalse(models.Technology.objects.filter(name="Broken").exists())


class TechnologyScopeViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    model = models.TechnologyScope

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)
        cls.form_data = {
            "technology": cls.technologies[3].pk,
            "cluster_type": cls.targets["cluster_type"][0].pk,
            "description": "Linux hosts the hypervisors",
        }
        cls.update_data = {
            "technology": cls.technologies[4].pk,
            "location": cls.targets["location"][1].pk,
            "description": "Berlin databases",
        }
        cls.bulk_edit_data = {"description": "Reviewed"}

    def test_form_requires_one_target(self):
        self.user.is_superuser = True
        self.user.save()
        url = reverse("plugins:nautobot_techmgmt:technologyscope_add")
        response = self.client.post(url, post_data({"technology": self.technologies[3].pk}))
        self.assertHttpStatus(response, 200)
        self.assertIn("Choose a target", str(response.context["form"].non_field_errors()))

        response = self.client.post(
            url,
            post_data(
                {
                    "technology": self.technologies[3].pk,
                    "platform": self.targets["platform"][0].pk,
                    "manufacturer": self.targets["manufacturer"][0].pk,
                }
            ),
        )
        errors = response.context["form"].errors
        message = ["Choose only one target; platform, manufacturer are all set."]
        self.assertEqual(errors["platform"], message)
        self.assertEqual(errors["manufacturer"], message)

    def test_duplicate_error_shows_on_target_field(self):
        self.user.is_superuser = True
        self.user.save()
        response = self.client.post(
            reverse("plugins:nautobot_techmgmt:technologyscope_add"),
            post_data({"technology": self.technologies[2].pk, "platform": self.targets["platform"][0].pk}),
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.context["form"].errors["platform"], ["Junos is already scoped to this platform."])
        self.assertEqual(models.TechnologyScope.objects.filter(platform=self.targets["platform"][0]).count(), 1)

    def test_form_groups_targets(self):
        self.add_permissions("nautobot_techmgmt.add_technologyscope")
        response = self.client.get(reverse("plugins:nautobot_techmgmt:technologyscope_add"))
        body = response.content.decode(response.charset)
        self.assertIn("Target: one infrastructure object", body)
        self.assertIn("Target: or a rule that matches many objects", body)
        self.assertIn('name="device_role"', body)

    def test_detail_shows_target_and_type(self):
        self.user.is_superuser = True
        self.user.save()
        scope = self.scopes[2]
        response = self.client.get(scope.get_absolute_url())
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        self.assertIn('<span id="_value_target_type">Device</span>', body)
        self.assertIn(self.targets["device"][1].get_absolute_url(), body)

    def test_list_shows_target_type_and_target(self):
        self.add_permissions("nautobot_techmgmt.view_technologyscope")
        response = self.client.get(
            reverse("plugins:nautobot_techmgmt:technologyscope_list") + "?target_type=device",
            headers={"HX-Request": "true"},
        )
        body = response.content.decode(response.charset)
        self.assertIn(self.targets["device"][1].get_absolute_url(), body)
        self.assertInHTML("<td>Device</td>", body)
        self.assertNotIn(self.targets["platform"][0].get_absolute_url(), body)


class TechnologyAPITest(APIViewTestCases.APIViewTestCase, APIViewTestCases.TreeModelAPIViewTestCaseMixin):
    model = models.Technology
    choices_fields = ["category", "qualified_level"]

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)
        spare_technologies()
        cls.create_data = [
            {"name": "BGP", "parent": cls.technologies[1].pk, "status": fixtures.status("Active").pk},
            {
                "name": "Oracle",
                "category": "database",
                "status": fixtures.status("Planned").pk,
                "custodian_team": cls.teams[2].pk,
                "technical_manager": cls.managers[2].pk,
                "required_experts": 3,
                "qualified_level": 4,
                "certification_required": True,
            },
            {"name": "Kubernetes", "category": "cloud", "status": fixtures.status("Active").pk, "description": "K8s"},
        ]
        cls.bulk_update_data = {"category": "other", "required_experts": 3}

    def test_invalid_values_are_refused(self):
        self.add_permissions("nautobot_techmgmt.add_technology", "extras.view_status")
        data = {"name": "Bad", "status": fixtures.status("Active").pk, "required_experts": 0, "qualified_level": 6}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["required_experts"], ["Ensure this value is greater than or equal to 1."])
        self.assertEqual(response.data["qualified_level"], ['"6" is not a valid choice.'])


class TechnologyScopeAPITest(APIViewTestCases.APIViewTestCase):
    model = models.TechnologyScope
    choices_fields = []

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)
        cls.create_data = [
            {"technology": cls.technologies[3].pk, "virtual_machine": cls.targets["virtual_machine"][0].pk},
            {"technology": cls.technologies[4].pk, "dynamic_group": cls.targets["dynamic_group"][1].pk},
            {
                "technology": cls.technologies[2].pk,
                "device_role": cls.targets["device_role"][0].pk,
                "description": "every router",
            },
        ]
        # PATCHed onto the first scope (Junos on platform junos); it keeps its target.
        cls.update_data = {"technology": cls.technologies[3].pk, "description": "Linux runs there too"}
        cls.bulk_update_data = {"description": "Bulk reviewed"}

    def test_two_targets_are_refused(self):
        self.add_permissions(
            "nautobot_techmgmt.add_technologyscope",
            "nautobot_techmgmt.view_technology",
            "dcim.view_platform",
            "circuits.view_provider",
        )
        data = {
            "technology": self.technologies[3].pk,
            "platform": self.targets["platform"][0].pk,
            "provider": self.targets["provider"][0].pk,
        }
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        message = "Choose only one target; platform, provider are all set."
        self.assertEqual(response.data["platform"], [message])
        self.assertEqual(response.data["provider"], [message])


class ListQueryCountTest(TestCase):
    """Lists and the technology detail page do not run one query per row."""

    @classmethod
    def setUpTestData(cls):
        targets = fixtures.two_of_each_target()
        cls.big = fixtures.technology("Big family")
        cls.small = fixtures.technology("Small family")
        for number in range(12):
            technology = fixtures.technology(f"Tech {number:02}", parent=cls.big if number > 1 else cls.small)
            for field_name in ("platform", "location", "device", "device_type", "software_version"):
                target = targets[field_name][number % 2]
                models.TechnologyScope.objects.create(technology=technology, **{field_name: target})
                for parent in (cls.big, cls.small):
                    models.TechnologyScope.objects.get_or_create(technology=parent, **{field_name: target})

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def test_scope_list(self):
        url = reverse("plugins:nautobot_techmgmt:technologyscope_list") + "?per_page=100"
        with AssertNoRepeatedQueries(self, threshold=3):
            response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.content.decode(response.charset).count(">Tech 11</a>"), 5)

    def test_technology_list(self):
        with AssertNoRepeatedQueries(self, threshold=3):
            response = self.client.get(
                reverse("plugins:nautobot_techmgmt:technology_list"), headers={"HX-Request": "true"}
            )
        self.assertHttpStatus(response, 200)

    def test_technology_detail_cost_does_not_grow_with_children(self):
        def queries_for(technology):
            with CaptureQueriesContext(connection) as captured:
                self.assertHttpStatus(self.client.get(technology.get_absolute_url()), 200)
            return len(captured.captured_queries)

        queries_for(self.small)  # warm the caches both pages share
        self.assertEqual(queries_for(self.big), queries_for(self.small))
