"""How many expert hours a technology needs: effort models, by category and per technology."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import PrimaryModel, extras_features

from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.object_types import OBJECT_TYPES, OBJECT_TYPES_BY_KEY

# At most this many hours per object in use per month: more is a typing error, not an effort model.
MAX_HOURS_PER_OBJECT = Decimal(1000)


def clean_hours_per_object(value):
    """`value` as {object type key: Decimal hours per object per month}; ValidationError naming what is wrong."""
    if not isinstance(value, dict):
        raise ValidationError('Give hours per object type, as {"devices": 0.5, "circuits": 0.2}.')
    known = ", ".join(object_type.key for object_type in OBJECT_TYPES)
    cleaned = {}
    for key, hours in value.items():
        if key not in OBJECT_TYPES_BY_KEY:
            raise ValidationError(f"{key!r} is not an object type; use {known}.")
        try:
            number = Decimal(str(hours))
        except (InvalidOperation, ValueError) as error:
            raise ValidationError(f"Hours per {OBJECT_TYPES_BY_KEY[key].verbose_name} must be a number.") from error
        if not number.is_finite() or not 0 <= number <= MAX_HOURS_PER_OBJECT:
            raise ValidationError(
                f"Hours per {OBJECT_TYPES_BY_KEY[key].verbose_name} must be between 0 and {MAX_HOURS_PER_OBJECT}."
            )
        cleaned[key] = number
    return cleaned


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class EffortModel(PrimaryModel):
    """Expert hours a technology needs: a base per week plus hours per object in use per month, by object type.

    For a technology category (the default of its technologies) or for one technology (its override). Each value
    left blank is inherited: a technology's from its category's model, a category's from the app setting
    `default_effort`.
    """

    technology = models.OneToOneField(
        to="nautobot_techmgmt.Technology",
        on_delete=models.CASCADE,
        related_name="effort_model",
        null=True,
        blank=True,
        help_text="The technology this model is for; leave blank for a category's default.",
    )
    category = models.CharField(
        max_length=50,
        choices=TechnologyCategoryChoices,
        blank=True,
        help_text="The technology category this model is the default of; leave blank for a technology's model.",
    )
    base_hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
        help_text="Hours per week the technology needs whatever its objects (blank: inherited).",
    )
    hours_per_object = models.JSONField(
        default=dict,
        blank=True,
        help_text='Hours per object in use per month, by object type: {"devices": 0.5}. A type left out is inherited.',
    )
    gap_uplift_percent = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
        verbose_name="Gap uplift (%)",
        help_text="Percentage a critical gap adds to the demand; a high gap adds half of it (blank: inherited).",
    )
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["category", "technology__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=~models.Q(category=""),
                name="techmgmt_effortmodel_unique_category",
                violation_error_message="This category already has an effort model.",
            ),
            models.CheckConstraint(
                condition=(models.Q(technology__isnull=True) & ~models.Q(category=""))
                | (models.Q(technology__isnull=False) & models.Q(category="")),
                name="techmgmt_effortmodel_technology_or_category",
                violation_error_message="An effort model is for a technology or for a category, not both.",
            ),
        ]

    def __str__(self):
        if self.technology_id:
            return f"Effort of {self.technology}"
        return f"Effort of {self.get_category_display()} technologies"

    def clean(self):
        """Exactly one of technology and category; hours per object known types with sensible numbers."""
        super().clean()
        if bool(self.technology_id) == bool(self.category):
            message = "Choose a technology or a category (one of them)."
            raise ValidationError({"technology": message, "category": message})
        try:
            cleaned = clean_hours_per_object(self.hours_per_object)
        except ValidationError as error:
            raise ValidationError({"hours_per_object": error.messages}) from error
        self.hours_per_object = {key: float(hours) for key, hours in cleaned.items()}
        duplicate = EffortModel.objects.exclude(pk=self.pk)
        if self.category and duplicate.filter(category=self.category).exists():
            raise ValidationError({"category": f"{self.get_category_display()} already has an effort model."})
        if self.technology_id and duplicate.filter(technology_id=self.technology_id).exists():
            raise ValidationError({"technology": f"{self.technology} already has an effort model."})
