"""Cloud services on every surface the other object types have: panel, list columns, filters, GraphQL, REST, pages."""

from django.test import override_settings
from django.urls import reverse
from nautobot.apps.testing import APITestCase
from nautobot.cloud.filters import CloudServiceFilterSet
from nautobot.cloud.models import CloudService

from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import ObjectKnowledge, Responsibility, TechnologyScope
from tests import fixtures
from tests.knowledge.test_list_columns_and_filters import knowledge_cells

COLUMNS = ["name", "nautobot_techmgmt_custodian_team", "nautobot_techmgmt_knowledge_risk"]


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class CloudServiceSurfacesTest(fixtures.GraphQLTestMixin, APITestCase):
    """Managed PostgreSQL scoped by resource type; its custodian team set on the cloud account."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        inv = cls.estate.inv
        cls.dba = fixtures.expert("Dora DBA")
        cls.dba_team = fixtures.team("Database Services", members=[cls.dba.contact])
        cls.postgres = fixtures.technology("Managed PostgreSQL", required_experts=2, category="database")
        TechnologyScope.objects.create(technology=cls.postgres, cloud_resource_type=inv["rds"])
        Responsibility.objects.create(
            team=cls.dba_team, technology=cls.postgres, role="custodian", cloud_account=inv["cloud_account"]
        )
        fixtures.skill(cls.dba, cls.postgres, 4)
        rebuild_knowledge()

    def setUp(self):
        super().setUp()
        self.add_permissions("cloud.view_cloudservice", *fixtures.EVERYTHING)
        self.client.force_login(self.user)

    def test_the_rows_of_the_state(self):
        (row,) = ObjectKnowledge.objects.filter(cloud_service__isnull=False)
        self.assertEqual((row.cloud_service, row.technology), (self.estate.inv["database"], self.postgres))
        self.assertEqual(row.custodian_team, self.dba_team)
        self.assertEqual(row.custodian_source, "inherited from cloud account prod-account")

    def test_panel_on_the_cloud_service_page(self):
        response = self.client.get(reverse("cloud:cloudservice", kwargs={"pk": self.estate.inv["database"].pk}))
        self.assertHttpStatus(response, 200)
        page = response.content.decode()
        self.assertIn("TECHNICAL MANAGEMENT", page)
        self.assertIn("Managed PostgreSQL", page)
        self.assertIn("inherited from cloud account prod-account", page)
        self.assertIn("Single expert", page)

    def test_columns_on_the_cloud_service_list(self):
        self.user.set_config("tables.CloudServiceTable.columns", COLUMNS, commit=True)
        response = self.client.get(reverse("cloud:cloudservice_list"), HTTP_HX_REQUEST="true")
        self.assertHttpStatus(response, 200)
        page = response.content.decode()
        self.assertEqual(knowledge_cells(page, self.estate.inv["database"]), ["Database Services", "high 9"])
        self.assertEqual(knowledge_cells(page, self.estate.inv["bucket"]), ["—", "—"])

    def test_filters_on_cloud_services(self):
        def names(**data):
            return sorted(CloudServiceFilterSet(data, CloudService.objects.all()).qs.values_list("name", flat=True))

        self.assertEqual(names(nautobot_techmgmt_technology=["Managed PostgreSQL"]), ["orders-db"])
        self.assertEqual(names(nautobot_techmgmt_custodian_team=[str(self.dba_team.pk)]), ["orders-db"])
        self.assertEqual(names(nautobot_techmgmt_has_knowledge_gap="true"), ["orders-db"])
        self.assertEqual(names(nautobot_techmgmt_has_knowledge_gap="false"), ["media-bucket"])

    def test_graphql(self):
        data = self.query(f'query {{ cloud_services(name: "orders-db") {{ name {fixtures.KNOWLEDGE} }} }}')
        (row,) = data["cloud_services"][0]["techmgmt_knowledge"]
        self.assertEqual(row["technology"], {"name": "Managed PostgreSQL"})
        self.assertEqual(row["custodian_team"], {"name": "Database Services"})
        self.assertEqual(row["gaps"], ["single_expert", "no_capacity", "no_primary_support"])
        data = self.query('query { cloud_services(nautobot_techmgmt_technology: "Managed PostgreSQL") { name } }')
        self.assertEqual(data["cloud_services"], [{"name": "orders-db"}])

    def test_rest_coverage(self):
        url = reverse(
            "plugins-api:nautobot_techmgmt-api:coverage-object",
            kwargs={"model": "cloud.cloudservice", "pk": self.estate.inv["database"].pk},
        )
        response = self.client.get(url, **self.header)
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertEqual(body["object"]["display"], "orders-db")
        (row,) = body["technologies"]
        self.assertEqual(row["technology"]["name"], "Managed PostgreSQL")
        self.assertEqual(row["custodian"]["source"], "inherited from cloud account prod-account")
        response = self.client.get(
            reverse("plugins-api:nautobot_techmgmt-api:coverage-technologies") + "?technology=Managed PostgreSQL",
            **self.header,
        )
        self.assertHttpStatus(response, 200)
        (row,) = response.json()
        self.assertEqual(
            row["in_use"], {"devices": 0, "circuits": 0, "virtual_machines": 0, "clusters": 0, "cloud_services": 1}
        )

    def test_gap_links_to_the_cloud_service_list(self):
        response = self.client.get(reverse("plugins:nautobot_techmgmt:coverage_dashboard"))
        self.assertHttpStatus(response, 200)
        page = response.content.decode()
        self.assertIn("1 cloud service", page)
        self.assertIn(f"{reverse('cloud:cloudservice_list')}?nautobot_techmgmt_technology={self.postgres.pk}", page)
