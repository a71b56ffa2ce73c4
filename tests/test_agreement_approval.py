"""Availability agreements agreed by line managers through Nautobot's approval workflows, end to end.

A real workflow definition for availability agreements has one stage whose approver group "Line managers" holds
Mia. Tom, a technical manager, proposes hours through REST; Mia approves or denies them through Nautobot's own REST
endpoints. Olly holds Mia's permissions but is not in the group; Pat is in the group but may not change agreements.
None of them is a superuser.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse
from nautobot.apps import nautobot_database_ready
from nautobot.apps.choices import ApprovalWorkflowStateChoices
from nautobot.apps.testing import APITestCase, TestCase, post_data
from nautobot.extras.models import (
    ApprovalWorkflowDefinition,
    ApprovalWorkflowStage,
    ApprovalWorkflowStageDefinition,
    Status,
)

from nautobot_techmgmt.constants import AGREEMENT_STATUSES
from nautobot_techmgmt.knowledge import CapacityPlan
from nautobot_techmgmt.models import AvailabilityAgreement
from tests import fixtures

APP = "nautobot_techmgmt"
AGREEMENTS = "/api/plugins/techmgmt/availability-agreements/"
STAGES = "/api/extras/approval-workflow-stages/"
START = date.today() - timedelta(days=7)
VIEW = ["view"]
APPROVER = (
    (["extras.approvalworkflowstage"], ["view", "change"], None),
    (["extras.approvalworkflow"], VIEW, None),
)


def create_users():
    """Tom proposes; Mia, Olly and Pat as in the module docstring."""
    related = (["extras.team", "extras.contact", "extras.status", f"{APP}.expert"], VIEW, None)
    agreements = f"{APP}.availabilityagreement"
    return {
        "tom": fixtures.user_with_permissions(
            "tom",
            related,
            ([agreements], ["view", "add", "change"], None),
            (["extras.approvalworkflow"], VIEW, None),
        ),
        "mia": fixtures.user_with_permissions("mia", related, ([agreements], ["view", "change"], None), *APPROVER),
        "olly": fixtures.user_with_permissions("olly", related, ([agreements], ["view", "change"], None), *APPROVER),
        "pat": fixtures.user_with_permissions("pat", related, ([agreements], VIEW, None), *APPROVER),
    }


def define_workflow(name="Hours agreed by line managers", approvers=None, **constraints):
    """A workflow definition for availability agreements with one stage of one approver from `approvers`."""
    definition = ApprovalWorkflowDefinition.objects.create(
        name=name,
        model_content_type=ContentType.objects.get_for_model(AvailabilityAgreement),
        model_constraints=constraints,
    )
    ApprovalWorkflowStageDefinition.objects.create(
        approval_workflow_definition=definition,
        sequence=1,
        name="Line manager",
        min_approvers=1,
        approver_group=approvers,
    )
    return definition


@override_settings(EXEMPT_VIEW_PERMISSIONS=[])
class AgreementApprovalTest(APITestCase):
    """Proposed through REST, approved, denied or cancelled through Nautobot's REST endpoints."""

    @classmethod
    def setUpTestData(cls):
        cls.ada = fixtures.expert("Ada")
        cls.network = fixtures.team("Network", members=[cls.ada.contact])
        cls.servers = fixtures.team("Servers")
        cls.manager = fixtures.contact("Mia Manager")
        cls.junos = fixtures.technology("Junos", custodian_team=cls.network)
        fixtures.skill(cls.ada, cls.junos, 4)  # qualified, so she has a row in the plan with or without hours
        cls.users = create_users()
        cls.line_managers = Group.objects.create(name="Line managers")
        cls.line_managers.user_set.add(cls.users["mia"], cls.users["pat"])
        cls.definition = define_workflow(approvers=cls.line_managers)

    def as_user(self, name):
        """Log the test client in as one of the users; the header for REST requests."""
        user = self.users[name]
        self.client.force_login(user)
        return {"HTTP_AUTHORIZATION": f"Token {user.tokens.first().key}"}

    def propose(self, hours="8.0", status="Agreed", team=None):
        """Tom creates an agreement of Ada through REST (asking for `status`); the agreement."""
        data = {
            "expert": self.ada.pk,
            "team": (team or self.network).pk,
            "line_manager": self.manager.pk,
            "hours_per_week": hours,
            "valid_from": START.isoformat(),
            "status": fixtures.status(status).pk,
        }
        response = self.client.post(AGREEMENTS, data, format="json", **self.as_user("tom"))
        self.assertHttpStatus(response, 201)
        return AvailabilityAgreement.objects.get(pk=response.data["id"])

    def decide(self, name, agreement, action="approve", status=200):
        """`name` approves or denies the agreement's stage through Nautobot's REST endpoint; the response."""
        stage = ApprovalWorkflowStage.objects.get(approval_workflow__object_under_review_object_id=agreement.pk)
        response = self.client.post(f"{STAGES}{stage.pk}/{action}/", {}, format="json", **self.as_user(name))
        self.assertHttpStatus(response, status)
        return response

    def agreed_hours(self):
        """Ada's agreed hours in the capacity plan of today."""
        return CapacityPlan().experts[self.ada.pk].agreed

    def status_of(self, agreement):
        agreement.refresh_from_db()
        return agreement.status.name

    # --- the workflow ---

    def test_proposed_hours_count_only_once_the_line_manager_approves(self):
        agreement = self.propose()
        self.assertEqual(self.status_of(agreement), "Proposed")
        workflow = agreement.associated_approval_workflows.get()
        self.assertEqual(
            (workflow.approval_workflow_definition, workflow.current_state, workflow.user),
            (self.definition, ApprovalWorkflowStateChoices.PENDING, self.users["tom"]),
        )
        self.assertEqual(self.agreed_hours(), 0)
        pending = self.client.get(STAGES, {"pending_my_approvals": True}, **self.as_user("mia"))
        stage = workflow.approval_workflow_stages.get()
        self.assertEqual([row["id"] for row in pending.data["results"]], [str(stage.pk)])

        self.decide("mia", agreement)
        self.assertEqual(self.status_of(agreement), "Agreed")
        workflow.refresh_from_db()
        self.assertEqual(workflow.current_state, ApprovalWorkflowStateChoices.APPROVED)
        self.assertEqual(self.agreed_hours(), Decimal("8"))

    def test_denied_hours_are_declined_and_do_not_count(self):
        agreement = self.propose()
        self.decide("mia", agreement, "deny")
        self.assertEqual(self.status_of(agreement), "Declined")
        self.assertEqual(self.agreed_hours(), 0)
        self.decide("mia", agreement, status=400)  # the stage is decided
        self.assertEqual(self.status_of(agreement), "Declined")

    def test_the_proposer_cancels_the_workflow_and_nothing_is_agreed(self):
        agreement = self.propose()
        workflow = agreement.associated_approval_workflows.get()
        cancel = f"/api/extras/approval-workflows/{workflow.pk}/cancel/"
        # Only the one who proposed it (recorded as the workflow's user) may cancel it.
        self.assertHttpStatus(self.client.post(cancel, {}, format="json", **self.as_user("mia")), 403)
        self.assertHttpStatus(self.client.post(cancel, {}, format="json", **self.as_user("tom")), 200)
        workflow.refresh_from_db()
        self.assertEqual(workflow.current_state, ApprovalWorkflowStateChoices.CANCELED)
        self.assertEqual(self.status_of(agreement), "Proposed")
        self.decide("mia", agreement, status=400)
        self.assertEqual((self.status_of(agreement), self.agreed_hours()), ("Proposed", 0))

    def test_only_approvers_who_may_change_agreements_decide(self):
        agreement = self.propose()
        response = self.decide("olly", agreement, status=403)
        self.assertEqual(response.data["detail"], "You do not have permission to approve this stage.")
        response = self.decide("pat", agreement, "deny", status=403)
        self.assertEqual(
            response.data["detail"], f"You do not have 'change' permission on {APP}.availabilityagreement."
        )
        self.assertEqual((self.status_of(agreement), self.agreed_hours()), ("Proposed", 0))

    def test_constraints_select_the_agreements_that_need_approval(self):
        self.definition.delete()
        define_workflow("Network hours", approvers=self.line_managers, team__name="Network")
        servers = self.propose(hours="3.0", team=self.servers)
        self.assertEqual(self.status_of(servers), "Agreed")
        self.assertFalse(servers.associated_approval_workflows.exists())
        network = self.propose()
        self.assertEqual(self.status_of(network), "Proposed")
        self.assertEqual(self.agreed_hours(), Decimal("3"))
        self.decide("mia", network)
        self.assertEqual(self.agreed_hours(), Decimal("11"))

    def test_without_a_definition_the_status_is_set_by_hand(self):
        self.definition.delete()
        agreement = self.propose(status="Proposed")
        self.assertFalse(agreement.associated_approval_workflows.exists())
        response = self.client.patch(
            f"{AGREEMENTS}{agreement.pk}/",
            {"status": fixtures.status("Agreed").pk, "hours_per_week": "6.0"},
            format="json",
            **self.as_user("tom"),
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual((self.status_of(agreement), self.agreed_hours()), ("Agreed", Decimal("6")))

    # --- what only the workflow decides ---

    def patch(self, agreement, expect=400, **data):
        """Tom changes the agreement through REST; the response, its HTTP status checked."""
        response = self.client.patch(f"{AGREEMENTS}{agreement.pk}/", data, format="json", **self.as_user("tom"))
        self.assertHttpStatus(response, expect)
        return response

    def test_agreed_cannot_be_set_by_hand_while_a_definition_applies(self):
        agreement = self.propose()
        response = self.patch(agreement, status=fixtures.status("Agreed").pk)
        self.assertEqual(
            response.data["status"],
            [
                "An approval workflow applies to this agreement: only its approval by a line manager makes it "
                "Agreed. Its workflow is awaiting approval."
            ],
        )
        self.decide("mia", agreement, "deny")
        response = self.patch(agreement, status=fixtures.status("Agreed").pk)
        self.assertIn("It has no workflow under way; propose a new agreement", response.data["status"][0])
        self.assertEqual((self.status_of(agreement), self.agreed_hours()), ("Declined", 0))

    def test_form_shows_the_status_error_on_its_field(self):
        agreement = self.propose()
        self.as_user("tom")
        data = {
            "expert": self.ada.pk,
            "team": self.network.pk,
            "line_manager": self.manager.pk,
            "hours_per_week": "8.0",
            "valid_from": START,
            "status": fixtures.status("Agreed").pk,
        }
        response = self.client.post(
            reverse(f"plugins:{APP}:availabilityagreement_edit", kwargs={"pk": agreement.pk}), data=post_data(data)
        )
        self.assertHttpStatus(response, 200)
        errors = response.context["form"].errors
        self.assertIn("only its approval by a line manager makes it Agreed", errors["status"][0])
        self.assertEqual(self.status_of(agreement), "Proposed")

    def test_what_was_approved_stays_but_the_agreement_can_end(self):
        agreement = self.propose()
        self.decide("mia", agreement)
        other = fixtures.expert("Bob")
        for field, value in (
            ("hours_per_week", "12.0"),
            ("team", self.servers.pk),
            ("expert", other.pk),
            ("valid_from", (START - timedelta(days=1)).isoformat()),
        ):
            with self.subTest(field=field):
                response = self.patch(agreement, **{field: value})
                self.assertEqual(list(response.data), [field])
                self.assertIn("agreed by a line manager through an approval workflow", response.data[field][0])
                self.assertIn("Propose a new agreement instead.", response.data[field][0])
        self.patch(agreement, expect=200, comments="Reviewed in the quarterly meeting")
        self.assertEqual(self.agreed_hours(), Decimal("8"))
        yesterday = date.today() - timedelta(days=1)
        self.patch(agreement, expect=200, valid_until=yesterday.isoformat())
        self.assertEqual(self.agreed_hours(), 0)  # no longer in force
        self.patch(agreement, expect=200, status=fixtures.status("Expired").pk)
        self.assertEqual(self.status_of(agreement), "Expired")

    def test_form_keeps_what_was_approved(self):
        agreement = self.propose()
        self.decide("mia", agreement)
        self.as_user("tom")
        data = {
            "expert": self.ada.pk,
            "team": self.network.pk,
            "line_manager": self.manager.pk,
            "hours_per_week": "20.0",
            "valid_from": START,
            "status": fixtures.status("Agreed").pk,
        }
        url = reverse(f"plugins:{APP}:availabilityagreement_edit", kwargs={"pk": agreement.pk})
        response = self.client.post(url, data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertIn("its hours per week cannot change", response.context["form"].errors["hours_per_week"][0])
        response = self.client.post(url, data=post_data({**data, "hours_per_week": "8.0", "valid_until": START}))
        self.assertHttpStatus(response, 302)
        agreement.refresh_from_db()
        self.assertEqual((agreement.hours_per_week, agreement.valid_until), (Decimal("8.0"), START))

    # --- pages ---

    def test_created_in_the_form_as_agreed_says_why_it_stays_proposed(self):
        self.as_user("tom")
        data = {
            "expert": self.ada.pk,
            "team": self.network.pk,
            "line_manager": self.manager.pk,
            "hours_per_week": "8.0",
            "valid_from": START,
            "status": fixtures.status("Agreed").pk,
        }
        add = reverse(f"plugins:{APP}:availabilityagreement_add")
        form = self.client.get(add).content.decode()
        self.assertIn("only the approval makes it Agreed", form)
        response = self.client.post(add, data=post_data(data), follow=True)
        self.assertHttpStatus(response, 200)
        agreement = AvailabilityAgreement.objects.get(expert=self.ada)
        self.assertEqual(agreement.status.name, "Proposed")
        body = response.content.decode()
        self.assertIn("it stays Proposed until its approval workflow is approved", body)
        self.assertIn(f'href="{agreement.get_approval_workflow_url()}"', body)

    def test_detail_page_links_the_approval_workflow_tab_which_renders(self):
        agreement = self.propose()
        url = agreement.get_approval_workflow_url()
        self.assertEqual(url, f"/plugins/techmgmt/availability-agreements/{agreement.pk}/approval-workflow/")
        self.as_user("tom")
        detail = self.client.get(agreement.get_absolute_url())
        self.assertHttpStatus(detail, 200)
        self.assertIn(f'href="{url}"', detail.content.decode())
        tab = self.client.get(url)
        self.assertHttpStatus(tab, 200)
        body = tab.content.decode()
        self.assertIn("Hours agreed by line managers", body)  # the definition
        self.assertIn("Cancel Approval Workflow", body)  # Tom proposed it
        self.assertIn('class="nav-link active"', body.split(f'href="{url}"')[1].split(">")[0])
        self.decide("mia", agreement)
        self.as_user("mia")
        body = self.client.get(url).content.decode()
        self.assertIn("Approved", body)
        self.assertNotIn("Cancel Approval Workflow", body)

    def test_no_tab_without_a_workflow_or_the_permission_to_see_it(self):
        self.definition.delete()
        define_workflow("Network hours", approvers=self.line_managers, team__name="Network")
        under_review = self.propose()
        agreed_by_hand = self.propose(team=self.servers)
        self.as_user("tom")
        body = self.client.get(agreed_by_hand.get_absolute_url()).content.decode()
        self.assertNotIn(agreed_by_hand.get_approval_workflow_url(), body)
        self.assertHttpStatus(self.client.get(agreed_by_hand.get_approval_workflow_url()), 404)
        self.users["vic"] = fixtures.user_with_permissions("vic", ([f"{APP}.availabilityagreement"], VIEW, None))
        self.as_user("vic")
        body = self.client.get(under_review.get_absolute_url()).content.decode()
        self.assertNotIn(under_review.get_approval_workflow_url(), body)


class DeclinedStatusSeedTest(TestCase):
    """An install from before the Declined status gets it, for availability agreements, when it is upgraded."""

    def test_upgrade_adds_declined_for_agreements(self):
        Status.objects.filter(name="Declined").delete()
        # What `nautobot-server migrate` and `post_upgrade` send once the database is ready.
        nautobot_database_ready.send(sender=apps.get_app_config(APP), apps=apps)
        declined = Status.objects.get_for_model(AvailabilityAgreement).get(name="Declined")
        expected = next(row for row in AGREEMENT_STATUSES if row[0] == "Declined")
        self.assertEqual((declined.name, declined.color, declined.description), expected)
