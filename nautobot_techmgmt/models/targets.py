"""The inventory objects and rule targets a scope or a responsibility can point at."""

from django.core.exceptions import ValidationError
from django.db import models

# Re-exported: the rest of the app reads the target lists from here.
from nautobot_techmgmt.object_types import (  # noqa: F401  pylint: disable=unused-import
    OBJECT_TARGET_FIELDS,
    RULE_TARGETS,
    TARGET_FIELDS,
    TARGET_MODELS,
    TARGET_VERBOSE_NAMES,
    human_list,
    object_type_names,
)

RULE_VERBOSE_NAMES = [target.verbose_name for target in RULE_TARGETS]


def _target_fk(model, verbose_name):
    # Deleting the inventory object removes the rule that points at it: a scope or a
    # responsibility for an object that no longer exists has no meaning.
    return models.ForeignKey(
        to=model,
        on_delete=models.CASCADE,
        related_name="techmgmt_%(class)s_set",
        null=True,
        blank=True,
        verbose_name=verbose_name,
    )


# One optional foreign key per target field of the registry (object_types.py), in its order.
_TargetFields = type(
    "_TargetFields",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **{name: _target_fk(label, TARGET_VERBOSE_NAMES[name]) for name, label in TARGET_MODELS.items()},
    },
)


class InventoryTargetMixin(_TargetFields):
    """Abstract base: one optional foreign key per kind of target, at most one of them set."""

    class Meta:
        abstract = True

    @property
    def target_field(self):
        """Name of the target field that is set, or None."""
        for field_name in TARGET_FIELDS:
            if getattr(self, f"{field_name}_id") is not None:
                return field_name
        return None

    @property
    def target(self):
        """The object this record points at, or None."""
        field_name = self.target_field
        return getattr(self, field_name) if field_name else None

    @property
    def target_type(self):
        """Human name of the kind of target ("device type"), or None."""
        field_name = self.target_field
        return self._meta.get_field(field_name).verbose_name if field_name else None

    def set_target_fields(self):
        """Names of every target field that holds a value."""
        return [name for name in TARGET_FIELDS if getattr(self, f"{name}_id") is not None]

    def clean_target(self, required):
        """Check that at most one target (exactly one where `required`) is set."""
        chosen = self.set_target_fields()
        if len(chosen) > 1:
            raise ValidationError(
                {name: f"Choose only one target; {', '.join(chosen)} are all set." for name in chosen}
            )
        if required and not chosen:
            raise ValidationError(
                {
                    "__all__": f"Choose a target: a {object_type_names()}, or a rule target "
                    f"({human_list(RULE_VERBOSE_NAMES)})."
                }
            )
