"""Who is responsible for what: custodians by rule and by object, support, escalation and change assessment."""

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
    # Primary support. Network Engineering takes the first call for every technology of the routers and switches;
    # elsewhere the custodian team of each technology does (PRIMARY_SUPPORT_TEAMS), but for these.
    (
        "Network Engineering",
        None,
        Role.PRIMARY_SUPPORT,
        None,
        ("device_role", "roles", "Router"),
        1,
        None,
        "Network on-call rota, for everything that runs on a router.",
    ),
    (
        "Network Engineering",
        None,
        Role.PRIMARY_SUPPORT,
        None,
        ("device_role", "roles", "Switch"),
        1,
        None,
        "Network on-call rota, for everything that runs on a switch.",
    ),
    (
        None,
        "Kemal Aydin",
        Role.PRIMARY_SUPPORT,
        "Juniper SRX",
        None,
        1,
        "4.0",
        "The SRX firewalls' first call goes to Security Operations, where the SRX skills are.",
    ),
    # Below the qualified level: the demo's unqualified escalation tier.
    (
        None,
        "Daniel Fischer",
        Role.PRIMARY_SUPPORT,
        "Apache Kafka",
        None,
        1,
        "4.0",
        "Takes the Kafka calls while on the Confluent administrator course.",
    ),
    (
        None,
        "Elif Yilmaz",
        Role.PRIMARY_SUPPORT,
        "Windows 11 Enterprise",
        None,
        1,
        "3.0",
        "Takes the desktop calls the outsourced service desk passes on.",
    ),
    # Backup support and escalation.
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
        Role.ESCALATION,
        "Cisco IOS-XE",
        ("location", "locations", "Chicago Office"),
        1,
        "8.0",
        "Looks after the office networks; the Chicago office's IOS-XE expert after the on-call rota.",
    ),
    # The network architect keeps the MPLS network she designed: more hours than its five circuits need.
    (
        None,
        "Anna Kowalski",
        Role.ESCALATION,
        "MPLS VPN",
        None,
        1,
        "6.0",
        "Designed the MPLS network; still takes every Colt and Lumen escalation herself.",
    ),
    ("Network Engineering", None, Role.ESCALATION, "Junos", None, 1, None, "On-call rota."),
    (None, "Anna Kowalski", Role.ESCALATION, "Junos", None, 2, None, ""),
    (None, "Xavier Moreau", Role.ESCALATION, "Junos", None, 3, None, "Northgate Networks, under NGN-JUN-0042."),
    ("Database Services", None, Role.ESCALATION, "PostgreSQL", None, 1, None, "On-call rota."),
    (None, "Yasmin Farouk", Role.ESCALATION, "PostgreSQL", None, 2, None, ""),
    # Who assesses a change, and who has the say on design.
    (
        "Network Engineering",
        None,
        Role.CHANGE_ASSESSOR,
        None,
        ("device_role", "roles", "Router"),
        1,
        None,
        "Every router change goes through the team's change review.",
    ),
    (
        None,
        "Ben Okafor",
        Role.CHANGE_ASSESSOR,
        "Routing",
        ("location", "locations", "EMEA"),
        2,
        "1.0",
        "Second assessor of routing changes in Europe: runs the European WAN edge.",
    ),
    (None, "Anna Kowalski", Role.DESIGN_AUTHORITY, "Routing", None, 1, None, "Network architect."),
    (None, "Nadia Petrova", Role.DESIGN_AUTHORITY, "VMware vSphere", None, 1, None, ""),
    (None, "Isabel Romero", Role.CHANGE_ASSESSOR, "Firewalls", None, 1, "2.0", "Reviews every firewall change."),
)

# Primary support by a technology's custodian team, on the technology: team -> technologies. Not here: the
# technologies of routers and switches (Network Engineering by device role, above), Juniper SRX, Apache Kafka and
# Windows 11 Enterprise (a named expert, above), and Pure Storage FlashArray, which has no primary support: nobody is
# qualified for it, its support path is the Pure Storage contract alone.
PRIMARY_SUPPORT_TEAMS = {
    "Network Engineering": ("Junos", "WAN", "MPLS VPN", "Internet Transit"),
    "Security Operations": ("Firewalls", "Palo Alto PAN-OS"),
    "Server & Virtualisation": (
        "Red Hat Enterprise Linux",
        "Windows Server",
        "Active Directory",
        "Dell PowerEdge",
        "HPE ProLiant",
        "VMware vSphere",
    ),
    "Storage & Backup": ("Storage", "NetApp ONTAP", "Veeam Backup & Replication"),
    "Database Services": ("PostgreSQL", "Microsoft SQL Server"),
    "Application Platforms": ("Amazon Web Services", "Red Hat OpenShift"),
}

# Responsibilities an earlier version of the demo held, removed when it is loaded again:
# (team, expert, role, technology, target). Dev Patel's primary support in Chicago became his escalation tier.
RETIRED = ((None, "Dev Patel", Role.PRIMARY_SUPPORT, "Cisco IOS-XE", ("location", "locations", "Chicago Office")),)

# Core contact association with the "Custodian" role: (team, estate attribute, key).
CUSTODIAN_ASSOCIATIONS = (("Storage & Backup", "devices", "ams-nas-01"),)


def load(loader, estate, staff, technology):
    """Create or update responsibilities and core custodian contact associations; remove retired responsibilities."""
    primary_support = tuple(
        (team, None, Role.PRIMARY_SUPPORT, technology_name, None, 1, None, "")
        for team, technology_names in PRIMARY_SUPPORT_TEAMS.items()
        for technology_name in technology_names
    )
    for team, expert, role, technology_name, target, tier, hours, comments in RESPONSIBILITIES + primary_support:
        loader.ensure(
            Responsibility,
            lookup(estate, staff, technology, (team, expert, role, technology_name, target)),
            escalation_tier=tier,
            hours_per_week=Decimal(hours) if hours else None,
            comments=comments,
        )
    for retired in RETIRED:
        loader.remove(Responsibility, lookup(estate, staff, technology, retired))
    for team, attribute, key in CUSTODIAN_ASSOCIATIONS:
        custodian_association(loader, staff.teams[team], getattr(estate, attribute)[key])


def lookup(estate, staff, technology, assignment):
    """The fields that identify a responsibility (team, expert, role, technology, target), every other target blank."""
    team, expert, role, technology_name, target = assignment
    fields = dict.fromkeys(TARGET_FIELDS)
    if target:
        field_name, attribute, key = target
        fields[field_name] = getattr(estate, attribute)[key]
    fields.update(
        team=staff.teams[team] if team else None,
        expert=staff.experts[expert] if expert else None,
        role=role,
        technology=technology[technology_name] if technology_name else None,
    )
    return fields


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
