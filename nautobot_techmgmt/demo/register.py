"""The gap register's past: when today's gaps opened, gaps closed before today, and what people did about them.

The knowledge engine opens a record the moment it first sees a gap, so a register filled by loading the demo would
begin today: a trend of one day and no time to close. This module gives it the history the demo data tells.
"""

import uuid
from datetime import datetime, time
from typing import NamedTuple

from django.utils import timezone

from nautobot_techmgmt.choices import GapStatusChoices
from nautobot_techmgmt.choices import ResponsibilityRoleChoices as Role
from nautobot_techmgmt.demo.people import DOMAIN
from nautobot_techmgmt.knowledge import Gap, Knowledge
from nautobot_techmgmt.knowledge.materialize import rebuild_knowledge
from nautobot_techmgmt.models import (
    KnowledgeGap,
    KnowledgeRefresh,
    PendingChange,
    Responsibility,
    SupportContract,
    TrainingPlan,
)

# The time of day every demo gap opened and closed, in the current time zone.
TIME_OF_DAY = time(9, 0)

# Today's gaps (the engine finds them; see the package docstring): (technology, kind) -> opened: days from today.
OPENED = {
    ("Juniper SRX", "custodian_lacks_skill"): -120,
    # The engineer who built the platform left; the Confluent retainer covered it (vendor_only) until it ended.
    ("Apache Kafka", "custodian_lacks_skill"): -118,
    ("Apache Kafka", "no_expert"): -60,
    # Daniel Fischer, not qualified, took the Kafka calls when the engineer who built the platform left.
    ("Apache Kafka", "unqualified_escalation"): -118,
    ("Windows 11 Enterprise", "no_custodian"): -100,
    ("Pure Storage FlashArray", "vendor_only"): -95,
    ("Pure Storage FlashArray", "custodian_lacks_skill"): -95,
    # Nobody took the arrays' first call when they were installed: the Pure Storage contract is their support path.
    ("Pure Storage FlashArray", "no_primary_support"): -95,
    ("Cisco IOS-XE", "single_expert"): -84,
    # Farid Haddad joined: Carla Mendes was no longer the single Arista expert while Grace O'Neill is on leave.
    ("Arista EOS", "below_target"): -40,
    # Victor Huang's NetApp NCDA, 40 days left, entered the 90-day warning window.
    ("NetApp ONTAP", "certification_expiring"): -50,
    # Victor Huang's agreement ended.
    ("Veeam Backup & Replication", "no_capacity"): -20,
}


class Remediation(NamedTuple):
    """Owner and remediation of a gap record; experts, teams and technologies by name."""

    owner_team: str = None
    owner_contact: str = None
    training_plans: tuple = ()  # (expert, technology)
    support_contract: str = None  # reference
    responsibility: tuple = None  # (team, expert, role, technology)
    comments: str = ""


# Today's gaps people work on: (technology, kind) -> (status, risk accepted for: days from today or None, remediation).
WORKED_ON = {
    ("Cisco IOS-XE", "single_expert"): (
        GapStatusChoices.ACKNOWLEDGED,
        None,
        Remediation(
            owner_team="Network Engineering",
            training_plans=(("Hiro Tanaka", "Cisco IOS-XE"),),
            comments="Hiro Tanaka trains to level 3 and becomes the second IOS-XE engineer for the offices.",
        ),
    ),
    ("Apache Kafka", "no_expert"): (
        GapStatusChoices.ACKNOWLEDGED,
        None,
        Remediation(
            owner_contact="Chloe Martin",
            training_plans=(("Daniel Fischer", "Apache Kafka"), ("Chloe Martin", "Apache Kafka")),
            comments="Daniel Fischer is on the Confluent administrator course; Chloe Martin follows.",
        ),
    ),
    ("Juniper SRX", "custodian_lacks_skill"): (
        GapStatusChoices.RISK_ACCEPTED,
        60,
        Remediation(
            owner_contact="Isabel Romero",
            responsibility=("Security Operations", None, Role.BACKUP_SUPPORT, "Juniper SRX"),
            comments=(
                "Custodianship of the SRX firewalls moves to Security Operations, where both SRX experts sit, with "
                "the firewall reorganisation next quarter. Until then Security Operations gives backup support."
            ),
        ),
    ),
}


class PastGap(NamedTuple):
    """A gap that opened and closed before today; `detail` is what the engine said of it then."""

    technology: str
    kind: str
    opened: int  # days from today
    closed: int
    detail: str
    remediation: Remediation


# Gaps the demo's technologies no longer have. Each ends where today's data begins.
CLOSED_GAPS = (
    PastGap(
        "Arista EOS",
        "single_expert",
        -110,
        -40,
        "Only one expert is qualified for Arista EOS; 3 needed.",
        Remediation(
            owner_team="Network Engineering",
            responsibility=(None, "Farid Haddad", Role.BACKUP_SUPPORT, "Arista EOS"),
            comments=(
                "Grace O'Neill's parental leave left Carla Mendes alone on the fabric. Contractor Farid Haddad joined "
                "as backup support; Arista EOS stays below its target of three until Grace is back."
            ),
        ),
    ),
    PastGap(
        "EVPN-VXLAN Fabric",
        "single_expert",
        -110,
        -40,
        "Only one expert is qualified for EVPN-VXLAN Fabric; 2 needed.",
        Remediation(owner_team="Network Engineering", comments="Closed when Farid Haddad joined (EVPN level 3)."),
    ),
    PastGap(
        "Apache Kafka",
        "vendor_only",
        -118,
        -60,
        "No qualified internal expert for Apache Kafka; only a supplier's support contract covers it.",
        Remediation(
            owner_contact="Chloe Martin",
            support_contract="CF-PS-1187",
            comments="The retainer was not renewed: when it ended, this became a no-expert gap.",
        ),
    ),
    PastGap(
        "Palo Alto PAN-OS",
        "no_capacity",
        -160,
        -60,
        "No qualified expert for Palo Alto PAN-OS has agreed hours in force.",
        Remediation(
            owner_team="Security Operations",
            comments="Open since Mateo Silva left; closed when the team's availability agreements were agreed.",
        ),
    ),
    PastGap(
        "Firewalls",
        "no_capacity",
        -160,
        -60,
        "No qualified expert for Firewalls has agreed hours in force.",
        Remediation(owner_team="Security Operations"),
    ),
    PastGap(
        "Palo Alto PAN-OS",
        "certification_expiring",
        -160,
        -70,
        "1 qualified expert(s) of Palo Alto PAN-OS stop being qualified within 90 days as a certification lapses.",
        Remediation(
            owner_contact="Isabel Romero",
            training_plans=(("Laura Bianchi", "Palo Alto PAN-OS"),),
            comments=(
                "Jonas Weber let his PCNSE lapse and no longer counts for PAN-OS; Isabel Romero and Kemal Aydin "
                "remain. Laura Bianchi's training restores the depth."
            ),
        ),
    ),
    PastGap(
        "VMware vSphere",
        "certification_expiring",
        -125,
        -50,
        "1 qualified expert(s) of VMware vSphere stop being qualified within 90 days as a certification lapses.",
        Remediation(owner_contact="Quentin Dubois", comments="Closed when Quentin Dubois renewed his VCP-DCV."),
    ),
    PastGap(
        "Amazon Web Services",
        "no_capacity",
        -75,
        -30,
        "No qualified expert for Amazon Web Services has agreed hours in force.",
        Remediation(
            owner_team="Application Platforms",
            comments="Closed when Chloe Martin's and Daniel Fischer's hours were agreed.",
        ),
    ),
)


def load(loader, staff, technology):
    """Bring the knowledge state and the gap register up to date, then write the register's past."""
    take_in_the_load(loader)
    knowledge = Knowledge()
    records = KnowledgeGap.objects.current().select_related("technology")
    current = {(record.technology.name, record.kind): record for record in records}
    for key, opened in OPENED.items():
        if (record := current.get(key)) is None:
            continue  # records added since the demo was first loaded have closed it
        status, accepted_for, remediation = WORKED_ON.get(key, (GapStatusChoices.OPEN, None, Remediation()))
        loader.update(
            record,
            quietly={"opened": moment(loader, opened)},
            status=status,
            risk_accepted_until=loader.days(accepted_for) if accepted_for is not None else None,
            **remediation_fields(staff, technology, remediation),
        )
        loader.ensure_related(record, "training_plans", training_plans(staff, technology, remediation))
    for past in CLOSED_GAPS:
        tech = technology[past.technology]
        # Affected: today's objects of the technology, the types without any left out as the engine does.
        affected = {key: number for key, number in knowledge.in_use.get(tech.pk, {}).items() if number}
        gap = Gap(past.kind, tech, past.detail, affected)
        record = loader.ensure(
            KnowledgeGap,
            {"id": uuid.uuid5(uuid.NAMESPACE_URL, f"https://{DOMAIN}/gap-register/{past.technology}/{past.kind}")},
            kind=past.kind,
            technology=tech,
            status=GapStatusChoices.CLOSED,
            severity=gap.severity,
            opened=moment(loader, past.opened),
            closed=moment(loader, past.closed),
            affected=gap.affected,
            affected_objects=gap.affected_objects,
            risk=gap.risk,
            detail=gap.detail,
            **remediation_fields(staff, technology, past.remediation),
        )
        loader.ensure_related(record, "training_plans", training_plans(staff, technology, past.remediation))


def take_in_the_load(loader):
    """Rebuild the knowledge state now (the demo is small), so the register holds today's gaps without a worker.

    When the load changed nothing and nothing is waiting to be taken in, the state already holds what the data says.
    """
    if not (loader.changed or PendingChange.objects.exists() or KnowledgeRefresh.objects.unfinished().exists()):
        return
    before = set(KnowledgeGap.objects.current().values_list("pk", flat=True))
    rebuild_knowledge(KnowledgeRefresh.objects.create(status=KnowledgeRefresh.STATUS_PENDING, reason="demo data"))
    after = KnowledgeGap.objects.current()
    for record in after.exclude(pk__in=before):
        loader.count_created(record)
    # Gaps that data reset to the demo's values has closed.
    for record in KnowledgeGap.objects.filter(pk__in=before).exclude(pk__in=after.values("pk")):
        loader.count_updated(record)


def moment(loader, offset):
    """The aware datetime `offset` days from the day of loading (negative: in the past), at the demo's time of day."""
    return timezone.make_aware(datetime.combine(loader.days(offset), TIME_OF_DAY))


def remediation_fields(staff, technology, remediation):
    """The record's owner, support contract, responsibility and comments."""
    responsibility = None
    if remediation.responsibility:
        team, expert, role, technology_name = remediation.responsibility
        responsibility = Responsibility.objects.filter(
            team=staff.teams[team] if team else None,
            expert=staff.experts[expert] if expert else None,
            role=role,
            technology=technology[technology_name],
        ).first()
    contract = remediation.support_contract
    return {
        "owner_team": staff.teams[remediation.owner_team] if remediation.owner_team else None,
        "owner_contact": staff.contacts[remediation.owner_contact] if remediation.owner_contact else None,
        "support_contract": SupportContract.objects.filter(reference=contract).first() if contract else None,
        "responsibility": responsibility,
        "comments": remediation.comments,
    }


def training_plans(staff, technology, remediation):
    """The training plans that remedy the gap."""
    plans = TrainingPlan.objects.none()
    for expert, technology_name in remediation.training_plans:
        plans |= TrainingPlan.objects.filter(expert=staff.experts[expert], technology=technology[technology_name])
    return list(plans)
