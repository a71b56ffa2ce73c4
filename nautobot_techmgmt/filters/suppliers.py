"""Filter sets of suppliers and support contracts."""

from django_filters import DateFilter
from nautobot.apps.filters import (
    MultipleChoiceFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    RelatedMembershipBooleanFilter,
    SearchFilter,
)

from nautobot_techmgmt.choices import SupportLevelChoices
from nautobot_techmgmt.models import Supplier, SupportContract, Technology


class SupplierFilterSet(NautobotFilterSet):
    """Filters of suppliers."""

    q = SearchFilter(
        filter_predicates={
            "name": "icontains",
            "account_manager": "icontains",
            "email": "icontains",
            "description": "icontains",
            "comments": "icontains",
        }
    )
    has_support_contracts = RelatedMembershipBooleanFilter(
        field_name="support_contracts", label="Has support contracts"
    )
    technologies = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(),
        field_name="support_contracts__technologies",
        to_field_name="name",
        label="Technologies covered by a contract (name or ID)",
    )
    has_training_plans = RelatedMembershipBooleanFilter(field_name="training_plans", label="Has training plans")

    class Meta:
        model = Supplier
        fields = "__all__"


class SupportContractFilterSet(NautobotFilterSet):
    """Filters of support contracts."""

    q = SearchFilter(
        filter_predicates={"reference": "icontains", "supplier__name": "icontains", "description": "icontains"}
    )
    supplier = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Supplier.objects.all(), to_field_name="name", label="Supplier (name or ID)"
    )
    technologies = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technologies (name or ID)"
    )
    support_level = MultipleChoiceFilter(choices=SupportLevelChoices)
    has_technologies = RelatedMembershipBooleanFilter(field_name="technologies", label="Covers any technology")
    active_on = DateFilter(method="filter_active_on", label="In force on (date)")

    class Meta:
        model = SupportContract
        fields = "__all__"

    def filter_active_on(self, queryset, name, value):  # pylint: disable=unused-argument
        """Contracts in force on the given day."""
        return queryset.active_on(value) if value else queryset
