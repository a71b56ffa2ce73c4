"""Signal handlers: seed the statuses the app's models need."""

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from nautobot.apps import nautobot_database_ready

from nautobot_techmgmt import constants


def seed_statuses(sender, *, apps=global_apps, **kwargs):  # pylint: disable=unused-argument
    """Create the app's statuses and attach them to their models; safe to run any number of times."""
    status_model = apps.get_model("extras", "Status")
    seeds = {
        "technology": constants.TECHNOLOGY_STATUSES,
        "expert": constants.EXPERT_STATUSES,
        "availabilityagreement": constants.AGREEMENT_STATUSES,
        "trainingplan": constants.TRAINING_STATUSES,
    }
    for model_name, statuses in seeds.items():
        content_type = ContentType.objects.get_for_model(apps.get_model("nautobot_techmgmt", model_name))
        for name, color, description in statuses:
            status, _ = status_model.objects.get_or_create(
                name=name, defaults={"color": color, "description": description}
            )
            status.content_types.add(content_type.pk)


nautobot_database_ready.connect(seed_statuses, sender=global_apps.get_app_config("nautobot_techmgmt"))
