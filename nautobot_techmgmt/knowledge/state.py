"""Keep the knowledge state up to date, change by change.

A change records what it can touch as `PendingChange` rows, in its own transaction (`record_*`). Once it commits,
the rows are taken in (`drain`): in the committing process when they are few, else on a Celery worker. Taking in
recomputes only what the rows name:

* an object → its rows of `ObjectKnowledge` (technologies in use, effective custodian and why);
* a rule target (a platform, a location subtree, a dynamic group, ...) → the rows of every object it matches;
* technologies → their people side (`TechnologyKnowledge`, `QualifiedExpert`), never object rows;

and keeps the custodian counts (`CustodianCoverage`) by the difference, then brings the gap register up to date for
the technologies whose answers moved.

Concurrency: pending rows are claimed with SKIP LOCKED, so workers share the queue; objects are locked by bucket
and technologies by their state row, in sorted order, before anything is read, so two updates of the same object or
technology follow each other and the later one reads what the earlier one committed. A worker that dies rolls back
and leaves its rows for the next one.
"""

import contextvars
import dataclasses
import datetime
import logging
import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max
from django.dispatch import Signal
from django.utils import timezone
from nautobot.core.celery import app
from nautobot.extras.models import StaticGroupAssociation

from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.custodians import (
    NO_SUPPORT_PATH,
    STEP_OBJECT,
    CustodianResolver,
    has_primary_support,
    object_attributes,
    role_set_key,
    support_paths_of_sets,
)
from nautobot_techmgmt.knowledge.engine import Knowledge, reading_state
from nautobot_techmgmt.knowledge.gaps import technology_gaps
from nautobot_techmgmt.knowledge.inventory import db_value, in_use_pairs, subtree_sql, to_uuid
from nautobot_techmgmt.knowledge.register import reopen_expired_acceptances, sync_register
from nautobot_techmgmt.knowledge.schema import containing_paths, from_sql, object_sql
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    CustodianCoverage,
    ExpertCertification,
    KnowledgeLock,
    KnowledgeRefresh,
    ObjectKnowledge,
    PendingChange,
    QualifiedExpert,
    RoleSet,
    RoleSetEntry,
    Skill,
    SupportContract,
    Technology,
    TechnologyKnowledge,
)
from nautobot_techmgmt.object_types import (
    OBJECT_TYPES,
    OBJECT_TYPES_BY_KEY,
    OBJECT_TYPES_BY_LABEL,
    RULE_TARGETS_BY_FIELD,
)

logger = logging.getLogger(__name__)

# Sent (with `reason`) when a change cannot be taken in and a full rebuild must repair what it would have changed.
# knowledge/rebuild.py connects the receiver that asks for the rebuild: the rebuild runs on this module.
rebuild_needed = Signal()

LOCK_BUCKETS = 256
# Pending changes one transaction takes in.
DRAIN_BATCH = 500
# Objects recomputed per statement.
OBJECT_CHUNK = 2000

OBJECT_FIELDS = {object_type.key: object_type.field for object_type in OBJECT_TYPES}
# ObjectKnowledge values that make up an object's answer for one technology, in the order `_answer_values` gives them.
ANSWER_FIELDS = (
    "has_custodian",
    "custodian_team_id",
    "custodian_expert_id",
    "custodian_contact_id",
    "custodian_source",
    "custodian_step",
    "custodian_source_type_id",
    "custodian_source_id",
    "roles_id",
)


# ----------------------------------------------------------------------------------------- recording changes


def record_objects(object_type_key, object_ids):
    """Record that these objects of one type changed (created, edited, deleted, moved between groups)."""
    _record(
        [PendingChange(kind=PendingChange.KIND_OBJECT, object_type=object_type_key, object_id=pk) for pk in object_ids]
    )


def record_rule(target_field, target_id):
    """Record that every object matched by a rule target (a platform, a location subtree, ...) may have changed."""
    _record([PendingChange(kind=PendingChange.KIND_RULE, target_field=target_field, object_id=target_id)])


def record_technologies(technology_ids, kind=PendingChange.KIND_TECHNOLOGY):
    """Record that the people side of these technologies changed (or, with KIND_RECOUNT, their object counts)."""
    if technology_ids := sorted(str(pk) for pk in set(technology_ids) if pk):
        _record([PendingChange(kind=kind, technology_ids=technology_ids)])


def _record(changes):
    if not changes:
        return
    PendingChange.objects.bulk_create(changes)
    # One callback per transaction takes everything in once it commits (a rolled-back savepoint drops its callbacks,
    # and its rows with it).
    if any(getattr(callback, "techmgmt_drain", False) for _, callback, _ in connection.run_on_commit):
        return

    def take_in_on_commit():
        take_in_on_commit.techmgmt_drain = False
        propagate()

    take_in_on_commit.techmgmt_drain = True
    transaction.on_commit(take_in_on_commit, robust=True)


def propagate():
    """Bring the state up to date: here when what is pending is small (or Celery runs eagerly), else on a worker."""
    if _runs_eagerly() or _small_enough(_pending_kinds()):
        drain()
    else:
        drain_task.apply_async()


def _runs_eagerly():
    return getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)


def _small_enough(pending):
    """Whether pending changes (their kinds, read up to one past the limit) are few enough to take in here."""
    limit = app_setting("inline_propagation_limit")
    return 0 < len(pending) <= limit and PendingChange.KIND_RULE not in pending


def _pending_kinds():
    return list(PendingChange.objects.values_list("kind", flat=True)[: app_setting("inline_propagation_limit") + 1])


@app.task(name="nautobot_techmgmt.take_in_knowledge_changes", ignore_result=True)
def drain_task():
    """Celery task: take in every pending change."""
    return drain()


# ---------------------------------------------------------------------------------------------- taking in


# Set while this thread takes changes in: what it reads meanwhile must not start taking in again.
_taking_in = contextvars.ContextVar("techmgmt_taking_in", default=False)


def drain():
    """Take in pending changes, a batch per transaction, until none is left that another worker does not hold.

    Returns counts of what was done: {"changes": n, "objects": n, "technologies": n}.
    """
    token = _taking_in.set(True)
    try:
        return _drain()
    finally:
        _taking_in.reset(token)


def _drain():
    totals = Counter()
    while True:
        try:
            with transaction.atomic():
                claimed = list(PendingChange.objects.select_for_update(skip_locked=True).order_by("id")[:DRAIN_BATCH])
                if not claimed:
                    break
                totals += _take_in(claimed)
        except DatabaseError:
            raise  # lock timeouts, lost connections: the rows stay, the next drain takes them in
        except Exception:  # pylint: disable=broad-exception-caught
            # A change the engine cannot take in must not block the queue: take the batch in one change at a time
            # and set aside what still fails, asking for a rebuild to repair what it would have changed.
            logger.exception("Taking in a batch of knowledge changes failed; retrying them one by one.")
            totals += _take_in_one_by_one(claimed)
        totals["changes"] += len(claimed)
        cache.set(UPDATED_KEY, timezone.now(), timeout=None)
    return dict(totals)


def _take_in(changes):
    """Apply a batch and remove its rows, in the caller's transaction."""
    done = apply_changes(changes)
    PendingChange.objects.filter(pk__in=[change.pk for change in changes]).delete()
    return done


def _take_in_one_by_one(changes):
    totals = Counter()
    for change in changes:
        try:
            with transaction.atomic():
                if PendingChange.objects.select_for_update(skip_locked=True).filter(pk=change.pk).exists():
                    totals += _take_in([change])
        except DatabaseError:
            raise
        except Exception:  # pylint: disable=broad-exception-caught
            logger.exception("Knowledge change %s cannot be taken in; set aside, a rebuild is asked for.", change)
            PendingChange.objects.filter(pk=change.pk).delete()
            rebuild_needed.send(sender=PendingChange, reason=f"repair after a failed change ({change.kind})")
            totals["set_aside"] += 1
    return totals


def apply_changes(changes):
    """Recompute what a batch of pending changes names; returns counts."""
    objects = defaultdict(set)
    technology_ids, recount = set(), set()
    for change in changes:
        if change.kind == PendingChange.KIND_OBJECT:
            objects[change.object_type].add(change.object_id)
        elif change.kind == PendingChange.KIND_RULE:
            for key, ids in matched_objects(change.target_field, change.object_id).items():
                objects[key] |= ids
        elif change.kind == PendingChange.KIND_TECHNOLOGY:
            technology_ids |= {uuid.UUID(pk) for pk in change.technology_ids}
        else:
            recount |= {uuid.UUID(pk) for pk in change.technology_ids}
    # Recounts first: the object updates after them then add their differences to counts that match the rows.
    if recount:
        recount_coverage(recount)
    moved = set()
    for key, ids in objects.items():
        moved |= recompute_objects(OBJECT_TYPES_BY_KEY[key], ids)
    # Technologies that came into use have no state yet; technologies whose people side changed need a new one.
    without_state = moved - set(TechnologyKnowledge.objects.filter(pk__in=list(moved)).values_list("pk", flat=True))
    recompute_technologies(technology_ids | without_state)
    sync_register(moved | recount | technology_ids)
    return Counter(objects=sum(len(ids) for ids in objects.values()), technologies=len(technology_ids))


def matched_objects(target_field, target_id):
    """{object type key: set of ids} of the objects a rule target can reach."""
    if target_field == "technology":  # a change of the technology's custodian: every object that uses it
        return objects_of_rows(ObjectKnowledge.objects.filter(technology_id=target_id))
    if target_field == "custodian_team":  # a team gone: every object it was custodian of
        return objects_of_rows(ObjectKnowledge.objects.filter(custodian_team_id=target_id))
    result = defaultdict(set)
    if target_field == "dynamic_group":
        members = StaticGroupAssociation.all_objects.filter(dynamic_group_id=target_id)
        for content_type_id, object_id in members.values_list("associated_object_type_id", "associated_object_id"):
            label = ".".join(ContentType.objects.get_for_id(content_type_id).natural_key())
            if object_type := OBJECT_TYPES_BY_LABEL.get(label):
                result[object_type.key].add(object_id)
        return result
    target = RULE_TARGETS_BY_FIELD.get(target_field)
    parts, params = [], []
    for object_type in OBJECT_TYPES:
        sql = object_sql(object_type)
        # An object reaches another object's attributes through it (a virtual machine its cluster's type and
        # location): a change of that object is a change of these too.
        paths = sql.paths.get(target_field) or containing_paths(object_type).get(target_field, ())
        for path in paths:
            if target is not None and target.tree_parent:
                condition, value = f"{path.column} IN ({subtree_sql(target)})", db_value(target_id)
            else:
                condition, value = f"{path.column} = %s", db_value(target_id)
            parts.append(f"SELECT '{object_type.key}', {sql.pk} FROM {from_sql(sql.table, [path])} WHERE {condition}")
            params.append(value)
    if parts:
        # One query for every object type and path, whatever reaches the target.
        with connection.cursor() as cursor:
            cursor.execute("\nUNION\n".join(parts), params)
            for key, object_id in cursor.fetchall():
                result[key].add(to_uuid(object_id))
    return result


def objects_of_rows(rows):
    """{object type key: set of ids} of the objects that have these ObjectKnowledge rows."""
    result = defaultdict(set)
    for key, field in OBJECT_FIELDS.items():
        result[key] |= set(rows.filter(**{f"{field}__isnull": False}).values_list(field, flat=True).distinct())
    return result


def lock_objects(object_ids):
    """Lock the buckets of these objects, in order, until the transaction ends."""
    _lock_buckets(sorted({uuid.UUID(str(pk)).int % LOCK_BUCKETS for pk in object_ids}))


def _lock_buckets(buckets):
    locked = list(KnowledgeLock.objects.select_for_update().filter(bucket__in=buckets).order_by("bucket"))
    if len(locked) < len(buckets):  # an emptied table (a test database flush): create the buckets again
        KnowledgeLock.objects.bulk_create([KnowledgeLock(bucket=b) for b in range(LOCK_BUCKETS)], ignore_conflicts=True)
        list(KnowledgeLock.objects.select_for_update().filter(bucket__in=buckets).order_by("bucket"))


def lock_technologies(technology_ids):
    """Create missing state rows of these technologies and lock them, in order, until the transaction ends."""
    ids = sorted(set(technology_ids), key=str)
    existing = set(Technology.objects.filter(pk__in=ids).values_list("pk", flat=True))
    ids = [pk for pk in ids if pk in existing]
    TechnologyKnowledge.objects.bulk_create(
        [TechnologyKnowledge(technology_id=pk, as_of=datetime.date.today()) for pk in ids], ignore_conflicts=True
    )
    list(TechnologyKnowledge.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    return ids


def recompute_objects(object_type, object_ids):
    """Recompute the ObjectKnowledge rows of some objects of one type; returns the technologies whose rows moved."""
    moved = set()
    object_ids = sorted(object_ids, key=str)
    for start in range(0, len(object_ids), OBJECT_CHUNK):
        moved |= _recompute_chunk(object_type, object_ids[start : start + OBJECT_CHUNK])
    return moved


def _recompute_chunk(object_type, object_ids):
    field = OBJECT_FIELDS[object_type.key]
    lock_objects(object_ids)
    attributes = object_attributes(object_type, object_ids)
    pairs = in_use_pairs(object_type, list(attributes))
    new = {}
    if pairs:
        technologies = Technology.objects.select_related("custodian_team").in_bulk([tid for tid, _ in pairs])
        # One object: load only the rules that can apply to it; many: load them all once.
        resolver = CustodianResolver(technologies, next(iter(attributes.values())) if len(attributes) == 1 else None)
        roles = {
            (object_id, technology_id): resolver.resolve_roles(attributes[object_id], technology_id)
            for technology_id, object_id in pairs
        }
        role_sets = role_set_ids(set(roles.values()))
        new = {
            (object_id, technology_id): _answer_values(
                resolver.resolve(attributes[object_id], technology_id), role_sets[roles[(object_id, technology_id)]]
            )
            for technology_id, object_id in pairs
        }
    old = {}
    for pk, object_id, technology_id, *values in ObjectKnowledge.objects.filter(
        **{f"{field}__in": object_ids}
    ).values_list("pk", field, "technology_id", *ANSWER_FIELDS):
        old[(object_id, technology_id)] = (pk, tuple(values))
    stale = [pk for key, (pk, values) in old.items() if new.get(key) != values]
    fresh = [(key, values) for key, values in new.items() if key not in old or old[key][1] != values]
    if not stale and not fresh:
        return set()
    delta = Counter()
    for (_, technology_id), (_, values) in old.items():
        delta[_group(technology_id, object_type.key, values)] -= 1
    for (_, technology_id), values in new.items():
        delta[_group(technology_id, object_type.key, values)] += 1
    ObjectKnowledge.objects.filter(pk__in=stale).delete()
    ObjectKnowledge.objects.bulk_create(
        [
            ObjectKnowledge(
                technology_id=technology_id,
                **{f"{field}_id": object_id},
                **dict(zip(ANSWER_FIELDS, values, strict=True)),
            )
            for (object_id, technology_id), values in fresh
        ],
        batch_size=1000,
    )
    moved = {technology_id for (_, technology_id), _ in fresh} | {technology_id for (_, technology_id) in old}
    apply_coverage_delta(delta)
    if any(values[-1] for _, values in old.values()):
        drop_unused_object_sets()
    return moved


def _answer_values(custodian, roles_id):
    """The ANSWER_FIELDS values of a Custodian (or None) and the id of the object's RoleSet (or None)."""
    if custodian is None:
        return (False, None, None, None, "", None, None, None, roles_id)
    source = custodian.source_object
    return (
        True,
        custodian.team.pk if custodian.team else None,
        custodian.expert.pk if custodian.expert else None,
        custodian.contact.pk if custodian.contact else None,
        custodian.source[:255],
        custodian.step,
        ContentType.objects.get_for_model(source).pk if source is not None else None,
        source.pk if source is not None else None,
        roles_id,
    )


def role_set_ids(role_tuples):
    """{tuple of Assignments: RoleSet id} for some resolved answers, creating the sets not stored yet; () -> None.

    A fixed number of queries, whatever the number of tuples.
    """
    role_tuples = {assignments for assignments in role_tuples if assignments}
    by_key = {role_set_key(assignments): assignments for assignments in role_tuples}
    ids = dict(RoleSet.objects.filter(key__in=list(by_key)).values_list("key", "pk"))
    if missing := [key for key in by_key if key not in ids]:
        RoleSet.objects.bulk_create(
            [RoleSet(key=key, has_primary_support=has_primary_support(by_key[key])) for key in missing],
            ignore_conflicts=True,
        )
        # Read back: another worker may have stored the same set meanwhile (then it is that one, and complete).
        made = dict(RoleSet.objects.filter(key__in=missing, entries__isnull=True).values_list("key", "pk"))
        RoleSetEntry.objects.bulk_create(
            [
                RoleSetEntry(
                    role_set_id=made[key],
                    position=position,
                    role=assignment.role,
                    tier=assignment.tier,
                    team_id=assignment.team_id,
                    expert_id=assignment.expert_id,
                    contact_id=assignment.contact_id,
                    step=assignment.step,
                    source=assignment.source,
                    source_type_id=assignment.source_type_id,
                    source_id=assignment.source_id,
                )
                for key in made
                for position, assignment in enumerate(by_key[key])
            ],
            batch_size=2000,
        )
        ids.update(dict(RoleSet.objects.filter(key__in=missing).values_list("key", "pk")))
    result = {assignments: ids[key] for key, assignments in by_key.items()}
    result[()] = None
    return result


def drop_unused_object_sets():
    """Delete the role sets made for one object (a responsibility on the object itself) that no row uses any more.

    Such a set names its object, and only that object's rows can use it; shared sets that fall out of use name no
    object and wait for the next rebuild.
    """
    object_sets = RoleSet.objects.filter(entries__step=STEP_OBJECT)
    # Their counts only move with their object's rows, under the object's lock: an emptied one stays empty.
    CustodianCoverage.objects.filter(roles__in=object_sets, objects_count=0).delete()
    object_sets.filter(object_rows__isnull=True, coverage_rows__isnull=True).delete()


def _group(technology_id, object_type_key, values):
    """The CustodianCoverage group of one answer: (technology, object type, team, expert, has_custodian, roles)."""
    has_custodian, team_id, expert_id, roles_id = values[0], values[1], values[2], values[-1]
    return (technology_id, object_type_key, team_id, expert_id, has_custodian, roles_id)


def group_key(group):
    """The unique text key of a CustodianCoverage group."""
    technology_id, object_type_key, team_id, expert_id, has_custodian, roles_id = group
    return (
        f"{technology_id}|{object_type_key}|{team_id or ''}|{expert_id or ''}|{int(bool(has_custodian))}"
        f"|{roles_id or ''}"
    )


def apply_coverage_delta(delta):
    """Add the differences to the custodian counts, under the technologies' locks."""
    delta = {group: number for group, number in delta.items() if number}
    if not delta:
        return
    lock_technologies({group[0] for group in delta})
    CustodianCoverage.objects.bulk_create([coverage_row(group, 0) for group in delta], ignore_conflicts=True)
    for group, number in delta.items():
        CustodianCoverage.objects.filter(group_key=group_key(group)).update(objects_count=F("objects_count") + number)


def recount_coverage(technology_ids):
    """Count the custodian groups of these technologies again from their object rows (after deletes)."""
    ids = lock_technologies(technology_ids)
    CustodianCoverage.objects.filter(technology_id__in=ids).delete()
    counts = Counter()
    rows = ObjectKnowledge.objects.filter(technology_id__in=ids)
    for key, field in OBJECT_FIELDS.items():
        for technology_id, team_id, expert_id, has_custodian, roles_id in rows.filter(
            **{f"{field}__isnull": False}
        ).values_list("technology_id", "custodian_team_id", "custodian_expert_id", "has_custodian", "roles_id"):
            counts[(technology_id, key, team_id, expert_id, has_custodian, roles_id)] += 1
    write_coverage(counts)
    drop_unused_object_sets()


def write_coverage(counts):
    """Insert CustodianCoverage rows for {group: number}."""
    CustodianCoverage.objects.bulk_create(
        [coverage_row(group, number) for group, number in counts.items()], batch_size=2000
    )


def coverage_row(group, number):
    """A CustodianCoverage row of one group with a count."""
    technology_id, object_type_key, team_id, expert_id, has_custodian, roles_id = group
    return CustodianCoverage(
        technology_id=technology_id,
        object_type=object_type_key,
        custodian_team_id=team_id,
        custodian_expert_id=expert_id,
        has_custodian=has_custodian,
        roles_id=roles_id,
        objects_count=number,
        group_key=group_key(group),
    )


# ------------------------------------------------------------------------------------ people side, per technology


def recompute_technologies(technology_ids, knowledge=None):
    """Recompute the people side of these technologies: qualified experts, bus factor, own gaps, next change."""
    if not technology_ids:
        return
    ids = lock_technologies(technology_ids)
    today = datetime.date.today()
    knowledge = knowledge or Knowledge(as_of=today, technology_ids=ids, live=True)
    horizon = knowledge.qualified_at_warning_horizon
    QualifiedExpert.objects.filter(technology_id__in=ids).delete()
    QualifiedExpert.objects.bulk_create(
        [
            QualifiedExpert(
                technology_id=technology_id,
                expert_id=expert_id,
                internal=expert_id in knowledge.internal_experts,
                has_capacity=expert_id in knowledge.experts_with_capacity,
                lapsing=expert_id not in horizon.get(technology_id, ()),
            )
            for technology_id in ids
            for expert_id in knowledge.qualified.get(technology_id, ())
        ],
        batch_size=2000,
    )
    next_changes = next_change_days(ids, today)
    for technology_id in ids:
        # The kinds only: their counts of affected objects come from the per-object half when read.
        kinds = [gap.kind for gap in technology_gaps(knowledge, technology_id, counts={})]
        TechnologyKnowledge.objects.filter(pk=technology_id).update(
            as_of=today,
            bus_factor=knowledge.bus_factor(technology_id),
            vendor_covered=technology_id in knowledge.vendor_covered,
            gaps=kinds,
            has_gap=bool(kinds),
            next_change=next_changes.get(technology_id),
            computed=timezone.now(),
        )


def next_change_days(technology_ids, today):
    """{technology_id: the first day after `today` on which a date in the data changes its people side}.

    Certifications (obtained, expired, entering the warning window), availability agreements (start, end) and
    support contracts (start, end) of the technology. A day too many costs one recomputation; a day missed would
    leave a stale answer, so every boundary counts.
    """
    warning = datetime.timedelta(days=app_setting("certification_warning_days"))
    one = datetime.timedelta(days=1)
    days = defaultdict(set)
    certificates = ExpertCertification.objects.filter(certification__technologies__in=technology_ids)
    for technology_id, obtained, expires in certificates.values_list(
        "certification__technologies", "obtained_on", "expires_on"
    ):
        days[technology_id] |= {obtained, obtained - warning}
        if expires:
            days[technology_id] |= {expires + one, expires - warning + one}
    skills = Skill.objects.filter(technology_id__in=technology_ids)
    agreements = AvailabilityAgreement.objects.filter(expert__skills__in=skills).values_list(
        "expert__skills__technology_id", "valid_from", "valid_until"
    )
    for technology_id, valid_from, valid_until in agreements:
        days[technology_id] |= {valid_from, valid_until + one if valid_until else None}
    contracts = SupportContract.objects.filter(technologies__in=technology_ids)
    for technology_id, start, end in contracts.values_list("technologies", "start_date", "end_date"):
        days[technology_id] |= {start, end + one if end else None}
    return {
        technology_id: min(future)
        for technology_id, candidates in days.items()
        if (future := [day for day in candidates if day is not None and day > today])
    }


# ------------------------------------------------------------------------------------------------- freshness

SWEPT_KEY = "nautobot_techmgmt:knowledge_swept_on"
# When the state last took a change in.
UPDATED_KEY = "nautobot_techmgmt:knowledge_updated"
GROUPS_SEEN_KEY = "nautobot_techmgmt:group_members_seen"
GROUPS_CHECKED_KEY = "nautobot_techmgmt:group_members_checked"
# Seconds between two looks for objects that dynamic-group cache refreshes added.
GROUPS_CHECK_INTERVAL = 30
# Live progress of a running rebuild, in percent (its record is updated only when its transaction commits).
PROGRESS_KEY = "nautobot_techmgmt:rebuild_progress"


def ensure_fresh():
    """Make a read see the current state; returns the number of changes still pending.

    Takes in the day's time-driven changes, objects that dynamic-group cache refreshes added, and pending changes when
    they are small (or when Celery runs eagerly).
    """
    if _taking_in.get():
        return 0
    today = datetime.date.today()
    if cache.get(SWEPT_KEY) != today.isoformat():
        daily_sweep(today)
        cache.set(SWEPT_KEY, today.isoformat(), timeout=2 * 86400)
    _note_new_group_members()
    pending = _pending_kinds()
    if pending and (_runs_eagerly() or _small_enough(pending)):
        drain()
        return PendingChange.objects.count()
    return len(pending) if len(pending) <= app_setting("inline_propagation_limit") else PendingChange.objects.count()


def _fresh_before_read(sender, **kwargs):  # pylint: disable=unused-argument
    """Before a Knowledge first reads the state: take in what is pending (engine.reading_state)."""
    ensure_fresh()


reading_state.connect(_fresh_before_read, dispatch_uid="techmgmt_fresh_before_read")


def daily_sweep(today):
    """Recompute technologies whose certifications, agreements or contracts change today; reopen expired acceptances."""
    due = list(TechnologyKnowledge.objects.filter(next_change__lte=today).values_list("pk", flat=True))
    if due:
        with transaction.atomic():
            record_technologies(due)
    reopen_expired_acceptances(today)


def _note_new_group_members():
    """Record objects that dynamic-group cache refreshes added (Nautobot adds them in bulk, without signals)."""
    if not cache.add(GROUPS_CHECKED_KEY, True, timeout=GROUPS_CHECK_INTERVAL):
        return
    seen = cache.get(GROUPS_SEEN_KEY)
    now = timezone.now()
    if seen is None:
        cache.set(GROUPS_SEEN_KEY, now, timeout=None)
        return
    added = StaticGroupAssociation.all_objects.filter(created__gt=seen).values_list(
        "associated_object_type_id", "associated_object_id"
    )
    by_type = defaultdict(set)
    latest = seen
    for content_type_id, object_id in added[:10000]:
        label = ".".join(ContentType.objects.get_for_id(content_type_id).natural_key())
        if object_type := OBJECT_TYPES_BY_LABEL.get(label):
            by_type[object_type.key].add(object_id)
    if by_type:
        latest = StaticGroupAssociation.all_objects.filter(created__gt=seen).aggregate(latest=Max("created"))["latest"]
        with transaction.atomic():
            for key, ids in by_type.items():
                record_objects(key, ids)
    cache.set(GROUPS_SEEN_KEY, max(latest or now, seen), timeout=None)


@dataclasses.dataclass(frozen=True)
class StateStatus:
    """How fresh the knowledge state is, for surfaces to say so."""

    ready: bool  # False until the first full rebuild (install, upgrade) has completed
    progress: int  # percent done of a running rebuild
    pending: int  # changes not taken in yet
    updated: datetime.datetime  # when the state last changed (None before anything was computed)

    @property
    def message(self):
        """A sentence for people, or "" when the state is complete and current."""
        if not self.ready:
            return f"Knowledge is being computed ({self.progress}% done); answers appear when it completes."
        if self.pending:
            return f"{self.pending} change(s) are still being taken into the knowledge shown here."
        return ""


def state_status():
    """Readiness, rebuild progress and pending changes of the knowledge state, after taking in what is small."""
    pending = ensure_fresh()
    unfinished = KnowledgeRefresh.objects.unfinished().exists()
    updated = cache.get(UPDATED_KEY)
    if updated is None:
        last = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_COMPLETED).order_by("-completed").first()
        updated = last.completed if last else None
    return StateStatus(
        ready=not unfinished,
        progress=int(cache.get(PROGRESS_KEY) or 0) if unfinished else 100,
        pending=pending,
        updated=updated,
    )


class PeopleSide:
    """Today's people side of every technology, read once (three small queries) to answer many object rows.

    What `ObjectKnowledge.objects.with_answers()` joins in SQL, for rows that were loaded without it (GraphQL loads
    a core object's rows by prefetching).
    """

    def __init__(self):
        """Read the technology states and who is qualified (with their teams)."""
        self.states = {
            pk: (bus_factor, gaps, computed)
            for pk, bus_factor, gaps, computed in TechnologyKnowledge.objects.values_list(
                "pk", "bus_factor", "gaps", "computed"
            )
        }
        qualified = QualifiedExpert.objects.values_list("technology_id", "expert_id", "expert__contact__teams")
        self.qualified_experts, self.qualified_teams = set(), set()
        for technology_id, expert_id, team_id in qualified:
            self.qualified_experts.add((technology_id, expert_id))
            if team_id is not None:
                self.qualified_teams.add((technology_id, team_id))
        self.support_paths = support_paths_of_sets()

    def is_qualified(self, technology_id, team_id, expert_id):
        """Whether an expert, or a team (any member), is qualified for the technology; a contact alone is not."""
        if expert_id is not None:
            return (technology_id, expert_id) in self.qualified_experts
        return (technology_id, team_id) in self.qualified_teams

    def answer(self, row):
        """Give an ObjectKnowledge row the values `with_answers` would have annotated; returns the row."""
        bus_factor, gaps, computed = self.states.get(row.technology_id, (0, [], None))
        row.state_bus_factor, row.state_gaps, row.state_computed = bus_factor, gaps, computed
        row.state_custodian_qualified = self.is_qualified(
            row.technology_id, row.custodian_team_id, row.custodian_expert_id
        )
        has_primary, tiers = self.support_paths.get(row.roles_id, NO_SUPPORT_PATH)
        row.state_has_primary_support = has_primary
        row.state_support_qualified = all(
            self.is_qualified(row.technology_id, team_id, expert_id) for team_id, expert_id in tiers
        )
        return row
