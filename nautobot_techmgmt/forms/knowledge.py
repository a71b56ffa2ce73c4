"""Forms of the app's pages: the skills-matrix, candidate-experts and capacity filters, and the what-if scenario."""

from django import forms
from nautobot.apps.forms import BootstrapMixin, DatePicker, DynamicModelMultipleChoiceField, StaticSelect2Multiple
from nautobot.extras.models import Team

from nautobot_techmgmt.choices import TechnologyCategoryChoices
from nautobot_techmgmt.models import Expert, Technology


class SkillsMatrixFilterForm(BootstrapMixin, forms.Form):
    """Narrow the skills matrix to some teams and technology categories."""

    team = DynamicModelMultipleChoiceField(
        queryset=Team.objects.all(),
        to_field_name="name",
        required=False,
        label="Team",
        help_text="Experts whose home team this is, or who are members of it.",
    )
    category = forms.MultipleChoiceField(
        choices=TechnologyCategoryChoices,
        required=False,
        label="Technology category",
        widget=StaticSelect2Multiple(),
    )


class WhatIfForm(BootstrapMixin, forms.Form):
    """Experts who leave, and the day to judge the scenario on."""

    experts = DynamicModelMultipleChoiceField(
        queryset=Expert.objects.all(),
        label="Experts who leave",
        help_text="Pick one or more experts; they are treated as gone (left or on leave).",
    )
    as_of = forms.DateField(
        required=False,
        label="On date",
        widget=DatePicker(),
        help_text="Judge certifications and agreements on this day; empty means today.",
    )

    def __init__(self, *args, user=None, **kwargs):
        """Offer only the experts the user may view."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["experts"].queryset = Expert.objects.restrict(user, "view")


class CandidatesFilterForm(BootstrapMixin, forms.Form):
    """Narrow the candidate experts and fading skills to some technologies, teams and categories."""

    technology = DynamicModelMultipleChoiceField(queryset=Technology.objects.all(), required=False, label="Technology")
    team = DynamicModelMultipleChoiceField(
        queryset=Team.objects.all(),
        to_field_name="name",
        required=False,
        label="Team",
        help_text="People who are members of this team.",
    )
    category = forms.MultipleChoiceField(
        choices=TechnologyCategoryChoices,
        required=False,
        label="Technology category",
        widget=StaticSelect2Multiple(),
    )
    include_dismissed = forms.BooleanField(
        required=False,
        label="Include dismissed",
        help_text="Also show candidates someone dismissed (until their next activity).",
    )

    def __init__(self, *args, user=None, **kwargs):
        """Offer only the technologies and teams the user may view."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["technology"].queryset = Technology.objects.restrict(user, "view")
            self.fields["team"].queryset = Team.objects.restrict(user, "view")


class CapacityFilterForm(BootstrapMixin, forms.Form):
    """Narrow the technologies of the capacity page by name, category and custodian team, or to those short of hours."""

    technology = DynamicModelMultipleChoiceField(
        queryset=Technology.objects.all(), to_field_name="name", required=False, label="Technology"
    )
    category = forms.MultipleChoiceField(
        choices=TechnologyCategoryChoices,
        required=False,
        label="Technology category",
        widget=StaticSelect2Multiple(),
    )
    custodian_team = DynamicModelMultipleChoiceField(
        queryset=Team.objects.all(), to_field_name="name", required=False, label="Custodian team"
    )
    shortfall = forms.BooleanField(
        required=False,
        label="Short of hours only",
        help_text="Only technologies whose demand exceeds their supply.",
    )

    def __init__(self, *args, user=None, **kwargs):
        """Offer only the technologies and teams the user may view."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["technology"].queryset = Technology.objects.restrict(user, "view")
            self.fields["custodian_team"].queryset = Team.objects.restrict(user, "view")

    def technologies(self, queryset):
        """`queryset` narrowed to the technologies, categories and custodian teams chosen; None when none is chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = {
            "pk__in": [technology.pk for technology in data.get("technology") or ()],
            "category__in": data.get("category"),
            "custodian_team__in": data.get("custodian_team"),
        }
        chosen = {lookup: values for lookup, values in chosen.items() if values}
        return queryset.filter(**chosen) if chosen else None
