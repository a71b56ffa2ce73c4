"""What deleting a core or app object does to the app's rows, through the UI and REST, and the change log they leave.

docs/admin/data_safety.md lists the same rules for administrators.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from nautobot.apps.choices import ObjectChangeActionChoices
from nautobot.apps.testing import APITestCase
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.cloud.models import CloudAccount, CloudResourceType, CloudService
from nautobot.dcim.models import Device, DeviceType, Location, Manufacturer, Platform, SoftwareVersion
from nautobot.extras.models import Contact, DynamicGroup, ObjectChange, Role, Team
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

from nautobot_techmgmt import models
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models.targets import TARGET_FIELDS
from tests import fixtures

# Core REST endpoint of each target field's model.
TARGET_ENDPOINTS = {
    "device": "dcim/devices",
    "circuit": "circuits/circuits",
    "virtual_machine": "virtualization/virtual-machines",
    "cluster": "virtualization/clusters",
    "cloud_service": "cloud/cloud-services",
    "dynamic_group": "extras/dynamic-groups",
    "device_type": "dcim/device-types",
    "platform": "dcim/platforms",
    "software_version": "dcim/software-versions",
    "device_role": "extras/roles",
    "circuit_type": "circuits/circuit-types",
    "provider": "circuits/providers",
    "cluster_type": "virtualization/cluster-types",
    "cloud_resource_type": "cloud/cloud-resource-types",
    "cloud_account": "cloud/cloud-accounts",
    "manufacturer": "dcim/manufacturers",
    "location": "dcim/locations",
}


def unused_targets(inv):
    """One new object of every target kind that nothing in core depends on, so core lets it be deleted."""
    active = fixtures.status("Active")
    role = Role.objects.create(name="Spare role")
    role.content_types.add(ContentType.objects.get_for_model(Device))
    return {
        "device": Device.objects.create(
            name="spare-1", device_type=inv["r750"], role=inv["server_role"], location=inv["site"], status=active
        ),
        "circuit": Circuit.objects.create(
            cid="SPARE-1", provider=inv["provider"], circuit_type=inv["circuit_type"], status=active
        ),
        "virtual_machine": VirtualMachine.objects.create(name="spare-vm", cluster=inv["cluster"], status=active),
        "cluster": Cluster.objects.create(name="spare-cluster", cluster_type=inv["cluster_type"]),
        "cloud_service": CloudService.objects.create(name="spare-service", cloud_resource_type=inv["s3"]),
        "dynamic_group": DynamicGroup.objects.create(
            name="Spare group", content_type=ContentType.objects.get_for_model(Device), filter={}
        ),
        "device_type": DeviceType.objects.create(manufacturer=inv["dell"], model="Spare"),
        "platform": Platform.objects.create(name="spare-os"),
        "software_version": SoftwareVersion.objects.create(platform=inv["linux"], version="0.1", status=active),
        "device_role": role,
        "circuit_type": CircuitType.objects.create(name="Spare circuits"),
        "provider": Provider.objects.create(name="Spare provider"),
        "cluster_type": ClusterType.objects.create(name="Spare clusters"),
        "cloud_resource_type": CloudResourceType.objects.create(name="Spare resources", provider=inv["aws"]),
        "cloud_account": CloudAccount.objects.create(name="spare-account", account_number="0", provider=inv["aws"]),
        "manufacturer": Manufacturer.objects.create(name="Spare maker"),
        "location": Location.objects.create(
            name="Spare site", location_type=inv["site"].location_type, parent=inv["region"], status=active
        ),
    }


class DeleteTestCase(APITestCase):
    """A superuser on the REST API and the UI."""

    @classmethod
    def setUpTestData(cls):
        cls.people = fixtures.people_estate()
        cls.inv = fixtures.inventory()

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()
        self.client.force_login(self.user)

    def rest_delete(self, path, obj):
        return self.client.delete(f"/api/{path}/{obj.pk}/", **self.header)

    def ui_delete(self, obj):
        """POST the confirmed delete form of the object's UI; the response, not followed."""
        view_name = f"{obj._meta.app_label}:{obj._meta.model_name}_delete"
        if obj._meta.app_label == "nautobot_techmgmt":
            view_name = f"plugins:{view_name}"
        return self.client.post(reverse(view_name, kwargs={"pk": obj.pk}), {"confirm": True})

    def assert_ui_refuses(self, obj, *dependents):
        """The UI delete goes back to the object with an error message naming the dependents; nothing is deleted."""
        response = self.ui_delete(obj)
        self.assertHttpStatus(response, 302)
        self.assertEqual(response.url, obj.get_absolute_url())
        message = list(get_messages(response.wsgi_request))[-1]
        self.assertEqual(message.level, messages.ERROR)
        self.assertIn("because they are referenced through protected foreign keys", str(message))
        for dependent in dependents:
            self.assertIn(dependent.get_absolute_url(), str(message))
        self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())

    def assert_rest_refuses(self, path, obj, *dependents):
        """REST answers 409 with a message naming the dependents; nothing is deleted."""
        response = self.rest_delete(path, obj)
        self.assertHttpStatus(response, 409)
        detail = response.json()["detail"]
        self.assertIn("dependent objects were found", detail)
        for dependent in dependents:
            self.assertIn(str(dependent.pk), detail)
        self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())


class CoreDeletesTest(DeleteTestCase):
    """Deleting an inventory object or rule target removes the scopes and responsibilities that point at it."""

    def test_every_target_kind_cascades_to_scopes_and_responsibilities(self):
        junos = self.people.technologies[0]
        team = self.people.teams[0]
        for field_name, target in unused_targets(self.inv).items():
            with self.subTest(target=field_name):
                scope = models.TechnologyScope.objects.create(technology=junos, **{field_name: target})
                responsibility = models.Responsibility.objects.create(
                    team=team, role="custodian", **{field_name: target}
                )
                self.assertHttpStatus(self.rest_delete(TARGET_ENDPOINTS[field_name], target), 204)
                self.assertFalse(models.TechnologyScope.objects.filter(pk=scope.pk).exists())
                self.assertFalse(models.Responsibility.objects.filter(pk=responsibility.pk).exists())
                # The cascade is in the change log too, under the user who deleted the target.
                removed = ObjectChange.objects.filter(
                    action=ObjectChangeActionChoices.ACTION_DELETE, changed_object_id__in=[scope.pk, responsibility.pk]
                )
                self.assertEqual(set(removed.values_list("user", flat=True)), {self.user.pk})
                self.assertEqual(removed.count(), 2)
        for field_name in TARGET_FIELDS:  # no row points at a deleted object
            for model in (models.TechnologyScope, models.Responsibility):
                related = model._meta.get_field(field_name).related_model
                orphans = model.objects.filter(**{f"{field_name}__isnull": False}).exclude(
                    **{f"{field_name}__in": related.objects.all()}
                )
                self.assertFalse(orphans.exists())

    def test_deleting_inventory_objects_removes_their_object_knowledge(self):
        junos, linux = self.people.technologies[:2]
        models.TechnologyScope.objects.create(technology=junos, platform=self.inv["junos"])
        models.TechnologyScope.objects.create(technology=linux, cluster_type=self.inv["cluster_type"])
        models.TechnologyScope.objects.create(technology=linux, provider=self.inv["provider"])
        models.TechnologyScope.objects.create(technology=linux, cloud_resource_type=self.inv["rds"])
        rebuild_knowledge()
        for field_name, path, obj in (
            ("device", "dcim/devices", self.inv["router"]),
            ("circuit", "circuits/circuits", self.inv["circuit"]),
            ("virtual_machine", "virtualization/virtual-machines", self.inv["vm"]),
            ("cluster", "virtualization/clusters", self.inv["cluster"]),
            ("cloud_service", "cloud/cloud-services", self.inv["database"]),
        ):
            with self.subTest(target=field_name):
                self.assertTrue(models.ObjectKnowledge.objects.filter(**{field_name: obj}).exists())
                self.assertHttpStatus(self.rest_delete(path, obj), 204)
                self.assertFalse(models.ObjectKnowledge.objects.filter(**{f"{field_name}_id": obj.pk}).exists())
        self.assertTrue(models.ObjectKnowledge.objects.filter(device=self.inv["other_router"]).exists())

    def test_team_with_responsibilities_or_agreements_is_protected(self):
        team, agreed = self.people.teams[0], self.people.teams[1]
        responsibility = models.Responsibility.objects.create(
            team=team, role="custodian", technology=self.people.technologies[0]
        )
        agreement = fixtures.agreement(self.people.experts[0], agreed, 4, fixtures.TODAY)
        self.assert_ui_refuses(team, responsibility)
        self.assert_rest_refuses("extras/teams", team, responsibility)
        self.assert_rest_refuses("extras/teams", agreed, agreement)

    def test_deleting_a_team_clears_it_where_it_is_a_default(self):
        team = Team.objects.create(name="Short-lived")
        junos = self.people.technologies[0]
        junos.custodian_team = team
        junos.save()
        alice = self.people.experts[0]
        alice.home_team = team
        alice.save()
        self.assertHttpStatus(self.rest_delete("extras/teams", team), 204)
        junos.refresh_from_db()
        alice.refresh_from_db()
        self.assertEqual((junos.custodian_team, alice.home_team), (None, None))

    def test_contact_of_an_expert_is_protected(self):
        alice = self.people.experts[0]
        self.assert_ui_refuses(alice.contact, alice)
        self.assert_rest_refuses("extras/contacts", alice.contact, alice)

    def test_deleting_a_contact_clears_it_as_manager_or_assessor(self):
        manager = self.people.managers[0]
        junos = self.people.technologies[0]
        junos.technical_manager = manager
        junos.save()
        bob = self.people.experts[1]
        bob.line_manager = manager
        bob.save()
        skill = fixtures.skill(bob, junos, 3, assessed_by=manager)
        agreement = fixtures.agreement(bob, self.people.teams[0], 4, fixtures.TODAY, line_manager=manager)
        self.assertHttpStatus(self.rest_delete("extras/contacts", manager), 204)
        for obj, field_name in ((junos, "technical_manager"), (bob, "line_manager"), (skill, "assessed_by")):
            obj.refresh_from_db()
            self.assertIsNone(getattr(obj, field_name))
        agreement.refresh_from_db()
        self.assertIsNone(agreement.line_manager)
        self.assertFalse(Contact.objects.filter(pk=manager.pk).exists())


class AppDeletesTest(DeleteTestCase):
    """Deleting the app's own objects: refused while others depend on them, cascading where they own the rows."""

    def test_technology_in_use_is_protected_by_each_kind_of_dependent(self):
        alice = self.people.experts[0]
        for name, make in (
            ("skills", lambda tech: fixtures.skill(alice, tech, 3)),
            ("scopes", lambda tech: models.TechnologyScope.objects.create(technology=tech, platform=self.inv["junos"])),
            (
                "responsibilities",
                lambda tech: models.Responsibility.objects.create(
                    team=self.people.teams[0], role="custodian", technology=tech
                ),
            ),
            ("training plans", lambda tech: fixtures.training_plan(alice, tech, 3)),
        ):
            with self.subTest(dependent=name):
                technology = fixtures.technology(f"Protected by {name}")
                dependent = make(technology)
                self.assert_ui_refuses(technology, dependent)
                self.assert_rest_refuses("plugins/techmgmt/technologies", technology, dependent)

    def test_unused_technology_is_deleted_with_its_materialised_rows(self):
        technology = fixtures.technology("Retired")
        models.TechnologyScope.objects.create(technology=technology, platform=self.inv["linux"])
        rebuild_knowledge()
        models.TechnologyScope.objects.filter(technology=technology).delete()
        self.assertTrue(models.ObjectKnowledge.objects.filter(technology=technology).exists())
        certification = self.people.certifications[0]
        certification.technologies.add(technology)
        response = self.ui_delete(technology)
        self.assertHttpStatus(response, 302)
        self.assertFalse(models.Technology.objects.filter(pk=technology.pk).exists())
        self.assertFalse(models.ObjectKnowledge.objects.filter(technology_id=technology.pk).exists())
        self.assertTrue(models.Certification.objects.filter(pk=certification.pk).exists())

    def test_certification_held_and_supplier_under_contract_are_protected(self):
        held = fixtures.held_certification(self.people.experts[0], self.people.certifications[0], fixtures.TODAY)
        self.assert_rest_refuses("plugins/techmgmt/certifications", self.people.certifications[0], held)
        contract = fixtures.support_contract(self.people.supplier, "SC-1")
        self.assert_ui_refuses(self.people.supplier, contract)
        self.assert_rest_refuses("plugins/techmgmt/suppliers", self.people.supplier, contract)

    def test_deleting_an_expert_removes_what_is_theirs(self):
        alice = self.people.experts[0]
        junos = self.people.technologies[0]
        owned = [
            fixtures.skill(alice, junos, 4),
            fixtures.held_certification(alice, self.people.certifications[0], fixtures.TODAY),
            fixtures.agreement(alice, self.people.teams[0], 4, fixtures.TODAY),
            fixtures.training_plan(alice, junos, 5),
            models.Responsibility.objects.create(expert=alice, role="escalation", technology=junos),
        ]
        self.assertHttpStatus(self.rest_delete("plugins/techmgmt/experts", alice), 204)
        for obj in owned:
            self.assertFalse(type(obj).objects.filter(pk=obj.pk).exists())
        self.assertTrue(Contact.objects.filter(pk=alice.contact_id).exists())  # the person stays in core


class ChangeLogTest(DeleteTestCase):
    """Creating, changing and deleting through REST leaves ObjectChange records with the data before and after."""

    def changes(self, obj):
        return list(
            ObjectChange.objects.filter(
                changed_object_type=ContentType.objects.get_for_model(type(obj)), changed_object_id=obj.pk
            ).order_by("time")
        )

    def check_change_log(self, model, endpoint, payload, change, field_name):
        created = self.client.post(f"/api/plugins/techmgmt/{endpoint}/", payload, format="json", **self.header)
        self.assertHttpStatus(created, 201)
        pk = created.json()["id"]
        url = f"/api/plugins/techmgmt/{endpoint}/{pk}/"
        self.assertHttpStatus(self.client.patch(url, change, format="json", **self.header), 200)
        self.assertHttpStatus(self.client.delete(url, **self.header), 204)
        records = self.changes(model(pk=pk))
        self.assertEqual(
            [record.action for record in records],
            [
                ObjectChangeActionChoices.ACTION_CREATE,
                ObjectChangeActionChoices.ACTION_UPDATE,
                ObjectChangeActionChoices.ACTION_DELETE,
            ],
        )
        self.assertTrue(all(record.user == self.user for record in records))
        update = records[1].get_snapshots()
        self.assertEqual(update["prechange"][field_name], payload[field_name])
        self.assertEqual(update["postchange"][field_name], change[field_name])
        self.assertEqual(records[2].get_snapshots()["prechange"][field_name], change[field_name])

    def test_responsibility(self):
        self.check_change_log(
            models.Responsibility,
            "responsibilities",
            {
                "team": str(self.people.teams[0].pk),
                "role": "custodian",
                "technology": str(self.people.technologies[0].pk),
            },
            {"role": "escalation"},
            "role",
        )

    def test_skill(self):
        self.check_change_log(
            models.Skill,
            "skills",
            {"expert": str(self.people.experts[0].pk), "technology": str(self.people.technologies[0].pk), "level": 2},
            {"level": 4},
            "level",
        )
