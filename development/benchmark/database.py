"""The benchmark's own PostgreSQL databases: created from the migrated template when there is one, else migrated.

Only databases whose name starts with OWNED_PREFIX are ever dropped.
"""

import os
import time

import psycopg2
from psycopg2 import errorcodes, sql

TEMPLATE = "techmgmt_template"
OWNED_PREFIX = "techmgmt_bench"


def default_name(scale):
    """The database that holds the estate of a scale."""
    return f"{OWNED_PREFIX}_{scale}"


def is_owned(name):
    """Whether the benchmark may drop and rebuild this database."""
    return name.startswith(OWNED_PREFIX)


def _server():
    connection = psycopg2.connect(
        dbname="postgres",
        host=os.environ.get("NAUTOBOT_DB_HOST", "127.0.0.1"),
        port=os.environ.get("NAUTOBOT_DB_PORT", "5432"),
        user=os.environ.get("NAUTOBOT_DB_USER", "postgres"),
        password=os.environ.get("NAUTOBOT_DB_PASSWORD", ""),
    )
    connection.autocommit = True
    return connection


def _exists(cursor, name):
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def create(name, template=TEMPLATE, attempts=10):
    """Create the database if it does not exist; return True when it still needs `migrate`.

    A copy of the template is already migrated. Copying waits while someone else is connected to the template.
    """
    connection = _server()
    try:
        with connection.cursor() as cursor:
            if _exists(cursor, name):
                return False
            if not _exists(cursor, template):
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return True
            for attempt in range(attempts):
                try:
                    cursor.execute(
                        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
                    )
                    return False
                except psycopg2.Error as error:
                    if error.pgcode != errorcodes.OBJECT_IN_USE or attempt == attempts - 1:
                        raise
                    time.sleep(3)
    finally:
        connection.close()
    return False


def drop(name):
    """Drop a database the benchmark owns, closing other sessions on it."""
    if not is_owned(name):
        raise ValueError(f"The benchmark drops only its own databases ({OWNED_PREFIX}...), not {name}.")
    connection = _server()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        connection.close()
