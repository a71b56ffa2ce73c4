"""Keep ObjectKnowledge fresh: one debounced refresh on Nautobot's Celery workers after data changes."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from nautobot.core.celery import app

from nautobot_techmgmt.knowledge.materialize import refresh_object_knowledge

# Seconds to wait before refreshing, so a burst of changes is answered by one refresh.
REFRESH_COUNTDOWN = 30
# Set while a refresh is queued; the task clears it as it starts, so later changes queue the next one.
REFRESH_PENDING_KEY = "nautobot_techmgmt:object_knowledge_refresh_pending"
# Forget a queued refresh that never ran (no worker) after this long, so changes can queue another.
REFRESH_PENDING_TIMEOUT = REFRESH_COUNTDOWN + 600


@app.task(name="nautobot_techmgmt.refresh_object_knowledge", ignore_result=True)
def refresh_object_knowledge_task():
    """Celery task: rebuild ObjectKnowledge."""
    cache.delete(REFRESH_PENDING_KEY)
    return refresh_object_knowledge()


def queue_refresh():
    """Refresh now when Celery runs tasks eagerly, else queue one refresh unless one is already queued."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        refresh_object_knowledge()
    elif cache.add(REFRESH_PENDING_KEY, True, timeout=REFRESH_PENDING_TIMEOUT):
        refresh_object_knowledge_task.apply_async(countdown=REFRESH_COUNTDOWN)


def request_refresh():
    """Ask for one refresh once the current transaction commits; many changes in one transaction ask once.

    Robust: a failing refresh is logged and never turns the user's committed change into an error.
    """
    # A request still waiting for this transaction's commit covers this change too. Django drops the callbacks of
    # rolled-back savepoints from `run_on_commit`, so a rollback never leaves a change without its request.
    if any(getattr(callback, "techmgmt_refresh_pending", False) for _, callback, _ in connection.run_on_commit):
        return

    def refresh_on_commit():
        refresh_on_commit.techmgmt_refresh_pending = False
        queue_refresh()

    refresh_on_commit.techmgmt_refresh_pending = True
    transaction.on_commit(refresh_on_commit, robust=True)
