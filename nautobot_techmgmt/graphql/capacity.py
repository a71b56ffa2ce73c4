"""GraphQL types of expert-hour capacity: `technologies { capacity make_or_buy }` and `experts { capacity }`.

Every figure comes from the requesting user's `CapacityAnswers`, made once per GraphQL request
(`context.capacity_of`), so a query over many technologies or experts costs the same number of database queries as
one over a single one. Hours are per week and costs per year, rounded as REST rounds them; a cost the user may not
see is null, and an expert or contract the user may not view is not named.
"""

import graphene
from django.db.models import Model

from nautobot_techmgmt.capacity import HOURS_PLACES, MONEY_PLACES, PERCENT_PLACES, RATIO_PLACES
from nautobot_techmgmt.knowledge.custodians import display_name
from nautobot_techmgmt.object_types import OBJECT_TYPES


def _value(root, path):
    """The attribute at a dotted path of `root` (None along the way gives None)."""
    for name in path.split("."):
        if root is None:
            return None
        root = getattr(root, name)
    return root


def figure_field(path, places, description=""):
    """A Float read from `path`, rounded to `places` decimal places; null when the value is."""

    def resolve(root, info):  # pylint: disable=unused-argument
        value = _value(root, path)
        return None if value is None else float(round(value, places))

    return graphene.Float(description=description, resolver=resolve)


def hours_field(path, description=""):
    """Hours per week read from `path`."""
    return figure_field(path, HOURS_PLACES, description)


def money_field(path, description=""):
    """A cost read from `path`: null when unknown or when the user may not see it."""
    return figure_field(path, MONEY_PLACES, description)


def name_of(path, description=""):
    """The name of the object at `path` (an expert, contact, team or contract), or null."""

    def resolve(root, info):  # pylint: disable=unused-argument
        return display_name(_value(root, path))

    return graphene.String(description=description, resolver=resolve)


def id_of(path):
    """The id of the object at `path`, or null."""

    def resolve(root, info):  # pylint: disable=unused-argument
        found = _value(root, path)
        return found.pk if isinstance(found, Model) else None

    return graphene.ID(resolver=resolve)


def blank_as_null(path, description=""):
    """A String read from `path`, null when blank."""

    def resolve(root, info):  # pylint: disable=unused-argument
        return _value(root, path) or None

    return graphene.String(description=description, resolver=resolve)


# Objects in use per type: one count per object type of the registry.
ObjectCountsType = type(
    "CapacityObjectCountsType",
    (graphene.ObjectType,),
    {
        "__module__": __name__,
        "__doc__": "Objects in use, per type.",
        **{
            object_type.key: graphene.Int(resolver=lambda root, info, key=object_type.key: root.get(key, 0))
            for object_type in OBJECT_TYPES
        },
    },
)


class DemandType(graphene.ObjectType):
    """Hours per week a technology needs, and how they are made (`knowledge.capacity.Demand`)."""

    hours = hours_field("hours", "(Base + object hours) x (1 + uplift / 100).")
    base_hours_per_week = hours_field("effort.base_hours_per_week", "From the effort model.")
    object_hours = hours_field(
        "object_hours", "Sum over object types of hours per object per month x objects x 12 / 52."
    )
    objects = graphene.Field(ObjectCountsType, description="Objects in use, per type.")
    worst_gap = blank_as_null("worst_gap", "Severity of the technology's worst own gap; null without one.")
    uplift_percent = figure_field("uplift_percent", PERCENT_PLACES, "The uplift applied.")
    steady_hours = hours_field("steady_hours", "The least demand of the last 90 days.")


class ContributorType(graphene.ObjectType):
    """An expert or a support contract giving hours to a technology."""

    expert = name_of("expert", "Null for a contract.")
    expert_id = id_of("expert")
    contract = name_of("contract", "Null for an expert.")
    contract_id = id_of("contract")
    hours = hours_field("hours")
    committed = hours_field("committed", "Of the hours, those committed through the expert's responsibilities.")


class TechnologyCapacityType(graphene.ObjectType):
    """Demand and supply of expert hours of one technology (`capacity.TechnologyRow`)."""

    demand = graphene.Field(DemandType)
    expert_hours = hours_field("expert_hours")
    contract_hours = hours_field("contract_hours")
    supply = hours_field("supply")
    utilisation = figure_field("utilisation", RATIO_PLACES, "Demand / supply; null without supply.")
    shortfall = hours_field("shortfall")
    surplus = hours_field("surplus")
    recommendation = blank_as_null("recommendation", "buy, build or compare; null without a shortfall or surplus.")
    contributors = graphene.List(ContributorType, description="Experts and contracts the user may view, most first.")
    hidden_contributors = graphene.Int(description="Contributors left out: the user may not view them.")


class OptionType(graphene.ObjectType):
    """One way to close a shortfall or use a surplus, priced from the data (`capacity.OptionRow`)."""

    kind = graphene.String(description="train, agree_hours, release_hours, contractor or contract.")
    hours_per_week = hours_field("hours_per_week")
    expert = name_of("expert")
    expert_id = id_of("expert")
    line_manager = name_of("line_manager", "Who agrees the hours.")
    line_manager_id = id_of("line_manager")
    contract = name_of("contract")
    contract_id = id_of("contract")
    hourly_cost = money_field("hourly_cost")
    cost_per_year = money_field("cost_per_year")
    one_off_cost = money_field("one_off_cost", "train: the training's cost.")
    basis = graphene.String(description="How a cost that is not an expert's own was found.")


class MakeOrBuyType(graphene.ObjectType):
    """The make-or-buy view of a technology with a shortfall or a surplus (`capacity.MakeOrBuyAnswer`)."""

    recommendation = graphene.String(description="buy, build or compare.")
    explanation = graphene.String(description="The rule applied, in words with the figures.")
    options = graphene.List(OptionType)
    hidden_options = graphene.Int(description="Options left out: they name whom the user may not view.")
    internal_cost_per_year = money_field("internal_cost_per_year", "What its expert hours cost now.")
    cheapest = graphene.Field(OptionType, description="The cheapest option providing hours, among those priced.")
    assumptions = graphene.List(graphene.String)


class AllocationType(graphene.ObjectType):
    """Hours an expert gives one technology (the layer's (technology, hours) pair)."""

    technology = graphene.String(resolver=lambda root, info: root[0].name)
    technology_id = graphene.ID(resolver=lambda root, info: root[0].pk)
    hours = graphene.Float(resolver=lambda root, info: float(round(root[1], HOURS_PLACES)))


class ExpertCapacityType(graphene.ObjectType):
    """One expert's agreed hours and where they go (`capacity.ExpertRow`)."""

    agreed = hours_field("agreed", "Hours of the agreements in force with status Agreed.")
    committed = hours_field("committed", "Hours of the expert's responsibilities.")
    allocated = hours_field("allocated", "Hours allocated to technologies.")
    spare = hours_field("spare", "Unallocated hours plus the expert's share of their technologies' surplus.")
    uncommitted = hours_field("uncommitted", "Agreed - committed; negative when over-committed.")
    allocations = graphene.List(AllocationType, description="Per technology the user may view, most hours first.")
    line_manager = name_of("line_manager", "Who agrees the hours; null if the user may not view them.")
    line_manager_id = id_of("line_manager")
    hourly_cost = money_field("hourly_cost")
    cost_per_year = money_field("cost_per_year", "Agreed hours x 52 x hourly cost.")
