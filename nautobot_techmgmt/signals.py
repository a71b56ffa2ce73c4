"""Signal handlers: seed the statuses the app's models need; keep materialised knowledge fresh."""

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from nautobot.apps import nautobot_database_ready

from nautobot_techmgmt import constants
from nautobot_techmgmt.knowledge.refresh import request_refresh


def seed_statuses(sender, *, apps=global_apps, **kwargs):  # pylint: disable=unused-argument
    """Create the app's statuses and attach them to their models; safe to run any number of times."""
    status_model = apps.get_model("extras", "Status")
    seeds = {
        "technology": constants.TECHNOLOGY_STATUSES,
        "expert": constants.EXPERT_STATUSES,
        "availabilityagreement": constants.AGREEMENT_STATUSES,
        "trainingplan": constants.TRAINING_STATUSES,
    }
    try:
        models = {model_name: apps.get_model("nautobot_techmgmt", model_name) for model_name in seeds}
    except LookupError:
        # The app's migrations are unapplied (`nautobot-server migrate nautobot_techmgmt zero`): nothing to seed.
        return
    for model_name, statuses in seeds.items():
        content_type = ContentType.objects.get_for_model(models[model_name])
        for name, color, description in statuses:
            status, _ = status_model.objects.get_or_create(
                name=name, defaults={"color": color, "description": description}
            )
            status.content_types.add(content_type.pk)


nautobot_database_ready.connect(seed_statuses, sender=global_apps.get_app_config("nautobot_techmgmt"))


# --- Keep ObjectKnowledge fresh: changes that can alter a per-object answer ask for one debounced refresh ---


def request_knowledge_refresh(sender, **kwargs):  # pylint: disable=unused-argument
    """Ask for one ObjectKnowledge refresh after the transaction commits."""
    if kwargs.get("raw"):  # loaddata: the data arrives as it was; no refresh per fixture row
        return
    request_refresh()


def _connect_knowledge_refresh():
    """Connect the refresh request to the models whose changes can alter a per-object answer."""
    watched = (
        # The app's own models (not TrainingPlan: completing one saves a Skill, which is watched).
        "nautobot_techmgmt.Technology",
        "nautobot_techmgmt.TechnologyScope",
        "nautobot_techmgmt.Expert",
        "nautobot_techmgmt.Skill",
        "nautobot_techmgmt.Certification",
        "nautobot_techmgmt.ExpertCertification",
        "nautobot_techmgmt.Responsibility",
        "nautobot_techmgmt.AvailabilityAgreement",
        "nautobot_techmgmt.SupportContract",
        # Core inventory and what scopes and custodians are matched on.
        "dcim.Device",
        "circuits.Circuit",
        "virtualization.VirtualMachine",
        "virtualization.Cluster",
        "dcim.Location",
        "dcim.Platform",
        "dcim.DeviceType",  # its manufacturer decides manufacturer scopes
        "extras.Team",  # a deleted team drops out of the custodian counts
        "extras.DynamicGroup",
        "extras.ContactAssociation",
    )
    for label in watched:
        model = global_apps.get_model(label)
        post_save.connect(request_knowledge_refresh, sender=model, dispatch_uid=f"techmgmt_refresh_save_{label}")
        post_delete.connect(request_knowledge_refresh, sender=model, dispatch_uid=f"techmgmt_refresh_delete_{label}")
    m2m_through = (
        global_apps.get_model("extras.Team").contacts.through,  # team membership decides custodian skill
        global_apps.get_model("nautobot_techmgmt.Certification").technologies.through,
        global_apps.get_model("nautobot_techmgmt.SupportContract").technologies.through,
    )
    for through in m2m_through:
        m2m_changed.connect(
            request_knowledge_refresh, sender=through, dispatch_uid=f"techmgmt_refresh_m2m_{through._meta.label}"
        )


_connect_knowledge_refresh()
