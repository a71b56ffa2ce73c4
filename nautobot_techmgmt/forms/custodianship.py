"""Forms of responsibilities."""

from django import forms
from nautobot.apps.forms import (
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    TagFilterField,
    TagsBulkEditFormMixin,
    add_blank_choice,
)
from nautobot.extras.models import Team

from nautobot_techmgmt.choices import ResponsibilityRoleChoices
from nautobot_techmgmt.filters.targets import target_type_choices
from nautobot_techmgmt.forms.targets import InventoryTargetFilterFormMixin, InventoryTargetFormMixin
from nautobot_techmgmt.models import Expert, Responsibility, Technology
from nautobot_techmgmt.models.targets import TARGET_FIELDS


class ResponsibilityForm(InventoryTargetFormMixin, NautobotModelForm):
    """Add or edit a responsibility: one assignee, a role, and a technology and/or a target."""

    team = DynamicModelChoiceField(queryset=Team.objects.all(), required=False)
    expert = DynamicModelChoiceField(queryset=Expert.objects.all(), required=False)
    technology = DynamicModelChoiceField(
        queryset=Technology.objects.all(),
        required=False,
        help_text="Leave blank for a responsibility that covers every technology of the target.",
    )

    # Every model field is in the form; this is only the order they are shown in.
    field_order = [
        "team",
        "expert",
        "role",
        "technology",
        *TARGET_FIELDS,
        "escalation_tier",
        "hours_per_week",
        "comments",
        "tags",
    ]

    class Meta:
        model = Responsibility
        fields = "__all__"


class ResponsibilityBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many responsibilities at once."""

    pk = forms.ModelMultipleChoiceField(queryset=Responsibility.objects.all(), widget=forms.MultipleHiddenInput())
    role = forms.ChoiceField(choices=add_blank_choice(ResponsibilityRoleChoices), required=False)
    technology = DynamicModelChoiceField(queryset=Technology.objects.all(), required=False)
    escalation_tier = forms.IntegerField(min_value=1, max_value=9, required=False)
    hours_per_week = forms.DecimalField(min_value=0, max_value=60, decimal_places=1, required=False)
    comments = forms.CharField(widget=forms.Textarea, required=False)

    class Meta:
        nullable_fields = ["technology", "hours_per_week", "comments"]


class ResponsibilityFilterForm(InventoryTargetFilterFormMixin, NautobotFilterForm):
    """Filter the responsibility list."""

    model = Responsibility
    field_order = ["q", "team", "expert", "role", "technology", "escalation_tier", "target_type"]
    q = forms.CharField(required=False, label="Search")
    team = DynamicModelMultipleChoiceField(queryset=Team.objects.all(), to_field_name="name", required=False)
    expert = DynamicModelMultipleChoiceField(queryset=Expert.objects.all(), required=False)
    role = forms.MultipleChoiceField(choices=ResponsibilityRoleChoices, required=False)
    technology = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False, null_option="None"
    )
    escalation_tier = forms.IntegerField(min_value=1, max_value=9, required=False)
    target_type = forms.MultipleChoiceField(choices=target_type_choices(Responsibility), required=False)
    tags = TagFilterField(model)
