"""The knowledge engine: one object that answers every technical-management question for a point in time."""

from collections import defaultdict
from datetime import date, timedelta
from functools import cached_property

from nautobot.extras.models import Team

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.constants import STATUS_AGREED
from nautobot_techmgmt.knowledge import gaps as g
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.custodians import CustodianResolver, object_attributes
from nautobot_techmgmt.knowledge.inventory import OBJECT_TYPES, in_use_counts, in_use_pairs, object_type_for
from nautobot_techmgmt.knowledge.qualification import by_technology, qualified_pairs
from nautobot_techmgmt.models import AvailabilityAgreement, Expert, SupportContract, Technology


class Knowledge:
    """Technical-management knowledge of the whole estate on one day.

    Args:
        as_of: the day the answers hold for (expiry and validity are judged on it); default today.
        departed_experts: ids of experts to treat as gone (what-if).
    """

    def __init__(self, as_of=None, departed_experts=()):
        """Set the point in time and the scenario; nothing is queried until asked."""
        self.as_of = as_of or date.today()
        self.departed_experts = frozenset(departed_experts)
        self.warning_days = app_setting("certification_warning_days")

    # --- base data sets (each one query or a fixed few) ---

    @cached_property
    def technologies(self):
        """{id: Technology} of every technology."""
        return {t.pk: t for t in Technology.objects.select_related("custodian_team", "status")}

    @cached_property
    def in_use(self):
        """{technology_id: {"devices": n, "circuits": n, "virtual_machines": n, "clusters": n}}."""
        return in_use_counts()

    @cached_property
    def qualified(self):
        """{technology_id: set(expert_id)} of qualified experts on `as_of`."""
        return by_technology(qualified_pairs(self.as_of, self.departed_experts))

    @cached_property
    def qualified_at_warning_horizon(self):
        """{technology_id: set(expert_id)} of experts still qualified when the warning window ends."""
        horizon = self.as_of + timedelta(days=self.warning_days)
        return by_technology(qualified_pairs(horizon, self.departed_experts))

    @cached_property
    def experts(self):
        """{id: Expert} of every expert who is qualified for something."""
        ids = set().union(*self.qualified.values()) if self.qualified else set()
        return {e.pk: e for e in Expert.objects.filter(pk__in=list(ids)).select_related("contact")}

    @cached_property
    def internal_experts(self):
        """Ids of qualified experts who are employees or contractors (not supplier staff)."""
        return {pk for pk, e in self.experts.items() if e.employment_type != EmploymentTypeChoices.SUPPLIER_STAFF}

    @cached_property
    def experts_with_capacity(self):
        """Ids of experts with an agreed availability agreement in force on `as_of`."""
        agreements = AvailabilityAgreement.objects.filter(status__name=STATUS_AGREED, valid_from__lte=self.as_of)
        agreements = agreements.exclude(valid_until__lt=self.as_of)
        return set(agreements.values_list("expert_id", flat=True))

    @cached_property
    def vendor_covered(self):
        """Ids of technologies covered by a support contract in force on `as_of`."""
        contracts = SupportContract.objects.active_on(self.as_of)
        return set(contracts.values_list("technologies", flat=True)) - {None}

    @cached_property
    def team_members(self):
        """{team_id: set(contact_id)} from core team membership."""
        members = defaultdict(set)
        for team_id, contact_id in Team.contacts.through.objects.values_list("team_id", "contact_id"):
            members[team_id].add(contact_id)
        return members

    @cached_property
    def custodians(self):
        """The resolver of effective custodians."""
        return CustodianResolver(self.technologies)

    # --- answers ---

    def bus_factor(self, technology_id):
        """Number of qualified experts for a technology."""
        return len(self.qualified.get(technology_id, ()))

    def qualified_experts(self, technology_id):
        """Qualified experts of a technology, by name."""
        return sorted((self.experts[pk] for pk in self.qualified.get(technology_id, ())), key=str)

    def is_in_use(self, technology_id):
        """Whether any object uses the technology."""
        return any(self.in_use.get(technology_id, {}).values())

    def custodian_is_qualified(self, custodian, technology_id):
        """Whether the custodian (a team: any member) holds the skill for the technology."""
        qualified = self.qualified.get(technology_id, set())
        if custodian.expert is not None:
            return custodian.expert.pk in qualified
        if custodian.team is not None:
            contacts = {self.experts[pk].contact_id for pk in qualified}
            return bool(contacts & self.team_members.get(custodian.team.pk, set()))
        return False

    def technology_gaps(self, technology_id, affected_ids=None):
        """Gaps of a technology that do not depend on the object: bus factor, expiry, capacity, vendor."""
        technology = self.technologies[technology_id]
        counts = self.in_use.get(technology_id, {})
        qualified = self.qualified.get(technology_id, set())
        bus = len(qualified)
        found = []
        internal = qualified & self.internal_experts
        if not internal and technology_id in self.vendor_covered:
            found.append(
                g.Gap(
                    g.VENDOR_ONLY,
                    technology,
                    f"No qualified internal expert for {technology}; only a supplier's support contract covers it.",
                    counts,
                    affected_ids,
                )
            )
        elif bus == 0:
            found.append(
                g.Gap(
                    g.NO_EXPERT,
                    technology,
                    f"{technology} is in use and nobody is qualified for it.",
                    counts,
                    affected_ids,
                )
            )
        if bus == 1 and technology.required_experts >= 2:
            gap = g.Gap(
                g.SINGLE_EXPERT,
                technology,
                f"Only one expert is qualified for {technology}; {technology.required_experts} needed.",
                counts,
                affected_ids,
            )
            gap.experts = self.qualified_experts(technology_id)
            found.append(gap)
        elif 1 < bus < technology.required_experts:
            found.append(
                g.Gap(
                    g.BELOW_TARGET,
                    technology,
                    f"{bus} of {technology.required_experts} required experts are qualified for {technology}.",
                    counts,
                    affected_ids,
                )
            )
        lapsing = qualified - self.qualified_at_warning_horizon.get(technology_id, set())
        if lapsing:
            gap = g.Gap(
                g.CERTIFICATION_EXPIRING,
                technology,
                f"{len(lapsing)} qualified expert(s) of {technology} stop being qualified within "
                f"{self.warning_days} days as a certification lapses.",
                counts,
                affected_ids,
            )
            gap.experts = sorted((self.experts[pk] for pk in lapsing), key=str)
            found.append(gap)
        if qualified and not qualified & self.experts_with_capacity:
            found.append(
                g.Gap(
                    g.NO_CAPACITY,
                    technology,
                    f"No qualified expert for {technology} has agreed hours in force.",
                    counts,
                    affected_ids,
                )
            )
        return found

    def custodian_gaps(self, technology_id, unassigned, unskilled):
        """Gaps about custodianship, from the objects without custodian and those whose custodian lacks skill."""
        technology = self.technologies[technology_id]
        found = []
        if any(unskilled.values()):
            found.append(
                g.Gap(
                    g.CUSTODIAN_LACKS_SKILL,
                    technology,
                    f"The custodian of {technology} on some objects has no qualified member.",
                    _counts(unskilled),
                    dict(unskilled),
                )
            )
        if any(unassigned.values()):
            found.append(
                g.Gap(
                    g.NO_CUSTODIAN,
                    technology,
                    f"{technology} is in use on objects that have no custodian.",
                    _counts(unassigned),
                    dict(unassigned),
                )
            )
        return found

    @cached_property
    def in_use_objects(self):
        """{technology_id: {object type key: set(object_id)}} for every object of every type."""
        result = defaultdict(lambda: defaultdict(set))
        for object_type in OBJECT_TYPES:
            for technology_id, object_id in in_use_pairs(object_type):
                result[technology_id][object_type.key].add(object_id)
        return result

    def object_custodians(self):
        """Yield (technology_id, object type key, object_id, Custodian or None) for every object using a technology.

        Two queries per object type (its attributes), whatever the number of objects.
        """
        for object_type in OBJECT_TYPES:
            attributes = object_attributes(object_type)
            for technology_id, objects in self.in_use_objects.items():
                for object_id in objects.get(object_type.key, ()):
                    custodian = self.custodians.resolve(attributes[object_id], technology_id)
                    yield technology_id, object_type.key, object_id, custodian

    def _custodian_gap_kind(self, custodian, technology_id):
        """The custodian gap kind of one object (no custodian, or a custodian without the skill), or None."""
        if custodian is None:
            return g.NO_CUSTODIAN
        if not self.custodian_is_qualified(custodian, technology_id):
            return g.CUSTODIAN_LACKS_SKILL
        return None

    def object_gap_kinds(self):
        """Yield (technology_id, object type key, object_id, Custodian or None, [gap kinds]) for every object in use.

        The kinds are the technology's own gaps followed by the object's custodian gap, as `for_object` orders them.
        """
        technology_kinds = {}
        for technology_id, key, object_id, custodian in self.object_custodians():
            if technology_id not in technology_kinds:
                technology_kinds[technology_id] = [gap.kind for gap in self.technology_gaps(technology_id)]
            custodian_kind = self._custodian_gap_kind(custodian, technology_id)
            kinds = technology_kinds[technology_id] + ([custodian_kind] if custodian_kind else [])
            yield technology_id, key, object_id, custodian, kinds

    @cached_property
    def custodian_coverage(self):
        """{technology_id: (unassigned, unskilled)}, each {object type key: set(object_id)}, over all objects."""
        coverage = defaultdict(lambda: (defaultdict(set), defaultdict(set)))
        for technology_id, key, object_id, custodian in self.object_custodians():
            unassigned, unskilled = coverage[technology_id]
            kind = self._custodian_gap_kind(custodian, technology_id)
            if kind == g.NO_CUSTODIAN:
                unassigned[key].add(object_id)
            elif kind == g.CUSTODIAN_LACKS_SKILL:
                unskilled[key].add(object_id)
        return coverage

    @cached_property
    def gaps(self):
        """Every gap of every technology in use, worst risk first."""
        found = []
        for technology_id, affected in self.in_use_objects.items():
            found += self.technology_gaps(technology_id, {key: set(ids) for key, ids in affected.items()})
            unassigned, unskilled = self.custodian_coverage.get(technology_id, ({}, {}))
            found += self.custodian_gaps(technology_id, unassigned, unskilled)
        return sorted(
            found, key=lambda gap: (-gap.risk, g.SEVERITIES.index(gap.severity), gap.technology.name, gap.kind)
        )

    @cached_property
    def risk(self):
        """{technology_id: risk} summed over the technology's gaps."""
        totals = defaultdict(int)
        for gap in self.gaps:
            totals[gap.technology.pk] += gap.risk
        return totals

    def gaps_of(self, technology_id):
        """The gaps of one technology."""
        return [gap for gap in self.gaps if gap.technology.pk == technology_id]

    def for_object(self, obj):
        """Knowledge of one Device, Circuit, VirtualMachine or Cluster, per technology in use on it.

        Returns a list of dicts: technology, custodian (Custodian or None), qualified_experts, gaps — by name.
        Costs a fixed number of queries, whatever the object.
        """
        object_type = object_type_for(obj)
        if object_type is None:
            return []
        technology_ids = {tid for tid, _ in in_use_pairs(object_type, [obj.pk])}
        attributes = object_attributes(object_type, [obj.pk]).get(obj.pk)
        rows = []
        for technology_id in technology_ids:
            custodian = self.custodians.resolve(attributes, technology_id)
            kind = self._custodian_gap_kind(custodian, technology_id)
            here, empty = {object_type.key: {obj.pk}}, {object_type.key: set()}
            unassigned = here if kind == g.NO_CUSTODIAN else empty
            unskilled = here if kind == g.CUSTODIAN_LACKS_SKILL else empty
            rows.append(
                {
                    "technology": self.technologies[technology_id],
                    "custodian": custodian,
                    "qualified_experts": self.qualified_experts(technology_id),
                    "gaps": self.technology_gaps(technology_id)
                    + self.custodian_gaps(technology_id, unassigned, unskilled),
                }
            )
        return sorted(rows, key=lambda row: row["technology"].name)


def _counts(ids_by_type):
    return {key: len(ids) for key, ids in ids_by_type.items() if ids}
