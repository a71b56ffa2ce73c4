"""The gap register: each knowledge gap as a record with a life — opened, worked on, closed."""

from django.core.exceptions import ValidationError
from django.db import models
from nautobot.apps.models import BaseManager, PrimaryModel, RestrictedQuerySet, extras_features

from nautobot_techmgmt.choices import GapKindChoices, GapSeverityChoices, GapStatusChoices


class KnowledgeGapQuerySet(RestrictedQuerySet):
    """Queries over the gap register."""

    def current(self):
        """Gaps that exist now (not closed)."""
        return self.exclude(status=GapStatusChoices.CLOSED)


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class KnowledgeGap(PrimaryModel):
    """One (kind, technology) knowledge gap from the day it appeared to the day it disappeared.

    The engine opens and closes records; people set the status, owner and remediation. A gap that disappears is
    closed; if it appears again, a new record opens, so time-to-close figures stay true.
    """

    kind = models.CharField(max_length=30, choices=GapKindChoices)
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="gap_records"
    )
    status = models.CharField(max_length=20, choices=GapStatusChoices, default=GapStatusChoices.OPEN)
    severity = models.CharField(max_length=20, choices=GapSeverityChoices)
    opened = models.DateTimeField(help_text="When the engine first found the gap.")
    closed = models.DateTimeField(null=True, blank=True, help_text="When the gap disappeared.")
    risk_accepted_until = models.DateField(
        null=True, blank=True, help_text="With status Risk accepted: the gap reopens after this day."
    )
    affected = models.JSONField(default=dict, blank=True, help_text="Objects affected, by object type.")
    affected_objects = models.PositiveIntegerField(default=0)
    risk = models.PositiveIntegerField(default=0, help_text="Severity weight x objects affected.")
    detail = models.CharField(max_length=500, blank=True)
    owner_contact = models.ForeignKey(
        to="extras.Contact", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    owner_team = models.ForeignKey(to="extras.Team", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    training_plans = models.ManyToManyField(
        to="nautobot_techmgmt.TrainingPlan", related_name="gap_records", blank=True
    )
    support_contract = models.ForeignKey(
        to="nautobot_techmgmt.SupportContract",
        on_delete=models.SET_NULL,
        related_name="gap_records",
        null=True,
        blank=True,
    )
    responsibility = models.ForeignKey(
        to="nautobot_techmgmt.Responsibility",
        on_delete=models.SET_NULL,
        related_name="gap_records",
        null=True,
        blank=True,
    )
    comments = models.TextField(blank=True)

    objects = BaseManager.from_queryset(KnowledgeGapQuerySet)()

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["-opened"]
        verbose_name = "knowledge gap"
        indexes = [models.Index(fields=["technology", "kind", "closed"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.technology}"

    def clean(self):
        super().clean()
        if self.owner_contact_id and self.owner_team_id:
            raise ValidationError({"owner_team": "Give an owner contact or an owner team, not both."})
        if self.status == GapStatusChoices.RISK_ACCEPTED and not self.risk_accepted_until:
            raise ValidationError({"risk_accepted_until": "Say until when the risk is accepted."})
        if self.status != GapStatusChoices.RISK_ACCEPTED and self.risk_accepted_until:
            raise ValidationError({"risk_accepted_until": "Only a gap whose risk is accepted has this date."})
        if self.closed is None and self.status == GapStatusChoices.CLOSED:
            raise ValidationError({"status": "The engine closes a gap when it disappears; it cannot be closed by hand."})
        if self.closed is not None and self.status != GapStatusChoices.CLOSED:
            raise ValidationError({"status": "A gap that has disappeared stays closed; a new record opens if it returns."})

    @property
    def owner(self):
        """The contact or team that owns the gap, if any."""
        return self.owner_contact or self.owner_team

    @property
    def is_current(self):
        """Whether the gap exists now."""
        return self.closed is None
