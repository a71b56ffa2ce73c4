"""The demo data command: what it creates, that it is idempotent, and that it shows every knowledge gap."""

import re
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Max, Q
from django.utils import timezone
from nautobot.apps.testing import TestCase
from nautobot.circuits.models import Circuit
from nautobot.cloud.models import CloudService
from nautobot.dcim.models import Device, Interface, Location
from nautobot.extras.models import (
    ApprovalWorkflow,
    ApprovalWorkflowStageResponse,
    Contact,
    ContactAssociation,
    DynamicGroup,
    Note,
    ObjectChange,
    StaticGroupAssociation,
    Team,
)
from nautobot.users.models import ObjectPermission
from nautobot.virtualization.models import Cluster, VirtualMachine
from rest_framework.test import APIClient

from nautobot_techmgmt import models
from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.candidates import History, resolve_objects
from nautobot_techmgmt.choices import (
    SUPPORT_ROLES,
    EmploymentTypeChoices,
    GapSeverityChoices,
    GapStatusChoices,
    ResponsibilityRoleChoices,
    SupportLevelChoices,
)
from nautobot_techmgmt.demo import (
    CANDIDATE_EXPERT,
    CHANGED_ROUTERS,
    ESCALATION_DEVICE,
    FADING_SKILL,
    GAP_DEMONSTRATIONS,
    NOT_IN_USE,
    UNMAPPED_USER,
    custodianship,
    history,
    load_demo,
    register,
)
from nautobot_techmgmt.knowledge import Knowledge, activity
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.knowledge.state import ensure_fresh
from nautobot_techmgmt.models.targets import TARGET_FIELDS

WARNING_DAYS = 90
TREND_DAYS = 90
# The telephone ranges kept for fiction: London's +44 20 7946 0xxx, North America's 555-0100 to 555-0199.
FICTIONAL_PHONE = re.compile(r"\+44 20 7946 0\d{3}|\+1 \d{3} 555 01\d{2}")
# Gap kinds that depend on the object (its custodian, its support path), not on the technology alone.
OBJECT_GAP_KINDS = ("custodian_lacks_skill", "no_custodian", "no_primary_support", "unqualified_escalation")
PRIMARY_SUPPORT = ResponsibilityRoleChoices.PRIMARY_SUPPORT
ASSESSORS_URL = "/api/plugins/techmgmt/assessors/"


def load():
    """Run the command; return what it printed."""
    out = StringIO()
    call_command("load_techmgmt_demo", stdout=out)
    return out.getvalue()


def technology(name):
    return models.Technology.objects.get(name=name)


def qualified_experts(tech, day):
    """Experts qualified for `tech` on `day`: active, skilled enough, certified where required."""
    experts = models.Expert.objects.filter(
        status__name="Active", skills__technology=tech, skills__level__gte=tech.qualified_level
    )
    if tech.certification_required:
        valid = models.ExpertCertification.objects.valid_on(day).filter(certification__technologies=tech)
        experts = experts.filter(pk__in=valid.values("expert_id"))
    return experts.distinct()


def objects_using(tech):
    """{"devices": qs, ..., "cloud_services": qs}: the objects of each type the technology's scopes match."""
    nothing = Q(pk__in=[])
    device_q, vm_q, circuit_q, cluster_q, cloud_q = nothing, nothing, nothing, nothing, nothing
    for scope in tech.scopes.all():
        target = scope.target
        field = scope.target_field
        if field == "device":
            device_q |= Q(pk=target.pk)
        elif field == "virtual_machine":
            vm_q |= Q(pk=target.pk)
        elif field == "circuit":
            circuit_q |= Q(pk=target.pk)
        elif field == "cluster":
            cluster_q |= Q(pk=target.pk)
        elif field in ("platform", "software_version"):
            device_q |= Q(**{field: target})
            vm_q |= Q(**{field: target})
        elif field == "device_role":
            device_q |= Q(role=target)
            vm_q |= Q(role=target)
        elif field == "device_type":
            device_q |= Q(device_type=target)
        elif field == "manufacturer":
            device_q |= Q(device_type__manufacturer=target)
            cloud_q |= Q(cloud_resource_type__provider=target) | Q(cloud_account__provider=target)
        elif field in ("cloud_resource_type", "cloud_account"):
            cloud_q |= Q(**{field: target})
        elif field == "location":
            places = target.descendants(include_self=True)
            device_q |= Q(location__in=places)
            cluster_q |= Q(location__in=places)
            vm_q |= Q(cluster__location__in=places)
        elif field == "dynamic_group":
            member_ids = target.members.values("pk")
            device_q |= Q(pk__in=member_ids) if target.model is Device else nothing
            vm_q |= Q(pk__in=member_ids) if target.model is VirtualMachine else nothing
        elif field in ("circuit_type", "provider"):
            circuit_q |= Q(**{field: target})
        elif field == "cluster_type":
            cluster_q |= Q(cluster_type=target)
            vm_q |= Q(cluster__cluster_type=target)
    return {
        "devices": Device.objects.filter(device_q),
        "virtual_machines": VirtualMachine.objects.filter(vm_q),
        "circuits": Circuit.objects.filter(circuit_q),
        "clusters": Cluster.objects.filter(cluster_q),
        "cloud_services": CloudService.objects.filter(cloud_q),
    }


def in_use(tech):
    return any(queryset.exists() for queryset in objects_using(tech).values())


def technology_level_gaps(tech, today):
    """Gap kinds that depend on the technology alone (not on which object), from the data."""
    qualified = qualified_experts(tech, today)
    count = qualified.count()
    kinds = set()
    internal = qualified.exclude(employment_type=EmploymentTypeChoices.SUPPLIER_STAFF)
    covered = models.SupportContract.objects.active_on(today).filter(technologies=tech).exists()
    if not internal.exists() and covered:
        kinds.add("vendor_only")
    elif count == 0:
        kinds.add("no_expert")
    if count == 1 and tech.required_experts >= 2:
        kinds.add("single_expert")
    elif 1 < count < tech.required_experts:
        kinds.add("below_target")
    still_qualified = qualified_experts(tech, today + timedelta(days=WARNING_DAYS))
    if qualified.exclude(pk__in=still_qualified.values("pk")).exists():
        kinds.add("certification_expiring")
    in_force = models.AvailabilityAgreement.objects.filter(status__name="Agreed", valid_from__lte=today).exclude(
        valid_until__lt=today
    )
    if count and not in_force.filter(expert__in=qualified).exists():
        kinds.add("no_capacity")
    return kinds


def team_is_qualified(team, tech, today):
    return qualified_experts(tech, today).filter(contact__in=team.contacts.all()).exists()


def rules_over(tech, devices, role):
    """Responsibilities in `role` for `tech` (or every technology) on a rule target of any of `devices`."""
    devices = list(devices)
    locations = {place.pk for device in devices for place in device.location.ancestors(include_self=True)}
    groups = StaticGroupAssociation.all_objects.filter(associated_object_id__in=[d.pk for d in devices]).values(
        "dynamic_group_id"
    )
    on_targets = (
        Q(device__in=devices)
        | Q(dynamic_group__in=groups)
        | Q(device_type__in={d.device_type_id for d in devices})
        | Q(manufacturer__in={d.device_type.manufacturer_id for d in devices})
        | Q(platform__in={d.platform_id for d in devices})
        | Q(software_version__in={d.software_version_id for d in devices if d.software_version_id})
        | Q(device_role__in={d.role_id for d in devices})
        | Q(location__in=locations)
    )
    return list(
        models.Responsibility.objects.filter(Q(technology=tech) | Q(technology__isnull=True), on_targets, role=role)
    )


def custodians_over(tech, devices):
    """Custodian responsibilities and core custodian associations that apply to `tech` on any of `devices`."""
    devices = list(devices)
    locations = {place.pk for device in devices for place in device.location.ancestors(include_self=True)}
    associations = ContactAssociation.objects.filter(
        role__name="Custodian", associated_object_id__in=[d.pk for d in devices] + list(locations)
    )
    return rules_over(tech, devices, ResponsibilityRoleChoices.CUSTODIAN) + list(associations)


def technology_rules(tech, role):
    """Responsibilities in `role` for `tech` on no target: for every object using it."""
    return models.Responsibility.objects.filter(role=role, technology=tech, **{f: None for f in TARGET_FIELDS})


def assignee_name(assignee):
    """A team's, expert's or supplier contract's name as the walkthrough gives it."""
    if isinstance(assignee, models.Expert):
        return assignee.contact.name
    if isinstance(assignee, models.SupportContract):
        return f"{assignee.supplier.name} {assignee.reference}"
    return assignee.name


class DemoDataTest(TestCase):
    """The demo, loaded once for every test of the class (each test's changes are rolled back)."""

    @classmethod
    def setUpTestData(cls):
        cls.today = date.today()
        cls.first_output = load()

    # --- what the command creates ---

    def test_core_inventory(self):
        self.assertGreaterEqual(Device.objects.count(), 150)
        sites = Location.objects.filter(location_type__name="Site")
        self.assertEqual(sites.count(), 5)
        self.assertTrue(all(site.parent.location_type.name == "Region" for site in sites))
        self.assertEqual(Circuit.objects.count(), 15)
        self.assertEqual(Cluster.objects.count(), 4)
        self.assertEqual(VirtualMachine.objects.count(), 30)
        # Firewalls, storage arrays, and the London Office desktops that Windows 11 Enterprise is scoped on.
        self.assertEqual(DynamicGroup.objects.filter(group_type="dynamic-filter").count(), 3)
        firewalls = DynamicGroup.objects.get(name="All firewalls")
        self.assertEqual(firewalls.members.count(), Device.objects.filter(role__name="Firewall").count())
        self.assertGreater(firewalls.members.count(), 0)
        self.assertTrue(Device.objects.filter(role__name="Storage Array").exists())
        platforms = set(Device.objects.values_list("platform__name", flat=True))
        self.assertTrue({"junos", "ios-xe", "eos", "rhel", "windows-server", "vmware-esxi", "ontap"} <= platforms)
        self.assertTrue(Device.objects.filter(software_version__isnull=False).exists())

    def test_cloud_services(self):
        self.assertEqual(CloudService.objects.count(), 4)
        databases = objects_using(technology("PostgreSQL"))["cloud_services"]
        self.assertEqual(set(databases.values_list("name", flat=True)), {"shipments-db", "tracking-db"})
        ensure_fresh()
        rows = models.ObjectKnowledge.objects.filter(cloud_service__in=databases, technology__name="PostgreSQL")
        self.assertEqual(rows.count(), 2)
        self.assertEqual(
            set(rows.values_list("custodian_source", flat=True)), {"inherited from cloud account meridian-prod"}
        )
        buckets = objects_using(technology("Amazon Web Services"))["cloud_services"]
        self.assertEqual(set(buckets.values_list("name", flat=True)), {"customs-documents", "archive-2019-2024"})

    def test_people(self):
        self.assertEqual(models.Technology.objects.count(), 40)
        self.assertEqual(
            set(models.Technology.objects.values_list("category", flat=True)) - {"other"},
            {"database", "desktop", "network", "server", "storage", "security", "cloud", "application"},
        )
        self.assertTrue(28 <= models.Expert.objects.count() <= 32)
        self.assertIn(Team.objects.count(), (5, 6))
        self.assertGreaterEqual(models.Skill.objects.count(), 110)
        statuses = list(models.Expert.objects.values_list("status__name", flat=True))
        self.assertEqual((statuses.count("On Leave"), statuses.count("Departed")), (1, 1))
        employment = set(models.Expert.objects.values_list("employment_type", flat=True))
        self.assertEqual(employment, {"employee", "contractor", "supplier-staff"})
        self.assertFalse(Contact.objects.filter(techmgmt_expert__isnull=False, email="").exists())
        # Whom to call: every contact, team and supplier can be reached, on numbers that belong to nobody.
        for model in (Contact, Team, models.Supplier):
            for name, phone, email in model.objects.values_list("name", "phone", "email"):
                self.assertRegex(phone, f"^({FICTIONAL_PHONE.pattern})$", name)
                self.assertRegex(email, r"^[^@\s]+@[\w.-]+\.example$", name)
        for expert in models.Expert.objects.exclude(status__name="Departed").select_related("home_team", "contact"):
            self.assertIn(expert.contact, expert.home_team.contacts.all(), expert)
            self.assertIsNotNone(expert.line_manager, expert)

    def test_dated_records_relative_to_today(self):
        held = models.ExpertCertification.objects
        expiring = held.filter(expires_on__gte=self.today, expires_on__lte=self.today + timedelta(days=WARNING_DAYS))
        self.assertGreaterEqual(expiring.count(), 2)
        self.assertEqual(held.filter(expires_on__lt=self.today).count(), 1)
        self.assertEqual(
            set(models.AvailabilityAgreement.objects.values_list("status__name", flat=True)),
            {"Agreed", "Proposed", "Expired"},
        )
        self.assertTrue(
            {"Planned", "In Progress", "Completed"}
            <= set(models.TrainingPlan.objects.values_list("status__name", flat=True))
        )
        self.assertTrue(models.SupportContract.objects.active_on(self.today).filter(technologies__isnull=False))

    def test_custodianship_records(self):
        custodians = models.Responsibility.objects.filter(role=ResponsibilityRoleChoices.CUSTODIAN)
        for field in ("platform", "location", "dynamic_group", "device"):
            self.assertTrue(custodians.filter(**{f"{field}__isnull": False}).exists(), field)
        self.assertTrue(custodians.filter(expert__isnull=False).exists())
        others = models.Responsibility.objects.exclude(role=ResponsibilityRoleChoices.CUSTODIAN)
        self.assertTrue(others.filter(role=ResponsibilityRoleChoices.BACKUP_SUPPORT).exists())
        self.assertEqual(
            set(
                others.filter(role=ResponsibilityRoleChoices.ESCALATION, technology__name="Junos").values_list(
                    "escalation_tier", flat=True
                )
            ),
            {1, 2, 3},
        )
        association = ContactAssociation.objects.get(role__name="Custodian")
        self.assertIsInstance(association.associated_object, Device)

    def test_summary_printed(self):
        self.assertIn("dcim.Device", self.first_output)
        self.assertIn("Demo data loaded", self.first_output)

    # --- loading again changes nothing ---

    COUNTED_MODELS = (
        Device,
        Location,
        Circuit,
        Cluster,
        VirtualMachine,
        DynamicGroup,
        StaticGroupAssociation,
        Team,
        Contact,
        ContactAssociation,
        models.Technology,
        models.TechnologyScope,
        models.Expert,
        models.Skill,
        models.Certification,
        models.ExpertCertification,
        models.AvailabilityAgreement,
        models.TrainingPlan,
        models.Responsibility,
        models.Supplier,
        models.SupportContract,
        models.KnowledgeGap,
        models.KnowledgeRefresh,
        get_user_model(),
        models.UserContact,
        Interface,
        ObjectChange,
        Note,
        models.EffortModel,
        models.CoverageSnapshot,
        ApprovalWorkflow,
        ApprovalWorkflowStageResponse,
        ObjectPermission,
    )

    def snapshot(self):
        counts = {model.__name__: model.objects.count() for model in self.COUNTED_MODELS}
        counts["team members"] = Team.contacts.through.objects.count()
        counts["certification technologies"] = models.Certification.technologies.through.objects.count()
        counts["last technology update"] = models.Technology.objects.aggregate(Max("last_updated"))
        counts["last skill update"] = models.Skill.objects.aggregate(Max("last_updated"))
        counts["last device update"] = Device.objects.aggregate(Max("last_updated"))
        counts["change log"] = list(ObjectChange.objects.order_by("pk").values_list("pk", "time"))
        counts["gap register"] = list(
            models.KnowledgeGap.objects.order_by("pk").values_list(
                "pk", "status", "opened", "closed", "risk_accepted_until", "last_updated"
            )
        )
        counts["gap training plans"] = models.KnowledgeGap.training_plans.through.objects.count()
        counts["agreements"] = list(models.AvailabilityAgreement.objects.order_by("pk").values_list("pk", "status"))
        counts["approvals"] = list(
            ApprovalWorkflow.objects.order_by("pk").values_list("pk", "current_state", "decision_date")
        )
        counts["approvers"] = list(Group.objects.order_by("pk").values_list("pk", "user"))
        return counts

    def test_second_run_changes_nothing(self):
        before = self.snapshot()
        output = load()
        self.assertEqual(self.snapshot(), before)
        self.assertIn("nothing changed", output)
        total = next(line for line in output.splitlines() if line.startswith("total"))
        created, updated, _, deleted = total.split()[1:]
        self.assertEqual((created, updated, deleted), ("0", "0", "0"))

    def test_loading_again_removes_a_responsibility_the_demo_no_longer_holds(self):
        """Dev Patel's primary support in Chicago, from an earlier demo, made way for his escalation tier."""
        retired = models.Responsibility(
            expert=models.Expert.objects.get(contact__name="Dev Patel"),
            role=PRIMARY_SUPPORT,
            technology=technology("Cisco IOS-XE"),
            location=Location.objects.get(name="Chicago Office"),
            hours_per_week=8,
        )
        retired.validated_save()
        output = load()
        self.assertFalse(models.Responsibility.objects.filter(pk=retired.pk).exists())
        row = next(line for line in output.splitlines() if line.startswith("nautobot_techmgmt.Responsibility"))
        self.assertEqual(row.split()[1:], ["0", "0", str(models.Responsibility.objects.count()), "1"])
        self.assertEqual(self.path_steps(ESCALATION_DEVICE, "Cisco IOS-XE")[1][:3], ("escalation", 1, "Dev Patel"))

    # --- each gap kind's data condition holds, checked with queries against the loaded data ---

    def test_every_demonstrating_technology_is_in_use(self):
        for kind, name in GAP_DEMONSTRATIONS.items():
            self.assertTrue(in_use(technology(name)), f"{kind}: {name} is not in use")

    def test_no_expert(self):
        tech = technology(GAP_DEMONSTRATIONS["no_expert"])
        self.assertTrue(objects_using(tech)["virtual_machines"].exists())
        self.assertEqual(qualified_experts(tech, self.today).count(), 0)
        self.assertTrue(tech.skills.exists())  # some know it, just not well enough
        self.assertFalse(models.SupportContract.objects.active_on(self.today).filter(technologies=tech).exists())
        self.assertTrue(tech.support_contracts.exists())  # an expired contract does not count

    def test_single_expert(self):
        tech = technology(GAP_DEMONSTRATIONS["single_expert"])
        self.assertEqual(qualified_experts(tech, self.today).count(), 1)
        self.assertGreaterEqual(tech.required_experts, 2)

    def test_below_target(self):
        tech = technology(GAP_DEMONSTRATIONS["below_target"])
        count = qualified_experts(tech, self.today).count()
        self.assertTrue(1 < count < tech.required_experts, count)
        # An expert on leave with the highest level is what keeps it below target.
        self.assertTrue(tech.skills.filter(expert__status__name="On Leave", level__gte=tech.qualified_level).exists())

    def test_custodian_lacks_skill(self):
        tech = technology(GAP_DEMONSTRATIONS["custodian_lacks_skill"])
        devices = objects_using(tech)["devices"]
        self.assertTrue(devices.exists())
        self.assertEqual(custodians_over(tech, devices), [])  # so the technology's custodian team applies
        self.assertIsNotNone(tech.custodian_team)
        self.assertGreaterEqual(qualified_experts(tech, self.today).count(), tech.required_experts)
        self.assertFalse(team_is_qualified(tech.custodian_team, tech, self.today))

    def test_no_custodian(self):
        tech = technology(GAP_DEMONSTRATIONS["no_custodian"])
        used = objects_using(tech)
        self.assertTrue(used["devices"].exists())
        # A desktop operating system, on desktops only: the London Office's routers and switches do not run it.
        self.assertEqual(set(used["devices"].values_list("role__name", flat=True)), {"Desktop"})
        self.assertEqual(set(used["devices"].values_list("location__name", flat=True)), {"London Office"})
        self.assertTrue(Device.objects.filter(role__name="Desktop").exclude(location__name="London Office").exists())
        self.assertFalse(any(used[key].exists() for key in ("virtual_machines", "circuits", "clusters")))
        self.assertIsNone(tech.custodian_team)
        self.assertEqual(custodians_over(tech, used["devices"]), [])
        self.assertFalse(
            models.Responsibility.objects.filter(
                role=ResponsibilityRoleChoices.CUSTODIAN, technology=tech, **{f: None for f in TARGET_FIELDS}
            ).exists()
        )

    def test_certification_expiring(self):
        tech = technology(GAP_DEMONSTRATIONS["certification_expiring"])
        self.assertTrue(tech.certification_required)
        now = qualified_experts(tech, self.today)
        later = qualified_experts(tech, self.today + timedelta(days=WARNING_DAYS))
        lapsing = now.exclude(pk__in=later.values("pk"))
        self.assertEqual(lapsing.count(), 1)
        self.assertEqual(now.count(), tech.required_experts)  # no bus-factor gap hides behind it

    def test_no_capacity(self):
        tech = technology(GAP_DEMONSTRATIONS["no_capacity"])
        qualified = qualified_experts(tech, self.today)
        self.assertGreaterEqual(qualified.count(), tech.required_experts)
        agreements = models.AvailabilityAgreement.objects.filter(expert__in=qualified)
        self.assertTrue(agreements.filter(status__name="Agreed").exists())  # agreed once, but no longer in force
        in_force = agreements.filter(status__name="Agreed", valid_from__lte=self.today).exclude(
            valid_until__lt=self.today
        )
        self.assertFalse(in_force.exists())

    def test_vendor_only(self):
        tech = technology(GAP_DEMONSTRATIONS["vendor_only"])
        qualified = qualified_experts(tech, self.today)
        self.assertFalse(qualified.exclude(employment_type=EmploymentTypeChoices.SUPPLIER_STAFF).exists())
        self.assertTrue(models.SupportContract.objects.active_on(self.today).filter(technologies=tech).exists())

    def test_no_primary_support(self):
        tech = technology(GAP_DEMONSTRATIONS["no_primary_support"])
        devices = objects_using(tech)["devices"]
        self.assertTrue(devices.exists())
        self.assertFalse(any(objects_using(tech)[key].exists() for key in ("virtual_machines", "circuits", "clusters")))
        self.assertEqual(rules_over(tech, devices, PRIMARY_SUPPORT), [])
        self.assertFalse(technology_rules(tech, PRIMARY_SUPPORT).exists())
        # Nobody could take its first call qualified; the supplier's contract is its support path.
        self.assertEqual(qualified_experts(tech, self.today).count(), 0)
        self.assertTrue(models.SupportContract.objects.active_on(self.today).filter(technologies=tech).exists())

    def test_unqualified_escalation(self):
        tech = technology(GAP_DEMONSTRATIONS["unqualified_escalation"])
        support = models.Responsibility.objects.filter(technology=tech, role__in=SUPPORT_ROLES)
        self.assertEqual(support.count(), 1)
        primary = support.get()
        self.assertEqual((primary.role, primary.target_field, primary.team), (PRIMARY_SUPPORT, None, None))
        # Someone who knows it, below the qualified level.
        level = primary.expert.skills.get(technology=tech).level
        self.assertTrue(0 < level < tech.qualified_level, level)
        self.assertFalse(qualified_experts(tech, self.today).filter(pk=primary.expert.pk).exists())

    def test_every_other_support_tier_is_qualified(self):
        """Primary and backup support and escalation assignees hold the skill, but for the documented gap."""
        exception = technology(GAP_DEMONSTRATIONS["unqualified_escalation"])
        in_use_technologies = [tech for tech in models.Technology.objects.all() if in_use(tech)]
        support = models.Responsibility.objects.filter(role__in=SUPPORT_ROLES).exclude(technology=exception)
        self.assertGreater(support.count(), 20)
        for rule in support.select_related("team", "expert", "technology"):
            if rule.technology is not None:
                technologies = [rule.technology]
            else:
                # A rule for every technology of its target: every technology in use on the target's devices.
                self.assertEqual(rule.target_field, "device_role", rule)
                technologies = [
                    tech
                    for tech in in_use_technologies
                    if objects_using(tech)["devices"].filter(role=rule.target).exists()
                ]
                self.assertTrue(technologies, rule)
            for tech in technologies:
                if rule.team:
                    self.assertTrue(team_is_qualified(rule.team, tech, self.today), (rule, tech))
                else:
                    self.assertTrue(qualified_experts(tech, self.today).filter(pk=rule.expert.pk), (rule, tech))

    def test_not_in_use(self):
        tech = technology(NOT_IN_USE)
        self.assertFalse(in_use(tech))
        self.assertEqual(qualified_experts(tech, self.today).count(), 0)

    def test_technology_level_gaps_are_exactly_the_documented_ones(self):
        expected = {name: {kind} for kind, name in GAP_DEMONSTRATIONS.items() if kind not in OBJECT_GAP_KINDS}
        found = {}
        for tech in models.Technology.objects.all():
            if in_use(tech) and (kinds := technology_level_gaps(tech, self.today)):
                found[tech.name] = kinds
        self.assertEqual(found, expected)

    def test_custodian_teams_without_qualified_member_are_the_documented_ones(self):
        lacking, without = set(), set()
        for tech in models.Technology.objects.select_related("custodian_team"):
            if not in_use(tech):
                continue
            if tech.custodian_team is None:
                without.add(tech.name)
            elif not team_is_qualified(tech.custodian_team, tech, self.today):
                lacking.add(tech.name)
        # Nobody is qualified for the no_expert and vendor_only technologies, so their custodian team cannot be.
        self.assertEqual(
            lacking,
            {GAP_DEMONSTRATIONS[kind] for kind in ("custodian_lacks_skill", "no_expert", "vendor_only")},
        )
        self.assertEqual(without, {GAP_DEMONSTRATIONS["no_custodian"]})

    def test_rule_and_object_custodians_are_qualified(self):
        """Custodians more specific than the technology's team hold the skill, so they add no gap."""
        rules = models.Responsibility.objects.filter(role=ResponsibilityRoleChoices.CUSTODIAN)
        for rule in rules.select_related("team", "expert", "technology"):
            self.assertIsNotNone(rule.technology, rule)
            if rule.team:
                self.assertTrue(team_is_qualified(rule.team, rule.technology, self.today), rule)
            else:
                self.assertTrue(qualified_experts(rule.technology, self.today).filter(pk=rule.expert.pk), rule)
        for association in ContactAssociation.objects.filter(role__name="Custodian"):
            for tech in models.Technology.objects.all():
                if objects_using(tech)["devices"].filter(pk=association.associated_object_id).exists():
                    self.assertTrue(team_is_qualified(association.team, tech, self.today), tech)

    def test_knowledge_engine_reports_exactly_the_documented_gaps(self):
        found = {(gap.technology.name, gap.kind) for gap in Knowledge(as_of=self.today).gaps}
        expected = {(name, kind) for kind, name in GAP_DEMONSTRATIONS.items()}
        # Nobody is qualified for these two, so their custodian team has no qualified member either.
        expected |= {(GAP_DEMONSTRATIONS[kind], "custodian_lacks_skill") for kind in ("no_expert", "vendor_only")}
        self.assertEqual(found, expected)

    def test_after_a_refresh_the_engine_reads_counts_that_equal_the_live_answer(self):
        live = Knowledge(as_of=self.today, live=True)
        rebuild_knowledge()
        read = Knowledge(as_of=self.today)
        self.assertFalse(read.live)
        self.assertEqual(read.in_use, live.in_use)

        def answer(knowledge):
            return [(gap.technology.name, gap.kind, gap.affected, gap.risk) for gap in knowledge.gaps]

        self.assertEqual(answer(read), answer(live))

    # --- whom to call, and who assesses a change (the walkthrough's story) ---

    def superuser_answers(self):
        user, _ = get_user_model().objects.get_or_create(username="demo-admin", defaults={"is_superuser": True})
        return Answers(user)

    def path(self, name, technology_name):
        """The escalation path of a technology on a device or VM, as its page shows it to a superuser."""
        answers = self.superuser_answers()
        rows = answers.object_knowledge(
            Device.objects.filter(name=name).first() or VirtualMachine.objects.get(name=name)
        )
        return next(path for path in answers.escalation_paths(rows) if path.technology.name == technology_name)

    def path_steps(self, name, technology_name):
        """(role, tier, who, qualified, why) of each step of the path."""
        return [
            (step.role, step.tier, assignee_name(step.assignee), step.qualified, step.source)
            for step in self.path(name, technology_name).steps
        ]

    def test_escalation_path_runs_from_the_team_to_an_expert_to_the_vendor(self):
        path = self.path(ESCALATION_DEVICE, GAP_DEMONSTRATIONS["single_expert"])
        self.assertEqual(
            self.path_steps(ESCALATION_DEVICE, path.technology.name),
            [
                ("primary-support", 1, "Network Engineering", True, "inherited from role Router"),
                ("escalation", 1, "Dev Patel", True, "inherited from location Chicago Office"),
                ("supplier", None, "Cisco Systems SNTC-4471902", None, "24x7 support contract covering the technology"),
            ],
        )
        self.assertEqual([step.kind for step in path.steps], ["team", "expert", "contract"])
        for step in path.steps:
            self.assertRegex(step.phone, FICTIONAL_PHONE, step)
            self.assertIn("@", step.email, step)
        self.assertEqual(path.steps[-1].assignee.support_level, SupportLevelChoices.TWENTY_FOUR_SEVEN)
        self.assertEqual(path.gaps, [])
        self.assertEqual(
            [(step.role, assignee_name(step.assignee)) for step in path.assessors],
            [("change-assessor", "Network Engineering")],
        )

    def test_escalation_paths_of_the_support_gaps(self):
        pure = self.path("fra-pure-01", GAP_DEMONSTRATIONS["no_primary_support"])
        self.assertEqual(
            [(step.role, assignee_name(step.assignee)) for step in pure.steps],
            [("supplier", "Pure Storage PS-EG-2291")],
        )
        self.assertEqual([gap.kind for gap in pure.gaps], ["no_primary_support"])
        kafka = self.path("nyc-kafka-01", GAP_DEMONSTRATIONS["unqualified_escalation"])
        self.assertEqual(
            self.path_steps("nyc-kafka-01", kafka.technology.name),
            [("primary-support", 1, "Daniel Fischer", False, "primary support of technology Apache Kafka")],
        )
        self.assertEqual([gap.kind for gap in kafka.gaps], ["unqualified_escalation"])
        # The no_custodian example has a qualified primary support.
        desktops = self.path("lon-pc-01", GAP_DEMONSTRATIONS["no_custodian"])
        self.assertEqual([(step.role, step.qualified) for step in desktops.steps], [("primary-support", True)])
        self.assertEqual(desktops.gaps, [])

    def test_assessors_of_a_change_to_three_routers(self):
        routers = Device.objects.filter(name__in=CHANGED_ROUTERS)
        self.assertEqual(routers.count(), 3)
        answer = self.superuser_answers().assessors({"devices": list(routers.values_list("pk", flat=True))})
        network = ("change-assessor", "Network Engineering", ("inherited from role Router",))
        self.assertEqual(
            {
                row.technology.name: (
                    row.objects,
                    row.without_assessor,
                    [(a.role, assignee_name(a.assignee), a.sources, a.objects) for a in row.assessors],
                )
                for row in answer
            },
            {
                "BGP": (2, 0, [(*network, 2)]),
                "Cisco IOS-XE": (1, 0, [(*network, 1)]),
                "Junos": (2, 0, [(*network, 2)]),
                "Routing": (
                    3,
                    0,
                    [
                        ("change-assessor", "Ben Okafor", ("inherited from location EMEA",), 1),
                        (*network, 3),
                        ("design-authority", "Anna Kowalski", ("design authority of technology Routing",), 3),
                    ],
                ),
            },
        )
        for row in answer:
            for assessor in row.assessors:
                self.assertTrue(assessor.qualified, assessor)
                self.assertRegex(assessor.phone, FICTIONAL_PHONE, assessor)
                self.assertTrue(assessor.email, assessor)

    def test_what_if_dev_patel_leaves_says_what_to_do_next(self):
        """Cisco IOS-XE, his only technology with new gaps: who could cover it, what to reassign, the contract.

        Farid Haddad and Hiro Tanaka one level short, Hiro's planned training, Dev's escalation tier 1 in Chicago (the
        demo's earlier primary support of his became that tier) and Cisco's contract in force.
        """
        dev = models.Expert.objects.get(contact__name="Dev Patel")
        answer = self.superuser_answers().what_if([dev.pk])
        (ios,) = answer.cover_options
        self.assertEqual(ios.technology.name, GAP_DEMONSTRATIONS["single_expert"])
        self.assertEqual([str(expert) for expert in ios.one_level_short], ["Farid Haddad", "Hiro Tanaka"])
        (plan,) = ios.training_plans
        self.assertEqual(
            (str(plan.expert), plan.target_level, plan.status.name, plan.due_date),
            ("Hiro Tanaka", 3, "Planned", self.today + timedelta(days=75)),
        )
        self.assertEqual(
            [(r.role, r.escalation_tier, str(r.target)) for r in ios.responsibilities],
            [(ResponsibilityRoleChoices.ESCALATION, 1, "Chicago Office")],
        )
        self.assertEqual(
            [(str(row.contract), row.in_force, row.contract.end_date) for row in ios.contracts],
            [("Cisco Systems SNTC-4471902", True, self.today + timedelta(days=490))],
        )
        self.assertEqual(ios.hidden_experts, 0)

    def test_assessors_endpoint_answers_the_walkthrough_requests_alike(self):
        """The walkthrough's two request bodies: the routers listed, and the same routers by a filter."""
        client = APIClient()
        client.force_authenticate(self.superuser_answers().user)
        routers = Device.objects.filter(name__in=CHANGED_ROUTERS)
        listed = client.post(
            ASSESSORS_URL,
            {"objects": [{"object_type": "dcim.device", "id": str(pk)} for pk in routers.values_list("pk", flat=True)]},
            format="json",
        )
        filtered = client.post(
            ASSESSORS_URL, {"object_type": "dcim.device", "filter": {"name": list(CHANGED_ROUTERS)}}, format="json"
        )
        self.assertEqual(listed.status_code, 200, listed.content)
        self.assertEqual(listed.json(), filtered.json())
        self.assertEqual(listed.json()["objects"], {"devices": 3})
        self.assertEqual(
            [row["technology"]["name"] for row in listed.json()["technologies"]],
            ["BGP", "Cisco IOS-XE", "Junos", "Routing"],
        )

    # --- the gap register has a history ---

    def current_gaps(self):
        return {
            (record.technology.name, record.kind): record
            for record in models.KnowledgeGap.objects.current().select_related("technology")
        }

    def test_the_load_leaves_the_knowledge_state_up_to_date(self):
        self.assertFalse(models.PendingChange.objects.exists())
        self.assertFalse(models.KnowledgeRefresh.objects.unfinished().exists())
        self.assertIn("nautobot_techmgmt.KnowledgeGap", self.first_output)

    def test_open_records_are_the_gaps_the_engine_finds_opened_in_the_past(self):
        found = {(gap.technology.name, gap.kind) for gap in Knowledge(as_of=self.today).gaps}
        current = self.current_gaps()
        self.assertEqual(set(current), found)
        for key, record in current.items():
            opened = timezone.localdate(record.opened)
            self.assertTrue(timedelta(days=20) <= self.today - opened <= timedelta(days=120), (key, opened))

    def test_people_work_on_some_open_gaps(self):
        current = self.current_gaps()
        acknowledged = current[(GAP_DEMONSTRATIONS["single_expert"], "single_expert")]
        self.assertEqual(acknowledged.status, GapStatusChoices.ACKNOWLEDGED)
        self.assertEqual(acknowledged.owner_team.name, "Network Engineering")
        self.assertTrue(acknowledged.training_plans.filter(expert__contact__name="Hiro Tanaka").exists())
        self.assertTrue(acknowledged.comments)
        accepted = [record for record in current.values() if record.status == GapStatusChoices.RISK_ACCEPTED]
        self.assertEqual(len(accepted), 1)
        self.assertTrue(
            timedelta(days=50) <= accepted[0].risk_accepted_until - self.today <= timedelta(days=70),
            accepted[0].risk_accepted_until,
        )
        self.assertTrue(accepted[0].comments)
        self.assertIsNotNone(accepted[0].owner)

    def test_past_gaps_are_closed_and_not_current(self):
        past = models.KnowledgeGap.objects.filter(closed__isnull=False).select_related("technology")
        self.assertEqual(
            {(record.technology.name, record.kind) for record in past},
            {(gap.technology, gap.kind) for gap in register.CLOSED_GAPS},
        )
        self.assertTrue(6 <= len(past) <= 10, len(past))
        now = timezone.now()
        for record in past:
            self.assertEqual(record.status, GapStatusChoices.CLOSED, record)
            self.assertTrue(record.opened < record.closed < now, record)
            self.assertTrue(record.owner or record.comments, record)
        self.assertFalse(models.KnowledgeGap.objects.current().filter(pk__in=past.values("pk")).exists())
        # The technologies no longer have those gaps.
        self.assertFalse({(record.technology.name, record.kind) for record in past} & set(self.current_gaps()))
        for remediation in ("training_plans", "support_contract", "responsibility"):
            self.assertTrue(past.filter(**{f"{remediation}__isnull": False}).exists(), remediation)

    def test_the_trend_changes_over_the_last_90_days(self):
        trend = models.KnowledgeGap.objects.trend(TREND_DAYS, today=self.today)
        totals = [sum(day[severity] for severity in GapSeverityChoices.values()) for day in trend]
        self.assertGreater(len(set(totals)), 1, totals)
        self.assertGreater(totals[0], 0)
        self.assertEqual(totals[-1], models.KnowledgeGap.objects.current().count())

    def test_time_to_close_has_medians_for_several_kinds(self):
        since = self.today - timedelta(days=TREND_DAYS - 1)  # closed within the last 90 days
        medians = models.KnowledgeGap.objects.median_days_to_close(since=since)
        self.assertGreaterEqual(len(medians), 3, medians)
        self.assertTrue(all(0 < days < 365 for days in medians.values()), medians)

    # --- candidate experts from the change log ---

    def history_as_admin(self):
        """What a superuser sees of the change-log evidence."""
        return History(Answers(get_user_model().objects.create_user(username="demo-admin", is_superuser=True)))

    def days_ago(self, moment):
        return (self.today - timezone.localdate(moment)).days

    def test_demo_users_are_people_and_one_sync_account(self):
        users = get_user_model().objects.filter(username__in=history.USERS)
        self.assertEqual(users.count(), len(history.USERS))
        self.assertFalse(any(user.has_usable_password() for user in users))
        self.assertFalse(users.filter(Q(is_superuser=True) | Q(is_staff=True)).exists())
        contact_of = activity.contacts_of_users()
        for user in users:
            contact = history.USERS[user.username]
            expected = Contact.objects.get(name=contact).pk if contact else None
            self.assertEqual(contact_of.get(user.pk), expected, user.username)
        # One person is mapped explicitly: his login e-mail is not his contact's.
        mapping = models.UserContact.objects.get()
        self.assertEqual((mapping.user.username, mapping.contact.name), ("xmoreau", "Xavier Moreau"))
        self.assertNotEqual(mapping.user.email.lower(), mapping.contact.email.lower())
        matched = users.exclude(username__in=("xmoreau", UNMAPPED_USER))
        self.assertEqual(matched.count(), 20)
        for user in matched:
            self.assertEqual(user.email, Contact.objects.get(name=history.USERS[user.username]).email)
        unmapped = set(activity.unmapped_users().values_list("username", flat=True))
        self.assertIn(UNMAPPED_USER, unmapped)
        self.assertFalse(unmapped & (set(history.USERS) - {UNMAPPED_USER}))

    def test_the_change_log_spans_nine_months_of_several_people(self):
        rows = ObjectChange.objects.filter(change_context_detail=history.MARK)
        self.assertEqual(rows.count(), len(history.story()))
        self.assertEqual(Note.objects.filter(user__username__in=history.USERS).count(), 9)
        ages = [self.days_ago(moment) for moment in rows.values_list("time", flat=True)]
        self.assertEqual((min(ages), max(ages)), (1, 268))
        self.assertLessEqual(max(rows.values_list("time", flat=True)), timezone.now())
        self.assertEqual(rows.values("user").distinct().count(), len(history.USERS))
        kinds = set(rows.values_list("changed_object_type__model", "action"))
        for kind in (("device", "create"), ("device", "update"), ("interface", "create"), ("interface", "update")):
            self.assertIn(kind, kinds)
        self.assertTrue({("circuit", "create"), ("virtualmachine", "update"), ("note", "create")} <= kinds)
        # An interface's change is the device's too.
        interface_changes = rows.filter(changed_object_type__model="interface")
        self.assertFalse(interface_changes.filter(related_object_id__isnull=True).exists())

    def test_the_guru_changes_one_technologys_devices_every_week(self):
        name, technology_name = CANDIDATE_EXPERT
        guru = get_user_model().objects.get(email=Contact.objects.get(name=name).email)
        days = sorted({self.days_ago(moment) for moment in guru.object_changes.values_list("time", flat=True)})
        self.assertEqual((days[0], days[-1]), (3, 262))
        self.assertTrue(all(later - earlier <= 7 for earlier, later in pairwise(days)), days)
        devices = Device.objects.filter(
            Q(pk__in=guru.object_changes.values("changed_object_id"))
            | Q(pk__in=guru.object_changes.values("related_object_id"))
        )
        self.assertEqual(set(devices.values_list("platform__name", flat=True)), {"ios-xe"})
        self.assertFalse(models.Skill.objects.filter(expert__contact__name=name, technology__name=technology_name))
        self.assertTrue(models.Skill.objects.filter(expert__contact__name=name).exists())

    def test_the_guru_is_the_one_candidate_expert(self):
        candidates = self.history_as_admin().candidates()
        self.assertEqual([(item.person_name, item.technology.name) for item in candidates], [CANDIDATE_EXPERT])
        guru = candidates[0]
        self.assertIsNone(guru.skill_level)
        self.assertEqual(guru.expert.contact.name, CANDIDATE_EXPERT[0])
        self.assertEqual(guru.suggested_level, 3)
        self.assertIn(f"expert={guru.expert.pk}", guru.record_skill_url)
        # 38 weekly changes, the two switches and their uplinks he added, one note: 43 on the ten London office
        # devices, which nobody else touched (each his alone: DOA / top DOA = 1).
        row = guru.activity
        self.assertEqual(
            (row.objects_touched, row.authored_objects, row.first_authorships, row.own_changes, row.others_changes),
            (10, 10, 2, 43, 0),
        )
        self.assertEqual(row.score, 10.0)
        self.assertEqual(self.days_ago(row.last_activity), 3)
        top = resolve_objects(get_user_model().objects.get(username="demo-admin"), [guru])[0].top_objects
        self.assertEqual(len(top), 5)
        self.assertTrue({obj.name for obj, _, _ in top} <= set(history.LONDON_OFFICE), top)

    def test_nobody_else_reaches_the_candidate_thresholds(self):
        busy = models.TechnologyActivity.objects.filter(own_changes__gte=10)
        # The guru's devices are also routers and switches, whose Routing (9 changes) and Switching he is qualified for.
        self.assertEqual(
            set(busy.values_list("contact__name", "technology__name")),
            {CANDIDATE_EXPERT, (CANDIDATE_EXPERT[0], "Switching")},
        )

    def test_one_fading_skill(self):
        fading = self.history_as_admin().fading_skills()
        self.assertEqual(
            [(item.skill.expert.contact.name, item.skill.technology.name) for item in fading], [FADING_SKILL]
        )
        item = fading[0]
        self.assertEqual(item.skill.level, 4)
        self.assertGreaterEqual(item.skill.level, item.skill.technology.qualified_level)
        self.assertEqual((self.today - item.skill.last_assessed).days, 185)
        self.assertEqual(self.days_ago(item.last_activity), 196)
        self.assertEqual(self.days_ago(item.technology_last_activity), 4)

    def test_recording_the_guru_skill_answers_the_candidate_and_closes_the_gap(self):
        name, technology_name = CANDIDATE_EXPERT
        tech = technology(technology_name)
        self.assertIn((technology_name, "single_expert"), self.current_gaps())
        models.Skill(
            expert=models.Expert.objects.get(contact__name=name), technology=tech, level=tech.qualified_level
        ).validated_save()
        self.assertEqual(self.history_as_admin().candidates(), [])
        ensure_fresh()
        self.assertNotIn((technology_name, "single_expert"), self.current_gaps())

    def test_loading_again_rewrites_the_history_instead_of_adding_to_it(self):
        demo_rows = ObjectChange.objects.filter(change_context_detail=history.MARK)
        counts = (ObjectChange.objects.count(), Note.objects.count(), demo_rows.count())
        newest = demo_rows.order_by("-time").first()
        # A row of an earlier version of the demo's story.
        stale = ObjectChange.objects.create(
            user_name="somebody",
            request_id=newest.request_id,
            action="update",
            changed_object_type=newest.changed_object_type,
            changed_object_id=newest.changed_object_id,
            object_repr=newest.object_repr,
            object_data={},
            change_context_detail=history.MARK,
        )
        # Loaded a week earlier: the same story, a week earlier.
        loader = load_demo(today=self.today - timedelta(days=7))
        self.assertEqual((ObjectChange.objects.count(), Note.objects.count(), demo_rows.count()), counts)
        self.assertFalse(ObjectChange.objects.filter(pk=stale.pk).exists())
        self.assertEqual(ObjectChange.objects.get(pk=newest.pk).time, newest.time - timedelta(days=7))
        tally = loader.tally["extras.ObjectChange"]
        self.assertEqual((tally["created"], tally["updated"], tally["deleted"]), (0, counts[2], 1))
        self.assertEqual(
            [(item.person_name, item.technology.name) for item in self.history_as_admin().candidates()],
            [CANDIDATE_EXPERT],
        )


class LoadDemoTransactionTest(TestCase):
    """The load is all or nothing."""

    def test_failure_late_in_the_load_leaves_nothing_behind(self):
        with mock.patch.object(custodianship, "load", side_effect=RuntimeError("boom")):
            with self.assertRaises(RuntimeError):
                load()
        self.assertFalse(Device.objects.exists())
        self.assertFalse(models.Technology.objects.exists())
        self.assertFalse(models.Skill.objects.exists())
