"""Filter sets of experts, skills, certifications, availability agreements and training plans."""

from django.db.models import Q
from django_filters import BooleanFilter, DateFilter
from nautobot.apps.filters import (
    MultipleChoiceFilter,
    MultiValueNumberFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    RelatedMembershipBooleanFilter,
    SearchFilter,
    StatusModelFilterSetMixin,
)
from nautobot.extras.models import Contact, Team

from nautobot_techmgmt import models
from nautobot_techmgmt.choices import EmploymentTypeChoices


def _expert_filter(field_name="expert", label="Expert (contact name or ID)"):
    """An expert filter that takes the expert's contact name or its ID."""
    return NaturalKeyOrPKMultipleChoiceFilter(
        field_name=field_name,
        queryset=models.Expert.objects.all(),
        to_field_name="contact__name",
        label=label,
    )


def _contact_filter(field_name, label):
    """A core Contact filter that takes a name or an ID."""
    return NaturalKeyOrPKMultipleChoiceFilter(
        field_name=field_name, queryset=Contact.objects.all(), to_field_name="name", label=label
    )


def _team_filter(field_name, label):
    """A core Team filter that takes a name or an ID."""
    return NaturalKeyOrPKMultipleChoiceFilter(
        field_name=field_name, queryset=Team.objects.all(), to_field_name="name", label=label
    )


def _technology_filter(field_name="technology", label="Technology (name or ID)"):
    """A technology filter that takes a name or an ID."""
    return NaturalKeyOrPKMultipleChoiceFilter(
        field_name=field_name, queryset=models.Technology.objects.all(), to_field_name="name", label=label
    )


class ExpertFilterSet(StatusModelFilterSetMixin, NautobotFilterSet):
    """Filter experts by contact, team, line manager, employment and what they know."""

    q = SearchFilter(
        filter_predicates={
            "contact__name": "icontains",
            "contact__email": "icontains",
            "description": "icontains",
        }
    )
    contact = _contact_filter("contact", "Contact (name or ID)")
    home_team = _team_filter("home_team", "Home team (name or ID)")
    line_manager = _contact_filter("line_manager", "Line manager (name or ID)")
    employment_type = MultipleChoiceFilter(choices=EmploymentTypeChoices)
    technology = _technology_filter("skills__technology", "Has a skill in technology (name or ID)")
    certification = NaturalKeyOrPKMultipleChoiceFilter(
        field_name="certifications__certification",
        queryset=models.Certification.objects.all(),
        to_field_name="name",
        label="Holds certification (name or ID)",
    )
    has_skills = RelatedMembershipBooleanFilter(field_name="skills", label="Has skills")
    has_certifications = RelatedMembershipBooleanFilter(field_name="certifications", label="Has certifications")
    has_availability_agreements = RelatedMembershipBooleanFilter(
        field_name="availability_agreements", label="Has availability agreements"
    )

    class Meta:
        model = models.Expert
        fields = "__all__"


class SkillFilterSet(NautobotFilterSet):
    """Filter skills by expert, technology, level and assessment."""

    q = SearchFilter(
        filter_predicates={
            "expert__contact__name": "icontains",
            "technology__name": "icontains",
            "comments": "icontains",
        }
    )
    expert = _expert_filter()
    technology = _technology_filter()
    assessed_by = _contact_filter("assessed_by", "Assessed by (contact name or ID)")
    home_team = _team_filter("expert__home_team", "Expert's home team (name or ID)")
    # A number filter rather than a choice filter, so that level__gte/__lte/__lt/__gt are generated too.
    level = MultiValueNumberFilter(label="Level (1-5)")
    last_assessed_before = DateFilter(field_name="last_assessed", lookup_expr="lte", label="Last assessed on or before")
    last_assessed_after = DateFilter(field_name="last_assessed", lookup_expr="gte", label="Last assessed on or after")

    class Meta:
        model = models.Skill
        fields = "__all__"


class CertificationFilterSet(NautobotFilterSet):
    """Filter the certification catalogue by name, issuer and the technologies evidenced."""

    q = SearchFilter(
        filter_predicates={
            "name": "icontains",
            "issuer": "icontains",
            "description": "icontains",
            "technologies__name": "icontains",
        }
    )
    technologies = _technology_filter("technologies", "Evidences technology (name or ID)")
    holder = _expert_filter("holders__expert", "Held by expert (contact name or ID)")
    has_holders = RelatedMembershipBooleanFilter(field_name="holders", label="Has holders")
    never_expires = BooleanFilter(field_name="validity_months", lookup_expr="isnull", label="Never expires")

    class Meta:
        model = models.Certification
        fields = "__all__"


class ExpertCertificationFilterSet(NautobotFilterSet):
    """Filter held certifications by expert, certification, technology and dates."""

    q = SearchFilter(
        filter_predicates={
            "expert__contact__name": "icontains",
            "certification__name": "icontains",
            "credential_id": "icontains",
        }
    )
    expert = _expert_filter()
    certification = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=models.Certification.objects.all(), to_field_name="name", label="Certification (name or ID)"
    )
    technology = _technology_filter("certification__technologies", "Evidences technology (name or ID)")
    expires_before = DateFilter(field_name="expires_on", lookup_expr="lte", label="Expires on or before")
    expires_after = DateFilter(field_name="expires_on", lookup_expr="gte", label="Expires on or after")
    obtained_before = DateFilter(field_name="obtained_on", lookup_expr="lte", label="Obtained on or before")
    obtained_after = DateFilter(field_name="obtained_on", lookup_expr="gte", label="Obtained on or after")

    class Meta:
        model = models.ExpertCertification
        fields = "__all__"


class AvailabilityAgreementFilterSet(StatusModelFilterSetMixin, NautobotFilterSet):
    """Filter availability agreements by expert, team, line manager, status and period."""

    q = SearchFilter(
        filter_predicates={
            "expert__contact__name": "icontains",
            "team__name": "icontains",
            "line_manager__name": "icontains",
            "comments": "icontains",
        }
    )
    expert = _expert_filter()
    team = _team_filter("team", "Team (name or ID)")
    line_manager = _contact_filter("line_manager", "Line manager (name or ID)")
    in_force_on = DateFilter(method="filter_in_force_on", label="In force on")

    class Meta:
        model = models.AvailabilityAgreement
        fields = "__all__"

    def filter_in_force_on(self, queryset, name, value):  # pylint: disable=unused-argument
        """Agreements whose period covers the given day."""
        if not value:
            return queryset
        return queryset.filter(valid_from__lte=value).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=value))


class TrainingPlanFilterSet(StatusModelFilterSetMixin, NautobotFilterSet):
    """Filter training plans by expert, technology, target level, supplier, status and due date."""

    q = SearchFilter(
        filter_predicates={
            "expert__contact__name": "icontains",
            "technology__name": "icontains",
            "supplier__name": "icontains",
            "comments": "icontains",
        }
    )
    expert = _expert_filter()
    technology = _technology_filter()
    supplier = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=models.Supplier.objects.all(), to_field_name="name", label="Supplier (name or ID)"
    )
    has_supplier = RelatedMembershipBooleanFilter(field_name="supplier", label="Has supplier")
    target_level = MultiValueNumberFilter(label="Target level (1-5)")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    due_after = DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after")

    class Meta:
        model = models.TrainingPlan
        fields = "__all__"
