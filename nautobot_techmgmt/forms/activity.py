"""Add/edit, bulk-edit and filter forms of user mappings and dismissed candidates."""

from django import forms
from django.contrib.auth import get_user_model
from nautobot.apps.constants import CHARFIELD_MAX_LENGTH
from nautobot.apps.forms import (
    CommentField,
    DateTimePicker,
    DynamicModelChoiceField,
    DynamicModelMultipleChoiceField,
    NautobotBulkEditForm,
    NautobotFilterForm,
    NautobotModelForm,
    ReturnURLForm,
    SmallTextarea,
    TagFilterField,
    TagsBulkEditFormMixin,
)
from nautobot.apps.utils import is_uuid
from nautobot.extras.models import Contact

from nautobot_techmgmt import models
from nautobot_techmgmt.knowledge import activity

#
# User mappings
#


class UserContactForm(NautobotModelForm):
    """Map a user to the contact they are (the Unmapped users page links here with `?user=<id>`)."""

    user = DynamicModelChoiceField(queryset=get_user_model().objects.all(), help_text="The Nautobot user.")
    contact = DynamicModelChoiceField(queryset=Contact.objects.all(), help_text="The core Contact this user is.")
    comments = CommentField()

    class Meta:
        model = models.UserContact
        fields = "__all__"


class UserContactBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many user mappings at once."""

    pk = forms.ModelMultipleChoiceField(queryset=models.UserContact.objects.all(), widget=forms.MultipleHiddenInput)
    contact = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)
    comments = CommentField(widget=SmallTextarea, label="Comments")

    class Meta:
        nullable_fields = ["comments"]


class UserContactFilterForm(NautobotFilterForm):
    """Filter user mappings."""

    model = models.UserContact
    field_order = ["q", "user", "contact"]
    q = forms.CharField(required=False, label="Search")
    user = DynamicModelMultipleChoiceField(
        queryset=get_user_model().objects.all(), to_field_name="username", required=False, label="User"
    )
    contact = DynamicModelMultipleChoiceField(
        queryset=Contact.objects.all(), to_field_name="name", required=False, label="Contact"
    )
    tags = TagFilterField(model)


#
# Dismissed candidates
#


class UnmappedUserField(forms.Field):
    """A user mapped to no contact, given by ID in a hidden input: only the candidate pages fill it in.

    Not a model choice: Nautobot limits a form's choices to the objects the user may view, and dismissing an unmapped
    user must not need the right to view users (their usernames are what that right protects).
    """

    widget = forms.HiddenInput

    def clean(self, value):
        """The user with this ID, or None; a user who is a contact is refused (dismiss the contact)."""
        value = super().clean(value)
        if value in self.empty_values:
            return None
        user = get_user_model().objects.filter(pk=value).first() if is_uuid(value) else None
        if user is None:
            raise forms.ValidationError("No user has this ID.")
        if user.pk in activity.contacts_of_users():
            raise forms.ValidationError(activity.IS_A_CONTACT)
        return user

    def prepare_value(self, value):
        """The ID of a user (the form renders it in the hidden input)."""
        return getattr(value, "pk", value)


class CandidateDismissalForm(ReturnURLForm, NautobotModelForm):
    """Dismiss a candidate: the candidate pages fill in the person, technology and the activity seen.

    Who dismissed is the requesting user (set by the view); a blank `activity_until` becomes the person's last activity
    on the technology (the model fills it in).
    """

    contact = DynamicModelChoiceField(queryset=Contact.objects.all(), required=False)
    user = UnmappedUserField(required=False)
    technology = DynamicModelChoiceField(queryset=models.Technology.objects.all())

    class Meta:
        model = models.CandidateDismissal
        # Who dismissed is the requesting user, never a choice.
        fields = ["technology", "contact", "user", "reason", "activity_until", "tags"]  # pylint: disable=nb-use-fields-all
        widgets = {"activity_until": DateTimePicker()}


class CandidateDismissalBulkEditForm(TagsBulkEditFormMixin, NautobotBulkEditForm):
    """Edit many dismissed candidates at once."""

    pk = forms.ModelMultipleChoiceField(
        queryset=models.CandidateDismissal.objects.all(), widget=forms.MultipleHiddenInput
    )
    reason = forms.CharField(max_length=CHARFIELD_MAX_LENGTH, required=False)
    activity_until = forms.DateTimeField(required=False, widget=DateTimePicker())

    class Meta:
        nullable_fields = ["activity_until"]


class CandidateDismissalFilterForm(NautobotFilterForm):
    """Filter dismissed candidates."""

    model = models.CandidateDismissal
    field_order = ["q", "technology", "contact"]
    q = forms.CharField(required=False, label="Search")
    technology = DynamicModelMultipleChoiceField(
        queryset=models.Technology.objects.all(), to_field_name="name", required=False, label="Technology"
    )
    contact = DynamicModelMultipleChoiceField(
        queryset=Contact.objects.all(), to_field_name="name", required=False, label="Contact"
    )
    tags = TagFilterField(model)
