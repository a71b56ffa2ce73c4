"""Session set-up shared by every test."""

import pytest
from django.apps import apps
from nautobot.extras.management import populate_role_choices, populate_status_choices
from nautobot.extras.signals import refresh_job_models

from nautobot_techmgmt.signals import seed_statuses


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # pylint: disable=redefined-outer-name
    """Restore the data migrations seed when a reused test database was truncated by an earlier run.

    TransactionTestCase empties every table after each test; pytest-django runs those tests last, so a single
    run is unaffected, but `--reuse-db` would start the next run without core statuses, roles and Job records.
    """
    with django_db_blocker.unblock():
        populate_status_choices(apps, None)
        populate_role_choices(apps, None)
        seed_statuses(sender=None)
        refresh_job_models(sender=None, apps=apps)
