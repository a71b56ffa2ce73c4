"""Which technologies are in use on which objects: scope matching over live inventory, in SQL.

A scope matches an object when its target is the object itself, a dynamic group the object is a member of, or one of
the rule targets the registry (object_types.py) says the object reaches, by the relation paths it gives (a device's
manufacturer via its device type, a virtual machine's location via its cluster, a location's descendants too). Every
question is answered by one UNION query per object type, whatever the number of objects. Table and column names come
from model metadata (knowledge/schema.py), never typed here.
"""

import uuid

from django.db import connection

from nautobot_techmgmt.knowledge.schema import OBJECT_ALIAS, from_sql, group_membership_sql, object_sql, quote, tree_sql
from nautobot_techmgmt.models import TechnologyScope
from nautobot_techmgmt.object_types import (
    OBJECT_TYPES,
    OBJECT_TYPES_BY_LABEL,
    RULE_TARGETS,
    RULE_TARGETS_BY_FIELD,
)

TREE_TARGETS = tuple(target for target in RULE_TARGETS if target.tree_parent)


def scope_table():
    """The scope table, quoted."""
    return quote(TechnologyScope._meta.db_table)


def scope_column(target_field):
    """The scope's column of a target field, quoted."""
    return quote(TechnologyScope._meta.get_field(target_field).column)


def tree_cte(target, rules_table):
    """`scope_<field> (root_id, node_id)`: every node a rule of `rules_table` targets, with itself and all below it."""
    tree, rule_column = tree_sql(target), quote(rules_table._meta.get_field(target.field).column)
    table = quote(rules_table._meta.db_table)
    return f"""
scope_{target.field} (root_id, node_id) AS (
    SELECT DISTINCT {rule_column}, {rule_column} FROM {table} WHERE {rule_column} IS NOT NULL
    UNION ALL
    SELECT st.root_id, child.{tree.pk} FROM scope_{target.field} st
    INNER JOIN {tree.table} child ON child.{tree.parent} = st.node_id
)"""


def subtree_sql(target):
    """SQL (one %s: the root's id) of the ids of a tree node and everything below it."""
    tree = tree_sql(target)
    return (
        f"WITH RECURSIVE subtree (id) AS (SELECT {tree.pk} FROM {tree.table} WHERE {tree.pk} = %s UNION ALL "
        f"SELECT child.{tree.pk} FROM {tree.table} child INNER JOIN subtree ON child.{tree.parent} = subtree.id) "
        f"SELECT id FROM subtree"
    )


def object_type_for(obj):
    """The ObjectType of a model instance or class, or None if the app does not track it."""
    return OBJECT_TYPES_BY_LABEL.get(obj._meta.label_lower)


def db_value(pk):
    """A primary key as the database driver expects it (uuid on PostgreSQL, hex on MySQL)."""
    return TechnologyScope._meta.pk.get_db_prep_value(
        pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)), connection
    )


def to_uuid(value):
    """A UUID from whatever the driver returned."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _pairs_sql(object_type, object_ids=None):
    """SQL (and params) that selects distinct (technology_id, object_id) pairs for one object type."""
    sql = object_sql(object_type)
    scopes, technology = scope_table(), scope_column("technology")
    where, params_tail = "", []
    if object_ids is not None:
        where = f" WHERE {sql.pk} IN ({', '.join(['%s'] * len(object_ids))})"
        params_tail = [db_value(pk) for pk in object_ids]
    selects, params = [], []
    for target_field, paths in sql.paths.items():
        target = RULE_TARGETS_BY_FIELD.get(target_field)
        for path in paths:
            objects = from_sql(sql.table, [path])
            if target is not None and target.tree_parent:
                rule_join = (
                    f"INNER JOIN scope_{target_field} st ON st.node_id = {path.column} "
                    f"INNER JOIN {scopes} s ON s.{scope_column(target_field)} = st.root_id"
                )
            else:
                rule_join = f"INNER JOIN {scopes} s ON s.{scope_column(target_field)} = {path.column}"
            selects.append(
                f"SELECT s.{technology} AS technology_id, {sql.pk} AS object_id FROM {objects} {rule_join}{where}"
            )
            params += params_tail
    groups = group_membership_sql()
    selects.append(
        f"SELECT s.{technology} AS technology_id, {sql.pk} AS object_id FROM {sql.table} {OBJECT_ALIAS} "
        f"INNER JOIN {groups['table']} a ON a.{groups['object_id']} = {sql.pk} AND a.{groups['content_type']} = %s "
        f"INNER JOIN {scopes} s ON s.{scope_column('dynamic_group')} = a.{groups['group']}{where}"
    )
    params += [object_type.content_type.pk, *params_tail]
    return "\nUNION\n".join(selects), params


def _run(sql, params):
    ctes = ", ".join(tree_cte(target, TechnologyScope) for target in TREE_TARGETS)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {ctes}\n{sql}" if ctes else sql, params)
        return cursor.fetchall()


def all_in_use_pairs():
    """Every (object type key, technology_id, object_id) of every object type, in one query."""
    parts, params = [], []
    for object_type in OBJECT_TYPES:
        pairs_sql, pairs_params = _pairs_sql(object_type)
        parts.append(f"SELECT '{object_type.key}' AS object_type, p.technology_id, p.object_id FROM ({pairs_sql}) p")
        params += pairs_params
    return [
        (key, to_uuid(technology_id), to_uuid(object_id))
        for key, technology_id, object_id in _run("\nUNION ALL\n".join(parts), params)
    ]


def in_use_pairs(object_type, object_ids=None):
    """Set of (technology_id, object_id) for one object type, optionally only for the given objects."""
    if object_ids is not None and not object_ids:
        return set()
    sql, params = _pairs_sql(object_type, object_ids)
    return {(to_uuid(technology_id), to_uuid(object_id)) for technology_id, object_id in _run(sql, params)}


def technology_ids_on(obj):
    """Ids of the technologies in use on one inventory object (of any type of the registry)."""
    object_type = object_type_for(obj)
    if object_type is None:
        return set()
    return {technology_id for technology_id, _ in in_use_pairs(object_type, [obj.pk])}
