"""What to do next about each technology a departure leaves with new gaps: who could cover it, what to reassign, the
supplier cover; the same in the answer layer, on the what-if page and in REST `what-if/`.

The estate is `fixtures.what_if_estate()`; Ada Lovelace and Bob Baker leave. Junos loses its only qualified expert
(Ada) and Linux its only one (Bob): Linux gets a critical no_expert gap, Junos only a low vendor_only one (Juniper's
JN-1 is in force), so Linux comes first.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import APITestCase, TestCase

from nautobot_techmgmt.answers import Answers, CoverOptions
from nautobot_techmgmt.models import Responsibility, TechnologyScope
from tests import fixtures

WHAT_IF = reverse("plugins:nautobot_techmgmt:what_if")
APP = "nautobot_techmgmt"
VIEWED = [f"{APP}.{name}" for name in ("technology", "trainingplan", "responsibility", "supportcontract")]
EXPERT = f"{APP}.expert"


def edit_url(responsibility):
    return reverse(f"plugins:{APP}:responsibility_edit", kwargs={"pk": responsibility.pk})


class CoverOptionsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.what_if_estate()
        cls.everything = fixtures.user_with_permissions("everything", ([*VIEWED, EXPERT], ["view"], None))
        cls.no_experts = fixtures.user_with_permissions("no-experts", (VIEWED, ["view"], None))
        cls.cy_only = fixtures.user_with_permissions(
            "cy-only", (VIEWED, ["view"], None), ([EXPERT], ["view"], {"contact__name": "Cy Young"})
        )
        cls.no_contracts = fixtures.user_with_permissions(
            "no-contracts",
            ([f"{APP}.technology", f"{APP}.trainingplan", f"{APP}.responsibility", EXPERT], ["view"], None),
        )

    def leave(self, user):
        """{technology name: CoverOptions} when Ada and Bob leave, in the answer's order."""
        answer = Answers(user).what_if([self.estate.ada.pk, self.estate.bob.pk])
        return {option.technology.name: option for option in answer.cover_options}

    def test_one_per_technology_of_the_new_gaps_worst_gap_first(self):
        answer = Answers(self.everything).what_if([self.estate.ada.pk, self.estate.bob.pk])
        self.assertEqual({gap.technology.name for gap in answer.new_gaps}, {"Junos", "Linux"})
        self.assertIn(
            ("Linux", "no_expert", "critical"), [(g.technology.name, g.kind, g.severity) for g in answer.new_gaps]
        )
        self.assertEqual([option.technology.name for option in answer.cover_options], ["Linux", "Junos"])
        self.assertTrue(all(isinstance(option, CoverOptions) for option in answer.cover_options))

    def test_experts_who_stay_one_level_short(self):
        options = self.leave(self.everything)
        # Junos (qualified 3): Cy at 2; Bob at 2 leaves, Dee at 2 is on leave, Eve at 1 is two levels short.
        self.assertEqual(options["Junos"].one_level_short, [self.estate.cy])
        self.assertEqual(options["Junos"].short_level, 2)
        # Linux (qualified 4): Eve at 3.
        self.assertEqual(options["Linux"].one_level_short, [self.estate.eve])
        self.assertEqual(options["Linux"].short_level, 3)

    def test_training_plans_of_experts_who_stay_to_the_qualified_level(self):
        options = self.leave(self.everything)
        # Not Cy's Junos plan (to level 2 only), not Bob's (he leaves), not Cy's cancelled Linux plan.
        self.assertEqual(options["Junos"].training_plans, [self.estate.eve_junos])
        self.assertEqual(
            (options["Junos"].training_plans[0].status.name, options["Junos"].training_plans[0].due_date),
            ("In Progress", date.today() + timedelta(days=90)),
        )
        # Dee is on leave, not leaving: her plan counts.
        self.assertEqual(options["Linux"].training_plans, [self.estate.dee_linux])

    def test_responsibilities_of_the_leavers_for_the_technology_any_role(self):
        options = self.leave(self.everything)
        # Role order (custodian, primary support, backup, escalation, design authority, change assessor), then tier.
        # Not Cy's primary support (he stays), not Ada's change assessor for every technology of the routers.
        self.assertEqual(options["Junos"].responsibilities, [self.estate.ada_primary, self.estate.ada_escalation])
        self.assertEqual(
            [(r.role, r.escalation_tier, r.target) for r in options["Junos"].responsibilities],
            [("primary-support", 1, None), ("escalation", 2, self.estate.inv["site"])],
        )
        self.assertEqual(options["Linux"].responsibilities, [self.estate.bob_custodian, self.estate.ada_design])

    def test_contracts_in_force_first_then_the_ended_ones_not_those_to_come(self):
        options = self.leave(self.everything)
        self.assertEqual(
            [(row.contract.reference, row.in_force) for row in options["Junos"].contracts],
            [("JN-1", True), ("JN-0", False)],
        )
        self.assertEqual(
            [(row.contract, row.in_force) for row in options["Linux"].contracts], [(self.estate.ol1, False)]
        )
        self.assertEqual(options["Linux"].contracts[0].contract.supplier.name, "Tux")

    def test_contracts_are_judged_on_the_scenarios_day(self):
        # 20 days ago JN-0 was still in force; 150 days ago OL-1 was too, and JN-1 had not started.
        day = date.today() - timedelta(days=150)
        answer = Answers(self.everything, as_of=day).what_if([self.estate.ada.pk, self.estate.bob.pk])
        options = {option.technology.name: option for option in answer.cover_options}
        self.assertEqual(
            [(row.contract.reference, row.in_force) for row in options["Junos"].contracts], [("JN-0", True)]
        )
        self.assertEqual(
            [(row.contract.reference, row.in_force) for row in options["Linux"].contracts], [("OL-1", True)]
        )

    def test_a_user_who_may_not_view_experts_sees_no_names(self):
        options = self.leave(self.no_experts)
        for name, option in options.items():
            with self.subTest(technology=name):
                self.assertEqual((option.one_level_short, option.training_plans, option.responsibilities), ([], [], []))
                # One expert one level short, one plan and two responsibilities each: counted, not named.
                self.assertEqual(option.hidden_experts, 4)
        # Contracts name no expert.
        self.assertEqual([row.contract.reference for row in options["Junos"].contracts], ["JN-1", "JN-0"])

    def test_a_user_who_may_view_some_experts_sees_only_those(self):
        options = self.leave(self.cy_only)
        self.assertEqual(options["Junos"].one_level_short, [self.estate.cy])
        self.assertEqual((options["Junos"].training_plans, options["Junos"].responsibilities), ([], []))
        self.assertEqual(options["Junos"].hidden_experts, 3)  # Eve's plan, Ada's two responsibilities
        self.assertEqual(options["Linux"].one_level_short, [])
        self.assertEqual(options["Linux"].hidden_experts, 4)
        self.assertEqual(self.leave(self.everything)["Junos"].hidden_experts, 0)

    def test_contracts_only_for_users_who_may_view_them(self):
        options = self.leave(self.no_contracts)
        self.assertEqual((options["Junos"].contracts, options["Linux"].contracts), ([], []))
        self.assertEqual(options["Junos"].one_level_short, [self.estate.cy])

    def test_no_new_gap_no_options(self):
        # Cy is no one's only expert: nothing opens.
        self.assertEqual(Answers(self.everything).what_if([self.estate.cy.pk]).cover_options, [])

    def count_queries(self):
        """Queries of one what-if (Ada and Bob leave), for a fresh user object, after a run that warms the caches."""
        leavers = [self.estate.ada.pk, self.estate.bob.pk]
        Answers(get_user_model().objects.get(pk=self.everything.pk)).what_if(leavers)
        user = get_user_model().objects.get(pk=self.everything.pk)
        with CaptureQueriesContext(connection) as queries:
            answer = Answers(user).what_if(leavers)
        return len(queries), answer

    def test_query_count_does_not_grow_with_the_technologies(self):
        before, answer = self.count_queries()
        self.assertEqual(len(answer.cover_options), 2)
        # Three more technologies that only Ada knows, each with someone one level short, a plan, a responsibility
        # of Ada's and a contract in force.
        juniper = self.estate.jn1.supplier
        for number in range(3):
            tech = fixtures.technology(f"Extra {number}", required_experts=1)
            TechnologyScope.objects.create(technology=tech, platform=self.estate.inv["junos"])
            fixtures.skill(self.estate.ada, tech, 4)
            fixtures.skill(self.estate.cy, tech, 2)
            fixtures.training_plan(self.estate.eve, tech, 3)
            Responsibility.objects.create(expert=self.estate.ada, role="escalation", technology=tech)
            fixtures.support_contract(juniper, f"EX-{number}", [tech], start_date=date.today())
        after, answer = self.count_queries()
        self.assertEqual(len(answer.cover_options), 5)
        extras = [option for option in answer.cover_options if option.technology.name.startswith("Extra")]
        self.assertEqual([len(option.responsibilities) for option in extras], [1, 1, 1])
        self.assertEqual(after, before)


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class WhatToDoNextPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.what_if_estate()

    def get_page(self):
        response = self.client.get(WHAT_IF, {"experts": [str(self.estate.ada.pk), str(self.estate.bob.pk)]})
        self.assertHttpStatus(response, 200)
        return response, response.content.decode()

    def test_the_page_shows_what_to_do_next(self):
        self.add_permissions(*(f"{label.replace('.', '.view_')}" for label in [*VIEWED, EXPERT]))
        self.add_permissions(f"{APP}.change_responsibility")
        response, page = self.get_page()
        self.assertEqual([option.technology.name for option in response.context["cover_options"]], ["Linux", "Junos"])
        self.assertIn('id="next-steps"', page)
        self.assertIn("For each technology with a new gap", page)
        self.assertIn(f'<a href="{self.estate.cy.get_absolute_url()}">Cy Young</a>', page)
        self.assertIn(f'<a href="{self.estate.eve_junos.get_absolute_url()}">level 3</a>', page)
        self.assertIn("In Progress, due", page)
        for responsibility in (self.estate.ada_primary, self.estate.ada_escalation, self.estate.bob_custodian):
            self.assertIn(f'<a href="{edit_url(responsibility)}">', page)
        self.assertIn("Escalation\n", page)
        self.assertIn("(tier 2)", page)
        self.assertIn("on location Amsterdam", page)
        self.assertIn(f'<a href="{self.estate.jn1.get_absolute_url()}">JN-1</a>', page)
        self.assertIn("Ended on", page)
        self.assertNotIn("FUT-1", page)

    def test_without_change_permission_a_responsibility_links_to_its_page(self):
        self.add_permissions(*(f"{label.replace('.', '.view_')}" for label in [*VIEWED, EXPERT]))
        _, page = self.get_page()
        self.assertNotIn(edit_url(self.estate.ada_primary), page)
        self.assertIn(f'<a href="{self.estate.ada_primary.get_absolute_url()}">View</a>', page)

    def test_no_panel_without_new_gaps(self):
        self.add_permissions(*(f"{label.replace('.', '.view_')}" for label in [*VIEWED, EXPERT]))
        response = self.client.get(WHAT_IF, {"experts": str(self.estate.cy.pk)})
        self.assertHttpStatus(response, 200)
        self.assertNotIn('id="next-steps"', response.content.decode())


class WhatIfRestTest(APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.what_if_estate()

    def test_cover_options_are_new_fields_beside_the_old_ones(self):
        self.add_permissions(*(f"{label.replace('.', '.view_')}" for label in [*VIEWED, EXPERT]))
        response = self.client.post(
            reverse(f"plugins-api:{APP}-api:what-if"),
            {"experts": [str(self.estate.ada.pk), str(self.estate.bob.pk)]},
            format="json",
            **self.header,
        )
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertEqual(
            set(body), {"removed_experts", "new_gaps", "resolved_gaps", "bus_factor_changes", "cover_options"}
        )
        self.assertEqual(
            set(body["new_gaps"][0]), {"kind", "severity", "technology", "affected_objects", "detail", "risk"}
        )
        linux, junos = body["cover_options"]
        self.assertEqual((linux["technology"]["name"], junos["technology"]["name"]), ("Linux", "Junos"))
        self.assertEqual((junos["qualified_level"], junos["hidden_experts"]), (3, 0))
        self.assertIsNone(junos["candidates"])  # no permission to view technology activity
        self.assertEqual([expert["display"] for expert in junos["one_level_short"]], ["Cy Young"])
        (plan,) = junos["training_plans"]
        self.assertEqual(
            (plan["expert"]["display"], plan["target_level"], plan["status"], plan["due_date"]),
            ("Eve Evans", 3, "In Progress", (date.today() + timedelta(days=90)).isoformat()),
        )
        self.assertEqual(
            [
                (r["role"], r["tier"], r["target_type"], r["target"], r["expert"]["display"])
                for r in junos["responsibilities"]
            ],
            [
                ("primary-support", 1, None, None, "Ada Lovelace"),
                ("escalation", 2, "location", "Amsterdam", "Ada Lovelace"),
            ],
        )
        self.assertTrue(junos["responsibilities"][0]["edit_url"].endswith(edit_url(self.estate.ada_primary)))
        self.assertEqual(
            [(c["reference"], c["supplier"]["display"], c["in_force"], c["end_date"]) for c in junos["contracts"]],
            [
                ("JN-1", "Juniper", True, (date.today() + timedelta(days=200)).isoformat()),
                ("JN-0", "Juniper", False, (date.today() - timedelta(days=10)).isoformat()),
            ],
        )
        self.assertEqual([r["role"] for r in linux["responsibilities"]], ["custodian", "design-authority"])
        self.assertEqual(linux["responsibilities"][0]["target"], "ams-srv-1")
