"""Technologies and where they are in use."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import PrimaryModel, StatusField, TreeModel, extras_features

from nautobot_techmgmt.choices import SkillLevelChoices, TechnologyCategoryChoices
from nautobot_techmgmt.models.targets import TARGET_FIELDS, InventoryTargetMixin


# Not @extras_features("graphql"): its GraphQL type (graphql/technology.py) adds the candidate experts.
@extras_features("custom_links", "custom_validators", "export_templates", "statuses", "webhooks")
class Technology(TreeModel, PrimaryModel):
    """A managed technology or knowledge area, as a tree ("Network > Routing > Junos")."""

    name = models.CharField(max_length=CHARFIELD_MAX_LENGTH, unique=True)
    category = models.CharField(
        max_length=50, choices=TechnologyCategoryChoices, default=TechnologyCategoryChoices.OTHER
    )
    status = StatusField(blank=False, null=False)
    custodian_team = models.ForeignKey(
        to="extras.Team",
        on_delete=models.SET_NULL,
        related_name="techmgmt_custodian_technologies",
        null=True,
        blank=True,
        help_text="Team that is custodian of this technology where no more specific responsibility applies.",
    )
    technical_manager = models.ForeignKey(
        to="extras.Contact",
        on_delete=models.SET_NULL,
        related_name="techmgmt_managed_technologies",
        null=True,
        blank=True,
    )
    required_experts = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Target bus factor: how many qualified experts this technology needs.",
    )
    qualified_level = models.PositiveSmallIntegerField(
        choices=SkillLevelChoices,
        default=SkillLevelChoices.PRACTITIONER,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Skill level an expert needs to count as qualified.",
    )
    certification_required = models.BooleanField(
        default=False,
        help_text="Qualified experts must also hold an unexpired certification that evidences this technology.",
    )
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    clone_fields = [
        "parent",
        "category",
        "status",
        "custodian_team",
        "technical_manager",
        "required_experts",
        "qualified_level",
        "certification_required",
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "technologies"

    def __str__(self):
        return self.name


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class TechnologyScope(InventoryTargetMixin, PrimaryModel):
    """A rule that says where a technology is in use: one target, an object or a rule target."""

    technology = models.ForeignKey(to=Technology, on_delete=models.PROTECT, related_name="scopes")
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["technology__name"]
        constraints = [
            models.UniqueConstraint(fields=["technology", field_name], name=f"techmgmt_scope_unique_{field_name}")
            for field_name in TARGET_FIELDS
        ]

    def __str__(self):
        target = self.target
        return f"{self.technology} on {self.target_type} {target}" if target else str(self.technology)

    def clean(self):
        """Require exactly one target and refuse a second scope for the same technology and target."""
        super().clean()
        self.clean_target(required=True)
        field_name = self.target_field
        if self.technology_id and field_name:
            duplicate = TechnologyScope.objects.filter(
                technology_id=self.technology_id, **{f"{field_name}_id": getattr(self, f"{field_name}_id")}
            ).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError({field_name: f"{self.technology} is already scoped to this {self.target_type}."})
