"""Suppliers and support contracts: validation, UI views, REST API, filters, GraphQL and CSV import."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from nautobot.apps.graphql import execute_query
from nautobot.apps.testing import (
    APITestCase,
    APIViewTestCases,
    FilterTestCases,
    ModelTestCases,
    TestCase,
    ViewTestCases,
    post_data,
)
from rest_framework import status as http

from nautobot_techmgmt import filters, models
from nautobot_techmgmt.forms import SupportContractBulkEditForm
from tests import fixtures


def supplier_estate(test_class):
    """Three suppliers with contracts over four technologies, and a training plan delivered by one of them."""
    test_class.technologies = [fixtures.technology(name) for name in ("Junos", "Linux", "PostgreSQL", "VMware")]
    test_class.suppliers = [
        models.Supplier.objects.create(
            name="Acme Networks",
            account_manager="Anna Acme",
            phone="+31 20 555 0101",
            email="support@acme.example.com",
            url="https://acme.example.com",
            description="Juniper partner",
            comments="Preferred for routing.",
        ),
        models.Supplier.objects.create(
            name="Bits & Bytes",
            account_manager="Bert Bits",
            phone="+49 30 555 0202",
            email="help@bits.example.com",
            url="https://bits.example.com",
            description="Linux consultancy",
        ),
        models.Supplier.objects.create(
            name="Cloud Crew",
            account_manager="Cleo Crew",
            phone="+44 20 555 0303",
            email="ops@crew.example.com",
            url="https://crew.example.com",
        ),
        models.Supplier.objects.create(name="Dormant Data"),
    ]
    acme, bits, crew, _ = test_class.suppliers
    junos, linux, postgres, vmware = test_class.technologies
    test_class.contracts = [
        fixtures.support_contract(
            acme,
            "AC-001",
            [junos],
            support_level="24x7",
            start_date=date(2025, 1, 1),
            end_date=date(2026, 12, 31),
            cost=Decimal("12000.00"),
            hours_per_month=Decimal("20.0"),
            description="Routing platform support",
        ),
        fixtures.support_contract(
            bits,
            "BB-100",
            [linux, postgres],
            support_level="business-hours",
            start_date=date(2024, 6, 1),
            end_date=date(2025, 5, 31),
            cost=Decimal("8000.00"),
            hours_per_month=Decimal("8.5"),
            description="Server support",
        ),
        fixtures.support_contract(
            crew,
            "CC-7",
            [vmware],
            support_level="best-effort",
            start_date=date(2026, 1, 1),
            cost=Decimal("500.00"),
            hours_per_month=Decimal("4.0"),
        ),
        fixtures.support_contract(acme, "AC-002", [], support_level="24x7", start_date=date(2023, 3, 1)),
    ]
    test_class.expert = fixtures.expert("Tom Trainee")
    test_class.training_plan = fixtures.training_plan(test_class.expert, linux, 3, supplier=bits)


class SupplierModelTest(ModelTestCases.BaseModelTestCase):
    model = models.Supplier

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def test_name_is_unique(self):
        duplicate = models.Supplier(name="Acme Networks")
        with self.assertRaises(ValidationError) as raised:
            duplicate.full_clean()
        self.assertEqual(raised.exception.message_dict["name"], ["Supplier with this Name already exists."])

    def test_email_and_url_are_checked(self):
        supplier = models.Supplier(name="Typo Ltd", email="not-an-address", url="not a url")
        with self.assertRaises(ValidationError) as raised:
            supplier.full_clean()
        self.assertEqual(set(raised.exception.message_dict), {"email", "url"})


class SupportContractModelTest(ModelTestCases.BaseModelTestCase):
    model = models.SupportContract

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def test_end_before_start_is_refused(self):
        contract = models.SupportContract(
            supplier=self.suppliers[0], reference="AC-003", start_date=date(2026, 1, 1), end_date=date(2025, 12, 31)
        )
        with self.assertRaises(ValidationError) as raised:
            contract.full_clean()
        self.assertEqual(raised.exception.message_dict["end_date"], ["The end date cannot be before the start date."])

    def test_end_on_start_day_is_accepted(self):
        contract = models.SupportContract(
            supplier=self.suppliers[0], reference="AC-004", start_date=date(2026, 1, 1), end_date=date(2026, 1, 1)
        )
        contract.full_clean()

    def test_reference_is_unique_per_supplier(self):
        duplicate = models.SupportContract(supplier=self.suppliers[0], reference="AC-001", start_date=date(2026, 1, 1))
        with self.assertRaises(ValidationError) as raised:
            duplicate.full_clean()
        self.assertIn("already exists", str(raised.exception))
        other_supplier = models.SupportContract(
            supplier=self.suppliers[1], reference="AC-001", start_date=date(2026, 1, 1)
        )
        other_supplier.full_clean()

    def test_active_on(self):
        active = models.SupportContract.objects.active_on(date(2026, 6, 1))
        self.assertEqual(sorted(contract.reference for contract in active), ["AC-001", "AC-002", "CC-7"])


class SupplierViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    model = models.Supplier

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)
        cls.form_data = {
            "name": "Expert Eagles",
            "account_manager": "Eddie Eagle",
            "phone": "+1 555 0404",
            "email": "eagles@example.com",
            "url": "https://eagles.example.com",
            "description": "Storage specialists",
            "comments": "Met at a conference.",
        }
        cls.bulk_edit_data = {
            "account_manager": "Shared Desk",
            "phone": "+1 555 9999",
            "description": "Consolidated supplier",
        }

    def test_detail_lists_contracts_and_training_plans(self):
        self.add_permissions(
            "nautobot_techmgmt.view_supplier",
            "nautobot_techmgmt.view_supportcontract",
            "nautobot_techmgmt.view_trainingplan",
        )
        bits = self.suppliers[1]
        response = self.client.get(bits.get_absolute_url())
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        self.assertIn("BB-100", body)
        self.assertNotIn("AC-001", body)
        self.assertIn(reverse("plugins:nautobot_techmgmt:trainingplan", args=[self.training_plan.pk]), body)

    def test_list_links_contract_count(self):
        self.add_permissions("nautobot_techmgmt.view_supplier")
        # The list page loads its table through HTMX.
        response = self.client.get(reverse("plugins:nautobot_techmgmt:supplier_list"), headers={"HX-Request": "true"})
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        contracts_url = reverse("plugins:nautobot_techmgmt:supportcontract_list")
        acme = self.suppliers[0]
        self.assertRegex(body, rf'href="{contracts_url}\?supplier={acme.pk}"[^>]*>\s*2\s*</a>')


class SupportContractViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    model = models.SupportContract

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)
        cls.form_data = {
            "supplier": cls.suppliers[2].pk,
            "reference": "CC-8",
            "technologies": [cls.technologies[0].pk, cls.technologies[3].pk],
            "support_level": "24x7",
            "start_date": date(2026, 2, 1),
            "end_date": date(2027, 1, 31),
            "cost": Decimal("1500.00"),
            "hours_per_month": Decimal("12.5"),
            "description": "Extended cover",
        }
        cls.bulk_edit_data = {
            "support_level": "best-effort",
            "end_date": date(2030, 12, 31),
            "cost": Decimal("99.00"),
            "hours_per_month": Decimal("6.0"),
            "description": "Renegotiated",
        }

    def test_end_before_start_error_shows_on_field(self):
        self.add_permissions("nautobot_techmgmt.add_supportcontract")
        data = {**self.form_data, "reference": "CC-9", "end_date": date(2026, 1, 1)}
        response = self.client.post(reverse("plugins:nautobot_techmgmt:supportcontract_add"), post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.context["form"].errors["end_date"], ["The end date cannot be before the start date."])
        self.assertFalse(models.SupportContract.objects.filter(reference="CC-9").exists())

    def test_detail_lists_technologies_covered(self):
        self.add_permissions("nautobot_techmgmt.view_supportcontract", "nautobot_techmgmt.view_technology")
        response = self.client.get(self.contracts[1].get_absolute_url())
        self.assertHttpStatus(response, 200)
        body = response.content.decode(response.charset)
        self.assertIn("Technologies Covered", body)
        self.assertRegex(body, r"<td>Hours Per Month</td><td>(<[^>]+>)*8\.5<")
        for technology in (self.technologies[1], self.technologies[2]):
            self.assertIn(technology.get_absolute_url(), body)
        self.assertNotIn(self.technologies[0].get_absolute_url(), body)

    def test_bulk_edit_adds_and_removes_technologies(self):
        self.add_permissions("nautobot_techmgmt.change_supportcontract")
        contract = self.contracts[1]
        form = SupportContractBulkEditForm(
            models.SupportContract,
            {
                "pk": [contract.pk],
                "add_technologies": [self.technologies[3].pk],
                "remove_technologies": [self.technologies[1].pk],
            },
        )
        self.assertTrue(form.is_valid(), form.errors)
        form.post_save(contract)
        self.assertEqual(sorted(contract.technologies.values_list("name", flat=True)), ["PostgreSQL", "VMware"])


class SupplierAPITest(APIViewTestCases.APIViewTestCase):
    model = models.Supplier
    choices_fields = []

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)
        cls.create_data = [
            {"name": "Eagle Eyes", "account_manager": "Eve", "email": "eve@eagle.example.com"},
            {"name": "Fast Fixers", "phone": "+1 555 0505", "url": "https://fixers.example.com"},
            {"name": "Gurus Inc", "description": "Database tuning", "comments": "Expensive"},
        ]
        cls.bulk_update_data = {"description": "Reviewed in 2026", "account_manager": "Procurement"}
        # Suppliers with contracts are protected from deletion; the bulk-delete test needs three without.
        for name in ("Idle One", "Idle Two"):
            fixtures.supplier(name)

    def test_supplier_with_contracts_cannot_be_deleted(self):
        self.add_permissions("nautobot_techmgmt.delete_supplier")
        response = self.client.delete(self._get_detail_url(self.suppliers[0]), **self.header)
        self.assertHttpStatus(response, http.HTTP_409_CONFLICT)
        self.assertTrue(models.Supplier.objects.filter(pk=self.suppliers[0].pk).exists())


class SupportContractAPITest(APIViewTestCases.APIViewTestCase):
    model = models.SupportContract
    choices_fields = ["support_level"]
    # Since Nautobot 3.0 responses leave many-to-many fields out unless asked; checked in test_technologies_are_saved.
    validation_excluded_fields = ["technologies"]

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)
        cls.create_data = [
            {
                "supplier": cls.suppliers[0].pk,
                "reference": "AC-010",
                "technologies": [cls.technologies[0].pk],
                "support_level": "business-hours",
                "start_date": date(2026, 1, 1),
            },
            {
                "supplier": cls.suppliers[1].pk,
                "reference": "BB-200",
                "support_level": "24x7",
                "start_date": date(2026, 3, 1),
                "end_date": date(2027, 2, 28),
                "cost": Decimal("2500.00"),
                "hours_per_month": Decimal("10.0"),
            },
            {
                "supplier": cls.suppliers[3].pk,
                "reference": "DD-1",
                "support_level": "best-effort",
                "start_date": date(2025, 1, 1),
                "description": "Legacy storage",
            },
        ]
        cls.bulk_update_data = {"support_level": "best-effort", "description": "Under review"}

    def test_technologies_are_saved_and_shown_on_request(self):
        self.add_permissions(
            "nautobot_techmgmt.add_supportcontract",
            "nautobot_techmgmt.view_supportcontract",
            "nautobot_techmgmt.view_supplier",
            "nautobot_techmgmt.view_technology",
        )
        data = {**self.create_data[0], "technologies": [self.technologies[0].pk, self.technologies[1].pk]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_201_CREATED)
        contract = models.SupportContract.objects.get(pk=response.data["id"])
        self.assertEqual(sorted(contract.technologies.values_list("name", flat=True)), ["Junos", "Linux"])
        detail = self.client.get(f"{self._get_detail_url(contract)}?exclude_m2m=false", **self.header)
        self.assertEqual(
            sorted(str(item["id"]) for item in detail.data["technologies"]),
            sorted(str(t.pk) for t in self.technologies[:2]),
        )

    def test_end_before_start_is_refused(self):
        self.add_permissions(
            "nautobot_techmgmt.add_supportcontract",
            "nautobot_techmgmt.view_supplier",
            "nautobot_techmgmt.view_technology",
        )
        data = {**self.create_data[0], "reference": "AC-011", "end_date": date(2025, 1, 1)}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["end_date"], ["The end date cannot be before the start date."])

    def test_hours_per_month_are_given_and_checked(self):
        self.add_permissions(
            "nautobot_techmgmt.add_supportcontract",
            "nautobot_techmgmt.view_supportcontract",
            "nautobot_techmgmt.view_supplier",
        )
        detail = self.client.get(self._get_detail_url(self.contracts[0]), **self.header).json()
        self.assertEqual(detail["hours_per_month"], "20.0")
        data = {**self.create_data[1], "reference": "BB-201", "hours_per_month": -1}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(list(response.data), ["hours_per_month"])


class SupplierFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.Supplier.objects.all()
    filterset = filters.SupplierFilterSet
    generic_filter_tests = (
        ["name"],
        ["account_manager"],
        ["phone"],
        ["email"],
        ["url"],
        ["description"],
        ["technologies", "support_contracts__technologies__name"],
        ["technologies", "support_contracts__technologies__id"],
    )

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def test_technologies_lists_each_supplier_once(self):
        fixtures.support_contract(self.suppliers[0], "AC-003", [self.technologies[0]])
        result = self.filterset({"technologies": ["Junos"]}, self.queryset).qs
        self.assertEqual([supplier.name for supplier in result], ["Acme Networks"])

    def test_q_matches_account_manager(self):
        result = self.filterset({"q": "bert"}, self.queryset).qs
        self.assertEqual([supplier.name for supplier in result], ["Bits & Bytes"])


class SupportContractFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.SupportContract.objects.all()
    filterset = filters.SupportContractFilterSet
    generic_filter_tests = (
        ["reference"],
        ["supplier", "supplier__name"],
        ["supplier", "supplier__id"],
        ["technologies", "technologies__name"],
        ["technologies", "technologies__id"],
        ["support_level"],
        ["start_date"],
        ["end_date"],
        ["cost"],
        ["hours_per_month"],
        ["description"],
    )

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def test_active_on(self):
        result = self.filterset({"active_on": "2025-03-01"}, self.queryset).qs
        self.assertEqual(sorted(contract.reference for contract in result), ["AC-001", "AC-002", "BB-100"])

    def test_date_ranges(self):
        result = self.filterset({"start_date__gte": "2025-01-01"}, self.queryset).qs
        self.assertEqual(sorted(contract.reference for contract in result), ["AC-001", "CC-7"])

    def test_contracts_that_supply_hours(self):
        result = self.filterset({"hours_per_month__gt": "5"}, self.queryset).qs
        self.assertEqual(sorted(contract.reference for contract in result), ["AC-001", "BB-100"])


class SupplierGraphQLTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def test_list_suppliers_with_contracts(self):
        result = execute_query(
            '{ suppliers(name: ["Acme Networks", "Bits & Bytes"]) { name support_contracts { reference } } }',
            user=self.user,
        )
        self.assertIsNone(result.errors)
        found = {
            row["name"]: sorted(c["reference"] for c in row["support_contracts"]) for row in result.data["suppliers"]
        }
        self.assertEqual(found, {"Acme Networks": ["AC-001", "AC-002"], "Bits & Bytes": ["BB-100"]})

    def test_single_support_contract(self):
        contract = self.contracts[1]
        result = execute_query(
            "query ($id: ID!) { support_contract(id: $id) { reference support_level supplier { name } "
            "technologies { name } } }",
            variables={"id": str(contract.pk)},
            user=self.user,
        )
        self.assertIsNone(result.errors)
        data = result.data["support_contract"]
        self.assertEqual(data["reference"], "BB-100")
        self.assertEqual(data["supplier"]["name"], "Bits & Bytes")
        self.assertEqual(sorted(t["name"] for t in data["technologies"]), ["Linux", "PostgreSQL"])

    def test_filter_support_contracts_by_technology(self):
        result = execute_query('{ support_contracts(technologies: ["VMware"]) { reference } }', user=self.user)
        self.assertIsNone(result.errors)
        self.assertEqual([row["reference"] for row in result.data["support_contracts"]], ["CC-7"])


class SupportContractCSVImportTest(APITestCase):
    """CSV import through the REST API, the path Nautobot 3's import job also uses."""

    @classmethod
    def setUpTestData(cls):
        supplier_estate(cls)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()
        self.url = reverse("plugins-api:nautobot_techmgmt-api:supportcontract-list")

    def post_csv(self, csv_text):
        return self.client.post(self.url, csv_text, content_type="text/csv", **self.header)

    def test_good_rows_are_imported_with_natural_keys(self):
        csv_text = (
            "supplier,reference,technologies,support_level,start_date,end_date,hours_per_month\n"
            'Cloud Crew,CC-20,"Junos,Linux",24x7,2026-01-01,2026-12-31,16\n'
            f"{self.suppliers[3].pk},DD-20,,best-effort,2026-02-01,,\n"
        )
        response = self.post_csv(csv_text)
        self.assertHttpStatus(response, http.HTTP_201_CREATED, csv_text)
        imported = models.SupportContract.objects.get(reference="CC-20")
        self.assertEqual(imported.supplier, self.suppliers[2])
        self.assertEqual(sorted(imported.technologies.values_list("name", flat=True)), ["Junos", "Linux"])
        self.assertEqual((imported.end_date, imported.hours_per_month), (date(2026, 12, 31), Decimal(16)))
        self.assertIsNone(models.SupportContract.objects.get(reference="DD-20").hours_per_month)
        self.assertEqual(models.SupportContract.objects.get(reference="DD-20").supplier, self.suppliers[3])

    def test_bad_rows_are_refused_and_nothing_is_saved(self):
        before = models.SupportContract.objects.count()
        csv_text = (
            "supplier,reference,support_level,start_date,end_date\n"
            "Cloud Crew,CC-30,24x7,2026-01-01,2026-12-31\n"
            "Cloud Crew,CC-31,24x7,2026-01-01,2025-12-31\n"
            "No Such Supplier,NS-1,24x7,2026-01-01,\n"
        )
        response = self.post_csv(csv_text)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        errors = str(response.data)
        self.assertIn("The end date cannot be before the start date.", errors)
        self.assertIn("No Such Supplier", errors)
        self.assertEqual(models.SupportContract.objects.count(), before)
