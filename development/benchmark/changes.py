"""The changes the propagation measurements make, what they are made to, and the state they are checked against.

Each change has three steps, each run by `propagation.Changes` in a transaction of its own or of the change:
`make()` changes the estate; `expect()`, in the same transaction before it commits, works out what the knowledge state
must show once the change is taken in (with the app's own scope matching and custodian resolution) and returns a
check of it, or raises Invisible when the state would not change; `undo()` puts the estate back and returns a check
that the state is as before.
"""

import math
import time
from collections import Counter, defaultdict
from datetime import date

from django.db import connection
from django.db.models import Count, DateTimeField, F, Q
from nautobot.dcim.models import Device, Location, Platform
from nautobot.extras.models import Team

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.constants import STATUS_ACTIVE
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.knowledge.custodians import STEP_LOCATION, CustodianResolver, object_attributes
from nautobot_techmgmt.knowledge.inventory import in_use_pairs
from nautobot_techmgmt.knowledge.qualification import qualified_pairs
from nautobot_techmgmt.models import (
    CustodianCoverage,
    ObjectKnowledge,
    QualifiedExpert,
    Responsibility,
    Skill,
    Technology,
    TechnologyKnowledge,
    TechnologyScope,
)
from nautobot_techmgmt.object_types import OBJECT_TYPES_BY_KEY

IMPORT_PREFIX = "benchmark-import-"
DEVICES = OBJECT_TYPES_BY_KEY["devices"]
# The knowledge state as compared before and after the changes (rows without ids and timestamps).
STATE_MODELS = (ObjectKnowledge, CustodianCoverage, TechnologyKnowledge, QualifiedExpert)


class Invisible(Exception):  # noqa: N818  # a signal to try another subject, not an error
    """The change would not change the state (so its arrival could not be seen): it is rolled back."""


class DeviceMove:
    """A device moved from its platform to another one (onto a platform a scope matches, or off one), and back."""

    def __init__(self, device_id, home_id, platform_id, onto):
        """Remember the device, its platform, where it goes and whether that platform's scopes add a technology."""
        self.device_id, self.home_id, self.platform_id, self.onto = device_id, home_id, platform_id, onto
        self.before = None  # its technologies at home

    def toggle(self):
        """Move the device to the other platform, or back home (`validated_save`, as a sync Job would)."""
        device = Device.objects.get(pk=self.device_id)
        device.platform_id = self.platform_id if device.platform_id == self.home_id else self.home_id
        device.validated_save()

    def make(self):
        """Move it away from home."""
        self.toggle()

    def expect(self):
        """Its technologies by scope matching; a check that its rows name exactly those."""
        self.before = device_technologies(self.device_id)
        expected = {technology_id for technology_id, _ in in_use_pairs(DEVICES, [self.device_id])}
        if expected == self.before:
            raise Invisible
        return lambda: device_technologies(self.device_id) == expected

    def undo(self):
        """Move it back home if it is away; a check that its rows are as at home."""
        if Device.objects.filter(pk=self.device_id).exclude(platform_id=self.home_id).exists():
            self.toggle()
        before = self.before
        return lambda: before is None or device_technologies(self.device_id) == before


class SkillRaise:
    """A skill raised to its technology's qualified level: one more qualified expert."""

    def __init__(self, skill_id):
        """Remember the skill."""
        self.skill_id = skill_id
        self.level = self.technology_id = self.bus_factor = None

    def make(self):
        """Raise it (`validated_save`, as the edit form does)."""
        skill = Skill.objects.select_related("technology").get(pk=self.skill_id)
        self.level, self.technology_id = skill.level, skill.technology_id
        skill.level = skill.technology.qualified_level
        skill.validated_save()

    def expect(self):
        """The technology's bus factor as the engine computes it now; a check that the state holds it."""
        self.bus_factor = technology_bus_factor(self.technology_id)
        expected = Knowledge(technology_ids=[self.technology_id], live=True).bus_factor(self.technology_id)
        if expected == self.bus_factor:
            raise Invisible
        return lambda: technology_bus_factor(self.technology_id) == expected

    def undo(self):
        """Lower it again; a check that the bus factor is as before."""
        skill = Skill.objects.get(pk=self.skill_id)
        skill.level = self.level
        skill.validated_save()
        return lambda: technology_bus_factor(self.technology_id) == self.bus_factor


class CustodianOnLocation:  # pylint: disable=too-many-instance-attributes  # what it is and what it found
    """A custodian responsibility of a team, for every technology or one, on a location with many devices beneath."""

    def __init__(self, location, subtree, team, technology=None):
        """Remember where it goes, who gets it and for what."""
        self.location, self.subtree, self.team, self.technology = location, subtree, team, technology
        self.responsibility = None
        self.before = self.expected = self.rows = None

    def rows_shown(self):
        """Rows of the subtree's devices whose custodian is the team, from this location."""
        return ObjectKnowledge.objects.filter(
            device__location_id__in=self.subtree, custodian_team=self.team, custodian_source_id=self.location.pk
        ).count()

    def make(self):
        """Create the responsibility."""
        self.responsibility = Responsibility(
            team=self.team, role=ResponsibilityRoleChoices.CUSTODIAN, location=self.location, technology=self.technology
        )
        self.responsibility.validated_save()

    def expect(self):
        """How many of the subtree's rows the team now takes, by the app's resolution order; a check for that."""
        self.before = self.rows_shown()
        pairs = list(
            ObjectKnowledge.objects.filter(device__location_id__in=self.subtree).values_list(
                "device_id", "technology_id"
            )
        )
        attributes = object_attributes(DEVICES, sorted({device_id for device_id, _ in pairs}, key=str))
        technologies = Technology.objects.select_related("custodian_team").in_bulk({t for _, t in pairs})
        resolver = CustodianResolver(technologies)
        self.rows = len(pairs)
        self.expected = 0
        for device_id, technology_id in pairs:
            custodian = resolver.resolve(attributes[device_id], technology_id)
            if (
                custodian is not None
                and custodian.step == STEP_LOCATION
                and custodian.team == self.team
                and custodian.source_object.pk == self.location.pk
            ):
                self.expected += 1
        if self.expected == self.before:
            raise Invisible
        return lambda: self.rows_shown() == self.expected

    def undo(self):
        """Delete the responsibility; a check that the rows are as before."""
        Responsibility.objects.filter(pk=self.responsibility.pk).delete()
        return lambda: self.rows_shown() == self.before


class ScopeOnLocation:
    """A technology scope on a location with many devices beneath, for a technology none of them uses yet.

    Measured where no custodian responsibility on a location would change a row (every device's custodian comes from a
    more specific rule): a scope is the other rule on a location subtree, and it adds a row per device beneath.
    """

    def __init__(self, location, subtree):
        """Remember where it goes; the technology is chosen when it is made."""
        self.location, self.subtree = location, subtree
        self.scope = self.technology = None
        self.before = self.expected = self.rows = None

    def rows_shown(self):
        """Rows of the subtree's devices for the scope's technology."""
        return ObjectKnowledge.objects.filter(device__location_id__in=self.subtree, technology=self.technology).count()

    def make(self):
        """Scope the first technology (by name) that no device beneath uses on the location."""
        in_use = ObjectKnowledge.objects.filter(device__location_id__in=self.subtree).values("technology")
        self.technology = Technology.objects.exclude(pk__in=in_use).order_by("name").first()
        if self.technology is None:
            raise Invisible
        self.scope = TechnologyScope(technology=self.technology, location=self.location)
        self.scope.validated_save()

    def expect(self):
        """Every device beneath now uses the technology: a check for that."""
        self.before = 0
        self.rows = self.expected = Device.objects.filter(location_id__in=self.subtree).count()
        if not self.expected:
            raise Invisible
        return lambda: self.rows_shown() == self.expected

    def undo(self):
        """Delete the scope; a check that no device beneath uses the technology any more."""
        TechnologyScope.objects.filter(pk=self.scope.pk).delete()
        return lambda: self.rows_shown() == 0


class DeviceImport:
    """New devices created in one transaction, each a copy of an existing device's attributes (so scopes match)."""

    def __init__(self, number):
        """Remember how many."""
        self.number = number
        self.device_ids = []
        self.expected = None
        self.seconds = None  # how long creating them took, before the commit

    def make(self):
        """Create the devices (`Device.objects.create`, as a CSV import or a sync Job does)."""
        started = time.perf_counter()
        fields = ("device_type_id", "role_id", "platform_id", "location_id", "status_id", "software_version_id")
        models = list(Device.objects.order_by("name").values(*fields)[: self.number])
        self.device_ids = [
            Device.objects.create(name=f"{IMPORT_PREFIX}{index:05d}", **models[index % len(models)]).pk
            for index in range(self.number)
        ]
        self.seconds = time.perf_counter() - started

    def expect(self):
        """Their technologies by scope matching; a check that every one of their rows exists."""
        self.expected = len(in_use_pairs(DEVICES, self.device_ids))
        if not self.expected:
            raise Invisible
        return lambda: ObjectKnowledge.objects.filter(device_id__in=self.device_ids).count() == self.expected

    def undo(self):
        """Delete them again; a check that their rows are gone."""
        Device.objects.filter(pk__in=self.device_ids).delete()
        return lambda: not ObjectKnowledge.objects.filter(device_id__in=self.device_ids).exists()


def device_technologies(device_id):
    """The technologies the state says a device uses."""
    return set(ObjectKnowledge.objects.filter(device_id=device_id).values_list("technology_id", flat=True))


def technology_bus_factor(technology_id):
    """The bus factor the state holds for a technology (None without a state row)."""
    return TechnologyKnowledge.objects.filter(pk=technology_id).values_list("bus_factor", flat=True).first()


def platform_moves(number):  # pylint: disable=too-many-locals
    """Up to `number` platform moves of distinct devices (by name) that change which technologies they use.

    Moves onto a platform whose scopes add a technology the device lacks come first; when the estate has too few
    (scopes on platforms limited to a manufacturer whose devices all run that platform), moves off a scoped platform
    follow, to the first other platform the device may run. A platform limited to a manufacturer takes only that
    manufacturer's devices, as `Device.clean()` requires.
    """
    scoped = defaultdict(set)
    for platform_id, technology_id in TechnologyScope.objects.filter(platform__isnull=False).values_list(
        "platform_id", "technology_id"
    ):
        scoped[platform_id].add(technology_id)
    platforms = list(Platform.objects.order_by("name").values_list("pk", "manufacturer_id"))
    devices = Device.objects.order_by("name").values_list("pk", "platform_id", "device_type__manufacturer_id")
    onto, off = [], []
    chunk = 1000
    for start in range(0, Device.objects.count(), chunk):
        rows = list(devices[start : start + chunk])
        used = defaultdict(set)
        for device_id, technology_id in ObjectKnowledge.objects.filter(
            device_id__in=[row[0] for row in rows]
        ).values_list("device_id", "technology_id"):
            used[device_id].add(technology_id)
        for device_id, platform_id, manufacturer_id in rows:
            allowed = [
                pk for pk, limited_to in platforms if pk != platform_id and limited_to in (None, manufacturer_id)
            ]
            adding = [pk for pk in allowed if scoped[pk] - used[device_id]]
            if adding:
                onto.append(DeviceMove(device_id, platform_id, adding[0], onto=True))
            elif (
                scoped[platform_id]
                and len(off) < number
                and (leaving := [pk for pk in allowed if not scoped[platform_id] <= scoped[pk]])
            ):
                off.append(DeviceMove(device_id, platform_id, leaving[0], onto=False))
            if len(onto) == number:
                return onto
    return (onto + off)[:number]


def skill_raises(number):
    """Up to `number` skills whose raise to the qualified level makes one more expert qualified.

    Skills of active experts, of technologies that need no certification; distinct technologies first.
    """
    today = date.today()
    qualified = qualified_pairs([today])[today]
    skills = (
        Skill.objects.filter(
            expert__status__name=STATUS_ACTIVE,
            level__lt=F("technology__qualified_level"),
            technology__certification_required=False,
        )
        .order_by("technology__name", "expert__contact__name")
        .values_list("pk", "technology_id", "expert_id")
    )
    firsts, others, seen = [], [], set()
    for pk, technology_id, expert_id in skills:
        if (technology_id, expert_id) in qualified:
            continue
        (others if technology_id in seen else firsts).append(pk)
        seen.add(technology_id)
    return [SkillRaise(pk) for pk in (firsts + others)[:number]]


def locations_near(devices, custodian_can_change=True):
    """Locations by how near the number of devices beneath them is to `devices` (by ratio; ties by name).

    With `custodian_can_change`, only locations where a custodian on the location could change something: some row of
    a device beneath has no custodian, or one from a location or the technology (more specific custodians win over a
    location's). Yields (location, ids of the locations of its subtree, number of devices beneath).
    """
    parents = dict(Location.objects.values_list("pk", "parent_id"))
    names = dict(Location.objects.values_list("pk", "name"))

    def chain(location_id):
        found = []
        while location_id is not None and location_id not in found:
            found.append(location_id)
            location_id = parents.get(location_id)
        return found

    beneath = Counter()
    for location_id, count in (
        Device.objects.order_by().values("location").annotate(n=Count("pk")).values_list("location", "n")
    ):
        for ancestor in chain(location_id):
            beneath[ancestor] += count
    for best in sorted(beneath, key=lambda pk: (abs(math.log(beneath[pk] / devices)), names[pk])):
        subtree = [pk for pk in parents if best in chain(pk)]
        rows = ObjectKnowledge.objects.filter(device__location_id__in=subtree)
        if (
            not custodian_can_change
            or rows.filter(Q(custodian_step__isnull=True) | Q(custodian_step__gte=STEP_LOCATION)).exists()
        ):
            yield Location.objects.get(pk=best), subtree, beneath[best]


def custodian_changes(location, subtree, teams):
    """Custodian responsibilities on the location for the first `teams` teams (by name) free to take one there.

    First for every technology; then for the technology with the most rows beneath that a location's custodian can
    take, which wins over a custodian for every technology at the same location (one that is first by name, or a
    core contact association, would otherwise keep its rows).
    """
    rows = ObjectKnowledge.objects.filter(device__location_id__in=subtree).filter(
        Q(custodian_step__isnull=True) | Q(custodian_step__gte=STEP_LOCATION)
    )
    top = rows.order_by().values("technology").annotate(n=Count("pk")).order_by("-n", "technology__name").first()
    changes = []
    for technology in (None, Technology.objects.get(pk=top["technology"]) if top else None):
        taken = set(
            Responsibility.objects.filter(
                role=ResponsibilityRoleChoices.CUSTODIAN, location=location, technology=technology
            ).values_list("team_id", flat=True)
        )
        free = [team for team in Team.objects.order_by("name") if team.pk not in taken][:teams]
        changes += [CustodianOnLocation(location, subtree, team, technology) for team in free]
        if top is None:
            break
    return changes


def state_digest():
    """{(table, technology id): (rows, sum of row hashes)} of the knowledge state, without ids and timestamps.

    Custodian counts of zero are left out: counting by differences keeps a group at zero, a rebuild writes none.
    """
    digest = {}
    quote = connection.ops.quote_name
    for model in STATE_MODELS:
        fields = [
            field
            for field in model._meta.concrete_fields
            if not isinstance(field, DateTimeField) and (field.is_relation or not field.primary_key)
        ]
        values = ", ".join(f"COALESCE({quote(field.column)}::text, '~')" for field in fields)
        technology = quote(model._meta.get_field("technology").column)
        counted = quote(CustodianCoverage._meta.get_field("objects_count").column)
        where = f" WHERE {counted} <> 0" if model is CustodianCoverage else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {technology}, COUNT(*), SUM(hashtextextended(concat_ws('|', {values}), 0)) "  # noqa: S608
                f"FROM {quote(model._meta.db_table)}{where} GROUP BY {technology}"
            )
            for technology_id, rows, hashed in cursor.fetchall():
                digest[(model._meta.model_name, technology_id)] = (rows, hashed)
    return digest


def compare_states(before, after, limit=20):
    """What differs between two state digests: [{"table", "technology", "rows_before", "rows_after"}], at most limit."""
    keys = sorted((key for key in before.keys() | after.keys() if before.get(key) != after.get(key)), key=str)
    names = Technology.objects.in_bulk([technology_id for _, technology_id in keys])
    return [
        {
            "table": table,
            "technology": str(names.get(technology_id, technology_id)),
            "rows_before": before.get((table, technology_id), (0, 0))[0],
            "rows_after": after.get((table, technology_id), (0, 0))[0],
        }
        for table, technology_id in keys[:limit]
    ], len(keys)
