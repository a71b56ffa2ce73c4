"""Filter set of responsibilities."""

from nautobot.apps.filters import (
    MultipleChoiceFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    RelatedMembershipBooleanFilter,
    SearchFilter,
)
from nautobot.extras.models import Team

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.filters.targets import InventoryTargetFilterSetMixin, target_type_filter
from nautobot_techmgmt.models import Expert, Responsibility, Technology


class ResponsibilityFilterSet(InventoryTargetFilterSetMixin, NautobotFilterSet):
    """Filters of responsibilities: assignee, role, technology and every kind of target."""

    q = SearchFilter(
        filter_predicates={
            "team__name": "icontains",
            "expert__contact__name": "icontains",
            "technology__name": "icontains",
            "comments": "icontains",
        }
    )
    team = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Team.objects.all(), to_field_name="name", label="Team (name or ID)"
    )
    expert = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Expert.objects.all(), to_field_name="contact__name", label="Expert (name or ID)"
    )
    role = MultipleChoiceFilter(choices=ResponsibilityRoleChoices)
    technology = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technology (name or ID)"
    )
    has_technology = RelatedMembershipBooleanFilter(field_name="technology", label="Has a technology")
    target_type = target_type_filter(Responsibility)

    class Meta:
        model = Responsibility
        fields = "__all__"
