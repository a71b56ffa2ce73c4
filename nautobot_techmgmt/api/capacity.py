"""Read-only REST endpoints of expert-hour capacity: per technology, expert, team and line manager, and make-or-buy.

Each view asks the per-user layer (`capacity.CapacityAnswers`, rules in `knowledge/capacity.py`) and hands its rows to
a response serializer, so the OpenAPI schema is the shape that is sent. Hours are per week and costs per year, given
as JSON numbers (`capacity.HOURS_PLACES` ... decimal places); a cost the user may not see is null. The lists are
paginated as Nautobot's lists are (`limit`, `offset`; `count`, `next`, `previous`, `results`).
"""

from functools import cached_property

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.settings import api_settings

from nautobot_techmgmt.api.knowledge import (
    NOT_FILTERS,
    AssigneeSerializer,
    InUseSerializer,
    KnowledgeAPIView,
    TechnologyRefSerializer,
    parse_boolean,
)
from nautobot_techmgmt.capacity import (
    HOURS_PLACES,
    MONEY_PLACES,
    PERCENT_PLACES,
    RATIO_PLACES,
    CapacityAnswers,
    assumptions,
)
from nautobot_techmgmt.knowledge import SEVERITIES
from nautobot_techmgmt.knowledge.capacity import (
    AGREE_HOURS,
    BUILD,
    BUY,
    COMPARE,
    CONTRACT,
    CONTRACTOR,
    RELEASE_HOURS,
    TRAIN,
)

RECOMMENDATIONS = (BUY, BUILD, COMPARE)
OPTION_KINDS = (TRAIN, AGREE_HOURS, RELEASE_HOURS, CONTRACTOR, CONTRACT)


def figure_field(places, **kwargs):
    """A read-only decimal figure, sent as a JSON number rounded to `places` decimal places."""
    return serializers.DecimalField(
        max_digits=None, decimal_places=places, coerce_to_string=False, read_only=True, **kwargs
    )


def hours_field(**kwargs):
    """Hours per week."""
    return figure_field(HOURS_PLACES, **kwargs)


def money_field(**kwargs):
    """A cost: null when unknown or when the user may not see it."""
    return figure_field(MONEY_PLACES, allow_null=True, **kwargs)


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice that is sent as null when blank (the layer's "" for "none")."""

    def __init__(self, **kwargs):
        """Read-only and nullable."""
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        """The choice, or null."""
        return super().to_representation(value) if value else None


class DemandSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Hours per week a technology needs, and how they are made (`knowledge.capacity.Demand`)."""

    hours = hours_field(help_text="(Base + object hours) x (1 + uplift / 100).")
    base_hours_per_week = hours_field(source="effort.base_hours_per_week", help_text="From the effort model.")
    object_hours = hours_field(help_text="Sum over object types of hours per object per month x objects x 12 / 52.")
    objects = InUseSerializer(help_text="Objects in use, per type.")
    worst_gap = BlankAsNullChoiceField(
        choices=SEVERITIES, help_text="Severity of the technology's worst own gap; null without one."
    )
    uplift_percent = figure_field(
        PERCENT_PLACES, help_text="The uplift applied: in full for a critical gap, half for high."
    )
    steady_hours = hours_field(help_text="The least demand of the last 90 days.")


class ContributorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """An expert or a support contract giving hours to a technology (`capacity.Contributor`)."""

    expert = AssigneeSerializer(allow_null=True, help_text="Null for a contract.")
    contract = AssigneeSerializer(allow_null=True, help_text="Null for an expert.")
    hours = hours_field()
    committed = hours_field(help_text="Of the hours, those committed through the expert's responsibilities.")


class TechnologyCapacitySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Demand and supply of one technology (`capacity.TechnologyRow`)."""

    technology = TechnologyRefSerializer()
    demand = DemandSerializer()
    expert_hours = hours_field(help_text="Hours allocated from experts' agreed hours.")
    contract_hours = hours_field(help_text="Hours of support contracts that state hours per month.")
    supply = hours_field(help_text="Expert hours + contract hours.")
    utilisation = figure_field(RATIO_PLACES, allow_null=True, help_text="Demand / supply; null without supply.")
    shortfall = hours_field(help_text="Demand - supply, when positive.")
    surplus = hours_field(help_text="Supply - demand, when positive.")
    recommendation = BlankAsNullChoiceField(
        choices=RECOMMENDATIONS, help_text="The make-or-buy rule's answer; null without a shortfall or a surplus."
    )
    contributors = ContributorSerializer(many=True, help_text="Experts and contracts the user may view, most first.")
    hidden_contributors = serializers.IntegerField(help_text="Contributors left out: the user may not view them.")


class AllocationSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Hours an expert gives one technology."""

    technology = TechnologyRefSerializer()
    hours = hours_field()

    def to_representation(self, instance):
        """From the layer's (technology, hours) pair."""
        technology, given = instance
        return super().to_representation({"technology": technology, "hours": given})


class ExpertCapacitySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One expert's agreed hours and where they go (`capacity.ExpertRow`)."""

    expert = AssigneeSerializer()
    agreed = hours_field(help_text="Hours of the agreements in force with status Agreed.")
    committed = hours_field(help_text="Hours of the expert's responsibilities.")
    uncommitted = hours_field(help_text="Agreed - committed; negative when over-committed.")
    allocated = hours_field(help_text="Hours allocated to technologies.")
    allocations = AllocationSerializer(many=True, help_text="Per technology the user may view, most hours first.")
    spare = hours_field(help_text="Unallocated hours plus the expert's share of their technologies' surplus.")
    line_manager = AssigneeSerializer(allow_null=True, help_text="Who agrees the hours; null if you may not view them.")
    hourly_cost = money_field()
    cost_per_year = money_field(help_text="Agreed hours x 52 x hourly cost.")


class GroupCapacitySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Hours agreed for a team or by a line manager, summed over their agreements in force (`capacity.GroupRow`)."""

    owner_field = ""  # the subclass's field naming the team or the line manager: given first

    experts = serializers.IntegerField(help_text="Experts with an agreement in force.")
    agreed = hours_field()
    committed = hours_field(help_text="The experts' committed hours, split by their agreements' hours.")
    allocated = hours_field(help_text="The experts' allocated hours, split likewise.")
    spare = hours_field(help_text="The experts' spare hours, split likewise.")
    cost_per_year = money_field()

    def get_fields(self):
        """The fields, the one naming the team or the line manager first."""
        fields = super().get_fields()
        return {self.owner_field: fields.pop(self.owner_field), **fields}


class TeamCapacitySerializer(GroupCapacitySerializer):  # pylint: disable=abstract-method
    """Hours agreed for a team, and the demand and supply of the technologies it is custodian of."""

    owner_field = "team"
    team = AssigneeSerializer(source="owner")
    demand = hours_field(allow_null=True, help_text="Demand of the technologies in use it is custodian of.")
    supply = hours_field(allow_null=True, help_text="Supply of those technologies.")


class LineManagerCapacitySerializer(GroupCapacitySerializer):  # pylint: disable=abstract-method
    """Hours a line manager agreed."""

    owner_field = "line_manager"
    line_manager = AssigneeSerializer(source="owner")


class OptionSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One way to close a shortfall or use a surplus, priced from the data (`capacity.OptionRow`)."""

    kind = serializers.ChoiceField(choices=OPTION_KINDS)
    hours_per_week = hours_field(help_text="The hours it provides (release_hours: the hours it releases).")
    expert = AssigneeSerializer(allow_null=True)
    line_manager = AssigneeSerializer(allow_null=True, help_text="Who agrees the hours.")
    contract = AssigneeSerializer(allow_null=True)
    hourly_cost = money_field()
    cost_per_year = money_field(help_text="release_hours: what the hours cost now.")
    one_off_cost = money_field(help_text="train: the training's cost.")
    basis = serializers.CharField(help_text="How a cost that is not an expert's own was found.")


class MakeOrBuySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The make-or-buy view of one technology (`capacity.MakeOrBuyAnswer`)."""

    technology = TechnologyRefSerializer()
    capacity = TechnologyCapacitySerializer(source="row", allow_null=True, help_text="Null when it is not in use.")
    recommendation = BlankAsNullChoiceField(
        choices=RECOMMENDATIONS, help_text="Null without a shortfall or a surplus: nothing to decide."
    )
    explanation = serializers.CharField(allow_null=True, help_text="The rule applied, in words with the figures.")
    options = OptionSerializer(many=True)
    hidden_options = serializers.IntegerField(help_text="Options left out: they name whom the user may not view.")
    internal_cost_per_year = money_field(help_text="What its expert hours cost now.")
    cheapest = OptionSerializer(allow_null=True, help_text="The cheapest option providing hours, among those priced.")
    assumptions = serializers.ListField(child=serializers.CharField())


class CapacityAPIView(KnowledgeAPIView):
    """Base: the capacity figures the user may see, lists paginated as Nautobot's are."""

    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @cached_property
    def capacity(self):
        """The capacity figures as this request's user may see them."""
        return CapacityAnswers(self.answers)

    def paginated(self, serializer_class, rows):
        """The response: one page of the rows through their serializer (all of them where Nautobot does not page)."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        if page is None:
            return self.serialize(serializer_class, rows, many=True)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return paginator.get_paginated_response(data)


class CapacityTechnologiesView(CapacityAPIView):
    """Demand, supply, utilisation and shortfall of every technology in use, worst first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("technology", str, many=True, description="Name or ID (any technology filter works)"),
            OpenApiParameter("category", str, many=True),
            OpenApiParameter("custodian_team", str, many=True, description="Custodian team (name or ID)"),
            OpenApiParameter("shortfall", bool, description="true: only those short of hours; false: the others"),
        ],
        responses=TechnologyCapacitySerializer(many=True),
    )
    def get(self, request):  # pylint: disable=unused-argument
        """One row per technology in use, the largest shortfall first."""
        shortfall = self.values("shortfall", parse_boolean)
        technologies = self.technologies(ignore=("shortfall", *NOT_FILTERS))
        rows = self.capacity.technologies(technologies, shortfall=shortfall[-1] if shortfall else None)
        return self.paginated(TechnologyCapacitySerializer, rows)


class CapacityExpertsView(CapacityAPIView):
    """Agreed, committed, allocated and spare hours of every expert with agreed hours or a qualification, by name."""

    @extend_schema(responses=ExpertCapacitySerializer(many=True))
    def get(self, request):  # pylint: disable=unused-argument
        """One row per expert the user may view."""
        return self.paginated(ExpertCapacitySerializer, self.capacity.experts())


class CapacityTeamsView(CapacityAPIView):
    """Hours agreed for each team, and the demand and supply of the technologies it is custodian of, by name."""

    @extend_schema(responses=TeamCapacitySerializer(many=True))
    def get(self, request):  # pylint: disable=unused-argument
        """One row per team the user may view."""
        return self.paginated(TeamCapacitySerializer, self.capacity.teams())


class CapacityLineManagersView(CapacityAPIView):
    """Hours each line manager agreed, by name."""

    @extend_schema(responses=LineManagerCapacitySerializer(many=True))
    def get(self, request):  # pylint: disable=unused-argument
        """One row per line manager the user may view."""
        return self.paginated(LineManagerCapacitySerializer, self.capacity.line_managers())


class MakeOrBuyView(CapacityAPIView):
    """The make-or-buy view of one technology: its options priced from the data, and the rule's recommendation.

    404 for a technology that does not exist or that the user may not view. One with neither a shortfall nor a
    surplus has nothing to decide: 200 with `recommendation`, `explanation` and `cheapest` null and no options
    (and `capacity` null when it is not in use).
    """

    pagination_class = None

    @extend_schema(responses=MakeOrBuySerializer)
    def get(self, request, pk):  # pylint: disable=unused-argument
        """The options of the technology with this id."""
        technology = get_object_or_404(self.answers.technologies(), pk=pk)
        found = self.capacity.make_or_buy(technology)
        if found is None:
            answer = {
                "row": self.capacity.technology(technology),
                "recommendation": "",
                "explanation": None,
                "options": [],
                "hidden_options": 0,
                "internal_cost_per_year": None,
                "cheapest": None,
                "assumptions": assumptions(),
            }
        else:
            answer = vars(found)
        return self.serialize(MakeOrBuySerializer, {"technology": technology, **answer})
