"""Filters on the core Device, Circuit, VirtualMachine and Cluster filtersets (and so GraphQL arguments and list forms).

Nautobot requires an app's filter names to start with the app name, so they are `nautobot_techmgmt_custodian_team`,
`nautobot_techmgmt_technology` and `nautobot_techmgmt_has_knowledge_gap`. All three read the materialised
ObjectKnowledge rows, so they cost one subquery whatever the size of the estate.
"""

from django import forms
from django.db.models import Exists, OuterRef
from nautobot.apps.constants import BOOLEAN_WITH_BLANK_CHOICES
from nautobot.apps.filters import BooleanFilter, FilterExtension, NaturalKeyOrPKMultipleChoiceFilter
from nautobot.apps.forms import DynamicModelMultipleChoiceField, StaticSelect2
from nautobot.extras.models import Team

from nautobot_techmgmt.models import ObjectKnowledge, Technology

PREFIX = "nautobot_techmgmt"


def _has_knowledge_gap(object_field):
    """A filter method: objects with (True) or without (False) a knowledge gap on any technology in use."""

    def filter_has_knowledge_gap(queryset, name, value):  # pylint: disable=unused-argument
        if value is None:
            return queryset
        with_gap = Exists(ObjectKnowledge.objects.filter(**{object_field: OuterRef("pk")}, risk__gt=0))
        return queryset.filter(with_gap) if value else queryset.exclude(with_gap)

    return filter_has_knowledge_gap


def _extension(model_label, object_field):
    """A FilterExtension adding the three filters, and their filter-form fields, to one core model."""
    return type(
        f"{model_label.split('.')[1].title()}KnowledgeFilters",
        (FilterExtension,),
        {
            "__doc__": f"Custodian team, technology and knowledge-gap filters on {model_label}.",
            "model": model_label,
            "filterset_fields": {
                f"{PREFIX}_custodian_team": NaturalKeyOrPKMultipleChoiceFilter(
                    field_name="techmgmt_knowledge__custodian_team",
                    queryset=Team.objects.all(),
                    to_field_name="name",
                    label="Custodian team (name or ID)",
                ),
                f"{PREFIX}_technology": NaturalKeyOrPKMultipleChoiceFilter(
                    field_name="techmgmt_knowledge__technology",
                    queryset=Technology.objects.all(),
                    to_field_name="name",
                    label="Technology in use (name or ID)",
                ),
                f"{PREFIX}_has_knowledge_gap": BooleanFilter(
                    method=_has_knowledge_gap(object_field), label="Has a knowledge gap"
                ),
            },
            "filterform_fields": {
                f"{PREFIX}_custodian_team": DynamicModelMultipleChoiceField(
                    queryset=Team.objects.all(), to_field_name="name", required=False, label="Custodian team"
                ),
                f"{PREFIX}_technology": DynamicModelMultipleChoiceField(
                    queryset=Technology.objects.all(), to_field_name="name", required=False, label="Technology"
                ),
                f"{PREFIX}_has_knowledge_gap": forms.NullBooleanField(
                    required=False,
                    label="Has a knowledge gap",
                    widget=StaticSelect2(choices=BOOLEAN_WITH_BLANK_CHOICES),
                ),
            },
        },
    )


filter_extensions = [
    _extension("dcim.device", "device"),
    _extension("circuits.circuit", "circuit"),
    _extension("virtualization.virtualmachine", "virtual_machine"),
    _extension("virtualization.cluster", "cluster"),
]
