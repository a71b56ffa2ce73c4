"""The engine's SQL vocabulary, read from model metadata: tables, columns and joins of the registry's relation paths.

Nothing here names a core table or column by hand. Each relation path of `object_types.py` is walked field by field
through `_meta`; a path that no longer leads, by forward foreign keys, to the model its rule target names raises
`SchemaMismatch` naming the model and the field, so a Nautobot release that reshapes a core model fails the app's
tests (and the first query) with a clear message instead of matching the wrong objects.
"""

import functools
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from nautobot_techmgmt.object_types import (
    OBJECT_TYPES,
    OBJECT_TYPES_BY_FIELD,
    RULE_TARGETS,
    RULE_TARGETS_BY_FIELD,
    TARGET_MODELS,
)

OBJECT_ALIAS = "o"


class SchemaMismatch(LookupError):
    """A model the engine's SQL relies on no longer has the shape the registry expects."""


def quote(name):
    """A table or column name quoted for the database."""
    return connection.ops.quote_name(name)


def model_of(label):
    """The model class of a label, or SchemaMismatch."""
    try:
        return apps.get_model(label)
    except LookupError as error:
        raise SchemaMismatch(f"Model {label} does not exist any more: {error}") from error


def foreign_key(model, name, to=None):
    """The forward foreign key `name` of `model` (to the model labelled `to`, if given), or SchemaMismatch."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise SchemaMismatch(f"{model._meta.label}.{name} does not exist any more.") from error
    if not (model_field.many_to_one and model_field.concrete):
        raise SchemaMismatch(f"{model._meta.label}.{name} is no longer a foreign key ({type(model_field).__name__}).")
    if to is not None and model_field.related_model._meta.label_lower != to.lower():
        raise SchemaMismatch(
            f"{model._meta.label}.{name} points at {model_field.related_model._meta.label}, not at {to} any more."
        )
    return model_field


def column(model, name):
    """The database column of a concrete field, or SchemaMismatch."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise SchemaMismatch(f"{model._meta.label}.{name} does not exist any more.") from error
    if not model_field.concrete:
        raise SchemaMismatch(f"{model._meta.label}.{name} is no longer a column.")
    return model_field.column


def resolve_path(model, path, to):
    """The foreign keys a relation path walks from `model`; the last one must point at the model labelled `to`."""
    names = path.split("__")
    hops = []
    for position, name in enumerate(names):
        last = position == len(names) - 1
        model_field = foreign_key(model, name, to if last else None)
        hops.append(model_field)
        model = model_field.related_model
    return hops


@dataclass(frozen=True)
class Path:
    """One relation path as SQL: the joins it needs (from the object aliased `o`) and the column holding the id."""

    joins: tuple  # ((alias, table, on_sql), ...)
    column: str  # "o.\"platform_id\"" or "j_device_type.\"manufacturer_id\""


def path_sql(model, path, to):
    """A relation path from `model` (aliased `o`) as joins and the column of the target's id."""
    alias, joins = OBJECT_ALIAS, []
    hops = resolve_path(model, path, to)
    for position, model_field in enumerate(hops[:-1]):
        joined = "j_" + "_".join(hop.name for hop in hops[: position + 1])
        related = model_field.related_model
        on = f"{joined}.{quote(related._meta.pk.column)} = {alias}.{quote(model_field.column)}"
        joins.append((joined, quote(related._meta.db_table), on))
        alias = joined
    return Path(joins=tuple(joins), column=f"{alias}.{quote(hops[-1].column)}")


def from_sql(table, paths, kind="INNER"):
    """`table o` with the joins of the given Paths (each alias once)."""
    seen, parts = set(), [f"{table} {OBJECT_ALIAS}"]
    for path in paths:
        for alias, joined_table, on in path.joins:
            if alias not in seen:
                seen.add(alias)
                parts.append(f"{kind} JOIN {joined_table} {alias} ON {on}")
    return " ".join(parts)


@dataclass(frozen=True)
class ObjectSQL:
    """One object type as SQL: its table, primary key, and per target field the Paths that reach the target."""

    table: str
    pk: str  # "o.\"id\""
    paths: dict  # target field -> (Path, ...); the object's own field -> (Path(column=pk),)


@functools.cache
def object_sql(object_type):
    """The SQL of one object type, from its model's metadata and its registry paths."""
    model = model_of(object_type.model_label)
    pk = f"{OBJECT_ALIAS}.{quote(model._meta.pk.column)}"
    paths = {object_type.field: (Path(joins=(), column=pk),)}
    for target_field, relation_paths in object_type.reach.items():
        to = RULE_TARGETS_BY_FIELD[target_field].model_label
        paths[target_field] = tuple(path_sql(model, path, to) for path in relation_paths)
    return ObjectSQL(table=quote(model._meta.db_table), pk=pk, paths=paths)


def containing_paths(object_type):
    """{other object type field: (Path,)}: the objects of other types whose change reaches this type's objects."""
    model = model_of(object_type.model_label)
    return {
        field: (path_sql(model, name, OBJECT_TYPES_BY_FIELD[field].model_label),)
        for field, name in object_type.contained_in.items()
    }


@dataclass(frozen=True)
class TreeSQL:
    """A tree rule target (locations) as SQL."""

    table: str
    pk: str
    parent: str


@functools.cache
def tree_sql(target):
    """Table, id and parent columns of a tree rule target."""
    model = model_of(target.model_label)
    foreign_key(model, target.tree_parent, target.model_label)
    return TreeSQL(
        table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column),
        parent=quote(column(model, target.tree_parent)),
    )


@functools.cache
def group_membership_sql():
    """Table and columns of dynamic-group memberships (`extras.StaticGroupAssociation`)."""
    model = model_of("extras.StaticGroupAssociation")
    foreign_key(model, "dynamic_group", "extras.DynamicGroup")
    foreign_key(model, "associated_object_type", "contenttypes.ContentType")
    return {
        "table": quote(model._meta.db_table),
        "group": quote(column(model, "dynamic_group")),
        "content_type": quote(column(model, "associated_object_type")),
        "object_id": quote(column(model, "associated_object_id")),
    }


def check_schema():
    """Resolve everything the engine's SQL relies on; raise SchemaMismatch naming the first model and field at fault."""
    for object_type in OBJECT_TYPES:
        object_sql.__wrapped__(object_type)
        containing_paths(object_type)
    for target in RULE_TARGETS:
        model_of(target.model_label)
        if target.tree_parent:
            tree_sql.__wrapped__(target)
    group_membership_sql.__wrapped__()
    for label in ("nautobot_techmgmt.TechnologyScope", "nautobot_techmgmt.Responsibility"):
        model = model_of(label)
        for name, to in TARGET_MODELS.items():
            foreign_key(model, name, to)
    knowledge = model_of("nautobot_techmgmt.ObjectKnowledge")
    for object_type in OBJECT_TYPES:
        foreign_key(knowledge, object_type.field, object_type.model_label)
