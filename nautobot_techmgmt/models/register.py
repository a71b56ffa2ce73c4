"""The gap register: each knowledge gap as a record with a life — opened, worked on, closed."""

from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import TruncDate
from django.utils import timezone
from nautobot.apps.models import BaseManager, PrimaryModel, RestrictedQuerySet, extras_features

from nautobot_techmgmt.choices import GapKindChoices, GapSeverityChoices, GapStatusChoices

SECONDS_PER_DAY = 24 * 60 * 60


class KnowledgeGapQuerySet(RestrictedQuerySet):
    """Queries over the gap register."""

    def current(self):
        """Gaps that exist now (not closed)."""
        return self.exclude(status=GapStatusChoices.CLOSED)

    def trend(self, days, today=None):
        """Gaps open on each of the last `days` days (oldest first), by severity: [{"date": day, "critical": n, ...}].

        A gap is open on day D when it opened on or before D and had not closed by the end of D (the day it closes
        no longer counts). Days are those of the current time zone. Two grouped queries, whatever the number of
        records: the opening and closing days are counted per severity and summed up day by day.
        """
        today = today or timezone.localdate()
        first = today - timedelta(days=days - 1)
        changes = self._changes_by_day(first, today)
        open_on_day = dict.fromkeys(GapSeverityChoices.values(), 0)
        result = []
        for offset in range(days):
            day = first + timedelta(days=offset)
            for severity, change in changes.get(day, {}).items():
                open_on_day[severity] = open_on_day.get(severity, 0) + change
            result.append({"date": day, **open_on_day})
        return result

    def _changes_by_day(self, first, last):
        """{day: {severity: change in the number of open gaps}} up to `last`; earlier changes count on `first`."""
        # A record closed on the day it opened (or, by a clock change, before) is never open at the end of a day.
        records = (
            self.order_by()
            .annotate(opened_day=TruncDate("opened"), closed_day=TruncDate("closed"))
            .filter(opened_day__lte=last)
            .filter(models.Q(closed__isnull=True) | models.Q(closed_day__gt=models.F("opened_day")))
        )
        changes = defaultdict(lambda: defaultdict(int))
        for day_field, step, rows in (
            ("opened_day", 1, records),
            ("closed_day", -1, records.filter(closed__isnull=False, closed_day__lte=last)),
        ):
            for row in rows.values(day_field, "severity").annotate(count=models.Count("pk")):
                changes[max(row[day_field], first)][row["severity"]] += step * row["count"]
        return changes

    def closed_since(self, since=None):
        """Closed gaps; with `since` (a date), those closed on or after that day."""
        closed = self.filter(closed__isnull=False)
        return closed.filter(closed__date__gte=since) if since else closed

    def median_days_to_close(self, since=None):
        """{kind: median days from opened to closed} over closed gaps (closed on or after `since`, if given)."""
        durations = defaultdict(list)
        rows = (
            self.closed_since(since)
            .order_by()
            .annotate(
                open_for=models.ExpressionWrapper(
                    models.F("closed") - models.F("opened"), output_field=models.DurationField()
                )
            )
            .values_list("kind", "open_for")
        )
        for kind, open_for in rows:
            durations[kind].append(open_for.total_seconds() / SECONDS_PER_DAY)
        return {kind: median(days) for kind, days in durations.items()}

    def closed_count_by_kind(self, since=None):
        """{kind: number of closed gaps} (closed on or after `since`, if given)."""
        rows = self.closed_since(since).order_by().values("kind").annotate(count=models.Count("pk"))
        return {row["kind"]: row["count"] for row in rows}


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class KnowledgeGap(PrimaryModel):
    """One (kind, technology) knowledge gap from the day it appeared to the day it disappeared.

    The engine opens and closes records; people set the status, owner and remediation. A gap that disappears is
    closed; if it appears again, a new record opens, so time-to-close figures stay true.
    """

    kind = models.CharField(max_length=30, choices=GapKindChoices)
    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="gap_records"
    )
    status = models.CharField(max_length=20, choices=GapStatusChoices, default=GapStatusChoices.OPEN)
    severity = models.CharField(max_length=20, choices=GapSeverityChoices)
    opened = models.DateTimeField(help_text="When the engine first found the gap.")
    closed = models.DateTimeField(null=True, blank=True, help_text="When the gap disappeared.")
    risk_accepted_until = models.DateField(
        null=True, blank=True, help_text="With status Risk accepted: the gap reopens after this day."
    )
    affected = models.JSONField(default=dict, blank=True, help_text="Objects affected, by object type.")
    affected_objects = models.PositiveIntegerField(default=0)
    risk = models.PositiveIntegerField(default=0, help_text="Severity weight x objects affected.")
    detail = models.CharField(max_length=500, blank=True)
    owner_contact = models.ForeignKey(
        to="extras.Contact", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    owner_team = models.ForeignKey(to="extras.Team", on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    training_plans = models.ManyToManyField(to="nautobot_techmgmt.TrainingPlan", related_name="gap_records", blank=True)
    support_contract = models.ForeignKey(
        to="nautobot_techmgmt.SupportContract",
        on_delete=models.SET_NULL,
        related_name="gap_records",
        null=True,
        blank=True,
    )
    responsibility = models.ForeignKey(
        to="nautobot_techmgmt.Responsibility",
        on_delete=models.SET_NULL,
        related_name="gap_records",
        null=True,
        blank=True,
    )
    comments = models.TextField(blank=True)

    objects = BaseManager.from_queryset(KnowledgeGapQuerySet)()

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["-opened"]
        verbose_name = "knowledge gap"
        indexes = [models.Index(fields=["technology", "kind", "closed"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.technology}"

    def clean(self):
        super().clean()
        if self.owner_contact_id and self.owner_team_id:
            raise ValidationError({"owner_team": "Give an owner contact or an owner team, not both."})
        if self.status == GapStatusChoices.RISK_ACCEPTED and not self.risk_accepted_until:
            raise ValidationError({"risk_accepted_until": "Say until when the risk is accepted."})
        if self.status != GapStatusChoices.RISK_ACCEPTED and self.risk_accepted_until:
            raise ValidationError({"risk_accepted_until": "Only a gap whose risk is accepted has this date."})
        if self.closed is None and self.status == GapStatusChoices.CLOSED:
            raise ValidationError(
                {"status": "The engine closes a gap when it disappears; it cannot be closed by hand."}
            )
        if self.closed is not None and self.status != GapStatusChoices.CLOSED:
            raise ValidationError(
                {"status": "A gap that has disappeared stays closed; a new record opens if it returns."}
            )

    @property
    def owner(self):
        """The contact or team that owns the gap, if any."""
        return self.owner_contact or self.owner_team

    @property
    def is_current(self):
        """Whether the gap exists now."""
        return self.closed is None

    @property
    def days_open(self):
        """Whole days from opening to closing, or to now while the gap exists."""
        return ((self.closed or timezone.now()) - self.opened).days
