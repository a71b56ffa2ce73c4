"""List-view tables of user mappings and dismissed candidates."""

import django_tables2 as tables
from django_tables2.utils import Accessor
from nautobot.apps.tables import BaseTable, ButtonsColumn, TagColumn, ToggleColumn

from nautobot_techmgmt import models
from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.candidates import UNMAPPED, History


def history_of(table):
    """What the table's viewer may see of the change-log evidence, asked once per table; None without a viewer."""
    if not hasattr(table, "_techmgmt_history"):
        user = getattr(getattr(table, "request", None), "user", None) or getattr(table, "user", None)
        table._techmgmt_history = History(Answers(user)) if user is not None else None  # pylint: disable=protected-access
    return table._techmgmt_history  # pylint: disable=protected-access


class UsernameColumn(tables.Column):
    """A user shown by username only to viewers who may view users (`History.username`), else as `hidden`."""

    def __init__(self, *args, hidden=UNMAPPED, **kwargs):
        """`hidden`: what viewers who may not view users read instead of the username."""
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)
        self.hidden = hidden

    def render(self, *, value, table):  # pylint: disable=arguments-differ
        """The username, or the placeholder."""
        history = history_of(table)
        return history.username(value, hidden=self.hidden) if history is not None else self.hidden


class UserContactTable(BaseTable):
    """User mappings: which user is which contact."""

    pk = ToggleColumn()
    mapping = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="User mapping", orderable=False)
    user = tables.Column(order_by=("user__username",))
    contact = tables.Column(linkify=True, order_by=("contact__name",))
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:usercontact_list")
    actions = ButtonsColumn(models.UserContact)

    class Meta(BaseTable.Meta):
        model = models.UserContact
        fields = ("pk", "mapping", "user", "contact", "comments", "tags", "actions")
        default_columns = ("pk", "user", "contact", "comments", "actions")

    def render_mapping(self, record):
        """The mapping's own label."""
        return str(record)


class CandidateDismissalTable(BaseTable):
    """Dismissed candidates: who, on which technology, why, by whom and the activity seen then."""

    pk = ToggleColumn()
    dismissal = tables.Column(
        accessor=Accessor("pk"), linkify=True, verbose_name="Dismissed candidate", orderable=False
    )
    technology = tables.Column(linkify=True)
    contact = tables.Column(linkify=True, order_by=("contact__name",))
    user = UsernameColumn(verbose_name="Unmapped user")
    reason = tables.Column()
    dismissed_by = UsernameColumn(hidden="a user")
    activity_until = tables.DateTimeColumn(verbose_name="Activity seen until")
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:candidatedismissal_list")
    actions = ButtonsColumn(models.CandidateDismissal)

    class Meta(BaseTable.Meta):
        model = models.CandidateDismissal
        fields = (
            "pk",
            "dismissal",
            "technology",
            "contact",
            "user",
            "reason",
            "dismissed_by",
            "activity_until",
            "created",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "technology",
            "contact",
            "user",
            "reason",
            "dismissed_by",
            "activity_until",
            "actions",
        )

    def render_dismissal(self, record):
        """The dismissal's own label."""
        return str(record)
