"""Filters shared by the models that point at an inventory object or rule target."""

import django_filters
from django.db.models import Q
from nautobot.apps.filters import MultipleChoiceFilter, NaturalKeyOrPKMultipleChoiceFilter
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.dcim.models import Device, DeviceType, Location, Manufacturer, Platform, SoftwareVersion
from nautobot.extras.models import DynamicGroup, Role
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

from nautobot_techmgmt.models.targets import TARGET_FIELDS

# Field name -> (queryset, field the filter accepts besides the ID).
TARGET_FILTER_KEYS = {
    "device": (Device.objects.all(), "name"),
    "circuit": (Circuit.objects.all(), "cid"),
    "virtual_machine": (VirtualMachine.objects.all(), "name"),
    "cluster": (Cluster.objects.all(), "name"),
    "dynamic_group": (DynamicGroup.objects.all(), "name"),
    "device_type": (DeviceType.objects.all(), "model"),
    "platform": (Platform.objects.all(), "name"),
    "software_version": (SoftwareVersion.objects.all(), "version"),
    "device_role": (Role.objects.all(), "name"),
    "circuit_type": (CircuitType.objects.all(), "name"),
    "provider": (Provider.objects.all(), "name"),
    "cluster_type": (ClusterType.objects.all(), "name"),
    "manufacturer": (Manufacturer.objects.all(), "name"),
    "location": (Location.objects.all(), "name"),
}


def target_type_choices(model):
    """Choices of the `target_type` filter of `model`: one per target field, labelled with its verbose name."""
    return tuple((name, model._meta.get_field(name).verbose_name.capitalize()) for name in TARGET_FIELDS)


def target_filter(field_name):
    """A name-or-ID filter on one target field."""
    queryset, to_field_name = TARGET_FILTER_KEYS[field_name]
    label = f"{field_name.replace('_', ' ').capitalize()} ({to_field_name} or ID)"
    return NaturalKeyOrPKMultipleChoiceFilter(queryset=queryset, to_field_name=to_field_name, label=label)


def target_type_filter(model):
    """A filter on the kind of target a record of `model` points at."""
    return MultipleChoiceFilter(choices=target_type_choices(model), method="filter_target_type", label="Target type")


class InventoryTargetFilterSetMixin(django_filters.FilterSet):
    """Mixin: one name-or-ID filter per target field; subclasses add `target_type = target_type_filter(Model)`."""

    device = target_filter("device")
    circuit = target_filter("circuit")
    virtual_machine = target_filter("virtual_machine")
    cluster = target_filter("cluster")
    dynamic_group = target_filter("dynamic_group")
    device_type = target_filter("device_type")
    platform = target_filter("platform")
    software_version = target_filter("software_version")
    device_role = target_filter("device_role")
    circuit_type = target_filter("circuit_type")
    provider = target_filter("provider")
    cluster_type = target_filter("cluster_type")
    manufacturer = target_filter("manufacturer")
    location = target_filter("location")

    def filter_target_type(self, queryset, name, value):  # pylint: disable=unused-argument
        """Records whose target is one of the chosen kinds."""
        if not value:
            return queryset
        query = Q()
        for field_name in value:
            query |= Q(**{f"{field_name}__isnull": False})
        return queryset.filter(query)
