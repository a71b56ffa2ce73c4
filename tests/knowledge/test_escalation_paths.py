"""Every responsibility role resolved onto objects: precedence per role and tier, the support-path gaps, the paths and
change assessors as users see them (panel, REST, GraphQL, Job), and permissions."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase, TestCase
from nautobot.dcim.models import Device
from nautobot.extras.models import ContactAssociation, Role

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.jobs.assessors import ListChangeAssessors
from nautobot_techmgmt.knowledge import Knowledge, state
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import ObjectKnowledge, Responsibility, RoleSet, RoleSetEntry, TechnologyScope
from tests import fixtures

PRIMARY, BACKUP, ESCALATION = "primary-support", "backup-support", "escalation"
ASSESSOR, DESIGN = "change-assessor", "design-authority"


def path_estate(test):
    """Junos on the Juniper routers (ams-rtr-1, ber-rtr-1), qualified level 3.

    Ada (level 4) is qualified and a member of the NOC team; Bob (level 2) is not. A support contract covers Junos.
    """
    test.inv = fixtures.inventory()
    test.junos = fixtures.technology("Junos", qualified_level=3)
    TechnologyScope.objects.create(technology=test.junos, platform=test.inv["junos"])
    test.ada = fixtures.expert("Ada Lovelace")
    test.ada.contact.phone = "+31 20 555 0101"
    test.ada.contact.save()
    test.bob = fixtures.expert("Bob Byte")
    fixtures.skill(test.ada, test.junos, 4)
    fixtures.skill(test.bob, test.junos, 2)
    test.noc = fixtures.team("Amsterdam NOC", members=[test.ada.contact])
    test.noc.phone, test.noc.email = "+31 20 555 0100", "noc@example.com"
    test.noc.save()
    test.field = fixtures.team("Field Engineering")
    test.vendor = fixtures.supplier("Juniper Networks", phone="+1 408 555 0199", email="support@juniper.example")
    test.contract = fixtures.support_contract(
        test.vendor,
        "JTAC-1",
        technologies=[test.junos],
        start_date=date.today() - timedelta(days=30),
        support_level="24x7",
    )


def assign(role, team=None, expert=None, tier=1, technology=None, **target):
    return Responsibility.objects.create(
        role=role, team=team, expert=expert, escalation_tier=tier, technology=technology, **target
    )


def path_of(device, user=None, as_roles=False):
    """[(role, tier, assignee name or None, qualified, source)] of a device's Junos path (or its assessors)."""
    answers = Answers(user or fixtures.user_with_permissions("reader-" + device.name, *READ_ALL))
    (path,) = answers.escalation_paths(answers.object_knowledge(device))
    steps = path.assessors if as_roles else path.steps
    return [(step.role, step.tier, step.assignee_name, step.qualified, step.source) for step in steps]


READ_ALL = (
    (
        [
            "nautobot_techmgmt.technology",
            "nautobot_techmgmt.expert",
            "nautobot_techmgmt.supportcontract",
            "nautobot_techmgmt.objectknowledge",
            "extras.contact",
            "extras.team",
            "dcim.device",
        ],
        ["view"],
        None,
    ),
)


class RoleResolutionTest(TestCase):
    """Precedence per (role, tier), as for custodians: object, group, attributes, location and ancestors, technology."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)

    def roles(self, device=None):
        (row,) = Knowledge().for_object(device or self.inv["router"])
        return [(a.role, a.tier, a.team_id or a.expert_id, a.step, a.source) for a in row["roles"]]

    def test_each_tier_comes_from_its_most_specific_rule(self):
        assign(PRIMARY, team=self.field, location=self.inv["region"])
        assign(PRIMARY, team=self.noc, location=self.inv["site"])
        assign(ESCALATION, expert=self.ada, technology=self.junos)
        assign(ESCALATION, expert=self.bob, tier=2, device=self.inv["router"])
        self.assertEqual(
            self.roles(),
            [
                (PRIMARY, 1, self.noc.pk, 4, "inherited from location Amsterdam"),
                (ESCALATION, 1, self.ada.pk, 5, "escalation of technology Junos"),
                (ESCALATION, 2, self.bob.pk, 1, "assigned on this device"),
            ],
        )
        # The other router is in Berlin: the region's rule, and not Amsterdam's or the Amsterdam router's.
        self.assertEqual(
            self.roles(self.inv["other_router"]),
            [
                (PRIMARY, 1, self.field.pk, 4, "inherited from location Europe"),
                (ESCALATION, 1, self.ada.pk, 5, "escalation of technology Junos"),
            ],
        )

    def test_attributes_beat_locations_and_the_technology_beats_every_technology(self):
        assign(PRIMARY, team=self.field, location=self.inv["site"])
        assign(PRIMARY, team=self.noc, platform=self.inv["junos"])
        self.assertEqual(self.roles()[0][:3], (PRIMARY, 1, self.noc.pk))
        # At the same step, a rule for Junos beats a rule for every technology of the platform.
        assign(PRIMARY, expert=self.bob, platform=self.inv["junos"], technology=self.junos)
        self.assertEqual(self.roles()[0][:3], (PRIMARY, 1, self.bob.pk))

    def test_several_assignees_share_a_tier_by_name(self):
        assign(BACKUP, expert=self.bob, technology=self.junos)
        assign(BACKUP, expert=self.ada, technology=self.junos)
        self.assertEqual(
            [(role, assignee) for role, _, assignee, _, _ in self.roles()],
            [
                (BACKUP, self.ada.pk),
                (BACKUP, self.bob.pk),
            ],
        )

    def test_roles_are_listed_support_path_first(self):
        assign(DESIGN, expert=self.ada, technology=self.junos)
        assign(ASSESSOR, team=self.noc, technology=self.junos)
        assign(ESCALATION, expert=self.ada, technology=self.junos)
        assign(BACKUP, team=self.field, technology=self.junos)
        assign(PRIMARY, team=self.noc, technology=self.junos)
        self.assertEqual([role for role, *_ in self.roles()], [PRIMARY, BACKUP, ESCALATION, DESIGN, ASSESSOR])

    def test_custodian_rules_stay_out_of_the_other_roles(self):
        assign("custodian", team=self.noc, location=self.inv["site"])
        self.assertEqual(self.roles(), [])

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"contact_roles": {"primary-support": ["On call"]}}})
    def test_a_core_contact_association_with_a_mapped_role_is_tier_1(self):
        on_call = Role.objects.create(name="On call")
        on_call.content_types.add(ContentType.objects.get_for_model(ContactAssociation))
        ContactAssociation.objects.create(
            team=self.noc,
            associated_object_type=ContentType.objects.get_for_model(Device),
            associated_object_id=self.inv["router"].pk,
            role=on_call,
            status=fixtures.status("Active"),
        )
        self.assertEqual(self.roles(), [(PRIMARY, 1, self.noc.pk, 1, "assigned on this device (contact association)")])

    def test_live_answers_equal_the_state_and_a_rebuild_keeps_the_shared_sets(self):
        assign(PRIMARY, team=self.noc, location=self.inv["region"])
        assign(ESCALATION, expert=self.ada, technology=self.junos)
        state = self.roles()
        (live,) = Knowledge(live=True).for_object(self.inv["router"])
        self.assertEqual([(a.role, a.tier, a.team_id or a.expert_id, a.step, a.source) for a in live["roles"]], state)
        # Both routers share one stored set; a rebuild finds the same one again.
        sets = set(ObjectKnowledge.objects.values_list("roles_id", flat=True))
        self.assertEqual(len(sets), 1)
        rebuild_knowledge()
        self.assertEqual(set(ObjectKnowledge.objects.values_list("roles_id", flat=True)), sets)


class RoleSetLifeTest(TestCase):
    """Shared sets are stored once; a set made for one object goes when its object or its rule goes."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)
        assign(PRIMARY, team=cls.noc, technology=cls.junos)

    def sets(self):
        Knowledge().for_object(self.inv["other_router"])  # takes the changes in
        return RoleSet.objects.count()

    def test_a_device_s_own_set_goes_with_its_responsibility_and_with_the_device(self):
        self.assertEqual(self.sets(), 1)
        own = assign(ESCALATION, expert=self.ada, device=self.inv["router"])
        self.assertEqual(self.sets(), 2)
        own.delete()
        self.assertEqual(self.sets(), 1)
        assign(ESCALATION, expert=self.ada, device=self.inv["router"])
        self.assertEqual(self.sets(), 2)
        self.inv["router"].delete()
        self.assertEqual(self.sets(), 1)
        self.assertFalse(RoleSetEntry.objects.filter(source_id=self.inv["router"].pk).exists())


class SupportGapTest(TestCase):
    """no_primary_support and unqualified_escalation: counted per object, kept by the state change by change."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)

    def kinds(self, device=None):
        (row,) = Knowledge().for_object(device or self.inv["router"])
        return [gap.kind for gap in row["gaps"] if gap.kind in ("no_primary_support", "unqualified_escalation")]

    def affected(self, kind):
        gaps = [gap for gap in Knowledge().gaps if gap.kind == kind]
        return gaps[0].affected_objects if gaps else 0

    def test_no_primary_support_until_one_is_assigned(self):
        self.assertEqual(self.kinds(), ["no_primary_support"])
        self.assertEqual(self.affected("no_primary_support"), 2)
        assign(PRIMARY, team=self.noc, location=self.inv["site"])
        self.assertEqual(self.kinds(), [])
        self.assertEqual(self.kinds(self.inv["other_router"]), ["no_primary_support"])
        self.assertEqual(self.affected("no_primary_support"), 1)

    @override_settings(PLUGINS_CONFIG={"nautobot_techmgmt": {"primary_support_required": False}})
    def test_no_primary_support_is_not_a_gap_where_not_required(self):
        self.assertEqual(self.kinds(), [])
        self.assertEqual(self.affected("no_primary_support"), 0)
        self.assertFalse(ObjectKnowledge.objects.with_gap().filter(technology__knowledge_state__has_gap=False))

    def test_an_unqualified_tier_is_a_gap_until_the_skill_is_raised(self):
        assign(PRIMARY, team=self.noc, technology=self.junos)
        assign(ESCALATION, expert=self.bob, tier=2, technology=self.junos)
        self.assertEqual(self.kinds(), ["unqualified_escalation"])
        self.assertEqual(self.affected("unqualified_escalation"), 2)
        rows = dict(ObjectKnowledge.objects.values_list("pk", "refreshed"))
        skill = self.bob.skills.get()
        skill.level = 3
        skill.save()
        self.assertEqual(self.kinds(), [])
        # A skill is the people side: the object rows were not rewritten.
        self.assertEqual(dict(ObjectKnowledge.objects.values_list("pk", "refreshed")), rows)

    def test_a_team_tier_is_qualified_by_a_qualified_member_and_a_lone_contact_never(self):
        assign(PRIMARY, team=self.noc, technology=self.junos)
        self.assertEqual(self.kinds(), [])
        assign(BACKUP, team=self.field, technology=self.junos)
        self.assertEqual(self.kinds(), ["unqualified_escalation"])

    def test_the_list_filter_and_columns_see_the_support_gaps(self):
        router = self.inv["router"]
        Knowledge().for_object(router)  # takes the estate in
        self.assertTrue(ObjectKnowledge.objects.filter(device=router).with_gap().exists())
        row = ObjectKnowledge.objects.with_answers().get(device=router)
        self.assertIn("no_primary_support", row.gaps)
        assign(PRIMARY, team=self.noc, technology=self.junos)
        Knowledge().for_object(router)  # takes the change in
        row = ObjectKnowledge.objects.with_answers().get(device=router)
        self.assertNotIn("no_primary_support", row.gaps)
        self.assertTrue(row.state_support_qualified)

    def test_the_register_opens_and_closes_the_support_gaps(self):
        from nautobot_techmgmt.models import KnowledgeGap  # pylint: disable=import-outside-toplevel

        rebuild_knowledge()
        self.assertTrue(KnowledgeGap.objects.filter(kind="no_primary_support", closed__isnull=True).exists())
        assign(PRIMARY, team=self.noc, technology=self.junos)
        Knowledge().for_object(self.inv["router"])  # takes the change in
        self.assertFalse(KnowledgeGap.objects.filter(kind="no_primary_support", closed__isnull=True).exists())


class EscalationPathAnswerTest(TestCase):
    """What a user sees: the path in order, how to reach each step, qualification, the contract last; names only to
    those who may view them."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)
        assign(PRIMARY, team=cls.noc, location=cls.inv["site"])
        assign(ESCALATION, expert=cls.ada, technology=cls.junos)
        assign(ESCALATION, expert=cls.bob, tier=2, technology=cls.junos)
        assign(ASSESSOR, team=cls.noc, technology=cls.junos)
        assign(DESIGN, expert=cls.ada, platform=cls.inv["junos"])

    def test_team_then_experts_then_the_supplier_contract(self):
        self.assertEqual(
            path_of(self.inv["router"]),
            [
                (PRIMARY, 1, "Amsterdam NOC", True, "inherited from location Amsterdam"),
                (ESCALATION, 1, "Ada Lovelace", True, "escalation of technology Junos"),
                (ESCALATION, 2, "Bob Byte", False, "escalation of technology Junos"),
                ("supplier", None, "Juniper Networks JTAC-1", None, "24x7 support contract covering the technology"),
            ],
        )

    def test_how_to_reach_each_step(self):
        answers = Answers(fixtures.user_with_permissions("reader", *READ_ALL))
        (path,) = answers.escalation_paths(answers.object_knowledge(self.inv["router"]))
        self.assertEqual(
            [(step.position, step.kind, step.phone, step.email) for step in path.steps],
            [
                (1, "team", "+31 20 555 0100", "noc@example.com"),
                (2, "expert", "+31 20 555 0101", "ada.lovelace@example.com"),
                (3, "expert", "", "bob.byte@example.com"),
                (4, "contract", "+1 408 555 0199", "support@juniper.example"),
            ],
        )
        self.assertEqual([gap.kind for gap in path.gaps], ["unqualified_escalation"])

    def test_change_assessors_of_one_object(self):
        self.assertEqual(
            path_of(self.inv["router"], as_roles=True),
            [
                (ASSESSOR, 1, "Amsterdam NOC", True, "change assessor of technology Junos"),
                (DESIGN, 1, "Ada Lovelace", True, "inherited from platform junos"),
            ],
        )

    def test_names_only_to_users_who_may_view_them(self):
        reader = fixtures.user_with_permissions(
            "no-experts",
            (["nautobot_techmgmt.technology", "nautobot_techmgmt.objectknowledge", "dcim.device"], ["view"], None),
        )
        steps = path_of(self.inv["router"], user=reader)
        # Teams are named as custodian teams are; experts are not, and the contract the user may not view is left out.
        self.assertEqual([name for _, _, name, _, _ in steps], ["Amsterdam NOC", None, None])
        answers = Answers(reader)
        (path,) = answers.escalation_paths(answers.object_knowledge(self.inv["router"]))
        self.assertEqual([(step.phone, step.email) for step in path.steps[1:]], [("", ""), ("", "")])

    def test_a_technology_the_user_may_not_view_has_no_path(self):
        reader = fixtures.user_with_permissions(
            "no-junos",
            (["nautobot_techmgmt.technology"], ["view"], {"name": "Other"}),
            (["nautobot_techmgmt.objectknowledge", "dcim.device"], ["view"], None),
        )
        answers = Answers(reader)
        self.assertEqual(answers.escalation_paths(answers.object_knowledge(self.inv["router"])), [])


class AssessorsTest(TestCase):
    """Who must assess a change to a set of objects: deduplicated per technology, with why."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)
        assign(ASSESSOR, team=cls.noc, platform=cls.inv["junos"])
        assign(ASSESSOR, expert=cls.bob, tier=2, location=cls.inv["other_site"])
        assign(DESIGN, expert=cls.ada, technology=cls.junos)

    def test_deduplicated_with_why_and_coverage(self):
        answers = Answers(fixtures.user_with_permissions("reader", *READ_ALL))
        (junos,) = answers.assessors({"devices": [self.inv["router"].pk, self.inv["other_router"].pk]})
        self.assertEqual((junos.technology, junos.objects, junos.without_assessor), (self.junos, 2, 0))
        self.assertEqual(
            [(a.role, a.assignee_name, a.qualified, a.objects, a.sources) for a in junos.assessors],
            [
                (ASSESSOR, "Amsterdam NOC", True, 2, ("inherited from platform junos",)),
                (ASSESSOR, "Bob Byte", False, 1, ("inherited from location Berlin",)),
                (DESIGN, "Ada Lovelace", True, 2, ("design authority of technology Junos",)),
            ],
        )

    def test_objects_without_an_assessor_are_counted(self):
        Responsibility.objects.filter(role=ASSESSOR).delete()
        answers = Answers(fixtures.user_with_permissions("reader", *READ_ALL))
        (junos,) = answers.assessors({"devices": Device.objects.filter(platform=self.inv["junos"])})
        self.assertEqual((junos.objects, junos.without_assessor), (2, 2))

    def test_objects_without_the_technology_answer_nothing(self):
        answers = Answers(fixtures.user_with_permissions("reader", *READ_ALL))
        self.assertEqual(answers.assessors({"devices": [self.inv["server"].pk]}), [])


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class AssessorsRESTTest(fixtures.GraphQLTestMixin, APITestCase):
    """REST `assessors/` and GraphQL `escalation_path` / `change_assessors`."""

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)
        assign(PRIMARY, team=cls.noc, location=cls.inv["site"])
        assign(ASSESSOR, team=cls.noc, platform=cls.inv["junos"])
        assign(DESIGN, expert=cls.ada, technology=cls.junos)
        rebuild_knowledge()

    def setUp(self):
        super().setUp()
        self.add_permissions(
            "dcim.view_device",
            "extras.view_team",
            "extras.view_contact",
            "nautobot_techmgmt.view_technology",
            "nautobot_techmgmt.view_expert",
            "nautobot_techmgmt.view_supportcontract",
            "nautobot_techmgmt.view_objectknowledge",
        )
        self.url = reverse("plugins-api:nautobot_techmgmt-api:assessors")

    def post(self, body):
        return self.client.post(self.url, body, format="json", **self.header)

    def routers(self):
        return [
            {"object_type": "dcim.device", "id": str(device.pk)}
            for device in Device.objects.filter(role__name="Router")
        ]

    def test_listed_objects(self):
        response = self.post({"objects": self.routers()})
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertEqual(body["objects"], {"devices": 2})
        (junos,) = body["technologies"]
        self.assertEqual((junos["technology"]["name"], junos["objects"], junos["without_assessor"]), ("Junos", 2, 0))
        self.assertEqual(
            [
                (a["role"], a["kind"], a["assignee"]["display"], a["qualified"], a["sources"])
                for a in junos["assessors"]
            ],
            [
                (ASSESSOR, "team", "Amsterdam NOC", True, ["inherited from platform junos"]),
                (DESIGN, "expert", "Ada Lovelace", True, ["design authority of technology Junos"]),
            ],
        )

    def test_a_filter_selects_the_objects_in_post_and_get(self):
        body = {"object_type": "dcim.device", "filter": {"location": [str(self.inv["other_site"].pk)]}}
        response = self.post(body)
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.json()["objects"], {"devices": 1})
        response = self.client.get(f"{self.url}?object_type=dcim.device&role=Router", **self.header)
        self.assertHttpStatus(response, 200)
        self.assertEqual(response.json()["technologies"][0]["objects"], 2)

    def test_client_mistakes_are_400_with_the_reason(self):
        missing = "00000000-0000-0000-0000-000000000001"
        cases = (
            ({}, "Give either"),
            ({"objects": [{"object_type": "dcim.rack", "id": missing}]}, "Unknown object type"),
            ({"objects": [{"object_type": "dcim.device", "id": missing}]}, "Not found: dcim.device"),
            ({"object_type": "dcim.device", "filter": {"no_such_filter": ["x"]}}, "Unknown filter(s): no_such_filter"),
            ({"filter": {"role": ["Router"]}}, "Required with `filter`"),
        )
        for body, message in cases:
            with self.subTest(body=body):
                response = self.post(body)
                self.assertHttpStatus(response, 400)
                self.assertIn(message, str(response.json()))
        response = self.client.get(self.url, **self.header)
        self.assertHttpStatus(response, 400)

    def test_objects_the_user_may_not_view_are_not_found(self):
        self.remove_permissions("dcim.view_device")
        self.add_permissions("dcim.view_device", constraints={"name": "ber-rtr-1"})
        response = self.post({"objects": self.routers()})
        self.assertHttpStatus(response, 400)
        self.assertIn(f"dcim.device {self.inv['router'].pk}", str(response.json()))
        # A filter keeps to what the user may view.
        response = self.post({"object_type": "dcim.device", "filter": {"role": ["Router"]}})
        self.assertEqual(response.json()["objects"], {"devices": 1})

    def test_refused_without_the_permission_to_view_technologies(self):
        self.remove_permissions("nautobot_techmgmt.view_technology")
        self.assertHttpStatus(self.post({"objects": self.routers()}), 403)

    def test_the_same_queries_for_more_objects(self):
        def queries(count):
            routers = [{"object_type": "dcim.device", "id": str(pk)} for pk in self.router_ids(count)]
            rebuild_knowledge()
            self.post({"objects": routers})
            # The look for new dynamic-group members runs every GROUPS_CHECK_INTERVAL seconds: not during the measure.
            cache.set(state.GROUPS_CHECKED_KEY, True, timeout=300)
            with CaptureQueriesContext(connection) as captured:
                self.assertHttpStatus(self.post({"objects": routers}), 200)
            return [query["sql"] for query in captured.captured_queries]

        few = queries(2)
        many = queries(22)
        self.assertEqual(len(many), len(few), [sql[:160] for sql in many if sql not in few])

    def test_graphql_paths_cost_the_same_queries_for_more_devices(self):
        query = (
            '{ devices(role: "Router") { name techmgmt_knowledge { escalation_path { assignee phone qualified } '
            "change_assessors { assignee } } } }"
        )

        def queries(count):
            self.router_ids(count)
            rebuild_knowledge()
            self.query(query)
            cache.set(state.GROUPS_CHECKED_KEY, True, timeout=300)
            with CaptureQueriesContext(connection) as captured:
                devices = self.query(query)["devices"]
            self.assertEqual(len(devices), count)
            return [query["sql"] for query in captured.captured_queries]

        few = queries(2)
        many = queries(22)
        self.assertEqual(len(many), len(few), [sql[:160] for sql in many if sql not in few])

    def router_ids(self, count):
        have = list(Device.objects.filter(role__name="Router").values_list("pk", flat=True))
        if len(have) < count:
            estate = type("Estate", (), {"inv": self.inv})
            fixtures.more_routers(estate, count - len(have), prefix=f"more{count}")
            have = list(Device.objects.filter(role__name="Router").values_list("pk", flat=True))
        return have[:count]

    def test_object_coverage_carries_the_escalation_paths(self):
        url = reverse(
            "plugins-api:nautobot_techmgmt-api:coverage-object",
            kwargs={"model": "dcim.device", "pk": self.inv["router"].pk},
        )
        response = self.client.get(url, **self.header)
        self.assertHttpStatus(response, 200)
        (path,) = response.json()["escalation_paths"]
        self.assertEqual(
            [(step["position"], step["role"], step["assignee"]["display"]) for step in path["steps"]],
            [(1, PRIMARY, "Amsterdam NOC"), (2, "supplier", "Juniper Networks JTAC-1")],
        )

    def test_graphql_per_object(self):
        data = self.query(
            '{ devices(name: "ams-rtr-1") { techmgmt_knowledge { technology { name } '
            "escalation_path { position role tier kind assignee phone qualified source } "
            "change_assessors { role assignee qualified } } } }"
        )
        (row,) = data["devices"][0]["techmgmt_knowledge"]
        self.assertEqual(
            [(s["position"], s["role"], s["assignee"], s["phone"], s["qualified"]) for s in row["escalation_path"]],
            [
                (1, PRIMARY, "Amsterdam NOC", "+31 20 555 0100", True),
                (2, "supplier", "Juniper Networks JTAC-1", "+1 408 555 0199", None),
            ],
        )
        self.assertEqual(
            [(s["role"], s["assignee"]) for s in row["change_assessors"]],
            [(ASSESSOR, "Amsterdam NOC"), (DESIGN, "Ada Lovelace")],
        )


class ChangeAssessorsJobTest(fixtures.JobTestCase):
    """The Job lists the assessors of the chosen objects as a report, and the list button starts it."""

    def setUp(self):
        super().setUp()
        path_estate(self)
        assign(ASSESSOR, team=self.noc, platform=self.inv["junos"])
        assign(DESIGN, expert=self.ada, technology=self.junos)
        rebuild_knowledge()

    def test_report_of_the_chosen_devices(self):
        result = fixtures.run_job(ListChangeAssessors, devices=list(Device.objects.filter(role__name="Router")))
        self.assertEqual(result.status, "SUCCESS", fixtures.job_log(result))
        report = fixtures.job_file(result, f"change-assessors-{date.today().isoformat()}.md")
        self.assertIn("Objects of the change: 2 devices.", report)
        self.assertIn("| Change assessor | Amsterdam NOC | yes | +31 20 555 0100 / noc@example.com | 2 |", report)
        self.assertIn("| Design authority | Ada Lovelace | yes |", report)
        csv_text = fixtures.job_file(result, f"change-assessors-{date.today().isoformat()}.csv")
        self.assertEqual(len(csv_text.strip().splitlines()), 3)

    def test_the_list_button_runs_the_job_for_the_selection(self):
        from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
        from nautobot.extras.models import Job, JobResult  # pylint: disable=import-outside-toplevel

        user = get_user_model().objects.create_superuser(username="changer")
        self.client.force_login(user)
        url = reverse("plugins:nautobot_techmgmt:change_assessors") + "?object_type=dcim.device"
        router = self.inv["router"]
        response = self.client.post(url, {"pk": [router.pk]})
        self.assertRedirects(response, reverse("dcim:device_list"), fetch_redirect_response=False)
        Job.objects.filter(job_class_name="ListChangeAssessors").update(enabled=True)
        response = self.client.post(url, {"pk": [router.pk]})
        result = JobResult.objects.latest("date_created")
        self.assertRedirects(response, result.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(result.task_kwargs, {"devices": [str(router.pk)]})
        # The list page shows the button, which submits the list's form.
        page = self.client.get(reverse("dcim:device_list")).content.decode()
        self.assertIn('form="object_list_form"', page)
        self.assertIn("Change assessors", page)


class EscalationPathPanelTest(TestCase):
    """The device page shows the path under the technical management panel."""

    user_permissions = ["dcim.view_device", "nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert"]

    @classmethod
    def setUpTestData(cls):
        path_estate(cls)
        assign(PRIMARY, team=cls.noc, location=cls.inv["site"])
        assign(ESCALATION, expert=cls.bob, technology=cls.junos)

    def test_device_page(self):
        self.user.is_superuser = True
        self.user.save()
        page = self.client.get(self.inv["router"].get_absolute_url()).content.decode()
        self.assertIn("Escalation path and change assessors", page)
        self.assertIn("Amsterdam NOC", page)
        self.assertIn('href="tel:+31 20 555 0100"', page)
        self.assertIn("Not qualified", page)
        self.assertIn(">JTAC-1</a>", page)
        self.assertIn("Juniper Networks", page)
        self.assertIn("Unqualified escalation tier", page)
