"""The demo data command: what it creates, that it is idempotent, and that it shows every knowledge gap."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db.models import Max, Q
from django.utils import timezone
from nautobot.apps.testing import TestCase
from nautobot.circuits.models import Circuit
from nautobot.cloud.models import CloudService
from nautobot.dcim.models import Device, Location
from nautobot.extras.models import Contact, ContactAssociation, DynamicGroup, StaticGroupAssociation, Team
from nautobot.virtualization.models import Cluster, VirtualMachine

from nautobot_techmgmt import models
from nautobot_techmgmt.choices import (
    EmploymentTypeChoices,
    GapSeverityChoices,
    GapStatusChoices,
    ResponsibilityRoleChoices,
)
from nautobot_techmgmt.demo import GAP_DEMONSTRATIONS, NOT_IN_USE, custodianship, register
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.knowledge.state import ensure_fresh
from nautobot_techmgmt.models.targets import TARGET_FIELDS

WARNING_DAYS = 90
TREND_DAYS = 90


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


def custodians_over(tech, devices):
    """Custodian responsibilities and core custodian associations that apply to `tech` on any of `devices`."""
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
    responsibilities = models.Responsibility.objects.filter(
        Q(technology=tech) | Q(technology__isnull=True), on_targets, role=ResponsibilityRoleChoices.CUSTODIAN
    )
    associations = ContactAssociation.objects.filter(
        role__name="Custodian", associated_object_id__in=[d.pk for d in devices] + list(locations)
    )
    return list(responsibilities) + list(associations)


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
    )

    def snapshot(self):
        counts = {model.__name__: model.objects.count() for model in self.COUNTED_MODELS}
        counts["team members"] = Team.contacts.through.objects.count()
        counts["certification technologies"] = models.Certification.technologies.through.objects.count()
        counts["last technology update"] = models.Technology.objects.aggregate(Max("last_updated"))
        counts["last skill update"] = models.Skill.objects.aggregate(Max("last_updated"))
        counts["last device update"] = Device.objects.aggregate(Max("last_updated"))
        counts["gap register"] = list(
            models.KnowledgeGap.objects.order_by("pk").values_list(
                "pk", "status", "opened", "closed", "risk_accepted_until", "last_updated"
            )
        )
        counts["gap training plans"] = models.KnowledgeGap.training_plans.through.objects.count()
        return counts

    def test_second_run_changes_nothing(self):
        before = self.snapshot()
        output = load()
        self.assertEqual(self.snapshot(), before)
        self.assertIn("nothing changed", output)
        total = next(line for line in output.splitlines() if line.startswith("total"))
        self.assertEqual(total.split()[1:3], ["0", "0"])

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

    def test_not_in_use(self):
        tech = technology(NOT_IN_USE)
        self.assertFalse(in_use(tech))
        self.assertEqual(qualified_experts(tech, self.today).count(), 0)

    def test_technology_level_gaps_are_exactly_the_documented_ones(self):
        expected = {
            name: {kind}
            for kind, name in GAP_DEMONSTRATIONS.items()
            if kind not in ("custodian_lacks_skill", "no_custodian")
        }
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


class LoadDemoTransactionTest(TestCase):
    """The load is all or nothing."""

    def test_failure_late_in_the_load_leaves_nothing_behind(self):
        with mock.patch.object(custodianship, "load", side_effect=RuntimeError("boom")):
            with self.assertRaises(RuntimeError):
                load()
        self.assertFalse(Device.objects.exists())
        self.assertFalse(models.Technology.objects.exists())
        self.assertFalse(models.Skill.objects.exists())
