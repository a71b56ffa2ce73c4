"""Materialise the engine's per-object answers into ObjectKnowledge rows, for lists, filters and GraphQL."""

from django.core.cache import cache
from django.db import connection, transaction

from nautobot_techmgmt.knowledge import gaps as g
from nautobot_techmgmt.knowledge.engine import Knowledge
from nautobot_techmgmt.knowledge.inventory import OBJECT_TYPES
from nautobot_techmgmt.models import ObjectKnowledge

BATCH_SIZE = 2000
# Two refreshes must not interleave their delete and insert, or rows would be doubled.
REFRESH_LOCK_KEY = "nautobot_techmgmt:object_knowledge_refresh_lock"
REFRESH_LOCK_TIMEOUT = 3600

# The ObjectKnowledge foreign key of each object type.
OBJECT_FIELDS = {
    "devices": "device",
    "circuits": "circuit",
    "virtual_machines": "virtual_machine",
    "clusters": "cluster",
}


def worst_severity(kinds):
    """The worst severity among gap kinds, or "" when there is no gap."""
    severities = {g.SEVERITY[kind] for kind in kinds}
    return next((severity for severity in g.SEVERITIES if severity in severities), "")


def object_risk(kinds):
    """Risk of one object: the sum of its gaps' severity weights."""
    return sum(g.SEVERITY_WEIGHT[g.SEVERITY[kind]] for kind in kinds)


def _row(knowledge, answer):
    """An unsaved ObjectKnowledge row from one engine answer; a contact-only custodian keeps just its source."""
    technology_id, key, object_id, custodian, kinds = answer
    return ObjectKnowledge(
        technology_id=technology_id,
        **{f"{OBJECT_FIELDS[key]}_id": object_id},
        custodian_team=custodian.team if custodian else None,
        custodian_expert=custodian.expert if custodian else None,
        custodian_source=custodian.source if custodian else "",
        bus_factor=knowledge.bus_factor(technology_id),
        gaps=kinds,
        severity=worst_severity(kinds),
        risk=object_risk(kinds),
    )


def refresh_object_knowledge(as_of=None):
    """Rebuild every ObjectKnowledge row from one Knowledge instance, in one transaction.

    Returns counts: {"deleted": n, "created": n, "devices": rows, "circuits": rows, ...}. The number of queries
    is fixed (the engine's) plus one insert per BATCH_SIZE rows; nothing is queried per object.
    """
    knowledge = Knowledge(as_of=as_of)
    counts = {"deleted": 0, "created": 0, **dict.fromkeys((object_type.key for object_type in OBJECT_TYPES), 0)}
    with cache.lock(REFRESH_LOCK_KEY, timeout=REFRESH_LOCK_TIMEOUT), transaction.atomic():
        # Plain SQL: a queryset delete would load every row to send Nautobot's delete signals.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(ObjectKnowledge._meta.db_table)}")
            counts["deleted"] = cursor.rowcount
        batch = []
        for answer in knowledge.object_gap_kinds():
            batch.append(_row(knowledge, answer))
            counts[answer[1]] += 1
            if len(batch) == BATCH_SIZE:
                ObjectKnowledge.objects.bulk_create(batch)
                counts["created"] += len(batch)
                batch = []
        if batch:
            ObjectKnowledge.objects.bulk_create(batch)
            counts["created"] += len(batch)
    return counts
