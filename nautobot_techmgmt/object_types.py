"""The one list of the inventory object types and rule targets the app knows.

Models (the target foreign keys), the engine (its SQL), signals, forms, filters, tables, the extensions of core pages,
REST and GraphQL all read these two tuples. The module names models by label and relations by ORM path only, so it
imports without Django's app registry; `knowledge/schema.py` resolves the paths against the models and fails loudly
when a core model no longer has the shape a path expects.

Adding an object type (see docs/dev/extending.md): one `ObjectType` entry below (and a rule target for each new kind
of attribute it brings), a migration for the new foreign keys (`makemigrations nautobot_techmgmt`), and its tests.
"""

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class RuleTarget:
    """A kind of record a scope or a custodian responsibility can point at to match many objects."""

    field: str  # the target foreign key on scopes and responsibilities: "device_type"
    model_label: str  # "dcim.DeviceType"
    verbose_name: str  # "device type"
    lookup: str = "name"  # what its filter accepts besides the ID
    label: str = ""  # form label, when the verbose name alone would mislead
    query_params: dict = dataclasses.field(default_factory=dict)  # narrows the form's dropdown
    tree_parent: str = ""  # the parent field of a tree: a rule on a node matches the objects of its whole subtree

    @property
    def form_label(self):
        """The label of its form fields."""
        return self.label or self.verbose_name.capitalize()


# One registry entry says everything each surface needs about a type, hence its many attributes.
@dataclass(frozen=True, eq=False)
class ObjectType:  # pylint: disable=too-many-instance-attributes
    """A kind of inventory object the knowledge engine answers for."""

    key: str  # plural key of answers and counts: "devices"
    field: str  # its foreign key on scopes, responsibilities and object knowledge: "device"
    model_label: str  # "dcim.Device"
    verbose_name: str  # "device"
    verbose_name_plural: str  # "devices"
    # Rule target field -> ORM relation paths from the object to the target (several paths: any of them matches).
    reach: dict
    lookup: str = "name"  # what its filter accepts besides the ID
    list_view: str = ""  # the core list view, "dcim:device_list"
    table_suffixes: tuple = ("Table",)  # the core tables its list shows (the knowledge columns go on each)

    @property
    def app_label(self):
        """The Django app label: "dcim"."""
        return self.model_label.split(".")[0]

    @property
    def label_lower(self):
        """The lower-case model label Django uses in `_meta.label_lower`: "dcim.device"."""
        return self.model_label.lower()

    @property
    def class_name(self):
        """The model class name: "Device"."""
        return self.model_label.split(".")[1]

    @property
    def model(self):
        """The Django model class (once apps are loaded)."""
        from django.apps import apps  # pylint: disable=import-outside-toplevel

        return apps.get_model(self.model_label)

    @property
    def content_type(self):
        """The model's content type (made if missing: a first migrate makes content types after our signals run)."""
        from django.contrib.contenttypes.models import ContentType  # pylint: disable=import-outside-toplevel

        return ContentType.objects.get_for_model(self.model)

    @property
    def contained_in(self):
        """{object type field: path} for the other object types this one reaches (a VM reaches its cluster)."""
        return {
            other.field: path.split("__")[0]
            for paths in self.reach.values()
            for path in paths
            for other in OBJECT_TYPES
            if other is not self and path.split("__")[0] == other.field
        }


RULE_TARGETS = (
    RuleTarget("dynamic_group", "extras.DynamicGroup", "dynamic group"),
    RuleTarget("device_type", "dcim.DeviceType", "device type", lookup="model"),
    RuleTarget("platform", "dcim.Platform", "platform"),
    RuleTarget("software_version", "dcim.SoftwareVersion", "software version", lookup="version"),
    RuleTarget(
        "device_role",
        "extras.Role",
        "device role",
        label="Device or VM role",
        # Keep the dropdown to roles that apply to the inventory objects the engine matches.
        query_params={"content_types": ["dcim.device", "virtualization.virtualmachine"]},
    ),
    RuleTarget("circuit_type", "circuits.CircuitType", "circuit type"),
    RuleTarget("provider", "circuits.Provider", "provider"),
    RuleTarget("cluster_type", "virtualization.ClusterType", "cluster type"),
    RuleTarget("cloud_resource_type", "cloud.CloudResourceType", "cloud resource type"),
    RuleTarget("cloud_account", "cloud.CloudAccount", "cloud account"),
    RuleTarget("manufacturer", "dcim.Manufacturer", "manufacturer"),
    RuleTarget("location", "dcim.Location", "location", tree_parent="parent"),
)

# Most specific first: the order custodian resolution and the target lists follow.
OBJECT_TYPES = (
    ObjectType(
        key="devices",
        field="device",
        model_label="dcim.Device",
        verbose_name="device",
        verbose_name_plural="devices",
        list_view="dcim:device_list",
        reach={
            "device_type": ("device_type",),
            "manufacturer": ("device_type__manufacturer",),
            "platform": ("platform",),
            "software_version": ("software_version",),
            "device_role": ("role",),
            "location": ("location",),
        },
    ),
    ObjectType(
        key="circuits",
        field="circuit",
        model_label="circuits.Circuit",
        verbose_name="circuit",
        verbose_name_plural="circuits",
        lookup="cid",
        list_view="circuits:circuit_list",
        reach={"circuit_type": ("circuit_type",), "provider": ("provider",)},
    ),
    ObjectType(
        key="virtual_machines",
        field="virtual_machine",
        model_label="virtualization.VirtualMachine",
        verbose_name="virtual machine",
        verbose_name_plural="virtual machines",
        list_view="virtualization:virtualmachine_list",
        # The virtual machine list shows VirtualMachineDetailTable, a subclass that copied its columns at import.
        table_suffixes=("Table", "DetailTable"),
        reach={
            "platform": ("platform",),
            "software_version": ("software_version",),
            "device_role": ("role",),
            "cluster_type": ("cluster__cluster_type",),
            "location": ("cluster__location",),
        },
    ),
    ObjectType(
        key="clusters",
        field="cluster",
        model_label="virtualization.Cluster",
        verbose_name="cluster",
        verbose_name_plural="clusters",
        list_view="virtualization:cluster_list",
        reach={"cluster_type": ("cluster_type",), "location": ("location",)},
    ),
    ObjectType(
        key="cloud_services",
        field="cloud_service",
        model_label="cloud.CloudService",
        verbose_name="cloud service",
        verbose_name_plural="cloud services",
        list_view="cloud:cloudservice_list",
        reach={
            "cloud_resource_type": ("cloud_resource_type",),
            "cloud_account": ("cloud_account",),
            # The cloud provider is a manufacturer, on the resource type and on the account (core does not insist
            # that the two agree, so a rule on either provider matches).
            "manufacturer": ("cloud_resource_type__provider", "cloud_account__provider"),
        },
    ),
)

OBJECT_TYPES_BY_KEY = {object_type.key: object_type for object_type in OBJECT_TYPES}
OBJECT_TYPES_BY_LABEL = {object_type.label_lower: object_type for object_type in OBJECT_TYPES}
OBJECT_TYPES_BY_FIELD = {object_type.field: object_type for object_type in OBJECT_TYPES}
RULE_TARGETS_BY_FIELD = {target.field: target for target in RULE_TARGETS}
RULE_TARGETS_BY_LABEL = {target.model_label.lower(): target for target in RULE_TARGETS}

# Every target field of scopes and responsibilities: the objects first, then the rule targets, most specific first.
OBJECT_TARGET_FIELDS = tuple(object_type.field for object_type in OBJECT_TYPES)
RULE_TARGET_FIELDS = tuple(target.field for target in RULE_TARGETS)
TARGET_FIELDS = OBJECT_TARGET_FIELDS + RULE_TARGET_FIELDS
# Field name -> model label.
TARGET_MODELS = {
    **{object_type.field: object_type.model_label for object_type in OBJECT_TYPES},
    **{target.field: target.model_label for target in RULE_TARGETS},
}
TARGET_VERBOSE_NAMES = {
    **{object_type.field: object_type.verbose_name for object_type in OBJECT_TYPES},
    **{target.field: target.verbose_name for target in RULE_TARGETS},
}
TARGET_LOOKUPS = {
    **{object_type.field: object_type.lookup for object_type in OBJECT_TYPES},
    **{target.field: target.lookup for target in RULE_TARGETS},
}
# What a query of scopes or responsibilities joins so that naming their targets costs no query per row.
# (Cloud accounts and resource types show their provider in their name.)
TARGET_SELECT_RELATED = (
    *TARGET_FIELDS,
    "device_type__manufacturer",
    "software_version__platform",
    "cloud_account__provider",
    "cloud_resource_type__provider",
)
# Rule fields matched as attributes of an object (step 3 of custodian resolution): all but groups and the tree.
ATTRIBUTE_FIELDS = tuple(
    target.field for target in RULE_TARGETS if target.field != "dynamic_group" and not target.tree_parent
)


def human_list(words, conjunction="or"):
    """Words joined as "a, b or c"."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def object_type_names(conjunction="or"):
    """The object types in words: "device, circuit, virtual machine, cluster or cloud service"."""
    return human_list((object_type.verbose_name for object_type in OBJECT_TYPES), conjunction)
