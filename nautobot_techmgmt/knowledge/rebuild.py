"""Start full rebuilds of the knowledge state: after migrate/post_upgrade (asked for by a migration), or by hand."""

import logging

from django.conf import settings
from django.db import connection, transaction
from nautobot.core.celery import app

from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.knowledge.register import engine_user
from nautobot_techmgmt.knowledge.state import rebuild_needed
from nautobot_techmgmt.models import KnowledgeRefresh

logger = logging.getLogger(__name__)

REBUILD_JOB = ("nautobot_techmgmt.jobs.coverage", "RebuildKnowledgeState")


def ask_for_rebuild(reason):
    """Record that the state must be rebuilt, and start the rebuild once that is committed.

    Until it completes, whole-estate answers say "being computed".
    """
    record = KnowledgeRefresh.objects.create(status=KnowledgeRefresh.STATUS_PENDING, reason=reason)
    transaction.on_commit(start_asked_rebuild, robust=True)
    return record


def _rebuild_needed(sender, reason, **kwargs):  # pylint: disable=unused-argument
    """A change the state could not take in (state.rebuild_needed): ask for a rebuild to repair it."""
    ask_for_rebuild(reason)


rebuild_needed.connect(_rebuild_needed, dispatch_uid="techmgmt_rebuild_needed")


def start_asked_rebuild():
    """Start the oldest asked-for rebuild: here when Celery runs eagerly, else as the rebuild Job on a worker."""
    if KnowledgeRefresh._meta.db_table not in connection.introspection.table_names():
        return  # the app's migrations are unapplied
    record = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_PENDING).order_by("requested").first()
    if record is None or KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_RUNNING).exists():
        return
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        rebuild_knowledge(record)
        return
    if not _enqueue_job():
        rebuild_task.apply_async()


def _enqueue_job():
    """Enqueue the rebuild Job as the app's user, so it shows with its progress among Job results."""
    from nautobot.extras.models import Job, JobResult  # pylint: disable=import-outside-toplevel

    job_model = Job.objects.filter(module_name=REBUILD_JOB[0], job_class_name=REBUILD_JOB[1]).first()
    if job_model is None:  # Job records not written yet (first install): the plain task does the same work
        return False
    JobResult.enqueue_job(job_model, engine_user(), job_kwargs={})
    return True


@app.task(name="nautobot_techmgmt.rebuild_knowledge_state", ignore_result=True)
def rebuild_task():
    """Celery task: run the oldest asked-for rebuild."""
    record = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_PENDING).order_by("requested").first()
    if record is not None:
        rebuild_knowledge(record)
