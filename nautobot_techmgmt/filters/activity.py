"""Filter sets of user mappings, dismissed candidates and technology activity."""

from django.contrib.auth import get_user_model
from nautobot.apps.filters import (
    BaseFilterSet,
    MultiValueUUIDFilter,
    NaturalKeyOrPKMultipleChoiceFilter,
    NautobotFilterSet,
    SearchFilter,
)
from nautobot.extras.models import Contact

from nautobot_techmgmt.models import CandidateDismissal, Technology, TechnologyActivity, UserContact


def _contact_filter():
    return NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Contact.objects.all(), to_field_name="name", label="Contact (name or ID)"
    )


def _technology_filter():
    return NaturalKeyOrPKMultipleChoiceFilter(
        queryset=Technology.objects.all(), to_field_name="name", label="Technology (name or ID)"
    )


class UserContactFilterSet(NautobotFilterSet):
    """Filter user mappings by user (username or ID) and contact (name or ID)."""

    q = SearchFilter(
        filter_predicates={"user__username": "icontains", "contact__name": "icontains", "comments": "icontains"}
    )
    user = NaturalKeyOrPKMultipleChoiceFilter(
        queryset=get_user_model().objects.all(), to_field_name="username", label="User (username or ID)"
    )
    contact = _contact_filter()

    class Meta:
        model = UserContact
        fields = "__all__"


class CandidateDismissalFilterSet(NautobotFilterSet):
    """Filter dismissed candidates by technology, contact and user.

    Users are taken by ID only: a filter by username would tell who has a dismissal to people who may not view users.
    """

    q = SearchFilter(
        filter_predicates={"reason": "icontains", "technology__name": "icontains", "contact__name": "icontains"}
    )
    technology = _technology_filter()
    contact = _contact_filter()
    user = MultiValueUUIDFilter(field_name="user", label="Unmapped user (ID)")
    dismissed_by = MultiValueUUIDFilter(field_name="dismissed_by", label="Dismissed by (user ID)")

    class Meta:
        model = CandidateDismissal
        fields = "__all__"


class TechnologyActivityFilterSet(BaseFilterSet):
    """Filter technology activity by technology, contact, unmapped user (ID) and last activity."""

    technology = _technology_filter()
    contact = _contact_filter()
    user = MultiValueUUIDFilter(field_name="user", label="Unmapped user (ID)")

    class Meta:
        model = TechnologyActivity
        fields = ["id", "last_activity", "first_activity", "score", "objects_touched", "own_changes"]
