"""Which technologies are in use on which objects: scope matching over live inventory, in SQL.

A scope matches an object when its target is the object itself or one of the object's attributes
(platform, manufacturer via device type, device type, software version, role, location or an ancestor
location, a dynamic group the object is a member of, circuit type, provider, cluster type). Every
question is answered by one UNION query per object type, whatever the number of objects.
"""

import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from nautobot_techmgmt.models import TechnologyScope


@dataclass(frozen=True)
class ObjectType:
    """How the scope target fields map onto the columns of one kind of inventory object."""

    key: str  # plural name used in answers: "devices"
    model_label: str  # "dcim.device"
    from_sql: str  # FROM clause; the object is aliased `o`
    columns: dict = field(default_factory=dict)  # scope target field -> SQL expression

    @property
    def model(self):
        """The Django model class."""
        return apps.get_model(self.model_label)

    @property
    def content_type(self):
        """The model's content type (made if missing: a first migrate makes content types after our signals run)."""
        return ContentType.objects.get_for_model(self.model)


OBJECT_TYPES = (
    ObjectType(
        key="devices",
        model_label="dcim.device",
        from_sql="dcim_device o INNER JOIN dcim_devicetype o_dt ON o_dt.id = o.device_type_id",
        columns={
            "device": "o.id",
            "device_type": "o.device_type_id",
            "manufacturer": "o_dt.manufacturer_id",
            "platform": "o.platform_id",
            "software_version": "o.software_version_id",
            "device_role": "o.role_id",
            "location": "o.location_id",
        },
    ),
    ObjectType(
        key="circuits",
        model_label="circuits.circuit",
        from_sql="circuits_circuit o",
        columns={"circuit": "o.id", "circuit_type": "o.circuit_type_id", "provider": "o.provider_id"},
    ),
    ObjectType(
        key="virtual_machines",
        model_label="virtualization.virtualmachine",
        from_sql=(
            "virtualization_virtualmachine o LEFT OUTER JOIN virtualization_cluster o_cl ON o_cl.id = o.cluster_id"
        ),
        columns={
            "virtual_machine": "o.id",
            "platform": "o.platform_id",
            "software_version": "o.software_version_id",
            "device_role": "o.role_id",
            "cluster_type": "o_cl.cluster_type_id",
            "location": "o_cl.location_id",
        },
    ),
    ObjectType(
        key="clusters",
        model_label="virtualization.cluster",
        from_sql="virtualization_cluster o",
        columns={"cluster": "o.id", "cluster_type": "o.cluster_type_id", "location": "o.location_id"},
    ),
)
OBJECT_TYPES_BY_KEY = {object_type.key: object_type for object_type in OBJECT_TYPES}
OBJECT_TYPES_BY_LABEL = {object_type.model_label: object_type for object_type in OBJECT_TYPES}

SCOPE_TABLE = TechnologyScope._meta.db_table

# Every scope location with itself and all its descendants: (root_id, location_id).
SCOPE_LOCATIONS_CTE = f"""
scope_locations (root_id, location_id) AS (
    SELECT DISTINCT location_id, location_id FROM {SCOPE_TABLE} WHERE location_id IS NOT NULL
    UNION ALL
    SELECT sl.root_id, child.id FROM scope_locations sl
    INNER JOIN dcim_location child ON child.parent_id = sl.location_id
)"""


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
    content_type = object_type.content_type
    where, params_tail = "", []
    if object_ids is not None:
        where = f" AND o.id IN ({', '.join(['%s'] * len(object_ids))})"
        params_tail = [db_value(pk) for pk in object_ids]
    selects, params = [], []
    for target_field, column in object_type.columns.items():
        if target_field == "location":
            selects.append(
                f"SELECT s.technology_id, o.id AS object_id FROM {SCOPE_TABLE} s "
                f"INNER JOIN scope_locations sl ON sl.root_id = s.location_id "
                f"INNER JOIN {object_type.from_sql} ON {column} = sl.location_id WHERE 1=1{where}"
            )
        else:
            selects.append(
                f"SELECT s.technology_id, o.id AS object_id FROM {SCOPE_TABLE} s "
                f"INNER JOIN {object_type.from_sql} ON {column} = s.{target_field}_id WHERE 1=1{where}"
            )
        params += params_tail
    selects.append(
        f"SELECT s.technology_id, o.id AS object_id FROM {SCOPE_TABLE} s "
        f"INNER JOIN extras_staticgroupassociation a ON a.dynamic_group_id = s.dynamic_group_id "
        f"AND a.associated_object_type_id = %s "
        f"INNER JOIN {object_type.from_sql} ON o.id = a.associated_object_id WHERE 1=1{where}"
    )
    params += [content_type.pk, *params_tail]
    return "\nUNION\n".join(selects), params


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {SCOPE_LOCATIONS_CTE}\n{sql}", params)
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
    """Ids of the technologies in use on one Device, Circuit, VirtualMachine or Cluster."""
    object_type = object_type_for(obj)
    if object_type is None:
        return set()
    return {technology_id for technology_id, _ in in_use_pairs(object_type, [obj.pk])}
