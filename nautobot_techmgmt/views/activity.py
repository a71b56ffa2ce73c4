"""UI viewsets of user mappings and dismissed candidates."""

from nautobot.apps.templatetags import placeholder, render_markdown
from nautobot.apps.ui import ObjectDetailContent, ObjectFieldsPanel, SectionChoices
from nautobot.apps.views import NautobotUIViewSet

from nautobot_techmgmt import filters, forms, models, tables
from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.api import serializers
from nautobot_techmgmt.candidates import UNMAPPED, History


class DismissalFieldsPanel(ObjectFieldsPanel):
    """The dismissal's fields, its users named only to viewers who may view users (`History.username`)."""

    hidden = {"user": UNMAPPED, "dismissed_by": "a user"}

    def render_value(self, key, value, context):
        """A user as the viewer may see it; anything else as usual."""
        if key in self.hidden and value is not None:
            value = History(Answers(context["request"].user)).username(value, hidden=self.hidden[key])
        return super().render_value(key, value, context)


class UserContactUIViewSet(NautobotUIViewSet):
    """User mappings: which Nautobot user is which contact, where their e-mail addresses do not say so."""

    bulk_update_form_class = forms.UserContactBulkEditForm
    filterset_class = filters.UserContactFilterSet
    filterset_form_class = forms.UserContactFilterForm
    form_class = forms.UserContactForm
    object_detail_content = ObjectDetailContent(
        panels=(
            ObjectFieldsPanel(section=SectionChoices.LEFT_HALF, weight=100, fields=["user", "contact"]),
            ObjectFieldsPanel(
                section=SectionChoices.RIGHT_HALF,
                weight=100,
                label="Comments",
                fields=["comments"],
                value_transforms={"comments": [render_markdown, placeholder]},
            ),
        ),
    )
    queryset = models.UserContact.objects.select_related("user", "contact")
    serializer_class = serializers.UserContactSerializer
    table_class = tables.UserContactTable


class CandidateDismissalUIViewSet(NautobotUIViewSet):
    """Dismissed candidates: set aside, with who and why, until the person's next activity on the technology."""

    bulk_update_form_class = forms.CandidateDismissalBulkEditForm
    filterset_class = filters.CandidateDismissalFilterSet
    filterset_form_class = forms.CandidateDismissalFilterForm
    form_class = forms.CandidateDismissalForm
    object_detail_content = ObjectDetailContent(
        panels=(
            DismissalFieldsPanel(
                section=SectionChoices.LEFT_HALF,
                weight=100,
                fields=["technology", "contact", "user", "reason", "dismissed_by", "activity_until"],
                key_transforms={"user": "Unmapped user", "activity_until": "Activity seen until"},
            ),
        ),
    )
    queryset = models.CandidateDismissal.objects.select_related("contact", "technology", "user", "dismissed_by")
    serializer_class = serializers.CandidateDismissalSerializer
    table_class = tables.CandidateDismissalTable

    def form_save(self, form, **kwargs):
        """Save; a new dismissal is dismissed by the requesting user."""
        if not form.instance.present_in_database:
            form.instance.dismissed_by = self.request.user
        return super().form_save(form, **kwargs)
