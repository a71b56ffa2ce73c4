"""Signal handlers: seed the statuses and the core role the app needs; keep the knowledge state fresh."""

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from nautobot.apps import nautobot_database_ready
from nautobot.extras.models import ContactAssociation

from nautobot_techmgmt import constants
from nautobot_techmgmt.knowledge import activity, state
from nautobot_techmgmt.knowledge.rebuild import start_asked_rebuild  # also connects its state.rebuild_needed receiver
from nautobot_techmgmt.knowledge.schema import resolve_path
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    Certification,
    Expert,
    ExpertCertification,
    ObjectKnowledge,
    PendingChange,
    Responsibility,
    Skill,
    SupportContract,
    TechnologyScope,
)
from nautobot_techmgmt.models.coverage import OBJECT_FIELD_OF_MODEL
from nautobot_techmgmt.object_types import OBJECT_TYPES, OBJECT_TYPES_BY_LABEL, RULE_TARGETS, RULE_TARGETS_BY_FIELD


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


def seed_custodian_role(sender, *, apps=global_apps, **kwargs):  # pylint: disable=unused-argument
    """Create the core role "Custodian" for contact associations, so the default `custodian_roles` works at once."""
    role_model = apps.get_model("extras", "Role")
    association_model = apps.get_model("extras", "ContactAssociation")
    role, _ = role_model.objects.get_or_create(
        name="Custodian",
        defaults={
            "color": "3f51b5",
            "description": "Custodian of the object's technical knowledge (Technical Management).",
        },
    )
    role.content_types.add(ContentType.objects.get_for_model(association_model).pk)


nautobot_database_ready.connect(seed_custodian_role, sender=global_apps.get_app_config("nautobot_techmgmt"))


def start_rebuild_if_asked(sender, **kwargs):  # pylint: disable=unused-argument
    """After migrate or post_upgrade: start the rebuild of the knowledge state that a migration asked for."""
    start_asked_rebuild()


nautobot_database_ready.connect(start_rebuild_if_asked, sender=global_apps.get_app_config("nautobot_techmgmt"))


# --- Keep the knowledge state fresh: each change records what it can touch (knowledge/state.py) -------------------

INVENTORY = OBJECT_TYPES_BY_LABEL
# Rule targets (scope/responsibility target fields) by model label, apart from the inventory objects themselves.
RULE_TARGET_FIELDS = {target.model_label.lower(): target.field for target in RULE_TARGETS}
# Object types whose objects other types reach through (a cluster's type and location are its virtual machines').
CONTAINERS = {field for object_type in OBJECT_TYPES for field in object_type.contained_in}


def structural_fields():
    """{model label: attnames} of the rule-target fields whose change moves objects between answers.

    Read from the registry's relation paths: on `device_type__manufacturer` a device type's manufacturer is one; a
    tree's parent is one too. Any other change of a rule target only renames a source text.
    """
    found = {}
    for object_type in OBJECT_TYPES:
        model = object_type.model
        for target_field, paths in object_type.reach.items():
            to = RULE_TARGETS_BY_FIELD[target_field].model_label
            for path in paths:
                hops = resolve_path(model, path, to)
                for hop, next_hop in zip(hops[:-1], hops[1:], strict=True):
                    found.setdefault(hop.related_model._meta.label_lower, set()).add(next_hop.attname)
    for target in RULE_TARGETS:
        if target.tree_parent:
            model = global_apps.get_model(target.model_label)
            found.setdefault(model._meta.label_lower, set()).add(model._meta.get_field(target.tree_parent).attname)
    return {label: tuple(sorted(names)) for label, names in found.items()}


STRUCTURAL_FIELDS = structural_fields()


def _remember_before(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """Keep the stored version of an instance about to be saved, to know what it pointed at before."""
    # `_state.adding` is Django's documented way to tell an instance not yet saved.
    if not raw and not instance._state.adding:  # pylint: disable=protected-access
        instance.techmgmt_before = sender.objects.filter(pk=instance.pk).first()


def _before(instance):
    return getattr(instance, "techmgmt_before", None)


def _now_and_before(instance):
    """The instance as saved and as it was stored before (two versions of one row: a set would keep one)."""
    return [record for record in (instance, _before(instance)) if record is not None]


def inventory_saved(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """An inventory object changed: recompute it, and the objects that reach through it (a cluster's VMs)."""
    if raw:
        return
    object_type = INVENTORY[sender._meta.label_lower]
    if object_type.field in CONTAINERS:
        state.record_rule(object_type.field, instance.pk)
    else:
        state.record_objects(object_type.key, [instance.pk])


def inventory_deleting(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """An object is being deleted (its rows go with it): count its technologies' custodian groups again.

    Its technologies are remembered, so its change history keeps counting for them (candidate experts).
    """
    object_type = INVENTORY[sender._meta.label_lower]
    technology_ids = list(
        ObjectKnowledge.objects.filter(**{object_type.field: instance.pk}).values_list("technology_id", flat=True)
    )
    state.record_technologies(technology_ids, kind=PendingChange.KIND_RECOUNT)
    activity.retire_object(object_type, instance.pk, technology_ids)


def rule_target_saved(sender, instance, created=False, raw=False, **kwargs):  # pylint: disable=unused-argument
    """A platform, location, dynamic group, ... changed: the objects it matches, if the change can move them."""
    if raw or created:
        return
    label = sender._meta.label_lower
    field = RULE_TARGET_FIELDS[label]
    before = _before(instance)
    structural = any(
        before is None or getattr(before, name) != getattr(instance, name) for name in STRUCTURAL_FIELDS.get(label, ())
    )
    # A renamed target that a responsibility points at changes the "inherited from ..." text of its objects.
    renamed = before is not None and str(before) != str(instance) and _responsibility_points_at(field, instance.pk)
    if structural or renamed or field == "dynamic_group":
        state.record_rule(field, instance.pk)


def rule_target_deleting(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """A rule target is being deleted: its objects, found now, while they still point at it.

    Core sets some of these relations to null on delete without saving the objects (a cloud service's account, a
    device's platform); afterwards nothing would lead to the objects whose answers it changed.
    """
    for key, ids in state.matched_objects(RULE_TARGET_FIELDS[sender._meta.label_lower], instance.pk).items():
        state.record_objects(key, ids)


def _responsibility_points_at(field, pk):
    if Responsibility.objects.filter(**{f"{field}_id": pk}).exists():
        return True
    return ContactAssociation.objects.filter(associated_object_id=pk).exists()


def group_membership_changed(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """An object joined or left a dynamic group."""
    if raw:
        return
    label = ".".join(ContentType.objects.get_for_id(instance.associated_object_type_id).natural_key())
    if object_type := INVENTORY.get(label):
        state.record_objects(object_type.key, [instance.associated_object_id])


def rule_changed(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """A scope or a responsibility (in any role) changed: the objects its old and new target match."""
    if raw:
        return
    for record in _now_and_before(instance):
        if record.target_field:
            state.record_rule(record.target_field, getattr(record, f"{record.target_field}_id"))
        elif record.technology_id:
            state.record_rule("technology", record.technology_id)
    if sender is TechnologyScope:
        state.record_technologies([instance.technology_id])


def contact_association_changed(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """A core contact association changed: it may be a custodian of its object, or hold another role (by role)."""
    if raw:
        return
    label = ".".join(ContentType.objects.get_for_id(instance.associated_object_type_id).natural_key())
    field = RULE_TARGET_FIELDS.get(label) or OBJECT_FIELD_OF_MODEL.get(label)
    if field:
        state.record_rule(field, instance.associated_object_id)


def technology_saved(sender, instance, created=False, raw=False, **kwargs):  # pylint: disable=unused-argument
    """A technology changed: its people side; and its objects when its custodian team or name changed."""
    if raw:
        return
    before = _before(instance)
    if before is not None and (before.custodian_team_id, before.name) != (instance.custodian_team_id, instance.name):
        state.record_rule("technology", instance.pk)
    state.record_technologies([instance.pk])


CUSTODIAN_FIELDS = {
    "extras.team": "custodian_team",
    "nautobot_techmgmt.expert": "custodian_expert",
    "extras.contact": "custodian_contact",
}


def custodian_deleting(sender, instance, **kwargs):  # pylint: disable=unused-argument
    """A team, expert or contact is being deleted: its objects, and a recount of their technologies.

    Found now: on delete the rows lose it, and its custodian counts go with it.
    """
    rows = ObjectKnowledge.objects.filter(**{f"{CUSTODIAN_FIELDS[sender._meta.label_lower]}_id": instance.pk})
    for key, ids in state.objects_of_rows(rows).items():
        state.record_objects(key, ids)
    state.record_technologies(rows.values_list("technology_id", flat=True), kind=PendingChange.KIND_RECOUNT)


def people_changed(sender, instance, raw=False, **kwargs):  # pylint: disable=unused-argument
    """A skill, expert, certification, agreement or contract changed: the technologies it touches."""
    if raw:
        return
    state.record_technologies(
        technology_id for record in _now_and_before(instance) for technology_id in touched(record)
    )


def touched(record):
    """Ids of the technologies whose people side a record of the app's people models can change."""
    if isinstance(record, Skill):
        return [record.technology_id]
    if isinstance(record, Expert):
        return record.skills.values_list("technology_id", flat=True)
    if isinstance(record, AvailabilityAgreement):
        return Skill.objects.filter(expert_id=record.expert_id).values_list("technology_id", flat=True)
    if isinstance(record, ExpertCertification):
        return Certification.technologies.through.objects.filter(certification_id=record.certification_id).values_list(
            "technology_id", flat=True
        )
    if isinstance(record, (Certification, SupportContract)):
        return record.technologies.values_list("pk", flat=True)
    return []


def technologies_linked(sender, instance, action, pk_set=None, reverse=False, **kwargs):  # pylint: disable=unused-argument
    """Technologies added to or removed from a certification or a support contract."""
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    if reverse:  # instance is a Technology
        state.record_technologies([instance.pk])
    else:
        state.record_technologies([*(pk_set or ()), *touched(instance)])


def team_members_changed(sender, instance, action, pk_set=None, reverse=False, **kwargs):  # pylint: disable=unused-argument
    """People joined or left a team: custodian teams may gain or lose the skill."""
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    contact_ids = (
        [instance.pk] if reverse else list(pk_set or ()) or list(instance.contacts.values_list("pk", flat=True))
    )
    state.record_technologies(
        Skill.objects.filter(expert__contact_id__in=contact_ids).values_list("technology_id", flat=True)
    )


def _connect():
    """Connect the handlers to the models whose changes can alter an answer."""
    remembered = (
        "nautobot_techmgmt.Technology",
        "nautobot_techmgmt.TechnologyScope",
        "nautobot_techmgmt.Responsibility",
        "nautobot_techmgmt.Skill",
        "nautobot_techmgmt.ExpertCertification",
        "nautobot_techmgmt.AvailabilityAgreement",
        *(target.model_label for target in RULE_TARGETS),
    )
    connections = [(pre_save, _remember_before, label) for label in remembered]
    for label in INVENTORY:
        connections += [(post_save, inventory_saved, label), (pre_delete, inventory_deleting, label)]
    for label in RULE_TARGET_FIELDS:
        connections += [(post_save, rule_target_saved, label), (pre_delete, rule_target_deleting, label)]
    connections += [
        (post_save, group_membership_changed, "extras.StaticGroupAssociation"),
        (post_delete, group_membership_changed, "extras.StaticGroupAssociation"),
        (post_save, contact_association_changed, "extras.ContactAssociation"),
        (post_delete, contact_association_changed, "extras.ContactAssociation"),
        *(
            (pre_delete, custodian_deleting, label)
            for label in ("extras.Team", "nautobot_techmgmt.Expert", "extras.Contact")
        ),
        (post_save, technology_saved, "nautobot_techmgmt.Technology"),
    ]
    for label in ("nautobot_techmgmt.TechnologyScope", "nautobot_techmgmt.Responsibility"):
        connections += [(post_save, rule_changed, label), (post_delete, rule_changed, label)]
    for label in (
        "nautobot_techmgmt.Skill",
        "nautobot_techmgmt.Expert",
        "nautobot_techmgmt.ExpertCertification",
        "nautobot_techmgmt.AvailabilityAgreement",
    ):
        connections += [(post_save, people_changed, label), (post_delete, people_changed, label)]
    # Their technologies are a many-to-many whose rows are gone by post_delete: they are read before the delete.
    for label in ("nautobot_techmgmt.Certification", "nautobot_techmgmt.SupportContract"):
        connections += [(post_save, people_changed, label), (pre_delete, people_changed, label)]
    for signal, handler, label in connections:
        signal.connect(
            handler, sender=global_apps.get_model(label), dispatch_uid=f"techmgmt_{handler.__name__}_{signal}_{label}"
        )
    for through, handler in (
        (global_apps.get_model("nautobot_techmgmt.Certification").technologies.through, technologies_linked),
        (global_apps.get_model("nautobot_techmgmt.SupportContract").technologies.through, technologies_linked),
        (global_apps.get_model("extras.Team").contacts.through, team_members_changed),
    ):
        m2m_changed.connect(handler, sender=through, dispatch_uid=f"techmgmt_{handler.__name__}_{through._meta.label}")


_connect()
