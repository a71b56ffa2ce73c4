"""Edit, bulk-edit and filter forms of the gap register.

The engine opens and closes gaps and keeps what a gap is (kind, technology, severity, dates, affected objects);
people only work on them: status, owner and remediation.
"""

from django import forms
from nautobot.apps.constants import BOOLEAN_WITH_BLANK_CHOICES
from nautobot.apps.forms import (
    CommentField,
    DatePicker,
    DateTimePicker,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    NullableDateField,
    StaticSelect2,
    StaticSelect2Multiple,
    TagFilterField,
    TagsBulkEditFormMixin,
    add_blank_choice,
)
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt.choices import GapKindChoices, GapSeverityChoices, GapStatusChoices
from nautobot_techmgmt.forms.fields import FilterDateField, FilterDateTimeField
from nautobot_techmgmt.models import KnowledgeGap, Responsibility, SupportContract, Technology, TrainingPlan

# Statuses a person may give a gap; only the engine closes one, when it disappears.
WORK_STATUS_CHOICES = tuple(
    (value, label) for value, label in GapStatusChoices.CHOICES if value != GapStatusChoices.CLOSED
)


class KnowledgeGapForm(NautobotModelForm):
    """Work on a gap: its status, owner and remediation."""

    status = forms.ChoiceField(choices=WORK_STATUS_CHOICES, widget=StaticSelect2())
    owner_contact = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)
    owner_team = DynamicModelChoiceField(queryset=Team.objects.all(), required=False)
    training_plans = DynamicModelMultipleChoiceField(queryset=TrainingPlan.objects.all(), required=False)
    support_contract = DynamicModelChoiceField(queryset=SupportContract.objects.all(), required=False)
    responsibility = DynamicModelChoiceField(queryset=Responsibility.objects.all(), required=False)
    comments = CommentField()

    class Meta:
        model = KnowledgeGap
        # Only what people set: the engine's fields (kind, technology, severity, dates, figures) are not editable.
        fields = [  # pylint: disable=nb-use-fields-all
            "status",
            "risk_accepted_until",
            "owner_contact",
            "owner_team",
            "training_plans",
            "support_contract",
            "responsibility",
            "comments",
            "tags",
        ]
        widgets = {"risk_accepted_until": DatePicker()}

    def __init__(self, *args, **kwargs):
        """Offer the plans and contracts of the gap's technology; a closed gap keeps its status."""
        super().__init__(*args, **kwargs)
        if self.instance.closed is not None:
            self.fields["status"].choices = [
                (GapStatusChoices.CLOSED, GapStatusChoices.as_dict()[GapStatusChoices.CLOSED])
            ]
        if self.instance.technology_id:
            technology = str(self.instance.technology_id)
            self.fields["training_plans"].widget.add_query_param("technology", technology)
            self.fields["support_contract"].widget.add_query_param("technologies", technology)


class KnowledgeGapBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Work on many gaps at once: status, owner, accepted risk and support contract."""

    pk = forms.ModelMultipleChoiceField(queryset=KnowledgeGap.objects.all(), widget=forms.MultipleHiddenInput())
    status = forms.ChoiceField(choices=add_blank_choice(WORK_STATUS_CHOICES), required=False, widget=StaticSelect2())
    owner_contact = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)
    owner_team = DynamicModelChoiceField(queryset=Team.objects.all(), required=False)
    risk_accepted_until = NullableDateField(required=False, widget=DatePicker())
    support_contract = DynamicModelChoiceField(queryset=SupportContract.objects.all(), required=False)

    class Meta:
        nullable_fields = ["owner_contact", "owner_team", "risk_accepted_until", "support_contract"]


class KnowledgeGapFilterForm(NautobotFilterForm):
    """Filter the gap register."""

    model = KnowledgeGap
    field_order = [
        "q",
        "is_current",
        "status",
        "severity",
        "kind",
        "technology",
        "owner_contact",
        "owner_team",
        "opened__gte",
        "opened__lte",
        "closed__gte",
        "closed__lte",
        "risk_accepted_until__lte",
    ]
    q = forms.CharField(required=False, label="Search")
    is_current = forms.NullBooleanField(
        required=False, label="Exists now", widget=StaticSelect2(choices=BOOLEAN_WITH_BLANK_CHOICES)
    )
    status = forms.MultipleChoiceField(choices=GapStatusChoices, required=False, widget=StaticSelect2Multiple())
    severity = forms.MultipleChoiceField(choices=GapSeverityChoices, required=False, widget=StaticSelect2Multiple())
    kind = forms.MultipleChoiceField(choices=GapKindChoices, required=False, widget=StaticSelect2Multiple())
    technology = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False
    )
    owner_contact = DynamicModelMultipleChoiceField(
        queryset=Contact.objects.all(), to_field_name="name", required=False
    )
    owner_team = DynamicModelMultipleChoiceField(queryset=Team.objects.all(), to_field_name="name", required=False)
    opened__gte = FilterDateTimeField(required=False, widget=DateTimePicker(), label="Opened at or after")
    opened__lte = FilterDateTimeField(required=False, widget=DateTimePicker(), label="Opened at or before")
    closed__gte = FilterDateTimeField(required=False, widget=DateTimePicker(), label="Closed at or after")
    closed__lte = FilterDateTimeField(required=False, widget=DateTimePicker(), label="Closed at or before")
    risk_accepted_until__lte = FilterDateField(
        required=False, widget=DatePicker(), label="Risk accepted until, on or before"
    )
    tags = TagFilterField(model)
