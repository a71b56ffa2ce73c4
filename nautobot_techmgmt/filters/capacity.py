"""Filter set of effort models."""

from nautobot.apps.filters import (
    MultipleChoiceFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    RelatedMembershipBooleanFilter,
    SearchFilter,
)

from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.models import EffortModel, Technology


class EffortModelFilterSet(NautobotFilterSet):
    """Filters of effort models: by technology (name or ID), category, and whether it is a technology's."""

    q = SearchFilter(filter_predicates={"technology__name": "icontains", "description": "icontains"})
    technology = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technology (name or ID)"
    )
    has_technology = RelatedMembershipBooleanFilter(
        field_name="technology", label="Is a technology's model (false: a category's)"
    )
    category = MultipleChoiceFilter(choices=TechnologyCategoryChoices)

    class Meta:
        model = EffortModel
        fields = "__all__"
