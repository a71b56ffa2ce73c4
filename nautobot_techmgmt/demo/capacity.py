"""Expert hours of Meridian Freight: effort models, and hours a line manager agrees through an approval workflow.

Demand comes from the effort models below applied to the objects in use; supply from the agreements in `people`, the
responsibilities' hours in `custodianship` and the hours a contract states in `suppliers` (the rules are in
`knowledge/capacity.py`). Three stories (the package docstring has their figures):

* **MPLS VPN** - five circuits that need about 3.2 h a week, kept by the network architect Anna Kowalski (95 per
  hour), who commits 6 h a week to them: few hours, a surplus, *buy*.
* **Red Hat Enterprise Linux** - 58 systems on a monthly patch cycle (its own effort model), a shortfall the Kestrel
  Open Systems contract (24 h a month) covers in part, and a demand that held above 20 h a week for 90 days (its
  coverage snapshots): *build*.
* **Nadia Petrova**, line manager of Server & Virtualisation, agrees her people's hours through Nautobot: her
  agreements that start from 30 days ago go through the approval workflow "Hours agreed by Nadia Petrova", whose one
  stage the group "Server & Virtualisation line management" (her user) approves. She approved Tomasz Nowak's 4 more
  hours for the Linux estate; Oliver Grant's 4 hours for Application Platforms await her. Her earlier agreements
  were agreed by hand, as other line managers' are (as the app allows without a workflow), and start before: loading
  the demo where the definition already exists leaves them as recorded.
"""

from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from nautobot.extras.choices import ApprovalWorkflowStateChoices
from nautobot.extras.models import (
    ApprovalWorkflowDefinition,
    ApprovalWorkflowStageDefinition,
    ApprovalWorkflowStageResponse,
    Status,
)
from nautobot.users.models import ObjectPermission

from nautobot_techmgmt.choices import TechnologyCategoryChoices as Category
from nautobot_techmgmt.constants import STATUS_PROPOSED
from nautobot_techmgmt.demo.register import moment
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import AvailabilityAgreement, CoverageSnapshot, EffortModel

# category -> (base hours per week, hours per object in use per month by object type, gap uplift %, description).
# The base is keeping up with the technology (releases, advisories, design); the hours per object its share of
# changes, tickets and upgrades over a year.
CATEGORY_EFFORT = {
    Category.NETWORK: (
        "2",
        {"devices": 0.5, "circuits": 1},
        "25",
        "Half an hour per device a month (changes, two upgrades a year), an hour per circuit (carrier tickets).",
    ),
    Category.SECURITY: ("2", {"devices": 1.5}, "50", "Firewall rule changes and the quarterly rule review."),
    Category.SERVER: (
        "2",
        {"devices": 0.5, "virtual_machines": 0.5, "clusters": 2},
        "25",
        "Firmware, hardware faults and hypervisor upgrades.",
    ),
    Category.STORAGE: ("2", {"devices": 2}, "25", "Capacity, snapshots and two upgrades a year per array."),
    Category.DATABASE: (
        "2",
        {"virtual_machines": 2, "cloud_services": 1},
        "25",
        "Patching, backups checked, query tuning; less for a managed database.",
    ),
    Category.CLOUD: (
        "2",
        {"circuits": 0.5, "virtual_machines": 0.5, "clusters": 2, "cloud_services": 1},
        "25",
        "Accounts, interconnects and platform upgrades.",
    ),
    Category.APPLICATION: ("2", {"virtual_machines": 2}, "50", "Platform upgrades and the application teams' calls."),
    Category.DESKTOP: ("1", {"devices": 0.25}, "25", "Images and updates; the service desk does the rest."),
}
# technology -> (base, hours per object, uplift or None to inherit, description): the one override of the demo.
TECHNOLOGY_EFFORT = {
    "Red Hat Enterprise Linux": (
        "4",
        {"devices": 2, "virtual_machines": 1.5},
        None,
        "Monthly patch cycle with reboots on every system (a server's firmware too), and the hardening reviews.",
    ),
}

BUY_STORY = "MPLS VPN"
BUILD_STORY = "Red Hat Enterprise Linux"
# Objects in use of the build story's technology, by weeks ago: the coverage snapshots of the last 13 weeks.
STEADY_OBJECTS = {13: 55, 12: 55, 11: 55, 10: 55, 9: 56, 8: 56, 7: 56, 6: 57, 5: 57, 4: 57, 3: 58, 2: 58, 1: 58}

LINE_MANAGER = "Nadia Petrova"
LINE_MANAGER_USER = "npetrova"
APPROVERS = "Server & Virtualisation line management"
WORKFLOW = f"Hours agreed by {LINE_MANAGER}"
# (name, actions, object types) of the approvers' permissions: deciding a stage asks change on it and on the agreement.
PERMISSIONS = (
    (
        f"Agree hours: decide {LINE_MANAGER}'s agreements",
        ("view", "change"),
        (("nautobot_techmgmt", "availabilityagreement"), ("extras", "approvalworkflowstage")),
    ),
    (f"Agree hours: see {LINE_MANAGER}'s workflows", ("view",), (("extras", "approvalworkflow"),)),
)
APPROVED_DAYS_AGO = 12
PENDING_STATE, APPROVED_STATE = ApprovalWorkflowStateChoices.PENDING, ApprovalWorkflowStateChoices.APPROVED
# The line manager agrees through Nautobot the agreements that start from this many days before the day of loading;
# earlier ones were agreed by hand before.
WORKFLOW_SINCE_DAYS = 30


class WorkflowAgreement(NamedTuple):
    """An agreement that goes through the approval workflow; dates in days from today."""

    expert: str
    team: str  # the team served
    hours: str
    start: int
    end: int
    comments: str


APPROVED = WorkflowAgreement(
    "Tomasz Nowak",
    "Server & Virtualisation",
    "4",
    -10,
    172,
    "Four more hours for the Linux estate while the patch backlog lasts.",
)
PENDING = WorkflowAgreement(
    "Oliver Grant",
    "Application Platforms",
    "4",
    -5,
    180,
    "The RHEL systems under the OpenShift cluster and the Kafka brokers.",
)
APPROVAL_COMMENT = "Agreed for the patch backlog; we review it in the autumn."


def load(loader, staff, technology, users):
    """Create or update the effort models, the approval workflow and the agreements that went through it."""
    for category, (base, hours, uplift, description) in CATEGORY_EFFORT.items():
        loader.ensure(EffortModel, {"category": category}, **effort_values(base, hours, uplift, description))
    for name, (base, hours, uplift, description) in TECHNOLOGY_EFFORT.items():
        loader.ensure(EffortModel, {"technology": technology[name]}, **effort_values(base, hours, uplift, description))
    user = users[LINE_MANAGER_USER]
    stage_definition = load_workflow(loader, staff, user)
    approved = AvailabilityAgreement.objects.filter(**agreement_key(staff, APPROVED)).first()
    if approved is not None and not as_approved(loader, approved):
        # What a line manager approved cannot change (its start moves with the day of loading): proposed again.
        loader.remove(AvailabilityAgreement, {"pk": approved.pk})
    approved = workflow_agreement(loader, staff, APPROVED)
    workflow = approved.associated_approval_workflows.get()
    if workflow.is_active:
        approve(loader, workflow, user)
    decided = moment(loader, -APPROVED_DAYS_AGO)
    loader.update(workflow, quietly={"decision_date": decided})
    stage = workflow.approval_workflow_stages.get(approval_workflow_stage_definition=stage_definition)
    loader.update(stage, quietly={"decision_date": decided})
    loader.update(stage.approval_workflow_stage_responses.get(user=user), quietly={"last_updated": decided})
    pending = AvailabilityAgreement.objects.filter(**agreement_key(staff, PENDING)).first()
    if pending is not None and not pending.associated_approval_workflows.filter(current_state=PENDING_STATE).exists():
        # Decided since it was loaded (the walkthrough approves it): proposed again.
        loader.remove(AvailabilityAgreement, {"pk": pending.pk})
    workflow_agreement(loader, staff, PENDING)


def as_approved(loader, agreement):
    """Whether the agreement is the approved one the demo says: its hours and start, and its workflow approved."""
    return (
        agreement.hours_per_week == Decimal(APPROVED.hours)
        and agreement.valid_from == loader.days(APPROVED.start)
        and agreement.associated_approval_workflows.filter(current_state=APPROVED_STATE).exists()
    )


def effort_values(base, hours, uplift, description):
    """The fields of an effort model."""
    return {
        "base_hours_per_week": Decimal(base),
        "hours_per_object": hours,
        "gap_uplift_percent": Decimal(uplift) if uplift is not None else None,
        "description": description,
    }


def load_workflow(loader, staff, user):
    """The approvers' group and permission, the workflow definition and its stage; return the stage definition."""
    group, created = Group.objects.get_or_create(name=APPROVERS)
    if created:
        loader.count_created(group)
    if not group.user_set.filter(pk=user.pk).exists():
        group.user_set.add(user)
        if not created:
            loader.count_updated(group)
    for name, actions, object_types in PERMISSIONS:
        permission = loader.ensure(
            ObjectPermission,
            {"name": name},
            description=f"{APPROVERS} approve the hours {LINE_MANAGER} agrees.",
            enabled=True,
            actions=list(actions),
            constraints=None,
        )
        types = [ContentType.objects.get_by_natural_key(app, model) for app, model in object_types]
        loader.ensure_related(permission, "object_types", types)
        loader.ensure_related(permission, "groups", [group])
    definition = loader.ensure(
        ApprovalWorkflowDefinition,
        {"name": WORKFLOW},
        model_content_type=ContentType.objects.get_for_model(AvailabilityAgreement),
        model_constraints={
            "line_manager__name": staff.contacts[LINE_MANAGER].name,
            "valid_from__gte": loader.days(-WORKFLOW_SINCE_DAYS).isoformat(),
        },
    )
    return loader.ensure(
        ApprovalWorkflowStageDefinition,
        {"approval_workflow_definition": definition, "sequence": 1},
        name="Line manager",
        min_approvers=1,
        approver_group=group,
        denial_message="The line manager did not agree these hours.",
    )


def agreement_key(staff, wanted):
    """The fields that find a workflow agreement: its expert and the team served (its status is the workflow's)."""
    return {"expert": staff.experts[wanted.expert], "team": staff.teams[wanted.team]}


def workflow_agreement(loader, staff, wanted):
    """Create the agreement (which starts its workflow: Proposed) or update it, its status left to the workflow."""
    values = {
        "line_manager": staff.contacts[LINE_MANAGER],
        "hours_per_week": Decimal(wanted.hours),
        "valid_from": loader.days(wanted.start),
        "valid_until": loader.days(wanted.end),
        "comments": wanted.comments,
    }
    existing = AvailabilityAgreement.objects.filter(**agreement_key(staff, wanted)).first()
    if existing is not None:
        return loader.update(existing, **values)
    proposed = Status.objects.get_for_model(AvailabilityAgreement).get(name=STATUS_PROPOSED)
    agreement = loader.ensure(AvailabilityAgreement, agreement_key(staff, wanted), status=proposed, **values)
    for workflow in agreement.associated_approval_workflows.all():
        loader.count_created(workflow)
        for stage in workflow.approval_workflow_stages.all():
            loader.count_created(stage)
    return agreement


def approve(loader, workflow, user):
    """The line manager's approval of the workflow's stage, as core's approve endpoint records it."""
    response = ApprovalWorkflowStageResponse.objects.create(
        approval_workflow_stage=workflow.active_stage,
        user=user,
        state=ApprovalWorkflowStateChoices.APPROVED,
        comments=APPROVAL_COMMENT,
    )
    loader.count_created(response)
    workflow.refresh_from_db()


def load_snapshots(loader, technology):
    """The build story's coverage snapshots of the last 13 weeks, as the weekly coverage snapshot Job wrote them.

    After the knowledge state is up to date: the figures other than the objects in use are today's. The demo owns the
    technology's snapshots before today: rows of other days (an earlier load's) are removed.
    """
    tech = technology[BUILD_STORY]
    today = CoverageSnapshot.objects.figures(Knowledge(), tech)
    wanted = {loader.days(-7 * weeks): objects for weeks, objects in STEADY_OBJECTS.items()}
    for row in CoverageSnapshot.objects.filter(technology=tech, date__lt=loader.today).exclude(date__in=list(wanted)):
        loader.remove(CoverageSnapshot, {"pk": row.pk})
    for day, objects in wanted.items():
        loader.ensure(
            CoverageSnapshot,
            {"technology": tech, "date": day},
            **{**today, "objects_in_use": objects},
        )
