"""Expert hours: what each technology needs (demand), what is agreed (supply), and where the agreed hours go.

The rules (docs/user/capacity.md has them with a worked example):

**Demand** of a technology in use, in hours per week::

    (base + sum over object types of hours per object per month x objects in use x 12 / 52) x (1 + uplift)

Base, hours per object and the uplift percentage come from the technology's effort model, else its category's,
else the app setting `default_effort`, value by value. The uplift is the percentage for a critical gap of the
technology's own (no expert), half of it for a high one (single expert, external only), none otherwise. Objects in
use come from the knowledge state, so demand follows inventory as the state does. A technology not in use needs
nothing.

**Supply** of a technology: the hours allocated to it from experts' agreed hours, plus contract hours.

* An expert's agreed hours are those of their availability agreements in force with status Agreed.
* Committed first: the hours of the expert's responsibilities that name a technology the expert is qualified for go
  to that technology. Hours of responsibilities naming a technology the expert is not qualified for are spent and
  supply nothing. If committed hours exceed the agreed ones, they are scaled down to fit.
* The rest of the agreed hours go to the technologies the expert is qualified for, in proportion to their demand
  (responsibilities that name no technology are part of this rest). With no demand among them, they stay
  unallocated.
* A support contract in force that states hours per month gives hours x 12 / 52 per week, split over the
  technologies it covers in proportion to their demand.

Shortfall = demand - supply and surplus = supply - demand, when positive; utilisation = demand / supply. An
expert's spare hours are their unallocated hours plus their share of the surplus of each technology they give hours
to (in proportion to the hours they give it).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from statistics import median

from django.db.models import Min, Q

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.constants import STATUS_AGREED
from nautobot_techmgmt.knowledge import gaps as g
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.engine import Knowledge
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    CoverageSnapshot,
    EffortModel,
    Expert,
    Responsibility,
    Skill,
    SupportContract,
    TrainingPlan,
)
from nautobot_techmgmt.models.suppliers import in_force_on

ZERO = Decimal(0)
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)
# Demand is steady when it held for this many days (the least demand of the window, from the coverage snapshots).
STEADY_DAYS = 90
# An uplift applies in full for a critical gap, half for a high one.
UPLIFT_SHARE = {g.CRITICAL: Decimal(1), g.HIGH: Decimal("0.5")}
BUY, BUILD, COMPARE = "buy", "build", "compare"
# What the plan and its readers use of experts and agreements: thousands of rows are read, so only these columns.
EXPERT_COLUMNS = (
    "id",
    "employment_type",
    "hourly_cost",
    *(f"{relation}__{column}" for relation in ("contact", "home_team", "line_manager") for column in ("id", "name")),
)
AGREEMENT_COLUMNS = (
    "id",
    "expert",
    "hours_per_week",
    "valid_from",
    "valid_until",
    *(f"{relation}__{column}" for relation in ("team", "line_manager") for column in ("id", "name")),
)


def monthly_to_weekly(hours):
    """Hours per month as hours per week (x 12 / 52)."""
    return hours * MONTHS_PER_YEAR / WEEKS_PER_YEAR


def yearly_cost(hours_per_week, hourly_cost):
    """What some hours per week cost in a year (52 weeks) at an hourly cost; None when the cost is not known."""
    if hourly_cost is None:
        return None
    return hours_per_week * WEEKS_PER_YEAR * hourly_cost


def _share(amount, weights):
    """`amount` split over the keys of `weights` in proportion to their (positive) weights: {key: part}."""
    total = sum(weights.values(), ZERO)
    if total <= 0:
        return {}
    return {key: amount * weight / total for key, weight in weights.items() if weight > 0}


@dataclass(frozen=True)
class Effort:
    """The effort model values that hold for one technology, and where each comes from."""

    base_hours_per_week: Decimal
    hours_per_object: dict  # object type key -> hours per object per month
    gap_uplift_percent: Decimal
    sources: dict  # "base_hours_per_week", "gap_uplift_percent" and each object type key -> "technology"|...


@dataclass(frozen=True)
class Demand:  # pylint: disable=too-many-instance-attributes
    """Hours per week one technology needs, with how they are made."""

    technology_id: object
    effort: Effort
    objects: dict  # object type key -> objects in use
    object_hours: Decimal  # hours per week from the objects
    worst_gap: str  # severity of the technology's worst own gap, "" without one
    uplift_percent: Decimal  # applied: the effort's percentage, in full, half or none
    hours: Decimal  # the demand
    steady_hours: Decimal  # the least demand of the last STEADY_DAYS days (objects from the coverage snapshots)


@dataclass
class ExpertSupply:  # pylint: disable=too-many-instance-attributes
    """One expert's agreed hours and where they go."""

    expert: Expert
    agreed: Decimal = ZERO
    committed: Decimal = ZERO  # hours of all their responsibilities
    committed_to: dict = field(default_factory=dict)  # technology_id -> committed hours that supply it (scaled)
    rest_to: dict = field(default_factory=dict)  # technology_id -> share of the rest
    spent_elsewhere: Decimal = ZERO  # committed to technologies they are not qualified for
    unallocated: Decimal = ZERO
    spare: Decimal = ZERO  # unallocated + share of surplus
    agreements: list = field(default_factory=list)  # AvailabilityAgreement in force

    @property
    def allocated(self):
        """{technology_id: hours}: committed first, then the rest."""
        found = dict(self.committed_to)
        for technology_id, hours in self.rest_to.items():
            found[technology_id] = found.get(technology_id, ZERO) + hours
        return found

    @property
    def allocated_hours(self):
        """Hours allocated to technologies in all."""
        return sum(self.allocated.values(), ZERO)

    @property
    def uncommitted(self):
        """Agreed hours not committed through responsibilities (negative when over-committed)."""
        return self.agreed - self.committed


@dataclass(frozen=True)
class ContractSupply:
    """A contract in force that states hours: its hours per week and their split over its technologies."""

    contract: SupportContract
    hours_per_week: Decimal
    allocated: dict  # technology_id -> hours per week


@dataclass(frozen=True)
class Contribution:
    """Hours one expert or contract gives one technology."""

    expert: Expert | None
    contract: SupportContract | None
    committed: Decimal  # from responsibilities (experts only)
    hours: Decimal  # all hours given, committed included


@dataclass(frozen=True)
class TechnologyCapacity:  # pylint: disable=too-many-instance-attributes
    """Demand and supply of one technology."""

    technology: object  # Technology
    demand: Demand
    expert_hours: Decimal
    contract_hours: Decimal
    contributions: list  # Contribution, most hours first

    @property
    def supply(self):
        """Hours per week allocated to the technology in all."""
        return self.expert_hours + self.contract_hours

    @property
    def shortfall(self):
        """Hours per week the technology needs beyond its supply."""
        return max(ZERO, self.demand.hours - self.supply)

    @property
    def surplus(self):
        """Hours per week of supply beyond the technology's demand."""
        return max(ZERO, self.supply - self.demand.hours)

    @property
    def utilisation(self):
        """Demand / supply (None with no supply)."""
        return self.demand.hours / self.supply if self.supply else None


TRAIN, AGREE_HOURS, RELEASE_HOURS, CONTRACTOR, CONTRACT = (
    "train",
    "agree_hours",
    "release_hours",
    "contractor",
    "contract",
)


@dataclass(frozen=True)
class Option:  # pylint: disable=too-many-instance-attributes
    """One way to close a shortfall or use a surplus, priced from the data.

    `kind`: TRAIN (raise an expert one level short), AGREE_HOURS (agree more hours with a qualified expert's line
    manager), RELEASE_HOURS (agree fewer: the expert's share of a surplus), CONTRACTOR (hire by the hour at the
    going rate) or CONTRACT (the technology's own contract, or a similar one's cost).
    """

    kind: str
    hours_per_week: Decimal  # the hours the option provides (or releases)
    cost_per_year: Decimal | None  # None: the data does not say (for RELEASE_HOURS: what the hours cost now)
    expert: Expert | None = None
    line_manager: object = None  # Contact
    contract: SupportContract | None = None
    hourly_cost: Decimal | None = None
    one_off_cost: Decimal | None = None  # training
    basis: str = ""  # how a cost that is not the expert's own hourly cost was found


@dataclass(frozen=True)
class MakeOrBuy:
    """The options of a technology with a shortfall or a surplus, and the rule's recommendation."""

    capacity: TechnologyCapacity
    recommendation: str  # BUY, BUILD or COMPARE
    options: list  # Option
    internal_cost_per_year: Decimal | None  # what its expert hours cost now; None when a cost is unknown


class CapacityPlan:
    """Demand, supply and allocation of expert hours on one day, for the whole estate (a fixed number of queries).

    Args:
        as_of: the day; default today.
        knowledge: the engine to read inventory and qualification from (default: one for the day).
    """

    def __init__(self, as_of=None, knowledge=None):
        """Nothing is read until asked."""
        self.as_of = as_of or date.today()
        self.knowledge = knowledge or Knowledge(as_of=self.as_of)

    # --- effort ---

    @cached_property
    def _effort_models(self):
        """({technology_id: EffortModel}, {category: EffortModel}); one query."""
        by_technology, by_category = {}, {}
        for model in EffortModel.objects.all():
            if model.technology_id:
                by_technology[model.technology_id] = model
            else:
                by_category[model.category] = model
        return by_technology, by_category

    def effort(self, technology):
        """The Effort of a technology: its own model's values, else its category's, else `default_effort`."""
        by_technology, by_category = self._effort_models
        layers = (
            ("technology", by_technology.get(technology.pk)),
            ("category", by_category.get(technology.category)),
        )
        default = app_setting("default_effort")
        sources = {}

        def pick(name):
            for source, model in layers:
                value = getattr(model, name) if model else None
                if value is not None:
                    sources[name] = source
                    return Decimal(value)
            sources[name] = "default"
            return Decimal(str(default.get(name, 0)))

        hours = {}  # the default's, overridden by the category's, overridden by the technology's
        for source, values in (
            ("default", default.get("hours_per_object", {})),
            *((source, model.hours_per_object) for source, model in reversed(layers) if model),
        ):
            for key, value in values.items():
                hours[key] = Decimal(str(value))
                sources[key] = source
        return Effort(
            base_hours_per_week=pick("base_hours_per_week"),
            hours_per_object=hours,
            gap_uplift_percent=pick("gap_uplift_percent"),
            sources=sources,
        )

    # --- demand ---

    @cached_property
    def _least_objects(self):
        """{technology_id: least objects in use on a day of the last STEADY_DAYS days}; one query."""
        since = self.as_of - timedelta(days=STEADY_DAYS)
        rows = CoverageSnapshot.objects.filter(date__gte=since, date__lte=self.as_of).order_by()
        return dict(rows.values_list("technology_id").annotate(least=Min("objects_in_use")))

    @cached_property
    def demand(self):
        """{technology_id: Demand} of every technology in use."""
        knowledge = self.knowledge
        own_gaps = knowledge.own_gap_kinds
        found = {}
        for technology_id, counts in knowledge.in_use.items():
            technology = knowledge.technologies.get(technology_id)
            if technology is None or not any(counts.values()):
                continue
            effort = self.effort(technology)
            object_hours = monthly_to_weekly(
                sum((effort.hours_per_object.get(key, ZERO) * number for key, number in counts.items()), ZERO)
            )
            worst = g.worst_severity(own_gaps.get(technology_id, ()))
            uplift = effort.gap_uplift_percent * UPLIFT_SHARE.get(worst, ZERO)
            factor = 1 + uplift / 100
            objects = sum(counts.values())
            least = min(objects, self._least_objects.get(technology_id, objects))
            found[technology_id] = Demand(
                technology_id=technology_id,
                effort=effort,
                objects=counts,
                object_hours=object_hours,
                worst_gap=worst,
                uplift_percent=uplift,
                hours=(effort.base_hours_per_week + object_hours) * factor,
                steady_hours=(effort.base_hours_per_week + object_hours * least / objects) * factor,
            )
        return found

    # --- supply ---

    @cached_property
    def _agreements(self):
        """Agreements in force on the day with status Agreed, with expert, team and line manager; one query."""
        rows = AvailabilityAgreement.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=self.as_of),
            status__name=STATUS_AGREED,
            valid_from__lte=self.as_of,
        )
        rows = rows.select_related("team", "line_manager").only(*AGREEMENT_COLUMNS)
        return list(rows.order_by("valid_from", "pk"))

    @cached_property
    def _qualified_by_expert(self):
        """{expert_id: set(technology_id)} of what each expert is qualified for on the day."""
        found = defaultdict(set)
        for technology_id, expert_ids in self.knowledge.qualified.items():
            for expert_id in expert_ids:
                found[expert_id].add(technology_id)
        return found

    @cached_property
    def experts(self):
        """{expert_id: ExpertSupply} of every expert with agreed or committed hours, or qualified for something.

        Three queries. An expert with committed hours and nothing agreed is there too: over-committed by all of them.
        """
        agreements = self._agreements
        committed = Responsibility.objects.filter(expert__isnull=False, hours_per_week__gt=0).order_by()
        committed = list(committed.values_list("expert_id", "technology_id", "hours_per_week"))
        ids = (
            {agreement.expert_id for agreement in agreements}
            | set(self._qualified_by_expert)
            | {expert_id for expert_id, _, _ in committed}
        )
        experts = Expert.objects.select_related("contact", "home_team", "line_manager").only(*EXPERT_COLUMNS)
        experts = experts.in_bulk(list(ids))
        supplies = {pk: ExpertSupply(expert=expert) for pk, expert in experts.items()}
        for agreement in agreements:
            supply = supplies[agreement.expert_id]
            supply.agreed += agreement.hours_per_week
            supply.agreements.append(agreement)
        for expert_id, technology_id, hours in committed:
            supply = supplies[expert_id]
            supply.committed += hours
            if technology_id is None:
                continue  # part of the rest
            if technology_id in self._qualified_by_expert.get(expert_id, ()):
                supply.committed_to[technology_id] = supply.committed_to.get(technology_id, ZERO) + hours
            else:
                supply.spent_elsewhere += hours
        demand = self.demand
        for expert_id, supply in supplies.items():
            fixed = sum(supply.committed_to.values(), supply.spent_elsewhere)
            if fixed > supply.agreed:
                scale = supply.agreed / fixed if fixed else ZERO
                supply.committed_to = {tid: hours * scale for tid, hours in supply.committed_to.items()}
                supply.spent_elsewhere *= scale
                rest = ZERO
            else:
                rest = supply.agreed - fixed
            weights = {tid: demand[tid].hours for tid in self._qualified_by_expert.get(expert_id, ()) if tid in demand}
            supply.rest_to = _share(rest, weights)
            supply.unallocated = rest if not supply.rest_to else ZERO
        self._give_spare(supplies)
        return supplies

    @cached_property
    def contracts(self):
        """[ContractSupply] of the contracts in force that state hours per month; two queries."""
        rows = SupportContract.objects.filter(in_force_on(self.as_of), hours_per_month__gt=0).select_related("supplier")
        rows = list(rows.prefetch_related("technologies"))
        demand = self.demand
        found = []
        for contract in rows:
            weekly = monthly_to_weekly(contract.hours_per_month)
            weights = {t.pk: demand[t.pk].hours for t in contract.technologies.all() if t.pk in demand}
            found.append(ContractSupply(contract=contract, hours_per_week=weekly, allocated=_share(weekly, weights)))
        return found

    def _give_spare(self, supplies):
        """Each expert's spare hours: unallocated plus their share of their technologies' surplus."""
        surplus_share = {}
        for technology_id, capacity in self._capacities(supplies).items():
            if capacity.supply > 0:
                surplus_share[technology_id] = capacity.surplus / capacity.supply
        for supply in supplies.values():
            given = sum(
                (hours * surplus_share.get(tid, ZERO) for tid, hours in supply.allocated.items()),
                ZERO,
            )
            supply.spare = supply.unallocated + given

    def _capacities(self, supplies):
        """{technology_id: TechnologyCapacity} of the technologies in use, from the experts' supplies."""
        given = defaultdict(list)
        for supply in supplies.values():
            for technology_id, hours in supply.allocated.items():
                if hours > 0:
                    committed = supply.committed_to.get(technology_id, ZERO)
                    given[technology_id].append(Contribution(supply.expert, None, committed, hours))
        for contract in self.contracts:
            for technology_id, hours in contract.allocated.items():
                given[technology_id].append(Contribution(None, contract.contract, ZERO, hours))
        found = {}
        for technology_id, demand in self.demand.items():
            contributions = sorted(given.get(technology_id, ()), key=lambda c: (-c.hours, str(c.expert or c.contract)))
            found[technology_id] = TechnologyCapacity(
                technology=self.knowledge.technologies[technology_id],
                demand=demand,
                expert_hours=sum((c.hours for c in contributions if c.expert is not None), ZERO),
                contract_hours=sum((c.hours for c in contributions if c.contract is not None), ZERO),
                contributions=contributions,
            )
        return found

    @cached_property
    def technologies(self):
        """{technology_id: TechnologyCapacity} of every technology in use."""
        return self._capacities(self.experts)

    # --- make or buy ---

    def recommendation(self, capacity):
        """BUY, BUILD or COMPARE for a technology, by the seed's rule.

        A few hours a week (demand below `buy_below_hours_per_week`) are better bought; a steady large demand (the
        least demand of the last 90 days at least `build_from_hours_per_week`) is better built inside; in between,
        the options' costs decide.
        """
        if capacity.demand.hours < setting_hours("buy_below_hours_per_week"):
            return BUY
        if capacity.demand.steady_hours >= setting_hours("build_from_hours_per_week"):
            return BUILD
        return COMPARE

    def make_or_buy(self, technology_id):
        """The MakeOrBuy of a technology in use with a shortfall or a surplus; None for one without either."""
        capacity = self.technologies.get(technology_id)
        if capacity is None or not (capacity.shortfall or capacity.surplus):
            return None
        recommendation = self.recommendation(capacity)
        options = []
        if capacity.shortfall:
            options += self._build_options(capacity, capacity.shortfall)
        if capacity.surplus:
            options += self._release_options(capacity)
        # Buying is priced for the shortfall, or, where a few hours are kept inside, for the whole demand.
        bought = capacity.shortfall or (capacity.demand.hours if recommendation == BUY else ZERO)
        if bought:
            options += self._buy_options(capacity.technology, bought)
        return MakeOrBuy(
            capacity=capacity,
            recommendation=recommendation,
            options=options,
            internal_cost_per_year=self._internal_cost(capacity),
        )

    def _build_options(self, capacity, hours):
        """Ways to cover `hours` per week inside: train someone one level short, agree more hours."""
        technology = capacity.technology
        options = []
        for skill in self._skills_one_level_short.get(technology.pk, ()):
            expert = skill.expert
            training, basis = self.training_cost(technology.pk, expert.pk)
            options.append(
                Option(
                    kind=TRAIN,
                    hours_per_week=hours,
                    expert=expert,
                    line_manager=expert.line_manager,
                    hourly_cost=expert.hourly_cost,
                    cost_per_year=yearly_cost(hours, expert.hourly_cost),
                    one_off_cost=training,
                    basis=f"training: {basis}" if basis else "no training cost recorded",
                )
            )
        for expert_id in sorted(self.knowledge.qualified.get(technology.pk, ()), key=self._name):
            expert = self.experts[expert_id].expert
            if expert.employment_type == EmploymentTypeChoices.SUPPLIER_STAFF:
                continue
            options.append(
                Option(
                    kind=AGREE_HOURS,
                    hours_per_week=hours,
                    expert=expert,
                    line_manager=self.line_manager_of(expert_id),
                    hourly_cost=expert.hourly_cost,
                    cost_per_year=yearly_cost(hours, expert.hourly_cost),
                )
            )
        return options

    def _release_options(self, capacity):
        """Hours of internal experts the technology does not need: their share of its surplus, and what it costs."""
        options = []
        for contribution in capacity.contributions:
            if contribution.expert is None:
                continue
            hours = contribution.hours * capacity.surplus / capacity.supply
            options.append(
                Option(
                    kind=RELEASE_HOURS,
                    hours_per_week=hours,
                    expert=contribution.expert,
                    line_manager=self.line_manager_of(contribution.expert.pk),
                    hourly_cost=contribution.expert.hourly_cost,
                    cost_per_year=yearly_cost(hours, contribution.expert.hourly_cost),
                )
            )
        return options

    def _buy_options(self, technology, hours):
        """Ways to buy `hours` per week: a contractor at the going rate, the technology's or a similar contract."""
        options = []
        rates = self.contractor_rates
        rate = rates.get(technology.category, rates.get(""))
        options.append(
            Option(
                kind=CONTRACTOR,
                hours_per_week=hours,
                hourly_cost=rate,
                cost_per_year=yearly_cost(hours, rate),
                basis=(
                    f"median hourly cost of contractors qualified for {technology.get_category_display()} technologies"
                    if technology.category in rates
                    else "median hourly cost of all contractors"
                    if rate is not None
                    else "no contractor's hourly cost recorded"
                ),
            )
        )
        covering = self.contracts_covering.get(technology.pk, [])
        for contract in covering:
            options.append(
                Option(
                    kind=CONTRACT,
                    hours_per_week=hours,
                    contract=contract,
                    cost_per_year=contract_cost_per_year(contract),
                    basis="in force" if contract.in_force else f"ended {contract.end_date:%Y-%m-%d}",
                )
            )
        if not covering:
            similar = self._contract_costs_by_category.get(technology.category, [])
            options.append(
                Option(
                    kind=CONTRACT,
                    hours_per_week=hours,
                    cost_per_year=Decimal(median(similar)) if similar else None,
                    basis=(
                        f"median cost per year of {len(similar)} contract(s) for "
                        f"{technology.get_category_display()} technologies"
                        if similar
                        else f"no contract for a {technology.get_category_display()} technology states a cost"
                    ),
                )
            )
        return options

    def _internal_cost(self, capacity):
        """What the technology's expert hours cost per year now; None when an expert's hourly cost is unknown."""
        costs = [yearly_cost(c.hours, c.expert.hourly_cost) for c in capacity.contributions if c.expert is not None]
        return None if None in costs else sum(costs, ZERO)

    def line_manager_of(self, expert_id):
        """Who agrees an expert's hours: the line manager of their latest agreement in force, else their own."""
        supply = self.experts[expert_id]
        for agreement in reversed(supply.agreements):
            if agreement.line_manager is not None:
                return agreement.line_manager
        return supply.expert.line_manager

    def _name(self, expert_id):
        return str(self.experts[expert_id].expert)

    @cached_property
    def _skills_one_level_short(self):
        """{technology_id: [Skill]} of active experts one level short, with expert, contact and line manager."""
        found = defaultdict(list)
        skills = Skill.objects.one_level_short().filter(technology_id__in=list(self.demand))
        for skill in skills.select_related("expert__contact", "expert__line_manager").order_by("expert__contact__name"):
            found[skill.technology_id].append(skill)
        return found

    @cached_property
    def _training_plans(self):
        """({(expert_id, technology_id): TrainingPlan under way to the qualified level}, {technology_id: [costs]}).

        The costs are those of every plan of the technology that states one, whatever its status: what training
        for it has cost.
        """
        under_way = {}
        plans = TrainingPlan.objects.closing_gaps_of(list(self.demand)).select_related("expert__contact", "technology")
        for plan in plans.order_by("due_date"):  # named in the option's basis: "their plan Ada: Junos to level 3"
            under_way.setdefault((plan.expert_id, plan.technology_id), plan)
        costs = defaultdict(list)
        rows = TrainingPlan.objects.filter(technology_id__in=list(self.demand), cost__isnull=False).order_by()
        for technology_id, cost in rows.values_list("technology_id", "cost"):
            costs[technology_id].append(cost)
        return under_way, costs

    def training_cost(self, technology_id, expert_id):
        """(cost, basis) of training an expert for a technology: their plan's cost, else the median of its plans."""
        under_way, costs = self._training_plans
        plan = under_way.get((expert_id, technology_id))
        if plan is not None and plan.cost is not None:
            return plan.cost, f"their plan {plan}"
        if costs.get(technology_id):
            return Decimal(median(costs[technology_id])), "median of the technology's training plans"
        return None, ""

    @cached_property
    def contractor_rates(self):
        """{category: median hourly cost of contractors qualified for a technology of it}, and "" for all of them."""
        qualified = self._qualified_by_expert
        technologies = self.knowledge.technologies
        contractors = [
            supply.expert
            for supply in self.experts.values()
            if supply.expert.employment_type == EmploymentTypeChoices.CONTRACTOR
            and supply.expert.hourly_cost is not None
        ]
        by_category = defaultdict(list)
        for expert in contractors:
            for category in {technologies[t].category for t in qualified.get(expert.pk, ()) if t in technologies}:
                by_category[category].append(expert.hourly_cost)
        rates = {category: Decimal(median(costs)) for category, costs in by_category.items()}
        if contractors:
            rates[""] = Decimal(median(expert.hourly_cost for expert in contractors))
        return rates

    @cached_property
    def contracts_covering(self):
        """{technology_id: [SupportContract]} in force or ended (`in_force` set) of the technologies in use."""
        contracts = SupportContract.objects.in_force_or_ended_on(self.as_of).select_related("supplier")
        links = SupportContract.technologies.through.objects.filter(
            technology_id__in=list(self.demand), supportcontract_id__in=contracts.values("pk")
        ).values_list("technology_id", "supportcontract_id")
        links = list(links)
        loaded = contracts.in_bulk([pk for _, pk in links])
        found = defaultdict(list)
        for technology_id, contract_id in links:
            found[technology_id].append(loaded[contract_id])
        for rows in found.values():
            rows.sort(key=lambda row: (not row.in_force, row.supplier.name, row.reference))
        return found

    @cached_property
    def _contract_costs_by_category(self):
        """{category: [cost per year]} of the contracts covering technologies in use that state a cost."""
        technologies = self.knowledge.technologies
        found = defaultdict(dict)
        for technology_id, contracts in self.contracts_covering.items():
            for contract in contracts:
                if (cost := contract_cost_per_year(contract)) is not None:
                    found[technologies[technology_id].category][contract.pk] = cost
        return {category: list(costs.values()) for category, costs in found.items()}


def setting_hours(name):
    """An hours setting as a Decimal."""
    return Decimal(str(app_setting(name)))


def contract_cost_per_year(contract):
    """What a contract costs per year: its cost over its length, or its cost when open-ended; None without a cost."""
    if contract.cost is None:
        return None
    if contract.end_date is None:
        return contract.cost
    days = (contract.end_date - contract.start_date).days + 1
    return contract.cost * Decimal("365.25") / Decimal(max(days, 1))
