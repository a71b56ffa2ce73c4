"""Client mistakes that fuzzing the REST API found answered with server errors: each is a 4xx, not a 500."""

from django.urls import reverse
from nautobot.apps.testing import APITestCase, APITransactionTestCase

from nautobot_techmgmt.models import Certification
from tests import fixtures


class ClientMistakesTest(APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.junos = fixtures.technology("Junos", category="network")

    def setUp(self):
        super().setUp()
        self.add_permissions(
            "nautobot_techmgmt.view_technology",
            "nautobot_techmgmt.view_responsibility",
            "nautobot_techmgmt.add_certification",
            "nautobot_techmgmt.view_certification",
            "extras.view_note",
        )

    def get(self, name, query="", **kwargs):
        url = reverse(f"plugins-api:nautobot_techmgmt-api:{name}", kwargs=kwargs)
        return self.client.get(f"{url}{query}", **self.header)

    def test_an_id_that_can_name_nothing_is_not_found(self):
        # Responsibilities have no natural key but their id; notes are looked up by id only.
        self.assertHttpStatus(self.get("responsibility-detail", pk="not-a-uuid"), 404)
        self.assertHttpStatus(self.get("technology-notes", pk="not-a-uuid"), 404)
        # A natural key still finds its object.
        self.assertHttpStatus(self.get("technology-detail", pk="Junos"), 200)

    def test_a_filter_value_its_lookup_cannot_take_is_a_bad_request(self):
        self.assertHttpStatus(self.get("technology-list", "?name__ic=null"), 400)
        self.assertHttpStatus(self.get("technology-list", "?name__ic=jun"), 200)

    def test_a_nul_character_in_the_query_is_a_bad_request(self):
        self.assertHttpStatus(self.get("technology-list", "?name__ic=a%00b"), 400)
        self.assertHttpStatus(self.get("coverage-technologies", "?category=a%00b"), 400)

    def test_exclude_m2m_must_be_a_boolean(self):
        self.assertHttpStatus(self.get("technology-list", "?exclude_m2m=maybe"), 400)
        self.assertHttpStatus(self.get("technology-detail", "?exclude_m2m=maybe", pk=self.junos.pk), 400)
        self.assertHttpStatus(self.get("technology-list", "?exclude_m2m=false"), 200)

    def test_csv_is_refused_where_nautobot_cannot_render_it_and_nothing_is_written(self):
        url = reverse("plugins-api:nautobot_techmgmt-api:certification-list")
        response = self.client.post(f"{url}?format=csv", {"name": "JNCIA"}, format="json", **self.header)
        self.assertHttpStatus(response, 406)
        self.assertFalse(Certification.objects.filter(name="JNCIA").exists())
        self.assertHttpStatus(self.get("technology-notes", "?format=csv", pk=self.junos.pk), 406)
        self.assertHttpStatus(self.get("technology-list", "?format=csv"), 200)


class RefusedValueTest(APITransactionTestCase):
    """Requests without a test transaction around them, as a server runs them.

    On PostgreSQL a query the database refuses spoils the transaction it runs in, and Nautobot's change logging
    queries again after the view.
    """

    serialized_rollback = True

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        fixtures.restore_serialized_database()

    def test_a_regular_expression_the_database_cannot_compile_is_a_bad_request(self):
        fixtures.technology("Junos")
        url = reverse("plugins-api:nautobot_techmgmt-api:technology-list")
        response = self.client.get(f"{url}?name__re=(", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertRegex(str(response.json()), "(?i)regular expression|regex")
        response = self.client.get(f"{url}?name__re=^Jun", **self.header)
        self.assertEqual([row["name"] for row in response.json()["results"]], ["Junos"])
