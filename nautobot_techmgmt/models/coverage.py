"""Materialised knowledge: per-object answers for lists, filters and GraphQL, and daily coverage snapshots."""

from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import BaseManager, BaseModel, RestrictedQuerySet, extras_features

from nautobot_techmgmt.models.targets import OBJECT_TARGET_FIELDS
from nautobot_techmgmt.models.technology import Technology

# The ObjectKnowledge foreign key of each kind of inventory object.
OBJECT_FIELD_OF_MODEL = {
    "dcim.device": "device",
    "circuits.circuit": "circuit",
    "virtualization.virtualmachine": "virtual_machine",
    "virtualization.cluster": "cluster",
}


class ObjectKnowledgeQuerySet(RestrictedQuerySet):
    """Queries over object knowledge."""

    def restrict(self, user, action="view"):
        """The rows the user's object knowledge permission allows, and only those of technologies the user may view."""
        queryset = super().restrict(user, action)
        if action == "view":
            queryset = queryset.filter(technology__in=Technology.objects.restrict(user, "view"))
        return queryset


# Not @extras_features("graphql"): its GraphQL type (graphql/types.py) hides rows of technologies the user may not view.
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

    objects = BaseManager.from_queryset(ObjectKnowledgeQuerySet)()

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


class CustodianCoverage(BaseModel):
    """How many objects of one type use a technology under one effective custodian, as of the last refresh.

    The inventory side of coverage (which objects use which technology, and whose custody they are in) is
    materialised here, a few rows per technology; the people side (who is qualified today) stays live, so
    coverage and gaps of the whole estate cost a fixed handful of small queries.
    """

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="custodian_coverage"
    )
    object_type = models.CharField(max_length=20, help_text='Plural key of the object type: "devices", ...')
    custodian_team = models.ForeignKey(
        to="extras.Team", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    custodian_expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    has_custodian = models.BooleanField(
        default=False, help_text="False: no effective custodian. True with no team or expert: a contact only."
    )
    objects_count = models.PositiveIntegerField(default=0)

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        verbose_name = "custodian coverage"
        verbose_name_plural = "custodian coverage"

    def __str__(self):
        return f"{self.technology}: {self.objects_count} {self.object_type}"


class KnowledgeRefresh(BaseModel):
    """One completed refresh of the materialised knowledge: when, how long, how many rows."""

    completed = models.DateTimeField(auto_now_add=True)
    duration_s = models.FloatField(default=0)
    object_rows = models.PositiveIntegerField(default=0)
    coverage_rows = models.PositiveIntegerField(default=0)

    natural_key_field_names = ["id"]
    is_data_compliance_model = False
    is_dynamic_group_associable_model = False
    is_saved_view_model = False

    class Meta:
        ordering = ["-completed"]
        get_latest_by = "completed"
        verbose_name = "knowledge refresh"

    def __str__(self):
        return f"Knowledge refresh at {self.completed:%Y-%m-%d %H:%M:%S}"


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
