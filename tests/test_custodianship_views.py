"""Responsibilities: UI views and REST API."""

from decimal import Decimal

from django.urls import reverse
from nautobot.apps.testing import APIViewTestCases, AssertNoRepeatedQueries, TestCase, ViewTestCases, post_data
from rest_framework import status as http

from nautobot_techmgmt import models
from tests import fixtures


def responsibility_estate(test_class):
    """Three teams, three experts, three technologies, every kind of target, and four responsibilities."""
    test_class.teams = [fixtures.team(name) for name in ("Network Team", "Server Team", "Database Team")]
    test_class.experts = [fixtures.expert(name) for name in ("Alice Archer", "Bob Baker", "Carol Cook")]
    test_class.technologies = [fixtures.technology(name) for name in ("Junos", "Linux", "PostgreSQL")]
    test_class.targets = fixtures.two_of_each_target()
    test_class.responsibilities = [
        models.Responsibility.objects.create(team=test_class.teams[0], technology=test_class.technologies[0]),
        models.Responsibility.objects.create(
            team=test_class.teams[1], device=test_class.targets["device"][1], role="primary-support", escalation_tier=2
        ),
        models.Responsibility.objects.create(
            expert=test_class.experts[0],
            technology=test_class.technologies[0],
            platform=test_class.targets["platform"][0],
            role="escalation",
            escalation_tier=3,
            hours_per_week=Decimal("4.0"),
            comments="Nights only",
        ),
        models.Responsibility.objects.create(
            expert=test_class.experts[2],
            technology=test_class.technologies[2],
            location=test_class.targets["location"][0],
        ),
    ]


class ResponsibilityViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    model = models.Responsibility

    @classmethod
    def setUpTestData(cls):
        responsibility_estate(cls)
        cls.form_data = {
            "team": cls.teams[2].pk,
            "role": "custodian",
            "technology": cls.technologies[2].pk,
            "cluster": cls.targets["cluster"][0].pk,
            "escalation_tier": 1,
            "hours_per_week": Decimal("8.0"),
            "comments": "Owns the database cluster",
        }
        cls.update_data = {
            "expert": cls.experts[1].pk,
            "role": "backup-support",
            "device_role": cls.targets["device_role"][0].pk,
            "escalation_tier": 2,
            "comments": "Covers every router",
        }
        cls.bulk_edit_data = {
            "escalation_tier": 4,
            "hours_per_week": Decimal("2.5"),
            "comments": "Reviewed in the yearly audit",
        }

    def setUp(self):
        super().setUp()
        # Assignee and target dropdowns only offer objects the user may see.
        self.add_permissions(
            "extras.view_team",
            "nautobot_techmgmt.view_expert",
            "nautobot_techmgmt.view_technology",
            "dcim.view_device",
            "dcim.view_platform",
            "dcim.view_location",
            "extras.view_role",
            "virtualization.view_cluster",
        )

    def post_form(self, data):
        self.add_permissions("nautobot_techmgmt.add_responsibility")
        return self.client.post(reverse("plugins:nautobot_techmgmt:responsibility_add"), post_data(data))

    def test_assignee_errors_show_on_team_and_expert(self):
        response = self.post_form({"role": "custodian", "technology": self.technologies[1].pk, "escalation_tier": 1})
        self.assertHttpStatus(response, 200)
        errors = response.context["form"].errors
        self.assertEqual(errors["team"], ["Choose exactly one assignee: a team or an expert."])
        self.assertEqual(errors["expert"], ["Choose exactly one assignee: a team or an expert."])

    def test_technology_or_target_error_shows_on_technology(self):
        response = self.post_form({"team": self.teams[0].pk, "role": "custodian", "escalation_tier": 1})
        self.assertEqual(response.context["form"].errors["technology"], ["Choose a technology, a target, or both."])

    def test_two_targets_error_shows_on_both_fields(self):
        response = self.post_form(
            {
                "team": self.teams[0].pk,
                "role": "custodian",
                "device": self.targets["device"][0].pk,
                "platform": self.targets["platform"][1].pk,
                "escalation_tier": 1,
            }
        )
        errors = response.context["form"].errors
        self.assertEqual(errors["device"], ["Choose only one target; device, platform are all set."])
        self.assertEqual(errors["platform"], ["Choose only one target; device, platform are all set."])

    def test_duplicate_error_shows_on_role(self):
        response = self.post_form(
            {"team": self.teams[0].pk, "role": "custodian", "technology": self.technologies[0].pk, "escalation_tier": 1}
        )
        self.assertEqual(
            response.context["form"].errors["role"],
            ["Network Team already has this role for this technology and target."],
        )
        self.assertEqual(models.Responsibility.objects.filter(team=self.teams[0]).count(), 1)

    def test_list_shows_assignee_role_target_and_tier(self):
        self.add_permissions("nautobot_techmgmt.view_responsibility")
        response = self.client.get(
            reverse("plugins:nautobot_techmgmt:responsibility_list") + "?role=escalation",
            headers={"HX-Request": "true"},
        )
        body = response.content.decode(response.charset)
        self.assertIn(self.experts[0].get_absolute_url(), body)
        self.assertIn("(Expert)", body)
        self.assertInHTML("<td>Escalation</td>", body)
        self.assertInHTML("<td>Platform</td>", body)
        self.assertIn(self.targets["platform"][0].get_absolute_url(), body)
        self.assertNotIn(self.teams[0].get_absolute_url(), body)

    def test_detail_shows_assignee_target_and_type(self):
        self.add_permissions("nautobot_techmgmt.view_responsibility")
        response = self.client.get(self.responsibilities[1].get_absolute_url())
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        self.assertIn('<span id="_value_target_type">Device</span>', body)
        self.assertIn(self.targets["device"][1].get_absolute_url(), body)
        self.assertIn(self.teams[1].get_absolute_url(), body)
        self.assertNotIn('id="_value_expert"', body)

    def test_form_groups_targets(self):
        self.add_permissions("nautobot_techmgmt.add_responsibility")
        response = self.client.get(reverse("plugins:nautobot_techmgmt:responsibility_add"))
        body = response.content.decode(response.charset)
        self.assertIn("Target: or a rule that matches many objects", body)
        self.assertIn('name="device_role"', body)
        self.assertIn('name="role"', body)


class ResponsibilityAPITest(APIViewTestCases.APIViewTestCase):
    model = models.Responsibility
    choices_fields = ["role"]

    @classmethod
    def setUpTestData(cls):
        responsibility_estate(cls)
        cls.create_data = [
            {"team": cls.teams[2].pk, "technology": cls.technologies[2].pk},
            {
                "expert": cls.experts[1].pk,
                "role": "design-authority",
                "software_version": cls.targets["software_version"][0].pk,
                "escalation_tier": 2,
                "hours_per_week": Decimal("3.5"),
            },
            {
                "team": cls.teams[0].pk,
                "role": "change-assessor",
                "technology": cls.technologies[0].pk,
                "circuit": cls.targets["circuit"][1].pk,
                "comments": "All changes on the MPLS circuit",
            },
        ]
        cls.bulk_update_data = {"escalation_tier": 5, "comments": "Bulk reviewed"}

    def test_validation_messages_reach_the_client(self):
        self.add_permissions(
            "nautobot_techmgmt.add_responsibility",
            "extras.view_team",
            "nautobot_techmgmt.view_expert",
            "nautobot_techmgmt.view_technology",
        )
        data = {"team": self.teams[0].pk, "expert": self.experts[0].pk, "technology": self.technologies[1].pk}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["team"], ["Choose exactly one assignee: a team or an expert."])
        self.assertEqual(response.data["expert"], ["Choose exactly one assignee: a team or an expert."])


class ResponsibilityListQueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        fixtures.custodianship_estate(cls)

    def test_list_does_not_query_per_row(self):
        self.user.is_superuser = True
        self.user.save()
        url = reverse("plugins:nautobot_techmgmt:responsibility_list") + "?per_page=100"
        with AssertNoRepeatedQueries(self, threshold=3):
            response = self.client.get(url, headers={"HX-Request": "true"})
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        self.assertEqual(body.count("(Expert)"), models.Responsibility.objects.filter(expert__isnull=False).count())
