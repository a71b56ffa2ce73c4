"""The gap register as a Nautobot citizen: views, REST, filters, GraphQL, validation, trend and time to close.

Records are created as the engine writes them (straight into the database); people only edit them.

Register estate (`register_estate`), newest first:

| # | technology | kind | severity | status | opened | closed | owner |
|---|---|---|---|---|---|---|---|
| 0 | Junos | no_expert | critical | open | 2026-05-20 | | contact Olga |
| 1 | Linux | single_expert | high | acknowledged | 2026-05-10 | | contact Pete |
| 2 | PostgreSQL | below_target | medium | risk accepted until 2026-09-30 | 2026-05-01 | | team Network |
| 3 | Junos | no_capacity | medium | risk accepted until 2026-12-31 | 2026-04-15 | | contact Quinn |
| 4 | Linux | no_custodian | medium | closed | 2026-04-01 | 2026-04-11 | team Servers |
| 5 | PostgreSQL | vendor_only | low | closed | 2026-03-01 | 2026-03-05 | team Databases |
"""

from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from nautobot.apps.graphql import execute_query
from nautobot.apps.testing import APIViewTestCases, FilterTestCases, TestCase, ViewTestCases, post_data
from rest_framework import status as http

from nautobot_techmgmt import filters, models
from nautobot_techmgmt.choices import GapStatusChoices
from tests import fixtures


def register_estate(test_class):
    """Three technologies, owners, remediation records and the six gap records of the module docstring."""
    tc = test_class
    tc.junos, tc.linux, tc.postgres = (fixtures.technology(name) for name in ("Junos", "Linux", "PostgreSQL"))
    tc.contacts = [fixtures.contact(name) for name in ("Olga Owner", "Pete Owner", "Quinn Owner")]
    tc.teams = [fixtures.team(name) for name in ("Network", "Servers", "Databases")]
    tc.supplier = fixtures.supplier("Acme Support")
    tc.contract = fixtures.support_contract(tc.supplier, "AC-1", [tc.junos], start_date=date(2026, 1, 1))
    tc.trainee = fixtures.expert("Tina Trainee")
    tc.plan = fixtures.training_plan(tc.trainee, tc.junos, 4, "In Progress", due_date=date(2026, 9, 30))
    tc.responsibility = models.Responsibility.objects.create(team=tc.teams[0], role="custodian", technology=tc.junos)
    gap = fixtures.knowledge_gap
    tc.gaps = [
        gap(
            tc.junos,
            "no_expert",
            "critical",
            date(2026, 5, 20),
            owner_contact=tc.contacts[0],
            affected={"devices": 5},
            affected_objects=5,
            risk=50,
            detail="Nobody is qualified in Junos.",
        ),
        gap(
            tc.linux,
            "single_expert",
            "high",
            date(2026, 5, 10),
            status="acknowledged",
            owner_contact=tc.contacts[1],
            affected={"devices": 2, "virtual_machines": 1},
            affected_objects=3,
            risk=15,
            detail="Only Bob is qualified in Linux.",
        ),
        gap(
            tc.postgres,
            "below_target",
            "medium",
            date(2026, 5, 1),
            status="risk_accepted",
            risk_accepted_until=date(2026, 9, 30),
            owner_team=tc.teams[0],
            affected={"virtual_machines": 2},
            affected_objects=2,
            risk=4,
            detail="One qualified expert of three required.",
        ),
        gap(
            tc.junos,
            "no_capacity",
            "medium",
            date(2026, 4, 15),
            status="risk_accepted",
            risk_accepted_until=date(2026, 12, 31),
            owner_contact=tc.contacts[2],
            affected={"devices": 5},
            affected_objects=5,
            risk=10,
            detail="No qualified expert has agreed hours.",
            comments="Hours agreed from January.",
        ),
        gap(
            tc.linux,
            "no_custodian",
            "medium",
            date(2026, 4, 1),
            closed=date(2026, 4, 11),
            owner_team=tc.teams[1],
            affected={"devices": 1},
            affected_objects=1,
            risk=2,
            detail="No custodian for 1 device.",
        ),
        gap(
            tc.postgres,
            "vendor_only",
            "low",
            date(2026, 3, 1),
            closed=date(2026, 3, 5),
            owner_team=tc.teams[2],
            affected={"virtual_machines": 2},
            affected_objects=2,
            risk=2,
            detail="Only a supplier knows PostgreSQL.",
        ),
    ]


class KnowledgeGapViewTest(
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.GetObjectChangelogViewTestCase,
    ViewTestCases.GetObjectNotesViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ListObjectsViewTestCase,
    ViewTestCases.BulkEditObjectsViewTestCase,
):
    model = models.KnowledgeGap

    @classmethod
    def setUpTestData(cls):
        register_estate(cls)
        # The newest record (Junos no_expert, open) is the one the edit tests change.
        cls.form_data = {
            "status": "risk_accepted",
            "risk_accepted_until": date(2026, 12, 31),
            "owner_contact": None,
            "owner_team": cls.teams[0].pk,
            "training_plans": [cls.plan.pk],
            "support_contract": cls.contract.pk,
            "responsibility": cls.responsibility.pk,
            "comments": "Training booked; supplier covers until then.",
        }
        cls.bulk_edit_data = {
            "status": "acknowledged",
            "owner_team": cls.teams[1].pk,
            "support_contract": cls.contract.pk,
        }

    def body(self, response):
        self.assertHttpStatus(response, 200)
        return response.content.decode(response.charset)

    def test_no_add_import_or_delete(self):
        self.user.is_superuser = True
        self.user.save()
        self.assertHttpStatus(self.client.get(self._get_url("add")), 404)
        for name, args in (("knowledgegap_delete", [self.gaps[0].pk]), ("knowledgegap_bulk_delete", [])):
            with self.subTest(route=name), self.assertRaises(NoReverseMatch):
                reverse(f"plugins:nautobot_techmgmt:{name}", args=args)
        page = self.body(self.client.get(self._get_url("list")))
        self.assertNotIn(reverse("extras:job_run_by_class_path", args=["nautobot.core.jobs.ImportObjects"]), page)
        self.assertNotIn(f'href="{self._get_url("add")}"', page)

    def test_list_rows_link_the_gap_its_owner_and_edit(self):
        self.add_permissions("nautobot_techmgmt.view_knowledgegap", "nautobot_techmgmt.change_knowledgegap")
        page = self.body(self.client.get(self._get_url("list"), headers={"HX-Request": "true"}))
        self.assertIn(self._get_url("edit", self.gaps[0]), page)
        self.assertIn("Days open", page)
        self.assertIn("Single expert", page)  # labels, not stored values
        self.assertNotIn("single_expert", page)
        self.assertIn(f'href="{self.contacts[0].get_absolute_url()}"', page)
        self.assertIn(f'href="{self.teams[0].get_absolute_url()}"', page)

    def test_list_and_detail_queries_do_not_grow_with_records(self):
        self.add_permissions("nautobot_techmgmt.view_knowledgegap")
        list_url, detail_url = self._get_url("list"), self.gaps[0].get_absolute_url()
        self.gaps[0].training_plans.set([self.plan])
        self.client.get(list_url, headers={"HX-Request": "true"})  # warm caches of content types and permissions
        self.client.get(detail_url)
        with CaptureQueriesContext(connection) as list_before:
            self.client.get(list_url, headers={"HX-Request": "true"})
        with CaptureQueriesContext(connection) as detail_before:
            self.client.get(detail_url)
        for number, team in enumerate(self.teams):
            fixtures.knowledge_gap(self.junos, "below_target", "medium", date(2026, 2, number + 1), owner_team=team)
            plan = fixtures.training_plan(fixtures.expert(f"Extra Trainee {number}"), self.junos, 3, "Planned")
            self.gaps[0].training_plans.add(plan)
        with CaptureQueriesContext(connection) as list_after:
            self.client.get(list_url, headers={"HX-Request": "true"})
        with CaptureQueriesContext(connection) as detail_after:
            page = self.body(self.client.get(detail_url))
        self.assertIn("Extra Trainee 2", page)
        self.assertEqual(len(list_after), len(list_before))
        self.assertEqual(len(detail_after), len(detail_before))

    def test_list_filters_by_date_ranges(self):
        self.add_permissions("nautobot_techmgmt.view_knowledgegap")
        url = f"{self._get_url('list')}?opened__gte=2026-04-01T00:00:00&closed__lte=2026-04-30T00:00:00"
        page = self.body(self.client.get(url))  # the filter form shows the values
        self.assertIn('value="2026-04-01T00:00:00"', page)
        table = self.body(self.client.get(url, headers={"HX-Request": "true"}))
        self.assertIn(self.gaps[4].get_absolute_url(), table)
        for other in (*self.gaps[:4], self.gaps[5]):
            self.assertNotIn(other.get_absolute_url(), table)
        table = self.body(
            self.client.get(
                f"{self._get_url('list')}?risk_accepted_until__lte=2026-10-01", headers={"HX-Request": "true"}
            )
        )
        self.assertIn(self.gaps[2].get_absolute_url(), table)
        self.assertNotIn(self.gaps[3].get_absolute_url(), table)

    def test_detail_shows_what_the_gap_is(self):
        self.add_permissions("nautobot_techmgmt.view_knowledgegap")
        page = self.body(self.client.get(self.gaps[1].get_absolute_url()))
        for text in ("Single expert", "High", "Acknowledged", "2 devices, 1 virtual machine", "Pete Owner"):
            self.assertIn(text, page)

    def test_field_errors_come_from_the_model(self):
        self.add_permissions("nautobot_techmgmt.change_knowledgegap")
        url = self._get_url("edit", self.gaps[0])
        cases = (
            ({"owner_contact": self.contacts[0].pk, "owner_team": self.teams[0].pk}, "owner_team"),
            ({"status": "risk_accepted"}, "risk_accepted_until"),
            ({"status": "open", "risk_accepted_until": date(2026, 12, 31)}, "risk_accepted_until"),
        )
        for change, field in cases:
            with self.subTest(field=field):
                data = {"status": "open", **change}
                response = self.client.post(url, post_data(data))
                self.assertHttpStatus(response, 200)
                self.assertIn(field, response.context["form"].errors)
        self.gaps[0].refresh_from_db()
        self.assertEqual((self.gaps[0].status, self.gaps[0].owner_team), ("open", None))

    def test_closed_is_not_offered_and_cannot_be_posted(self):
        self.add_permissions("nautobot_techmgmt.change_knowledgegap")
        url = self._get_url("edit", self.gaps[0])
        response = self.client.get(url)
        self.assertNotIn("closed", [value for value, _ in response.context["form"].fields["status"].choices])
        response = self.client.post(url, post_data({"status": "closed"}))
        self.assertHttpStatus(response, 200)
        self.assertIn("status", response.context["form"].errors)
        self.gaps[0].refresh_from_db()
        self.assertIsNone(self.gaps[0].closed)

    def test_closed_gap_keeps_its_status_when_edited(self):
        self.add_permissions("nautobot_techmgmt.change_knowledgegap")
        closed = self.gaps[4]
        response = self.client.post(
            self._get_url("edit", closed), post_data({"status": "closed", "comments": "Custodian named in April."})
        )
        self.assertHttpStatus(response, 302)
        closed.refresh_from_db()
        self.assertEqual((closed.status, closed.comments), ("closed", "Custodian named in April."))
        reopened = self.client.post(self._get_url("edit", closed), post_data({"status": "open"}))
        self.assertHttpStatus(reopened, 200)
        self.assertIn("status", reopened.context["form"].errors)

    def test_bulk_edit_applies_to_the_selected_gaps(self):
        self.add_permissions(
            "nautobot_techmgmt.view_knowledgegap", "nautobot_techmgmt.change_knowledgegap", "extras.view_team"
        )
        selected = [self.gaps[0].pk, self.gaps[1].pk]
        data = {
            "pk": selected,
            "_apply": True,
            "status": "acknowledged",
            "owner_team": self.teams[2].pk,
            "_nullify": ["owner_contact"],
        }
        # Bulk edit runs as a system Job, queued when the request's transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            self.assertHttpStatus(self.client.post(self._get_url("bulk_edit"), data), 302)
        for record in models.KnowledgeGap.objects.filter(pk__in=selected):
            self.assertEqual(
                (record.status, record.owner_team, record.owner_contact), ("acknowledged", self.teams[2], None)
            )
        self.assertEqual(models.KnowledgeGap.objects.get(pk=self.gaps[2].pk).owner_team, self.teams[0])


class RemediationPanelTest(TestCase):
    """The detail page lists what already exists to close the gap, computed from the data."""

    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        cls.junos = fixtures.technology("Junos", qualified_level=3)
        linux = fixtures.technology("Linux")
        ada, bob, cy = (fixtures.expert(name) for name in ("Ada Archer", "Bob Baker", "Cy Cook"))
        cls.in_progress = fixtures.training_plan(ada, cls.junos, 4, "In Progress", due_date=date(2026, 9, 30))
        cls.planned = fixtures.training_plan(bob, cls.junos, 3, "Planned")
        cls.too_low = fixtures.training_plan(cy, cls.junos, 2, "In Progress", due_date=date(2026, 7, 1))
        cls.cancelled = fixtures.training_plan(cy, cls.junos, 5, "Cancelled")
        cls.other_technology = fixtures.training_plan(ada, linux, 4, "In Progress")
        supplier = fixtures.supplier("Acme Support")
        cls.ended_on = today - timedelta(days=40)
        cls.ended = fixtures.support_contract(
            supplier, "AC-OLD", [cls.junos], start_date=today - timedelta(days=400), end_date=cls.ended_on
        )
        cls.in_force = fixtures.support_contract(supplier, "AC-NOW", [cls.junos], start_date=today - timedelta(days=39))
        cls.elsewhere = fixtures.support_contract(supplier, "AC-LINUX", [linux], start_date=today)
        cls.gap = fixtures.knowledge_gap(cls.junos, "no_expert", "critical", today - timedelta(days=3))

    def test_query_methods(self):
        self.assertEqual(set(models.TrainingPlan.objects.closing_gap_of(self.junos)), {self.in_progress, self.planned})
        self.assertEqual(set(models.SupportContract.objects.covering(self.junos)), {self.ended, self.in_force})

    def test_panel_lists_plans_under_way_and_says_which_contracts_are_in_force(self):
        self.add_permissions(
            "nautobot_techmgmt.view_knowledgegap",
            "nautobot_techmgmt.view_trainingplan",
            "nautobot_techmgmt.view_supportcontract",
        )
        response = self.client.get(self.gap.get_absolute_url())
        self.assertHttpStatus(response, 200)
        page = response.content.decode(response.charset)
        self.assertIn("REMEDIATION IN THE DATA", page)
        self.assertIn("Found in the data for Junos", page)
        self.assertIn(self.in_progress.get_absolute_url(), page)
        self.assertIn("2026-09-30", page)
        self.assertIn("In Progress", page)
        self.assertIn(self.planned.get_absolute_url(), page)
        for left_out in (self.too_low, self.cancelled, self.other_technology):
            self.assertNotIn(left_out.get_absolute_url(), page)
        self.assertIn(f"Ended on {self.ended_on.isoformat()}", page)
        self.assertIn("In force today", page)
        self.assertNotIn(self.elsewhere.get_absolute_url(), page)

    def test_panel_leaves_out_what_the_user_may_not_view(self):
        self.add_permissions("nautobot_techmgmt.view_knowledgegap")
        response = self.client.get(self.gap.get_absolute_url())
        page = response.content.decode(response.charset)
        self.assertNotIn(self.in_progress.get_absolute_url(), page)
        self.assertNotIn(self.ended.get_absolute_url(), page)
        self.assertIn("No support contract covers Junos.", page)


class KnowledgeGapAPITest(
    APIViewTestCases.GetObjectViewTestCase,
    APIViewTestCases.ListObjectsViewTestCase,
    APIViewTestCases.UpdateObjectViewTestCase,
    APIViewTestCases.NotesURLViewTestCase,
):
    model = models.KnowledgeGap
    choices_fields = ["status"]
    # Since Nautobot 3.0 responses leave many-to-many fields out unless asked.
    validation_excluded_fields = ["training_plans"]

    @classmethod
    def setUpTestData(cls):
        register_estate(cls)
        cls.update_data = {
            "status": "acknowledged",
            "owner_contact": None,
            "owner_team": cls.teams[1].pk,
            "comments": "Training booked for the autumn.",
        }
        cls.bulk_update_data = {"comments": "Reviewed at the quarterly meeting."}

    def patch(self, record, data):
        """PATCH as a user who may view and change gaps and view what they point at."""
        self.add_permissions(
            "nautobot_techmgmt.view_knowledgegap",
            "nautobot_techmgmt.change_knowledgegap",
            "nautobot_techmgmt.view_technology",
            "nautobot_techmgmt.view_trainingplan",
            "nautobot_techmgmt.view_supportcontract",
            "nautobot_techmgmt.view_responsibility",
            "extras.view_contact",
            "extras.view_team",
        )
        return self.client.patch(self._get_detail_url(record), data, format="json", **self.header)

    def test_post_and_delete_are_refused(self):
        # Every permission is granted, so the refusal is about the method, not the user.
        self.add_permissions(
            *(f"nautobot_techmgmt.{action}_knowledgegap" for action in ("view", "add", "change", "delete")),
            "nautobot_techmgmt.view_technology",
        )
        create = {"kind": "no_expert", "technology": self.junos.pk, "severity": "critical", "opened": "2026-06-01"}
        response = self.client.post(self._get_list_url(), create, format="json", **self.header)
        self.assertHttpStatus(response, http.HTTP_405_METHOD_NOT_ALLOWED)
        response = self.client.delete(self._get_detail_url(self.gaps[0]), **self.header)
        self.assertHttpStatus(response, http.HTTP_405_METHOD_NOT_ALLOWED)
        response = self.client.delete(
            self._get_list_url(), [{"id": str(self.gaps[0].pk)}], format="json", **self.header
        )
        self.assertHttpStatus(response, http.HTTP_405_METHOD_NOT_ALLOWED)
        self.assertEqual(models.KnowledgeGap.objects.count(), len(self.gaps))

    def test_both_owners_are_refused_on_the_owner_team_field(self):
        response = self.patch(self.gaps[0], {"owner_team": self.teams[0].pk})
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["owner_team"], ["Give an owner contact or an owner team, not both."])

    def test_risk_accepted_needs_a_date(self):
        response = self.patch(self.gaps[0], {"status": "risk_accepted"})
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertEqual(response.data["risk_accepted_until"], ["Say until when the risk is accepted."])
        response = self.patch(self.gaps[0], {"status": "risk_accepted", "risk_accepted_until": "2026-10-31"})
        self.assertHttpStatus(response, http.HTTP_200_OK)
        self.assertEqual(response.data["risk_accepted_until"], "2026-10-31")

    def test_closing_by_hand_is_refused(self):
        response = self.patch(self.gaps[0], {"status": "closed"})
        self.assertHttpStatus(response, http.HTTP_400_BAD_REQUEST)
        self.assertIn("status", response.data)
        self.gaps[0].refresh_from_db()
        self.assertEqual(self.gaps[0].status, GapStatusChoices.OPEN)

    def test_engine_fields_are_read_only(self):
        record = self.gaps[1]
        response = self.patch(
            record,
            {
                "kind": "no_expert",
                "technology": str(self.junos.pk),
                "severity": "low",
                "opened": "2020-01-01T00:00:00Z",
                "closed": "2026-06-01T00:00:00Z",
                "affected_objects": 0,
                "risk": 0,
                "detail": "Nothing to see.",
                "comments": "Looked at it.",
            },
        )
        self.assertHttpStatus(response, http.HTTP_200_OK)
        record.refresh_from_db()
        self.assertEqual(
            (record.kind, record.technology, record.severity, record.opened.date(), record.closed, record.risk),
            ("single_expert", self.linux, "high", date(2026, 5, 10), None, 15),
        )
        self.assertEqual(record.comments, "Looked at it.")

    def test_remediation_is_saved(self):
        response = self.patch(
            self.gaps[0],
            {
                "training_plans": [str(self.plan.pk)],
                "support_contract": str(self.contract.pk),
                "responsibility": str(self.responsibility.pk),
            },
        )
        self.assertHttpStatus(response, http.HTTP_200_OK)
        self.gaps[0].refresh_from_db()
        self.assertEqual(list(self.gaps[0].training_plans.all()), [self.plan])
        self.assertEqual(
            (self.gaps[0].support_contract, self.gaps[0].responsibility), (self.contract, self.responsibility)
        )


class KnowledgeGapFilterTest(FilterTestCases.FilterTestCase):
    queryset = models.KnowledgeGap.objects.all()
    filterset = filters.KnowledgeGapFilterSet
    generic_filter_tests = (
        ["kind"],
        ["severity"],
        ["status"],
        ["technology", "technology__name"],
        ["technology", "technology__id"],
        ["owner_contact", "owner_contact__name"],
        ["owner_contact", "owner_contact__id"],
        ["owner_team", "owner_team__name"],
        ["owner_team", "owner_team__id"],
        ["risk_accepted_until"],
        ["affected_objects"],
        ["risk"],
        ["detail"],
    )

    @classmethod
    def setUpTestData(cls):
        register_estate(cls)

    def kinds(self, params):
        return sorted(record.kind for record in self.filterset(params, self.queryset).qs)

    def test_q_matches_technology_detail_and_comments(self):
        self.assertEqual(self.kinds({"q": "postgres"}), ["below_target", "vendor_only"])
        self.assertEqual(self.kinds({"q": "only bob"}), ["single_expert"])
        self.assertEqual(self.kinds({"q": "january"}), ["no_capacity"])

    def test_is_current(self):
        self.assertEqual(
            self.kinds({"is_current": True}), ["below_target", "no_capacity", "no_expert", "single_expert"]
        )
        self.assertEqual(self.kinds({"is_current": False}), ["no_custodian", "vendor_only"])

    def test_date_ranges(self):
        self.assertEqual(
            self.kinds({"opened__gte": "2026-05-01", "opened__lt": "2026-05-15"}), ["below_target", "single_expert"]
        )
        self.assertEqual(self.kinds({"closed__lte": "2026-04-01"}), ["vendor_only"])
        self.assertEqual(self.kinds({"risk_accepted_until__lte": "2026-10-01"}), ["below_target"])


class KnowledgeGapGraphQLTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        register_estate(cls)

    def test_knowledge_gaps(self):
        self.user.is_superuser = True
        self.user.save()
        # Choice values come back as GraphQL enums, upper case, as for every Nautobot model.
        result = execute_query(
            '{ knowledge_gaps(technology: ["Junos"], is_current: true) { kind technology { name } status } }',
            user=self.user,
        )
        self.assertIsNone(result.errors)
        self.assertEqual(
            result.data["knowledge_gaps"],
            [
                {"kind": "NO_EXPERT", "technology": {"name": "Junos"}, "status": "OPEN"},
                {"kind": "NO_CAPACITY", "technology": {"name": "Junos"}, "status": "RISK_ACCEPTED"},
            ],
        )

    def test_only_permitted_gaps(self):
        self.add_permissions("nautobot_techmgmt.view_technology")
        self.add_permissions("nautobot_techmgmt.view_knowledgegap", constraints={"severity": "critical"})
        result = execute_query("{ knowledge_gaps { kind } }", user=self.user)
        self.assertIsNone(result.errors)
        self.assertEqual(result.data["knowledge_gaps"], [{"kind": "NO_EXPERT"}])


def at(day, hour=0):
    """An aware moment on `day` (UTC, the test settings' time zone)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class TrendTest(TestCase):
    """Gaps open per day by severity, worked out by hand for the five days up to 2026-06-10."""

    @classmethod
    def setUpTestData(cls):
        junos = fixtures.technology("Junos")
        gap = fixtures.knowledge_gap
        gap(junos, "no_expert", "critical", date(2026, 6, 1))  # open all five days
        gap(junos, "single_expert", "high", at(date(2026, 6, 7), 10), closed=at(date(2026, 6, 9), 8))  # 7th, 8th
        gap(junos, "custodian_lacks_skill", "high", date(2026, 6, 8))  # 8th to 10th
        gap(junos, "no_capacity", "medium", date(2026, 5, 20), closed=at(date(2026, 6, 7), 12))  # 6th only
        gap(
            junos, "vendor_only", "low", at(date(2026, 6, 9), 1), closed=at(date(2026, 6, 9), 23)
        )  # never at a day's end
        gap(junos, "below_target", "medium", date(2026, 6, 11))  # after the last day
        gap(junos, "no_custodian", "low", date(2026, 1, 1), closed=date(2026, 2, 1))  # before the first day

    def test_open_gaps_per_day_by_severity(self):
        trend = models.KnowledgeGap.objects.trend(5, today=date(2026, 6, 10))
        self.assertEqual(
            [(row["date"], row["critical"], row["high"], row["medium"], row["low"]) for row in trend],
            [
                (date(2026, 6, 6), 1, 0, 1, 0),
                (date(2026, 6, 7), 1, 1, 0, 0),
                (date(2026, 6, 8), 1, 2, 0, 0),
                (date(2026, 6, 9), 1, 1, 0, 0),
                (date(2026, 6, 10), 1, 1, 0, 0),
            ],
        )

    def test_trend_follows_the_queryset(self):
        trend = models.KnowledgeGap.objects.filter(severity="high").trend(2, today=date(2026, 6, 9))
        self.assertEqual(
            [(row["date"], row["high"], row["critical"]) for row in trend],
            [
                (date(2026, 6, 8), 2, 0),
                (date(2026, 6, 9), 1, 0),
            ],
        )

    def test_trend_takes_two_queries(self):
        with self.assertNumQueries(2):
            models.KnowledgeGap.objects.trend(365, today=date(2026, 6, 10))


class TimeToCloseTest(TestCase):
    """Median days from opened to closed per kind, worked out by hand."""

    @classmethod
    def setUpTestData(cls):
        junos = fixtures.technology("Junos")
        gap = fixtures.knowledge_gap
        may = date(2026, 5, 1)
        gap(junos, "no_expert", "critical", may, closed=date(2026, 5, 3))  # 2 days
        gap(junos, "no_expert", "critical", may, closed=date(2026, 5, 5))  # 4 days
        gap(junos, "no_expert", "critical", may, closed=date(2026, 5, 11))  # 10 days
        gap(junos, "single_expert", "high", may, closed=at(date(2026, 5, 2), 12))  # 1.5 days
        gap(junos, "single_expert", "high", may, closed=at(date(2026, 5, 4), 12))  # 3.5 days
        gap(junos, "no_capacity", "medium", may)  # still open: not counted

    def test_median_days_per_kind(self):
        self.assertEqual(models.KnowledgeGap.objects.median_days_to_close(), {"no_expert": 4.0, "single_expert": 2.5})
        self.assertEqual(models.KnowledgeGap.objects.closed_count_by_kind(), {"no_expert": 3, "single_expert": 2})

    def test_since_counts_gaps_closed_on_or_after_the_day(self):
        since = date(2026, 5, 5)
        self.assertEqual(models.KnowledgeGap.objects.median_days_to_close(since=since), {"no_expert": 7.0})
        self.assertEqual(models.KnowledgeGap.objects.closed_count_by_kind(since=since), {"no_expert": 2})
