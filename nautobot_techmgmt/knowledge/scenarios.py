"""What-if and truck factor: what breaks when experts leave."""

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
    scenario = Knowledge(as_of=as_of, departed_experts=expert_ids)
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
    removed = []
    if not total:
        return 0, removed

    def orphaned_share():
        return sum(weight for pk, weight in weights.items() if not holders[pk]) / total

    while orphaned_share() <= threshold:
        candidates = {expert_id for experts in holders.values() for expert_id in experts}
        if not candidates:
            break

        def gain(expert_id):
            orphaned = sum(weights[pk] for pk, experts in holders.items() if experts == {expert_id})
            covered = sum(weights[pk] for pk, experts in holders.items() if expert_id in experts)
            return (orphaned, covered, -len(str(knowledge.experts[expert_id])), str(knowledge.experts[expert_id]))

        chosen = max(sorted(candidates, key=lambda pk: str(knowledge.experts[pk])), key=gain)
        removed.append(knowledge.experts[chosen])
        for experts in holders.values():
            experts.discard(chosen)
    return len(removed), removed
