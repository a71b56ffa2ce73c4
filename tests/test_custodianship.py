"""Responsibilities: validation, filters, GraphQL and CSV import."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from nautobot.apps.graphql import execute_query
from nautobot.apps.testing import APITestCase, FilterTestCases, ModelTestCases, TestCase
from rest_framework import status as http

from nautobot_techmgmt import filters, models
from tests import fixtures

ROLES = fixtures.ROLES


class ResponsibilityModelTest(ModelTestCases.BaseModelTestCase):
    model = models.Responsibility

    @classmethod
    def setUpTestData(cls):
        cls.team = fixtures.team("Network Team")
        cls.expert = fixtures.expert("Alice Archer")
        cls.junos = fixtures.technology("Junos")
        cls.targets = fixtures.two_of_each_target()
        cls.existing = models.Responsibility.objects.create(
            team=cls.team, technology=cls.junos, platform=cls.targets["platform"][0]
        )
        models.Responsibility.objects.create(expert=cls.expert, technology=cls.junos, role="escalation")

    def assert_invalid(self, responsibility, expected):
        with self.assertRaises(ValidationError) as raised:
            responsibility.full_clean()
        for field_name, messages in expected.items():
            self.assertEqual(raised.exception.message_dict[field_name], messages)

    def test_exactly_one_assignee(self):
        message = ["Choose exactly one assignee: a team or an expert."]
        self.assert_invalid(models.Responsibility(technology=self.junos), {"team": message, "expert": message})
        self.assert_invalid(
            models.Responsibility(team=self.team, expert=self.expert, technology=self.junos),
            {"team": message, "expert": message},
        )

    def test_at_most_one_target(self):
        message = ["Choose only one target; device, location are all set."]
        self.assert_invalid(
            models.Responsibility(
                team=self.team, device=self.targets["device"][0], location=self.targets["location"][0]
            ),
            {"device": message, "location": message},
        )

    def test_technology_or_target_required(self):
        self.assert_invalid(
            models.Responsibility(team=self.team), {"technology": ["Choose a technology, a target, or both."]}
        )

    def test_target_alone_or_technology_alone_is_enough(self):
        models.Responsibility(team=self.team, device=self.targets["device"][0]).full_clean()
        models.Responsibility(expert=self.expert, technology=self.junos).full_clean()

    def test_duplicate_is_refused_on_role(self):
        duplicate = models.Responsibility(team=self.team, technology=self.junos, platform=self.targets["platform"][0])
        self.assert_invalid(duplicate, {"role": ["Network Team already has this role for this technology and target."]})

    def test_same_assignee_in_another_role_or_scope_is_accepted(self):
        platform = self.targets["platform"][0]
        models.Responsibility(team=self.team, technology=self.junos, platform=platform, role="escalation").full_clean()
        models.Responsibility(team=self.team, technology=self.junos).full_clean()
        models.Responsibility(team=self.team, platform=platform).full_clean()

    def test_escalation_tier_and_hours_are_bounded(self):
        self.assert_invalid(
            models.Responsibility(team=self.team, technology=self.junos, escalation_tier=0, hours_per_week=61),
            {
                "escalation_tier": ["Ensure this value is greater than or equal to 1."],
                "hours_per_week": ["Ensure this value is less than or equal to 60."],
            },
        )

    def test_assignee_target_and_name(self):
        self.assertEqual(self.existing.assignee, self.team)
        self.assertEqual(self.existing.target, self.targets["platform"][0])
        self.assertEqual(self.existing.target_type, "platform")
        self.assertEqual(str(self.existing), "Network Team - Custodian of Junos / junos")


class ResponsibilityFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.Responsibility.objects.all()
    filterset = filters.ResponsibilityFilterSet
    generic_filter_tests = (
        ["team", "team__name"],
        ["team", "team__id"],
        ["expert", "expert__contact__name"],
        ["expert", "expert__id"],
        ["role"],
        ["technology", "technology__name"],
        ["technology", "technology__id"],
        ["escalation_tier"],
        ["hours_per_week"],
        ["comments"],
        *fixtures.TARGET_FILTER_TESTS,
    )

    @classmethod
    def setUpTestData(cls):
        fixtures.custodianship_estate(cls)

    def test_target_type(self):
        result = self.filterset({"target_type": ["device", "location"]}, self.queryset).qs
        self.assertEqual(result.count(), 4)
        self.assertEqual({item.target_field for item in result}, {"device", "location"})

    def test_has_technology(self):
        without = self.filterset({"has_technology": False}, self.queryset).qs
        self.assertTrue(without.exists())
        self.assertFalse(without.filter(technology__isnull=False).exists())

    def test_q_finds_expert_by_name(self):
        result = self.filterset({"q": "carol"}, self.queryset).qs
        self.assertTrue(result.exists())
        self.assertEqual({item.expert.contact.name for item in result}, {"Carol Cook"})


class ResponsibilityGraphQLTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        fixtures.custodianship_estate(cls)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def test_list_by_team_and_role(self):
        result = execute_query(
            '{ responsibilities(team: ["Database Team"], technology: ["PostgreSQL"]) '
            "{ role team { name } technology { name } } }",
            user=self.user,
        )
        self.assertIsNone(result.errors)
        expected = models.Responsibility.objects.filter(team__name="Database Team", technology__name="PostgreSQL")
        self.assertEqual(len(result.data["responsibilities"]), expected.count())
        self.assertIn(
            {"role": "CUSTODIAN", "team": {"name": "Database Team"}, "technology": {"name": "PostgreSQL"}},
            result.data["responsibilities"],
        )

    def test_single_responsibility_with_target(self):
        responsibility = models.Responsibility.objects.get(device=self.targets["device"][1])
        result = execute_query(
            "query ($id: ID!) { responsibility(id: $id) "
            "{ escalation_tier device { name } expert { id } team { name } } }",
            variables={"id": str(responsibility.pk)},
            user=self.user,
        )
        self.assertIsNone(result.errors)
        data = result.data["responsibility"]
        self.assertEqual(data["device"], {"name": self.targets["device"][1].name})
        self.assertEqual(data["escalation_tier"], responsibility.escalation_tier)
        self.assertEqual(data["team"], {"name": responsibility.team.name})

    def test_core_device_shows_its_responsibilities(self):
        device = self.targets["device"][0]
        result = execute_query(
            "query ($id: ID!) { device(id: $id) { techmgmt_responsibility_set { role } } }",
            variables={"id": str(device.pk)},
            user=self.user,
        )
        self.assertIsNone(result.errors)
        self.assertEqual(len(result.data["device"]["techmgmt_responsibility_set"]), 1)


class ResponsibilityCSVImportTest(APITestCase):
    """CSV import through the REST API, with assignees and targets by natural key or ID."""

    @classmethod
    def setUpTestData(cls):
        cls.teams = [fixtures.team(name) for name in ("Network Team", "Server Team")]
        cls.expert = fixtures.expert("Alice Archer")
        cls.technologies = [fixtures.technology(name) for name in ("Junos", "Linux")]
        cls.targets = fixtures.two_of_each_target()

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()
        self.url = reverse("plugins-api:nautobot_techmgmt-api:responsibility-list")

    def post_csv(self, csv_text):
        return self.client.post(self.url, csv_text, content_type="text/csv", **self.header)

    def test_good_rows(self):
        router = self.targets["device"][0]
        csv_text = (
            "team,expert,role,technology,platform,device__name,escalation_tier,hours_per_week\n"
            "Network Team,,custodian,Junos,junos,NoObject,1,\n"
            f"Server Team,,primary-support,,,{router.name},2,4.5\n"
            f",{self.expert.pk},escalation,Linux,,NoObject,3,\n"
        )
        response = self.post_csv(csv_text)
        self.assertHttpStatus(response, http.HTTP_201_CREATED, csv_text)
        by_platform = models.Responsibility.objects.get(platform=self.targets["platform"][0])
        self.assertEqual((by_platform.team, by_platform.technology), (self.teams[0], self.technologies[0]))
        by_device = models.Responsibility.objects.get(device=router)
        self.assertEqual((by_device.role, by_device.hours_per_week), ("primary-support", Decimal("4.5")))
        self.assertIsNone(by_device.technology)
        self.assertEqual(models.Responsibility.objects.get(expert=self.expert).technology, self.technologies[1])

    def test_bad_rows_save_nothing(self):
        csv_text = (
            "team,expert,role,technology,platform,escalation_tier\n"
            "Network Team,,custodian,Junos,,1\n"
            f"Network Team,{self.expert.pk},custodian,Junos,,1\n"
            "Network Team,,custodian,,,1\n"
            "Server Team,,owner,Junos,,1\n"
        )
        response = self.post_csv(csv_text)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        errors = str(response.data)
        self.assertIn("Choose exactly one assignee: a team or an expert.", errors)
        self.assertIn("Choose a technology, a target, or both.", errors)
        self.assertIn('"owner" is not a valid choice.', errors)
        self.assertFalse(models.Responsibility.objects.exists())
