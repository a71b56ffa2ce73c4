"""Hours an expert can give to technical work against the hours their responsibilities ask for."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from nautobot_techmgmt.constants import STATUS_AGREED
from nautobot_techmgmt.models import AvailabilityAgreement, Responsibility


@dataclass(frozen=True)
class Capacity:
    """Agreed and committed hours per week of one expert on one day."""

    agreed: Decimal
    committed: Decimal

    @property
    def spare(self):
        """Agreed hours not yet committed (negative when over-committed)."""
        return self.agreed - self.committed


def expert_capacity(expert, as_of=None):
    """Hours per week agreed with line managers (agreements in force) and committed through responsibilities."""
    as_of = as_of or date.today()
    in_force = Q(valid_until__isnull=True) | Q(valid_until__gte=as_of)
    agreed = AvailabilityAgreement.objects.filter(
        in_force, expert=expert, status__name=STATUS_AGREED, valid_from__lte=as_of
    ).aggregate(total=Sum("hours_per_week"))["total"]
    committed = Responsibility.objects.filter(expert=expert).aggregate(total=Sum("hours_per_week"))["total"]
    return Capacity(agreed=agreed or Decimal(0), committed=committed or Decimal(0))
