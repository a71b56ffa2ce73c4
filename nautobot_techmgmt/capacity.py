"""What one user may see of expert-hour capacity: demand, supply, allocation and the make-or-buy options.

Built on `Answers` (which technologies, experts and contacts the user may view) and the engine's `CapacityPlan`
(`knowledge/capacity.py`, where the rules are). Figures are for the whole estate: an expert the user may not view
still gives hours to a technology, but is not named (counted in `hidden_experts`). Money needs its own permission:
hourly costs and what options cost per year are shown only to users with the action `view_costs` on experts
(`nautobot_techmgmt.view_costs_expert`), an expert's own cost only when that permission covers the expert.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from nautobot.extras.models import Team

from nautobot_techmgmt.answers import viewable_ids
from nautobot_techmgmt.gap_display import affected_text
from nautobot_techmgmt.knowledge.capacity import (
    AGREE_HOURS,
    BUILD,
    BUY,
    CONTRACT,
    CONTRACTOR,
    RELEASE_HOURS,
    TRAIN,
    ZERO,
    CapacityPlan,
    Demand,
    setting_hours,
    yearly_cost,
)
from nautobot_techmgmt.models import Expert, SupportContract

VIEW_COSTS = "nautobot_techmgmt.view_costs_expert"
RECOMMENDATION_LABELS = {BUY: "Buy", BUILD: "Build inside", "compare": "Compare the costs"}
OPTION_LABELS = {
    TRAIN: "Train one level up",
    AGREE_HOURS: "Agree more hours",
    RELEASE_HOURS: "Release surplus hours",
    CONTRACTOR: "Hire a contractor",
    CONTRACT: "Support contract",
}
# Decimal places of the figures REST and GraphQL give: hours and money to the hundredth, percentages to the tenth,
# utilisation (demand / supply) to the thousandth.
HOURS_PLACES = MONEY_PLACES = 2
PERCENT_PLACES = 1
RATIO_PLACES = 3


@dataclass(frozen=True)
class Contributor:
    """An expert or a contract giving hours to a technology, as the user may see it."""

    expert: Expert | None  # None for a contract, or an expert the user may not view
    contract: SupportContract | None  # None for an expert, or a contract the user may not view
    hours: Decimal
    committed: Decimal  # of the hours, those committed through responsibilities


@dataclass(frozen=True)
class TechnologyRow:  # pylint: disable=too-many-instance-attributes
    """Demand and supply of one technology."""

    technology: object
    demand: Demand
    expert_hours: Decimal
    contract_hours: Decimal
    supply: Decimal
    shortfall: Decimal
    surplus: Decimal
    utilisation: Decimal | None  # demand / supply; None without supply
    contributors: list  # Contributor, most hours first: those the user may see
    hidden_contributors: int
    recommendation: str  # BUY, BUILD or "compare"; "" without a shortfall or a surplus

    @property
    def recommendation_label(self):
        """Readable recommendation, "" when there is none."""
        return RECOMMENDATION_LABELS.get(self.recommendation, "")

    @property
    def objects_in_use(self):
        """The objects its demand counts, per type: "22 devices, 1 circuit"."""
        return affected_text(self.demand.objects)


@dataclass(frozen=True)
class ExpertRow:  # pylint: disable=too-many-instance-attributes
    """One expert's agreed hours and where they go."""

    expert: Expert
    agreed: Decimal
    committed: Decimal
    allocated: Decimal
    allocations: list  # (Technology, hours) of technologies the user may view, most hours first
    spare: Decimal
    uncommitted: Decimal  # agreed - committed; negative when over-committed
    line_manager: object  # the Contact who agrees the hours, if the user may view them
    hourly_cost: Decimal | None  # None: unknown, or the user may not see it
    cost_per_year: Decimal | None  # agreed hours x 52 x hourly cost

    @property
    def over_committed(self):
        """Hours committed beyond the agreed ones; 0 within them."""
        return max(ZERO, -self.uncommitted)


@dataclass(frozen=True)
class GroupRow:  # pylint: disable=too-many-instance-attributes
    """Hours agreed for a team, or agreed by a line manager, summed over their agreements in force."""

    owner: object  # Team or Contact
    experts: int
    agreed: Decimal
    committed: Decimal
    allocated: Decimal
    spare: Decimal
    cost_per_year: Decimal | None  # None when a cost is unknown or the user may not see costs
    demand: Decimal | None = None  # a team: demand of the technologies it is custodian of
    supply: Decimal | None = None  # a team: supply of those technologies


@dataclass(frozen=True)
class OptionRow:  # pylint: disable=too-many-instance-attributes
    """One option of the make-or-buy view as the user may see it."""

    kind: str
    hours_per_week: Decimal
    expert: Expert | None
    line_manager: object
    contract: SupportContract | None
    hourly_cost: Decimal | None
    cost_per_year: Decimal | None
    one_off_cost: Decimal | None
    basis: str

    @property
    def label(self):
        """Readable name of the kind."""
        return OPTION_LABELS[self.kind]


@dataclass(frozen=True)
class MakeOrBuyAnswer:  # pylint: disable=too-many-instance-attributes
    """The make-or-buy view of one technology."""

    row: TechnologyRow
    recommendation: str
    explanation: str  # the rule, in words, with the figures
    options: list  # OptionRow
    hidden_options: int  # options naming an expert or contract the user may not view
    internal_cost_per_year: Decimal | None
    cheapest: OptionRow | None = None  # the cheapest option providing hours, among those whose cost is shown
    assumptions: list = field(default_factory=list)


def assumptions():
    """The assumptions every capacity figure rests on, in words."""
    return [
        "A year has 52 weeks and a month 52/12 weeks; costs per year are hours per week x 52 x the hourly cost.",
        "Demand is the effort model applied to the objects in use now; a technology not in use needs no hours.",
        f"Steady demand is the least demand of the last 90 days (objects in use from the coverage snapshots); "
        f"under {setting_hours('buy_below_hours_per_week')} h/week buying is recommended, from "
        f"{setting_hours('build_from_hours_per_week')} h/week of steady demand building inside.",
        "A contract's cost per year is its cost over its length (an open-ended contract's cost is per year).",
        "Training costs are one-off: the expert's planned course, else the median of the technology's plans.",
        "Nothing is decided here: the options are priced from recorded costs, and a missing cost stays unknown.",
    ]


class CapacityAnswers:
    """The capacity figures one user may see (see the module docstring).

    Args:
        answers: the user's `Answers`; its engine is shared.
    """

    def __init__(self, answers):
        self.answers = answers
        self.user = answers.user

    @cached_property
    def plan(self):
        """The engine's plan for the day, on the user's engine."""
        return CapacityPlan(as_of=self.answers.knowledge.as_of, knowledge=self.answers.knowledge)

    @cached_property
    def may_view_costs(self):
        """Whether the user may see any cost at all."""
        return self.user.has_perm(VIEW_COSTS)

    @cached_property
    def _cost_expert_ids(self):
        """Ids of the experts whose costs the user may see."""
        if not self.may_view_costs:
            return set()
        return set(Expert.objects.restrict(self.user, "view_costs").values_list("pk", flat=True))

    @cached_property
    def _contract_ids(self):
        return viewable_ids(SupportContract, self.user)

    @cached_property
    def _team_ids(self):
        return viewable_ids(Team, self.user)

    def _named(self, expert):
        """The expert if the user may view them, else None."""
        return expert if expert is not None and expert.pk in self.answers.expert_ids else None

    def _contact(self, contact):
        """The contact if the user may view them, else None."""
        return contact if contact is not None and contact.pk in self.answers.contact_ids else None

    def _viewable_contract(self, contract):
        """The contract if the user may view it, else None."""
        return contract if contract is not None and contract.pk in self._contract_ids else None

    def expert_cost(self, expert):
        """An expert's hourly cost if the user may see it, else None."""
        return expert.hourly_cost if expert.pk in self._cost_expert_ids else None

    def _option_costs(self, option):
        """(hourly, per year, one-off) cost of an option as the user may see them: an expert's only with their cost."""
        if option.expert is not None:
            if option.expert.pk not in self._cost_expert_ids:
                return None, None, None
            return option.hourly_cost, option.cost_per_year, option.one_off_cost
        return self._money(option.hourly_cost), self._money(option.cost_per_year), self._money(option.one_off_cost)

    def _money(self, value):
        """A cost not tied to one expert, if the user may see costs."""
        return value if self.may_view_costs else None

    # --- per technology ---

    def _row(self, capacity):
        contributors, hidden = [], 0
        for contribution in capacity.contributions:
            expert = self._named(contribution.expert)
            contract = self._viewable_contract(contribution.contract)
            if expert is None and contract is None:
                hidden += 1
                continue
            contributors.append(Contributor(expert, contract, contribution.hours, contribution.committed))
        return TechnologyRow(
            technology=capacity.technology,
            demand=capacity.demand,
            expert_hours=capacity.expert_hours,
            contract_hours=capacity.contract_hours,
            supply=capacity.supply,
            shortfall=capacity.shortfall,
            surplus=capacity.surplus,
            utilisation=capacity.utilisation,
            contributors=contributors,
            hidden_contributors=hidden,
            recommendation=self.plan.recommendation(capacity) if capacity.shortfall or capacity.surplus else "",
        )

    def technologies(self, technologies=None, shortfall=None):
        """TechnologyRow of each technology in use the user may view, worst first.

        Worst: the largest shortfall, then the highest utilisation, then the largest surplus; `technologies` (a
        queryset, what a filterset selected) narrows them, and so does `shortfall`: True keeps those with a
        shortfall, False those without.
        """
        wanted = self.answers.technology_ids
        if technologies is not None:
            wanted = wanted & set(technologies.values_list("pk", flat=True))
        rows = [
            self._row(capacity)
            for pk, capacity in self.plan.technologies.items()
            if pk in wanted and (shortfall is None or bool(capacity.shortfall) == shortfall)
        ]
        return sorted(
            rows,
            key=lambda row: (-row.shortfall, -(row.utilisation or ZERO), -row.surplus, row.technology.name),
        )

    def technology(self, technology):
        """The TechnologyRow of one technology the user may view; None when it is not in use."""
        capacity = self.plan.technologies.get(technology.pk)
        return self._row(capacity) if capacity is not None else None

    # --- per expert, team and line manager ---

    def experts(self):
        """ExpertRow of each expert the user may view who has agreed hours or is qualified for something, by name."""
        return list(self._expert_rows.values())

    def expert(self, expert):
        """The ExpertRow of one expert the user may view; None for one with no agreed hours and no qualification."""
        return self._expert_rows.get(expert.pk)

    @cached_property
    def _expert_rows(self):
        """{expert_id: ExpertRow} by name, made once: one expert's row is looked up, not found by a walk over all."""
        visible = self.answers.technology_ids
        technologies = self.plan.knowledge.technologies
        rows = []
        for supply in self.plan.experts.values():
            expert = self._named(supply.expert)
            if expert is None:
                continue
            allocations = sorted(
                ((technologies[tid], hours) for tid, hours in supply.allocated.items() if tid in visible and hours > 0),
                key=lambda item: (-item[1], item[0].name),
            )
            rows.append(
                ExpertRow(
                    expert=expert,
                    agreed=supply.agreed,
                    committed=supply.committed,
                    allocated=supply.allocated_hours,
                    allocations=allocations,
                    spare=supply.spare,
                    uncommitted=supply.uncommitted,
                    line_manager=self._contact(self.plan.line_manager_of(expert.pk)),
                    hourly_cost=self.expert_cost(expert),
                    cost_per_year=yearly_cost(supply.agreed, self.expert_cost(expert)),
                )
            )
        return {row.expert.pk: row for row in sorted(rows, key=lambda row: str(row.expert))}

    def _groups(self, owner_of):
        """{owner: sums} over the agreements in force, each expert's figures split by their agreements' hours."""
        sums = {}
        for supply in self.plan.experts.values():
            for agreement in supply.agreements:
                owner = owner_of(agreement)
                if owner is None:
                    continue
                part = agreement.hours_per_week / supply.agreed
                entry = sums.setdefault(owner, _empty_sums())
                entry["experts"].add(supply.expert.pk)
                entry["agreed"] += agreement.hours_per_week
                entry["committed"] += supply.committed * part
                entry["allocated"] += supply.allocated_hours * part
                entry["spare"] += supply.spare * part
                entry["costs"].append(yearly_cost(agreement.hours_per_week, self.expert_cost(supply.expert)))
        return sums

    def _group_row(self, owner, entry, **extra):
        costs = entry["costs"]
        return GroupRow(
            owner=owner,
            experts=len(entry["experts"]),
            agreed=entry["agreed"],
            committed=entry["committed"],
            allocated=entry["allocated"],
            spare=entry["spare"],
            cost_per_year=None if None in costs else sum(costs, ZERO),
            **extra,
        )

    def teams(self):
        """GroupRow of each team the user may view with hours agreed for it, or custodian of a technology in use.

        With the demand and supply of the technologies the team is custodian of (by the technology's custodian team).
        """
        teams = Team.objects.in_bulk(list(self._team_ids))
        sums = self._groups(lambda agreement: agreement.team_id if agreement.team_id in teams else None)
        demand, supply = {}, {}
        for pk, capacity in self.plan.technologies.items():
            team_id = capacity.technology.custodian_team_id
            if team_id in teams and pk in self.answers.technology_ids:
                demand[team_id] = demand.get(team_id, ZERO) + capacity.demand.hours
                supply[team_id] = supply.get(team_id, ZERO) + capacity.supply
        rows = [
            self._group_row(teams[pk], sums.get(pk, _empty_sums()), demand=demand.get(pk), supply=supply.get(pk))
            for pk in set(sums) | set(demand)
        ]
        return sorted(rows, key=lambda row: row.owner.name)

    def line_managers(self):
        """GroupRow of each line manager the user may view who agreed hours in force, by name."""
        contacts = {}

        def owner(agreement):
            contact = self._contact(agreement.line_manager)
            if contact is None:
                return None
            contacts[contact.pk] = contact
            return contact.pk

        sums = self._groups(owner)
        return sorted(
            (self._group_row(contacts[pk], entry) for pk, entry in sums.items()), key=lambda row: row.owner.name
        )

    # --- make or buy ---

    def make_or_buy(self, technology):
        """The MakeOrBuyAnswer of a technology the user may view; None without a shortfall or a surplus."""
        found = self.plan.make_or_buy(technology.pk)
        if found is None:
            return None
        options, hidden = [], 0
        for option in found.options:
            expert = self._named(option.expert)
            contract = self._viewable_contract(option.contract)
            if (option.expert is not None and expert is None) or (option.contract is not None and contract is None):
                hidden += 1
                continue
            hourly, cost, one_off = self._option_costs(option)
            options.append(
                OptionRow(
                    kind=option.kind,
                    hours_per_week=option.hours_per_week,
                    expert=expert,
                    line_manager=self._contact(option.line_manager),
                    contract=contract,
                    hourly_cost=hourly,
                    cost_per_year=cost,
                    one_off_cost=one_off,
                    basis=option.basis,
                )
            )
        priced = [o for o in options if o.kind != RELEASE_HOURS and o.cost_per_year is not None]
        row = self._row(found.capacity)
        experts_priced = all(
            c.expert is None or c.expert.pk in self._cost_expert_ids for c in found.capacity.contributions
        )
        return MakeOrBuyAnswer(
            row=row,
            recommendation=found.recommendation,
            explanation=explain(found),
            options=options,
            hidden_options=hidden,
            internal_cost_per_year=found.internal_cost_per_year if experts_priced else None,
            cheapest=min(priced, key=lambda o: o.cost_per_year + (o.one_off_cost or ZERO)) if priced else None,
            assumptions=assumptions(),
        )


def _empty_sums():
    """The sums of a team or line manager before their first agreement."""
    return {"experts": set(), "agreed": ZERO, "committed": ZERO, "allocated": ZERO, "spare": ZERO, "costs": []}


def explain(found):
    """The seed's rule applied to one technology, in words with its figures."""
    demand = found.capacity.demand
    buy_below, build_from = setting_hours("buy_below_hours_per_week"), setting_hours("build_from_hours_per_week")
    if found.recommendation == BUY:
        return (
            f"It needs {demand.hours:.1f} h/week, under {buy_below} h/week: a few hours a week are better bought "
            f"(a support contract, a contractor by the hour) than kept inside."
        )
    if found.recommendation == BUILD:
        return (
            f"It needs {demand.hours:.1f} h/week and has needed at least {demand.steady_hours:.1f} h/week for 90 days, "
            f"from {build_from} h/week: a steady, large demand is better built inside (train someone, agree hours)."
        )
    return (
        f"It needs {demand.hours:.1f} h/week, between {buy_below} and {build_from} h/week: neither rule decides, "
        f"so compare the options' costs."
    )
