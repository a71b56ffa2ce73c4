"""The inventory objects and rule targets a scope or a responsibility can point at."""

from django.core.exceptions import ValidationError
from django.db import models

# Field name -> model, most specific first. The order is the order the knowledge engine walks.
TARGET_MODELS = {
    "device": "dcim.Device",
    "circuit": "circuits.Circuit",
    "virtual_machine": "virtualization.VirtualMachine",
    "cluster": "virtualization.Cluster",
    "dynamic_group": "extras.DynamicGroup",
    "device_type": "dcim.DeviceType",
    "platform": "dcim.Platform",
    "software_version": "dcim.SoftwareVersion",
    "device_role": "extras.Role",
    "circuit_type": "circuits.CircuitType",
    "provider": "circuits.Provider",
    "cluster_type": "virtualization.ClusterType",
    "manufacturer": "dcim.Manufacturer",
    "location": "dcim.Location",
}
TARGET_FIELDS = tuple(TARGET_MODELS)
# Concrete infrastructure objects, as opposed to rule targets that match many objects.
OBJECT_TARGET_FIELDS = ("device", "circuit", "virtual_machine", "cluster")


def _target_fk(model, verbose_name):
    # Deleting the inventory object removes the rule that points at it: a scope or a
    # responsibility for an object that no longer exists has no meaning.
    return models.ForeignKey(
        to=model,
        on_delete=models.CASCADE,
        related_name="techmgmt_%(class)s_set",
        null=True,
        blank=True,
        verbose_name=verbose_name,
    )


class InventoryTargetMixin(models.Model):
    """Abstract base: one optional foreign key per kind of target, at most one of them set."""

    device = _target_fk("dcim.Device", "device")
    circuit = _target_fk("circuits.Circuit", "circuit")
    virtual_machine = _target_fk("virtualization.VirtualMachine", "virtual machine")
    cluster = _target_fk("virtualization.Cluster", "cluster")
    dynamic_group = _target_fk("extras.DynamicGroup", "dynamic group")
    device_type = _target_fk("dcim.DeviceType", "device type")
    platform = _target_fk("dcim.Platform", "platform")
    software_version = _target_fk("dcim.SoftwareVersion", "software version")
    device_role = _target_fk("extras.Role", "device role")
    circuit_type = _target_fk("circuits.CircuitType", "circuit type")
    provider = _target_fk("circuits.Provider", "provider")
    cluster_type = _target_fk("virtualization.ClusterType", "cluster type")
    manufacturer = _target_fk("dcim.Manufacturer", "manufacturer")
    location = _target_fk("dcim.Location", "location")

    class Meta:
        abstract = True

    @property
    def target_field(self):
        """Name of the target field that is set, or None."""
        for field_name in TARGET_FIELDS:
            if getattr(self, f"{field_name}_id") is not None:
                return field_name
        return None

    @property
    def target(self):
        """The object this record points at, or None."""
        field_name = self.target_field
        return getattr(self, field_name) if field_name else None

    @property
    def target_type(self):
        """Human name of the kind of target ("device type"), or None."""
        field_name = self.target_field
        return self._meta.get_field(field_name).verbose_name if field_name else None

    def set_target_fields(self):
        """Names of every target field that holds a value."""
        return [name for name in TARGET_FIELDS if getattr(self, f"{name}_id") is not None]

    def clean_target(self, required):
        """Check that at most one target (exactly one where `required`) is set."""
        chosen = self.set_target_fields()
        if len(chosen) > 1:
            raise ValidationError(
                {name: f"Choose only one target; {', '.join(chosen)} are all set." for name in chosen}
            )
        if required and not chosen:
            raise ValidationError(
                {
                    "__all__": "Choose a target: a device, circuit, virtual machine, cluster or a rule target "
                    "(platform, manufacturer, device type, software version, device role, location, dynamic group, "
                    "circuit type, provider or cluster type)."
                }
            )
