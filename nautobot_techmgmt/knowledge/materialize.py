"""Rebuild the whole knowledge state from scratch: for install, upgrade and repair.

Day to day the state follows each change (`state.py`); a rebuild recomputes every object row, every custodian count
and every technology's people side in one transaction, then brings the gap register up to date.
"""

import functools
import logging
import time
import uuid
from collections import Counter

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from nautobot_techmgmt.knowledge.custodians import object_attributes
from nautobot_techmgmt.knowledge.engine import Knowledge
from nautobot_techmgmt.knowledge.inventory import all_in_use_pairs
from nautobot_techmgmt.knowledge.register import sync_register
from nautobot_techmgmt.knowledge.state import (
    ANSWER_FIELDS,
    LOCK_BUCKETS,
    OBJECT_FIELDS,
    PROGRESS_KEY,
    UPDATED_KEY,
    _answer_values,
    _group,
    _lock_buckets,
    recompute_technologies,
    role_set_ids,
    write_coverage,
)
from nautobot_techmgmt.models import CustodianCoverage, KnowledgeRefresh, ObjectKnowledge, PendingChange, RoleSet
from nautobot_techmgmt.models.coverage import OBJECT_FIELD_OF_MODEL
from nautobot_techmgmt.object_types import OBJECT_TYPES

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
# Completed rebuilds kept as a record (when, how long, how many rows).
KEEP_REFRESHES = 20

# ObjectKnowledge columns a rebuild writes, in the order `_row` gives their values.
ROW_FIELDS = ("id", "technology", *OBJECT_FIELD_OF_MODEL.values(), *ANSWER_FIELDS, "refreshed")


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


def rebuild_knowledge(record=None, progress=None):
    """Recompute the whole knowledge state in one transaction; returns counts of what it wrote.

    Args:
        record: the KnowledgeRefresh that asked for it (one is made when None); marked running, then completed.
        progress: optional callable(percent, message) told how far the rebuild is.

    Returns {"created": object rows, "devices": rows, ..., "coverage": rows, "technologies": n, "duration_s": s}.
    The number of queries is fixed plus one insert per BATCH_SIZE rows; nothing is queried per object.
    """
    started = time.monotonic()
    record = _start(record)
    report = progress or (lambda percent, message: None)

    def step(percent, message):
        cache.set(PROGRESS_KEY, percent, timeout=3600)
        report(percent, message)

    try:
        counts = _rebuild(step)
    except Exception:
        KnowledgeRefresh.objects.filter(pk=record.pk).update(status=KnowledgeRefresh.STATUS_FAILED)
        raise
    counts["duration_s"] = round(time.monotonic() - started, 3)
    KnowledgeRefresh.objects.filter(pk=record.pk).update(
        status=KnowledgeRefresh.STATUS_COMPLETED,
        completed=timezone.now(),
        progress=100,
        duration_s=counts["duration_s"],
        object_rows=counts["created"],
        coverage_rows=counts["coverage"],
    )
    # Asked-for rebuilds this one has done the work of (asked before it started) are done too.
    KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_PENDING, requested__lte=record.started).update(
        status=KnowledgeRefresh.STATUS_COMPLETED, completed=timezone.now(), progress=100
    )
    stale = KnowledgeRefresh.objects.order_by("-requested").values_list("pk", flat=True)[KEEP_REFRESHES:]
    KnowledgeRefresh.objects.filter(pk__in=list(stale), status=KnowledgeRefresh.STATUS_COMPLETED).delete()
    cache.delete(PROGRESS_KEY)
    cache.set(UPDATED_KEY, timezone.now(), timeout=None)
    report(100, "done")
    return counts


def _start(record):
    record = record or KnowledgeRefresh.objects.create(status=KnowledgeRefresh.STATUS_PENDING, reason="repair")
    record.status, record.started, record.progress = KnowledgeRefresh.STATUS_RUNNING, timezone.now(), 0
    KnowledgeRefresh.objects.filter(pk=record.pk).update(status=record.status, started=record.started, progress=0)
    return record


def _rebuild(step):
    knowledge = Knowledge(live=True)
    counts = {"deleted": 0, "created": 0, **dict.fromkeys((object_type.key for object_type in OBJECT_TYPES), 0)}
    with transaction.atomic():
        # Every bucket: no object update interleaves with the rebuild's delete and insert.
        _lock_buckets(list(range(LOCK_BUCKETS)))
        high_water = PendingChange.objects.aggregate(last=Max("id"))["last"]
        step(2, "reading inventory")
        pairs = all_in_use_pairs()
        attributes = {object_type.key: object_attributes(object_type) for object_type in OBJECT_TYPES}
        counts["deleted"] = _delete_all(ObjectKnowledge)
        _delete_all(CustodianCoverage)
        writer = RowWriter(ObjectKnowledge, ROW_FIELDS)
        refreshed = timezone.now()
        groups = Counter()
        resolve = knowledge.custodians.resolve
        step(4, "role sets")
        roles, role_sets = _resolved_roles(knowledge, pairs, attributes)
        empty = (None,) * len(OBJECT_FIELD_OF_MODEL)
        positions = {key: list(OBJECT_FIELD_OF_MODEL.values()).index(field) for key, field in OBJECT_FIELDS.items()}
        # Objects sharing rules share their Custodian and role set: turn each pair into row values once. The Custodian
        # is kept with its values so that its id() is not reused by another one.
        answers = {}
        for number, ((key, technology_id, object_id), assignments) in enumerate(
            zip(pairs, roles, strict=True), start=1
        ):
            custodian = resolve(attributes[key][object_id], technology_id)
            roles_id = role_sets[assignments]
            known = answers.get((id(custodian), roles_id))
            if known is None:
                known = answers[(id(custodian), roles_id)] = (custodian, _answer_values(custodian, roles_id))
            values = known[1]
            objects = list(empty)
            objects[positions[key]] = object_id
            writer.add((uuid.uuid4(), technology_id, *objects, *values, refreshed))
            groups[_group(technology_id, key, values)] += 1
            counts[key] += 1
            if number % 100_000 == 0:
                step(5 + int(80 * number / len(pairs)), f"{number} of {len(pairs)} object rows")
        writer.flush()
        counts["created"] = writer.written
        write_coverage(groups)
        counts["coverage"] = len(groups)
        step(88, "qualified experts per technology")
        recompute_technologies(list(knowledge.technologies), knowledge=knowledge)
        counts["technologies"] = len(knowledge.technologies)
        if high_water is not None:
            PendingChange.objects.filter(id__lte=high_water).delete()
        # Sets no row points at any more (their rules changed or went): gone with the rows that used them.
        RoleSet.objects.filter(object_rows__isnull=True, coverage_rows__isnull=True).delete()
    # Fresh statistics, or PostgreSQL reads the rewritten tables by full scans until autovacuum gets to them.
    # (InnoDB recalculates them by itself, and ANALYZE TABLE there would commit the caller's transaction.)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (ObjectKnowledge, CustodianCoverage):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    step(95, "gap register")
    with transaction.atomic():
        sync_register(list(knowledge.technologies))
    return counts


def _resolved_roles(knowledge, pairs, attributes):
    """([Assignments of each pair], {Assignments: RoleSet id}): every pair's other roles, their sets stored."""
    resolve_roles = knowledge.custodians.resolve_roles
    roles = [resolve_roles(attributes[key][object_id], technology_id) for key, technology_id, object_id in pairs]
    return roles, role_set_ids(set(roles))


def _delete_all(model):
    """Empty a materialised table with plain SQL (a queryset delete would load every row to send signals)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.rowcount
