"""Materialise the inventory side of the engine: per-object answers (lists, filters, GraphQL) and coverage counts."""

import contextlib
import functools
import logging
import time
import uuid
from collections import Counter

from django.core.cache import cache
from django.db import connection, models, transaction
from django.utils import timezone
from redis.exceptions import LockError

from nautobot_techmgmt.knowledge import gaps as g
from nautobot_techmgmt.knowledge.engine import Knowledge, custodian_ids
from nautobot_techmgmt.knowledge.inventory import OBJECT_TYPES
from nautobot_techmgmt.models import CustodianCoverage, KnowledgeRefresh, ObjectKnowledge
from nautobot_techmgmt.models.coverage import OBJECT_FIELD_OF_MODEL

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# Two refreshes must not interleave their delete and insert, or rows would be doubled.
REFRESH_LOCK_KEY = "nautobot_techmgmt:object_knowledge_refresh_lock"
REFRESH_LOCK_TIMEOUT = 3600
# Completed refreshes kept as a record (when, how long, how many rows).
KEEP_REFRESHES = 20

# The ObjectKnowledge foreign key of each object type key.
OBJECT_FIELDS = {object_type.key: OBJECT_FIELD_OF_MODEL[object_type.model_label] for object_type in OBJECT_TYPES}


def worst_severity(kinds):
    """The worst severity among gap kinds, or "" when there is no gap."""
    severities = {g.SEVERITY[kind] for kind in kinds}
    return next((severity for severity in g.SEVERITIES if severity in severities), "")


def object_risk(kinds):
    """Risk of one object: the sum of its gaps' severity weights."""
    return sum(g.SEVERITY_WEIGHT[g.SEVERITY[kind]] for kind in kinds)


# ObjectKnowledge columns written by a refresh, in the order `_row` gives their values.
ROW_FIELDS = (
    "id",
    "technology",
    *OBJECT_FIELD_OF_MODEL.values(),
    "custodian_team",
    "custodian_expert",
    "custodian_source",
    "bus_factor",
    "gaps",
    "severity",
    "risk",
    "refreshed",
)


def _row(knowledge, answer, refreshed):
    """The ObjectKnowledge values of one engine answer; a contact-only custodian keeps just its source."""
    technology_id, key, object_id, custodian, kinds = answer
    team_id, expert_id, _ = custodian_ids(custodian)
    objects = [object_id if field == OBJECT_FIELDS[key] else None for field in OBJECT_FIELD_OF_MODEL.values()]
    return (
        uuid.uuid4(),
        technology_id,
        *objects,
        team_id,
        expert_id,
        custodian.source if custodian else "",
        knowledge.bus_factor(technology_id),
        kinds,
        worst_severity(kinds),
        object_risk(kinds),
        refreshed,
    )


def _db_converter(field):
    """A function turning one Python value of the field into what the database driver takes, cheaply."""
    target = field.target_field if field.is_relation else field
    if isinstance(field, (models.CharField, models.IntegerField)) or (
        isinstance(target, models.UUIDField) and connection.features.has_native_uuid_field
    ):
        return lambda value: value
    if isinstance(field, models.JSONField):  # few distinct values (lists of gap kinds): prepare each once
        prepared = functools.lru_cache(maxsize=None)(lambda kinds: field.get_db_prep_save(list(kinds), connection))
        return lambda value: prepared(tuple(value))
    return lambda value: field.get_db_prep_save(value, connection)


class RowWriter:
    """Inserts plain value tuples into a model's table, BATCH_SIZE rows per multi-row INSERT.

    A refresh writes up to millions of rows; skipping model instances and `bulk_create`'s per-object work makes it
    several times faster, on PostgreSQL and MySQL alike.
    """

    def __init__(self, model, field_names):
        """Prepare the statement and the value converters."""
        fields = [model._meta.get_field(name) for name in field_names]
        quote = connection.ops.quote_name
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
        self.placeholders = f"({', '.join(['%s'] * len(fields))})"
        self.converters = [_db_converter(field) for field in fields]
        self.batch = []
        self.written = 0

    def add(self, row):
        """Queue one row; write the batch when it is full."""
        self.batch.append(row)
        if len(self.batch) == BATCH_SIZE:
            self.flush()

    def flush(self):
        """Write the queued rows."""
        if not self.batch:
            return
        params = [convert(value) for row in self.batch for convert, value in zip(self.converters, row, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(self.sql + ", ".join([self.placeholders] * len(self.batch)), params)
        self.written += len(self.batch)
        self.batch = []


def refresh_object_knowledge(as_of=None, knowledge=None):
    """Rebuild the materialised inventory side from one live engine pass, in one transaction.

    Writes every ObjectKnowledge row (per object and technology), the CustodianCoverage counts (per technology,
    object type and custodian) and a KnowledgeRefresh record, after which the engine reads the counts instead
    of resolving every object's custodian again. Pass `knowledge` (live) to reuse an engine already built.

    Returns counts: {"deleted": n, "created": n, "devices": rows, "circuits": rows, ..., "coverage": rows}.
    The number of queries is fixed (the engine's) plus one insert per BATCH_SIZE rows; nothing is queried
    per object.
    """
    started = time.monotonic()
    knowledge = knowledge or Knowledge(as_of=as_of, live=True)
    counts = {"deleted": 0, "created": 0, **dict.fromkeys((object_type.key for object_type in OBJECT_TYPES), 0)}
    groups = Counter()
    with _refresh_lock(), transaction.atomic():
        counts["deleted"] = _delete_all(ObjectKnowledge)
        _delete_all(CustodianCoverage)
        writer = RowWriter(ObjectKnowledge, ROW_FIELDS)
        refreshed = timezone.now()
        for answer in knowledge.object_gap_kinds():
            technology_id, key, _, custodian, _ = answer
            writer.add(_row(knowledge, answer, refreshed))
            groups[(technology_id, key, *custodian_ids(custodian))] += 1
            counts[key] += 1
        writer.flush()
        counts["created"] = writer.written
        coverage = [
            CustodianCoverage(
                technology_id=technology_id,
                object_type=key,
                custodian_team_id=team_id,
                custodian_expert_id=expert_id,
                has_custodian=has_custodian,
                objects_count=number,
            )
            for (technology_id, key, team_id, expert_id, has_custodian), number in groups.items()
        ]
        CustodianCoverage.objects.bulk_create(coverage, batch_size=BATCH_SIZE)
        counts["coverage"] = len(coverage)
        KnowledgeRefresh.objects.create(
            duration_s=round(time.monotonic() - started, 3), object_rows=counts["created"], coverage_rows=len(coverage)
        )
        KnowledgeRefresh.objects.exclude(
            pk__in=list(KnowledgeRefresh.objects.order_by("-completed").values_list("pk", flat=True)[:KEEP_REFRESHES])
        ).delete()
    # Fresh statistics, or PostgreSQL reads the rewritten tables by full scans until autovacuum gets to them.
    # (InnoDB recalculates them by itself, and ANALYZE TABLE there would commit the caller's transaction.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (ObjectKnowledge, CustodianCoverage):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return counts


@contextlib.contextmanager
def _refresh_lock():
    """Hold the refresh lock (in Redis) while the block runs.

    Losing it meanwhile (Redis restarted or flushed) is logged rather than failing a refresh already committed.
    """
    lock = cache.lock(REFRESH_LOCK_KEY, timeout=REFRESH_LOCK_TIMEOUT)
    lock.acquire()
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:
            logger.warning("The knowledge refresh lock was lost while the refresh ran (was Redis flushed?).")


def _delete_all(model):
    """Empty a materialised table with plain SQL (a queryset delete would load every row to send signals)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.rowcount
