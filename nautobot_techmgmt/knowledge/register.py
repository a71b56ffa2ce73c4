"""Keep the gap register in step with the knowledge state, and tell the world through Nautobot's event brokers.

A (kind, technology) gap that appears opens a `KnowledgeGap` record; one that disappears closes it; one that appears
again opens a new record. Opening, closing, reopening and a change of severity are saved in a change context of the
app's own user, so Nautobot writes the change log and fires webhooks, and are published as events under
`nautobot.techmgmt.gap.*`. Changes of the affected-object counts alone update the record quietly.
"""

import contextlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from nautobot.apps.change_logging import web_request_context
from nautobot.apps.events import publish_event

from nautobot_techmgmt.choices import GapStatusChoices
from nautobot_techmgmt.knowledge.engine import Knowledge
from nautobot_techmgmt.models import KnowledgeGap

ENGINE_USERNAME = "nautobot-techmgmt"
TOPIC_PREFIX = "nautobot.techmgmt.gap"
OPENED, CLOSED, REOPENED, SEVERITY_CHANGED = "opened", "closed", "reopened", "severity_changed"
DETAIL_LENGTH = KnowledgeGap._meta.get_field("detail").max_length


def engine_user():
    """The app's own user, author of the register's changes in the change log; it cannot log in."""
    user, created = get_user_model().objects.get_or_create(username=ENGINE_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save()
    return user


@contextlib.contextmanager
def engine_change_context():
    """Change logging and webhooks for what the engine saves, as the app's user (inside a request's context too)."""
    with web_request_context(engine_user(), context_detail="nautobot-techmgmt knowledge engine"):
        yield


def sync_register(technology_ids):
    """Open, update and close the register's records of these technologies to match the knowledge state."""
    ids = list(set(technology_ids))
    if not ids:
        return
    knowledge = Knowledge(technology_ids=ids)
    current = {
        gap.key: gap
        for technology_id in ids
        if technology_id in knowledge.technologies
        for gap in knowledge.gaps_of(technology_id)
    }
    records = {
        (record.kind, record.technology_id): record
        for record in KnowledgeGap.objects.current().filter(technology_id__in=ids).select_related("technology")
    }
    now = timezone.now()
    opened, updated = [], []
    for key, gap in current.items():
        record = records.get(key)
        if record is None:
            opened.append(_new_record(gap, now))
        elif record.severity != gap.severity:
            updated.append((record, record.severity, gap))
        elif _figures(record) != _figures_of_gap(gap):
            KnowledgeGap.objects.filter(pk=record.pk).update(**_figures_of_gap(gap))
    closed = [record for key, record in records.items() if key not in current]
    if not (opened or updated or closed):
        return
    with engine_change_context():
        for record in opened:
            record.validated_save()
            _publish(OPENED, record)
        for record, previous, gap in updated:
            record.severity = gap.severity
            for name, value in _figures_of_gap(gap).items():
                setattr(record, name, value)
            record.validated_save()
            _publish(SEVERITY_CHANGED, record, previous_severity=previous)
        for record in closed:
            record.status, record.closed, record.risk_accepted_until = GapStatusChoices.CLOSED, now, None
            record.validated_save()
            _publish(CLOSED, record)


def reopen_expired_acceptances(today):
    """Gaps whose accepted risk ran out (the day after `risk_accepted_until`) are open again."""
    expired = list(
        KnowledgeGap.objects.current()
        .filter(status=GapStatusChoices.RISK_ACCEPTED, risk_accepted_until__lt=today)
        .select_related("technology")
    )
    if not expired:
        return
    with engine_change_context():
        for record in expired:
            record.status, record.risk_accepted_until = GapStatusChoices.OPEN, None
            record.validated_save()
            _publish(REOPENED, record)


def _new_record(gap, now):
    return KnowledgeGap(
        kind=gap.kind,
        technology=gap.technology,
        severity=gap.severity,
        status=GapStatusChoices.OPEN,
        opened=now,
        **_figures_of_gap(gap),
    )


def _figures_of_gap(gap):
    return {
        "affected": {key: number for key, number in gap.affected.items() if number},
        "affected_objects": gap.affected_objects,
        "risk": gap.risk,
        "detail": gap.detail[:DETAIL_LENGTH],
    }


def _figures(record):
    return {
        "affected": record.affected,
        "affected_objects": record.affected_objects,
        "risk": record.risk,
        "detail": record.detail,
    }


def event_payload(record, **extra):
    """What an event says of a gap record."""
    return {
        "id": str(record.pk),
        "kind": record.kind,
        "technology": {"id": str(record.technology_id), "name": record.technology.name},
        "severity": record.severity,
        "status": record.status,
        "affected": record.affected,
        "affected_objects": record.affected_objects,
        "risk": record.risk,
        "detail": record.detail,
        "opened": record.opened.isoformat(),
        "closed": record.closed.isoformat() if record.closed else None,
        "url": record.get_absolute_url(),
        **extra,
    }


def _publish(event, record, **extra):
    """Publish the event once the transaction that saved the record commits."""
    payload = event_payload(record, **extra)
    transaction.on_commit(lambda: publish_event(topic=f"{TOPIC_PREFIX}.{event}", payload=payload), robust=True)
