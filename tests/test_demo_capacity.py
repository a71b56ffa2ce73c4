"""The demo's expert hours: a technology better bought, one better built inside, and hours agreed through a workflow.

Figures in hours per week (a month is 52/12 weeks), worked out from `demo/capacity.py`:

* MPLS VPN, 5 circuits, network model: 2 + 5 x 1 x 12/52 = 41/13 = 3.1538. Anna Kowalski commits 6 h (escalation)
  and gives it 0.3886 of the rest of her 8 agreed hours; Hiro Tanaka 1.1827 of his 6. Supply 7.5713, surplus 4.4175:
  under 8 h, so buy. A network contractor (Farid Haddad, 110 per hour) for the whole 164 h a year: 18,040.
* Red Hat Enterprise Linux, 34 servers and 24 virtual machines, its own model: 4 + (34 x 2 + 24 x 1.5) x 12/52 = 28.
  The least objects of the last 90 days are 55 (of 58): steady 4 + 24 x 55/58 = 26.7586, from 20: build. Nadia
  Petrova gives it 8 x 28/36.1154 = 6.2023 (VMware vSphere needs 8.1154), Oliver Grant 6 x 28/36.3462 = 4.6222 (Dell
  PowerEdge 8.3462), Tomasz Nowak 8 x 28/31.2692 = 7.1636 (Red Hat OpenShift 3.2692): 17.9882; the Kestrel contract
  24 x 12/52 = 5.5385. Supply 23.5266, shortfall 4.4734. Approving Oliver's pending 4 h gives him 10 x 28/36.3462 =
  7.7037: shortfall 1.3919.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from nautobot.apps.testing import TestCase
from nautobot.extras.choices import ApprovalWorkflowStateChoices
from nautobot.extras.models import ApprovalWorkflow, ApprovalWorkflowDefinition
from rest_framework.test import APIClient

from nautobot_techmgmt import models
from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.demo import CAPACITY_STORIES, load_demo
from nautobot_techmgmt.demo import capacity as demo
from nautobot_techmgmt.knowledge.capacity import (
    AGREE_HOURS,
    BUILD,
    BUY,
    CONTRACT,
    CONTRACTOR,
    RELEASE_HOURS,
    TRAIN,
    CapacityPlan,
)
from nautobot_techmgmt.knowledge.state import ensure_fresh

D = Decimal
EMPLOYEE = EmploymentTypeChoices.EMPLOYEE


def close(value, places=4):
    """A Decimal rounded for comparison."""
    return round(value, places)


def expert(name):
    return models.Expert.objects.get(contact__name=name)


def technology(name):
    return models.Technology.objects.get(name=name)


def agreement(wanted):
    """The demo's agreement that went through the workflow (`demo.APPROVED` or `demo.PENDING`)."""
    return models.AvailabilityAgreement.objects.get(expert__contact__name=wanted.expert, team__name=wanted.team)


class DemoCapacityTest(TestCase):
    """The demo, loaded once for the class (each test's changes are rolled back)."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def capacity(self, name):
        return CapacityPlan().technologies[technology(name).pk]

    def test_every_category_in_use_has_an_effort_model_and_one_technology_its_own(self):
        in_use = {capacity.technology.category for capacity in CapacityPlan().technologies.values()}
        categories = set(models.EffortModel.objects.exclude(category="").values_list("category", flat=True))
        self.assertEqual(categories, in_use)
        own = models.EffortModel.objects.filter(technology__isnull=False)
        self.assertEqual([model.technology.name for model in own], [CAPACITY_STORIES[BUILD]])
        self.assertTrue(all(model.description for model in models.EffortModel.objects.all()))

    def test_a_few_hours_kept_by_an_expensive_expert_are_better_bought(self):
        plan = CapacityPlan()
        found = plan.make_or_buy(technology(CAPACITY_STORIES[BUY]).pk)
        capacity = found.capacity
        self.assertEqual(found.recommendation, BUY)
        self.assertEqual(
            (close(capacity.demand.hours), close(capacity.supply), close(capacity.surplus), capacity.shortfall),
            (D("3.1538"), D("7.5713"), D("4.4175"), 0),
        )
        anna = expert("Anna Kowalski")
        employees = [s.expert for s in plan.experts.values() if s.agreed and s.expert.employment_type == EMPLOYEE]
        self.assertEqual(anna.hourly_cost, max(e.hourly_cost for e in employees))  # the most expensive employee
        self.assertEqual(
            [(str(c.expert), close(c.hours), c.committed) for c in capacity.contributions],
            [("Anna Kowalski", D("6.3886"), D(6)), ("Hiro Tanaka", D("1.1827"), D(0))],
        )
        options = {(option.kind, str(option.expert or "")): option for option in found.options}
        released = options[(RELEASE_HOURS, "Anna Kowalski")]
        self.assertEqual(
            (close(released.hours_per_week), close(released.cost_per_year, 2)), (D("3.7274"), D("18413.51"))
        )
        contractor = options[(CONTRACTOR, "")]
        self.assertEqual((contractor.hourly_cost, close(contractor.cost_per_year, 2)), (D(110), D(18040)))
        self.assertLess(contractor.cost_per_year, found.internal_cost_per_year)
        self.assertEqual(close(options[(CONTRACT, "")].cost_per_year, 2), D("19186.87"))

    def test_a_steady_shortfall_covered_in_part_by_a_supplier_is_better_built_inside(self):
        found = CapacityPlan().make_or_buy(technology(CAPACITY_STORIES[BUILD]).pk)
        capacity = found.capacity
        self.assertEqual(found.recommendation, BUILD)
        self.assertEqual((close(capacity.demand.hours), close(capacity.demand.steady_hours)), (D(28), D("26.7586")))
        self.assertEqual(
            [(str(c.expert or c.contract), close(c.hours)) for c in capacity.contributions],
            [
                ("Tomasz Nowak", D("7.1636")),
                ("Nadia Petrova", D("6.2023")),
                ("Kestrel Open Systems KOS-LNX-3310", D("5.5385")),
                ("Oliver Grant", D("4.6222")),
            ],
        )
        self.assertEqual(
            (close(capacity.expert_hours), close(capacity.contract_hours), close(capacity.supply)),
            (D("17.9882"), D("5.5385"), D("23.5266")),
        )
        self.assertEqual((close(capacity.shortfall), capacity.surplus), (D("4.4734"), 0))
        kinds = {(option.kind, str(option.expert or option.contract or "")) for option in found.options}
        self.assertLessEqual(
            {
                (TRAIN, "Sven Larsen"),
                (AGREE_HOURS, "Oliver Grant"),
                (CONTRACTOR, ""),
                (CONTRACT, "Kestrel Open Systems KOS-LNX-3310"),
            },
            kinds,
        )
        train = next(option for option in found.options if option.kind == TRAIN)
        self.assertEqual(train.one_off_cost, D(1750))

    def test_the_steady_demand_comes_from_13_weeks_of_snapshots(self):
        snapshots = models.CoverageSnapshot.objects.filter(technology__name=CAPACITY_STORIES[BUILD])
        today = date.today()
        self.assertEqual(sorted((today - row.date).days for row in snapshots), [7 * weeks for weeks in range(1, 14)])
        self.assertEqual(min(row.objects_in_use for row in snapshots if today - row.date <= timedelta(90)), 55)

    def test_the_line_manager_approved_one_agreement_through_the_workflow(self):
        definition = ApprovalWorkflowDefinition.objects.get(name=demo.WORKFLOW)
        (stage_definition,) = definition.approval_workflow_stage_definitions.all()
        self.assertEqual(
            list(stage_definition.approver_group.user_set.values_list("username", flat=True)), [demo.LINE_MANAGER_USER]
        )
        approved = agreement(demo.APPROVED)
        workflow = approved.associated_approval_workflows.get(approval_workflow_definition=definition)
        self.assertEqual(
            (approved.status.name, workflow.current_state), ("Agreed", ApprovalWorkflowStateChoices.APPROVED)
        )
        (response,) = workflow.approval_workflow_stages.get().approval_workflow_stage_responses.all()
        self.assertEqual((response.user.username, response.state), (demo.LINE_MANAGER_USER, "Approved"))
        self.assertEqual(approved.line_manager.name, demo.LINE_MANAGER)
        self.assertEqual((date.today() - timezone.localdate(workflow.decision_date)).days, demo.APPROVED_DAYS_AGO)
        # Agreements set by hand before the workflow existed stay out of it.
        self.assertEqual(
            set(ApprovalWorkflow.objects.values_list("object_under_review_object_id", flat=True)),
            {approved.pk, agreement(demo.PENDING).pk},
        )

    def test_agreements_recorded_as_agreed_skip_the_workflow_when_loaded_again(self):
        """Recreated with the workflow definition in place, Nadia's earlier agreements stay as recorded."""
        models.AvailabilityAgreement.objects.filter(expert__contact__name="Priya Sharma").delete()
        load_demo()
        priya = models.AvailabilityAgreement.objects.get(expert__contact__name="Priya Sharma")
        self.assertEqual((priya.status.name, priya.line_manager.name), ("Agreed", demo.LINE_MANAGER))
        self.assertFalse(priya.associated_approval_workflows.exists())

    def test_loading_on_another_day_approves_the_moved_agreement_again(self):
        """What a line manager approved cannot change; the demo's start moves with the day, so it is approved anew."""
        week_ago = date.today() - timedelta(days=7)
        load_demo(today=week_ago)
        approved = agreement(demo.APPROVED)
        self.assertEqual((approved.status.name, approved.valid_from), ("Agreed", week_ago - timedelta(days=10)))
        (workflow,) = approved.associated_approval_workflows.all()
        self.assertEqual(workflow.current_state, ApprovalWorkflowStateChoices.APPROVED)
        self.assertEqual((week_ago - timezone.localdate(workflow.decision_date)).days, demo.APPROVED_DAYS_AGO)

    def test_the_approved_agreement_counts_and_the_pending_one_does_not(self):
        experts = CapacityPlan().experts
        self.assertEqual(
            experts[expert(demo.APPROVED.expert).pk].agreed, D(8)
        )  # 4 for Application Platforms, 4 approved
        pending = agreement(demo.PENDING)
        self.assertEqual(pending.status.name, "Proposed")
        self.assertTrue(pending.associated_approval_workflows.get().is_active)
        self.assertEqual(experts[expert(demo.PENDING.expert).pk].agreed, D(6))

    def approve_pending_as_the_line_manager(self):
        """What the walkthrough does: the line manager approves Oliver Grant's hours with core's REST endpoint."""
        pending = agreement(demo.PENDING)
        stage = pending.associated_approval_workflows.get().active_stage
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(username=demo.LINE_MANAGER_USER))
        response = client.post(
            reverse("extras-api:approvalworkflowstage-approve", kwargs={"pk": stage.pk}),
            {"comments": "Agreed."},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        pending.refresh_from_db()
        return pending

    def test_approving_the_pending_agreement_shrinks_the_shortfall(self):
        agreement = self.approve_pending_as_the_line_manager()
        self.assertEqual(agreement.status.name, "Agreed")
        ensure_fresh()
        capacity = self.capacity(CAPACITY_STORIES[BUILD])
        self.assertEqual((close(capacity.supply), close(capacity.shortfall)), (D("26.6081"), D("1.3919")))

    def test_loading_again_proposes_the_decided_agreement_again(self):
        self.approve_pending_as_the_line_manager()
        load_demo()
        pending = agreement(demo.PENDING)
        self.assertEqual(pending.status.name, "Proposed")
        self.assertTrue(pending.associated_approval_workflows.get().is_active)
        self.assertEqual(close(self.capacity(CAPACITY_STORIES[BUILD]).shortfall), D("4.4734"))
