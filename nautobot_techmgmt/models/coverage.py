"""Materialised knowledge: per-object answers for lists, filters and GraphQL, and daily coverage snapshots."""

from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import BaseModel, extras_features

from nautobot_techmgmt.models.targets import OBJECT_TARGET_FIELDS


@extras_features("graphql")
class ObjectKnowledge(BaseModel):
    """The engine's answer for one technology on one object, refreshed in bulk (not edited by people).

    Lists, filters and GraphQL read these rows, so their cost does not grow with the engine's work.
    """

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="object_knowledge"
    )
    device = models.ForeignKey(
        to="dcim.Device", on_delete=models.CASCADE, related_name="techmgmt_knowledge", null=True, blank=True
    )
    circuit = models.ForeignKey(
        to="circuits.Circuit", on_delete=models.CASCADE, related_name="techmgmt_knowledge", null=True, blank=True
    )
    virtual_machine = models.ForeignKey(
        to="virtualization.VirtualMachine",
        on_delete=models.CASCADE,
        related_name="techmgmt_knowledge",
        null=True,
        blank=True,
    )
    cluster = models.ForeignKey(
        to="virtualization.Cluster", on_delete=models.CASCADE, related_name="techmgmt_knowledge", null=True, blank=True
    )
    custodian_team = models.ForeignKey(
        to="extras.Team", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    custodian_expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    custodian_source = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    bus_factor = models.PositiveIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True, help_text="Kinds of the knowledge gaps on this object.")
    severity = models.CharField(max_length=20, blank=True, help_text="Worst severity among the gaps, if any.")
    risk = models.PositiveIntegerField(default=0, help_text="Sum of the gaps' severity weights.")
    refreshed = models.DateTimeField(auto_now=True)

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["technology__name"]
        verbose_name = "object knowledge"
        verbose_name_plural = "object knowledge"
        indexes = [models.Index(fields=[name, "technology"]) for name in OBJECT_TARGET_FIELDS]

    def __str__(self):
        target = self.device or self.circuit or self.virtual_machine or self.cluster
        return f"{self.technology} on {target}"


@extras_features("graphql")
class CoverageSnapshot(BaseModel):
    """Coverage figures of one technology on one day; the coverage snapshot Job writes them for the trend."""

    date = models.DateField()
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="coverage_snapshots"
    )
    objects_in_use = models.PositiveIntegerField(default=0)
    bus_factor = models.PositiveIntegerField(default=0)
    required_experts = models.PositiveIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True, help_text="Kinds of the technology's gaps that day.")
    risk = models.PositiveIntegerField(default=0)

    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["-date", "technology__name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "technology"], name="techmgmt_coveragesnapshot_unique_day")
        ]

    def __str__(self):
        return f"{self.technology} on {self.date}"
