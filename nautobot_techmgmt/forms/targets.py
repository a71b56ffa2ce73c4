"""Form fields shared by the models that point at an inventory object or rule target."""

from django import forms
from nautobot.apps.forms import DynamicModelChoiceField, DynamicModelMultipleChoiceField
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.dcim.models import Device, DeviceType, Location, Manufacturer, Platform, SoftwareVersion
from nautobot.extras.models import DynamicGroup, Role
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

TARGET_QUERYSETS = {
    "device": Device.objects.all(),
    "circuit": Circuit.objects.all(),
    "virtual_machine": VirtualMachine.objects.all(),
    "cluster": Cluster.objects.all(),
    "dynamic_group": DynamicGroup.objects.all(),
    "device_type": DeviceType.objects.all(),
    "platform": Platform.objects.all(),
    "software_version": SoftwareVersion.objects.all(),
    "device_role": Role.objects.all(),
    "circuit_type": CircuitType.objects.all(),
    "provider": Provider.objects.all(),
    "cluster_type": ClusterType.objects.all(),
    "manufacturer": Manufacturer.objects.all(),
    "location": Location.objects.all(),
}
# Keep the Role dropdown to roles that apply to the inventory objects the engine matches.
TARGET_QUERY_PARAMS = {"device_role": {"content_types": ["dcim.device", "virtualization.virtualmachine"]}}
TARGET_LABELS = {"device_role": "Device or VM role"}


def target_choice_field(field_name):
    """An optional single-object dropdown for one target field."""
    return DynamicModelChoiceField(
        queryset=TARGET_QUERYSETS[field_name],
        required=False,
        label=TARGET_LABELS.get(field_name, field_name.replace("_", " ").capitalize()),
        query_params=TARGET_QUERY_PARAMS.get(field_name, {}),
    )


def target_filter_field(field_name):
    """An optional multi-object filter field for one target field."""
    return DynamicModelMultipleChoiceField(
        queryset=TARGET_QUERYSETS[field_name],
        required=False,
        label=TARGET_LABELS.get(field_name, field_name.replace("_", " ").capitalize()),
    )


class InventoryTargetFormMixin(forms.Form):
    """One optional dropdown per kind of target; the model's clean() decides how many may be set."""

    device = target_choice_field("device")
    circuit = target_choice_field("circuit")
    virtual_machine = target_choice_field("virtual_machine")
    cluster = target_choice_field("cluster")
    dynamic_group = target_choice_field("dynamic_group")
    device_type = target_choice_field("device_type")
    platform = target_choice_field("platform")
    software_version = target_choice_field("software_version")
    device_role = target_choice_field("device_role")
    circuit_type = target_choice_field("circuit_type")
    provider = target_choice_field("provider")
    cluster_type = target_choice_field("cluster_type")
    manufacturer = target_choice_field("manufacturer")
    location = target_choice_field("location")


class InventoryTargetFilterFormMixin(forms.Form):
    """Filter fields for every kind of target; subclasses add `target_type` with their model's choices."""

    device = target_filter_field("device")
    circuit = target_filter_field("circuit")
    virtual_machine = target_filter_field("virtual_machine")
    cluster = target_filter_field("cluster")
    dynamic_group = target_filter_field("dynamic_group")
    device_type = target_filter_field("device_type")
    platform = target_filter_field("platform")
    software_version = target_filter_field("software_version")
    device_role = target_filter_field("device_role")
    circuit_type = target_filter_field("circuit_type")
    provider = target_filter_field("provider")
    cluster_type = target_filter_field("cluster_type")
    manufacturer = target_filter_field("manufacturer")
    location = target_filter_field("location")
