"""Add/edit, bulk-edit and filter forms of effort models.

The hours per object in use live in one JSON field ({object type key: hours per object per month}); the forms show
them as one number field per object type of the registry, blank for a value the model inherits.
"""

from django import forms
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.forms import (
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    StaticSelect2Multiple,
    TagFilterField,
    TagsBulkEditFormMixin,
)

from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.models import EffortModel, Technology
from nautobot_techmgmt.models.capacity import MAX_HOURS_PER_OBJECT
from nautobot_techmgmt.object_types import OBJECT_TYPES


def hours_field_name(object_type):
    """The form field of an object type's hours: "hours_per_device"."""
    return f"hours_per_{object_type.field}"


HOURS_FIELD_NAMES = tuple(hours_field_name(object_type) for object_type in OBJECT_TYPES)


def hours_fields():
    """{field name: number field} of every object type: hours per object in use per month, blank to inherit."""
    return {
        hours_field_name(object_type): forms.DecimalField(
            required=False,
            min_value=0,
            max_value=MAX_HOURS_PER_OBJECT,
            decimal_places=3,
            label=f"Hours per {object_type.verbose_name} per month",
            help_text=f"Per {object_type.verbose_name} in use; blank: inherited.",
        )
        for object_type in OBJECT_TYPES
    }


class EffortModelForm(NautobotModelForm):
    """Add or edit an effort model: for a technology or a category, one number per object type."""

    technology = DynamicModelChoiceField(
        queryset=Technology.objects.all(),
        required=False,
        help_text="The technology this model is for; leave blank for a category's default.",
    )

    field_order = [
        "technology",
        "category",
        "base_hours_per_week",
        *HOURS_FIELD_NAMES,
        "gap_uplift_percent",
        "description",
        "tags",
    ]

    class Meta:
        model = EffortModel
        # All but hours_per_object: it is shown as one number field per object type, packed into it by clean().
        fields = [  # pylint: disable=nb-use-fields-all
            "technology",
            "category",
            "base_hours_per_week",
            "gap_uplift_percent",
            "description",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        """Add the hours fields, filled in from the model's values (an initial value given wins)."""
        super().__init__(*args, **kwargs)
        values = self.instance.hours_per_object or {}
        for object_type, (name, field) in zip(OBJECT_TYPES, hours_fields().items(), strict=True):
            self.fields[name] = field
            if name not in self.initial and object_type.key in values:
                self.initial[name] = values[object_type.key]
        self.order_fields(self.field_order)

    def clean(self):
        """Pack the hours fields given into `hours_per_object`; the model's clean() checks the rest."""
        super().clean()
        self.instance.hours_per_object = {
            object_type.key: float(self.cleaned_data[name])
            for object_type, name in zip(OBJECT_TYPES, HOURS_FIELD_NAMES, strict=True)
            if self.cleaned_data.get(name) is not None
        }
        return self.cleaned_data


class EffortModelBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many effort models at once: a value given is set on each; cleared hours per object are inherited."""

    pk = forms.ModelMultipleChoiceField(queryset=EffortModel.objects.all(), widget=forms.MultipleHiddenInput())
    base_hours_per_week = forms.DecimalField(min_value=0, max_value=168, decimal_places=2, required=False)
    gap_uplift_percent = forms.DecimalField(
        min_value=0, max_value=500, decimal_places=1, required=False, label="Gap uplift (%)"
    )
    inherit_hours_per = forms.MultipleChoiceField(
        choices=[(object_type.key, object_type.verbose_name) for object_type in OBJECT_TYPES],
        required=False,
        widget=StaticSelect2Multiple(),
        label="Inherit hours per",
        help_text="Clear the hours per object of these types, so that each model inherits them.",
    )
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["base_hours_per_week", "gap_uplift_percent", "description"]

    def __init__(self, *args, **kwargs):
        """Add the hours fields."""
        super().__init__(*args, **kwargs)
        self.fields.update(hours_fields())
        self.order_fields(["base_hours_per_week", *HOURS_FIELD_NAMES, "inherit_hours_per", "gap_uplift_percent"])

    def post_save(self, obj):
        """Set or clear the hours per object of a saved model as the form says (they are no model fields)."""
        super().post_save(obj)
        hours = dict(obj.hours_per_object)
        for object_type, name in zip(OBJECT_TYPES, HOURS_FIELD_NAMES, strict=True):
            if object_type.key in self.cleaned_data.get("inherit_hours_per", ()):
                hours.pop(object_type.key, None)
            elif self.cleaned_data.get(name) is not None:
                hours[object_type.key] = float(self.cleaned_data[name])
        if hours != obj.hours_per_object:
            obj.hours_per_object = hours
            obj.validated_save()


class EffortModelFilterForm(NautobotFilterForm):
    """Filter the effort model list."""

    model = EffortModel
    field_order = ["q", "technology", "category"]
    q = forms.CharField(required=False, label="Search")
    technology = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False, label="Technology"
    )
    category = forms.MultipleChoiceField(
        choices=TechnologyCategoryChoices, required=False, widget=StaticSelect2Multiple()
    )
    tags = TagFilterField(model)
