"""What one user may see of the knowledge engine's answers, in one shape per answer, for every surface.

The engine (`knowledge/`) answers for the whole estate; views, REST, GraphQL, panels, the home panel and Jobs ask
`Answers(user)` instead, which keeps only the technologies the user may view, names only the experts and contacts
the user may view, filters gaps one way and shapes a gap, a technology's coverage and an object's knowledge once.

`user.has_perm("nautobot_techmgmt.view_expert")` is also true for a permission limited by constraints, so a name
is shown only when the user may view that very object (`restrict(user, "view")`), never because the user holds
the permission for some objects of its kind.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from nautobot.extras.models import Contact, Team

from nautobot_techmgmt import gap_display
from nautobot_techmgmt.candidates import History
from nautobot_techmgmt.choices import SUPPORT_ROLES, ResponsibilityRoleChoices
from nautobot_techmgmt.knowledge import SEVERITIES, Knowledge, truck_factor, what_if
from nautobot_techmgmt.knowledge.custodians import assignments_of_sets, display_name
from nautobot_techmgmt.knowledge.gaps import NO_PRIMARY_SUPPORT, UNQUALIFIED_ESCALATION
from nautobot_techmgmt.models import Expert, Responsibility, Skill, SupportContract, Technology, TrainingPlan
from nautobot_techmgmt.object_types import OBJECT_TYPES, OBJECT_TYPES_BY_KEY, TARGET_SELECT_RELATED

ROLE_LABELS = ResponsibilityRoleChoices.as_dict()
SUPPLIER = "supplier"
SUPPORT_GAP_KINDS = (NO_PRIMARY_SUPPORT, UNQUALIFIED_ESCALATION)
ASSESSOR_ORDER = (ResponsibilityRoleChoices.CHANGE_ASSESSOR, ResponsibilityRoleChoices.DESIGN_AUTHORITY)
ROLE_ORDER = tuple(ROLE_LABELS)


def worst_first(gap):
    """Sort key of gaps: worst severity first, then highest risk, then by technology name."""
    return (SEVERITIES.index(gap.severity), -gap.risk, gap.technology.name)


def per_request(request, key, compute):
    """`compute()` once per request and key: what the panels of a page, or the resolvers of a GraphQL query, share."""
    cache = request.__dict__.setdefault("_techmgmt_per_request", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def viewable_ids(model, user):
    """Ids of the objects of `model` the user may view (one query; none without the permission)."""
    return set(model.objects.restrict(user, "view").values_list("pk", flat=True))


@dataclass(frozen=True)
class GapAnswer:  # pylint: disable=too-many-instance-attributes
    """One knowledge gap as a user sees it: the engine's gap with only the experts the user may view."""

    kind: str
    severity: str
    technology: Technology
    affected: dict  # object type key -> number of objects
    affected_objects: int
    risk: int
    detail: str
    experts: list  # the experts the gap names that the user may view
    hidden_experts: int  # how many more it names that the user may not view
    links: tuple = ()  # where a page lists the affected objects: dicts of count, label and url

    @property
    def label(self):
        """Readable name of the kind."""
        return gap_display.kind_label(self.kind)

    @property
    def badge(self):
        """Badge classes of the severity."""
        return gap_display.badge_class(self.severity)

    @property
    def risk_explanation(self):
        """How the risk is made: "high: weight 5 × 3 objects = 15"."""
        return gap_display.risk_explanation(self.severity, self.affected_objects)

    @property
    def detail_with_experts(self):
        """The gap's sentence, followed by the experts it names that the user may view."""
        if self.experts:
            return f"{self.detail} Experts: {', '.join(str(expert) for expert in self.experts)}."
        return self.detail


@dataclass(frozen=True)
class TechnologyCoverage:  # pylint: disable=too-many-instance-attributes
    """Coverage of one technology: where it is in use, who is qualified, its gaps and risk."""

    technology: Technology
    in_use: dict  # object type key -> number of objects, every key present
    bus_factor: int
    required_experts: int
    qualified_experts: list  # those the user may view
    hidden_experts: int
    custodian_team: object
    gaps: list  # GapAnswer, worst risk first
    risk: int


@dataclass(frozen=True)
class ObjectTechnology:  # pylint: disable=too-many-instance-attributes
    """One technology in use on one object: its effective custodian and why, qualified experts and gaps."""

    technology: Technology
    custodian: object  # knowledge.Custodian or None
    custodian_name: object  # the custodian's team, expert or contact if the user may see who it is, else None
    qualified_experts: list  # those the user may view
    hidden_experts: int
    gaps: list = field(default_factory=list)  # GapAnswer
    roles: tuple = ()  # the other roles resolved on the object (knowledge.custodians.Assignment), for its paths


# One step of a path as a user sees it: who, reached how, qualified or not, and why; flat on purpose.
@dataclass(frozen=True)
class PathStep:  # pylint: disable=too-many-instance-attributes
    """One step of an escalation path, or one change assessor."""

    position: int  # 1, 2, ... along the path (0 for assessors)
    role: str  # a ResponsibilityRoleChoices value, or "supplier" for a support contract
    tier: int  # the responsibility's tier (None for a support contract)
    assignee: object  # Team, Expert, Contact or SupportContract; None when the user may not see who it is
    kind: str  # "team", "expert", "contact" or "contract"
    phone: str
    email: str
    qualified: object  # True or False; None for a support contract
    source: str  # why: the rule it comes from

    @property
    def role_label(self):
        """Readable name of the role."""
        return "Supplier contract" if self.role == SUPPLIER else ROLE_LABELS[self.role]

    @property
    def assignee_name(self):
        """The assignee's name, or None when the user may not see who it is."""
        return display_name(self.assignee)


@dataclass(frozen=True)
class EscalationPath:
    """Whom to call, in order, for one technology on one object: support tiers, escalation, then the supplier."""

    technology: Technology
    steps: list  # PathStep
    assessors: list  # PathStep of change assessors and design authority
    gaps: list  # GapAnswer: the path's own gaps (no primary support, an unqualified tier)


@dataclass(frozen=True)
class Assessor:  # pylint: disable=too-many-instance-attributes
    """A change assessor or design authority of a set of objects for one technology, deduplicated, with why."""

    role: str
    assignee: object  # Team, Expert or Contact; None when the user may not see who it is
    kind: str
    phone: str
    email: str
    qualified: bool
    sources: tuple  # the rules it comes from
    objects: int  # how many of the objects it assesses

    @property
    def role_label(self):
        """Readable name of the role."""
        return ROLE_LABELS[self.role]

    @property
    def assignee_name(self):
        """The assignee's name, or None when the user may not see who it is."""
        return display_name(self.assignee)


@dataclass(frozen=True)
class TechnologyAssessors:
    """Who must assess a change to a set of objects, for one technology in use on them."""

    technology: Technology
    objects: int  # objects of the set that use the technology
    assessors: list  # Assessor, change assessors first, then design authority, by name
    without_assessor: int  # objects with no change assessor for the technology


@dataclass(frozen=True)
class CoverContract:
    """A support contract that covers a technology: in force on the scenario's day, or ended before it."""

    contract: SupportContract
    in_force: bool


# One technology of a what-if's new gaps and the ways to close them; each list comes from one query for every
# technology of the scenario (`Answers._cover_options`), so a further source of cover is one more field and query.
@dataclass(frozen=True)
class CoverOptions:
    """What to do next about one technology that a departure leaves with new gaps."""

    technology: Technology
    one_level_short: list  # active Experts, not leaving, one level below the qualified level, by name
    training_plans: list  # TrainingPlans of experts not leaving to the qualified level or above, planned or under way
    responsibilities: list  # the leavers' Responsibilities for the technology, any role: each needs a new assignee
    contracts: list  # CoverContract: in force first, then the most recently ended
    hidden_experts: int  # entries left out of the lists above because they name an expert the user may not view
    candidates: list | None = None  # candidates.Evidence from the change log; None when the user may not see them

    @property
    def short_level(self):
        """The level of the experts one level short."""
        return self.technology.qualified_level - 1


@dataclass(frozen=True)
class WhatIfAnswer:
    """A what-if scenario as a user sees it: only technologies the user may view."""

    removed_experts: list
    new_gaps: list  # GapAnswer
    resolved_gaps: list  # GapAnswer
    bus_factor_changes: list  # dicts: technology, before, after
    cover_options: list  # CoverOptions, one per technology of the new gaps, the one with the worst gap first


class Answers:
    """The engine's answers for one user on one day; every set is read once, when first asked.

    Args:
        user: whose permissions decide what is shown.
        as_of: the day the answers hold for; default today.
        technology_ids: ask the engine about these technologies only (one technology's page); None: all.
    """

    def __init__(self, user, as_of=None, technology_ids=None):
        """Nothing is queried until asked."""
        self.user = user
        self.as_of = as_of
        self._technology_ids = technology_ids

    @cached_property
    def knowledge(self):
        """The engine, for this day."""
        return Knowledge(as_of=self.as_of, technology_ids=self._technology_ids)

    # --- what the user may see ---

    @cached_property
    def technology_ids(self):
        """Ids of the technologies the user may view."""
        return viewable_ids(Technology, self.user)

    @cached_property
    def expert_ids(self):
        """Ids of the experts the user may view."""
        return viewable_ids(Expert, self.user)

    @cached_property
    def contact_ids(self):
        """Ids of the core contacts the user may view."""
        return viewable_ids(Contact, self.user)

    @property
    def may_view_experts(self):
        """Whether the user may view any expert at all."""
        return self.user.has_perm("nautobot_techmgmt.view_expert")

    def is_qualified(self, expert_id, technology_id):
        """Whether an expert counts towards a technology's bus factor today (about a row the user already sees)."""
        return expert_id in self.knowledge.qualified.get(technology_id, ())

    def technologies(self):
        """The technologies the user may view, as a queryset."""
        return Technology.objects.restrict(self.user, "view")

    def experts(self, experts):
        """The given experts the user may view, in their order."""
        if not self.may_view_experts:
            return []
        return [expert for expert in experts if expert.pk in self.expert_ids]

    def custodian_name(self, custodian):
        """The custodian's team, expert or contact if the user may see who it is, else None.

        A team is shown to anyone who may view the technology, as on the technology's own page; an expert or
        a contact only to users who may view that expert or contact.
        """
        if custodian is None:
            return None
        if custodian.team is not None:
            return custodian.team
        if custodian.expert is not None:
            return custodian.expert if self.experts([custodian.expert]) else None
        if custodian.contact is not None and custodian.contact.pk in self.contact_ids:
            return custodian.contact
        return None

    # --- gaps ---

    def gap(self, gap):
        """One engine gap in the user's shape."""
        experts = self.experts(gap.experts)
        return GapAnswer(
            kind=gap.kind,
            severity=gap.severity,
            technology=gap.technology,
            affected=gap.affected,
            affected_objects=gap.affected_objects,
            risk=gap.risk,
            detail=gap.detail,
            experts=experts,
            hidden_experts=len(gap.experts) - len(experts),
        )

    def gaps(self, kinds=(), severities=(), technologies=None, categories=()):
        """The gaps of technologies the user may view, worst risk first; the one gap filter of every surface.

        Each argument narrows the gaps when given: `kinds` and `severities` are values of the gap choices,
        `technologies` a Technology queryset (what a filterset selected: by name, custodian team, ...),
        `categories` technology categories.
        """
        wanted = self.technology_ids
        if technologies is not None:
            wanted = wanted & set(technologies.values_list("pk", flat=True))
        return [
            self.gap(gap)
            for gap in self.knowledge.gaps
            if gap.technology.pk in wanted
            and (not kinds or gap.kind in kinds)
            and (not severities or gap.severity in severities)
            and (not categories or gap.technology.category in categories)
        ]

    # --- coverage ---

    @cached_property
    def technologies_in_use(self):
        """Ids of the technologies the user may view that are in use."""
        return {pk for pk in self.technology_ids if self.knowledge.is_in_use(pk)}

    def coverage(self, technology):
        """Coverage of one technology (the caller has checked that the user may view it)."""
        knowledge = self.knowledge
        qualified = knowledge.qualified_experts(technology.pk)
        experts = self.experts(qualified)
        counts = knowledge.in_use.get(technology.pk, {})
        return TechnologyCoverage(
            technology=technology,
            in_use={object_type.key: counts.get(object_type.key, 0) for object_type in OBJECT_TYPES},
            bus_factor=len(qualified),
            required_experts=technology.required_experts,
            qualified_experts=experts,
            hidden_experts=len(qualified) - len(experts),
            custodian_team=technology.custodian_team,
            gaps=[self.gap(gap) for gap in knowledge.gaps_of(technology.pk)],
            risk=knowledge.risk.get(technology.pk, 0),
        )

    def coverages(self, technologies=None, in_use=None):
        """Coverage of each technology the user may view, or of those of `technologies` (a queryset).

        `in_use` True or False keeps only the technologies in use, or only those not in use.
        """
        technologies = self.technologies() if technologies is None else technologies.filter(pk__in=self.technologies())
        technologies = technologies.select_related("custodian_team")
        return [
            self.coverage(technology)
            for technology in technologies
            if in_use is None or self.knowledge.is_in_use(technology.pk) == in_use
        ]

    def object_knowledge(self, obj, with_sources=False):
        """Knowledge of one object, per technology in use on it that the user may view, by technology name."""
        rows = []
        for row in self.knowledge.for_object(obj, with_sources=with_sources):
            if row["technology"].pk not in self.technology_ids:
                continue
            experts = self.experts(row["qualified_experts"])
            rows.append(
                ObjectTechnology(
                    technology=row["technology"],
                    custodian=row["custodian"],
                    custodian_name=self.custodian_name(row["custodian"]),
                    qualified_experts=experts,
                    hidden_experts=len(row["qualified_experts"]) - len(experts),
                    gaps=[self.gap(gap) for gap in row["gaps"]],
                    roles=row["roles"],
                )
            )
        return rows

    # --- escalation paths and change assessors ---

    def escalation_paths(self, rows):
        """The escalation path of each technology of an object, from its `object_knowledge` rows."""
        technology_ids = [row.technology.pk for row in rows]
        contracts = self._contracts(technology_ids)
        knowledge = self._scoped(technology_ids)
        people = self._assignees([assignment for row in rows for assignment in row.roles])
        return [
            EscalationPath(
                technology=row.technology,
                steps=self._path_steps(
                    row.technology.pk,
                    row.roles,
                    contracts.get(row.technology.pk, ()),
                    knowledge=knowledge,
                    people=people,
                ),
                assessors=self._path_steps(
                    row.technology.pk, row.roles, assessors=True, knowledge=knowledge, people=people
                ),
                gaps=[gap for gap in row.gaps if gap.kind in SUPPORT_GAP_KINDS],
            )
            for row in rows
        ]

    # The keyword arguments let callers share what they read for many paths; they are loaded here when not given.
    def _path_steps(  # pylint: disable=too-many-arguments
        self, technology_id, assignments, contracts=(), *, assessors=False, knowledge=None, people=None
    ):
        """PathSteps of resolved Assignments for one technology.

        The support path followed by `contracts` (SupportContracts) as its last steps; with `assessors`, the change
        assessors and design authority instead. `knowledge` judges who is qualified (default: a scoped engine),
        `people` are the assignees already loaded (`_assignees`).
        """
        wanted = [a for a in assignments if (a.role in SUPPORT_ROLES) != assessors]
        if assessors:
            wanted.sort(key=lambda assignment: ASSESSOR_ORDER.index(assignment.role))
        knowledge = knowledge or self._scoped([technology_id])
        people = self._assignees(wanted) if people is None else people
        steps = [
            PathStep(
                position=0 if assessors else position,
                role=assignment.role,
                tier=assignment.tier,
                qualified=_is_qualified(knowledge, technology_id, assignment),
                source=assignment.source,
                **self._reach(people, assignment),
            )
            for position, assignment in enumerate(wanted, start=1)
        ]
        for contract in contracts:
            steps.append(
                PathStep(
                    position=len(steps) + 1,
                    role=SUPPLIER,
                    tier=None,
                    assignee=contract,
                    kind="contract",
                    phone=contract.supplier.phone,
                    email=contract.supplier.email,
                    qualified=None,
                    source=f"{contract.get_support_level_display()} support contract covering the technology",
                )
            )
        return steps

    def assessors(self, objects):
        """Who must assess a change to some objects: per technology the user may view, deduplicated, with why.

        `objects` maps object type keys ("devices", ...) to ids or querysets of objects of that type.
        """
        groups = []
        for key, selected in objects.items():
            groups += self.knowledge.role_groups(OBJECT_TYPES_BY_KEY[key], selected)
        groups = [group for group in groups if group[0] in self.technology_ids]
        technologies = Technology.objects.in_bulk(list({tid for tid, _, _ in groups}))
        knowledge = self._scoped(list(technologies))
        people = self._assignees([a for _, assignments, _ in groups for a in assignments])
        found = {}
        for technology_id, assignments, number in groups:
            entry = found.setdefault(technology_id, {"objects": 0, "without": 0, "assessors": {}})
            entry["objects"] += number
            chosen = [a for a in assignments if a.role not in SUPPORT_ROLES]
            if not any(a.role == ResponsibilityRoleChoices.CHANGE_ASSESSOR for a in chosen):
                entry["without"] += number
            for assignment in chosen:
                held = entry["assessors"].setdefault(
                    (assignment.role, assignment.team_id, assignment.expert_id, assignment.contact_id),
                    {"assignment": assignment, "sources": [], "objects": 0},
                )
                held["objects"] += number
                if assignment.source not in held["sources"]:
                    held["sources"].append(assignment.source)
        answers = []
        for technology_id, entry in found.items():
            assessors = [
                Assessor(
                    role=held["assignment"].role,
                    qualified=_is_qualified(knowledge, technology_id, held["assignment"]),
                    sources=tuple(sorted(held["sources"])),
                    objects=held["objects"],
                    **self._reach(people, held["assignment"]),
                )
                for held in entry["assessors"].values()
            ]
            assessors.sort(key=lambda a: (ASSESSOR_ORDER.index(a.role), a.assignee is None, a.assignee_name or ""))
            answers.append(
                TechnologyAssessors(
                    technology=technologies[technology_id],
                    objects=entry["objects"],
                    assessors=assessors,
                    without_assessor=entry["without"],
                )
            )
        return sorted(answers, key=lambda answer: answer.technology.name)

    def row_path_steps(self, row, assessors=False):
        """PathSteps of one ObjectKnowledge row: its support path, or with `assessors` its change assessors.

        For readers that meet rows one at a time (GraphQL): the role sets, their assignees and the contracts are read
        once per Answers, for every row.
        """
        assignments = self._every_role_set.get(row.roles_id, ())
        contracts = () if assessors else self._every_contract.get(row.technology_id, ())
        return self._path_steps(
            row.technology_id,
            assignments,
            contracts,
            assessors=assessors,
            knowledge=self.knowledge,
            people=self._every_assignee,
        )

    @cached_property
    def _every_role_set(self):
        return assignments_of_sets()

    @cached_property
    def _every_assignee(self):
        return self._assignees([a for assignments in self._every_role_set.values() for a in assignments])

    @cached_property
    def _every_contract(self):
        return self._contracts(self.technology_ids)

    def _contracts(self, technology_ids):
        """{technology_id: [SupportContract]}: the contracts in force that cover the technologies, by supplier.

        Only contracts the user may view; two queries.
        """
        contracts = SupportContract.objects.restrict(self.user, "view").active_on(self.as_of or date.today())
        return self._covering(technology_ids, contracts)

    @staticmethod
    def _covering(technology_ids, contracts):
        """{technology_id: [SupportContract]}: those of `contracts` (a queryset) that cover the technologies.

        By supplier and reference; two queries.
        """
        links = SupportContract.technologies.through.objects.filter(
            technology_id__in=list(technology_ids), supportcontract_id__in=contracts.values("pk")
        ).values_list("technology_id", "supportcontract_id")
        links = list(links)
        loaded = contracts.select_related("supplier").in_bulk([pk for _, pk in links])
        found = {}
        for technology_id, contract_id in links:
            found.setdefault(technology_id, []).append(loaded[contract_id])
        return {pk: sorted(rows, key=lambda row: (row.supplier.name, row.reference)) for pk, rows in found.items()}

    def _scoped(self, technology_ids):
        """The engine for some technologies only (judges who is qualified for them in a few small queries)."""
        if self._technology_ids is not None:
            return self.knowledge
        return Knowledge(as_of=self.as_of, technology_ids=technology_ids)

    def _assignees(self, assignments):
        """{("team"|"expert"|"contact", id): object} of the assignees the user may see; three queries at most."""
        teams = {a.team_id for a in assignments if a.team_id}
        experts = {a.expert_id for a in assignments if a.expert_id} & (
            self.expert_ids if self.may_view_experts else set()
        )
        contacts = {a.contact_id for a in assignments if a.contact_id} & self.contact_ids
        found = {}
        if teams:
            found.update({("team", pk): team for pk, team in Team.objects.in_bulk(list(teams)).items()})
        if experts:
            rows = Expert.objects.select_related("contact").in_bulk(list(experts))
            found.update({("expert", pk): expert for pk, expert in rows.items()})
        if contacts:
            found.update({("contact", pk): contact for pk, contact in Contact.objects.in_bulk(list(contacts)).items()})
        return found

    @staticmethod
    def _reach(people, assignment):
        """assignee, kind, phone and e-mail of an Assignment (the assignee None when the user may not see it)."""
        if assignment.team_id:
            kind, key = "team", ("team", assignment.team_id)
        elif assignment.expert_id:
            kind, key = "expert", ("expert", assignment.expert_id)
        else:
            kind, key = "contact", ("contact", assignment.contact_id)
        assignee = people.get(key)
        reach = assignee.contact if kind == "expert" and assignee is not None else assignee
        return {
            "assignee": assignee,
            "kind": kind,
            "phone": getattr(reach, "phone", "") or "",
            "email": getattr(reach, "email", "") or "",
        }

    # --- scenarios ---

    def truck_factor(self):
        """(truck factor, the experts in removal order that the user may view, how many more there are)."""
        factor, leavers = truck_factor(knowledge=self.knowledge)
        named = self.experts(leavers)
        return factor, named, len(leavers) - len(named)

    def what_if(self, expert_ids):
        """The gaps that appear and disappear when these experts leave, for technologies the user may view.

        With, per technology of the new gaps, what to do next (`CoverOptions`).
        """
        result = what_if(expert_ids, as_of=self.as_of)
        visible = self.technology_ids
        new_gaps = [self.gap(gap) for gap in result.new_gaps if gap.technology.pk in visible]
        technologies = {gap.technology.pk: gap.technology for gap in sorted(new_gaps, key=worst_first)}
        return WhatIfAnswer(
            removed_experts=result.removed_experts,
            new_gaps=new_gaps,
            resolved_gaps=[self.gap(gap) for gap in result.resolved_gaps if gap.technology.pk in visible],
            bus_factor_changes=[change for change in result.bus_factor_changes if change["technology"].pk in visible],
            cover_options=self._cover_options(list(technologies.values()), set(expert_ids)),
        )

    def _cover_options(self, technologies, leaver_ids):
        """CoverOptions of each technology (in their order) when the experts `leaver_ids` leave.

        A fixed number of queries, whatever the number of technologies. Experts, plans and responsibilities are
        named only when the user may view the expert (and the plan or responsibility itself); contracts only when
        the user may view them.
        """
        if not technologies:
            return []
        ids = [technology.pk for technology in technologies]
        hidden = dict.fromkeys(ids, 0)

        def shown(rows, expert_of):
            """{technology_id: [row]} of the rows whose expert the user may view; the others counted in `hidden`."""
            found = {pk: [] for pk in ids}
            for row in rows:
                if self.experts([expert_of(row)]):
                    found[row.technology_id].append(row)
                else:
                    hidden[row.technology_id] += 1
            return found

        skills = (
            Skill.objects.one_level_short()
            .filter(technology_id__in=ids)
            .exclude(expert_id__in=leaver_ids)
            .select_related("expert__contact")
            .order_by("expert__contact__name")
        )
        plans = (
            TrainingPlan.objects.restrict(self.user, "view")
            .closing_gaps_of(ids)
            .exclude(expert_id__in=leaver_ids)
            .select_related("expert__contact", "status", "technology")
            .order_by("due_date", "expert__contact__name")
        )
        responsibilities = (
            Responsibility.objects.restrict(self.user, "view")
            .filter(technology_id__in=ids, expert_id__in=leaver_ids)
            .select_related("expert__contact", "technology", *TARGET_SELECT_RELATED)
        )
        short = shown(skills, lambda skill: skill.expert)
        planned = shown(plans, lambda plan: plan.expert)
        held = shown(responsibilities, lambda responsibility: responsibility.expert)
        contracts = self._cover_contracts(ids)
        history = History(self)
        candidates = {pk: [] for pk in ids} if history.visible else {}
        for item in history.candidates(technologies=ids) if history.visible else ():
            if item.expert is None or item.expert.pk not in leaver_ids:
                candidates[item.technology.pk].append(item)
        return [
            CoverOptions(
                technology=technology,
                one_level_short=[skill.expert for skill in short[technology.pk]],
                training_plans=planned[technology.pk],
                responsibilities=sorted(
                    held[technology.pk], key=lambda r: (ROLE_ORDER.index(r.role), r.escalation_tier, str(r))
                ),
                contracts=contracts.get(technology.pk, []),
                hidden_experts=hidden[technology.pk],
                candidates=candidates.get(technology.pk),
            )
            for technology in technologies
        ]

    def _cover_contracts(self, technology_ids):
        """{technology_id: [CoverContract]}: contracts the user may view that cover the technologies, or used to.

        In force on the day first, then those that ended before it, the most recent first; two queries.
        """
        day = self.as_of or date.today()
        contracts = SupportContract.objects.restrict(self.user, "view").in_force_or_ended_on(day)
        found = self._covering(technology_ids, contracts)
        return {
            pk: sorted(
                (CoverContract(contract=contract, in_force=contract.in_force) for contract in rows),
                key=lambda row: (not row.in_force, -(row.contract.end_date or date.max).toordinal()),
            )
            for pk, rows in found.items()
        }


def _is_qualified(knowledge, technology_id, assignment):
    """Whether an assignee is qualified: the expert, or a member of the team; a contact alone is not."""
    return knowledge.custodian_is_qualified(assignment.team_id, assignment.expert_id, technology_id)
