"""The knowledge engine: one object that answers every technical-management question for a point in time."""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.dispatch import Signal
from nautobot.extras.models import Team

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.constants import STATUS_AGREED
from nautobot_techmgmt.knowledge import gaps as g
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.custodians import (
    NO_SUPPORT_PATH,
    Custodian,
    CustodianResolver,
    assignments_of_sets,
    object_attributes,
    support_path,
    support_paths_of_sets,
)
from nautobot_techmgmt.knowledge.inventory import all_in_use_pairs, in_use_pairs, object_type_for
from nautobot_techmgmt.knowledge.qualification import by_technology, qualified_pairs
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    CustodianCoverage,
    Expert,
    ObjectKnowledge,
    QualifiedExpert,
    SupportContract,
    Technology,
    TechnologyKnowledge,
)
from nautobot_techmgmt.object_types import OBJECT_TYPES, OBJECT_TYPES_BY_KEY

# Sent before a Knowledge first reads the knowledge state. knowledge/state.py connects the step that takes pending
# changes in, so a reader sees its own writes: the state computes with the engine, so the engine cannot import it.
reading_state = Signal()


# The engine's one read facade, used by every surface: most of its public members are data sets computed once per
# instance (cached_property), which pylint counts as methods; splitting them would scatter what shares one cache.
class Knowledge:  # pylint: disable=too-many-public-methods
    """Technical-management knowledge of the whole estate on one day.

    By default every answer comes from the knowledge state (`models/state.py`), which follows each change: the
    inventory side (which objects use which technology, under which custodian) always, the people side (who is
    qualified) for today's answers; another day, or a what-if with departed experts, judges qualification now, in
    one query, against the same inventory side.

    Args:
        as_of: the day the answers hold for (expiry and validity are judged on it); default today.
        departed_experts: ids of experts to treat as gone (what-if).
        live: compute everything now from the data instead of reading the state — what the state itself is
            computed with (rebuild, recomputation of technologies).
        technology_ids: answer only about these technologies (what one object's page needs); None: all.
        warning_days: how far ahead a lapsing certification is warned about; default: the app setting.
    """

    def __init__(self, as_of=None, departed_experts=(), live=False, technology_ids=None, warning_days=None):
        """Set the point in time and the scenario; nothing is queried until asked."""
        self.as_of = as_of or date.today()
        self.departed_experts = frozenset(departed_experts)
        self.warning_days = app_setting("certification_warning_days") if warning_days is None else warning_days
        self._live = live
        self.technology_ids = None if technology_ids is None else list(technology_ids)

    def without(self, expert_ids):
        """The same day's knowledge with these experts gone too; shares the inventory side (counted once)."""
        scenario = Knowledge(
            self.as_of,
            self.departed_experts | set(expert_ids),
            live=self._live,
            technology_ids=self.technology_ids,
            warning_days=self.warning_days,
        )
        for name in ("technologies", "in_use", "custodian_groups", "support_paths"):
            scenario.__dict__[name] = getattr(self, name)
        return scenario

    # --- base data sets (each one query or a fixed few) ---

    @cached_property
    def technologies(self):
        """{id: Technology} of every technology."""
        technologies = Technology.objects.select_related("custodian_team", "status")
        if self.technology_ids is not None:
            technologies = technologies.filter(pk__in=self.technology_ids)
        return {t.pk: t for t in technologies}

    @property
    def live(self):
        """Whether everything is computed now rather than read from the knowledge state."""
        return self._live

    def _take_in_pending(self):
        """Before the state is first read: take in pending changes (when few), so a reader sees its own writes."""
        if self._live or self.__dict__.get("_taken_in"):
            return
        reading_state.send(sender=Knowledge)
        self.__dict__["_taken_in"] = True

    @cached_property
    def people_from_state(self):
        """Whether the people side comes from the state: today's answers without a scenario, on the usual window."""
        return (
            not self._live
            and not self.departed_experts
            and self.as_of == date.today()
            and self.warning_days == app_setting("certification_warning_days")
        )

    @cached_property
    def _qualified_rows(self):
        """The state's (technology_id, expert_id, internal, has_capacity, lapsing) rows; one query."""
        self._take_in_pending()
        rows = QualifiedExpert.objects.all()
        if self.technology_ids is not None:
            rows = rows.filter(technology_id__in=self.technology_ids)
        return list(rows.values_list("technology_id", "expert_id", "internal", "has_capacity", "lapsing"))

    @cached_property
    def in_use(self):
        """{technology_id: {object type key: n}}: "devices", "circuits", ... as in object_types.py.

        Summed from the custodian groups when they are loaded; otherwise summed by the database from the state, in
        one query, so surfaces that need only the counts (capacity) do not load every group.
        """
        if self.live or "custodian_groups" in self.__dict__:
            groups = ((tid, key, number) for tid, key, *_, number in self.custodian_groups)
        else:
            self._take_in_pending()
            rows = CustodianCoverage.objects.filter(objects_count__gt=0)
            if self.technology_ids is not None:
                rows = rows.filter(technology_id__in=self.technology_ids)
            groups = rows.order_by().values_list("technology_id", "object_type").annotate(number=Sum("objects_count"))
        counts = {}
        for technology_id, key, number in groups:
            counts.setdefault(technology_id, dict.fromkeys(OBJECT_TYPES_BY_KEY, 0))[key] += number
        return counts

    @cached_property
    def _qualification(self):
        """Qualified (technology_id, expert_id) pairs on `as_of` and at the end of the warning window; one query."""
        if self.people_from_state:
            rows = self._qualified_rows
            return (
                by_technology((tid, eid) for tid, eid, *_ in rows),
                by_technology((tid, eid) for tid, eid, _, _, lapsing in rows if not lapsing),
            )
        horizon = self.as_of + timedelta(days=self.warning_days)
        pairs = qualified_pairs([self.as_of, horizon], self.departed_experts, self.technology_ids)
        return by_technology(pairs[self.as_of]), by_technology(pairs[horizon])

    @cached_property
    def qualified(self):
        """{technology_id: set(expert_id)} of qualified experts on `as_of`."""
        return self._qualification[0]

    @cached_property
    def qualified_at_warning_horizon(self):
        """{technology_id: set(expert_id)} of experts still qualified when the warning window ends."""
        return self._qualification[1]

    @cached_property
    def lapsing(self):
        """{technology_id: set(expert_id)} of experts qualified on `as_of` who stop being so within the window."""
        return {
            technology_id: lapsing
            for technology_id, experts in self.qualified.items()
            if (lapsing := experts - self.qualified_at_warning_horizon.get(technology_id, set()))
        }

    @cached_property
    def experts(self):
        """{id: Expert} of every expert who is qualified for something."""
        ids = set().union(*self.qualified.values()) if self.qualified else set()
        experts = Expert.objects.filter(pk__in=list(ids)).select_related("contact")
        experts = experts.only("id", "employment_type", "contact_id", "contact__id", "contact__name")
        return {e.pk: e for e in experts}

    @cached_property
    def internal_experts(self):
        """Ids of qualified experts who are employees or contractors (not supplier staff)."""
        if self.people_from_state:
            return {eid for _, eid, internal, _, _ in self._qualified_rows if internal}
        return {pk for pk, e in self.experts.items() if e.employment_type != EmploymentTypeChoices.SUPPLIER_STAFF}

    @cached_property
    def experts_with_capacity(self):
        """Ids of experts with an agreed availability agreement in force on `as_of`."""
        if self.people_from_state:
            return {eid for _, eid, _, capacity, _ in self._qualified_rows if capacity}
        agreements = AvailabilityAgreement.objects.filter(status__name=STATUS_AGREED, valid_from__lte=self.as_of)
        agreements = agreements.exclude(valid_until__lt=self.as_of)
        if self.technology_ids is not None:
            agreements = agreements.filter(expert_id__in=list(self.experts))
        return set(agreements.values_list("expert_id", flat=True))

    @cached_property
    def vendor_covered(self):
        """Ids of technologies covered by a support contract in force on `as_of`."""
        if self.people_from_state:
            self._take_in_pending()
            states = TechnologyKnowledge.objects.filter(vendor_covered=True)
            if self.technology_ids is not None:
                states = states.filter(pk__in=self.technology_ids)
            return set(states.values_list("pk", flat=True))
        covered = SupportContract.objects.active_on(self.as_of).values_list("technologies", flat=True)
        if self.technology_ids is not None:
            covered = covered.filter(technologies__in=self.technology_ids)
        return set(covered) - {None}

    @cached_property
    def own_gap_kinds(self):
        """{technology_id: [gap kinds]} of the technology-level gaps (no expert, single expert, ...) of those in use.

        From the state's people side for today's answers (one query), else worked out now.
        """
        if self.people_from_state:
            self._take_in_pending()
            states = TechnologyKnowledge.objects.filter(has_gap=True)
            if self.technology_ids is not None:
                states = states.filter(pk__in=self.technology_ids)
            return dict(states.values_list("pk", "gaps"))
        return {
            technology_id: kinds
            for technology_id in self.in_use.keys() & self.technologies.keys()
            if (kinds := [gap.kind for gap in g.technology_gaps(self, technology_id, counts={})])
        }

    @cached_property
    def qualified_teams(self):
        """{technology_id: set(team_id)} of the core teams with a member qualified for the technology."""
        teams_of = defaultdict(set)
        memberships = Team.contacts.through.objects.filter(contact_id__in=[e.contact_id for e in self.experts.values()])
        for team_id, contact_id in memberships.values_list("team_id", "contact_id"):
            teams_of[contact_id].add(team_id)
        return {
            technology_id: set().union(*(teams_of[self.experts[pk].contact_id] for pk in experts))
            for technology_id, experts in self.qualified.items()
        }

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

    def custodian_is_qualified(self, team_id, expert_id, technology_id):
        """Whether the custodian (an expert, or a team: any member) holds the skill for the technology."""
        if expert_id is not None:
            return expert_id in self.qualified.get(technology_id, ())
        return team_id is not None and team_id in self.qualified_teams.get(technology_id, ())

    def support_gap_kinds(self, technology_id, path):
        """The support-path gap kinds of objects whose SupportPath (see `custodians.support_path`) is `path`."""
        has_primary, tiers = path
        qualified = all(self.custodian_is_qualified(team_id, expert_id, technology_id) for team_id, expert_id in tiers)
        return g.support_gap_kinds(has_primary, qualified)

    def object_custodians(self):
        """Yield (technology_id, object type key, object_id, Custodian or None, Assignments) per object and technology.

        The Assignments are the object's other roles (a tuple, see `CustodianResolver.resolve_roles`).

        A fixed number of queries (the pairs, and each object type's attributes and groups), whatever the objects.
        """
        attributes = {object_type.key: object_attributes(object_type) for object_type in OBJECT_TYPES}
        for key, technology_id, object_id in all_in_use_pairs():
            found = attributes[key][object_id]
            yield (
                technology_id,
                key,
                object_id,
                self.custodians.resolve(found, technology_id),
                self.custodians.resolve_roles(found, technology_id),
            )

    def custodian_gap_kind(self, technology_id, team_id, expert_id, has_custodian):
        """The custodian gap kind of objects (no custodian, or a custodian without the skill), or None."""
        return g.custodian_gap_kind(
            has_custodian, has_custodian and self.custodian_is_qualified(team_id, expert_id, technology_id)
        )

    @cached_property
    def custodian_groups(self):
        """[(technology_id, object type key, team_id, expert_id, has_custodian, roles, number of objects)].

        Read from the knowledge state, or counted now when live. `roles` is the id of the objects' RoleSet (state),
        or their tuple of Assignments (live); None or () when no role other than custodian is resolved.
        """
        if not self.live:
            self._take_in_pending()
            rows = CustodianCoverage.objects.filter(objects_count__gt=0)
            if self.technology_ids is not None:
                rows = rows.filter(technology_id__in=self.technology_ids)
            return list(
                rows.values_list(
                    "technology_id",
                    "object_type",
                    "custodian_team_id",
                    "custodian_expert_id",
                    "has_custodian",
                    "roles_id",
                    "objects_count",
                )
            )
        groups = Counter(
            (tid, key, *custodian_ids(custodian), roles)
            for tid, key, _, custodian, roles in self.object_custodians()
            if self.technology_ids is None or tid in self.technologies
        )
        return [(*group, number) for group, number in groups.items()]

    @cached_property
    def custodian_coverage(self):
        """{technology_id: (unassigned, unskilled)}, each {object type key: number of objects}."""
        coverage = defaultdict(lambda: (defaultdict(int), defaultdict(int)))
        for technology_id, key, team_id, expert_id, has_custodian, _, number in self.custodian_groups:
            unassigned, unskilled = coverage[technology_id]
            kind = self.custodian_gap_kind(technology_id, team_id, expert_id, has_custodian)
            if kind == g.NO_CUSTODIAN:
                unassigned[key] += number
            elif kind == g.CUSTODIAN_LACKS_SKILL:
                unskilled[key] += number
        return coverage

    @cached_property
    def support_paths(self):
        """{RoleSet id: SupportPath} of the sets the custodian groups point at; two small queries."""
        return support_paths_of_sets({roles for *_, roles, _ in self.custodian_groups if isinstance(roles, int)})

    def support_path(self, roles):
        """The SupportPath of a group's `roles`: a RoleSet id (state), a tuple of Assignments (live), or None."""
        if isinstance(roles, tuple):
            return support_path(roles)
        return self.support_paths.get(roles, NO_SUPPORT_PATH)

    @cached_property
    def support_coverage(self):
        """{technology_id: (unsupported, unqualified)}, each {object type key: number of objects}.

        The objects with no primary support, and those whose support path has a tier with no qualified assignee.
        """
        coverage = defaultdict(lambda: (defaultdict(int), defaultdict(int)))
        kinds_of = {}  # many groups share a technology and a role set (they differ by custodian)
        for technology_id, key, _, _, _, roles, number in self.custodian_groups:
            unsupported, unqualified = coverage[technology_id]
            if (technology_id, roles) not in kinds_of:
                kinds_of[(technology_id, roles)] = self.support_gap_kinds(technology_id, self.support_path(roles))
            for kind in kinds_of[(technology_id, roles)]:
                (unsupported if kind == g.NO_PRIMARY_SUPPORT else unqualified)[key] += number
        return coverage

    @cached_property
    def gaps(self):
        """Every gap of every technology in use, worst risk first."""
        found = []
        coverage = self.custodian_coverage  # loads the custodian groups first: `in_use` is then summed from them
        for technology_id in self.in_use.keys() & self.technologies.keys():  # a scoped engine knows some only
            found += g.technology_gaps(self, technology_id)
            found += g.custodian_gaps(self.technologies[technology_id], *coverage[technology_id])
            found += g.support_gaps(self.technologies[technology_id], *self.support_coverage[technology_id])
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

    @cached_property
    def _gaps_by_technology(self):
        grouped = defaultdict(list)
        for gap in self.gaps:
            grouped[gap.technology.pk].append(gap)
        return grouped

    def gaps_of(self, technology_id):
        """The gaps of one technology, worst risk first."""
        return list(self._gaps_by_technology.get(technology_id, ()))

    def for_object(self, obj, with_sources=False):
        """Knowledge of one inventory object (of a type in object_types.py), per technology in use on it.

        Returns a list of dicts: technology, custodian (Custodian or None), roles (the other roles' Assignments, see
        `CustodianResolver.resolve_roles`), qualified_experts, gaps — by name. Reads the object's rows of the knowledge
        state (live: resolves them now). Costs a fixed number of queries, whatever the object and the size of the
        estate. `with_sources` also loads the objects custodians come from.
        """
        object_type = object_type_for(obj)
        if object_type is None:
            return []
        self._take_in_pending()
        answers = self._live_answers(object_type, obj) if self._live else self._state_answers(object_type, obj)
        if not answers:
            return []
        if with_sources:
            answers = _with_source_objects(answers)
        scoped = Knowledge(
            self.as_of, self.departed_experts, live=self._live, technology_ids=[t.pk for t, _, _ in answers]
        )
        scoped.__dict__["technologies"] = {technology.pk: technology for technology, _, _ in answers}
        here, nowhere = {object_type.key: 1}, {}
        rows = []
        for technology, custodian, roles in answers:
            kind = scoped.custodian_gap_kind(technology.pk, *custodian_ids(custodian))
            support_kinds = scoped.support_gap_kinds(technology.pk, support_path(roles))
            rows.append(
                {
                    "technology": technology,
                    "custodian": custodian,
                    "roles": roles,
                    "qualified_experts": scoped.qualified_experts(technology.pk),
                    "gaps": g.technology_gaps(scoped, technology.pk, here)
                    + g.custodian_gaps(
                        technology,
                        here if kind == g.NO_CUSTODIAN else nowhere,
                        here if kind == g.CUSTODIAN_LACKS_SKILL else nowhere,
                    )
                    + g.support_gaps(
                        technology,
                        here if g.NO_PRIMARY_SUPPORT in support_kinds else nowhere,
                        here if g.UNQUALIFIED_ESCALATION in support_kinds else nowhere,
                    ),
                }
            )
        return sorted(rows, key=lambda row: row["technology"].name)

    def role_groups(self, object_type, objects):
        """[(technology_id, Assignments, number of objects)] of objects of one type: who holds each role on them.

        `objects` are ids or a queryset of the objects. Reads the knowledge state (live: resolves the objects now);
        two queries on the state, whatever the number of objects.
        """
        if self._live:
            ids = list(objects.values_list("pk", flat=True)) if hasattr(objects, "values_list") else list(objects)
            attributes = object_attributes(object_type, ids)
            pairs = in_use_pairs(object_type, ids)
            resolver = CustodianResolver(
                Technology.objects.select_related("custodian_team").in_bulk([tid for tid, _ in pairs])
            )
            counts = Counter(
                (tid, resolver.resolve_roles(attributes[object_id], tid))
                for tid, object_id in pairs
                if self.technology_ids is None or tid in self.technology_ids
            )
            return [(tid, roles, number) for (tid, roles), number in counts.items()]
        self._take_in_pending()
        rows = ObjectKnowledge.objects.filter(**{f"{object_type.field}__in": objects})
        if self.technology_ids is not None:
            rows = rows.filter(technology_id__in=self.technology_ids)
        groups = list(rows.order_by().values_list("technology_id", "roles_id").annotate(number=Count("pk")))
        role_sets = assignments_of_sets({roles_id for _, roles_id, _ in groups})
        return [(tid, role_sets.get(roles_id, ()), number) for tid, roles_id, number in groups]

    @staticmethod
    def _state_answers(object_type, obj):
        """[(Technology, Custodian or None, Assignments)] from the object's rows of the knowledge state; two queries."""
        field = object_type.field
        rows = ObjectKnowledge.objects.filter(**{field: obj.pk}).select_related(
            "technology__custodian_team", "custodian_team", "custodian_expert__contact", "custodian_contact"
        )
        rows = list(rows)
        role_sets = assignments_of_sets({row.roles_id for row in rows})
        return [(row.technology, custodian_of_row(row), role_sets.get(row.roles_id, ())) for row in rows]

    def _live_answers(self, object_type, obj):
        """[(Technology, Custodian or None, Assignments)] resolved now from the data."""
        technology_ids = {tid for tid, _ in in_use_pairs(object_type, [obj.pk])}
        if not technology_ids:
            return []
        attributes = object_attributes(object_type, [obj.pk])[obj.pk]
        technologies = Technology.objects.select_related("custodian_team", "status").in_bulk(list(technology_ids))
        resolver = CustodianResolver(technologies, attributes)
        return [
            (technologies[tid], resolver.resolve(attributes, tid), resolver.resolve_roles(attributes, tid))
            for tid in technology_ids
        ]


def custodian_of_row(row):
    """The Custodian an ObjectKnowledge row records, or None; its source object is not loaded."""
    if not row.has_custodian:
        return None
    return Custodian(
        team=row.custodian_team,
        expert=row.custodian_expert,
        contact=row.custodian_contact,
        step=row.custodian_step,
        source=row.custodian_source,
        source_object=None,
        source_type_id=row.custodian_source_type_id,
        source_id=row.custodian_source_id,
    )


def _with_source_objects(answers):
    """The answers with each custodian's source object loaded: one query per kind of source."""
    wanted = defaultdict(set)
    for _, custodian, _ in answers:
        if custodian is not None and custodian.source_id is not None:
            wanted[custodian.source_type_id].add(custodian.source_id)
    loaded = {
        type_id: ContentType.objects.get_for_id(type_id).model_class().objects.in_bulk(list(ids))
        for type_id, ids in wanted.items()
    }
    return [
        (
            technology,
            replace(custodian, source_object=loaded[custodian.source_type_id].get(custodian.source_id))
            if custodian is not None and custodian.source_type_id in loaded
            else custodian,
            roles,
        )
        for technology, custodian, roles in answers
    ]


def custodian_ids(custodian):
    """(team_id, expert_id, has_custodian) of a Custodian or None: what decides its custodian gap."""
    if custodian is None:
        return None, None, False
    return (
        custodian.team.pk if custodian.team else None,
        custodian.expert.pk if custodian.expert else None,
        True,
    )
