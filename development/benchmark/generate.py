"""Generate the benchmark estate in the current database, and tell whether a database already holds it."""

import hashlib
import json
import time
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from nautobot.circuits.models import Circuit
from nautobot.dcim.models import Device, Location
from nautobot.extras.models import (
    Contact,
    ContactAssociation,
    DynamicGroup,
    Note,
    ObjectChange,
    StaticGroupAssociation,
    Tag,
    Team,
)
from nautobot.virtualization.models import Cluster, VirtualMachine

from development.benchmark import history, inventory, knowledge, people
from development.benchmark.builder import Builder
from development.benchmark.scales import DEFAULT_SEED, REQUESTED
from nautobot_techmgmt import models

# Bump when the generator changes what it builds, so that estates built by an older one are rebuilt.
GENERATOR_VERSION = 3
MARKER_TAG = "Benchmark estate"

COUNTED = {
    "devices": Device.objects,
    "circuits": Circuit.objects,
    "virtual_machines": VirtualMachine.objects,
    "clusters": Cluster.objects,
    "experts": models.Expert.objects,
    "technologies": models.Technology.objects,
    "skills": models.Skill.objects,
    "scopes": models.TechnologyScope.objects,
    "responsibilities": models.Responsibility.objects,
    "certifications_held": models.ExpertCertification.objects,
    # The generated users (the benchmark's own superuser and the test suite's users are not among them).
    "users": get_user_model().objects.filter(email__iendswith=history.DOMAIN),
    # The generated history (the app's own change log of its gap register grows as the benchmark runs).
    "change_log": ObjectChange.objects.filter(
        changed_object_type__app_label="dcim", changed_object_type__model__in=history.LOGGED_MODELS
    ),
    "notes": Note.objects,
    "locations": Location.objects,
    "teams": Team.objects,
    "contacts": Contact.objects,
    "certifications": models.Certification.objects,
    "availability_agreements": models.AvailabilityAgreement.objects,
    "training_plans": models.TrainingPlan.objects,
    "suppliers": models.Supplier.objects,
    "support_contracts": models.SupportContract.objects,
    "contracts_with_hours": models.SupportContract.objects.filter(hours_per_month__gt=0),
    "effort_models": models.EffortModel.objects,
    "dynamic_groups": DynamicGroup.objects,
    "dynamic_group_members": StaticGroupAssociation.all_objects,
    "custodian_associations": ContactAssociation.objects.filter(role__name="Custodian"),
    "object_knowledge": models.ObjectKnowledge.objects,
    "user_mappings": models.UserContact.objects,
    "technology_activity": models.TechnologyActivity.objects,
}


def dataset_counts():
    """Rows of each kind in the database: the requested kinds first, then the rest of the estate."""
    return {name: queryset.count() for name, queryset in COUNTED.items()}


def marker(counts, seed):
    """The text the marker tag holds for an estate of these counts from this seed and generator version."""
    digest = hashlib.sha256(json.dumps([counts, seed], sort_keys=True).encode()).hexdigest()[:16]
    return f"generator {GENERATOR_VERSION}, seed {seed}, counts {digest}"


def holds_estate(counts, seed=DEFAULT_SEED):
    """Whether the database holds the estate generated for these counts and seed (marker and row counts agree)."""
    tag = Tag.objects.filter(name=MARKER_TAG).first()
    if tag is None or not tag.description.startswith(marker(counts, seed)):
        return False
    found = dataset_counts()
    return all(found[name] == counts[name] for name in REQUESTED)


def is_empty():
    """Whether the database holds no inventory and no app data yet (a freshly migrated database)."""
    return not any(COUNTED[name].exists() for name in ("devices", "technologies", "locations", "experts"))


def generate(counts, seed=DEFAULT_SEED, today=None, say=print):
    """Build the whole estate in one transaction (all or nothing); return the seconds it took.

    Args:
        counts: {kind: number} with every key of REQUESTED (see scales.SCALES).
        seed: seed of the random generator; the same seed builds the same estate, ids included.
        today: the day relative dates (expiry, agreements) are counted from; default today.
        say: where progress lines go.
    """
    started = time.perf_counter()
    builder = Builder(counts, seed, today or date.today())
    steps = (
        ("inventory", lambda: inventory.build(builder)),
        ("staff", lambda: people.build_staff(builder)),
        ("technologies", lambda: knowledge.build_technologies(builder, results["staff"])),
        ("skills", lambda: people.build_skills(builder, results["staff"], results["technologies"])),
        ("certifications", lambda: people.build_certifications(builder, results["staff"], results["technologies"])),
        ("agreements", lambda: people.build_agreements(builder, results["staff"])),
        ("suppliers", lambda: knowledge.build_suppliers(builder, results["technologies"])),
        ("training", lambda: people.build_training(builder, results["staff"], results["suppliers"])),
        ("scopes", lambda: knowledge.build_scopes(builder, results["inventory"], results["technologies"])),
        (
            "responsibilities",
            lambda: knowledge.build_responsibilities(
                builder, results["inventory"], results["staff"], results["technologies"]
            ),
        ),
        # Last, so that the seeded draws of everything before are those of estates generated without them.
        ("users", lambda: history.build_users(builder, results["staff"])),
        ("change log", lambda: history.build_change_log(builder, results["users"])),
        # After the history, so that everything before is drawn as it was before expert hours had models.
        ("effort models", lambda: knowledge.build_capacity(builder, results["technologies"])),
    )
    results = {}
    with transaction.atomic():
        for name, step in steps:
            step_started = time.perf_counter()
            results[name] = step()
            say(f"  {name:<17} {time.perf_counter() - step_started:7.1f} s")
        Tag.objects.update_or_create(
            name=MARKER_TAG,
            defaults={"description": f"{marker(counts, seed)}, built {builder.today.isoformat()}"},
        )
    return time.perf_counter() - started
