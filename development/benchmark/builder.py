"""Shared tools of the estate generator: seeded randomness, deterministic ids, bulk inserts, shares."""

import random
import uuid
from datetime import timedelta

from nautobot.extras.models import Status

BATCH_SIZE = 2000


class Builder:
    """Seeded randomness and bulk inserts for one generation run.

    Every record gets its id from the seeded generator, so the same seed builds the same estate, ids included.
    Records are inserted with `bulk_create`: no `save()`, no signals, so no change to take into the knowledge state
    is recorded while the estate is built (the benchmark measures the full rebuild itself).
    """

    def __init__(self, counts, seed, today):
        """Remember what to build, from which seed, relative to which day."""
        self.counts = counts
        self.rng = random.Random(seed)
        self.today = today
        self.created = {}
        self._statuses = {}

    def new_id(self):
        """A random (version 4) UUID drawn from the seeded generator."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def days(self, offset):
        """The date `offset` days from the generation day (negative: in the past)."""
        return self.today + timedelta(days=offset)

    def pick(self, weights):
        """One key of a {choice: weight} dict, drawn by weight."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def status(self, name):
        """The Status of that name (core and app statuses are seeded by migrations)."""
        if name not in self._statuses:
            self._statuses[name] = Status.objects.get(name=name)
        return self._statuses[name]

    def insert(self, model, objects, manager=None):
        """Bulk-insert model instances (each built with an `id`) and count them; return the list."""
        objects = list(objects)
        (manager or model.objects).bulk_create(objects, batch_size=BATCH_SIZE)
        self.created[model._meta.label] = self.created.get(model._meta.label, 0) + len(objects)
        return objects


def allocate(total, shares):
    """Split `total` over the keys of `shares` (relative weights) so that the parts add up to `total` exactly.

    Every key gets one first when `total` allows it, so small estates still hold every kind; the rest is shared
    by weight, the rounding remainder going to the largest fractional parts.
    """
    keys = list(shares)
    base = 1 if total >= len(keys) else 0
    rest = total - base * len(keys)
    weight_sum = sum(shares.values())
    exact = {key: rest * shares[key] / weight_sum for key in keys}
    parts = {key: base + int(exact[key]) for key in keys}
    remainder = total - sum(parts.values())
    for key in sorted(keys, key=lambda k: exact[k] - int(exact[k]), reverse=True)[:remainder]:
        parts[key] += 1
    return parts
