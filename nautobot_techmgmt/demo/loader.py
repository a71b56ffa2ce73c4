"""Idempotent create-or-update of demo records, with a tally of what changed."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import transaction

from nautobot_techmgmt.demo import (
    capacity,
    custodianship,
    history,
    inventory,
    people,
    register,
    suppliers,
    technologies,
)

CREATED, UPDATED, UNCHANGED, DELETED = "created", "updated", "unchanged", "deleted"


class DemoLoader:
    """Creates or updates records by natural key and counts what it did, per model.

    Every write goes through `validated_save()`, so model validation runs on demo data as on user data (but for
    fields only the app sets, see `update`).
    A record that already holds the wanted values is not saved again: loading twice changes nothing.
    """

    def __init__(self, today=None):
        """Remember the day every relative date is counted from."""
        self.today = today or date.today()
        self.tally = defaultdict(Counter)
        self._created = set()

    def days(self, offset):
        """The date `offset` days from today (negative: in the past)."""
        return self.today + timedelta(days=offset)

    def ensure(self, model, lookup, **values):
        """The record matching `lookup`, created or updated so that it holds `values`."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.validated_save()
            self._created.add((model, instance.pk))
            self._count(model, CREATED)
            return instance
        return self.update(instance, **values)

    def update(self, instance, quietly=None, **values):
        """Make an existing record hold `values`, saved (and validated) only if something differs.

        `quietly` are fields only the app sets (when a gap opened): written by a queryset update, without save(),
        signals or a change in the change log.
        """
        quiet = {name: value for name, value in (quietly or {}).items() if not _holds(instance, name, value)}
        if quiet:
            type(instance).objects.filter(pk=instance.pk).update(**quiet)
            for name, value in quiet.items():
                setattr(instance, name, value)
        changed = [name for name, value in values.items() if not _holds(instance, name, value)]
        for name in changed:
            setattr(instance, name, values[name])
        if changed:
            instance.validated_save()
        self._count_change(instance, quiet or changed)
        return instance

    def remove(self, model, lookup):
        """Delete the records matching `lookup`: data an earlier version of the demo held and this one does not."""
        for instance in model.objects.filter(**lookup):
            instance.delete()
            self._count(model, DELETED)

    def count_created(self, instance):
        """Count a record that something else created during the load (the engine opening a gap)."""
        self._created.add((type(instance), instance.pk))
        self._count(type(instance), CREATED)

    def count_updated(self, instance):
        """Count a record that something else changed during the load (the engine closing a gap)."""
        self._count_change(instance, changed=True)

    def count_unchanged(self, instance):
        """Count a record written in bulk that already held what the demo says (a change-log row)."""
        self._count_change(instance, changed=False)

    def ensure_related(self, instance, attribute, wanted):
        """Add the `wanted` objects to a many-to-many relation; what is already there stays."""
        manager = getattr(instance, attribute)
        present = set(manager.values_list("pk", flat=True))
        missing = [obj for obj in wanted if obj.pk not in present]
        if missing:
            manager.add(*missing)
            # Filling the relations of a record created in this run is part of creating it.
            if (type(instance), instance.pk) not in self._created:
                self._count(type(instance), UPDATED)

    def _count_change(self, instance, changed):
        # Changing a record created in this run is part of creating it.
        if (type(instance), instance.pk) not in self._created:
            self._count(type(instance), UPDATED if changed else UNCHANGED)

    def _count(self, model, outcome):
        self.tally[model._meta.label][outcome] += 1

    @property
    def changed(self):
        """Whether anything was created, updated or deleted."""
        return any(counts[CREATED] or counts[UPDATED] or counts[DELETED] for counts in self.tally.values())

    def summary(self):
        """Lines of a table: model, created, updated, unchanged, deleted."""
        width = max((len(label) for label in self.tally), default=10)
        lines = [f"{'model':<{width}}  {CREATED:>7}  {UPDATED:>7}  {UNCHANGED:>9}  {DELETED:>7}"]
        totals = Counter()
        for label in sorted(self.tally):
            lines.append(self._summary_line(label, self.tally[label], width))
            totals.update(self.tally[label])
        lines.append(self._summary_line("total", totals, width))
        return lines

    @staticmethod
    def _summary_line(label, counts, width):
        created, updated, unchanged, deleted = (counts[outcome] for outcome in (CREATED, UPDATED, UNCHANGED, DELETED))
        return f"{label:<{width}}  {created:>7}  {updated:>7}  {unchanged:>9}  {deleted:>7}"


def _holds(instance, name, value):
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) == (value.pk if value is not None else None)
    return getattr(instance, name) == value


def load_demo(today=None):
    """Create or update the whole demo estate in one transaction; return the loader with its tally."""
    loader = DemoLoader(today)
    with transaction.atomic():
        estate = inventory.load(loader)
        staff = people.load_staff(loader)
        technology = technologies.load(loader, estate, staff)
        people.load_knowledge(loader, staff, technology)
        vendors = suppliers.load(loader, technology)
        people.load_training(loader, staff, technology, vendors)
        custodianship.load(loader, estate, staff, technology)
        users = history.load_users(loader, staff)
        capacity.load(loader, staff, technology, users)
        register.load(loader, staff, technology)
        capacity.load_snapshots(loader, technology)
        history.load(loader, estate, users)
    return loader
