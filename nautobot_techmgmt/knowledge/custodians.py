"""The effective custodian of an object, per technology, with where it came from.

Resolution order, most specific first:
1. a custodian responsibility on the object itself;
2. on a dynamic group containing the object;
3. on the object's device type, platform, software version, role, circuit type, provider, cluster type
   (or manufacturer);
4. on the object's location, then each ancestor location, nearest first;
5. the technology's custodian team (then a custodian responsibility on the technology alone).
At one step a responsibility for the technology beats one for every technology; ties are broken by
escalation tier, then by the assignee's name. Core contact associations whose role is one of the
configured custodian roles count as custodian responsibilities on their object, at the same step.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from nautobot.dcim.models import Location
from nautobot.extras.models import ContactAssociation, StaticGroupAssociation

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.inventory import db_value, to_uuid
from nautobot_techmgmt.models import Expert, Responsibility
from nautobot_techmgmt.models.targets import OBJECT_TARGET_FIELDS, TARGET_FIELDS, TARGET_MODELS

RULE_FIELDS = (
    "device_type",
    "platform",
    "software_version",
    "device_role",
    "circuit_type",
    "provider",
    "cluster_type",
    "manufacturer",
)
STEP_OBJECT, STEP_DYNAMIC_GROUP, STEP_ATTRIBUTE, STEP_LOCATION, STEP_TECHNOLOGY = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Candidate:
    """A custodian responsibility (or core custodian association) that may apply to objects."""

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
    def sort_key(self):
        """Responsibility for the technology first, then tier, then name."""
        return (self.technology_id is None, self.escalation_tier, str(self.assignee))


@dataclass(frozen=True)
class Custodian:
    """The effective custodian of one object for one technology."""

    team: object
    expert: object
    contact: object
    step: int
    source: str
    source_object: object

    @property
    def assignee(self):
        """The team, expert or contact."""
        return self.team or self.expert or self.contact


class CustodianResolver:
    """Resolves effective custodians for many objects with a fixed number of queries."""

    def __init__(self, technologies):
        """Load every custodian responsibility, core custodian association and the location tree.

        Args:
            technologies: {technology_id: Technology} with `custodian_team` loaded.
        """
        self.technologies = technologies
        self.by_target = {}
        self.by_technology = {}
        for candidate in self._responsibility_candidates() + self._association_candidates():
            if candidate.target_field is None:
                self.by_technology.setdefault(candidate.technology_id, []).append(candidate)
            else:
                self.by_target.setdefault((candidate.target_field, candidate.target.pk), []).append(candidate)
        self.location_parent = {}
        self.locations = {}
        for location in Location.objects.only("id", "name", "parent_id"):
            self.location_parent[location.pk] = location.parent_id
            self.locations[location.pk] = location

    @staticmethod
    def _responsibility_candidates():
        records = Responsibility.objects.filter(role=ResponsibilityRoleChoices.CUSTODIAN).select_related(
            "team", "expert__contact", *TARGET_FIELDS
        )
        return [
            Candidate(
                team=record.team,
                expert=record.expert,
                contact=None,
                technology_id=record.technology_id,
                escalation_tier=record.escalation_tier,
                target_field=record.target_field,
                target=record.target,
                origin="responsibility",
            )
            for record in records
        ]

    @staticmethod
    def _association_candidates():
        field_by_content_type = {
            ContentType.objects.get_by_natural_key(*label.lower().split(".")).pk: field_name
            for field_name, label in TARGET_MODELS.items()
        }
        associations = (
            ContactAssociation.objects.filter(
                role__name__in=app_setting("custodian_roles"), associated_object_type_id__in=list(field_by_content_type)
            )
            .select_related("team", "contact")
            .prefetch_related("associated_object")
        )
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
            (STEP_ATTRIBUTE, [(name, attributes[name]) for name in RULE_FIELDS if attributes.get(name)]),
        ]
        steps += [(STEP_LOCATION, [("location", pk)]) for pk in self.location_chain(attributes.get("location"))]
        return steps

    def resolve(self, attributes, technology_id):
        """The effective Custodian of an object (given its attributes) for a technology, or None."""
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


def _describe(step, candidate):
    kind = candidate.target._meta.verbose_name
    via = " (contact association)" if candidate.origin == "contact association" else ""
    if step == STEP_OBJECT:
        return f"assigned on this {kind}{via}"
    return f"inherited from {kind} {candidate.target}{via}"


def object_attributes(object_type, object_ids=None):
    """{object_id: {target_field: id, "dynamic_groups": [...]}} for objects of one type; two queries."""
    names = list(object_type.columns)
    sql = f"SELECT {', '.join(object_type.columns.values())} FROM {object_type.from_sql}"
    params = []
    if object_ids is not None:
        if not object_ids:
            return {}
        sql += f" WHERE o.id IN ({', '.join(['%s'] * len(object_ids))})"
        params = [db_value(pk) for pk in object_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    own_field = names[0]
    result = {}
    for row in rows:
        attributes = {
            name: to_uuid(value) if value is not None else None for name, value in zip(names, row, strict=True)
        }
        attributes["dynamic_groups"] = []
        result[attributes[own_field]] = attributes
    memberships = StaticGroupAssociation.all_objects.filter(
        associated_object_type=ContentType.objects.get_by_natural_key(*object_type.model_label.split("."))
    )
    if object_ids is not None:
        memberships = memberships.filter(associated_object_id__in=list(object_ids))
    for object_id, group_id in memberships.values_list("associated_object_id", "dynamic_group_id"):
        if object_id in result:
            result[object_id]["dynamic_groups"].append(group_id)
    return result
