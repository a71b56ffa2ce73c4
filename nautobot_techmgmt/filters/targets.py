"""Filters shared by the models that point at an inventory object or rule target."""

import django_filters
from django.apps import apps
from django.db.models import Q
from nautobot.apps.filters import MultipleChoiceFilter, NaturalKeyOrPKMultipleChoiceFilter

from nautobot_techmgmt.object_types import TARGET_FIELDS, TARGET_LOOKUPS, TARGET_MODELS


def target_type_choices(model):
    """Choices of the `target_type` filter of `model`: one per target field, labelled with its verbose name."""
    return tuple((name, model._meta.get_field(name).verbose_name.capitalize()) for name in TARGET_FIELDS)


def target_filter(field_name):
    """A name-or-ID filter on one target field."""
    queryset, to_field_name = apps.get_model(TARGET_MODELS[field_name]).objects.all(), TARGET_LOOKUPS[field_name]
    label = f"{field_name.replace('_', ' ').capitalize()} ({to_field_name} or ID)"
    return NaturalKeyOrPKMultipleChoiceFilter(queryset=queryset, to_field_name=to_field_name, label=label)


def target_type_filter(model):
    """A filter on the kind of target a record of `model` points at."""
    return MultipleChoiceFilter(choices=target_type_choices(model), method="filter_target_type", label="Target type")


class TargetTypeFilterMixin:
    """The method behind `target_type`."""

    def filter_target_type(self, queryset, name, value):  # pylint: disable=unused-argument
        """Records whose target is one of the chosen kinds."""
        if not value:
            return queryset
        query = Q()
        for field_name in value:
            query |= Q(**{f"{field_name}__isnull": False})
        return queryset.filter(query)


# Mixin: one name-or-ID filter per target field; subclasses add `target_type = target_type_filter(Model)`.
InventoryTargetFilterSetMixin = type(
    "InventoryTargetFilterSetMixin",
    (TargetTypeFilterMixin, django_filters.FilterSet),
    {"__module__": __name__, **{name: target_filter(name) for name in TARGET_FIELDS}},
)
