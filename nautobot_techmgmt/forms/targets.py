"""Form fields shared by the models that point at an inventory object or rule target (one per registry entry)."""

from django import forms
from django.apps import apps
from nautobot.apps.forms import DynamicModelChoiceField, DynamicModelMultipleChoiceField

from nautobot_techmgmt.object_types import (
    OBJECT_TARGET_FIELDS,
    OBJECT_TYPES,
    RULE_TARGET_FIELDS,
    RULE_TARGETS,
    TARGET_FIELDS,
    TARGET_MODELS,
)

TARGET_LABELS = {
    **{object_type.field: object_type.verbose_name.capitalize() for object_type in OBJECT_TYPES},
    **{target.field: target.form_label for target in RULE_TARGETS},
}
TARGET_QUERY_PARAMS = {target.field: target.query_params for target in RULE_TARGETS if target.query_params}


def target_queryset(field_name):
    """Every object of the target field's model."""
    return apps.get_model(TARGET_MODELS[field_name]).objects.all()


def target_choice_field(field_name):
    """An optional single-object dropdown for one target field."""
    return DynamicModelChoiceField(
        queryset=target_queryset(field_name),
        required=False,
        label=TARGET_LABELS[field_name],
        query_params=TARGET_QUERY_PARAMS.get(field_name, {}),
    )


def target_filter_field(field_name):
    """An optional multi-object filter field for one target field."""
    return DynamicModelMultipleChoiceField(
        queryset=target_queryset(field_name), required=False, label=TARGET_LABELS[field_name]
    )


class TargetFieldGroups:
    """The bound target fields in two groups, for the template that lays them out (inc/target_form_fields.html).

    A mixin of Django forms, whose instances are subscriptable (`form[name]` is a bound field), which pylint cannot
    see from the mixin alone.
    """

    def object_target_fields(self):
        """Bound fields of the inventory objects."""
        return [self[name] for name in OBJECT_TARGET_FIELDS]  # pylint: disable=unsubscriptable-object

    def rule_target_fields(self):
        """Bound fields of the rule targets."""
        return [self[name] for name in RULE_TARGET_FIELDS]  # pylint: disable=unsubscriptable-object


# One optional dropdown per kind of target; the model's clean() decides how many may be set.
InventoryTargetFormMixin = type(
    "InventoryTargetFormMixin",
    (TargetFieldGroups, forms.Form),
    {"__module__": __name__, **{name: target_choice_field(name) for name in TARGET_FIELDS}},
)

# Filter fields for every kind of target; subclasses add `target_type` with their model's choices.
InventoryTargetFilterFormMixin = type(
    "InventoryTargetFilterFormMixin",
    (forms.Form,),
    {"__module__": __name__, **{name: target_filter_field(name) for name in TARGET_FIELDS}},
)
