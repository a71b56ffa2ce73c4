"""Who works on which technology, from the change log: user mappings, activity, retired objects and dismissals.

`TechnologyActivity` rows are state: written by the activity Job (`knowledge/activity.py`) from the change log and
notes, read by every surface through `Answers`; nobody edits them. Candidates and fading skills are not stored: they
are the activity joined with the skills when read, so recording a skill answers a candidate at once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from nautobot.apps.models import BaseModel, PrimaryModel, extras_features


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class UserContact(PrimaryModel):
    """A Nautobot user who is the given Contact, where their e-mail addresses do not already say so."""

    user = models.OneToOneField(to=settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="techmgmt_contact")
    contact = models.ForeignKey(to="extras.Contact", on_delete=models.CASCADE, related_name="techmgmt_users")
    comments = models.TextField(blank=True)

    natural_key_field_names = ["user"]

    class Meta:
        ordering = ["contact__name", "user__username"]
        verbose_name = "user mapping"

    def __str__(self):
        return f"{self.user} is {self.contact}"


class _Person(models.Model):
    """The person an activity row or a dismissal is about: a Contact, or a user mapped to none."""

    contact = models.ForeignKey(to="extras.Contact", on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text="A user mapped to no contact.",
    )

    class Meta:
        abstract = True

    @property
    def person_key(self):
        """("contact", id) or ("user", id)."""
        return ("contact", self.contact_id) if self.contact_id else ("user", self.user_id)

    def clean(self):
        """Exactly one of contact and user."""
        super().clean()
        if bool(self.contact_id) == bool(self.user_id):
            raise ValidationError("Give either a contact or an unmapped user, not both and not neither.")


class TechnologyActivity(_Person, BaseModel):
    """What one person did in the change log to the objects of one technology, in the activity window."""

    technology = models.ForeignKey(to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="activity")
    objects_touched = models.PositiveIntegerField(default=0, help_text="Objects of the technology the person changed.")
    authored_objects = models.PositiveIntegerField(
        default=0, help_text="Objects the person is an author of (degree of authorship)."
    )
    first_authorships = models.PositiveIntegerField(default=0, help_text="Objects the person created.")
    own_changes = models.PositiveIntegerField(default=0, help_text="The person's changes and notes on those objects.")
    others_changes = models.PositiveIntegerField(default=0, help_text="Other people's changes to those objects.")
    technology_objects = models.PositiveIntegerField(
        default=0, help_text="Objects of the technology anyone changed in the window."
    )
    user_ids = models.JSONField(default=list, blank=True, help_text="The person's users (for change-log links).")
    first_activity = models.DateTimeField()
    last_activity = models.DateTimeField()
    score = models.FloatField(
        default=0, help_text="Sum over the objects touched of the person's degree of authorship, normalised per object."
    )
    top_objects = models.JSONField(
        default=list, blank=True, help_text="The objects with most of the person's changes: [[type key, id, changes]]."
    )
    window_start = models.DateTimeField(help_text="Start of the window the figures cover.")
    computed = models.DateTimeField()

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["technology", "-score"]
        verbose_name = "technology activity"
        verbose_name_plural = "technology activity"
        indexes = [
            models.Index(fields=["contact", "technology"]),
            models.Index(fields=["technology", "-score"]),
            models.Index(fields=["technology", "-last_activity"]),  # the technology's last activity (fading skills)
        ]

    def __str__(self):
        return f"{self.contact_id or self.user_id} on {self.technology_id}: {self.own_changes} changes"


class RetiredObjectTechnology(models.Model):
    """A technology a deleted object used, kept so its change history still counts for that technology."""

    object_type = models.CharField(max_length=30, help_text="Key of the object type.")
    object_id = models.UUIDField(db_index=True)
    technology = models.ForeignKey(to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="+")
    retired = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "technology of a deleted object"
        constraints = [
            models.UniqueConstraint(fields=["object_id", "technology"], name="techmgmt_retiredobjecttechnology_unique")
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} used {self.technology_id}"


@extras_features("custom_links", "custom_validators", "export_templates", "graphql", "webhooks")
class CandidateDismissal(_Person, PrimaryModel):
    """A candidate someone looked at and set aside: hidden until the person's next activity on the technology."""

    technology = models.ForeignKey(
        to="nautobot_techmgmt.Technology", on_delete=models.CASCADE, related_name="candidate_dismissals"
    )
    reason = models.CharField(max_length=255)
    dismissed_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    activity_until = models.DateTimeField(
        null=True, blank=True, help_text="The last activity seen when dismissed; newer activity brings it back."
    )

    natural_key_field_names = ["id"]

    class Meta:
        ordering = ["technology", "-created"]
        verbose_name = "dismissed candidate"
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "technology"],
                condition=models.Q(contact__isnull=False),
                name="techmgmt_candidatedismissal_unique_contact",
            ),
            models.UniqueConstraint(
                fields=["user", "technology"],
                condition=models.Q(user__isnull=False),
                name="techmgmt_candidatedismissal_unique_user",
            ),
        ]

    def __str__(self):
        return f"Dismissed candidate for {self.technology}"

    def save(self, *args, **kwargs):
        """Save with the activity seen filled in, however the record was made (form, REST, CSV)."""
        self.fill_in_activity_until()
        super().save(*args, **kwargs)

    def clean(self):
        """One person, dismissed once per technology; a blank `activity_until` filled in."""
        super().clean()
        key, person_id = self.person_key
        if self.technology_id and (
            CandidateDismissal.objects.filter(technology_id=self.technology_id, **{key: person_id})
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({key: f"This {key} is already a dismissed candidate for this technology."})
        self.fill_in_activity_until()

    def fill_in_activity_until(self):
        """Set a blank `activity_until` to the person's last activity on the technology, if there is any."""
        if self.activity_until is None and self.technology_id and (self.contact_id or self.user_id):
            key, person_id = self.person_key
            self.activity_until = (
                TechnologyActivity.objects.filter(technology_id=self.technology_id, **{key: person_id})
                .values_list("last_activity", flat=True)
                .first()
            )
