"""Filter set of the gap register."""

from django_filters import BooleanFilter
from nautobot.apps.filters import (
    MultipleChoiceFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    SearchFilter,
)
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.choices import GapKindChoices, GapSeverityChoices, GapStatusChoices
from nautobot_techmgmt.models import KnowledgeGap, Technology


class KnowledgeGapFilterSet(NautobotFilterSet):
    """Filters of gap records: kind, severity, status, technology, owner, and whether the gap exists now."""

    q = SearchFilter(
        filter_predicates={"technology__name": "icontains", "detail": "icontains", "comments": "icontains"}
    )
    kind = MultipleChoiceFilter(choices=GapKindChoices)
    severity = MultipleChoiceFilter(choices=GapSeverityChoices)
    status = MultipleChoiceFilter(choices=GapStatusChoices)
    technology = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technology (name or ID)"
    )
    owner_contact = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Contact.objects.all(), to_field_name="name", label="Owner contact (name or ID)"
    )
    owner_team = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Team.objects.all(), to_field_name="name", label="Owner team (name or ID)"
    )
    is_current = BooleanFilter(field_name="closed", lookup_expr="isnull", label="Exists now (not closed)")

    class Meta:
        model = KnowledgeGap
        # Not "__all__": that would add filters on the affected-objects JSON and on the remediation relations
        # (responsibility, support contract, training plans), which the register deliberately does not offer.
        fields = [  # pylint: disable=nb-use-fields-all
            "id",
            "opened",
            "closed",
            "risk_accepted_until",
            "affected_objects",
            "risk",
            "detail",
            "comments",
            "tags",
        ]
