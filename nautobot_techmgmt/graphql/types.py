"""GraphQL type of the materialised object knowledge.

Nautobot lists a core object's `techmgmt_knowledge` rows by the object knowledge permission alone. A row of a
technology the user may not view therefore discloses nothing here: its technology (Nautobot's own check), custodian,
source, bus factor, gaps, severity and risk are all null.
"""

import functools

import graphene
import graphene_django_optimizer as gql_optimizer
from nautobot.apps.graphql import OptimizedNautobotObjectType, permission_safe_attribute_resolver

from nautobot_techmgmt.models import ObjectKnowledge
from nautobot_techmgmt.permissions import Visibility


def visible_technology_ids(info):
    """Ids of the technologies the requesting user may view, read once per GraphQL request."""
    request = info.context
    if not hasattr(request, "_techmgmt_visibility"):
        request._techmgmt_visibility = Visibility(request.user)
    return request._techmgmt_visibility.technology_ids


def _masked(field_name, resolver=None):
    """A resolver of `field_name` that answers null on rows of technologies the user may not view.

    The optimizer hints keep the field and the row's technology id in the one query that loads the rows.
    """
    resolver = resolver or (lambda root, info, **kwargs: getattr(root, field_name))

    @gql_optimizer.resolver_hints(model_field=field_name, only=["technology"])
    @functools.wraps(resolver)
    def resolve(root, info, **kwargs):
        if root.technology_id not in visible_technology_ids(info):
            return None
        return resolver(root, info, **kwargs)

    return resolve


class ObjectKnowledgeType(OptimizedNautobotObjectType):
    """One technology in use on one device, circuit, virtual machine or cluster, as the last refresh found it."""

    # Nullable, so that a row of a technology the user may not view can answer null.
    custodian_source = graphene.String()
    bus_factor = graphene.Int()
    gaps = graphene.List(graphene.String)
    severity = graphene.String()
    risk = graphene.Int()

    class Meta:
        """All fields of the model."""

        model = ObjectKnowledge
        fields = "__all__"

    resolve_custodian_team = _masked("custodian_team", permission_safe_attribute_resolver("custodian_team"))
    resolve_custodian_expert = _masked("custodian_expert", permission_safe_attribute_resolver("custodian_expert"))
    resolve_custodian_source = _masked("custodian_source")
    resolve_bus_factor = _masked("bus_factor")
    resolve_gaps = _masked("gaps")
    resolve_severity = _masked("severity")
    resolve_risk = _masked("risk")


graphql_types = [ObjectKnowledgeType]
