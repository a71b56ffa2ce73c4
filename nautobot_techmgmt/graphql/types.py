"""GraphQL type of the object knowledge (`devices { techmgmt_knowledge { ... } }`).

Each row is read from the knowledge state: custodian and source from the object's row, bus factor and gaps joined in
from its technology's people side, read once per request. `knowledge_as_of` says when that answer was last computed.

Nautobot lists a core object's `techmgmt_knowledge` rows by the object knowledge permission alone. A row of a
technology the user may not view therefore discloses nothing here: its technology (Nautobot's own check), custodian,
source, bus factor, gaps, severity and risk are all null.
"""

import functools

import graphene
import graphene_django_optimizer as gql_optimizer
from nautobot.apps.graphql import OptimizedNautobotObjectType, permission_safe_attribute_resolver

from nautobot_techmgmt.graphql.context import answers_of
from nautobot_techmgmt.graphql.expert import ExpertType
from nautobot_techmgmt.graphql.technology import TechnologyType
from nautobot_techmgmt.knowledge.state import PeopleSide, ensure_fresh
from nautobot_techmgmt.models import ObjectKnowledge


def visible_technology_ids(info):
    """Ids of the technologies the requesting user may view, read once per GraphQL request."""
    return answers_of(info).technology_ids


def people_side(info):
    """The technologies' people side, read once per GraphQL request."""
    request = info.context
    if not hasattr(request, "techmgmt_people_side"):
        ensure_fresh()
        request.techmgmt_people_side = PeopleSide()
    return request.techmgmt_people_side


def _answered(field_name):
    """A resolver of a value joined in from the technology's people side."""

    def resolve(root, info, **kwargs):  # pylint: disable=unused-argument
        if not hasattr(root, "state_gaps"):
            people_side(info).answer(root)
        return getattr(root, field_name)

    resolve.__name__ = f"resolve_{field_name}"
    return resolve


def _masked(field_name, resolver=None, model_field=None):
    """A resolver of `field_name` that answers null on rows of technologies the user may not view.

    The optimizer hints keep the field (or the columns it is computed from) and the row's technology id in the one
    query that loads the rows.
    """
    resolver = resolver or (lambda root, info, **kwargs: getattr(root, field_name))
    hints = {"model_field": model_field} if model_field else {}
    only = ["technology", "has_custodian", "custodian_team", "custodian_expert", "roles", "refreshed"]

    @gql_optimizer.resolver_hints(**hints, only=only)
    @functools.wraps(resolver)
    def resolve(root, info, **kwargs):
        if root.technology_id not in visible_technology_ids(info):
            return None
        return resolver(root, info, **kwargs)

    return resolve


class PathStepType(graphene.ObjectType):
    """One step of an escalation path, or one change assessor (`answers.PathStep`)."""

    position = graphene.Int(description="1, 2, ... along the path; 0 for change assessors.")
    role = graphene.String(description='A responsibility role, or "supplier" for a support contract.')
    tier = graphene.Int()
    kind = graphene.String(description="team, expert, contact or contract.")
    assignee = graphene.String(description="Who: null when the user may not view them.")
    assignee_id = graphene.ID()
    phone = graphene.String()
    email = graphene.String()
    qualified = graphene.Boolean(description="Null for a support contract.")
    source = graphene.String(description="Why: the rule it comes from.")

    @staticmethod
    def resolve_assignee(root, info):  # pylint: disable=unused-argument
        """The name of the assignee, or null."""
        return root.assignee_name

    @staticmethod
    def resolve_assignee_id(root, info):  # pylint: disable=unused-argument
        """The id of the assignee, or null."""
        return None if root.assignee is None else root.assignee.pk


def _path(assessors):
    def resolve(root, info, **kwargs):  # pylint: disable=unused-argument
        return answers_of(info).row_path_steps(root, assessors=assessors)

    return resolve


class ObjectKnowledgeType(OptimizedNautobotObjectType):
    """One technology in use on one inventory object (every type of `object_types.py`), from the knowledge state."""

    # Nullable, so that a row of a technology the user may not view can answer null.
    custodian_source = graphene.String()
    bus_factor = graphene.Int()
    gaps = graphene.List(graphene.String)
    severity = graphene.String()
    risk = graphene.Int()
    knowledge_as_of = graphene.DateTime(description="When this answer was last computed.")
    escalation_path = graphene.List(
        PathStepType, description="Whom to call, in order: support tiers, escalation, then supplier contracts."
    )
    change_assessors = graphene.List(PathStepType, description="Change assessors and design authority.")

    class Meta:
        """All fields of the model."""

        model = ObjectKnowledge
        fields = "__all__"

    resolve_custodian_team = _masked(
        "custodian_team", permission_safe_attribute_resolver("custodian_team"), model_field="custodian_team"
    )
    resolve_custodian_expert = _masked(
        "custodian_expert", permission_safe_attribute_resolver("custodian_expert"), model_field="custodian_expert"
    )
    resolve_custodian_source = _masked("custodian_source", model_field="custodian_source")
    resolve_bus_factor = _masked("bus_factor", _answered("bus_factor"))
    resolve_gaps = _masked("gaps", _answered("gaps"))
    resolve_severity = _masked("severity", _answered("severity"))
    resolve_risk = _masked("risk", _answered("risk"))
    resolve_knowledge_as_of = _masked("knowledge_as_of", _answered("knowledge_as_of"))
    resolve_escalation_path = _masked("escalation_path", _path(assessors=False))
    resolve_change_assessors = _masked("change_assessors", _path(assessors=True))


graphql_types = [ExpertType, ObjectKnowledgeType, TechnologyType]
