"""Filters on the core filtersets of the object types (object_types.py), and so GraphQL arguments and list forms.

Nautobot requires an app's filter names to start with the app name, so they are `nautobot_techmgmt_custodian_team`,
`nautobot_techmgmt_technology` and `nautobot_techmgmt_has_knowledge_gap`. They read the knowledge state, in one
subquery whatever the size of the estate, and they combine on the same answer: together they ask about the same
(object, technology) pair, so "custodian team = Network" with "has a knowledge gap" means gaps in what that team
looks after, not a gap on any technology of an object that team looks after for another one. Alone, each asks what
it always asked (a gap on any technology in use, any technology, any custodian team).
"""

from django import forms
from django.db.models import Exists, OuterRef
from nautobot.apps.constants import BOOLEAN_WITH_BLANK_CHOICES
from nautobot.apps.filters import BooleanFilter, FilterExtension, NaturalKeyOrPKMultipleChoiceFilter
from nautobot.apps.forms import DynamicModelMultipleChoiceField, StaticSelect2
from nautobot.extras.models import Team

from nautobot_techmgmt.knowledge.state import ensure_fresh
from nautobot_techmgmt.models import ObjectKnowledge, Technology
from nautobot_techmgmt.object_types import OBJECT_TYPES

PREFIX = "nautobot_techmgmt"
TEAM, TECHNOLOGY, HAS_GAP = f"{PREFIX}_custodian_team", f"{PREFIX}_technology", f"{PREFIX}_has_knowledge_gap"


class KnowledgeFilterMixin:
    """The three filters apply as one condition on the object's knowledge rows, built by whichever runs first."""

    object_field = None  # the ObjectKnowledge foreign key of the filterset's model

    def filter(self, qs, value):
        """Apply the combined condition once per filterset; the other two filters then pass the queryset on."""
        if self.exclude:  # the generated negations (`__n`) keep their plain meaning
            return super().filter(qs, value)
        filterset = self.parent
        if getattr(filterset, "techmgmt_applied", False):
            return qs
        data = filterset.form.cleaned_data
        teams, technologies, has_gap = data.get(TEAM), data.get(TECHNOLOGY), data.get(HAS_GAP)
        if not teams and not technologies and has_gap is None:
            return qs
        filterset.techmgmt_applied = True
        ensure_fresh()
        rows = ObjectKnowledge.objects.filter(**{self.object_field: OuterRef("pk")})
        if teams:
            rows = rows.filter(custodian_team__in=teams)
        if technologies:
            rows = rows.filter(technology__in=technologies)
        if has_gap is None:
            return qs.filter(Exists(rows))
        if has_gap:
            return qs.filter(Exists(rows.with_gap()))
        if teams or technologies:
            qs = qs.filter(Exists(rows))
        return qs.exclude(Exists(rows.with_gap()))


class KnowledgeChoiceFilter(KnowledgeFilterMixin, NaturalKeyOrPKMultipleChoiceFilter):
    """Custodian team or technology in use, by name or ID."""


class KnowledgeGapFilter(KnowledgeFilterMixin, BooleanFilter):
    """Objects with (True) or without (False) a knowledge gap."""


def _extension(model_label, object_field):
    """A FilterExtension adding the three filters, and their filter-form fields, to one core model."""

    def bound(filter_class, **kwargs):
        return type(
            f"{filter_class.__name__}On{object_field.title()}", (filter_class,), {"object_field": object_field}
        )(**kwargs)

    return type(
        f"{model_label.split('.')[1].title()}KnowledgeFilters",
        (FilterExtension,),
        {
            "__doc__": f"Custodian team, technology and knowledge-gap filters on {model_label}.",
            "model": model_label,
            "filterset_fields": {
                TEAM: bound(
                    KnowledgeChoiceFilter,
                    field_name="techmgmt_knowledge__custodian_team",
                    queryset=Team.objects.all(),
                    to_field_name="name",
                    label="Custodian team (name or ID)",
                ),
                TECHNOLOGY: bound(
                    KnowledgeChoiceFilter,
                    field_name="techmgmt_knowledge__technology",
                    queryset=Technology.objects.all(),
                    to_field_name="name",
                    label="Technology in use (name or ID)",
                ),
                HAS_GAP: bound(KnowledgeGapFilter, label="Has a knowledge gap"),
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


filter_extensions = [_extension(object_type.label_lower, object_type.field) for object_type in OBJECT_TYPES]
