"""Who is responsible for what, and in which role."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import PrimaryModel, extras_features

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.models.targets import InventoryTargetMixin


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class Responsibility(InventoryTargetMixin, PrimaryModel):
    """A team or an expert responsible, in a role, for a technology and/or an object or rule target."""

    team = models.ForeignKey(
        to="extras.Team",
        on_delete=models.PROTECT,
        related_name="techmgmt_responsibilities",
        null=True,
        blank=True,
    )
    expert = models.ForeignKey(
        to="nautobot_techmgmt.Expert",
        on_delete=models.CASCADE,
        related_name="responsibilities",
        null=True,
        blank=True,
    )
    role = models.CharField(
        max_length=50, choices=ResponsibilityRoleChoices, default=ResponsibilityRoleChoices.CUSTODIAN
    )
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology",
        on_delete=models.PROTECT,
        related_name="responsibilities",
        null=True,
        blank=True,
        help_text="Leave blank for a responsibility that covers every technology of the target.",
    )
    escalation_tier = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(9)], help_text="1 is the first tier."
    )
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    comments = models.TextField(blank=True)
    # (assignee, role, technology, target) in one non-null column, kept by save(). A unique constraint over the
    # eighteen nullable columns themselves would not do: NULLs never clash in a unique index (PostgreSQL before 15
    # and MySQL/MariaDB have no NULLS NOT DISTINCT), and MySQL/MariaDB index at most 16 columns.
    _unique_key = models.CharField(max_length=CHARFIELD_MAX_LENGTH, editable=False)

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["technology__name", "escalation_tier", "role"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["_unique_key"],
                name="techmgmt_responsibility_unique_assignment",
                violation_error_message="This team or expert already has this role for this technology and target.",
            )
        ]

    def __str__(self):
        what = " / ".join(str(part) for part in (self.technology, self.target) if part is not None)
        return f"{self.assignee} - {self.get_role_display()} of {what}"

    @property
    def assignee(self):
        """The team or expert that holds the responsibility."""
        return self.team or self.expert

    def clean(self):
        """Exactly one assignee; a technology, a target or both; no exact duplicate."""
        super().clean()
        if bool(self.team_id) == bool(self.expert_id):
            raise ValidationError(
                {
                    "team": "Choose exactly one assignee: a team or an expert.",
                    "expert": "Choose exactly one assignee: a team or an expert.",
                }
            )
        self.clean_target(required=False)
        if not self.technology_id and not self.target_field:
            raise ValidationError({"technology": "Choose a technology, a target, or both."})
        duplicate = Responsibility.objects.filter(_unique_key=self.assignment_key()).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"role": f"{self.assignee} already has this role for this technology and target."})

    def save(self, *args, **kwargs):
        """Save with the unique key brought up to date, however the record was made (form, REST, CSV, code)."""
        self._unique_key = self.assignment_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "_unique_key"}
        super().save(*args, **kwargs)

    def assignment_key(self):
        """Team, expert, role, technology and target as one string, blanks left empty: equal for duplicates only."""
        target_field = self.target_field
        parts = (
            self.team_id,
            self.expert_id,
            self.role,
            self.technology_id,
            target_field,
            getattr(self, f"{target_field}_id") if target_field else None,
        )
        return "|".join("" if part is None else str(part) for part in parts)
