"""What one user may see of the knowledge engine's answers: technologies, experts and contacts.

`user.has_perm("nautobot_techmgmt.view_expert")` is also true for a permission limited by constraints, so a name
is shown only when the user may view that very object (`restrict(user, "view")`), never because the user holds
the permission for some objects of its kind.
"""

from functools import cached_property

from nautobot.extras.models import Contact

from nautobot_techmgmt.models import Expert, Technology


def viewable_ids(model, user):
    """Ids of the objects of `model` the user may view (one query; none without the permission)."""
    return set(model.objects.restrict(user, "view").values_list("pk", flat=True))


class Visibility:
    """The technologies, experts and contacts one user may view, each read once, when first asked."""

    def __init__(self, user):
        """Nothing is queried until asked."""
        self.user = user

    @cached_property
    def technology_ids(self):
        """Ids of the technologies the user may view."""
        return viewable_ids(Technology, self.user)

    @cached_property
    def expert_ids(self):
        """Ids of the experts the user may view."""
        return viewable_ids(Expert, self.user)

    @cached_property
    def contact_ids(self):
        """Ids of the core contacts the user may view."""
        return viewable_ids(Contact, self.user)

    @property
    def may_view_experts(self):
        """Whether the user may view any expert at all."""
        return self.user.has_perm("nautobot_techmgmt.view_expert")

    def experts(self, experts):
        """The given experts the user may view, in their order."""
        if not self.may_view_experts:
            return []
        return [expert for expert in experts if expert.pk in self.expert_ids]

    def custodian_name(self, custodian):
        """The custodian's team, expert or contact if the user may see who it is, else None.

        A team is shown to anyone who may view the technology, as on the technology's own page; an expert or
        a contact only to users who may view that expert or contact.
        """
        if custodian is None:
            return None
        if custodian.team is not None:
            return custodian.team
        if custodian.expert is not None:
            return custodian.expert if self.experts([custodian.expert]) else None
        if custodian.contact is not None and custodian.contact.pk in self.contact_ids:
            return custodian.contact
        return None
