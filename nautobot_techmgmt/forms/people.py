"""Add/edit, bulk-edit and filter forms of experts, skills, certifications, agreements and training plans."""

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
    SmallTextarea,
    StaticSelect2,
    StaticSelect2Multiple,
    StatusModelBulkEditFormMixin,
    StatusModelFilterFormMixin,
    TagFilterField,
    TagsBulkEditFormMixin,
    add_blank_choice,
)
from nautobot.extras.models import Contact, Status, Team

from nautobot_techmgmt import models
from nautobot_techmgmt.choices import EmploymentTypeChoices, SkillLevelChoices
from nautobot_techmgmt.constants import STATUS_ACTIVE
from nautobot_techmgmt.forms.fields import FilterDateField

BOOLEAN_CHOICES = (("", "---------"), ("True", "Yes"), ("False", "No"))


def _contact_field(label, required=False, **kwargs):
    """A searchable choice of core Contact."""
    return DynamicModelChoiceField(queryset=Contact.objects.all(), required=required, label=label, **kwargs)


def _team_field(label, required=False):
    """A searchable choice of core Team."""
    return DynamicModelChoiceField(queryset=Team.objects.all(), required=required, label=label)


def _expert_field(required=True):
    """A searchable choice of expert."""
    return DynamicModelChoiceField(queryset=models.Expert.objects.all(), required=required)


def _technology_field(required=True):
    """A searchable choice of technology."""
    return DynamicModelChoiceField(queryset=models.Technology.objects.all(), required=required)


def _level_select(required=True):
    """The 1-5 skill level as a select."""
    choices = SkillLevelChoices.CHOICES if required else add_blank_choice(SkillLevelChoices)
    return forms.TypedChoiceField(choices=choices, coerce=int, required=required, widget=StaticSelect2())


def _multi(queryset, label, to_field_name="name"):
    """A multiple choice for a filter form, submitted by name."""
    return DynamicModelMultipleChoiceField(queryset=queryset, to_field_name=to_field_name, required=False, label=label)


#
# Experts
#


class ExpertForm(NautobotModelForm):
    """Create or edit an expert."""

    contact = _contact_field("Contact", required=True, help_text="The core Contact this expert is.")
    home_team = _team_field("Home team")
    line_manager = _contact_field("Line manager")

    class Meta:
        model = models.Expert
        fields = "__all__"

    def __init__(self, *args, instance=None, initial=None, **kwargs):
        """Preselect the Active status for a new expert: most are added when they start to count."""
        initial = dict(initial or {})
        # Before the form is built: the status select renders only the option its initial value names.
        if (instance is None or not instance.present_in_database) and not initial.get("status"):
            active = Status.objects.get_for_model(models.Expert).filter(name=STATUS_ACTIVE).first()
            if active is not None:
                initial["status"] = active.pk
        super().__init__(*args, instance=instance, initial=initial, **kwargs)


class ExpertBulkEditForm(TagsBulkEditFormMixin, StatusModelBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many experts at once."""

    pk = forms.ModelMultipleChoiceField(queryset=models.Expert.objects.all(), widget=forms.MultipleHiddenInput)
    employment_type = forms.ChoiceField(
        choices=add_blank_choice(EmploymentTypeChoices), required=False, widget=StaticSelect2()
    )
    home_team = _team_field("Home team")
    line_manager = _contact_field("Line manager")
    hourly_cost = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False)
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["home_team", "line_manager", "hourly_cost", "description"]


class ExpertFilterForm(StatusModelFilterFormMixin, NautobotFilterForm):
    """Filter the expert list."""

    model = models.Expert
    field_order = ["q", "status", "employment_type", "home_team", "line_manager", "technology", "certification"]
    q = forms.CharField(required=False, label="Search")
    employment_type = forms.MultipleChoiceField(
        choices=EmploymentTypeChoices, required=False, widget=StaticSelect2Multiple()
    )
    home_team = _multi(Team.objects.all(), "Home team")
    line_manager = _multi(Contact.objects.all(), "Line manager")
    technology = _multi(models.Technology.objects.all(), "Has a skill in")
    certification = _multi(models.Certification.objects.all(), "Holds certification")
    has_skills = forms.NullBooleanField(required=False, widget=StaticSelect2(choices=BOOLEAN_CHOICES))
    tags = TagFilterField(model)


#
# Skills
#


class SkillForm(NautobotModelForm):
    """Create or edit a skill."""

    expert = _expert_field()
    technology = _technology_field()
    level = _level_select()
    assessed_by = _contact_field("Assessed by")
    comments = CommentField()

    class Meta:
        model = models.Skill
        fields = "__all__"
        widgets = {"last_assessed": DatePicker()}


class SkillBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many skills at once."""

    pk = forms.ModelMultipleChoiceField(queryset=models.Skill.objects.all(), widget=forms.MultipleHiddenInput)
    level = _level_select(required=False)
    last_assessed = forms.DateField(required=False, widget=DatePicker())
    assessed_by = _contact_field("Assessed by")
    comments = CommentField(widget=SmallTextarea, label="Comments")

    class Meta:
        nullable_fields = ["last_assessed", "assessed_by", "comments"]


class SkillFilterForm(NautobotFilterForm):
    """Filter the skill list."""

    model = models.Skill
    field_order = ["q", "expert", "technology", "level", "home_team", "assessed_by"]
    q = forms.CharField(required=False, label="Search")
    expert = _multi(models.Expert.objects.all(), "Expert", to_field_name="contact__name")
    technology = _multi(models.Technology.objects.all(), "Technology")
    level = forms.MultipleChoiceField(choices=SkillLevelChoices, required=False, widget=StaticSelect2Multiple())
    home_team = _multi(Team.objects.all(), "Expert's home team")
    assessed_by = _multi(Contact.objects.all(), "Assessed by")
    tags = TagFilterField(model)


#
# Certifications
#


class CertificationForm(NautobotModelForm):
    """Create or edit a certification in the catalogue."""

    technologies = DynamicModelMultipleChoiceField(queryset=models.Technology.objects.all(), required=False)

    class Meta:
        model = models.Certification
        fields = "__all__"


class CertificationBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many certifications at once."""

    pk = forms.ModelMultipleChoiceField(queryset=models.Certification.objects.all(), widget=forms.MultipleHiddenInput)
    issuer = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)
    validity_months = forms.IntegerField(min_value=1, required=False)
    add_technologies = DynamicModelMultipleChoiceField(queryset=models.Technology.objects.all(), required=False)
    remove_technologies = DynamicModelMultipleChoiceField(queryset=models.Technology.objects.all(), required=False)
    description = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)

    class Meta:
        nullable_fields = ["issuer", "validity_months", "description"]


class CertificationFilterForm(NautobotFilterForm):
    """Filter the certification catalogue."""

    model = models.Certification
    field_order = ["q", "issuer", "technologies", "has_holders"]
    q = forms.CharField(required=False, label="Search")
    issuer = forms.CharField(required=False)
    technologies = _multi(models.Technology.objects.all(), "Evidences technology")
    has_holders = forms.NullBooleanField(required=False, widget=StaticSelect2(choices=BOOLEAN_CHOICES))
    tags = TagFilterField(model)


#
# Certifications held
#


class ExpertCertificationForm(NautobotModelForm):
    """Record a certification an expert holds."""

    expert = _expert_field()
    certification = DynamicModelChoiceField(queryset=models.Certification.objects.all())

    class Meta:
        model = models.ExpertCertification
        fields = "__all__"
        widgets = {"obtained_on": DatePicker(), "expires_on": DatePicker()}


class ExpertCertificationBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many held certifications at once."""

    pk = forms.ModelMultipleChoiceField(
        queryset=models.ExpertCertification.objects.all(), widget=forms.MultipleHiddenInput
    )
    obtained_on = forms.DateField(required=False, widget=DatePicker())
    expires_on = forms.DateField(required=False, widget=DatePicker())
    credential_id = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False, label="Credential ID")

    class Meta:
        nullable_fields = ["expires_on", "credential_id"]


class ExpertCertificationFilterForm(NautobotFilterForm):
    """Filter the certifications held."""

    model = models.ExpertCertification
    field_order = ["q", "expert", "certification", "technology", "expires_before", "expires_after"]
    q = forms.CharField(required=False, label="Search")
    expert = _multi(models.Expert.objects.all(), "Expert", to_field_name="contact__name")
    certification = _multi(models.Certification.objects.all(), "Certification")
    technology = _multi(models.Technology.objects.all(), "Evidences technology")
    expires_before = FilterDateField(required=False, widget=DatePicker(), label="Expires on or before")
    expires_after = FilterDateField(required=False, widget=DatePicker(), label="Expires on or after")
    tags = TagFilterField(model)


#
# Availability agreements
#


class AvailabilityAgreementForm(NautobotModelForm):
    """Create or edit an availability agreement."""

    expert = _expert_field()
    team = _team_field("Team served", required=True)
    line_manager = _contact_field("Line manager")
    comments = CommentField()

    class Meta:
        model = models.AvailabilityAgreement
        fields = "__all__"
        widgets = {"valid_from": DatePicker(), "valid_until": DatePicker()}
        help_texts = {
            "status": (
                "Where an approval workflow applies, a new agreement waits for a line manager's approval: it stays "
                "Proposed, and only the approval makes it Agreed."
            ),
        }


class AvailabilityAgreementBulkEditForm(TagsBulkEditFormMixin, StatusModelBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many availability agreements at once."""

    pk = forms.ModelMultipleChoiceField(
        queryset=models.AvailabilityAgreement.objects.all(), widget=forms.MultipleHiddenInput
    )
    team = _team_field("Team served")
    line_manager = _contact_field("Line manager")
    hours_per_week = forms.DecimalField(max_digits=4, decimal_places=1, required=False)
    valid_until = forms.DateField(required=False, widget=DatePicker())
    comments = CommentField(widget=SmallTextarea, label="Comments")

    class Meta:
        nullable_fields = ["line_manager", "valid_until", "comments"]


class AvailabilityAgreementFilterForm(StatusModelFilterFormMixin, NautobotFilterForm):
    """Filter availability agreements."""

    model = models.AvailabilityAgreement
    field_order = ["q", "status", "expert", "team", "line_manager", "in_force_on"]
    q = forms.CharField(required=False, label="Search")
    expert = _multi(models.Expert.objects.all(), "Expert", to_field_name="contact__name")
    team = _multi(Team.objects.all(), "Team served")
    line_manager = _multi(Contact.objects.all(), "Line manager")
    in_force_on = FilterDateField(required=False, widget=DatePicker(), label="In force on")
    tags = TagFilterField(model)


#
# Training plans
#


class TrainingPlanForm(NautobotModelForm):
    """Create or edit a training plan."""

    expert = _expert_field()
    technology = _technology_field()
    target_level = _level_select()
    supplier = DynamicModelChoiceField(queryset=models.Supplier.objects.all(), required=False)
    comments = CommentField()

    class Meta:
        model = models.TrainingPlan
        fields = "__all__"
        widgets = {"due_date": DatePicker()}


class TrainingPlanBulkEditForm(TagsBulkEditFormMixin, StatusModelBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many training plans at once."""

    pk = forms.ModelMultipleChoiceField(queryset=models.TrainingPlan.objects.all(), widget=forms.MultipleHiddenInput)
    target_level = _level_select(required=False)
    due_date = forms.DateField(required=False, widget=DatePicker())
    supplier = DynamicModelChoiceField(queryset=models.Supplier.objects.all(), required=False)
    cost = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    comments = CommentField(widget=SmallTextarea, label="Comments")

    class Meta:
        nullable_fields = ["due_date", "supplier", "cost", "comments"]


class TrainingPlanFilterForm(StatusModelFilterFormMixin, NautobotFilterForm):
    """Filter training plans."""

    model = models.TrainingPlan
    field_order = ["q", "status", "expert", "technology", "target_level", "supplier", "due_before", "due_after"]
    q = forms.CharField(required=False, label="Search")
    expert = _multi(models.Expert.objects.all(), "Expert", to_field_name="contact__name")
    technology = _multi(models.Technology.objects.all(), "Technology")
    target_level = forms.MultipleChoiceField(choices=SkillLevelChoices, required=False, widget=StaticSelect2Multiple())
    supplier = _multi(models.Supplier.objects.all(), "Supplier")
    due_before = FilterDateField(required=False, widget=DatePicker(), label="Due on or before")
    due_after = FilterDateField(required=False, widget=DatePicker(), label="Due on or after")
    tags = TagFilterField(model)
