"""The "Custodian team" and "Knowledge risk" columns and the knowledge filters on core lists."""

import re
from datetime import date, timedelta
from html import unescape

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase, TestCase
from nautobot.circuits.filters import CircuitFilterSet
from nautobot.circuits.models import Circuit
from nautobot.dcim.filters import DeviceFilterSet
from nautobot.dcim.models import Device
from nautobot.virtualization.filters import ClusterFilterSet, VirtualMachineFilterSet
from nautobot.virtualization.models import Cluster, VirtualMachine

from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import Expert, Responsibility, TechnologyScope
from tests import fixtures

COLUMNS = ["name", "nautobot_techmgmt_custodian_team", "nautobot_techmgmt_knowledge_risk"]


def _text(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _headers(page):
    """Column headers of the rendered list table, sort hints removed."""
    head = page.split("<tbody")[0].split("<thead")[-1]
    return [
        _text(th).replace(" activate to sort ascending", "") for th in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


def knowledge_cells(page, obj):
    """The "Custodian team" and "Knowledge risk" cells of the object's row in a rendered list table."""
    headers = _headers(page)
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page.split("<tbody")[1], re.S):
        if f'href="{obj.get_absolute_url()}"' in row:
            cells = dict(zip(headers, (_text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)), strict=True))
            return [cells["Custodian team"], cells["Knowledge risk"]]
    raise AssertionError(f"{obj} is not listed")


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class KnowledgeColumnsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        # A second technology on the routers with the same custodian team: the team is shown once.
        bgp = fixtures.technology("BGP", custodian_team=cls.estate.team, required_experts=1)
        TechnologyScope.objects.create(technology=bgp, platform=cls.estate.inv["junos"])
        fixtures.skill(cls.estate.ada, bgp, 5)
        rebuild_knowledge()

    def device_list(self, query=""):
        response = self.client.get(reverse("dcim:device_list") + query, HTTP_HX_REQUEST="true")
        self.assertHttpStatus(response, 200)
        return response.content.decode()

    def show_columns(self, table="DeviceTable"):
        self.user.set_config(f"tables.{table}.columns", COLUMNS, commit=True)

    def test_columns_are_optional(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology")
        headers = _headers(self.device_list())
        self.assertIn("Name", headers)
        self.assertNotIn("Custodian team", headers)
        self.assertNotIn("Knowledge risk", headers)
        self.show_columns()
        self.assertEqual(_headers(self.device_list())[:3], ["Name", "Custodian team", "Knowledge risk"])

    def test_router_shows_its_team_once_and_worst_severity_with_risk(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology")
        self.show_columns()
        page = self.device_list()
        # Nobody has primary support (2 per technology). Junos: single expert (5) + no capacity (2) + 2;
        # BGP: no capacity (2) + 2.
        self.assertEqual(knowledge_cells(page, self.estate.inv["router"]), ["Network Operations", "high 13"])
        self.assertIn(f'href="{self.estate.team.get_absolute_url()}"', page)
        # Linux on the server: no custodian, no expert (10), no custodian (2) and no primary support (2).
        self.assertEqual(knowledge_cells(page, self.estate.inv["server"]), ["—", "critical 14"])

    def test_only_technologies_the_user_may_view_count(self):
        self.add_permissions("dcim.view_device")
        self.show_columns()
        self.assertEqual(knowledge_cells(self.device_list(), self.estate.inv["router"]), ["—", "—"])
        self.add_permissions("nautobot_techmgmt.view_technology", constraints={"name": "BGP"})
        self.assertEqual(
            knowledge_cells(self.device_list(), self.estate.inv["router"]), ["Network Operations", "medium 4"]
        )

    def test_circuit_vm_and_cluster_lists_have_the_columns(self):
        self.add_permissions(
            "circuits.view_circuit",
            "virtualization.view_virtualmachine",
            "virtualization.view_cluster",
            "nautobot_techmgmt.view_technology",
        )
        inv = self.estate.inv
        # Each object also lacks primary support: medium, 2.
        for list_view, table, obj, expected in (
            ("circuits:circuit_list", "CircuitTable", inv["circuit"], ["—", "critical 17"]),
            ("virtualization:virtualmachine_list", "VirtualMachineDetailTable", inv["vm"], ["—", "medium 2"]),
            ("virtualization:cluster_list", "ClusterTable", inv["cluster"], ["—", "medium 2"]),
        ):
            self.user.set_config(
                f"tables.{table}.columns", COLUMNS if table != "CircuitTable" else ["cid", *COLUMNS[1:]]
            )
            self.user.save()
            response = self.client.get(reverse(list_view), HTTP_HX_REQUEST="true")
            self.assertHttpStatus(response, 200)
            self.assertEqual(knowledge_cells(response.content.decode(), obj), expected, list_view)

    def test_filter_form_offers_the_knowledge_filters(self):
        self.add_permissions("dcim.view_device")
        response = self.client.get(reverse("dcim:device_list"))
        self.assertHttpStatus(response, 200)
        page = response.content.decode()
        for field in ("custodian_team", "technology", "has_knowledge_gap"):
            self.assertIn(f'name="nautobot_techmgmt_{field}"', page)

    def test_list_filtered_by_custodian_team(self):
        self.add_permissions("dcim.view_device")
        page = self.device_list(f"?nautobot_techmgmt_custodian_team={self.estate.team.name}")
        self.assertIn("ber-rtr-1", page)
        self.assertNotIn("ams-srv-1", page)


class KnowledgeFiltersTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        rebuild_knowledge()

    def names(self, filterset, model, **params):
        result = filterset(params, model.objects.all())
        self.assertTrue(result.is_valid(), result.errors)
        return sorted(str(obj) for obj in result.qs)

    def test_custodian_team_by_name_or_id(self):
        team = self.estate.team
        for value in (team.name, str(team.pk)):
            self.assertEqual(
                self.names(DeviceFilterSet, Device, nautobot_techmgmt_custodian_team=[value]),
                ["ams-rtr-1", "ber-rtr-1"],
            )
        self.assertEqual(
            self.names(DeviceFilterSet, Device, nautobot_techmgmt_custodian_team__n=[str(team.pk)]), ["ams-srv-1"]
        )

    def test_technology_by_name_or_id_on_every_type(self):
        estate = self.estate
        self.assertEqual(self.names(DeviceFilterSet, Device, nautobot_techmgmt_technology=["Linux"]), ["ams-srv-1"])
        self.assertEqual(
            self.names(CircuitFilterSet, Circuit, nautobot_techmgmt_technology=[str(estate.transit.pk)]),
            [str(estate.inv["circuit"])],
        )
        self.assertEqual(
            self.names(VirtualMachineFilterSet, VirtualMachine, nautobot_techmgmt_technology=["vSphere"]), ["ams-vm-1"]
        )
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_technology=["vSphere"]), ["ams-cl-1"])
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_technology=["Junos"]), [])

    def test_has_knowledge_gap(self):
        self.assertEqual(
            self.names(DeviceFilterSet, Device, nautobot_techmgmt_has_knowledge_gap=True),
            ["ams-rtr-1", "ams-srv-1", "ber-rtr-1"],
        )
        # vSphere's only gap: nobody has primary support for it.
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_has_knowledge_gap=True), ["ams-cl-1"])
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_has_knowledge_gap=False), [])
        self.assertEqual(
            self.names(CircuitFilterSet, Circuit, nautobot_techmgmt_has_knowledge_gap=True),
            [str(self.estate.inv["circuit"])],
        )
        # Bob (qualified) takes the first call for vSphere: the cluster and its VM have no gap left.
        Responsibility.objects.create(expert=self.estate.bob, technology=self.estate.vsphere, role="primary-support")
        rebuild_knowledge()
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_has_knowledge_gap=True), [])
        self.assertEqual(self.names(ClusterFilterSet, Cluster, nautobot_techmgmt_has_knowledge_gap=False), ["ams-cl-1"])
        self.assertEqual(
            self.names(VirtualMachineFilterSet, VirtualMachine, nautobot_techmgmt_has_knowledge_gap=False), ["ams-vm-1"]
        )

    def test_an_object_with_no_technology_has_no_gap(self):
        fixtures.more_routers(self.estate, 1, prefix="bare")
        Device.objects.filter(name="bare-0").update(platform=None)
        rebuild_knowledge()
        self.assertNotIn("bare-0", self.names(DeviceFilterSet, Device, nautobot_techmgmt_has_knowledge_gap=True))
        self.assertIn("bare-0", self.names(DeviceFilterSet, Device, nautobot_techmgmt_has_knowledge_gap=False))


class CombinedKnowledgeFiltersTest(APITestCase):
    """Together the filters ask about the same technology on each object: "gaps in what this team looks after"."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()
        # The routers also run BGP, with no custodian and nobody qualified; their Junos (custodian: the team) is
        # made gap-free below, so the team's own technology has no gap while the routers still have one.
        bgp = fixtures.technology("BGP")
        TechnologyScope.objects.create(technology=bgp, platform=cls.estate.inv["junos"])
        fixtures.skill(fixtures.expert("Second Junos"), cls.estate.junos, 4)
        for expert in Expert.objects.filter(skills__technology=cls.estate.junos):
            fixtures.agreement(expert, cls.estate.team, 4, date.today() - timedelta(days=1))
        # The team (Ada, qualified) also takes the first call for Junos.
        Responsibility.objects.create(team=cls.estate.team, technology=cls.estate.junos, role="primary-support")

    def names(self, filterset, model, **params):
        result = filterset(params, model.objects.all())
        self.assertTrue(result.is_valid(), result.errors)
        return sorted(str(obj) for obj in result.qs)

    def test_team_and_gap_match_on_the_same_technology(self):
        team = self.estate.team.name
        self.assertEqual(
            self.names(DeviceFilterSet, Device, nautobot_techmgmt_has_knowledge_gap=True),
            ["ams-rtr-1", "ams-srv-1", "ber-rtr-1"],
        )
        self.assertEqual(
            self.names(DeviceFilterSet, Device, nautobot_techmgmt_custodian_team=[team]), ["ams-rtr-1", "ber-rtr-1"]
        )
        # The routers' only gap (BGP) is not in what the team looks after.
        self.assertEqual(
            self.names(
                DeviceFilterSet,
                Device,
                nautobot_techmgmt_custodian_team=[team],
                nautobot_techmgmt_has_knowledge_gap=True,
            ),
            [],
        )
        self.assertEqual(
            self.names(
                DeviceFilterSet,
                Device,
                nautobot_techmgmt_custodian_team=[team],
                nautobot_techmgmt_has_knowledge_gap=False,
            ),
            ["ams-rtr-1", "ber-rtr-1"],
        )
        self.assertEqual(
            self.names(
                DeviceFilterSet, Device, nautobot_techmgmt_technology=["BGP"], nautobot_techmgmt_has_knowledge_gap=True
            ),
            ["ams-rtr-1", "ber-rtr-1"],
        )
        # The team loses its qualified members: now its technology has a gap on the routers.
        self.estate.team.contacts.clear()
        self.assertEqual(
            self.names(
                DeviceFilterSet,
                Device,
                nautobot_techmgmt_custodian_team=[team],
                nautobot_techmgmt_has_knowledge_gap=True,
            ),
            ["ams-rtr-1", "ber-rtr-1"],
        )

    def test_same_answer_in_rest_and_graphql(self):
        self.add_permissions("dcim.view_device")
        team = self.estate.team.name
        query = f"?nautobot_techmgmt_custodian_team={team}&nautobot_techmgmt_has_knowledge_gap=true"
        response = self.client.get(reverse("dcim-api:device-list") + query, **self.header)
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.json()["count"], 0)
        graphql = (
            f'{{ devices(nautobot_techmgmt_custodian_team: ["{team}"], nautobot_techmgmt_has_knowledge_gap: false) '
            "{ name } }"
        )
        answer = self.client.post(reverse("graphql-api"), {"query": graphql}, format="json", **self.header).json()
        self.assertEqual(sorted(device["name"] for device in answer["data"]["devices"]), ["ams-rtr-1", "ber-rtr-1"])


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class ListQueryCountTest(TestCase):
    """A page of 50 devices costs the same queries whether the estate has 50 or 100 devices."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def page_queries(self):
        rebuild_knowledge()
        url = reverse("dcim:device_list") + "?per_page=50"
        self.client.get(url, HTTP_HX_REQUEST="true")  # warm Nautobot's caches (custom fields, relationships)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertHttpStatus(response, 200)
        return [query["sql"] for query in queries.captured_queries]

    def test_columns_cost_a_constant_few_queries(self):
        self.add_permissions("dcim.view_device", "nautobot_techmgmt.view_technology")
        self.user.set_config("tables.DeviceTable.columns", COLUMNS, commit=True)
        fixtures.more_routers(self.estate, 50)
        fifty = self.page_queries()
        fixtures.more_routers(self.estate, 50, prefix="more")
        hundred = self.page_queries()
        self.assertEqual(len(hundred), len(fifty))
        app_queries = [sql for sql in hundred if 'FROM "nautobot_techmgmt_' in sql]
        self.assertLessEqual(len(app_queries), 3, app_queries)

    def test_a_detail_page_table_with_the_columns_prefetches_too(self):
        # The cluster page lists its VMs in a VirtualMachineTable, outside the list view's altered queryset.
        self.add_permissions("virtualization.view_cluster", "virtualization.view_virtualmachine")
        self.add_permissions("nautobot_techmgmt.view_technology")
        self.user.set_config("tables.VirtualMachineTable.columns", COLUMNS, commit=True)
        url = reverse("virtualization:cluster", kwargs={"pk": self.estate.inv["cluster"].pk})
        counts = []
        for number in (5, 10):
            for index in range(number):
                VirtualMachine.objects.create(
                    name=f"vm-{number}-{index}", cluster=self.estate.inv["cluster"], status=fixtures.status("Active")
                )
            rebuild_knowledge()
            self.client.get(url)  # warm Nautobot's caches
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertContains(response, "Knowledge risk")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
