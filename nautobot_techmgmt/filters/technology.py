"""Filter sets of technologies and technology scopes."""

from django.db.models import Q
from nautobot.apps.filters import (
    MultipleChoiceFilter,
    MultiValueCharFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    RelatedMembershipBooleanFilter,
    SearchFilter,
    StatusModelFilterSetMixin,
    TreeNodeMultipleChoiceFilter,
)
from nautobot.apps.utils import is_uuid
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.choices import SkillLevelChoices, TechnologyCategoryChoices
from nautobot_techmgmt.filters.targets import InventoryTargetFilterSetMixin, target_type_filter
from nautobot_techmgmt.models import Certification, SupportContract, Technology, TechnologyScope


class TechnologyFilterSet(StatusModelFilterSetMixin, NautobotFilterSet):
    """Filters of technologies."""

    q = SearchFilter(filter_predicates={"name": "icontains", "description": "icontains"})
    parent = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Parent technology (name or ID)"
    )
    ancestor = TreeNodeMultipleChoiceFilter(
        queryset=Technology.objects.all(),
        field_name="parent",
        to_field_name="name",
        label="Ancestor technology, at any depth (name or ID)",
    )
    has_children = RelatedMembershipBooleanFilter(field_name="children", label="Has child technologies")
    category = MultipleChoiceFilter(choices=TechnologyCategoryChoices)
    custodian_team = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Team.objects.all(), to_field_name="name", label="Custodian team (name or ID)"
    )
    has_custodian_team = RelatedMembershipBooleanFilter(field_name="custodian_team", label="Has a custodian team")
    technical_manager = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Contact.objects.all(), to_field_name="name", label="Technical manager (name or ID)"
    )
    qualified_level = MultipleChoiceFilter(choices=SkillLevelChoices)
    has_scopes = RelatedMembershipBooleanFilter(field_name="scopes", label="Has scopes (is placed in the inventory)")
    certifications = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Certification.objects.all(), to_field_name="name", label="Certifications (name or ID)"
    )
    support_contracts = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=SupportContract.objects.all(), to_field_name="reference", label="Support contracts (reference or ID)"
    )
    has_support_contracts = RelatedMembershipBooleanFilter(
        field_name="support_contracts", label="Has support contracts"
    )

    class Meta:
        model = Technology
        fields = "__all__"


# A second filterset of Technology, for the knowledge endpoints: its name says which, not the model's alone.
class KnowledgeTechnologyFilterSet(TechnologyFilterSet):  # pylint: disable=nb-sub-class-name
    """The technologies the knowledge endpoints answer about; `technology` and `team` take names or IDs.

    A name or ID that matches nothing narrows the answer to nothing rather than refusing the request.
    """

    technology = MultiValueCharFilter(method="filter_name_or_id", label="Technology (name or ID)")
    team = MultiValueCharFilter(method="filter_name_or_id", label="Custodian team of the technology (name or ID)")

    def filter_name_or_id(self, queryset, name, value):
        """Technologies (or their custodian teams, for `team`) named or identified by any of the values."""
        prefix = "custodian_team__" if name == "team" else ""
        ids = [item for item in value if is_uuid(item)]
        return queryset.filter(Q(**{f"{prefix}name__in": value}) | Q(**{f"{prefix}pk__in": ids}))

    class Meta(TechnologyFilterSet.Meta):
        model = Technology


class TechnologyScopeFilterSet(InventoryTargetFilterSetMixin, NautobotFilterSet):
    """Filters of technology scopes, by technology and by every kind of target."""

    q = SearchFilter(filter_predicates={"technology__name": "icontains", "description": "icontains"})
    technology = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technology (name or ID)"
    )
    target_type = target_type_filter(TechnologyScope)

    class Meta:
        model = TechnologyScope
        fields = "__all__"
