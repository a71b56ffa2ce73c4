"""Make duplicate responsibilities impossible in the database, on PostgreSQL and MySQL/MariaDB alike.

The responsibility's team, expert, role, technology and target are kept in one non-null column with a unique
constraint. Responsibilities that already duplicate each other stop the upgrade before anything changes, with a
message that names them.
"""

from django.db import migrations, models

# The target fields as they were when this migration was written, most specific first.
TARGET_FIELDS = (
    "device",
    "circuit",
    "virtual_machine",
    "cluster",
    "dynamic_group",
    "device_type",
    "platform",
    "software_version",
    "device_role",
    "circuit_type",
    "provider",
    "cluster_type",
    "manufacturer",
    "location",
)


def assignment_key(responsibility):
    """Team, expert, role, technology and target as one string, as Responsibility.assignment_key() builds it."""
    target_field = next((name for name in TARGET_FIELDS if getattr(responsibility, f"{name}_id") is not None), None)
    parts = (
        responsibility.team_id,
        responsibility.expert_id,
        responsibility.role,
        responsibility.technology_id,
        target_field,
        getattr(responsibility, f"{target_field}_id") if target_field else None,
    )
    return "|".join("" if part is None else str(part) for part in parts)


def refuse_duplicates(apps, schema_editor):
    """Stop, naming them, if some responsibilities duplicate each other: an administrator must choose which stay."""
    Responsibility = apps.get_model("nautobot_techmgmt", "Responsibility")
    seen, duplicates = {}, []
    for responsibility in Responsibility.objects.using(schema_editor.connection.alias).order_by("created", "id"):
        key = assignment_key(responsibility)
        if key in seen:
            duplicates.append(f"{responsibility.pk} duplicates {seen[key]}")
        else:
            seen[key] = responsibility.pk
    if duplicates:
        raise RuntimeError(
            "These responsibilities have the same assignee, role, technology and target as another one; delete "
            f"them, then run the upgrade again: {'; '.join(duplicates)}."
        )


def fill_keys(apps, schema_editor):
    """Set the key of every existing responsibility."""
    Responsibility = apps.get_model("nautobot_techmgmt", "Responsibility")
    responsibilities = list(Responsibility.objects.using(schema_editor.connection.alias))
    for responsibility in responsibilities:
        responsibility._unique_key = assignment_key(responsibility)
    Responsibility.objects.using(schema_editor.connection.alias).bulk_update(
        responsibilities, ["_unique_key"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("nautobot_techmgmt", "0002_materialised_coverage"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddField(
            model_name="responsibility",
            name="_unique_key",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="responsibility",
            constraint=models.UniqueConstraint(
                fields=("_unique_key",),
                name="techmgmt_responsibility_unique_assignment",
                violation_error_message="This team or expert already has this role for this technology and target.",
            ),
        ),
    ]
