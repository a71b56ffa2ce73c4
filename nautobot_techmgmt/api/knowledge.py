"""Read-only REST endpoints over the knowledge engine: coverage, gaps, what-if and truck factor."""

from functools import cached_property

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nautobot_techmgmt.api.guards import ClientMistakesMixin
from nautobot_techmgmt.knowledge import GAP_KINDS, OBJECT_TYPES, SEVERITIES, Knowledge, truck_factor, what_if
from nautobot_techmgmt.knowledge.inventory import OBJECT_TYPES_BY_LABEL
from nautobot_techmgmt.knowledge.scenarios import TRUCK_FACTOR_THRESHOLD
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.models import Technology
from nautobot_techmgmt.permissions import Visibility


class BriefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Id and display name of a related object."""

    id = serializers.UUIDField()
    display = serializers.CharField()


class TechnologyRefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A technology with a link."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    url = serializers.URLField()


class GapBriefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Kind and severity of a gap."""

    kind = serializers.ChoiceField(choices=GAP_KINDS)
    severity = serializers.ChoiceField(choices=SEVERITIES)


# Objects using a technology, per type: one count per object type of the registry.
InUseSerializer = type(
    "InUseSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "__doc__": "Objects using a technology, per type.",
        **{object_type.key: serializers.IntegerField() for object_type in OBJECT_TYPES},
    },
)


class TechnologyCoverageSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Coverage of one technology."""

    technology = TechnologyRefSerializer()
    in_use = InUseSerializer()
    bus_factor = serializers.IntegerField()
    required_experts = serializers.IntegerField()
    qualified_experts = BriefSerializer(many=True)
    custodian_team = BriefSerializer(allow_null=True)
    gaps = GapBriefSerializer(many=True)
    risk = serializers.FloatField()


class GapSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A knowledge gap."""

    kind = serializers.ChoiceField(choices=GAP_KINDS)
    severity = serializers.ChoiceField(choices=SEVERITIES)
    technology = TechnologyRefSerializer()
    affected_objects = serializers.IntegerField()
    detail = serializers.CharField()


class CustodianSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The effective custodian and why."""

    team = BriefSerializer(required=False)
    expert = BriefSerializer(required=False)
    contact = BriefSerializer(required=False)
    source = serializers.CharField()
    source_object = BriefSerializer()


class ObjectTechnologySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One technology in use on an object."""

    technology = TechnologyRefSerializer()
    custodian = CustodianSerializer(allow_null=True)
    qualified_experts = BriefSerializer(many=True)
    gaps = GapBriefSerializer(many=True)


class ObjectCoverageSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Knowledge of one object."""

    object = BriefSerializer()
    technologies = ObjectTechnologySerializer(many=True)


class WhatIfRequestSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Experts who leave, and the day to judge on."""

    experts = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    as_of = serializers.DateField(required=False)


class BusFactorChangeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A technology whose bus factor changes."""

    technology = TechnologyRefSerializer()
    before = serializers.IntegerField()
    after = serializers.IntegerField()


class WhatIfSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Gaps that appear when experts leave."""

    removed_experts = BriefSerializer(many=True)
    new_gaps = GapSerializer(many=True)
    resolved_gaps = GapSerializer(many=True)
    bus_factor_changes = BusFactorChangeSerializer(many=True)


class TruckFactorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Truck factor of the estate."""

    truck_factor = serializers.IntegerField()
    experts = BriefSerializer(many=True)
    threshold = serializers.FloatField()


def _brief(obj):
    return {"id": obj.pk, "display": str(obj)}


class KnowledgeBeingComputed(APIException):
    """503 until the first full rebuild of the knowledge state has completed."""

    status_code = 503
    default_detail = "Knowledge is being computed."
    default_code = "knowledge_being_computed"


# Seconds a client is asked to wait before asking again while the knowledge is being computed.
RETRY_AFTER = 30


class KnowledgeAPIView(ClientMistakesMixin, APIView):
    """Base: authenticated users who may view technologies; answers limited to what they may see.

    A user without `nautobot_techmgmt.view_technology` is refused (403). Expert and contact names appear only
    for the experts and contacts the user may view. Every answer comes from the knowledge state and says how fresh
    it is in the headers `X-Knowledge-Updated` (ISO time the state last changed) and `X-Knowledge-Pending-Changes`;
    until the first rebuild has completed the answer is 503 with `Retry-After`.
    """

    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        """Refuse users who may not view technologies at all; say so while the knowledge is being computed."""
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm("nautobot_techmgmt.view_technology"):
            raise PermissionDenied("You may not view technologies.")
        self.knowledge_status = state_status()
        if not self.knowledge_status.ready:
            raise KnowledgeBeingComputed(self.knowledge_status.message)

    def finalize_response(self, request, response, *args, **kwargs):
        """Add the freshness headers (and Retry-After to a 503)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        status = getattr(self, "knowledge_status", None)
        if status is not None:
            if status.updated is not None:
                response["X-Knowledge-Updated"] = status.updated.isoformat()
            response["X-Knowledge-Pending-Changes"] = str(status.pending)
            if response.status_code == 503:
                response["Retry-After"] = str(RETRY_AFTER)
        return response

    @cached_property
    def visibility(self):
        """What this request's user may see."""
        return Visibility(self.request.user)

    def visible_technology_ids(self):
        """Ids of the technologies this user may view."""
        return self.visibility.technology_ids

    def technology_ref(self, technology):
        """Id, name and absolute URL of a technology."""
        return {
            "id": technology.pk,
            "name": technology.name,
            "url": self.request.build_absolute_uri(technology.get_absolute_url()),
        }

    def experts(self, experts):
        """Briefs of the experts the user may view."""
        return [_brief(expert) for expert in self.visibility.experts(experts)]

    def gap_row(self, gap):
        """A gap in the REST shape."""
        return {
            "kind": gap.kind,
            "severity": gap.severity,
            "technology": self.technology_ref(gap.technology),
            "affected_objects": gap.affected_objects,
            "detail": self.gap_detail(gap),
        }

    def gap_detail(self, gap):
        """The gap's sentence, naming those of its experts the user may view."""
        if experts := self.visibility.experts(gap.experts):
            return f"{gap.detail} Experts: {', '.join(str(expert) for expert in experts)}."
        return gap.detail


class CoverageTechnologiesView(KnowledgeAPIView):
    """Coverage of every technology: in use, bus factor, qualified experts, custodian team, gaps, risk."""

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, many=True),
            OpenApiParameter("technology", str, many=True, description="Name or ID"),
            OpenApiParameter("in_use", bool),
        ],
        responses=TechnologyCoverageSerializer(many=True),
    )
    def get(self, request):
        """One row per technology."""
        knowledge = Knowledge()
        technologies = Technology.objects.restrict(request.user, "view").select_related("custodian_team")
        if categories := request.query_params.getlist("category"):
            technologies = technologies.filter(category__in=categories)
        if wanted := request.query_params.getlist("technology"):
            technologies = [t for t in technologies if t.name in wanted or str(t.pk) in wanted]
        in_use = request.query_params.get("in_use")
        rows = []
        for technology in technologies:
            if in_use is not None and knowledge.is_in_use(technology.pk) != (in_use.lower() in ("true", "1")):
                continue
            counts = knowledge.in_use.get(technology.pk, dict.fromkeys((t.key for t in OBJECT_TYPES), 0))
            rows.append(
                {
                    "technology": self.technology_ref(technology),
                    "in_use": counts,
                    "bus_factor": knowledge.bus_factor(technology.pk),
                    "required_experts": technology.required_experts,
                    "qualified_experts": self.experts(knowledge.qualified_experts(technology.pk)),
                    "custodian_team": _brief(technology.custodian_team) if technology.custodian_team else None,
                    "gaps": [{"kind": gap.kind, "severity": gap.severity} for gap in knowledge.gaps_of(technology.pk)],
                    "risk": knowledge.risk.get(technology.pk, 0),
                }
            )
        return Response(rows)


class CoverageObjectView(KnowledgeAPIView):
    """Knowledge of one inventory object (of a type in object_types.py)."""

    @extend_schema(responses=ObjectCoverageSerializer)
    def get(self, request, model, pk):
        """Technologies in use on the object with custodian, qualified experts and gaps."""
        object_type = OBJECT_TYPES_BY_LABEL.get(model.lower())
        if object_type is None:
            raise NotFound(f"Unknown object type {model!r}; use one of: {', '.join(OBJECT_TYPES_BY_LABEL)}.")
        model_class = object_type.model
        obj = get_object_or_404(model_class.objects.restrict(request.user, "view"), pk=pk)
        visible = self.visible_technology_ids()
        rows = []
        for row in Knowledge().for_object(obj, with_sources=True):
            if row["technology"].pk not in visible:
                continue
            rows.append(
                {
                    "technology": self.technology_ref(row["technology"]),
                    "custodian": self.custodian(row["custodian"]),
                    "qualified_experts": self.experts(row["qualified_experts"]),
                    "gaps": [{"kind": gap.kind, "severity": gap.severity} for gap in row["gaps"]],
                }
            )
        return Response({"object": _brief(obj), "technologies": rows})

    def custodian(self, custodian):
        """The custodian in the REST shape; an expert or contact is named only to users who may view it."""
        if custodian is None:
            return None
        answer = {"source": custodian.source, "source_object": _brief(custodian.source_object)}
        if (assignee := self.visibility.custodian_name(custodian)) is not None:
            kind = "team" if custodian.team else "expert" if custodian.expert else "contact"
            answer[kind] = _brief(assignee)
        return answer


class GapsView(KnowledgeAPIView):
    """Every knowledge gap, worst risk first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, many=True, enum=GAP_KINDS),
            OpenApiParameter("severity", str, many=True, enum=SEVERITIES),
            OpenApiParameter("technology", str, many=True, description="Name or ID"),
            OpenApiParameter("team", str, many=True, description="Custodian team of the technology (name or ID)"),
        ],
        responses=GapSerializer(many=True),
    )
    def get(self, request):
        """Gap rows, filtered."""
        visible = self.visible_technology_ids()
        params = request.query_params
        gaps = [gap for gap in Knowledge().gaps if gap.technology.pk in visible]
        if kinds := params.getlist("kind"):
            gaps = [gap for gap in gaps if gap.kind in kinds]
        if severities := params.getlist("severity"):
            gaps = [gap for gap in gaps if gap.severity in severities]
        if wanted := params.getlist("technology"):
            gaps = [gap for gap in gaps if gap.technology.name in wanted or str(gap.technology.pk) in wanted]
        if teams := params.getlist("team"):
            team = lambda gap: gap.technology.custodian_team  # noqa: E731
            gaps = [gap for gap in gaps if team(gap) and (team(gap).name in teams or str(team(gap).pk) in teams)]
        return Response([self.gap_row(gap) for gap in gaps])


class WhatIfView(KnowledgeAPIView):
    """The gaps that appear when some experts leave."""

    @extend_schema(request=WhatIfRequestSerializer, responses=WhatIfSerializer)
    def post(self, request):
        """Run the scenario."""
        if not self.visibility.may_view_experts:
            raise PermissionDenied("You may not view experts.")
        body = WhatIfRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        expert_ids = body.validated_data["experts"]
        if missing := [str(pk) for pk in expert_ids if pk not in self.visibility.expert_ids]:
            raise serializers.ValidationError({"experts": [f"Unknown expert(s): {', '.join(missing)}."]})
        result = what_if(expert_ids, as_of=body.validated_data.get("as_of"))
        visible = self.visible_technology_ids()
        return Response(
            {
                "removed_experts": [_brief(expert) for expert in result.removed_experts],
                "new_gaps": [self.gap_row(gap) for gap in result.new_gaps if gap.technology.pk in visible],
                "resolved_gaps": [self.gap_row(gap) for gap in result.resolved_gaps if gap.technology.pk in visible],
                "bus_factor_changes": [
                    {
                        "technology": self.technology_ref(row["technology"]),
                        "before": row["before"],
                        "after": row["after"],
                    }
                    for row in result.bus_factor_changes
                    if row["technology"].pk in visible
                ],
            }
        )


class TruckFactorView(KnowledgeAPIView):
    """The truck factor of the estate."""

    @extend_schema(responses=TruckFactorSerializer)
    def get(self, request):
        """Smallest number of departures that orphan more than half of the in-use technologies."""
        factor, experts = truck_factor()
        return Response({"truck_factor": factor, "experts": self.experts(experts), "threshold": TRUCK_FACTOR_THRESHOLD})
