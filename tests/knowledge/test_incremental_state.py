"""The knowledge state follows every kind of change and then equals what a full rebuild computes."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from nautobot.apps.testing import TestCase
from nautobot.cloud.models import CloudService
from nautobot.dcim.models import Device, Location, Manufacturer
from nautobot.extras.models import ContactAssociation, DynamicGroup, Role
from nautobot.virtualization.models import Cluster, VirtualMachine

from nautobot_techmgmt.knowledge import state
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import (
    CustodianCoverage,
    ExpertCertification,
    KnowledgeGap,
    ObjectKnowledge,
    PendingChange,
    QualifiedExpert,
    Responsibility,
    TechnologyKnowledge,
    TechnologyScope,
)
from tests import fixtures


def snapshot():
    """Everything the state holds, in a comparable form (ids of rows left out: a rebuild makes new ones)."""
    objects = sorted(
        (
            str(row["technology_id"]),
            str(next(row[f"{field}_id"] for field in state.OBJECT_FIELDS.values() if row[f"{field}_id"])),
            *(str(row[name]) for name in state.ANSWER_FIELDS),
        )
        for row in ObjectKnowledge.objects.values(
            "technology_id", *(f"{field}_id" for field in state.OBJECT_FIELDS.values()), *state.ANSWER_FIELDS
        )
    )
    coverage = sorted(CustodianCoverage.objects.filter(objects_count__gt=0).values_list("group_key", "objects_count"))
    technologies = sorted(
        TechnologyKnowledge.objects.values_list("technology_id", "bus_factor", "vendor_covered", "gaps", "next_change")
    )
    qualified = sorted(
        QualifiedExpert.objects.values_list("technology_id", "expert_id", "internal", "has_capacity", "lapsing")
    )
    register = sorted(KnowledgeGap.objects.current().values_list("technology__name", "kind", "severity", "affected"))
    return {
        "objects": objects,
        "coverage": coverage,
        "technologies": technologies,
        "qualified": qualified,
        "register": register,
    }


class IncrementalStateTest(TestCase):
    """Each test changes one kind of thing, lets the state take it in, and compares with a rebuild."""

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.knowledge_estate()

    def setUp(self):
        super().setUp()
        rebuild_knowledge()
        self.inv = self.estate.inv

    def assert_equals_rebuild(self):
        """Take in what is pending, then check that a full rebuild finds exactly the same state."""
        state.ensure_fresh()
        self.assertFalse(PendingChange.objects.exists())
        incremental = snapshot()
        rebuild_knowledge()
        self.assertEqual(incremental, snapshot())
        return incremental

    def answer(self, technology, **target):
        return ObjectKnowledge.objects.with_answers().get(technology=technology, **target)

    # --- inventory ---

    def test_device_edited(self):
        router = self.inv["router"]
        router.platform = self.inv["linux"]
        router.validated_save()
        after = self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=router).technology, self.estate.linux)
        self.assertIn(("Linux", "no_custodian", "medium", {"devices": 2}), after["register"])

    def test_device_created_and_deleted(self):
        device = Device.objects.create(
            name="ams-rtr-9",
            device_type=self.inv["mx"],
            platform=self.inv["junos"],
            role=self.inv["router_role"],
            location=self.inv["site"],
            status=fixtures.status("Active"),
        )
        self.assert_equals_rebuild()
        self.assertTrue(ObjectKnowledge.objects.filter(device=device, technology=self.estate.junos).exists())
        device.delete()
        self.assert_equals_rebuild()
        self.assertEqual(
            CustodianCoverage.objects.filter(technology=self.estate.junos, objects_count__gt=0).get().objects_count, 2
        )

    def test_device_moved_to_another_location(self):
        Responsibility.objects.create(
            team=fixtures.team("Berlin Ops"), role="custodian", location=self.inv["other_site"]
        )
        server = self.inv["server"]
        server.location = self.inv["other_site"]
        server.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=server).custodian_team.name, "Berlin Ops")

    def test_cluster_edited_reaches_its_virtual_machines(self):
        cluster = self.inv["cluster"]
        cluster.location = self.inv["other_site"]
        cluster.validated_save()
        Responsibility.objects.create(
            team=fixtures.team("Berlin Ops"), role="custodian", location=self.inv["other_site"]
        )
        self.assert_equals_rebuild()

    # --- cloud services ---

    def cloud_scopes(self):
        """Linux on managed databases (by resource type); a custodian team on the account's provider."""
        TechnologyScope.objects.create(technology=self.estate.linux, cloud_resource_type=self.inv["rds"])
        TechnologyScope.objects.create(technology=self.estate.transit, manufacturer=self.inv["aws"])
        Responsibility.objects.create(
            team=fixtures.team("Cloud Ops"), role="custodian", cloud_account=self.inv["cloud_account"]
        )

    def test_cloud_service_created_edited_and_deleted(self):
        self.cloud_scopes()
        self.assert_equals_rebuild()
        service = CloudService.objects.create(
            name="billing-db", cloud_account=self.inv["cloud_account"], cloud_resource_type=self.inv["rds"]
        )
        self.assert_equals_rebuild()
        self.assertEqual(
            set(ObjectKnowledge.objects.filter(cloud_service=service).values_list("technology__name", flat=True)),
            {"Linux", "Transit"},
        )
        self.assertEqual(ObjectKnowledge.objects.filter(cloud_service=service).first().custodian_team.name, "Cloud Ops")
        service.cloud_resource_type = self.inv["s3"]
        service.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(
            set(ObjectKnowledge.objects.filter(cloud_service=service).values_list("technology__name", flat=True)),
            {"Transit"},
        )
        service_id = service.pk
        service.delete()
        self.assert_equals_rebuild()
        self.assertFalse(ObjectKnowledge.objects.filter(cloud_service_id=service_id).exists())

    def test_provider_of_a_cloud_account_or_resource_type_changed(self):
        self.cloud_scopes()
        self.assert_equals_rebuild()
        other = Manufacturer.objects.create(name="Other Cloud")
        Responsibility.objects.create(team=fixtures.team("Other Cloud Ops"), role="custodian", manufacturer=other)
        for record in (self.inv["rds"], self.inv["s3"]):
            record.provider = other
            record.validated_save()
        # The provider still reaches the services through their account.
        self.assert_equals_rebuild()
        self.assertEqual(
            ObjectKnowledge.objects.filter(cloud_service__isnull=False, technology=self.estate.transit).count(), 2
        )
        account = self.inv["cloud_account"]
        account.provider = other
        account.validated_save()
        self.assert_equals_rebuild()
        self.assertFalse(
            ObjectKnowledge.objects.filter(cloud_service__isnull=False, technology=self.estate.transit).exists()
        )

    def test_cloud_account_deleted(self):
        # Core sets the services' account to null without saving them; the state must follow all the same.
        self.cloud_scopes()
        self.assert_equals_rebuild()
        self.inv["cloud_account"].delete()
        after = self.assert_equals_rebuild()
        self.assertFalse(
            ObjectKnowledge.objects.filter(cloud_service__isnull=False, custodian_team__name="Cloud Ops").exists()
        )
        self.assertTrue(after["objects"])

    def test_cloud_service_moved_to_another_account(self):
        from nautobot.cloud.models import CloudAccount  # pylint: disable=import-outside-toplevel

        self.cloud_scopes()
        other = CloudAccount.objects.create(name="sandbox", account_number="3", provider=self.inv["aws"])
        Responsibility.objects.create(team=fixtures.team("Sandbox Ops"), role="custodian", cloud_account=other)
        bucket = self.inv["bucket"]
        bucket.cloud_account = other
        bucket.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(cloud_service=bucket).custodian_team.name, "Sandbox Ops")

    # --- rules ---

    def test_scope_added_changed_and_removed(self):
        scope = TechnologyScope.objects.create(technology=self.estate.linux, device_type=self.inv["mx"])
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.filter(technology=self.estate.linux).count(), 3)
        scope.device_type = None
        scope.location = self.inv["other_site"]
        scope.validated_save()
        self.assert_equals_rebuild()
        scope.delete()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.filter(technology=self.estate.linux).count(), 1)

    def test_custodian_rule_on_a_location_subtree(self):
        team = fixtures.team("Europe Ops", members=[self.estate.ada.contact])
        rule = Responsibility.objects.create(team=team, role="custodian", location=self.inv["region"])
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_team, team)
        rule.delete()
        self.assert_equals_rebuild()
        self.assertFalse(ObjectKnowledge.objects.get(device=self.inv["server"]).has_custodian)

    def test_custodian_rule_on_a_dynamic_group_and_its_members_changing(self):
        group = DynamicGroup.objects.create(
            name="Pinned", content_type=ContentType.objects.get_for_model(Device), group_type="static"
        )
        group.add_members([self.inv["server"]])
        Responsibility.objects.create(team=fixtures.team("Pinned Ops"), role="custodian", dynamic_group=group)
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_team.name, "Pinned Ops")
        group.remove_members([self.inv["server"]])
        group.add_members([self.inv["router"]])
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["router"]).custodian_team.name, "Pinned Ops")

    def test_dynamic_group_cache_refresh_without_signals(self):
        group = DynamicGroup.objects.create(
            name="Routers by filter", content_type=ContentType.objects.get_for_model(Device), filter={"name": ["x"]}
        )
        Responsibility.objects.create(team=fixtures.team("Filter Ops"), role="custodian", dynamic_group=group)
        self.assert_equals_rebuild()
        cache.delete(state.GROUPS_CHECKED_KEY)
        state.ensure_fresh()  # notes the time the members were last looked at
        group.filter = {"role": ["Router"]}
        group.save(update_cached_members=False)
        group.update_cached_members()  # bulk-created associations: no signal per member
        cache.delete(state.GROUPS_CHECKED_KEY)
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["router"]).custodian_team.name, "Filter Ops")

    def test_custodian_rule_on_device_type_and_manufacturer_change(self):
        Responsibility.objects.create(team=fixtures.team("Dell Ops"), role="custodian", manufacturer=self.inv["dell"])
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_team.name, "Dell Ops")
        mx = self.inv["mx"]
        mx.manufacturer = self.inv["dell"]
        mx.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["router"]).custodian_team.name, "Dell Ops")

    def test_location_moved_under_another_parent(self):
        other_region = Location.objects.create(
            name="Elsewhere", location_type=self.inv["region"].location_type, status=fixtures.status("Active")
        )
        Responsibility.objects.create(team=fixtures.team("Elsewhere Ops"), role="custodian", location=other_region)
        site = self.inv["site"]
        site.parent = other_region
        site.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_team.name, "Elsewhere Ops")

    def test_renamed_rule_target_renames_the_source(self):
        platform = self.inv["junos"]
        Responsibility.objects.create(team=fixtures.team("Junos Ops"), role="custodian", platform=platform)
        platform.name = "junos-evo"
        platform.validated_save()
        after = self.assert_equals_rebuild()
        self.assertIn("junos-evo", ObjectKnowledge.objects.filter(device=self.inv["router"]).get().custodian_source)
        self.assertTrue(after["objects"])

    def test_technology_custodian_team_changed(self):
        self.estate.linux.custodian_team = self.estate.team
        self.estate.linux.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_team, self.estate.team)

    def test_core_contact_association_as_custodian(self):
        association = ContactAssociation.objects.create(
            contact=self.estate.ada.contact,
            associated_object_type=ContentType.objects.get_for_model(Device),
            associated_object_id=self.inv["server"].pk,
            role=Role.objects.get(name="Custodian"),
            status=fixtures.status("Active"),
        )
        self.assert_equals_rebuild()
        self.assertEqual(ObjectKnowledge.objects.get(device=self.inv["server"]).custodian_expert, self.estate.ada)
        association.delete()
        self.assert_equals_rebuild()

    def test_team_deleted(self):
        team = fixtures.team("Short-lived")
        self.estate.linux.custodian_team = team
        self.estate.linux.validated_save()
        self.assert_equals_rebuild()
        team.delete()
        self.assert_equals_rebuild()
        self.assertFalse(ObjectKnowledge.objects.get(device=self.inv["server"]).has_custodian)

    # --- people: never rewrites object rows ---

    def test_skill_change_recomputes_the_technology_only(self):
        before = dict(ObjectKnowledge.objects.values_list("pk", "refreshed"))
        fixtures.skill(self.estate.bob, self.estate.junos, 5)
        self.assert_equals_rebuild_keeping_object_rows(before)
        self.assertEqual(self.answer(self.estate.junos, device=self.inv["router"]).bus_factor, 2)
        self.assertNotIn("single_expert", self.answer(self.estate.junos, device=self.inv["router"]).gaps)

    def assert_equals_rebuild_keeping_object_rows(self, before):
        state.ensure_fresh()
        self.assertEqual(dict(ObjectKnowledge.objects.values_list("pk", "refreshed")), before)
        self.assert_equals_rebuild()

    def test_expert_status_changed(self):
        before = dict(ObjectKnowledge.objects.values_list("pk", "refreshed"))
        ada = self.estate.ada
        ada.status = fixtures.status("On Leave")
        ada.validated_save()
        self.assert_equals_rebuild_keeping_object_rows(before)
        # Nobody is qualified, so neither is any member of the custodian team.
        self.assertEqual(
            self.answer(self.estate.junos, device=self.inv["router"]).gaps,
            ["no_expert", "custodian_lacks_skill", "no_primary_support"],
        )

    def test_team_membership_changes_the_custodian_gap(self):
        before = dict(ObjectKnowledge.objects.values_list("pk", "refreshed"))
        self.estate.team.contacts.remove(self.estate.ada.contact)
        self.assert_equals_rebuild_keeping_object_rows(before)
        self.assertIn("custodian_lacks_skill", self.answer(self.estate.junos, device=self.inv["router"]).gaps)
        self.assertIn(("Junos", "custodian_lacks_skill"), [row[:2] for row in snapshot()["register"]])

    def test_certification_required_and_held(self):
        self.estate.junos.certification_required = True
        self.estate.junos.validated_save()
        self.assert_equals_rebuild()
        self.assertEqual(self.answer(self.estate.junos, device=self.inv["router"]).bus_factor, 0)
        jncia = fixtures.certification("JNCIA", [self.estate.junos], validity_months=24)
        fixtures.held_certification(self.estate.ada, jncia, date.today() - timedelta(days=10))
        self.assert_equals_rebuild()
        self.assertEqual(self.answer(self.estate.junos, device=self.inv["router"]).bus_factor, 1)

    def test_agreement_and_support_contract(self):
        fixtures.agreement(self.estate.ada, self.estate.team, 4, date.today() - timedelta(days=1))
        self.assert_equals_rebuild()
        self.assertNotIn("no_capacity", self.answer(self.estate.junos, device=self.inv["router"]).gaps)
        contract = fixtures.support_contract(
            fixtures.supplier("Linux Help"), "LH-1", [self.estate.linux], start_date=date.today() - timedelta(days=5)
        )
        self.assert_equals_rebuild()
        self.assertIn("vendor_only", self.answer(self.estate.linux, device=self.inv["server"]).gaps)
        contract.technologies.remove(self.estate.linux)
        self.assert_equals_rebuild()
        self.assertIn("no_expert", self.answer(self.estate.linux, device=self.inv["server"]).gaps)

    # --- time ---

    def test_certification_lapsing_takes_effect_on_its_day(self):
        self.estate.junos.certification_required = True
        self.estate.junos.validated_save()
        jncia = fixtures.certification("JNCIA", [self.estate.junos])
        held = fixtures.held_certification(
            self.estate.ada, jncia, date.today() - timedelta(days=100), expires_on=date.today()
        )
        self.assert_equals_rebuild()
        self.assertEqual(self.answer(self.estate.junos, device=self.inv["router"]).bus_factor, 1)
        self.assertEqual(
            TechnologyKnowledge.objects.get(pk=self.estate.junos.pk).next_change, date.today() + timedelta(days=1)
        )
        # The next day has come (its date in the data moved back by one, without a signal, as time would).
        ExpertCertification.objects.filter(pk=held.pk).update(expires_on=date.today() - timedelta(days=1))
        TechnologyKnowledge.objects.filter(pk=self.estate.junos.pk).update(next_change=date.today())
        cache.delete(state.SWEPT_KEY)
        self.assert_equals_rebuild()
        self.assertEqual(self.answer(self.estate.junos, device=self.inv["router"]).bus_factor, 0)


class VirtualMachineStateTest(TestCase):
    """A virtual machine moved to another cluster takes that cluster's type and location."""

    def test_virtual_machine_moved(self):
        estate = fixtures.knowledge_estate()
        rebuild_knowledge()
        other = Cluster.objects.create(
            name="ams-cl-2", cluster_type=estate.inv["cluster_type"], location=estate.inv["other_site"]
        )
        vm = VirtualMachine.objects.get(pk=estate.inv["vm"].pk)
        vm.cluster = other
        vm.validated_save()
        state.ensure_fresh()
        incremental = snapshot()
        rebuild_knowledge()
        self.assertEqual(incremental, snapshot())
