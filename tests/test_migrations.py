"""Uninstall and upgrade: the app's migrations reversed to zero on a database with data, and post_upgrade.

The test works on a scratch copy of the test database (Django's own clone: a template copy on PostgreSQL, a
dump and load on MySQL/MariaDB) and drives `nautobot-server` in subprocesses, as an operator would.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from nautobot.dcim.models import Device
from nautobot.extras.models import Role, Status

from development.pytest_nautobot import DEFAULT_CONFIG
from nautobot_techmgmt.models import KnowledgeRefresh
from tests.fixtures import seed_reference_data

APP = "nautobot_techmgmt"
SCRATCH_SUFFIX = "upgrade"
# No test transaction may hold the connection that copying the database closes; the database is put back after.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_put_back"),
]


@pytest.fixture
def scratch_database(django_db_setup, django_db_blocker):  # pylint: disable=unused-argument
    """Settings of a fresh copy of the test database, dropped afterwards."""
    with django_db_blocker.unblock():
        # Tests that ran before may have emptied the tables; the copy starts from a seeded database.
        seed_reference_data()
        # A PostgreSQL template copy needs every connection to the source closed (job logs use a second alias).
        connections.close_all()
        connection.creation.clone_test_db(suffix=SCRATCH_SUFFIX, verbosity=0)
        try:
            yield connection.creation.get_test_db_clone_settings(SCRATCH_SUFFIX)
        finally:
            connection.creation.destroy_test_db(suffix=SCRATCH_SUFFIX, verbosity=0)


# The SQL below names tables and columns from model metadata, quoted by the backend; values go as parameters.
@contextmanager
def scratch_cursor(settings_dict):
    """A cursor on the scratch database, on a connection of its own that is closed afterwards."""
    scratch = type(connections[DEFAULT_DB_ALIAS])(settings_dict, alias="scratch")
    try:
        with scratch.cursor() as cursor:
            yield scratch, cursor
    finally:
        scratch.close()


def nautobot_server(settings_dict, tmp_path, *args):
    """Run `nautobot-server <args>` against the scratch database; return its output, failing the test on error."""
    redis_db = urlparse(settings.CACHES["default"]["LOCATION"]).path.strip("/") or "0"
    env = {
        **os.environ,
        "NAUTOBOT_CONFIG": os.environ.get("NAUTOBOT_CONFIG", str(DEFAULT_CONFIG)),
        "NAUTOBOT_DB_ENGINE": settings_dict["ENGINE"],
        "NAUTOBOT_DB_NAME": settings_dict["NAME"],
        "NAUTOBOT_DB_HOST": settings_dict["HOST"],
        "NAUTOBOT_DB_PORT": str(settings_dict["PORT"]),
        "NAUTOBOT_DB_USER": settings_dict["USER"],
        "NAUTOBOT_DB_PASSWORD": settings_dict["PASSWORD"],
        # The cache of the test run, never a developer's; queued Celery tasks go nowhere; static files stay here.
        "NAUTOBOT_REDIS_DB": redis_db,
        "NAUTOBOT_CELERY_BROKER_URL": "memory://",
        "NAUTOBOT_STATIC_ROOT": str(tmp_path / "static"),
    }
    command = [sys.executable, "-m", "nautobot.core.cli", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def app_tables():
    """Database tables of the app's models, many-to-many tables included."""
    models = apps.get_app_config(APP).get_models(include_auto_created=True)
    return sorted({model._meta.db_table for model in models if model._meta.managed})


def app_models_with_a_status():
    """Names of the app's models that have a status, whose statuses the app seeds."""
    return {
        model._meta.model_name
        for model in apps.get_app_config(APP).get_models()
        if any(field.is_relation and field.related_model is Status for field in model._meta.fields)
    }


def app_migrations():
    """Names of the app's migrations on disk."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(name for app_label, name in loader.disk_migrations if app_label == APP)


def recorded_migrations(scratch, cursor):
    """Names of the app's migrations the scratch database records as applied."""
    table = scratch.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    cursor.execute(f"SELECT name FROM {table} WHERE app = %s", [APP])  # noqa: S608
    return sorted(name for (name,) in cursor.fetchall())


def row_counts(scratch, cursor, tables):
    """{table: number of rows} in the scratch database."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {scratch.ops.quote_name(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def detach_app_statuses(scratch, cursor):
    """Remove the links between statuses and the app's models, as on a database the app was never set up on."""
    through = Status._meta.get_field("content_types").remote_field.through._meta
    qn = scratch.ops.quote_name
    cursor.execute(
        f"DELETE FROM {qn(through.db_table)} WHERE {qn('contenttype_id')} IN "  # noqa: S608
        f"(SELECT {qn('id')} FROM {qn('django_content_type')} WHERE {qn('app_label')} = %s)",
        [APP],
    )


def models_with_app_statuses(scratch, cursor):
    """Names of the app's models that have at least one status attached."""
    through = Status._meta.get_field("content_types").remote_field.through._meta
    qn = scratch.ops.quote_name
    cursor.execute(
        f"SELECT DISTINCT ct.{qn('model')} FROM {qn(through.db_table)} link "  # noqa: S608
        f"INNER JOIN {qn('django_content_type')} ct ON ct.{qn('id')} = link.{qn('contenttype_id')} "
        f"WHERE ct.{qn('app_label')} = %s",
        [APP],
    )
    return {model for (model,) in cursor.fetchall()}


def test_migrations_reverse_to_zero_with_demo_data_and_post_upgrade_applies_them_again(scratch_database, tmp_path):
    tables = app_tables()
    nautobot_server(scratch_database, tmp_path, "load_techmgmt_demo")
    device_table = Device._meta.db_table
    with scratch_cursor(scratch_database) as (scratch, cursor):
        demo_counts = row_counts(scratch, cursor, tables)
        devices = row_counts(scratch, cursor, [device_table])[device_table]
    assert devices > 0
    assert demo_counts["nautobot_techmgmt_technology"] > 0 and demo_counts["nautobot_techmgmt_skill"] > 0

    nautobot_server(scratch_database, tmp_path, "migrate", APP, "zero", "--no-input")
    with scratch_cursor(scratch_database) as (scratch, cursor):
        assert set(tables).isdisjoint(scratch.introspection.table_names(cursor))
        assert recorded_migrations(scratch, cursor) == []
        assert row_counts(scratch, cursor, [device_table])[device_table] == devices
        detach_app_statuses(scratch, cursor)

    # As an operator upgrades: post_upgrade migrates, then clears caches, traces cable paths, collects static
    # files, removes stale content types and expired sessions. Nothing of it needs a UI build or the network.
    nautobot_server(scratch_database, tmp_path, "post_upgrade")
    assert any((tmp_path / "static").iterdir())
    with scratch_cursor(scratch_database) as (scratch, cursor):
        assert set(tables) <= set(scratch.introspection.table_names(cursor))
        assert recorded_migrations(scratch, cursor) == app_migrations()
        assert models_with_app_statuses(scratch, cursor) == app_models_with_a_status()
        # The upgrade asked for a rebuild of the knowledge state, started on a worker (none runs here: it waits).
        cursor.execute(f"SELECT status, reason FROM {KnowledgeRefresh._meta.db_table}")  # noqa: S608 (model metadata)
        assert ("pending", "upgrade") in cursor.fetchall()
        # The core role that makes contact associations count as custodians exists without an admin step.
        cursor.execute(f"SELECT name FROM {Role._meta.db_table} WHERE name = %s", ["Custodian"])  # noqa: S608
        assert cursor.fetchall() == [("Custodian",)]

    nautobot_server(scratch_database, tmp_path, "load_techmgmt_demo")
    with scratch_cursor(scratch_database) as (scratch, cursor):
        assert row_counts(scratch, cursor, tables) == demo_counts
