"""Technologies and technology scopes: validation, filters, GraphQL and CSV import."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from nautobot.apps.graphql import execute_query
from nautobot.apps.testing import APITestCase, FilterTestCases, ModelTestCases, TestCase
from rest_framework import status as http

from nautobot_techmgmt import filters, models
from nautobot_techmgmt.models.targets import TARGET_FIELDS
from tests import fixtures


def scope_estate(test_class):
    """Two scopes for every kind of target, spread over three technologies, with descriptions."""
    test_class.technologies = [fixtures.technology(name) for name in ("Junos", "Linux", "VMware")]
    test_class.targets = fixtures.two_of_each_target()
    test_class.scopes = []
    for index, field_name in enumerate(TARGET_FIELDS):
        for position, target in enumerate(test_class.targets[field_name]):
            technology = test_class.technologies[(index + position) % 3]
            test_class.scopes.append(
                models.TechnologyScope.objects.create(
                    technology=technology,
                    description=f"{technology} on {field_name} {position}",
                    **{field_name: target},
                )
            )


class TechnologyModelTest(ModelTestCases.BaseModelTestCase):
    model = models.Technology

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)

    def test_required_experts_at_least_one(self):
        technology = models.Technology(name="Zero", status=fixtures.status("Active"), required_experts=0)
        with self.assertRaises(ValidationError) as raised:
            technology.full_clean()
        self.assertEqual(
            raised.exception.message_dict["required_experts"], ["Ensure this value is greater than or equal to 1."]
        )

    def test_qualified_level_between_one_and_five(self):
        for level in (0, 6):
            with self.subTest(level=level):
                technology = models.Technology(
                    name=f"Level {level}", status=fixtures.status("Active"), qualified_level=level
                )
                with self.assertRaises(ValidationError) as raised:
                    technology.full_clean()
                self.assertIn(f"Value {level} is not a valid choice.", raised.exception.message_dict["qualified_level"])
        technology = models.Technology(name="Level 5", status=fixtures.status("Active"), qualified_level=5)
        technology.full_clean()

    def test_name_is_unique(self):
        duplicate = models.Technology(name="Linux", status=fixtures.status("Active"))
        with self.assertRaises(ValidationError) as raised:
            duplicate.full_clean()
        self.assertEqual(raised.exception.message_dict["name"], ["Technology with this Name already exists."])

    def test_parent_loop_is_refused(self):
        network = self.technologies[0]
        network.parent = self.technologies[2]  # Junos, a grandchild of Network
        with self.assertRaises(ValidationError) as raised:
            network.full_clean()
        self.assertEqual(raised.exception.message_dict["__all__"], ["A node cannot be made a descendant of itself."])

    def test_own_parent_is_refused(self):
        linux = self.technologies[3]
        linux.parent = linux
        with self.assertRaises(ValidationError) as raised:
            linux.full_clean()
        self.assertEqual(raised.exception.message_dict["__all__"], ["A node cannot be made a descendant of itself."])


class TechnologyScopeModelTest(ModelTestCases.BaseModelTestCase):
    model = models.TechnologyScope

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)

    def test_a_target_is_required(self):
        scope = models.TechnologyScope(technology=self.technologies[3])
        with self.assertRaises(ValidationError) as raised:
            scope.full_clean()
        self.assertEqual(
            raised.exception.message_dict["__all__"],
            [
                "Choose a target: a device, circuit, virtual machine, cluster or cloud service, or a rule target "
                "(dynamic group, device type, platform, software version, device role, circuit type, provider, "
                "cluster type, cloud resource type, cloud account, manufacturer or location)."
            ],
        )

    def test_only_one_target(self):
        scope = models.TechnologyScope(
            technology=self.technologies[3],
            platform=self.targets["platform"][1],
            location=self.targets["location"][0],
        )
        with self.assertRaises(ValidationError) as raised:
            scope.full_clean()
        message = "Choose only one target; platform, location are all set."
        self.assertEqual(raised.exception.message_dict["platform"], [message])
        self.assertEqual(raised.exception.message_dict["location"], [message])

    def test_duplicate_scope_is_refused_on_the_target_field(self):
        duplicate = models.TechnologyScope(technology=self.technologies[2], platform=self.targets["platform"][0])
        with self.assertRaises(ValidationError) as raised:
            duplicate.full_clean()
        self.assertEqual(raised.exception.message_dict["platform"], ["Junos is already scoped to this platform."])

    def test_same_target_for_another_technology_is_accepted(self):
        scope = models.TechnologyScope(technology=self.technologies[3], platform=self.targets["platform"][0])
        scope.full_clean()

    def test_target_and_type(self):
        scope = self.scopes[2]
        self.assertEqual(scope.target, self.targets["device"][1])
        self.assertEqual(scope.target_type, "device")
        self.assertEqual(str(scope), "PostgreSQL on device ams-srv-1")


class TechnologyFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.Technology.objects.all()
    filterset = filters.TechnologyFilterSet
    generic_filter_tests = (
        ["name"],
        ["parent", "parent__name"],
        ["parent", "parent__id"],
        ["category"],
        ["status", "status__name"],
        ["custodian_team", "custodian_team__name"],
        ["custodian_team", "custodian_team__id"],
        ["technical_manager", "technical_manager__name"],
        ["technical_manager", "technical_manager__id"],
        ["required_experts"],
        ["qualified_level"],
        ["description"],
    )

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)

    def test_ancestor_includes_all_descendants(self):
        result = self.filterset({"ancestor": ["Network"]}, self.queryset).qs
        self.assertEqual(sorted(t.name for t in result), ["Junos", "Routing"])

    def test_certification_required(self):
        result = self.filterset({"certification_required": True}, self.queryset).qs
        self.assertEqual(sorted(t.name for t in result), ["Junos", "Routing"])

    def test_q_searches_description(self):
        result = self.filterset({"q": "packets"}, self.queryset).qs
        self.assertEqual([t.name for t in result], ["Network"])

    def test_certifications_and_support_contracts(self):
        self.assertEqual([t.name for t in self.filterset({"certifications": ["JNCIA"]}, self.queryset).qs], ["Junos"])
        result = self.filterset({"support_contracts": ["AC-1"]}, self.queryset).qs
        self.assertEqual(sorted(t.name for t in result), ["Junos", "Routing"])


class TechnologyScopeFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.TechnologyScope.objects.all()
    filterset = filters.TechnologyScopeFilterSet
    generic_filter_tests = (
        ["technology", "technology__name"],
        ["technology", "technology__id"],
        ["description"],
        *fixtures.TARGET_FILTER_TESTS,
    )

    @classmethod
    def setUpTestData(cls):
        scope_estate(cls)

    def test_target_type(self):
        result = self.filterset({"target_type": ["platform", "circuit"]}, self.queryset).qs
        self.assertEqual(result.count(), 4)
        self.assertEqual({scope.target_field for scope in result}, {"platform", "circuit"})

    def test_unknown_target_type_is_invalid(self):
        filterset = self.filterset({"target_type": ["toaster"]}, self.queryset)
        self.assertFalse(filterset.is_valid())
        self.assertIn("target_type", filterset.errors)


class TechnologyGraphQLTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def test_list_technologies_with_filter(self):
        result = execute_query(
            '{ technologies(category: ["network"]) { name parent { name } custodian_team { name } } }', user=self.user
        )
        self.assertIsNone(result.errors)
        rows = {row["name"]: row for row in result.data["technologies"]}
        self.assertEqual(sorted(rows), ["Junos", "Network", "Routing"])
        self.assertEqual(rows["Junos"]["parent"]["name"], "Routing")
        self.assertEqual(rows["Network"]["custodian_team"]["name"], "Network Team")

    def test_single_technology_with_scopes(self):
        junos = self.technologies[2]
        result = execute_query(
            "query ($id: ID!) { technology(id: $id) { name qualified_level scopes { platform { name } } } }",
            variables={"id": str(junos.pk)},
            user=self.user,
        )
        self.assertIsNone(result.errors)
        data = result.data["technology"]
        self.assertEqual(data["name"], "Junos")
        self.assertEqual(data["scopes"], [{"platform": {"name": "junos"}}])

    def test_list_scopes_by_target_type(self):
        result = execute_query(
            '{ technology_scopes(target_type: ["device"]) { technology { name } device { name } } }', user=self.user
        )
        self.assertIsNone(result.errors)
        self.assertEqual(
            result.data["technology_scopes"], [{"technology": {"name": "PostgreSQL"}, "device": {"name": "ams-srv-1"}}]
        )

    def test_single_scope(self):
        scope = self.scopes[0]
        result = execute_query(
            "query ($id: ID!) { technology_scope(id: $id) { technology { name } platform { name } device { name } } }",
            variables={"id": str(scope.pk)},
            user=self.user,
        )
        self.assertIsNone(result.errors)
        self.assertEqual(
            result.data["technology_scope"],
            {"technology": {"name": "Junos"}, "platform": {"name": "junos"}, "device": None},
        )


class TechnologyCSVImportTest(APITestCase):
    """CSV import through the REST API, by natural key or ID."""

    @classmethod
    def setUpTestData(cls):
        fixtures.technology_tree(cls)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def post_csv(self, route, csv_text):
        url = reverse(f"plugins-api:nautobot_techmgmt-api:{route}-list")
        return self.client.post(url, csv_text, content_type="text/csv", **self.header)

    def test_technologies_import_with_parent_and_team_names(self):
        csv_text = (
            "name,parent,category,status,custodian_team,required_experts,qualified_level,certification_required\n"
            "BGP,Routing,network,Active,Network Team,3,4,true\n"
            "OSPF,Routing,network,Planned,,2,3,false\n"
        )
        response = self.post_csv("technology", csv_text)
        self.assertHttpStatus(response, http.HTTP_201_CREATED, csv_text)
        bgp = models.Technology.objects.get(name="BGP")
        self.assertEqual(bgp.parent, self.technologies[1])
        self.assertEqual(bgp.custodian_team, self.teams[0])
        self.assertEqual((bgp.required_experts, bgp.qualified_level, bgp.certification_required), (3, 4, True))
        self.assertEqual(models.Technology.objects.get(name="OSPF").status.name, "Planned")

    def test_bad_technology_rows_save_nothing(self):
        before = models.Technology.objects.count()
        csv_text = (
            "name,category,status,required_experts,qualified_level\n"
            "Good One,network,Active,2,3\n"
            "No Experts,network,Active,0,3\n"
            "Too Skilled,network,Active,2,7\n"
        )
        response = self.post_csv("technology", csv_text)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        errors = str(response.data)
        self.assertIn("greater than or equal to 1", errors)
        self.assertIn('"7" is not a valid choice.', errors)
        self.assertEqual(models.Technology.objects.count(), before)

    def test_scopes_import_targets_by_name_or_id(self):
        device = self.targets["device"][0]
        # Nautobot's CSV convention: a single column takes a composite key or an ID; split lookup columns
        # (`location__name`) take "NoObject" where the row has no such object.
        csv_text = (
            "technology,platform,device,location__name,description\n"
            "Linux,junos,,NoObject,by platform name\n"
            f"Linux,,{device.pk},NoObject,by device ID\n"
            "Routing,,,Berlin,by location name\n"
        )
        response = self.post_csv("technologyscope", csv_text)
        self.assertHttpStatus(response, http.HTTP_201_CREATED, csv_text)
        linux = self.technologies[3]
        self.assertTrue(linux.scopes.filter(platform=self.targets["platform"][0]).exists())
        self.assertTrue(linux.scopes.filter(device=device).exists())
        self.assertEqual(self.technologies[1].scopes.get().location, self.targets["location"][1])

    def test_bad_scope_rows_save_nothing(self):
        before = models.TechnologyScope.objects.count()
        csv_text = (
            "technology,platform,location__name\n"
            "Linux,junos,NoObject\n"
            "Linux,,NoObject\n"
            "Linux,junos,Berlin\n"
            "Junos,junos,NoObject\n"
        )
        response = self.post_csv("technologyscope", csv_text)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        errors = str(response.data)
        self.assertIn("Choose a target", errors)
        self.assertIn("Choose only one target; platform, location are all set.", errors)
        self.assertIn("Junos is already scoped to this platform.", errors)
        self.assertEqual(models.TechnologyScope.objects.count(), before)
