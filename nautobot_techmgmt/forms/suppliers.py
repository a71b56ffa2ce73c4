"""Forms of suppliers and support contracts."""

from django import forms
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.forms import (
    CommentField,
    DatePicker,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    NullableDateField,
    TagFilterField,
    TagsBulkEditFormMixin,
    add_blank_choice,
)

from nautobot_techmgmt.choices import SupportLevelChoices
from nautobot_techmgmt.forms.fields import FilterDateField
from nautobot_techmgmt.models import Supplier, SupportContract, Technology


class SupplierForm(NautobotModelForm):
    """Add or edit a supplier."""

    comments = CommentField()

    # Every model field is in the form; this is only the order they are shown in.
    field_order = ["name", "account_manager", "phone", "email", "url", "description", "comments", "tags"]

    class Meta:
        model = Supplier
        fields = "__all__"


class SupplierBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many suppliers at once."""

    pk = forms.ModelMultipleChoiceField(queryset=Supplier.objects.all(), widget=forms.MultipleHiddenInput())
    account_manager = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)
    phone = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)
    email = forms.EmailField(required=False, label="E-mail")
    url = forms.URLField(required=False, label="URL")
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["account_manager", "phone", "email", "url", "description"]


class SupplierFilterForm(NautobotFilterForm):
    """Filter the supplier list."""

    model = Supplier
    q = forms.CharField(required=False, label="Search")
    tags = TagFilterField(model)


class SupportContractForm(NautobotModelForm):
    """Add or edit a support contract."""

    supplier = DynamicModelChoiceField(queryset=Supplier.objects.all())
    technologies = DynamicModelMultipleChoiceField(queryset=Technology.objects.all(), required=False)

    # Every model field is in the form; this is only the order they are shown in.
    field_order = [
        "supplier",
        "reference",
        "technologies",
        "support_level",
        "start_date",
        "end_date",
        "cost",
        "hours_per_month",
        "description",
        "tags",
    ]

    class Meta:
        model = SupportContract
        fields = "__all__"
        widgets = {"start_date": DatePicker(), "end_date": DatePicker()}


class SupportContractBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many support contracts at once."""

    pk = forms.ModelMultipleChoiceField(queryset=SupportContract.objects.all(), widget=forms.MultipleHiddenInput())
    supplier = DynamicModelChoiceField(queryset=Supplier.objects.all(), required=False)
    add_technologies = DynamicModelMultipleChoiceField(queryset=Technology.objects.all(), required=False)
    remove_technologies = DynamicModelMultipleChoiceField(queryset=Technology.objects.all(), required=False)
    support_level = forms.ChoiceField(choices=add_blank_choice(SupportLevelChoices), required=False)
    start_date = forms.DateField(required=False, widget=DatePicker())
    end_date = NullableDateField(required=False, widget=DatePicker())
    cost = forms.DecimalField(min_value=0, decimal_places=2, required=False)
    hours_per_month = forms.DecimalField(min_value=0, max_digits=7, decimal_places=1, required=False)
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["end_date", "cost", "hours_per_month", "description"]


class SupportContractFilterForm(NautobotFilterForm):
    """Filter the support contract list."""

    model = SupportContract
    field_order = ["q", "supplier", "technologies", "support_level"]
    q = forms.CharField(required=False, label="Search")
    supplier = DynamicModelMultipleChoiceField(queryset=Supplier.objects.all(), to_field_name="name", required=False)
    technologies = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False
    )
    support_level = forms.MultipleChoiceField(choices=SupportLevelChoices, required=False)
    start_date = FilterDateField(required=False, widget=DatePicker())
    end_date = FilterDateField(required=False, widget=DatePicker())
    tags = TagFilterField(model)
