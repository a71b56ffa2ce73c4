"""Forms of technologies and technology scopes."""

from django import forms
from nautobot.apps.constants import BOOLEAN_WITH_BLANK_CHOICES, CHARFIELD_MAX_LENGTH
from nautobot.apps.forms import (
    BulkEditNullBooleanSelect,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    StaticSelect2,
    StatusModelBulkEditFormMixin,
    StatusModelFilterFormMixin,
    TagFilterField,
    TagsBulkEditFormMixin,
    add_blank_choice,
)
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.choices import SkillLevelChoices, TechnologyCategoryChoices
from nautobot_techmgmt.filters.targets import target_type_choices
from nautobot_techmgmt.forms.targets import InventoryTargetFilterFormMixin, InventoryTargetFormMixin
from nautobot_techmgmt.models import Technology, TechnologyScope
from nautobot_techmgmt.models.targets import TARGET_FIELDS


class TechnologyForm(NautobotModelForm):
    """Add or edit a technology."""

    parent = DynamicModelChoiceField(queryset=Technology.objects.all(), required=False)
    custodian_team = DynamicModelChoiceField(queryset=Team.objects.all(), required=False)
    technical_manager = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)

    # Every model field is in the form; this is only the order they are shown in.
    field_order = [
        "name",
        "parent",
        "category",
        "status",
        "custodian_team",
        "technical_manager",
        "required_experts",
        "qualified_level",
        "certification_required",
        "description",
        "tags",
    ]

    class Meta:
        model = Technology
        fields = "__all__"

    def clean(self):
        """Refuse a parent that would make a loop, with the message on the parent field."""
        super().clean()
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.present_in_database:
            if parent.pk in self.instance.cacheable_descendants_pks(include_self=True):
                self.add_error("parent", "A technology cannot sit under itself or under one of its own descendants.")
        return self.cleaned_data


class TechnologyBulkEditForm(TagsBulkEditFormMixin, StatusModelBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many technologies at once."""

    pk = forms.ModelMultipleChoiceField(queryset=Technology.objects.all(), widget=forms.MultipleHiddenInput())
    parent = DynamicModelChoiceField(queryset=Technology.objects.all(), required=False)
    category = forms.ChoiceField(choices=add_blank_choice(TechnologyCategoryChoices), required=False)
    custodian_team = DynamicModelChoiceField(queryset=Team.objects.all(), required=False)
    technical_manager = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)
    required_experts = forms.IntegerField(min_value=1, max_value=100, required=False)
    qualified_level = forms.TypedChoiceField(
        choices=add_blank_choice(SkillLevelChoices), coerce=int, empty_value=None, required=False
    )
    certification_required = forms.NullBooleanField(required=False, widget=BulkEditNullBooleanSelect)
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["parent", "custodian_team", "technical_manager", "description"]


class TechnologyFilterForm(StatusModelFilterFormMixin, NautobotFilterForm):
    """Filter the technology list."""

    model = Technology
    field_order = ["q", "parent", "category", "status", "custodian_team", "technical_manager"]
    q = forms.CharField(required=False, label="Search")
    parent = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False, null_option="None"
    )
    category = forms.MultipleChoiceField(choices=TechnologyCategoryChoices, required=False)
    custodian_team = DynamicModelMultipleChoiceField(queryset=Team.objects.all(), to_field_name="name", required=False)
    technical_manager = DynamicModelMultipleChoiceField(
        queryset=Contact.objects.all(), to_field_name="name", required=False
    )
    qualified_level = forms.MultipleChoiceField(choices=SkillLevelChoices, required=False)
    certification_required = forms.NullBooleanField(
        required=False, widget=StaticSelect2(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    has_children = forms.NullBooleanField(required=False, widget=StaticSelect2(choices=BOOLEAN_WITH_BLANK_CHOICES))
    tags = TagFilterField(model)


class TechnologyScopeForm(InventoryTargetFormMixin, NautobotModelForm):
    """Add or edit a technology scope: a technology and exactly one target."""

    technology = DynamicModelChoiceField(queryset=Technology.objects.all())

    # Every model field is in the form; this is only the order they are shown in.
    field_order = ["technology", *TARGET_FIELDS, "description", "tags"]

    class Meta:
        model = TechnologyScope
        fields = "__all__"


class TechnologyScopeBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many technology scopes at once."""

    pk = forms.ModelMultipleChoiceField(queryset=TechnologyScope.objects.all(), widget=forms.MultipleHiddenInput())
    technology = DynamicModelChoiceField(queryset=Technology.objects.all(), required=False)
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["description"]


class TechnologyScopeFilterForm(InventoryTargetFilterFormMixin, NautobotFilterForm):
    """Filter the technology scope list."""

    model = TechnologyScope
    field_order = ["q", "technology", "target_type"]
    q = forms.CharField(required=False, label="Search")
    technology = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False
    )
    target_type = forms.MultipleChoiceField(choices=target_type_choices(TechnologyScope), required=False)
    tags = TagFilterField(model)
