"""The effective custodian of an object, per technology, with where it came from; and every other role the same way.

Resolution order, most specific first:
1. a custodian responsibility on the object itself;
2. on a dynamic group containing the object;
3. on a rule target the object reaches (its device type, platform, software version, role, circuit type, provider,
   cluster type, cloud resource type, cloud account, or manufacturer: the registry's rule targets, in its order);
4. on the object's location, then each ancestor location, nearest first;
5. the technology's custodian team (then a custodian responsibility on the technology alone).
At one step a responsibility for the technology beats one for every technology; ties are broken by
escalation tier, then by the assignee's name. Core contact associations whose role is one of the
configured custodian roles count as custodian responsibilities on their object, at the same step.

Every other role (primary and backup support, escalation, design authority, change assessor) is resolved by the same
order, one tier at a time: each (role, tier) comes from the most specific step with a rule for it, so a tier-1 team
on a location and a tier-2 expert on the technology make one path. At that step, rules for the technology beat rules
for every technology, and every assignee left holds the tier (several people can share one), ordered by name.
Core contact associations whose role is mapped to one of these roles (`contact_roles`) count as tier 1 of it.
"""

import hashlib
from collections import defaultdict
from dataclasses import astuple, dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from nautobot.dcim.models import Location
from nautobot.extras.models import Contact, ContactAssociation, StaticGroupAssociation, Team

from nautobot_techmgmt.choices import SUPPORT_ROLES, ResponsibilityRoleChoices
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.inventory import db_value, to_uuid
from nautobot_techmgmt.knowledge.schema import from_sql, object_sql, tree_sql
from nautobot_techmgmt.models import Expert, Responsibility, RoleSet, RoleSetEntry
from nautobot_techmgmt.object_types import (
    ATTRIBUTE_FIELDS,
    OBJECT_TARGET_FIELDS,
    RULE_TARGETS_BY_FIELD,
    TARGET_FIELDS,
    TARGET_MODELS,
)

# Rule targets matched as attributes of the object (step 3), from the registry.
RULE_FIELDS = ATTRIBUTE_FIELDS
STEP_OBJECT, STEP_DYNAMIC_GROUP, STEP_ATTRIBUTE, STEP_LOCATION, STEP_TECHNOLOGY = 1, 2, 3, 4, 5


CUSTODIAN = ResponsibilityRoleChoices.CUSTODIAN
# The roles resolved beside the custodian, in the order an answer lists them: the support path first.
ROLES = tuple(role for role, _ in ResponsibilityRoleChoices.CHOICES if role != CUSTODIAN)


def display_name(assignee):
    """How an assignee is named: a team or contact by its name (its own text adds phone and e-mail), else as text."""
    if assignee is None:
        return None
    return assignee.name if isinstance(assignee, (Team, Contact)) else str(assignee)


# A plain record of one rule's fields, read together: splitting it would only add indirection.
@dataclass(frozen=True)
class Candidate:  # pylint: disable=too-many-instance-attributes
    """A responsibility (or core contact association) that may apply to objects, in one role."""

    role: str
    team: object  # extras.Team or None
    expert: object  # Expert or None
    contact: object  # extras.Contact without an Expert record (core associations only), or None
    technology_id: object
    escalation_tier: int
    target_field: str  # None for a responsibility on the technology alone
    target: object  # the target instance, or None
    origin: str  # "responsibility" or "contact association"

    @property
    def assignee(self):
        """The team, expert or contact."""
        return self.team or self.expert or self.contact

    @property
    def assignee_name(self):
        """The assignee's name (a team's or contact's text would add its phone and e-mail)."""
        return display_name(self.assignee)

    @property
    def tier_key(self):
        """(role, tier) of a role other than custodian."""
        return (self.role, self.escalation_tier)

    @property
    def sort_key(self):
        """Responsibility for the technology first, then tier, then name."""
        return (self.technology_id is None, self.escalation_tier, str(self.assignee))


# A plain record of one answer (who, found how, from where): splitting it would only add indirection.
@dataclass(frozen=True)
class Custodian:  # pylint: disable=too-many-instance-attributes
    """The effective custodian of one object for one technology."""

    team: object
    expert: object
    contact: object
    step: int
    source: str
    source_object: object  # read from the state: None until asked for (`source_type_id`, `source_id` say which)
    source_type_id: int = None
    source_id: object = None

    def __getattribute__(self, name):
        """Load the source object of a custodian read from the state the first time it is asked for."""
        value = object.__getattribute__(self, name)
        if name == "source_object" and value is None and object.__getattribute__(self, "source_id") is not None:
            model = ContentType.objects.get_for_id(self.source_type_id).model_class()
            value = model.objects.filter(pk=self.source_id).first()
            object.__setattr__(self, "source_object", value)
        return value

    @property
    def assignee(self):
        """The team, expert or contact."""
        return self.team or self.expert or self.contact


# One resolved assignee with where it comes from, as RoleSetEntry stores it.
@dataclass(frozen=True)
class Assignment:  # pylint: disable=too-many-instance-attributes
    """One assignee of a role and tier on an object, for one technology, and why."""

    role: str
    tier: int
    team_id: object
    expert_id: object
    contact_id: object
    step: int
    source: str
    source_type_id: int
    source_id: object

    @property
    def is_support(self):
        """Whether it is a tier of the support path (primary, backup, escalation)."""
        return self.role in SUPPORT_ROLES


def role_set_key(assignments):
    """The digest that identifies a tuple of Assignments (a RoleSet's key)."""
    text = "\n".join(
        "|".join("" if value is None else str(value) for value in astuple(assignment)) for assignment in assignments
    )
    return hashlib.sha256(text.encode()).hexdigest()


def assignments_of_sets(role_set_ids=None):
    """{RoleSet id: tuple of Assignments} of some stored sets (None: of every set); one query."""
    entries = RoleSetEntry.objects.order_by("role_set_id", "position")
    if role_set_ids is None:
        found = defaultdict(list)
    else:
        found = {pk: [] for pk in role_set_ids if pk is not None}
        if not found:
            return {}
        entries = entries.filter(role_set_id__in=list(found))
    for role_set_id, *values in entries.values_list(
        "role_set_id",
        "role",
        "tier",
        "team_id",
        "expert_id",
        "contact_id",
        "step",
        "source",
        "source_type_id",
        "source_id",
    ):
        found[role_set_id].append(Assignment(*values))
    return {pk: tuple(assignments) for pk, assignments in found.items()}


def has_primary_support(assignments):
    """Whether resolved Assignments include a primary support assignee."""
    return any(assignment.role == ResponsibilityRoleChoices.PRIMARY_SUPPORT for assignment in assignments)


# What the support-path gaps of objects depend on: whether they have primary support, and who holds the tiers of
# their path (primary, backup support, escalation) as a frozenset of (team_id, expert_id), judged against who is
# qualified when read. Objects with the same SupportPath have the same support gaps.
NO_SUPPORT_PATH = (False, frozenset())


def support_path(assignments):
    """The SupportPath of resolved Assignments."""
    tiers = frozenset((a.team_id, a.expert_id) for a in assignments if a.is_support)
    return (has_primary_support(assignments), tiers)


def support_paths_of_sets(role_set_ids=None):
    """{RoleSet id: SupportPath} of stored sets (None: of every set).

    Two queries that read only what the support gaps need.
    """
    sets, entries = RoleSet.objects.all(), RoleSetEntry.objects.filter(role__in=SUPPORT_ROLES)
    if role_set_ids is not None:
        ids = [pk for pk in role_set_ids if pk is not None]
        if not ids:
            return {}
        sets, entries = sets.filter(pk__in=ids), entries.filter(role_set_id__in=ids)
    tiers = defaultdict(set)
    for role_set_id, team_id, expert_id in entries.values_list("role_set_id", "team_id", "expert_id").distinct():
        tiers[role_set_id].add((team_id, expert_id))
    return {
        pk: (has_primary, frozenset(tiers.get(pk, ())))
        for pk, has_primary in sets.values_list("pk", "has_primary_support")
    }


class CustodianResolver:
    """Resolves effective custodians for many objects with a fixed number of queries."""

    def __init__(self, technologies, attributes=None):
        """Load the custodian responsibilities, core custodian associations and location tree that can apply.

        Args:
            technologies: {technology_id: Technology} with `custodian_team` loaded.
            attributes: the attributes (see `object_attributes`) of the one object answers are wanted for; then
                only what can apply to that object is loaded. None: everything, for answers about any object.
        """
        self.technologies = technologies
        self.location_parent = {}
        if attributes is None:
            self.location_parent = dict(Location.objects.values_list("id", "parent_id"))
            keys = None
        else:
            self.location_parent = _ancestry(attributes.get("location"))
            keys = {key for _, step_keys in self.steps_for(attributes) for key in step_keys}
        # Custodian rules and the rules of every other role, each by target and by technology (no target).
        self.by_target, self.roles_by_target = {}, {}
        self.by_technology, self.roles_by_technology = {}, {}
        self._shared = {}  # answers shared by objects with the same signature: (kind, technology, signature) -> answer
        for candidate in self._responsibility_candidates(keys) + self._association_candidates(keys):
            custodian = candidate.role == CUSTODIAN
            if candidate.target_field is None:
                found = self.by_technology if custodian else self.roles_by_technology
                found.setdefault(candidate.technology_id, []).append(candidate)
            else:
                found = self.by_target if custodian else self.roles_by_target
                found.setdefault((candidate.target_field, candidate.target.pk), []).append(candidate)

    def _responsibility_candidates(self, keys):
        records = Responsibility.objects.all()
        if keys is not None:
            no_target = {f"{name}__isnull": True for name in TARGET_FIELDS}
            untargeted = Q(technology_id__in=list(self.technologies), **no_target)
            records = records.filter(reduce(or_, (Q(**{f"{name}_id": pk}) for name, pk in keys), untargeted))
            records = records.filter(Q(technology_id__isnull=True) | Q(technology_id__in=list(self.technologies)))
        # Joining the big inventory tables would cost a scan of each; their few targets are read by id instead.
        records = list(
            records.select_related(
                "team", "expert__contact", *(f for f in TARGET_FIELDS if f not in OBJECT_TARGET_FIELDS)
            )
        )
        objects = {}
        for name in OBJECT_TARGET_FIELDS:
            if ids := {getattr(record, f"{name}_id") for record in records} - {None}:
                model = Responsibility._meta.get_field(name).related_model
                objects[name] = model.objects.in_bulk(list(ids))

        def target_of(record):
            name = record.target_field
            return objects[name][getattr(record, f"{name}_id")] if name in objects else record.target

        return [
            Candidate(
                role=record.role,
                team=record.team,
                expert=record.expert,
                contact=None,
                technology_id=record.technology_id,
                escalation_tier=record.escalation_tier,
                target_field=record.target_field,
                target=target_of(record),
                origin="responsibility",
            )
            for record in records
        ]

    @staticmethod
    def _association_candidates(keys):
        field_by_content_type = {
            ContentType.objects.get_for_model(apps.get_model(label)).pk: field_name
            for field_name, label in TARGET_MODELS.items()
        }
        role_of = {name: CUSTODIAN for name in app_setting("custodian_roles")}
        for role, names in app_setting("contact_roles").items():
            role_of.update(dict.fromkeys(names, role))
        associations = ContactAssociation.objects.filter(
            role__name__in=list(role_of), associated_object_type_id__in=list(field_by_content_type)
        )
        if keys is not None:
            content_type_by_field = {name: pk for pk, name in field_by_content_type.items()}
            wanted = [
                Q(associated_object_type_id=content_type_by_field[name], associated_object_id=pk) for name, pk in keys
            ]
            associations = associations.filter(reduce(or_, wanted, Q(pk__in=[])))
        associations = associations.select_related("team", "contact", "role").prefetch_related("associated_object")
        experts = {
            expert.contact_id: expert
            for expert in Expert.objects.filter(
                contact_id__in=[a.contact_id for a in associations if a.contact_id]
            ).select_related("contact")
        }
        candidates = []
        for association in associations:
            if association.associated_object is None:
                continue
            expert = experts.get(association.contact_id)
            candidates.append(
                Candidate(
                    role=role_of[association.role.name],
                    team=association.team,
                    expert=expert,
                    contact=None if expert or association.team else association.contact,
                    technology_id=None,
                    escalation_tier=1,
                    target_field=field_by_content_type[association.associated_object_type_id],
                    target=association.associated_object,
                    origin="contact association",
                )
            )
        return candidates

    def location_chain(self, location_id):
        """The location and its ancestors, nearest first."""
        chain = []
        while location_id is not None and location_id not in chain:
            chain.append(location_id)
            location_id = self.location_parent.get(location_id)
        return chain

    def steps_for(self, attributes):
        """Ordered (step, [(target_field, id), ...]) groups for one object's attributes."""
        steps = [
            (STEP_OBJECT, [(name, attributes[name]) for name in OBJECT_TARGET_FIELDS if attributes.get(name)]),
            (STEP_DYNAMIC_GROUP, [("dynamic_group", group) for group in attributes.get("dynamic_groups", ())]),
            (STEP_ATTRIBUTE, [(name, value) for name in RULE_FIELDS for value in _values(attributes.get(name))]),
        ]
        steps += [(STEP_LOCATION, [("location", pk)]) for pk in self.location_chain(attributes.get("location"))]
        return steps

    def resolve(self, attributes, technology_id):
        """The effective Custodian of an object (given its attributes) for a technology, or None.

        Objects without a custodian of their own that share rule attributes, location and groups share the
        answer, so it is worked out once per technology for each such combination.
        """
        if any((name, attributes.get(name)) in self.by_target for name in OBJECT_TARGET_FIELDS):
            return self._resolve(attributes, technology_id)
        key = ("custodian", technology_id, _signature(attributes))
        if key not in self._shared:
            self._shared[key] = self._resolve(attributes, technology_id)
        return self._shared[key]

    def resolve_roles(self, attributes, technology_id):
        """The Assignments of every role other than custodian on an object for a technology, as a sorted tuple.

        Shared like `resolve`: objects with the same rule attributes, location and groups get the same tuple.
        """
        if any((name, attributes.get(name)) in self.roles_by_target for name in OBJECT_TARGET_FIELDS):
            return self._resolve_roles(attributes, technology_id)
        key = ("roles", technology_id, _signature(attributes))
        if key not in self._shared:
            self._shared[key] = self._resolve_roles(attributes, technology_id)
        return self._shared[key]

    def _resolve_roles(self, attributes, technology_id):
        if not self.roles_by_target and not self.roles_by_technology:
            return ()
        chosen = {}  # (role, tier) -> (step, [Candidate]) from the most specific step that has it
        for step, keys in self.steps_for(attributes):
            found = {}
            for key in keys:
                for candidate in self.roles_by_target.get(key, ()):
                    if candidate.technology_id in (None, technology_id) and candidate.tier_key not in chosen:
                        found.setdefault(candidate.tier_key, []).append(candidate)
            for tier_key, candidates in found.items():
                chosen[tier_key] = (step, candidates)
        for candidate in self.roles_by_technology.get(technology_id, ()):
            if candidate.tier_key not in chosen or chosen[candidate.tier_key][0] == STEP_TECHNOLOGY:
                chosen.setdefault(candidate.tier_key, (STEP_TECHNOLOGY, []))[1].append(candidate)
        technology = self.technologies.get(technology_id)
        assignments = []
        for (role, tier), (step, candidates) in chosen.items():
            # Rules for the technology beat rules for every technology at the same step.
            if any(candidate.technology_id is not None for candidate in candidates):
                candidates = [candidate for candidate in candidates if candidate.technology_id is not None]
            for candidate in sorted(candidates, key=lambda candidate: candidate.assignee_name):
                source_object = technology if step == STEP_TECHNOLOGY else candidate.target
                assignments.append(
                    Assignment(
                        role=role,
                        tier=tier,
                        team_id=candidate.team.pk if candidate.team else None,
                        expert_id=candidate.expert.pk if candidate.expert else None,
                        contact_id=candidate.contact.pk if candidate.contact else None,
                        step=step,
                        source=(
                            f"{ResponsibilityRoleChoices.as_dict()[role].lower()} of technology {technology}"
                            if step == STEP_TECHNOLOGY
                            else _describe(step, candidate)
                        )[:255],
                        source_type_id=(
                            ContentType.objects.get_for_model(source_object).pk if source_object is not None else None
                        ),
                        source_id=source_object.pk if source_object is not None else None,
                    )
                )
        order = {role: number for number, role in enumerate(ROLES)}
        return tuple(sorted(assignments, key=lambda a: (order[a.role], a.tier)))

    def _resolve(self, attributes, technology_id):
        for step, keys in self.steps_for(attributes):
            candidates = [
                candidate
                for key in keys
                for candidate in self.by_target.get(key, ())
                if candidate.technology_id in (None, technology_id)
            ]
            if candidates:
                chosen = min(candidates, key=lambda candidate: candidate.sort_key)
                return Custodian(
                    team=chosen.team,
                    expert=chosen.expert,
                    contact=chosen.contact,
                    step=step,
                    source=_describe(step, chosen),
                    source_object=chosen.target,
                )
        technology = self.technologies.get(technology_id)
        if technology is not None and technology.custodian_team is not None:
            return Custodian(
                team=technology.custodian_team,
                expert=None,
                contact=None,
                step=STEP_TECHNOLOGY,
                source=f"custodian team of technology {technology}",
                source_object=technology,
            )
        candidates = self.by_technology.get(technology_id)
        if candidates:
            chosen = min(candidates, key=lambda candidate: candidate.sort_key)
            return Custodian(
                team=chosen.team,
                expert=chosen.expert,
                contact=None,
                step=STEP_TECHNOLOGY,
                source=f"custodian of technology {technology}",
                source_object=technology,
            )
        return None


def _signature(attributes):
    """What decides the answers of an object without rules of its own: its rule attributes, location and groups."""
    signature = attributes.get("signature")
    if signature is None:
        signature = attributes["signature"] = (
            *(attributes.get(name) for name in RULE_FIELDS),
            attributes.get("location"),
            tuple(sorted(attributes.get("dynamic_groups", ()))),
        )
    return signature


def _ancestry(location_id):
    """{location_id: parent_id} for a location and its ancestors (one query), or {} without a location."""
    if location_id is None:
        return {}
    tree = tree_sql(RULE_TARGETS_BY_FIELD["location"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE chain (id, parent_id) AS ("
            f"SELECT {tree.pk}, {tree.parent} FROM {tree.table} WHERE {tree.pk} = %s "
            f"UNION ALL SELECT l.{tree.pk}, l.{tree.parent} FROM {tree.table} l "
            f"INNER JOIN chain c ON l.{tree.pk} = c.parent_id"
            f") SELECT id, parent_id FROM chain",
            [db_value(location_id)],
        )
        return {to_uuid(pk): to_uuid(parent) if parent is not None else None for pk, parent in cursor.fetchall()}


def _describe(step, candidate):
    kind = candidate.target._meta.verbose_name
    via = " (contact association)" if candidate.origin == "contact association" else ""
    if step == STEP_OBJECT:
        return f"assigned on this {kind}{via}"
    return f"inherited from {kind} {candidate.target}{via}"


def _values(value):
    """The ids of one attribute: none, one, or (reached by several paths) a tuple of them."""
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def object_attributes(object_type, object_ids=None):
    """{object_id: {target_field: id, "dynamic_groups": [...]}} for objects of one type; two queries.

    A rule target reached by several paths (a cloud service's provider, via its resource type and its account) has a
    sorted tuple of the distinct ids found; one reached by one path has its id (or None).
    """
    sql = object_sql(object_type)
    columns = [(name, path.column) for name, paths in sql.paths.items() for path in paths]
    every_path = [path for paths in sql.paths.values() for path in paths]
    selected = ", ".join(column for _, column in columns)
    query = f"SELECT {selected} FROM {from_sql(sql.table, every_path, kind='LEFT OUTER')}"
    params = []
    if object_ids is not None:
        if not object_ids:
            return {}
        query += f" WHERE {sql.pk} IN ({', '.join(['%s'] * len(object_ids))})"
        params = [db_value(pk) for pk in object_ids]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    own_field = object_type.field
    result = {}
    for row in rows:
        found = {}
        for (name, _), value in zip(columns, row, strict=True):
            found.setdefault(name, [])
            if value is not None and to_uuid(value) not in found[name]:
                found[name].append(to_uuid(value))
        attributes = {
            name: (tuple(sorted(ids)) if len(ids) > 1 else ids[0]) if ids else None for name, ids in found.items()
        }
        attributes["dynamic_groups"] = []
        result[attributes[own_field]] = attributes
    memberships = StaticGroupAssociation.all_objects.filter(associated_object_type=object_type.content_type)
    if object_ids is not None:
        memberships = memberships.filter(associated_object_id__in=list(object_ids))
    for object_id, group_id in memberships.values_list("associated_object_id", "dynamic_group_id"):
        if object_id in result:
            result[object_id]["dynamic_groups"].append(group_id)
    return result
