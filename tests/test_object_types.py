"""The registry of object types and rule targets: every entry resolves; a core model of another shape fails loudly."""

import dataclasses

from django.test import SimpleTestCase
from django.urls import reverse
from nautobot.apps.testing import TestCase
from nautobot.core.tables import BaseTable

from nautobot_techmgmt import filter_extensions, table_extensions, template_content
from nautobot_techmgmt.api.knowledge import InUseSerializer
from nautobot_techmgmt.forms.targets import InventoryTargetFormMixin
from nautobot_techmgmt.knowledge import schema
from nautobot_techmgmt.knowledge.inventory import in_use_pairs
from nautobot_techmgmt.models import ObjectKnowledge, Responsibility, TechnologyScope
from nautobot_techmgmt.object_types import (
    OBJECT_TYPES,
    OBJECT_TYPES_BY_FIELD,
    RULE_TARGETS,
    RULE_TARGETS_BY_FIELD,
    TARGET_FIELDS,
    TARGET_MODELS,
)
from tests import fixtures


class RegistryResolvesTest(SimpleTestCase):
    """Each entry of object_types.py names models, fields, views and tables that exist."""

    def test_the_engine_sql_resolves_against_the_installed_nautobot(self):
        schema.check_schema()  # raises SchemaMismatch naming the model and field at fault

    def test_every_relation_path_ends_at_its_rule_target_model(self):
        for object_type in OBJECT_TYPES:
            for target_field, paths in object_type.reach.items():
                for path in paths:
                    with self.subTest(object_type=object_type.key, path=path):
                        hops = schema.resolve_path(
                            object_type.model, path, RULE_TARGETS_BY_FIELD[target_field].model_label
                        )
                        self.assertEqual(
                            hops[-1].related_model._meta.label_lower,
                            RULE_TARGETS_BY_FIELD[target_field].model_label.lower(),
                        )
                        # A step on the way must be a rule target or an object type: signals watch only those.
                        for hop in hops[:-1]:
                            label = hop.related_model._meta.label_lower
                            self.assertIn(label, {label.lower() for label in TARGET_MODELS.values()}, path)

    def test_a_tree_target_is_reached_by_one_path(self):
        # Custodian resolution walks one chain of ancestors per object.
        for object_type in OBJECT_TYPES:
            for target in RULE_TARGETS:
                if target.tree_parent:
                    self.assertLessEqual(len(object_type.reach.get(target.field, ())), 1, object_type.key)

    def test_target_fields_are_unique_and_on_every_model_that_points_at_targets(self):
        self.assertEqual(len(TARGET_FIELDS), len(set(TARGET_FIELDS)))
        for model in (TechnologyScope, Responsibility):
            for name, label in TARGET_MODELS.items():
                with self.subTest(model=model.__name__, field=name):
                    field = model._meta.get_field(name)
                    self.assertEqual(field.related_model._meta.label_lower, label.lower())
                    self.assertEqual(field.remote_field.on_delete.__name__, "CASCADE")
        for object_type in OBJECT_TYPES:
            field = ObjectKnowledge._meta.get_field(object_type.field)
            self.assertEqual(field.related_model._meta.label_lower, object_type.label_lower)
            self.assertEqual(field.remote_field.related_name, "techmgmt_knowledge")

    def test_every_surface_has_every_object_type(self):
        for object_type in OBJECT_TYPES:
            with self.subTest(object_type=object_type.key):
                reverse(object_type.list_view)
                self.assertIn(object_type.key, InUseSerializer().fields)
                self.assertIn(object_type.field, InventoryTargetFormMixin.base_fields)
                self.assertIn(
                    object_type.label_lower, [extension.model for extension in template_content.template_extensions]
                )
                self.assertIn(object_type.label_lower, [e.model for e in filter_extensions.filter_extensions])
                suffixes = {
                    e.suffix or "Table" for e in table_extensions.table_extensions if e.model == object_type.label_lower
                }
                self.assertEqual(suffixes, set(object_type.table_suffixes))
                tables = {cls.__name__ for cls in _core_tables(object_type) if issubclass(cls, BaseTable)}
                for suffix in object_type.table_suffixes:
                    self.assertIn(f"{object_type.class_name}{suffix}", tables)


def _core_tables(object_type):
    """The table classes of the object type's app."""
    import importlib  # pylint: disable=import-outside-toplevel

    module = importlib.import_module(f"nautobot.{object_type.app_label}.tables")
    return [value for value in vars(module).values() if isinstance(value, type)]


class SchemaMismatchTest(SimpleTestCase):
    """A relation path that no longer fits the core model fails with the model and field named."""

    def broken(self, **reach):
        return dataclasses.replace(OBJECT_TYPES_BY_FIELD["device"], reach=reach)

    def test_a_field_that_is_gone(self):
        with self.assertRaisesMessage(schema.SchemaMismatch, "dcim.DeviceType.vendor does not exist any more"):
            schema.object_sql(self.broken(manufacturer=("device_type__vendor",)))

    def test_a_foreign_key_that_points_elsewhere(self):
        with self.assertRaisesMessage(
            schema.SchemaMismatch, "dcim.Device.location points at dcim.Location, not at dcim.Platform any more"
        ):
            schema.object_sql(self.broken(platform=("location",)))

    def test_a_field_that_is_no_longer_a_foreign_key(self):
        with self.assertRaisesMessage(schema.SchemaMismatch, "dcim.Device.name is no longer a foreign key"):
            schema.object_sql(self.broken(platform=("name",)))

    def test_a_model_that_is_gone(self):
        gone = dataclasses.replace(OBJECT_TYPES_BY_FIELD["device"], model_label="dcim.Appliance")
        with self.assertRaisesMessage(schema.SchemaMismatch, "Model dcim.Appliance does not exist any more"):
            schema.object_sql(gone)

    def test_tables_and_columns_come_from_model_metadata(self):
        sql = schema.object_sql(OBJECT_TYPES_BY_FIELD["device"])
        self.assertEqual(sql.table, '"dcim_device"')
        self.assertEqual(sql.paths["manufacturer"][0].column, 'j_device_type."manufacturer_id"')
        self.assertEqual(sql.paths["device_role"][0].column, 'o."role_id"')


class CloudServiceMatchingTest(TestCase):
    """A cloud service is matched by scopes on itself, its account, its resource type, its provider and a group."""

    @classmethod
    def setUpTestData(cls):
        cls.inv = fixtures.inventory()
        cls.technology = fixtures.technology("Managed PostgreSQL")

    def matched(self):
        cloud_service = OBJECT_TYPES_BY_FIELD["cloud_service"]
        return {object_id for _, object_id in in_use_pairs(cloud_service)}

    def test_each_rule_target(self):
        inv = self.inv
        database, bucket = inv["database"], inv["bucket"]
        for target, expected in (
            ({"cloud_service": database}, {database.pk}),
            ({"cloud_resource_type": inv["rds"]}, {database.pk}),
            ({"cloud_account": inv["cloud_account"]}, {database.pk, bucket.pk}),
            ({"manufacturer": inv["aws"]}, {database.pk, bucket.pk}),
            ({"manufacturer": inv["juniper"]}, set()),
        ):
            with self.subTest(target=next(iter(target))):
                scope = TechnologyScope.objects.create(technology=self.technology, **target)
                self.assertEqual(self.matched(), expected)
                scope.delete()

    def test_provider_of_the_account_or_of_the_resource_type(self):
        from nautobot.cloud.models import CloudAccount  # pylint: disable=import-outside-toplevel
        from nautobot.dcim.models import Manufacturer  # pylint: disable=import-outside-toplevel

        # Core does not insist that the account's provider is the resource type's: either one matches.
        reseller = Manufacturer.objects.create(name="Cloud Reseller")
        account = CloudAccount.objects.create(name="reseller-account", account_number="9", provider=reseller)
        self.inv["bucket"].cloud_account = account
        self.inv["bucket"].save()
        TechnologyScope.objects.create(technology=self.technology, manufacturer=reseller)
        self.assertEqual(self.matched(), {self.inv["bucket"].pk})

    def test_dynamic_group_of_cloud_services(self):
        from django.contrib.contenttypes.models import ContentType  # pylint: disable=import-outside-toplevel
        from nautobot.cloud.models import CloudService  # pylint: disable=import-outside-toplevel
        from nautobot.extras.models import DynamicGroup  # pylint: disable=import-outside-toplevel

        group = DynamicGroup.objects.create(
            name="Buckets",
            content_type=ContentType.objects.get_for_model(CloudService),
            filter={"cloud_resource_type": [str(self.inv["s3"].pk)]},
        )
        group.update_cached_members()
        TechnologyScope.objects.create(technology=self.technology, dynamic_group=group)
        self.assertEqual(self.matched(), {self.inv["bucket"].pk})
