"""Every surface shows a restricted user only what the user's object permissions allow.

The estate is `fixtures.knowledge_estate()` refreshed into ObjectKnowledge, plus Bob as expert custodian of Junos
on the Berlin router and Cara, a Linux learner. Three users, none of them a superuser:

* `no_experts` may view the core objects (contacts too) and every app model except experts;
* `restricted` may view the core objects, of the contacts only Bob's, the technologies Junos and vSphere, of the
  experts only Bob, the skills, responsibilities and scopes of those two technologies, all object knowledge, and may
  add, change and delete skills of those two technologies up to level 3;
* `core_only` may view the core objects and nothing of the app.

Ada is the only qualified Junos expert, so the Junos gaps and coverage would name her: neither `no_experts` (no
expert permission) nor `restricted` (an expert permission constrained to Bob) may see her name anywhere.
"""

import json
from datetime import date

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase
from nautobot.dcim.models import Device

from nautobot_techmgmt.jobs import ExportGapReport, ImportSkillsMatrix
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import Responsibility, Skill
from tests import fixtures

APP = "nautobot_techmgmt"
CORE = (
    "dcim.device",
    "dcim.location",
    "dcim.platform",
    "dcim.devicetype",
    "circuits.circuit",
    "circuits.provider",
    "virtualization.virtualmachine",
    "virtualization.cluster",
    "extras.team",
)
# REST endpoint -> model, for every model with CRUD.
ENDPOINTS = {
    "technologies": "technology",
    "technology-scopes": "technologyscope",
    "experts": "expert",
    "skills": "skill",
    "certifications": "certification",
    "expert-certifications": "expertcertification",
    "responsibilities": "responsibility",
    "availability-agreements": "availabilityagreement",
    "training-plans": "trainingplan",
    "suppliers": "supplier",
    "support-contracts": "supportcontract",
    "user-mappings": "usercontact",
    "candidate-dismissals": "candidatedismissal",
}
APP_MODELS = (*ENDPOINTS.values(), "objectknowledge", "coveragesnapshot")
PERMITTED = ["Junos", "vSphere"]
ADA, BOB, CARA = "Ada Lovelace", "Bob Baker", "Cara Jones"
VIEW = ["view"]


def create_users():
    """The three users of the module docstring."""
    by_technology = {"technology__name__in": PERMITTED}
    return {
        "no_experts": fixtures.user_with_permissions(
            "no-experts",
            ((*CORE, "extras.contact"), VIEW, None),
            ([f"{APP}.{model}" for model in APP_MODELS if model != "expert"], VIEW, None),
        ),
        "restricted": fixtures.user_with_permissions(
            "restricted",
            (CORE, VIEW, None),
            (["extras.contact"], VIEW, {"name": BOB}),
            ([f"{APP}.technology"], VIEW, {"name__in": PERMITTED}),
            ([f"{APP}.expert"], VIEW, {"contact__name": "Bob Baker"}),
            ([f"{APP}.{model}" for model in ("skill", "responsibility", "technologyscope")], VIEW, by_technology),
            ([f"{APP}.objectknowledge"], VIEW, None),
            ([f"{APP}.skill"], ["add", "change", "delete"], {**by_technology, "level__lte": 3}),
        ),
        "core_only": fixtures.user_with_permissions("core-only", ((*CORE, "extras.contact"), VIEW, None)),
    }


def build_estate():
    """`knowledge_estate()` plus Bob as Junos custodian of the Berlin router and Cara learning Linux, refreshed."""
    estate = fixtures.knowledge_estate()
    Responsibility.objects.create(
        expert=estate.bob, technology=estate.junos, role="custodian", device=estate.inv["other_router"]
    )
    estate.cara = fixtures.expert("Cara Jones")
    estate.cara_linux = fixtures.skill(estate.cara, estate.linux, 2)
    rebuild_knowledge()
    return estate


class RestrictedUsersMixin:
    """The estate and users; requests as one of the users."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = build_estate()
        cls.users = create_users()

    def as_user(self, name):
        """Log the test client in as one of the users; the header to send with REST requests."""
        user = self.users[name]
        self.client.force_login(user)
        return {"HTTP_AUTHORIZATION": f"Token {user.tokens.first().key}"}

    def api(self, name, path, method="get", **data):
        """A REST request to the app's API as one of the users."""
        header = self.as_user(name)
        url = f"/api/plugins/techmgmt/{path}"
        if method == "get":
            return self.client.get(url, data, **header)
        return getattr(self.client, method)(url, data, format="json", **header)

    def page(self, name, url, status=200, **headers):
        """A UI page as one of the users, its status checked; the HTML."""
        self.as_user(name)
        response = self.client.get(url, headers=headers)
        self.assertHttpStatus(response, status)
        return response.content.decode()

    def assertNoName(self, text, *names):  # pylint: disable=invalid-name
        """None of the names appears in the text."""
        for name in names:
            self.assertNotIn(name, text)

    def technology_urls(self, *technologies):
        """Detail URLs of technologies, to look for links in pages."""
        return [technology.get_absolute_url() for technology in technologies]


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class ModelViewsAndCrudTest(RestrictedUsersMixin, APITestCase):
    """Lists, details, CRUD and exports of the app's models."""

    def test_users_without_view_permission_are_refused_on_every_model(self):
        for endpoint, model in ENDPOINTS.items():
            with self.subTest(endpoint=endpoint):
                self.assertHttpStatus(self.api("core_only", f"{endpoint}/"), 403)
                self.page("core_only", reverse(f"plugins:{APP}:{model}_list"), status=403)
        self.assertHttpStatus(self.api("no_experts", "experts/"), 403)
        self.assertHttpStatus(self.api("no_experts", f"experts/{self.estate.ada.pk}/"), 403)
        self.page("no_experts", self.estate.ada.get_absolute_url(), status=403)

    def test_constrained_user_lists_only_permitted_rows(self):
        names = lambda response: sorted(row["display"] for row in response.json()["results"])  # noqa: E731
        self.assertEqual(names(self.api("restricted", "technologies/")), PERMITTED)
        self.assertEqual(names(self.api("restricted", "experts/")), ["Bob Baker"])
        self.assertEqual(
            names(self.api("restricted", "skills/")), ["Ada Lovelace - Junos (4)", "Bob Baker - vSphere (3)"]
        )
        (responsibility,) = self.api("restricted", "responsibilities/").json()["results"]
        self.assertEqual(responsibility["technology"]["id"], str(self.estate.junos.pk))
        self.assertEqual(len(self.api("restricted", "technology-scopes/").json()["results"]), 2)

    def test_constrained_user_gets_404_for_objects_outside_the_constraint(self):
        for path in (f"technologies/{self.estate.linux.pk}/", f"experts/{self.estate.ada.pk}/"):
            self.assertHttpStatus(self.api("restricted", path), 404)
        self.page("restricted", self.estate.linux.get_absolute_url(), status=404)
        self.page("restricted", self.estate.ada.get_absolute_url(), status=404)
        # Junos's knowledge panel counts its qualified expert but does not name her. (Its skills table does: the
        # user may view Junos skills, and a skill shows its expert, as any Nautobot record shows related objects.)
        junos = self.page("restricted", self.estate.junos.get_absolute_url())
        self.assertIn('<span id="knowledge_value_qualified_experts">1</span>', junos)

    def test_ui_list_shows_only_permitted_rows(self):
        page = self.page("restricted", reverse(f"plugins:{APP}:technology_list"), HX_Request="true")
        for url in self.technology_urls(self.estate.junos, self.estate.vsphere):
            self.assertIn(url, page)
        for url in self.technology_urls(self.estate.linux, self.estate.transit):
            self.assertNotIn(url, page)

    def test_csv_export_obeys_the_constraint(self):
        header = self.as_user("restricted")
        response = self.client.get("/api/plugins/techmgmt/technologies/", HTTP_ACCEPT="text/csv", **header)
        self.assertHttpStatus(response, 200)
        lines = response.content.decode().splitlines()
        self.assertEqual(len(lines), 3)  # the header and the two permitted technologies
        self.assertNoName("\n".join(lines), "Linux", "Transit")

    def test_writes_are_limited_to_the_constraint(self):
        bob, junos, linux = str(self.estate.bob.pk), str(self.estate.junos.pk), str(self.estate.linux.pk)
        # Create: within the add constraint (level 3 at most) yes; above it refused and rolled back.
        self.assertHttpStatus(self.api("restricted", "skills/", "post", expert=bob, technology=junos, level=5), 403)
        self.assertFalse(Skill.objects.filter(expert=self.estate.bob, technology=self.estate.junos).exists())
        self.assertHttpStatus(self.api("restricted", "skills/", "post", expert=bob, technology=junos, level=2), 201)
        # Related objects the user may not view cannot be named: Linux, Ada.
        refused = self.api("restricted", "skills/", "post", expert=bob, technology=linux, level=2)
        self.assertHttpStatus(refused, 400)
        self.assertIn("technology", refused.json())
        refused = self.api("restricted", "skills/", "post", expert=str(self.estate.ada.pk), technology=junos, level=1)
        self.assertHttpStatus(refused, 400)
        self.assertIn("expert", refused.json())
        # Change: a skill outside the view constraint is not found; a change beyond the change constraint is refused.
        bob_vsphere = Skill.objects.get(expert=self.estate.bob, technology=self.estate.vsphere)
        self.assertHttpStatus(self.api("restricted", f"skills/{self.estate.cara_linux.pk}/", "patch", level=3), 404)
        self.assertHttpStatus(self.api("restricted", f"skills/{bob_vsphere.pk}/", "patch", level=4), 403)
        bob_vsphere.refresh_from_db()
        self.assertEqual(bob_vsphere.level, 3)
        # Delete: only inside the constraint.
        self.assertHttpStatus(self.api("restricted", f"skills/{self.estate.cara_linux.pk}/", "delete"), 404)
        self.assertHttpStatus(self.api("restricted", f"skills/{bob_vsphere.pk}/", "delete"), 204)
        self.assertTrue(Skill.objects.filter(pk=self.estate.cara_linux.pk).exists())


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class ComputedEndpointsTest(RestrictedUsersMixin, APITestCase):
    """coverage/technologies/, coverage/objects/..., gaps/, what-if/ and truck-factor/."""

    def all_endpoints(self, name):
        """Every computed endpoint's response for one user."""
        device = self.estate.inv["other_router"]
        return {
            "coverage/technologies/": self.api(name, "coverage/technologies/"),
            "coverage/objects/": self.api(name, f"coverage/objects/dcim.device/{device.pk}/"),
            "gaps/": self.api(name, "gaps/"),
            "truck-factor/": self.api(name, "truck-factor/"),
            "what-if/": self.api(name, "what-if/", "post", experts=[str(self.estate.bob.pk)]),
        }

    def test_user_without_app_permissions_is_refused_everywhere(self):
        for path, response in self.all_endpoints("core_only").items():
            with self.subTest(path=path):
                self.assertHttpStatus(response, 403)

    def test_user_who_may_not_view_experts_sees_teams_but_no_expert_names(self):
        responses = self.all_endpoints("no_experts")
        self.assertHttpStatus(responses.pop("what-if/"), 403)  # a scenario is made of experts
        for path, response in responses.items():
            with self.subTest(path=path):
                self.assertHttpStatus(response, 200)
                self.assertNoName(response.content.decode(), ADA, BOB, CARA)
        coverage = {row["technology"]["name"]: row for row in responses["coverage/technologies/"].json()}
        self.assertEqual(coverage["Junos"]["custodian_team"]["display"], str(self.estate.team))
        self.assertEqual((coverage["Junos"]["bus_factor"], coverage["Junos"]["qualified_experts"]), (1, []))
        (junos,) = responses["coverage/objects/"].json()["technologies"]
        self.assertEqual(junos["custodian"]["source"], "assigned on this device")
        self.assertNotIn("expert", junos["custodian"])

    def test_constrained_user_sees_permitted_technologies_and_experts_only(self):
        responses = self.all_endpoints("restricted")
        for path, response in responses.items():
            with self.subTest(path=path):
                self.assertHttpStatus(response, 200)
                self.assertNoName(response.content.decode(), ADA, CARA, "Linux", "Transit")
        coverage = {row["technology"]["name"]: row for row in responses["coverage/technologies/"].json()}
        self.assertEqual(sorted(coverage), PERMITTED)
        self.assertEqual(coverage["Junos"]["qualified_experts"], [])  # Ada is qualified, but not Bob's to see
        self.assertEqual([e["display"] for e in coverage["vSphere"]["qualified_experts"]], ["Bob Baker"])
        (junos,) = responses["coverage/objects/"].json()["technologies"]
        self.assertEqual(junos["custodian"]["expert"]["display"], "Bob Baker")
        gaps = responses["gaps/"].json()
        self.assertEqual(
            {gap["technology"]["name"] for gap in gaps}, {"Junos", "vSphere"}
        )  # vSphere: no_primary_support
        self.assertIn("single_expert", [gap["kind"] for gap in gaps])
        self.assertTrue({row["technology"]["name"] for row in responses["what-if/"].json()["new_gaps"]} <= {"vSphere"})
        self.assertTrue({e["display"] for e in responses["truck-factor/"].json()["experts"]} <= {"Bob Baker"})

    def test_constrained_user_cannot_name_an_expert_outside_the_constraint_in_a_scenario(self):
        response = self.api("restricted", "what-if/", "post", experts=[str(self.estate.ada.pk)])
        self.assertHttpStatus(response, 400)
        self.assertIn("experts", response.json())

    def test_contact_custodian_is_named_only_to_users_who_may_view_the_contact(self):
        path = f"coverage/objects/circuits.circuit/{self.estate.inv['circuit'].pk}/"
        (transit,) = self.api("no_experts", path).json()["technologies"]
        self.assertTrue(transit["custodian"]["contact"]["display"].startswith("Olga Owner"))
        self.assertEqual(transit["custodian"]["source"], "assigned on this circuit (contact association)")

    def test_objects_of_technologies_the_user_may_not_view_have_no_rows(self):
        server = self.api("restricted", f"coverage/objects/dcim.device/{self.estate.inv['server'].pk}/").json()
        self.assertEqual(server["technologies"], [])
        circuit = self.api("restricted", f"coverage/objects/circuits.circuit/{self.estate.inv['circuit'].pk}/")
        self.assertEqual(circuit.json()["technologies"], [])


MASKED_ROW = dict.fromkeys(
    ("technology", "custodian_team", "custodian_expert", "custodian_source", "bus_factor", "gaps", "severity", "risk")
)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class GraphQLTest(RestrictedUsersMixin, APITestCase):
    """Knowledge on core objects and the app's own types."""

    def query(self, name, text):
        response = self.client.post(reverse("graphql-api"), {"query": text}, format="json", **self.as_user(name))
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertNotIn("errors", body)
        return body["data"]

    def devices(self, name):
        data = self.query(name, f"{{ devices {{ name {fixtures.KNOWLEDGE} }} }}")
        return {device["name"]: device["techmgmt_knowledge"] for device in data["devices"]}

    def test_user_who_may_not_view_experts_sees_teams_and_no_expert(self):
        devices = self.devices("no_experts")
        self.assertNoName(json.dumps(devices), BOB, ADA)
        (router,) = devices["ams-rtr-1"]
        self.assertEqual(router["custodian_team"], {"name": "Network Operations"})
        (berlin,) = devices["ber-rtr-1"]
        self.assertEqual((berlin["custodian_expert"], berlin["custodian_source"]), (None, "assigned on this device"))

    def test_rows_of_technologies_the_user_may_not_view_disclose_nothing(self):
        devices = self.devices("restricted")
        self.assertEqual(devices["ams-srv-1"], [MASKED_ROW])  # Linux
        (berlin,) = devices["ber-rtr-1"]
        self.assertEqual(berlin["technology"], {"name": "Junos"})
        self.assertEqual(berlin["custodian_expert"], {"contact": {"name": "Bob Baker"}})
        self.assertEqual(
            berlin["gaps"], ["single_expert", "no_capacity", "custodian_lacks_skill", "no_primary_support"]
        )
        circuits = self.query("restricted", f"{{ circuits {{ cid {fixtures.KNOWLEDGE} }} }}")["circuits"]
        self.assertEqual(circuits[0]["techmgmt_knowledge"], [MASKED_ROW])  # Transit
        self.assertNoName(json.dumps(devices), "Linux", ADA)

    def test_app_types_list_only_permitted_rows(self):
        data = self.query(
            "restricted",
            "{ technologies { name } experts { contact { name } } skills { technology { name } }"
            " object_knowledge { technology { name } } }",
        )
        self.assertEqual(sorted(t["name"] for t in data["technologies"]), PERMITTED)
        self.assertEqual(data["experts"], [{"contact": {"name": "Bob Baker"}}])
        self.assertEqual(sorted(s["technology"]["name"] for s in data["skills"]), PERMITTED)
        self.assertEqual({row["technology"]["name"] for row in data["object_knowledge"]}, set(PERMITTED))

    def test_user_without_app_permissions_gets_no_app_data(self):
        data = self.query(
            "core_only", f"{{ technologies {{ name }} experts {{ id }} devices {{ name {fixtures.KNOWLEDGE} }} }}"
        )
        self.assertEqual((data["technologies"], data["experts"]), ([], []))
        self.assertTrue(data["devices"])
        self.assertTrue(all(device["techmgmt_knowledge"] == [] for device in data["devices"]))

    def test_hiding_rows_costs_no_query_per_object(self):
        def count():
            self.devices("restricted")  # first, so that caches a change cleared are filled again
            with CaptureQueriesContext(connection) as queries:
                self.devices("restricted")
            return len(queries)

        before = count()
        fixtures.more_routers(self.estate, 5)
        rebuild_knowledge()
        self.assertEqual(Device.objects.count(), 8)
        self.assertEqual(count(), before)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class PagesTest(RestrictedUsersMixin, APITestCase):
    """The object panel, the home page panel and the coverage pages."""

    def test_object_panel_hides_expert_names_from_users_who_may_not_view_experts(self):
        router = self.page("no_experts", self.estate.inv["router"].get_absolute_url())
        self.assertIn("TECHNICAL MANAGEMENT", router)
        self.assertIn("Network Operations", router)
        berlin = self.page("no_experts", self.estate.inv["other_router"].get_absolute_url())
        self.assertIn("an expert", berlin)
        for page in (router, berlin):
            self.assertNoName(page, ADA, BOB)

    def test_object_panel_shows_only_permitted_technologies_and_experts(self):
        router = self.page("restricted", self.estate.inv["router"].get_absolute_url())
        self.assertIn(self.estate.junos.get_absolute_url(), router)
        self.assertNoName(router, ADA)
        berlin = self.page("restricted", self.estate.inv["other_router"].get_absolute_url())
        self.assertIn(f'{self.estate.bob.get_absolute_url()}">Bob Baker</a>', berlin)
        server = self.page("restricted", self.estate.inv["server"].get_absolute_url())
        circuit = self.page("restricted", self.estate.inv["circuit"].get_absolute_url())
        for page, hidden in ((server, self.estate.linux), (circuit, self.estate.transit)):
            self.assertIn("TECHNICAL MANAGEMENT", page)
            self.assertNotIn(hidden.get_absolute_url(), page)

    def test_no_object_panel_without_app_permissions(self):
        inv = self.estate.inv
        for obj in (inv["router"], inv["circuit"], inv["vm"], inv["cluster"]):
            with self.subTest(obj=obj):
                self.assertNotIn("TECHNICAL MANAGEMENT", self.page("core_only", obj.get_absolute_url()))

    def test_home_page_panel(self):
        self.assertNoName(self.page("no_experts", "/"), ADA, BOB)
        restricted = self.page("restricted", "/")
        self.assertIn(self.estate.junos.get_absolute_url(), restricted)
        for url in self.technology_urls(self.estate.linux, self.estate.transit):
            self.assertNotIn(url, restricted)
        self.assertNotIn(self.estate.junos.get_absolute_url(), self.page("core_only", "/"))

    def test_dashboard(self):
        dashboard = reverse(f"plugins:{APP}:coverage_dashboard")
        self.assertNoName(self.page("no_experts", dashboard), ADA, BOB)
        page = self.page("restricted", dashboard + "?show=all")
        self.assertIn(self.estate.junos.get_absolute_url(), page)
        self.assertNoName(page, ADA)
        for url in self.technology_urls(self.estate.linux, self.estate.transit):
            self.assertNotIn(url, page)
        self.page("core_only", dashboard, status=403)

    def test_skills_matrix_and_its_csv_export(self):
        matrix = reverse(f"plugins:{APP}:skills_matrix")
        page = self.page("restricted", matrix)
        self.assertIn("Bob Baker", page)
        self.assertNoName(page, ADA, CARA)
        csv_rows = self.page("restricted", matrix + "?export=csv").splitlines()
        self.assertEqual(csv_rows, ["Expert,Home team,vSphere", "Bob Baker,,3"])
        anonymous = self.page("no_experts", matrix + "?export=csv")
        self.assertNoName(anonymous, ADA, BOB, CARA)
        self.assertIn("Expert 1", anonymous)
        self.page("core_only", matrix, status=403)

    def test_what_if_page(self):
        what_if = reverse(f"plugins:{APP}:what_if")
        self.page("no_experts", what_if, status=403)
        page = self.page("restricted", f"{what_if}?experts={self.estate.bob.pk}")
        self.assertIn("Bob Baker", page)
        self.assertNoName(page, ADA, CARA)
        refused = self.page("restricted", f"{what_if}?experts={self.estate.ada.pk}")
        self.assertNoName(refused, ADA)
        self.assertIn("is not one of the available choices", refused)


class JobsTest(fixtures.JobTestCase):
    """The gap report reports, and the skills import writes, only what the running user may."""

    def setUp(self):
        super().setUp()
        self.estate = build_estate()
        create_users()

    def test_gap_report_names_only_permitted_technologies_and_experts(self):
        result = fixtures.run_job(ExportGapReport, username="restricted")
        report = fixtures.job_file(result, f"knowledge-gaps-{date.today().isoformat()}.csv")
        markdown = fixtures.job_file(result, f"knowledge-gaps-{date.today().isoformat()}.md")
        self.assertIn("single_expert,high,Junos", report)
        for text in (report, markdown):
            self.assertNotIn(ADA, text)
            self.assertNotIn("Linux", text)
            self.assertNotIn("Transit", text)

    def test_skills_import_writes_only_within_the_constraint(self):
        text = (
            "email,technology,level\n"
            "bob.baker@example.com,Junos,2\n"  # line 2: within the constraint
            "bob.baker@example.com,Junos,5\n"  # line 3: repeats line 2
            "bob.baker@example.com,Linux,3\n"  # line 4: a technology the user may not view
            "ada.lovelace@example.com,vSphere,2\n"  # line 5: an expert the user may not view
        )
        result = fixtures.run_job(ImportSkillsMatrix, username="restricted", skills_file=fixtures.upload(text))
        self.assertEqual(result.result, {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3})
        self.assertEqual(Skill.objects.get(expert=self.estate.bob, technology=self.estate.junos).level, 2)
        self.assertFalse(Skill.objects.filter(technology=self.estate.linux, expert=self.estate.bob).exists())
        self.assertFalse(Skill.objects.filter(technology=self.estate.vsphere, expert=self.estate.ada).exists())
        rejections = fixtures.job_log(result, "error")
        self.assertIn("Line 4 rejected: no technology is named Linux.", rejections)
        self.assertTrue(any(line.startswith("Line 5 rejected: no expert has the e-mail") for line in rejections))

    def test_skills_import_refuses_values_beyond_the_add_constraint(self):
        text = "email,technology,level\nbob.baker@example.com,Junos,5\n"
        result = fixtures.run_job(ImportSkillsMatrix, username="restricted", skills_file=fixtures.upload(text))
        self.assertEqual(result.result, {"created": 0, "updated": 0, "unchanged": 0, "rejected": 1})
        self.assertIn(
            "Line 2 rejected: your permissions do not allow a skill with these values.",
            fixtures.job_log(result, "error"),
        )
        self.assertFalse(Skill.objects.filter(expert=self.estate.bob, technology=self.estate.junos).exists())
