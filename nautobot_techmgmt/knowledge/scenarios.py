"""What-if and truck factor: what breaks when experts leave."""

from collections import defaultdict
from dataclasses import dataclass

from nautobot_techmgmt.knowledge.engine import Knowledge

TRUCK_FACTOR_THRESHOLD = 0.5


@dataclass
class WhatIf:
    """The difference between today's knowledge and the knowledge once some experts leave."""

    removed_experts: list
    new_gaps: list
    resolved_gaps: list
    bus_factor_changes: list  # dicts: technology, before, after


def what_if(expert_ids, as_of=None):
    """Gaps that appear (and disappear) when the given experts leave or go on leave."""
    from nautobot_techmgmt.models import Expert  # pylint: disable=import-outside-toplevel

    baseline = Knowledge(as_of=as_of)
    scenario = baseline.without(expert_ids)
    before = {gap.key: gap for gap in baseline.gaps}
    after = {gap.key: gap for gap in scenario.gaps}
    changes = [
        {"technology": technology, "before": baseline.bus_factor(pk), "after": scenario.bus_factor(pk)}
        for pk, technology in sorted(baseline.technologies.items(), key=lambda item: item[1].name)
        if baseline.bus_factor(pk) != scenario.bus_factor(pk)
    ]
    return WhatIf(
        removed_experts=list(Expert.objects.filter(pk__in=list(expert_ids)).select_related("contact")),
        new_gaps=[gap for key, gap in after.items() if key not in before],
        resolved_gaps=[gap for key, gap in before.items() if key not in after],
        bus_factor_changes=changes,
    )


def truck_factor(as_of=None, threshold=TRUCK_FACTOR_THRESHOLD, knowledge=None):
    """Smallest number of experts whose departure orphans more than `threshold` of the in-use technologies.

    Technologies are weighted by the number of objects that use them. Greedy (Avelino et al., 2016): remove,
    one at a time, the expert whose departure orphans the most weight, until the orphaned share passes the
    threshold. Pass `knowledge` to reuse an engine instance already built for the same day.
    Returns (truck factor, experts in removal order).
    """
    knowledge = knowledge or Knowledge(as_of=as_of)
    weights = {pk: sum(counts.values()) for pk, counts in knowledge.in_use.items() if sum(counts.values())}
    total = sum(weights.values())
    holders = {pk: set(knowledge.qualified.get(pk, ())) for pk in weights}
    orphaned = sum(weight for pk, weight in weights.items() if not holders[pk])
    removed = []
    if not total:
        return 0, removed
    # Per expert: technologies held, weight held alone and weight held at all; kept up to date as experts leave,
    # so each step only compares the experts' gains instead of recounting every technology.
    held_by, alone, covered = defaultdict(set), defaultdict(int), defaultdict(int)
    for pk, experts in holders.items():
        for expert_id in experts:
            held_by[expert_id].add(pk)
            covered[expert_id] += weights[pk]
        if len(experts) == 1:
            alone[next(iter(experts))] += weights[pk]
    names = {expert_id: str(knowledge.experts[expert_id]) for expert_id in held_by}

    def gain(expert_id):
        return (alone[expert_id], covered[expert_id], -len(names[expert_id]), names[expert_id])

    while orphaned / total <= threshold and held_by:
        chosen = max(held_by, key=gain)
        removed.append(knowledge.experts[chosen])
        for pk in held_by.pop(chosen):
            holders[pk].discard(chosen)
            if len(holders[pk]) == 1:  # the last holder now holds it alone
                alone[next(iter(holders[pk]))] += weights[pk]
            elif not holders[pk]:
                orphaned += weights[pk]
    return len(removed), removed
