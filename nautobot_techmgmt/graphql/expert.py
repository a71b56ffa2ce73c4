"""GraphQL type of experts, with their expert hours (`experts { capacity { agreed committed ... } }`).

The figures come from `capacity.CapacityAnswers`, asked once per request for all the experts listed.
"""

import graphene
from nautobot.apps.graphql import OptimizedNautobotObjectType

from nautobot_techmgmt.filters import ExpertFilterSet
from nautobot_techmgmt.graphql.capacity import ExpertCapacityType
from nautobot_techmgmt.graphql.context import capacity_of
from nautobot_techmgmt.models import Expert


class ExpertType(OptimizedNautobotObjectType):
    """An expert, with their agreed, committed, allocated and spare hours."""

    capacity = graphene.Field(
        ExpertCapacityType,
        description="Agreed hours and where they go, per week; null with no agreed hours and no qualification.",
    )

    class Meta:
        """All fields of the model, the expert filters as arguments."""

        model = Expert
        fields = "__all__"
        filterset_class = ExpertFilterSet

    @staticmethod
    def resolve_capacity(root, info):
        """The expert's hours (the user's view of them)."""
        return capacity_of(info).expert(root)
