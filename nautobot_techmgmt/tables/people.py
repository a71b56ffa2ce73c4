"""List-view tables of experts, skills, certifications, availability agreements and training plans."""

from datetime import date

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django_tables2.utils import Accessor
from nautobot.apps.tables import (
    BaseTable,
    ButtonsColumn,
    LinkedCountColumn,
    StatusTableMixin,
    TagColumn,
    ToggleColumn,
)

from nautobot_techmgmt import models
from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.constants import STATUS_ACTIVE

EMAIL_TEMPLATE = """{% if value %}<a href="mailto:{{ value }}">{{ value }}</a>{% else %}&mdash;{% endif %}"""


class LevelColumn(tables.Column):
    """A 1-5 level shown with its meaning, e.g. "4 - Expert"."""

    def render(self, *, record, bound_column, value):  # pylint: disable=arguments-differ
        """Render the level's display label."""
        return getattr(record, f"get_{bound_column.accessor}_display")()


class CountedColumn(tables.Column):
    """Whether a skill counts towards its technology's bus factor and, when it does not, which part of the rule fails.

    The engine's rule (`knowledge/qualification.py`): an expert counts for a technology when the expert is active,
    the skill is at least the technology's qualified level and, where the technology requires certification, the
    expert holds an unexpired certification that evidences it. Whether a row counts is the engine's answer
    (`Answers.is_qualified`, one query for the technologies of the rows shown); the reason only names the part of the
    rule that fails.
    """

    def __init__(self, *args, **kwargs):
        """Not orderable: the answer is not a database column."""
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)
        self.qualified = None

    def render(self, *, record, table):  # pylint: disable=arguments-differ
        """Render "Counted" or "Not counted: <why>"."""
        if self.qualified is None:
            rows = table.page.object_list if getattr(table, "page", None) else table.rows
            technology_ids = {row.record.technology_id for row in rows}
            user = getattr(getattr(table, "request", None), "user", None)
            self.qualified = Answers(user, technology_ids=technology_ids)
        if self.qualified.is_qualified(record.expert_id, record.technology_id):
            return "Counted"
        return format_html('<span class="fw-semibold">Not counted: {}</span>', not_counted_reason(record))


def not_counted_reason(skill):
    """Which part of the qualification rule a skill that does not count fails, first part first."""
    expert, technology = skill.expert, skill.technology
    if expert.status.name != STATUS_ACTIVE:
        return f"{expert.status.name.lower()}, only active experts count"
    if skill.level < technology.qualified_level:
        return f"below level {technology.qualified_level}, the level that qualifies"
    if technology.certification_required:
        return "no unexpired certification for this technology, which it requires"
    return "not qualified"


class ExpiryColumn(tables.Column):
    """The expiry date, flagged once it has passed; "Never" when the certification does not expire."""

    def __init__(self, *args, **kwargs):
        """Show "Never" rather than a dash for a blank expiry."""
        kwargs.setdefault("default", format_html('<span class="text-secondary">Never</span>'))
        super().__init__(*args, **kwargs)

    def render(self, value):
        """Render the date, as a red badge when it is in the past."""
        text = date_format(value, "Y-m-d")
        if value < date.today():
            return format_html('<span class="badge bg-danger" title="Expired">{} (expired)</span>', text)
        return text


class ExpertTable(StatusTableMixin, BaseTable):
    """Experts with the contact's name and e-mail, status, team and skills count."""

    pk = ToggleColumn()
    name = tables.Column(accessor="contact__name", linkify=True, verbose_name="Name", order_by=("contact__name",))
    contact = tables.Column(linkify=True, verbose_name="Contact")
    email = tables.TemplateColumn(
        template_code=EMAIL_TEMPLATE, accessor="contact__email", verbose_name="E-mail", order_by=("contact__email",)
    )
    phone = tables.Column(accessor="contact__phone", verbose_name="Phone", order_by=("contact__phone",))
    employment_type = tables.Column()
    home_team = tables.Column(linkify=True)
    line_manager = tables.Column(linkify=True)
    skill_count = LinkedCountColumn(
        viewname="plugins:nautobot_techmgmt:skill_list",
        url_params={"expert": "pk"},
        # A single skill is shown as its technology; select_related keeps that to one query for the page.
        lookup="skills__technology",
        display_field="name",
        verbose_name="Skills",
    )
    certification_count = LinkedCountColumn(
        viewname="plugins:nautobot_techmgmt:expertcertification_list",
        url_params={"expert": "pk"},
        lookup="certifications__certification",
        display_field="name",
        verbose_name="Certifications",
    )
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:expert_list")
    actions = ButtonsColumn(models.Expert)

    class Meta(BaseTable.Meta):
        model = models.Expert
        fields = (
            "pk",
            "name",
            "contact",
            "email",
            "phone",
            "status",
            "employment_type",
            "home_team",
            "line_manager",
            "hourly_cost",
            "skill_count",
            "certification_count",
            "description",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "name",
            "email",
            "status",
            "employment_type",
            "home_team",
            "line_manager",
            "skill_count",
            "actions",
        )


class SkillTable(BaseTable):
    """Skills with a readable level."""

    pk = ToggleColumn()
    skill = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="Skill", orderable=False)
    expert = tables.Column(linkify=True, order_by=("expert__contact__name",))
    technology = tables.Column(linkify=True)
    level = LevelColumn(linkify=True)
    counted = CountedColumn(accessor=Accessor("pk"), verbose_name="Counts towards bus factor")
    assessed_by = tables.Column(linkify=True)
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:skill_list")
    actions = ButtonsColumn(models.Skill)

    class Meta(BaseTable.Meta):
        model = models.Skill
        fields = (
            "pk",
            "skill",
            "expert",
            "technology",
            "level",
            "counted",
            "last_assessed",
            "assessed_by",
            "comments",
            "tags",
            "actions",
        )
        default_columns = ("pk", "expert", "technology", "level", "counted", "last_assessed", "actions")

    def render_skill(self, record):
        """The skill's own label."""
        return str(record)


class CertificationTable(BaseTable):
    """The certification catalogue with holder counts."""

    pk = ToggleColumn()
    name = tables.Column(linkify=True)
    holder_count = LinkedCountColumn(
        viewname="plugins:nautobot_techmgmt:expertcertification_list",
        url_params={"certification": "pk"},
        # A single holder is shown as the person; select_related keeps that to one query for the page.
        lookup="holders__expert__contact",
        display_field="name",
        verbose_name="Holders",
    )
    technologies = tables.ManyToManyColumn(linkify_item=True, verbose_name="Technologies")
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:certification_list")
    actions = ButtonsColumn(models.Certification)

    class Meta(BaseTable.Meta):
        model = models.Certification
        fields = (
            "pk",
            "name",
            "issuer",
            "technologies",
            "validity_months",
            "holder_count",
            "description",
            "tags",
            "actions",
        )
        default_columns = ("pk", "name", "issuer", "validity_months", "holder_count", "actions")


class ExpertCertificationTable(BaseTable):
    """Certifications held, with their expiry."""

    pk = ToggleColumn()
    held = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="Certification held", orderable=False)
    expert = tables.Column(linkify=True, order_by=("expert__contact__name",))
    certification = tables.Column(linkify=True)
    obtained_on = tables.Column(linkify=True)
    expires_on = ExpiryColumn(verbose_name="Expires on")
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:expertcertification_list")
    actions = ButtonsColumn(models.ExpertCertification)

    class Meta(BaseTable.Meta):
        model = models.ExpertCertification
        fields = (
            "pk",
            "held",
            "expert",
            "certification",
            "obtained_on",
            "expires_on",
            "credential_id",
            "tags",
            "actions",
        )
        default_columns = ("pk", "expert", "certification", "obtained_on", "expires_on", "actions")

    def render_held(self, record):
        """The held certification's own label."""
        return str(record)


class AvailabilityAgreementTable(StatusTableMixin, BaseTable):
    """Availability agreements."""

    pk = ToggleColumn()
    agreement = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="Agreement", orderable=False)
    expert = tables.Column(linkify=True, order_by=("expert__contact__name",))
    team = tables.Column(linkify=True)
    line_manager = tables.Column(linkify=True)
    hours_per_week = tables.Column(linkify=True, verbose_name="Hours/week")
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:availabilityagreement_list")
    actions = ButtonsColumn(models.AvailabilityAgreement)

    class Meta(BaseTable.Meta):
        model = models.AvailabilityAgreement
        fields = (
            "pk",
            "agreement",
            "expert",
            "team",
            "line_manager",
            "hours_per_week",
            "valid_from",
            "valid_until",
            "status",
            "comments",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "expert",
            "team",
            "hours_per_week",
            "valid_from",
            "valid_until",
            "status",
            "actions",
        )

    def render_agreement(self, record):
        """The agreement's own label."""
        return str(record)


class TrainingPlanTable(StatusTableMixin, BaseTable):
    """Training plans with a readable target level."""

    pk = ToggleColumn()
    plan = tables.Column(accessor=Accessor("pk"), linkify=True, verbose_name="Training plan", orderable=False)
    expert = tables.Column(linkify=True, order_by=("expert__contact__name",))
    technology = tables.Column(linkify=True)
    target_level = LevelColumn(linkify=True)
    supplier = tables.Column(linkify=True)
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:trainingplan_list")
    actions = ButtonsColumn(models.TrainingPlan)

    class Meta(BaseTable.Meta):
        model = models.TrainingPlan
        fields = (
            "pk",
            "plan",
            "expert",
            "technology",
            "target_level",
            "due_date",
            "status",
            "supplier",
            "cost",
            "comments",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "expert",
            "technology",
            "target_level",
            "due_date",
            "status",
            "supplier",
            "actions",
        )

    def render_plan(self, record):
        """The plan's own label."""
        return str(record)
