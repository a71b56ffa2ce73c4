"""External expertise: suppliers and their support contracts."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.models import BaseManager, PrimaryModel, RestrictedQuerySet, extras_features

from nautobot_techmgmt.choices import SupportLevelChoices


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class Supplier(PrimaryModel):
    """A company that provides expertise: support, consulting or training."""

    name = models.CharField(max_length=CHARFIELD_MAX_LENGTH, unique=True)
    account_manager = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    phone = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    email = models.EmailField(blank=True, verbose_name="E-mail")
    url = models.URLField(blank=True, verbose_name="URL")
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def in_force_on(day):
    """The condition a contract in force on `day` meets."""
    return models.Q(start_date__lte=day) & (models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


class SupportContractQuerySet(RestrictedQuerySet):
    """Queries over support contracts."""

    def active_on(self, day):
        """Contracts in force on `day`."""
        return self.filter(in_force_on(day))

    def in_force_or_ended_on(self, day):
        """Contracts in force on `day` or ended before it (not those that start later), each with `in_force` set."""
        return self.filter(in_force_on(day) | models.Q(end_date__lt=day)).annotate(
            in_force=models.ExpressionWrapper(in_force_on(day), output_field=models.BooleanField())
        )

    def covering(self, technology):
        """Contracts that cover the technology, whether or not they are in force."""
        return self.filter(technologies=technology)


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class SupportContract(PrimaryModel):
    """A supplier's contract to support a set of technologies."""

    supplier = models.ForeignKey(to=Supplier, on_delete=models.PROTECT, related_name="support_contracts")
    reference = models.CharField(max_length=CHARFIELD_MAX_LENGTH)
    technologies = models.ManyToManyField(
        to="nautobot_techmgmt.Technology", related_name="support_contracts", blank=True
    )
    support_level = models.CharField(
        max_length=50, choices=SupportLevelChoices, default=SupportLevelChoices.BUSINESS_HOURS
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Cost of the whole contract period; per year when the contract is open-ended.",
    )
    hours_per_month = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Expert hours the contract provides per month, where it states them (supply for its technologies).",
    )
    description = models.CharField(max_length=CHARFIELD_MAX_LENGTH, blank=True)

    objects = BaseManager.from_queryset(SupportContractQuerySet)()

    class Meta:
        ordering = ["supplier__name", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "reference"], name="techmgmt_supportcontract_unique_reference")
        ]

    def __str__(self):
        return f"{self.supplier} {self.reference}"

    def clean(self):
        """The contract does not end before it starts."""
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})
