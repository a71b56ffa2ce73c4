"""Read-only REST endpoints over the knowledge engine: coverage, gaps, what-if and truck factor, and candidate experts.

Each view asks the per-user answers (`answers.Answers`, and `candidates.History` for the change-log evidence) and hands
them to its response serializer, so the OpenAPI schema is the shape that is sent; technologies are selected with
`KnowledgeTechnologyFilterSet`.
"""

from functools import cached_property

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from nautobot.apps.utils import is_uuid
from nautobot.core.utils.lookup import get_filterset_for_model
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from nautobot_techmgmt.answers import SUPPLIER, Answers
from nautobot_techmgmt.api.guards import ClientMistakesMixin
from nautobot_techmgmt.candidates import History
from nautobot_techmgmt.choices import ASSESSOR_ROLES, ResponsibilityRoleChoices, SupportLevelChoices
from nautobot_techmgmt.filters import KnowledgeTechnologyFilterSet
from nautobot_techmgmt.knowledge import GAP_KINDS, SEVERITIES, activity
from nautobot_techmgmt.knowledge.custodians import display_name
from nautobot_techmgmt.knowledge.scenarios import TRUCK_FACTOR_THRESHOLD
from nautobot_techmgmt.knowledge.state import state_status
from nautobot_techmgmt.object_types import OBJECT_TYPES, OBJECT_TYPES_BY_LABEL


class BriefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Id and display name of a related object."""

    id = serializers.UUIDField()
    display = serializers.CharField(source="__str__")


@extend_schema_field(OpenApiTypes.URI)
class AbsoluteURLField(serializers.Field):  # pylint: disable=abstract-method
    """The absolute URL of the object itself, built for the request being answered."""

    def __init__(self, **kwargs):
        """Read from the whole object."""
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        """`https://host/...` of the object's page."""
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


class TechnologyRefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A technology with a link."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    url = AbsoluteURLField()


class GapBriefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Kind and severity of a gap."""

    kind = serializers.ChoiceField(choices=GAP_KINDS)
    severity = serializers.ChoiceField(choices=SEVERITIES)


# Objects a change may list by id in one request to `assessors/` (a filter selects any number).
MAX_LISTED_OBJECTS = 10_000
# Query parameters of Nautobot's REST API that are not filters of a list.
NOT_FILTERS = ("format", "limit", "offset", "sort", "depth", "brief", "exclude_m2m", "include")


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
    """Coverage of one technology (`answers.TechnologyCoverage`)."""

    technology = TechnologyRefSerializer()
    in_use = InUseSerializer()
    bus_factor = serializers.IntegerField()
    required_experts = serializers.IntegerField()
    qualified_experts = BriefSerializer(many=True)
    custodian_team = BriefSerializer(allow_null=True)
    gaps = GapBriefSerializer(many=True)
    risk = serializers.IntegerField(help_text="Sum over the technology's gaps of severity weight × objects affected.")


class GapSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A knowledge gap (`answers.GapAnswer`)."""

    kind = serializers.ChoiceField(choices=GAP_KINDS)
    severity = serializers.ChoiceField(choices=SEVERITIES)
    technology = TechnologyRefSerializer()
    affected_objects = serializers.IntegerField()
    detail = serializers.CharField(source="detail_with_experts")
    risk = serializers.IntegerField(help_text="Severity weight (critical 10, high 5, medium 2, low 1) × objects.")


class CustodianSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The effective custodian and why; the team, expert or contact only when the user may see who it is."""

    team = BriefSerializer(required=False)
    expert = BriefSerializer(required=False)
    contact = BriefSerializer(required=False)
    source = serializers.CharField()
    source_object = BriefSerializer()

    def __init__(self, **kwargs):
        """Read from the whole `answers.ObjectTechnology`: the custodian and the name the user may see."""
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        """Null without a custodian; else source, source object and the assignee under its kind."""
        custodian = instance.custodian
        if custodian is None:
            return None
        answer = {"source": custodian.source, "source_object": BriefSerializer(custodian.source_object).data}
        if (assignee := instance.custodian_name) is not None:
            kind = "team" if custodian.team else "expert" if custodian.expert else "contact"
            answer[kind] = BriefSerializer(assignee).data
        return answer


class ObjectTechnologySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One technology in use on an object (`answers.ObjectTechnology`)."""

    technology = TechnologyRefSerializer()
    custodian = CustodianSerializer(allow_null=True)
    qualified_experts = BriefSerializer(many=True)
    gaps = GapBriefSerializer(many=True)


class AssigneeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A team, expert, contact or support contract with a link; null when the user may not see who it is."""

    id = serializers.UUIDField()
    display = serializers.SerializerMethodField()
    url = AbsoluteURLField()

    @staticmethod
    def get_display(assignee) -> str:
        """Its name (a team's or contact's text would add phone and e-mail, given beside it)."""
        return display_name(assignee)


class PathStepSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """One step of an escalation path, or one change assessor (`answers.PathStep`)."""

    position = serializers.IntegerField(help_text="1, 2, ... along the path; 0 for change assessors.")
    role = serializers.ChoiceField(choices=[*ResponsibilityRoleChoices.values(), SUPPLIER])
    tier = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=["team", "expert", "contact", "contract"])
    assignee = AssigneeSerializer(allow_null=True)
    phone = serializers.CharField()
    email = serializers.CharField()
    qualified = serializers.BooleanField(allow_null=True, help_text="Null for a support contract.")
    source = serializers.CharField(help_text="Why: the rule it comes from.")


class EscalationPathSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Whom to call, in order, for one technology on one object (`answers.EscalationPath`)."""

    technology = TechnologyRefSerializer()
    steps = PathStepSerializer(many=True)
    assessors = PathStepSerializer(many=True)
    gaps = GapBriefSerializer(many=True)


class ObjectCoverageSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Knowledge of one object."""

    object = BriefSerializer()
    technologies = ObjectTechnologySerializer(many=True)
    escalation_paths = EscalationPathSerializer(many=True)


class ObjectRefSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """An inventory object named by its type and id."""

    object_type = serializers.CharField(help_text='"dcim.device", "circuits.circuit", ...')
    id = serializers.UUIDField()


class AssessorsRequestSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """The objects a change touches: listed, or selected by a filter of one object type's list."""

    objects = ObjectRefSerializer(many=True, required=False, max_length=MAX_LISTED_OBJECTS)
    object_type = serializers.CharField(required=False, help_text="With `filter`: the type the filter selects.")
    filter = serializers.DictField(
        required=False, help_text='Filters of the object type\'s list, as in its REST list: {"location": ["Chicago"]}.'
    )

    def validate(self, attrs):
        """Either `objects`, or `object_type` with `filter`."""
        if bool(attrs.get("objects")) == ("object_type" in attrs or "filter" in attrs):
            raise serializers.ValidationError("Give either `objects`, or `object_type` with `filter`.")
        if "filter" in attrs and "object_type" not in attrs:
            raise serializers.ValidationError({"object_type": ["Required with `filter`."]})
        return attrs


class AssessorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A change assessor or design authority, deduplicated over the objects (`answers.Assessor`)."""

    role = serializers.ChoiceField(choices=ASSESSOR_ROLES)
    kind = serializers.ChoiceField(choices=["team", "expert", "contact"])
    assignee = AssigneeSerializer(allow_null=True)
    phone = serializers.CharField()
    email = serializers.CharField()
    qualified = serializers.BooleanField()
    sources = serializers.ListField(child=serializers.CharField(), help_text="Why: the rules it comes from.")
    objects = serializers.IntegerField(help_text="How many of the objects it assesses for this technology.")


class TechnologyAssessorsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Who must assess a change for one technology in use on the objects (`answers.TechnologyAssessors`)."""

    technology = TechnologyRefSerializer()
    objects = serializers.IntegerField(help_text="Objects of the change that use the technology.")
    without_assessor = serializers.IntegerField(help_text="Of those, objects with no change assessor.")
    assessors = AssessorSerializer(many=True)


class AssessorsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Who must assess a change to some objects."""

    objects = serializers.DictField(child=serializers.IntegerField(), help_text="Objects of the change, per type.")
    technologies = TechnologyAssessorsSerializer(many=True)


class WhatIfRequestSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Experts who leave, and the day to judge on."""

    experts = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)
    as_of = serializers.DateField(required=False)


class BusFactorChangeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A technology whose bus factor changes."""

    technology = TechnologyRefSerializer()
    before = serializers.IntegerField()
    after = serializers.IntegerField()


class LinkedBriefSerializer(BriefSerializer):  # pylint: disable=abstract-method
    """Id, display name and page of a related object."""

    url = AbsoluteURLField()


class CoverTrainingPlanSerializer(LinkedBriefSerializer):  # pylint: disable=abstract-method
    """A training plan that brings an expert who stays to the qualified level."""

    expert = LinkedBriefSerializer()
    target_level = serializers.IntegerField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField(source="status.name")


class CoverResponsibilitySerializer(LinkedBriefSerializer):  # pylint: disable=abstract-method
    """A responsibility of an expert who leaves: it needs a new assignee."""

    expert = LinkedBriefSerializer()
    role = serializers.ChoiceField(choices=ResponsibilityRoleChoices.values())
    tier = serializers.IntegerField(source="escalation_tier")
    target_type = serializers.CharField(allow_null=True, help_text="Kind of target; null for the technology alone.")
    target = serializers.CharField(allow_null=True, help_text="The target's name; null for the technology alone.")
    edit_url = serializers.SerializerMethodField(help_text="The page where it is reassigned.")

    def get_edit_url(self, responsibility) -> str:
        """`https://host/...` of the responsibility's edit page."""
        return self.context["request"].build_absolute_uri(
            reverse("plugins:nautobot_techmgmt:responsibility_edit", kwargs={"pk": responsibility.pk})
        )


class CoverContractSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A support contract that covers the technology (`answers.CoverContract`)."""

    id = serializers.UUIDField(source="contract.id")
    reference = serializers.CharField(source="contract.reference")
    supplier = BriefSerializer(source="contract.supplier")
    support_level = serializers.ChoiceField(source="contract.support_level", choices=SupportLevelChoices.values())
    start_date = serializers.DateField(source="contract.start_date")
    end_date = serializers.DateField(source="contract.end_date", allow_null=True)
    in_force = serializers.BooleanField(help_text="In force on the scenario's day; false: it ended before.")
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        """`https://host/...` of the contract's page."""
        return self.context["request"].build_absolute_uri(row.contract.get_absolute_url())


@extend_schema_field(OpenApiTypes.URI)
class AbsolutePathField(serializers.Field):  # pylint: disable=abstract-method
    """A path of this site (or null) as an absolute URL, built for the request being answered."""

    def __init__(self, **kwargs):
        """Read-only; null when the path is."""
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        """`https://host/path?query`."""
        return self.context["request"].build_absolute_uri(value)


class CandidateSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A candidate expert and the change-log evidence for them (`candidates.Evidence`)."""

    person_name = serializers.CharField(
        help_text='The contact\'s name, or "an unmapped user" (a username only to users who may view users).'
    )
    contact = AssigneeSerializer(allow_null=True, help_text="Null for an unmapped user or a contact you may not view.")
    expert = AssigneeSerializer(allow_null=True, help_text="The person's expert record, if any and if you may view it.")
    unmapped_user = serializers.UUIDField(
        source="unmapped_user.pk", allow_null=True, help_text="ID of the unmapped user; null unless you may view users."
    )
    technology = TechnologyRefSerializer()
    skill_level = serializers.IntegerField(allow_null=True, help_text="The level recorded; null without a skill.")
    suggested_level = serializers.IntegerField(allow_null=True, help_text="The level the activity suggests.")
    objects_touched = serializers.IntegerField(source="activity.objects_touched")
    authored_objects = serializers.IntegerField(source="activity.authored_objects")
    first_authorships = serializers.IntegerField(source="activity.first_authorships")
    own_changes = serializers.IntegerField(source="activity.own_changes")
    others_changes = serializers.IntegerField(source="activity.others_changes")
    last_activity = serializers.DateTimeField(source="activity.last_activity")
    score = serializers.FloatField(
        source="activity.score", help_text="Sum over the objects of the degree of authorship."
    )
    dismissed = serializers.SerializerMethodField()
    changelog_url = AbsolutePathField(help_text="The change log of the person's users in the window.")
    record_skill_url = AbsolutePathField(help_text="The skill form filled in; null without an expert record.")

    @staticmethod
    def get_dismissed(item) -> bool:
        """Whether a dismissal still holds (only listed with `include_dismissed`)."""
        return item.dismissal is not None


class CoverOptionsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """What to do next about one technology with new gaps (`answers.CoverOptions`)."""

    technology = TechnologyRefSerializer()
    qualified_level = serializers.IntegerField(source="technology.qualified_level")
    one_level_short = LinkedBriefSerializer(
        many=True, help_text="Active experts who stay, one level below the qualified level."
    )
    training_plans = CoverTrainingPlanSerializer(
        many=True, help_text="Plans of experts who stay to the qualified level or above, planned or in progress."
    )
    responsibilities = CoverResponsibilitySerializer(many=True, help_text="Those of the leavers for the technology.")
    contracts = CoverContractSerializer(many=True, help_text="In force on the day first, then those that ended.")
    hidden_experts = serializers.IntegerField(
        help_text="Entries left out because they name an expert the user may not view."
    )
    candidates = CandidateSerializer(
        many=True,
        allow_null=True,
        help_text="People the change log suggests (candidate experts), leavers left out; null without the permission "
        "to view technology activity or with the feature off.",
    )


class WhatIfSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Gaps that appear when experts leave (`answers.WhatIfAnswer`), and what to do next about each technology."""

    removed_experts = BriefSerializer(many=True)
    new_gaps = GapSerializer(many=True)
    resolved_gaps = GapSerializer(many=True)
    bus_factor_changes = BusFactorChangeSerializer(many=True)
    cover_options = CoverOptionsSerializer(many=True)


class TruckFactorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """Truck factor of the estate."""

    truck_factor = serializers.IntegerField()
    experts = BriefSerializer(many=True)
    threshold = serializers.FloatField()


class FadingSkillSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """A qualified skill with no activity on its technology for a long time while others work on it."""

    skill = AssigneeSerializer()
    expert = AssigneeSerializer(source="skill.expert")
    technology = TechnologyRefSerializer(source="skill.technology")
    level = serializers.IntegerField(source="skill.level")
    last_assessed = serializers.DateField(source="skill.last_assessed", allow_null=True)
    last_activity = serializers.DateTimeField(
        allow_null=True, help_text="The expert's last activity on the technology in the window; null if none."
    )
    technology_last_activity = serializers.DateTimeField(help_text="The technology's last activity by anyone.")


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

    knowledge_status = None  # the state's status, read once per request in initial()
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
    def answers(self):
        """The engine's answers as this request's user may see them."""
        return Answers(self.request.user)

    def technologies(self, ignore=()):
        """The technologies the user may view, narrowed by the technology filters of the query string, or None.

        None when no technology filter is given; a value a filter cannot take is a 400 that says which. Parameters
        in `ignore` are left to the view (they mean something else there).
        """
        params = self.request.query_params.copy()
        for name in ignore:
            params.pop(name, None)
        filterset = KnowledgeTechnologyFilterSet(params, queryset=self.answers.technologies())
        if not any(name in params for name in filterset.filters):
            return None
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return filterset.qs

    def serialize(self, serializer_class, instance, many=False):
        """The response: the answer through its serializer."""
        return Response(serializer_class(instance, many=many, context={"request": self.request}).data)

    def values(self, name, parse):
        """The values of a list parameter, each through `parse`; a 400 that names the parameter for a bad one."""
        try:
            return [parse(value) for value in self.request.query_params.getlist(name)]
        except ValueError as error:
            raise serializers.ValidationError({name: [str(error)]}) from error


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
        in_use = request.query_params.get("in_use")
        rows = self.answers.coverages(
            self.technologies(ignore=("in_use",)), in_use=None if in_use is None else in_use.lower() in ("true", "1")
        )
        return self.serialize(TechnologyCoverageSerializer, rows, many=True)


class CoverageObjectView(KnowledgeAPIView):
    """Knowledge of one inventory object (of a type in object_types.py)."""

    @extend_schema(responses=ObjectCoverageSerializer)
    def get(self, request, model, pk):
        """Technologies in use on the object with custodian, qualified experts and gaps."""
        object_type = OBJECT_TYPES_BY_LABEL.get(model.lower())
        if object_type is None:
            raise NotFound(f"Unknown object type {model!r}; use one of: {', '.join(OBJECT_TYPES_BY_LABEL)}.")
        obj = get_object_or_404(object_type.model.objects.restrict(request.user, "view"), pk=pk)
        rows = self.answers.object_knowledge(obj, with_sources=True)
        return self.serialize(
            ObjectCoverageSerializer,
            {"object": obj, "technologies": rows, "escalation_paths": self.answers.escalation_paths(rows)},
        )


class AssessorsView(KnowledgeAPIView):
    """Who must assess a change to a set of objects: per technology, change assessors and design authority, with why.

    POST the objects, listed (`objects`) or selected by a filter of one object type's list (`object_type` and
    `filter`); GET takes `object_type` and that type's list filters as query parameters. Only objects the user may
    view count; a listed object that does not exist or that the user may not view is a 400 that names it.
    """

    @extend_schema(request=AssessorsRequestSerializer, responses=AssessorsSerializer)
    def post(self, request):
        """Assessors of the objects in the body."""
        body = AssessorsRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data.get("objects"):
            selected = self.listed_objects(body.validated_data["objects"])
        else:
            selected = self.filtered_objects(body.validated_data["object_type"], body.validated_data["filter"])
        return self.assessors_of(selected)

    @extend_schema(
        parameters=[OpenApiParameter("object_type", str, required=True, enum=list(OBJECT_TYPES_BY_LABEL))],
        responses=AssessorsSerializer,
    )
    def get(self, request):
        """Assessors of the objects the query string's filters select."""
        params = request.query_params.copy()
        for name in NOT_FILTERS:
            params.pop(name, None)
        object_type = params.pop("object_type", [None])[-1]
        if object_type is None:
            raise serializers.ValidationError({"object_type": ["Required: the type of the objects to select."]})
        return self.assessors_of(self.filtered_objects(object_type, params))

    def assessors_of(self, selected):
        """The answer for {object type key: queryset of objects}."""
        counts = {key: queryset.count() for key, queryset in selected.items()}
        technologies = self.answers.assessors(selected)
        return self.serialize(AssessorsSerializer, {"objects": counts, "technologies": technologies})

    def object_type(self, label):
        """The registry's entry of a label ("dcim.device"), or a 400 that lists the known ones."""
        object_type = OBJECT_TYPES_BY_LABEL.get(str(label).lower())
        if object_type is None:
            known = ", ".join(OBJECT_TYPES_BY_LABEL)
            raise serializers.ValidationError({"object_type": [f"Unknown object type {label!r}; use one of: {known}."]})
        return object_type

    def listed_objects(self, refs):
        """{object type key: queryset} of listed objects; a 400 names those not found or not viewable."""
        wanted = {}
        for ref in refs:
            wanted.setdefault(self.object_type(ref["object_type"]), set()).add(ref["id"])
        selected, missing = {}, []
        for object_type, ids in wanted.items():
            queryset = object_type.model.objects.restrict(self.request.user, "view").filter(pk__in=list(ids))
            found = set(queryset.values_list("pk", flat=True))
            missing += [f"{object_type.label_lower} {pk}" for pk in sorted(ids - found, key=str)]
            selected[object_type.key] = queryset
        if missing:
            raise serializers.ValidationError({"objects": [f"Not found: {', '.join(missing)}."]})
        return selected

    def filtered_objects(self, label, filters):
        """{object type key: queryset} of the objects a filter of the type's list selects; a 400 for a bad filter."""
        object_type = self.object_type(label)
        queryset = object_type.model.objects.restrict(self.request.user, "view")
        data = QueryDict(mutable=True)
        for name, value in filters.lists() if isinstance(filters, QueryDict) else filters.items():
            data.setlist(name, [str(item) for item in (value if isinstance(value, (list, tuple)) else [value])])
        filterset = get_filterset_for_model(object_type.model)(data, queryset=queryset)
        if unknown := sorted(set(data) - set(filterset.filters)):
            raise serializers.ValidationError({"filter": [f"Unknown filter(s): {', '.join(unknown)}."]})
        if not filterset.is_valid():
            raise serializers.ValidationError({"filter": filterset.errors})
        return {object_type.key: filterset.qs}


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
        params = request.query_params
        gaps = self.answers.gaps(
            kinds=params.getlist("kind"), severities=params.getlist("severity"), technologies=self.technologies()
        )
        return self.serialize(GapSerializer, gaps, many=True)


class WhatIfView(KnowledgeAPIView):
    """The gaps that appear when some experts leave."""

    @extend_schema(request=WhatIfRequestSerializer, responses=WhatIfSerializer)
    def post(self, request):
        """Run the scenario."""
        if not self.answers.may_view_experts:
            raise PermissionDenied("You may not view experts.")
        body = WhatIfRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        expert_ids = body.validated_data["experts"]
        if missing := [str(pk) for pk in expert_ids if pk not in self.answers.expert_ids]:
            raise serializers.ValidationError({"experts": [f"Unknown expert(s): {', '.join(missing)}."]})
        answers = Answers(request.user, as_of=body.validated_data.get("as_of"))
        return self.serialize(WhatIfSerializer, answers.what_if(expert_ids))


class TruckFactorView(KnowledgeAPIView):
    """The truck factor of the estate."""

    @extend_schema(responses=TruckFactorSerializer)
    def get(self, request):
        """Smallest number of departures that orphan more than half of the in-use technologies."""
        factor, experts, _ = self.answers.truck_factor()
        return self.serialize(
            TruckFactorSerializer, {"truck_factor": factor, "experts": experts, "threshold": TRUCK_FACTOR_THRESHOLD}
        )


class HistoryAPIView(KnowledgeAPIView):
    """Base of the change-log evidence endpoints: 404 while the feature is off, 403 without the activity permission."""

    def initial(self, request, *args, **kwargs):
        """Refuse as the module docstring of `candidates` says."""
        super().initial(request, *args, **kwargs)
        if not activity.enabled():
            raise NotFound("Candidate experts are turned off (setting `candidate_experts_enabled`).")
        if not self.history.visible:
            raise PermissionDenied("You may not view technology activity.")

    @cached_property
    def history(self):
        """The change-log evidence as this request's user may see it."""
        return History(self.answers)


def _uuid(value):
    """An ID, or a ValueError that says it is none."""
    if not is_uuid(value):
        raise ValueError(f"{value!r} is not an ID.")
    return value


def parse_boolean(value):
    """True or False from "true", "1", "false", "0" ..., or a ValueError that says it is none."""
    try:
        return serializers.BooleanField().to_internal_value(value)
    except serializers.ValidationError:
        raise ValueError(f"{value!r} is not a boolean (true or false).") from None


class CandidatesView(HistoryAPIView):
    """Candidate experts from the change log: strong activity on a technology and no skill at its qualified level."""

    @extend_schema(
        parameters=[
            OpenApiParameter("technology", str, many=True, description="Name or ID (any technology filter works)"),
            OpenApiParameter("category", str, many=True),
            OpenApiParameter("team", str, many=True, description="Teams the person belongs to (name or ID)"),
            OpenApiParameter("include_dismissed", bool, description="Also list dismissed candidates"),
        ],
        responses=CandidateSerializer(many=True),
    )
    def get(self, request):
        """Per technology, strongest first."""
        names = request.query_params.getlist("team")
        include_dismissed = self.values("include_dismissed", parse_boolean)
        found = self.history.candidates(
            technologies=self.technologies(ignore=("team",)),
            teams=self.history.teams_named(names) if names else None,
            include_dismissed=bool(include_dismissed and include_dismissed[-1]),
        )
        return self.serialize(CandidateSerializer, found, many=True)


class FadingSkillsView(HistoryAPIView):
    """Fading skills: qualified skills with no activity on their technology for a long time while others work on it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("technology", str, many=True, description="Name or ID (any technology filter works)"),
            OpenApiParameter("category", str, many=True),
            OpenApiParameter("expert", OpenApiTypes.UUID, many=True, description="Expert ID"),
        ],
        responses=FadingSkillSerializer(many=True),
    )
    def get(self, request):  # pylint: disable=unused-argument
        """Per technology, by expert name."""
        experts = self.values("expert", _uuid) or None
        fading = self.history.fading_skills(technologies=self.technologies(), experts=experts)
        return self.serialize(FadingSkillSerializer, fading, many=True)
