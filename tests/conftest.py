"""Session set-up shared by every test."""

import pytest

from tests.fixtures import restore_serialized_database, seed_reference_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # pylint: disable=redefined-outer-name
    """Restore the data migrations seed when a reused test database was truncated by an earlier run.

    TransactionTestCase empties every table after each test; pytest-django runs those tests last, so a single
    run is unaffected, but `--reuse-db` would start the next run without core statuses, roles and Job records.
    """
    with django_db_blocker.unblock():
        seed_reference_data()


@pytest.fixture(scope="module")
def database_put_back(django_db_blocker):
    """For modules of transactional tests with serialized rollback: the database as found, once they are done.

    Each such test starts from the serialized database and empties it afterwards, as a JobTestCase does.
    """
    yield
    with django_db_blocker.unblock():
        restore_serialized_database()
