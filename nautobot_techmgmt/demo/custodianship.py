"""Who is responsible for what: custodians by rule and by object, support and escalation."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from nautobot.extras.models import ContactAssociation, Status
from nautobot.extras.models import Role as CoreRole

from nautobot_techmgmt.choices import ResponsibilityRoleChoices as Role
from nautobot_techmgmt.models import Responsibility
from nautobot_techmgmt.models.targets import TARGET_FIELDS

# (team or None, expert or None, role, technology or None, (target field, estate attribute, key) or None,
#  escalation tier, hours per week or None, comments)
RESPONSIBILITIES = (
    # Custodians by rule. Each names its technology, so it does not make the team custodian of
    # every other technology on the same objects.
    (
        "Network Engineering",
        None,
        Role.CUSTODIAN,
        "Junos",
        ("platform", "platforms", "junos"),
        1,
        None,
        "Every Junos device, whatever its role.",
    ),
    (
        "Security Operations",
        None,
        Role.CUSTODIAN,
        "Firewalls",
        ("dynamic_group", "dynamic_groups", "All firewalls"),
        1,
        None,
        "Firewall policy on every firewall.",
    ),
    (
        "Server & Virtualisation",
        None,
        Role.CUSTODIAN,
        "Windows Server",
        ("location", "locations", "Americas"),
        1,
        None,
        "Windows servers in the Americas region.",
    ),
    (
        None,
        "Wendy Clarke",
        Role.CUSTODIAN,
        "Veeam Backup & Replication",
        ("device", "devices", "ams-bkp-01"),
        1,
        "4.0",
        "Owns the Amsterdam backup server.",
    ),
    (
        "Database Services",
        None,
        Role.CUSTODIAN,
        "PostgreSQL",
        ("cloud_account", "cloud_accounts", "meridian-prod"),
        1,
        None,
        "Managed PostgreSQL in the production AWS account.",
    ),
    # Custodian teams on technologies, recorded as responsibilities as well.
    ("Storage & Backup", None, Role.CUSTODIAN, "NetApp ONTAP", None, 1, None, ""),
    ("Database Services", None, Role.CUSTODIAN, "PostgreSQL", None, 1, None, ""),
    # Support and escalation.
    (
        "Security Operations",
        None,
        Role.BACKUP_SUPPORT,
        "Juniper SRX",
        None,
        1,
        "4.0",
        "Holds the SRX skills until custodianship moves to Security Operations.",
    ),
    (None, "Farid Haddad", Role.BACKUP_SUPPORT, "Arista EOS", None, 1, "6.0", "Contract ends next year."),
    (
        None,
        "Dev Patel",
        Role.PRIMARY_SUPPORT,
        "Cisco IOS-XE",
        ("location", "locations", "Chicago Office"),
        1,
        "8.0",
        "",
    ),
    ("Network Engineering", None, Role.ESCALATION, "Junos", None, 1, None, "On-call rota."),
    (None, "Anna Kowalski", Role.ESCALATION, "Junos", None, 2, None, ""),
    (None, "Xavier Moreau", Role.ESCALATION, "Junos", None, 3, None, "Northgate Networks, under NGN-JUN-0042."),
    ("Database Services", None, Role.ESCALATION, "PostgreSQL", None, 1, None, "On-call rota."),
    (None, "Yasmin Farouk", Role.ESCALATION, "PostgreSQL", None, 2, None, ""),
    (None, "Nadia Petrova", Role.DESIGN_AUTHORITY, "VMware vSphere", None, 1, None, ""),
    (None, "Isabel Romero", Role.CHANGE_ASSESSOR, "Firewalls", None, 1, "2.0", "Reviews every firewall change."),
)

# Core contact association with the "Custodian" role: (team, estate attribute, key).
CUSTODIAN_ASSOCIATIONS = (("Storage & Backup", "devices", "ams-nas-01"),)


def load(loader, estate, staff, technology):
    """Create or update responsibilities and core custodian contact associations."""
    for team, expert, role, technology_name, target, tier, hours, comments in RESPONSIBILITIES:
        lookup = {name: None for name in TARGET_FIELDS}
        if target:
            field_name, attribute, key = target
            lookup[field_name] = getattr(estate, attribute)[key]
        lookup.update(
            team=staff.teams[team] if team else None,
            expert=staff.experts[expert] if expert else None,
            role=role,
            technology=technology[technology_name] if technology_name else None,
        )
        loader.ensure(
            Responsibility,
            lookup,
            escalation_tier=tier,
            hours_per_week=Decimal(hours) if hours else None,
            comments=comments,
        )
    for team, attribute, key in CUSTODIAN_ASSOCIATIONS:
        custodian_association(loader, staff.teams[team], getattr(estate, attribute)[key])


def custodian_association(loader, team, obj):
    """A core ContactAssociation with the "Custodian" role of `team` on `obj`."""
    return loader.ensure(
        ContactAssociation,
        {
            "team": team,
            "associated_object_type": ContentType.objects.get_for_model(obj),
            "associated_object_id": obj.pk,
            "role": CoreRole.objects.get(name="Custodian"),
        },
        status=Status.objects.get(name="Active"),
    )
