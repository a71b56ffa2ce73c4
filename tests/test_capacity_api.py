"""Effort models as full citizens, and the expert-hour capacity figures in REST and GraphQL.

The computed endpoints read `capacity_estate`, worked by hand from the rules of `knowledge/capacity.py` (app defaults:
buy below 8 h/week, build from 20 h/week of steady demand; no coverage snapshots, so steady demand = demand):

* Junos (network; 2 devices; Ada qualified, 2 experts required: a high gap). Effort: base 4 and 13 h per device per
  month from the network category's model, uplift 40 % from its own; the high gap applies half of it, 20 %.
  Demand = (4 + 13 x 2 x 12 / 52) x 1.2 = (4 + 6) x 1.2 = 12.
* Linux (server; 1 device; Ada qualified; 1 expert required: no gap). Its own model: base 3, 0 h per device.
  Demand = 3.
* VMware (server; a cluster and its VM; Bob qualified; 1 required). Its own model: base 2, 0 h per cluster and VM.
  Demand = 2.
* Ada: 10 h agreed (line manager Lena, team Network Operations), 4 committed to Junos (primary support). The other
  6 h go to Junos and Linux in proportion to demand, 12 : 3: Junos 4.8, Linux 1.2. Junos gets 4 + 4.8 = 8.8.
* Bob: 5 h agreed (line manager Max, team Servers), nothing committed: all 5 to VMware, his only technology.
* Contract AC-1 (Acme) covers Junos with 13 h per month: 13 x 12 / 52 = 3 h/week, all to Junos.
* Junos: supply 8.8 + 3 = 11.8, shortfall 0.2, utilisation 12 / 11.8 = 1.017; 8 <= 12 < 20 steady: compare.
  Linux: supply 1.2, shortfall 1.8, utilisation 2.5; 3 < 8: buy. VMware: supply 5, surplus 3, utilisation 0.4;
  2 < 8: buy. Worst first: Linux, Junos, VMware.
* Spare: Ada 0 (no surplus where she gives hours); Bob 5 x 3 / 5 = 3, his share of VMware's surplus.
* Costs (hourly: Ada 80, Bob 50, Cara 60): Ada 10 x 52 x 80 = 41,600 a year, Bob 5 x 52 x 50 = 13,000.
* Make-or-buy of Linux (1.8 h short): train Cara (level 2, one short of 3) 1.8 x 52 x 60 = 5,616 a year plus her
  plan's 1,500 once; agree 1.8 h more with Ada's line manager Lena, 1.8 x 52 x 80 = 7,488; a contractor or a
  contract: no cost recorded. Cheapest: training, 5,616 + 1,500 = 7,116 < 7,488. Its expert hours cost
  1.2 x 52 x 80 = 4,992 a year now.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import (
    APITestCase,
    APIViewTestCases,
    FilterTestCases,
    ModelTestCases,
    ViewTestCases,
    post_data,
    run_job_for_testing,
)
from nautobot.extras.choices import JobResultStatusChoices
from nautobot.extras.models import Job
from rest_framework import status as http

from nautobot_techmgmt import filters
from nautobot_techmgmt.models import EffortModel, Responsibility, TechnologyScope
from tests import fixtures

API = "/api/plugins/techmgmt/"
ALL_OBJECT_TYPES = ("devices", "circuits", "virtual machines", "clusters", "cloud services")


def effort_estate(test_class):
    """Five technologies; effort models for the network and database categories, Junos, Linux and VMware."""
    test_class.technologies = [
        fixtures.technology(name, category=category)
        for name, category in (
            ("Junos", "network"),
            ("Linux", "server"),
            ("PostgreSQL", "database"),
            ("VMware", "server"),
            ("Oracle", "database"),
        )
    ]
    junos, linux, _, vmware, _ = test_class.technologies
    test_class.effort_models = [
        EffortModel.objects.create(
            category="network", base_hours_per_week=Decimal(4), hours_per_object={"devices": 13, "circuits": 0.2}
        ),
        EffortModel.objects.create(
            category="database", base_hours_per_week=Decimal(6), gap_uplift_percent=Decimal(10), description="DBs"
        ),
        EffortModel.objects.create(technology=junos, gap_uplift_percent=Decimal(40), description="Core routers"),
        EffortModel.objects.create(
            technology=linux, base_hours_per_week=Decimal(3), hours_per_object={"devices": 0}, description="Linux"
        ),
        EffortModel.objects.create(
            technology=vmware,
            base_hours_per_week=Decimal(2),
            hours_per_object={"clusters": 0, "virtual_machines": 0},
            gap_uplift_percent=Decimal(25),
        ),
    ]


#
# Effort models
#


class EffortModelModelTest(ModelTestCases.BaseModelTestCase):
    model = EffortModel

    @classmethod
    def setUpTestData(cls):
        effort_estate(cls)


class EffortModelViewTest(ViewTestCases.PrimaryObjectViewTestCase):
    """Effort model list, detail, add/edit, delete, bulk edit and delete."""

    model = EffortModel

    @classmethod
    def setUpTestData(cls):
        effort_estate(cls)
        cls.form_data = {
            "category": "cloud",
            "base_hours_per_week": Decimal("1.5"),
            "hours_per_device": Decimal("0.75"),
            "hours_per_cloud_service": Decimal("0.3"),
            "gap_uplift_percent": Decimal(40),
            "description": "Cloud services",
        }
        cls.update_data = {
            "technology": cls.technologies[2].pk,
            "base_hours_per_week": Decimal(3),
            "hours_per_virtual_machine": Decimal("0.5"),
            "description": "PostgreSQL clusters",
        }
        cls.bulk_edit_data = {"description": "Reviewed", "base_hours_per_week": Decimal(6)}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_one_number_per_object_type_packed_into_the_model_and_unpacked_for_edit(self):
        self.add_permissions("nautobot_techmgmt.add_effortmodel", "nautobot_techmgmt.change_effortmodel")
        form = self.client.get(self._get_url("add")).content.decode()
        for name in ALL_OBJECT_TYPES:
            self.assertIn(f"Hours per {name.rstrip('s')} per month", form)
        response = self.client.post(self._get_url("add"), data=post_data(self.form_data))
        self.assertHttpStatus(response, 302)
        added = EffortModel.objects.get(category="cloud")
        self.assertEqual(added.hours_per_object, {"devices": 0.75, "cloud_services": 0.3})
        form = self.client.get(self._get_url("edit", added)).context["form"]
        self.assertEqual(
            [form[name].value() for name in ("hours_per_device", "hours_per_circuit", "hours_per_cloud_service")],
            [0.75, None, 0.3],
        )
        # A field left blank is inherited again: the key leaves the model.
        data = {**self.form_data, "hours_per_device": ""}
        self.assertHttpStatus(self.client.post(self._get_url("edit", added), data=post_data(data)), 302)
        added.refresh_from_db()
        self.assertEqual(added.hours_per_object, {"cloud_services": 0.3})

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_form_errors_are_on_their_fields(self):
        self.add_permissions("nautobot_techmgmt.add_effortmodel")
        junos = self.technologies[0]
        cases = (
            ({"category": "network", "technology": junos.pk}, ["technology", "category"]),  # both
            ({}, ["technology", "category"]),  # neither
            ({"category": "network"}, ["category"]),  # the category has a model already
            ({"technology": junos.pk}, ["technology"]),  # so has the technology
            ({"category": "cloud", "hours_per_device": "-1"}, ["hours_per_device"]),
            ({"category": "cloud", "hours_per_circuit": "1001"}, ["hours_per_circuit"]),
            ({"category": "cloud", "base_hours_per_week": "169"}, ["base_hours_per_week"]),
        )
        for fields, error_fields in cases:
            with self.subTest(fields=fields):
                response = self.client.post(self._get_url("add"), data=post_data(fields))
                self.assertHttpStatus(response, 200)
                self.assertEqual(sorted(response.context["form"].errors), sorted(error_fields))
        self.assertEqual(EffortModel.objects.count(), 5)

    def test_detail_shows_the_values_that_apply_and_where_they_come_from(self):
        self.add_permissions("nautobot_techmgmt.view_effortmodel", "nautobot_techmgmt.view_technology")
        junos_model = self.effort_models[2]
        body = self.client.get(junos_model.get_absolute_url()).content.decode()
        self.assertIn("EFFECTIVE EFFORT", body)
        for label, value in (
            ("Base hours per week", "4 (inherited from the Network category&#x27;s model)"),
            ("Hours per device per month", "13 (inherited from the Network category&#x27;s model)"),
            ("Hours per circuit per month", "0.2 (inherited from the Network category&#x27;s model)"),
            (
                "Hours per virtual machine per month",
                "0.25 (inherited from the app&#x27;s default, setting default_effort)",
            ),
            ("Gap uplift (%)", "40 (set here)"),
        ):
            self.assertRegex(body, rf"<td>{re.escape(label)}</td><td>(<[^>]+>)*{re.escape(value)}<")
        network_model = self.effort_models[0]
        body = self.client.get(network_model.get_absolute_url()).content.decode()
        self.assertIn("13 per device, 0.2 per circuit", body)
        self.assertIn("13 (set here)", body)
        self.assertIn("25 (inherited from the app&#x27;s default, setting default_effort)", body)


class EffortModelJobsTest(fixtures.JobTestCase):
    """Bulk edit and CSV import of effort models run as Nautobot's system Jobs, as the list's buttons run them."""

    def run_system_job(self, class_name, **job_kwargs):
        """Run one of Nautobot's system Jobs as a superuser; the JobResult, refreshed."""
        job = Job.objects.get(module_name__startswith="nautobot.core.jobs", job_class_name=class_name)
        result = run_job_for_testing(job, username="effort-admin", job_kwargs=job_kwargs)
        result.refresh_from_db()
        return result

    def setUp(self):
        super().setUp()
        get_user_model().objects.create_user(username="effort-admin", is_superuser=True)
        effort_estate(self)

    def test_bulk_edit_sets_and_clears_hours_per_object(self):
        pk_list = [str(model.pk) for model in self.effort_models[:4]]
        form_data = {
            "pk": pk_list,
            "hours_per_circuit": "0.4",
            "inherit_hours_per": ["devices"],
            "base_hours_per_week": "5",
            "_nullify": ["description"],
        }
        result = self.run_system_job(
            "BulkEditObjects",
            content_type=ContentType.objects.get_for_model(EffortModel).pk,
            edit_all=False,
            pk_list=pk_list,
            filter_query_params={},
            form_data=form_data,
        )
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        rows = EffortModel.objects.filter(pk__in=pk_list).order_by("category", "technology__name")
        self.assertEqual(
            [(str(model), model.base_hours_per_week, model.hours_per_object, model.description) for model in rows],
            [
                ("Effort of Junos", Decimal(5), {"circuits": 0.4}, ""),
                ("Effort of Linux", Decimal(5), {"circuits": 0.4}, ""),
                ("Effort of Database technologies", Decimal(5), {"circuits": 0.4}, ""),
                ("Effort of Network technologies", Decimal(5), {"circuits": 0.4}, ""),
            ],
        )
        # VMware's model was not selected.
        self.assertEqual(self.effort_models[4].hours_per_object, {"clusters": 0, "virtual_machines": 0})

    def test_csv_import_with_hours_per_object_as_json(self):
        csv_data = (
            "technology,category,base_hours_per_week,hours_per_object,gap_uplift_percent\n"
            'PostgreSQL,,2.5,"{""devices"": 0.5, ""cloud_services"": 1}",\n'
            ',cloud,,"{""cloud_services"": ""0.25""}",30\n'
        )
        result = self.run_system_job(
            "ImportObjects",
            content_type=ContentType.objects.get_for_model(EffortModel).pk,
            csv_data=csv_data,
            roll_back_if_error=True,
        )
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        postgres = EffortModel.objects.get(technology__name="PostgreSQL")
        self.assertEqual(
            (postgres.base_hours_per_week, postgres.hours_per_object),
            (Decimal("2.5"), {"devices": 0.5, "cloud_services": 1.0}),
        )
        cloud = EffortModel.objects.get(category="cloud")
        self.assertEqual((cloud.hours_per_object, cloud.gap_uplift_percent), ({"cloud_services": 0.25}, Decimal(30)))


class EffortModelAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of effort models (`effort-models/`)."""

    model = EffortModel
    choices_fields = ["category"]

    @classmethod
    def setUpTestData(cls):
        effort_estate(cls)
        postgres, oracle = cls.technologies[2], cls.technologies[4]
        cls.create_data = [
            {"category": "cloud", "base_hours_per_week": Decimal("1.50"), "hours_per_object": {"cloud_services": 0.5}},
            {"technology": postgres.pk, "hours_per_object": {"devices": 2, "virtual_machines": 0.25}},
            {"technology": oracle.pk, "gap_uplift_percent": Decimal(60), "description": "Licence audits"},
        ]
        cls.update_data = {"hours_per_object": {"devices": 0.5}, "description": "Updated"}
        cls.bulk_update_data = {"description": "Reviewed in 2027"}

    def post(self, **data):
        self.add_permissions("nautobot_techmgmt.add_effortmodel", "nautobot_techmgmt.view_technology")
        return self.client.post(self._get_list_url(), data, format="json", **self.header)

    def test_bad_input_is_a_400_with_the_field_message(self):
        junos = str(self.technologies[0].pk)
        known = "devices, circuits, virtual_machines, clusters, cloud_services"
        cases = (
            (
                {"category": "cloud", "hours_per_object": {"routers": 1}},
                {"hours_per_object": [f"'routers' is not an object type; use {known}."]},
            ),
            (
                {"category": "cloud", "hours_per_object": {"devices": -0.5}},
                {"hours_per_object": ["Hours per device must be between 0 and 1000."]},
            ),
            (
                {"category": "cloud", "hours_per_object": {"devices": "many"}},
                {"hours_per_object": ["Hours per device must be a number."]},
            ),
            (
                {"category": "cloud", "hours_per_object": [0.5]},
                {"hours_per_object": ['Give hours per object type, as {"devices": 0.5, "circuits": 0.2}.']},
            ),
            (
                {"category": "cloud", "technology": junos},
                {
                    "technology": ["Choose a technology or a category (one of them)."],
                    "category": ["Choose a technology or a category (one of them)."],
                },
            ),  # fmt: skip
            (
                {"description": "Nothing"},
                {
                    "technology": ["Choose a technology or a category (one of them)."],
                    "category": ["Choose a technology or a category (one of them)."],
                },
            ),  # fmt: skip
            ({"category": "network"}, {"category": ["Network already has an effort model."]}),
            ({"category": "cloud", "base_hours_per_week": 200}, {"base_hours_per_week": None}),
        )
        for data, errors in cases:
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
                body = response.json()
                self.assertEqual(sorted(body), sorted(errors))
                for field, messages in errors.items():
                    if messages is not None:
                        self.assertEqual(body[field], messages)
        self.assertEqual(EffortModel.objects.count(), 5)

    def test_a_technology_with_a_model_already_is_refused_on_the_field(self):
        response = self.post(technology=str(self.technologies[0].pk))
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(list(response.json()), ["technology"])

    def test_hours_are_stored_and_given_as_numbers(self):
        response = self.post(category="cloud", hours_per_object={"cloud_services": "0.5", "devices": 2})
        self.assertHttpStatus(response, http.HTTP_201_CREATED)
        self.assertEqual(response.json()["hours_per_object"], {"cloud_services": 0.5, "devices": 2.0})
        self.assertEqual(
            EffortModel.objects.get(category="cloud").hours_per_object, {"cloud_services": 0.5, "devices": 2.0}
        )

    def test_csv_export_and_bad_csv_rows(self):
        self.add_permissions("nautobot_techmgmt.view_effortmodel", "nautobot_techmgmt.add_effortmodel")
        response = self.client.get(f"{self._get_list_url()}?category=network", **self.header, HTTP_ACCEPT="text/csv")
        self.assertHttpStatus(response, 200)
        self.assertIn('"{""devices"": 13, ""circuits"": 0.2}"', response.content.decode())
        csv_text = (
            "category,hours_per_object\n"
            'cloud,"{""devices"": 1}"\n'
            'desktop,"{""printers"": 1}"\n'
            'storage,"{""devices"": 1"\n'
        )
        response = self.client.post(self._get_list_url(), csv_text, content_type="text/csv", **self.header)
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(EffortModel.objects.count(), 5)

    def test_filters(self):
        self.add_permissions("nautobot_techmgmt.view_effortmodel")
        for query, expected in (
            ("technology=Junos", ["Effort of Junos"]),
            (
                "category=network&category=database",
                ["Effort of Database technologies", "Effort of Network technologies"],
            ),
            ("has_technology=false", ["Effort of Database technologies", "Effort of Network technologies"]),
            ("q=routers", ["Effort of Junos"]),
        ):
            with self.subTest(query=query):
                rows = self.client.get(f"{self._get_list_url()}?{query}", **self.header).json()["results"]
                self.assertEqual(sorted(row["display"] for row in rows), expected)


class EffortModelFilterTest(FilterTestCases.FilterTestCase):
    queryset = EffortModel.objects.all()
    filterset = filters.EffortModelFilterSet
    generic_filter_tests = (
        ["technology", "technology__name"],
        ["technology", "technology__id"],
        ["base_hours_per_week"],
        ["gap_uplift_percent"],
        ["description"],
    )

    @classmethod
    def setUpTestData(cls):
        effort_estate(cls)

    def test_category(self):
        result = self.filterset({"category": ["network", "server"]}, self.queryset).qs
        self.assertEqual([str(model) for model in result], ["Effort of Network technologies"])


class EffortModelGraphQLTest(fixtures.GraphQLTestMixin, APITestCase):
    @classmethod
    def setUpTestData(cls):
        effort_estate(cls)

    def test_effort_models_with_filters(self):
        self.add_permissions("nautobot_techmgmt.view_effortmodel", "nautobot_techmgmt.view_technology")
        data = self.query(
            '{ effort_models(category: ["network"]) { category base_hours_per_week hours_per_object } '
            'junos: effort_models(technology: ["Junos"]) { technology { name } gap_uplift_percent } }'
        )
        self.assertEqual(
            data["effort_models"],
            [
                {
                    "category": "NETWORK",
                    "base_hours_per_week": "4.00",
                    "hours_per_object": {"devices": 13, "circuits": 0.2},
                }
            ],
        )
        self.assertEqual(data["junos"], [{"technology": {"name": "Junos"}, "gap_uplift_percent": "40.0"}])


#
# Capacity figures
#


def capacity_estate(test):
    """The estate of the module docstring."""
    test.inv = fixtures.inventory()
    today = date.today()
    test.lena, test.max = fixtures.contact("Lena Lead"), fixtures.contact("Max Manager")
    test.ada = fixtures.expert("Ada Lovelace", hourly_cost=Decimal(80))
    test.bob = fixtures.expert("Bob Baker", hourly_cost=Decimal(50))
    test.cara = fixtures.expert("Cara Jones", hourly_cost=Decimal(60))
    test.netops = fixtures.team("Network Operations", members=[test.ada.contact])
    test.servers = fixtures.team("Servers", members=[test.ada.contact, test.bob.contact])
    test.junos = fixtures.technology("Junos", category="network", custodian_team=test.netops, required_experts=2)
    test.linux = fixtures.technology("Linux", category="server", custodian_team=test.servers, required_experts=1)
    test.vmware = fixtures.technology("VMware", category="server", custodian_team=test.servers, required_experts=1)
    test.oracle = fixtures.technology("Oracle", category="database")  # not in use
    TechnologyScope.objects.create(technology=test.junos, platform=test.inv["junos"])
    TechnologyScope.objects.create(technology=test.linux, platform=test.inv["linux"])
    TechnologyScope.objects.create(technology=test.vmware, cluster_type=test.inv["cluster_type"])
    fixtures.skill(test.ada, test.junos, 4)
    fixtures.skill(test.ada, test.linux, 3)
    fixtures.skill(test.bob, test.vmware, 4)
    fixtures.skill(test.cara, test.linux, 2)
    fixtures.training_plan(test.cara, test.linux, 3, cost=Decimal(1500))
    EffortModel.objects.create(category="network", base_hours_per_week=Decimal(4), hours_per_object={"devices": 13})
    EffortModel.objects.create(technology=test.junos, gap_uplift_percent=Decimal(40))
    EffortModel.objects.create(technology=test.linux, base_hours_per_week=Decimal(3), hours_per_object={"devices": 0})
    EffortModel.objects.create(
        technology=test.vmware, base_hours_per_week=Decimal(2), hours_per_object={"clusters": 0, "virtual_machines": 0}
    )
    fixtures.agreement(test.ada, test.netops, Decimal(10), today - timedelta(days=30), line_manager=test.lena)
    fixtures.agreement(test.bob, test.servers, Decimal(5), today - timedelta(days=30), line_manager=test.max)
    Responsibility.objects.create(
        expert=test.ada, role="primary-support", technology=test.junos, hours_per_week=Decimal(4)
    )
    test.acme = fixtures.supplier("Acme Networks")
    test.contract = fixtures.support_contract(
        test.acme,
        "AC-1",
        [test.junos],
        start_date=today - timedelta(days=10),
        hours_per_month=Decimal(13),
        cost=Decimal(6000),
    )


def more_technologies_in_use(test, count):
    """`count` more server technologies on the Linux server, each with Ada qualified, Cara one level short, a plan."""
    for number in range(count):
        technology = fixtures.technology(f"Extra {number}", category="server", custodian_team=test.servers)
        TechnologyScope.objects.create(technology=technology, platform=test.inv["linux"])
        fixtures.skill(test.ada, technology, 3)
        fixtures.skill(test.cara, technology, 2)
        fixtures.training_plan(test.cara, technology, 3, cost=Decimal(900))
        test.contract.technologies.add(technology)


# What a user who may see everything but costs holds.
VIEW_ALL = (
    "nautobot_techmgmt.view_technology",
    "nautobot_techmgmt.view_expert",
    "nautobot_techmgmt.view_supportcontract",
    "extras.view_contact",
    "extras.view_team",
)
VIEW_COSTS = "nautobot_techmgmt.view_costs_expert"


def brief(obj):
    """Id and name of an object as the capacity endpoints name it, without its URL."""
    return {"id": str(obj.pk), "display": obj.name if hasattr(obj, "name") else str(obj)}


def without_urls(value):
    """A response body with every `url` left out, to compare with briefs."""
    if isinstance(value, dict):
        return {key: without_urls(item) for key, item in value.items() if key != "url"}
    if isinstance(value, list):
        return [without_urls(item) for item in value]
    return value


class CapacityEndpointsTest(APITestCase):
    """`capacity/technologies/`, `capacity/experts/`, `capacity/teams/`, `capacity/line-managers/`, `make-or-buy/`."""

    @classmethod
    def setUpTestData(cls):
        capacity_estate(cls)

    def get(self, path, **params):
        response = self.client.get(f"{API}{path}", params, **self.header)
        return response

    def results(self, path, **params):
        response = self.get(path, **params)
        self.assertHttpStatus(response, 200)
        return without_urls(response.json()["results"])

    def test_technologies_with_worked_figures(self):
        self.add_permissions(*VIEW_ALL)
        body = self.get("capacity/technologies/").json()
        self.assertEqual((body["count"], body["next"], body["previous"]), (3, None, None))
        rows = without_urls(body["results"])
        self.assertEqual(
            [
                (row["technology"]["name"], row["demand"]["hours"], row["supply"], row["shortfall"], row["surplus"],
                 row["utilisation"], row["recommendation"])
                for row in rows
            ],
            [
                ("Linux", 3.0, 1.2, 1.8, 0.0, 2.5, "buy"),
                ("Junos", 12.0, 11.8, 0.2, 0.0, 1.017, "compare"),
                ("VMware", 2.0, 5.0, 0.0, 3.0, 0.4, "buy"),
            ],
        )  # fmt: skip
        junos = rows[1]
        self.assertEqual(junos["technology"], {"id": str(self.junos.pk), "name": "Junos"})
        self.assertEqual(
            junos["demand"],
            {
                "hours": 12.0,
                "base_hours_per_week": 4.0,
                "object_hours": 6.0,
                "objects": {"devices": 2, "circuits": 0, "virtual_machines": 0, "clusters": 0, "cloud_services": 0},
                "worst_gap": "high",
                "uplift_percent": 20.0,
                "steady_hours": 12.0,
            },
        )
        self.assertEqual((junos["expert_hours"], junos["contract_hours"]), (8.8, 3.0))
        self.assertEqual(
            (junos["contributors"], junos["hidden_contributors"]),
            (
                [
                    {"expert": brief(self.ada), "contract": None, "hours": 8.8, "committed": 4.0},
                    {"expert": None, "contract": brief(self.contract), "hours": 3.0, "committed": 0.0},
                ],
                0,
            ),
        )
        self.assertIsNone(rows[0]["demand"]["worst_gap"])

    def test_technology_filters_and_pages(self):
        self.add_permissions(*VIEW_ALL)
        for params, expected in (
            ({"technology": "Junos"}, ["Junos"]),
            ({"technology": str(self.linux.pk)}, ["Linux"]),
            ({"category": "server"}, ["Linux", "VMware"]),
            ({"custodian_team": "Network Operations"}, ["Junos"]),
            ({"custodian_team": str(self.servers.pk), "shortfall": "true"}, ["Linux"]),
            ({"shortfall": "true"}, ["Linux", "Junos"]),
            ({"shortfall": "false"}, ["VMware"]),
            ({"technology": "Oracle"}, []),  # not in use: no row
            ({"category": "server", "limit": "1"}, ["Linux"]),
        ):
            with self.subTest(params=params):
                rows = self.results("capacity/technologies/", **params)
                self.assertEqual([row["technology"]["name"] for row in rows], expected)
        page = self.get("capacity/technologies/", limit=1, offset=1).json()
        self.assertEqual((page["count"], [row["technology"]["name"] for row in page["results"]]), (3, ["Junos"]))
        self.assertIn("offset=2", page["next"])

    def test_bad_parameters_are_400_that_name_them(self):
        self.add_permissions(*VIEW_ALL)
        for params, field in (
            ({"shortfall": "maybe"}, "shortfall"),
            ({"category": "spaceships"}, "category"),
            ({"custodian_team": "Nobody"}, "custodian_team"),
        ):
            with self.subTest(params=params):
                response = self.get("capacity/technologies/", **params)
                self.assertHttpStatus(response, 400)
                self.assertEqual(list(response.json()), [field])
        self.assertEqual(
            self.get("capacity/technologies/", shortfall="maybe").json(),
            {"shortfall": ["'maybe' is not a boolean (true or false)."]},
        )

    def test_refused_without_view_technology(self):
        self.add_permissions("nautobot_techmgmt.view_expert", VIEW_COSTS)
        for path in (
            "capacity/technologies/",
            "capacity/experts/",
            "capacity/teams/",
            "capacity/line-managers/",
            f"make-or-buy/{self.linux.pk}/",
        ):
            with self.subTest(path=path):
                self.assertHttpStatus(self.get(path), 403)

    def test_experts_teams_and_line_managers(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        self.assertEqual(
            self.results("capacity/experts/"),
            [
                {
                    "expert": brief(self.ada),
                    "agreed": 10.0,
                    "committed": 4.0,
                    "uncommitted": 6.0,
                    "allocated": 10.0,
                    "allocations": [
                        {"technology": {"id": str(self.junos.pk), "name": "Junos"}, "hours": 8.8},
                        {"technology": {"id": str(self.linux.pk), "name": "Linux"}, "hours": 1.2},
                    ],
                    "spare": 0.0,
                    "line_manager": brief(self.lena),
                    "hourly_cost": 80.0,
                    "cost_per_year": 41600.0,
                },
                {
                    "expert": brief(self.bob),
                    "agreed": 5.0,
                    "committed": 0.0,
                    "uncommitted": 5.0,
                    "allocated": 5.0,
                    "allocations": [{"technology": {"id": str(self.vmware.pk), "name": "VMware"}, "hours": 5.0}],
                    "spare": 3.0,
                    "line_manager": brief(self.max),
                    "hourly_cost": 50.0,
                    "cost_per_year": 13000.0,
                },
            ],
        )
        self.assertEqual(
            self.results("capacity/teams/"),
            [
                {"team": brief(self.netops), "experts": 1, "agreed": 10.0, "committed": 4.0, "allocated": 10.0,
                 "spare": 0.0, "cost_per_year": 41600.0, "demand": 12.0, "supply": 11.8},
                {"team": brief(self.servers), "experts": 1, "agreed": 5.0, "committed": 0.0, "allocated": 5.0,
                 "spare": 3.0, "cost_per_year": 13000.0, "demand": 5.0, "supply": 6.2},
            ],
        )  # fmt: skip
        self.assertEqual(
            self.results("capacity/line-managers/"),
            [
                {"line_manager": brief(self.lena), "experts": 1, "agreed": 10.0, "committed": 4.0, "allocated": 10.0,
                 "spare": 0.0, "cost_per_year": 41600.0},
                {"line_manager": brief(self.max), "experts": 1, "agreed": 5.0, "committed": 0.0, "allocated": 5.0,
                 "spare": 3.0, "cost_per_year": 13000.0},
            ],
        )  # fmt: skip

    def test_costs_need_the_view_costs_permission_on_the_expert(self):
        self.add_permissions(*VIEW_ALL)
        costs = [(row["hourly_cost"], row["cost_per_year"]) for row in self.results("capacity/experts/")]
        self.assertEqual(costs, [(None, None), (None, None)])
        self.assertEqual([row["cost_per_year"] for row in self.results("capacity/teams/")], [None, None])
        answer = self.get(f"make-or-buy/{self.linux.pk}/").json()
        self.assertEqual({option["cost_per_year"] for option in answer["options"]}, {None})
        self.assertEqual((answer["internal_cost_per_year"], answer["cheapest"]), (None, None))
        # The action "view_costs" on experts, constrained to Ada: her cost only.
        self.add_permissions(VIEW_COSTS, constraints={"contact__name": "Ada Lovelace"})
        costs = [(row["hourly_cost"], row["cost_per_year"]) for row in self.results("capacity/experts/")]
        self.assertEqual(costs, [(80.0, 41600.0), (None, None)])
        self.assertEqual([row["cost_per_year"] for row in self.results("capacity/teams/")], [41600.0, None])

    def test_make_or_buy_with_worked_figures(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        response = self.get(f"make-or-buy/{self.linux.pk}/")
        self.assertHttpStatus(response, 200)
        answer = without_urls(response.json())
        self.assertEqual(answer["technology"], {"id": str(self.linux.pk), "name": "Linux"})
        self.assertEqual((answer["capacity"]["shortfall"], answer["recommendation"]), (1.8, "buy"))
        self.assertIn("It needs 3.0 h/week, under 8 h/week", answer["explanation"])
        train, agree, contractor, contract = answer["options"]
        self.assertEqual(
            train,
            {
                "kind": "train",
                "hours_per_week": 1.8,
                "expert": brief(self.cara),
                "line_manager": None,
                "contract": None,
                "hourly_cost": 60.0,
                "cost_per_year": 5616.0,
                "one_off_cost": 1500.0,
                "basis": "training: their plan Cara Jones: Linux to level 3",
            },
        )
        self.assertEqual(
            (agree["kind"], agree["expert"], agree["line_manager"], agree["cost_per_year"]),
            ("agree_hours", brief(self.ada), brief(self.lena), 7488.0),
        )
        self.assertEqual((contractor["kind"], contractor["cost_per_year"]), ("contractor", None))
        self.assertEqual((contract["kind"], contract["contract"], contract["cost_per_year"]), ("contract", None, None))
        self.assertEqual((answer["internal_cost_per_year"], answer["cheapest"]), (4992.0, train))
        self.assertEqual(answer["hidden_options"], 0)
        self.assertTrue(answer["assumptions"])

    def test_make_or_buy_of_a_surplus_releases_hours(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        answer = without_urls(self.get(f"make-or-buy/{self.vmware.pk}/").json())
        release = answer["options"][0]
        self.assertEqual(
            (release["kind"], release["expert"], release["hours_per_week"], release["cost_per_year"]),
            ("release_hours", brief(self.bob), 3.0, 7800.0),  # 5 x 3 / 5 h, 3 x 52 x 50
        )
        self.assertEqual(answer["internal_cost_per_year"], 13000.0)

    def test_make_or_buy_with_nothing_to_decide_or_nothing_to_see(self):
        self.add_permissions(*VIEW_ALL)
        answer = self.get(f"make-or-buy/{self.oracle.pk}/").json()  # not in use
        self.assertEqual(
            {key: answer[key] for key in ("capacity", "recommendation", "explanation", "options", "cheapest")},
            {"capacity": None, "recommendation": None, "explanation": None, "options": [], "cheapest": None},
        )
        self.assertHttpStatus(self.get("make-or-buy/00000000-0000-4000-8000-000000000000/"), 404)

    def test_a_user_sees_only_what_they_may_view(self):
        self.add_permissions("nautobot_techmgmt.view_supportcontract")
        self.add_permissions("nautobot_techmgmt.view_technology", constraints={"name__in": ["Junos", "VMware"]})
        rows = self.results("capacity/technologies/")
        self.assertEqual([row["technology"]["name"] for row in rows], ["Junos", "VMware"])
        # Ada may not be named: her hours count, she is hidden.
        self.assertEqual(
            (rows[0]["contributors"], rows[0]["hidden_contributors"]),
            ([{"expert": None, "contract": brief(self.contract), "hours": 3.0, "committed": 0.0}], 1),
        )
        self.assertEqual(self.results("capacity/experts/"), [])
        self.assertHttpStatus(self.get(f"make-or-buy/{self.linux.pk}/"), 404)
        junos = self.get(f"make-or-buy/{self.junos.pk}/").json()
        self.assertEqual(junos["hidden_options"], 1)  # agreeing more hours with Ada

    def test_queries_do_not_grow_with_technologies(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        self.get("capacity/technologies/")  # warm caches of content types and permissions

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertHttpStatus(self.get("capacity/technologies/"), 200)
                self.assertHttpStatus(self.get(f"make-or-buy/{self.linux.pk}/"), 200)
            return len(queries)

        before = count()
        more_technologies_in_use(self, 5)
        self.assertEqual(len(self.results("capacity/technologies/")), 8)
        self.assertEqual(count(), before)


class CapacityGraphQLTest(fixtures.GraphQLTestMixin, APITestCase):
    """`technologies { capacity make_or_buy }` and `experts { capacity }`."""

    TECHNOLOGIES = """{ technologies(name: ["Junos", "Linux", "Oracle"]) { name
        capacity { demand { hours object_hours objects { devices } worst_gap uplift_percent steady_hours }
                   expert_hours contract_hours supply utilisation shortfall surplus recommendation
                   contributors { expert expert_id contract hours committed } hidden_contributors }
        make_or_buy { recommendation options { kind expert line_manager hours_per_week cost_per_year one_off_cost }
                      internal_cost_per_year cheapest { kind } } } }"""
    EXPERTS = """{ experts { contact { name }
        capacity { agreed committed allocated spare uncommitted allocations { technology hours }
                   line_manager hourly_cost cost_per_year } } }"""

    @classmethod
    def setUpTestData(cls):
        capacity_estate(cls)

    def test_technologies_with_worked_figures(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        junos, linux, oracle = self.query(self.TECHNOLOGIES)["technologies"]
        self.assertEqual(
            junos["capacity"],
            {
                "demand": {"hours": 12.0, "object_hours": 6.0, "objects": {"devices": 2}, "worst_gap": "high",
                           "uplift_percent": 20.0, "steady_hours": 12.0},
                "expert_hours": 8.8,
                "contract_hours": 3.0,
                "supply": 11.8,
                "utilisation": 1.017,
                "shortfall": 0.2,
                "surplus": 0.0,
                "recommendation": "compare",
                "contributors": [
                    {"expert": "Ada Lovelace", "expert_id": str(self.ada.pk), "contract": None, "hours": 8.8,
                     "committed": 4.0},
                    {"expert": None, "expert_id": None, "contract": "Acme Networks AC-1", "hours": 3.0,
                     "committed": 0.0},
                ],
                "hidden_contributors": 0,
            },
        )  # fmt: skip
        self.assertEqual(
            linux["make_or_buy"],
            {
                "recommendation": "buy",
                "options": [
                    {"kind": "train", "expert": "Cara Jones", "line_manager": None, "hours_per_week": 1.8,
                     "cost_per_year": 5616.0, "one_off_cost": 1500.0},
                    {"kind": "agree_hours", "expert": "Ada Lovelace", "line_manager": "Lena Lead",
                     "hours_per_week": 1.8, "cost_per_year": 7488.0, "one_off_cost": None},
                    {"kind": "contractor", "expert": None, "line_manager": None, "hours_per_week": 1.8,
                     "cost_per_year": None, "one_off_cost": None},
                    {"kind": "contract", "expert": None, "line_manager": None, "hours_per_week": 1.8,
                     "cost_per_year": None, "one_off_cost": None},
                ],
                "internal_cost_per_year": 4992.0,
                "cheapest": {"kind": "train"},
            },
        )  # fmt: skip
        self.assertEqual((oracle["capacity"], oracle["make_or_buy"]), (None, None))

    def test_experts_with_worked_figures_and_their_filters(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        rows = {row["contact"]["name"]: row["capacity"] for row in self.query(self.EXPERTS)["experts"]}
        self.assertEqual(
            rows,
            {
                "Ada Lovelace": {"agreed": 10.0, "committed": 4.0, "allocated": 10.0, "spare": 0.0, "uncommitted": 6.0,
                                 "allocations": [{"technology": "Junos", "hours": 8.8},
                                                 {"technology": "Linux", "hours": 1.2}],
                                 "line_manager": "Lena Lead", "hourly_cost": 80.0, "cost_per_year": 41600.0},
                "Bob Baker": {"agreed": 5.0, "committed": 0.0, "allocated": 5.0, "spare": 3.0, "uncommitted": 5.0,
                              "allocations": [{"technology": "VMware", "hours": 5.0}],
                              "line_manager": "Max Manager", "hourly_cost": 50.0, "cost_per_year": 13000.0},
                "Cara Jones": None,  # no agreed hours and qualified for nothing
            },
        )  # fmt: skip
        # The expert type keeps its fields and filters.
        data = self.query('{ experts(technology: ["VMware"]) { contact { name } employment_type } }')
        self.assertEqual(data["experts"], [{"contact": {"name": "Bob Baker"}, "employment_type": "EMPLOYEE"}])

    def test_costs_are_null_without_the_permission(self):
        self.add_permissions(*VIEW_ALL)
        experts = self.query(self.EXPERTS)["experts"]
        self.assertEqual({(row["capacity"] or {}).get("cost_per_year") for row in experts}, {None})
        linux = self.query(self.TECHNOLOGIES)["technologies"][1]["make_or_buy"]
        self.assertEqual({option["cost_per_year"] for option in linux["options"]}, {None})
        self.assertEqual((linux["internal_cost_per_year"], linux["cheapest"]), (None, None))

    def test_queries_do_not_grow_with_technologies_or_experts(self):
        self.add_permissions(*VIEW_ALL, VIEW_COSTS)
        query = self.TECHNOLOGIES.replace('(name: ["Junos", "Linux", "Oracle"])', "")
        self.query(query)  # warm caches of content types, permissions, custom fields and the schema
        self.query(self.EXPERTS)

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.query(query)
                self.query(self.EXPERTS)
            return len(queries)

        before = count()
        more_technologies_in_use(self, 5)
        for number in range(3):
            fixtures.agreement(fixtures.expert(f"Extra Expert {number}"), self.servers, 4, date.today())
        self.assertEqual(len(self.query(query)["technologies"]), 9)  # the knowledge state takes the changes in
        self.assertEqual(len(self.query(self.EXPERTS)["experts"]), 6)
        self.assertEqual(count(), before)


class CapacityOpenAPITest(APITestCase):
    """The capacity endpoints and effort models are in the OpenAPI schema with the shapes they send."""

    def test_schema_documents_the_endpoints(self):
        response = self.client.get(reverse("schema_json"), **self.header)
        self.assertHttpStatus(response, 200)
        schema = response.json()
        paths, components = schema["paths"], schema["components"]["schemas"]

        def component(reference):
            return components[reference["$ref"].rsplit("/", 1)[1]]

        def listed(path):
            """The item schema of a paginated list, and the names of the operation's parameters."""
            operation = paths[f"/plugins/techmgmt/{path}"]["get"]
            page = component(operation["responses"]["200"]["content"]["application/json"]["schema"])
            self.assertEqual(set(page["properties"]), {"count", "next", "previous", "results"})
            return component(page["properties"]["results"]["items"]), {p["name"] for p in operation["parameters"]}

        technology, parameters = listed("capacity/technologies/")
        self.assertEqual(
            set(technology["properties"]),
            {"technology", "demand", "expert_hours", "contract_hours", "supply", "utilisation", "shortfall",
             "surplus", "recommendation", "contributors", "hidden_contributors"},
        )  # fmt: skip
        self.assertTrue({"technology", "category", "custodian_team", "shortfall", "limit", "offset"} <= parameters)
        self.assertEqual(technology["properties"]["supply"]["type"], "number")
        self.assertEqual(
            set(component(technology["properties"]["demand"])["properties"]),
            {"hours", "base_hours_per_week", "object_hours", "objects", "worst_gap", "uplift_percent", "steady_hours"},
        )
        expert, _ = listed("capacity/experts/")
        self.assertTrue(expert["properties"]["cost_per_year"]["nullable"])
        team, _ = listed("capacity/teams/")
        self.assertEqual(list(team["properties"])[0], "team")
        line_manager, _ = listed("capacity/line-managers/")
        self.assertEqual(list(line_manager["properties"])[0], "line_manager")
        make_or_buy = paths["/plugins/techmgmt/make-or-buy/{id}/"]["get"]["responses"]
        self.assertEqual(
            set(component(make_or_buy["200"]["content"]["application/json"]["schema"])["properties"]),
            {"technology", "capacity", "recommendation", "explanation", "options", "hidden_options",
             "internal_cost_per_year", "cheapest", "assumptions"},
        )  # fmt: skip
        self.assertIn("/plugins/techmgmt/effort-models/", paths)
        hours = components["EffortModel"]["properties"]["hours_per_object"]
        self.assertEqual(
            set(hours["properties"]), {"devices", "circuits", "virtual_machines", "clusters", "cloud_services"}
        )
