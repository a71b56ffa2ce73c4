"""The technology tree of Meridian Freight and the scopes that tie it to inventory."""

from nautobot.extras.models import Status

from nautobot_techmgmt.choices import TechnologyCategoryChoices as Category
from nautobot_techmgmt.models import Technology, TechnologyScope

NET, SEC, SRV = "Network Engineering", "Security Operations", "Server & Virtualisation"
STO, DBA, APP = "Storage & Backup", "Database Services", "Application Platforms"
ANNA, ISABEL, NADIA, UMA = "Anna Kowalski", "Isabel Romero", "Nadia Petrova", "Uma Reddy"
YASMIN, CHLOE, HELEN = "Yasmin Farouk", "Chloe Martin", "Helen Price"

# (name, parent, category, status, custodian team, technical manager,
#  required experts, qualified level, certification required, description) - parents before children.
TECHNOLOGIES = (
    ("Network", None, Category.NETWORK, "Active", NET, ANNA, 1, 3, False, "Networking as a knowledge area"),
    ("Routing", "Network", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "IP routing on WAN and DC edge"),
    ("Junos", "Routing", Category.NETWORK, "Active", NET, ANNA, 2, 3, True, "Juniper Junos OS on MX, SRX and EX"),
    ("Cisco IOS-XE", "Routing", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Office routers and switches"),
    ("BGP", "Routing", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Internet and MPLS edge routing"),
    ("Switching", "Network", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Ethernet switching"),
    ("Arista EOS", "Switching", Category.NETWORK, "Active", NET, ANNA, 3, 3, False, "Data-centre fabric switches"),
    ("EVPN-VXLAN Fabric", "Switching", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Leaf-spine overlay"),
    ("WAN", "Network", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Carrier services and their design"),
    ("MPLS VPN", "WAN", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Site-to-site MPLS L3VPN"),
    ("Internet Transit", "WAN", Category.NETWORK, "Active", NET, ANNA, 2, 3, False, "Internet access circuits"),
    ("Security", None, Category.SECURITY, "Active", SEC, ISABEL, 1, 3, False, "Security as a knowledge area"),
    ("Firewalls", "Security", Category.SECURITY, "Active", SEC, ISABEL, 2, 3, False, "Firewall policy and design"),
    ("Palo Alto PAN-OS", "Firewalls", Category.SECURITY, "Active", SEC, ISABEL, 2, 3, True, "PA-series firewalls"),
    # Custodian is Network Engineering for historical reasons; the SRX skills sit in Security Operations.
    ("Juniper SRX", "Firewalls", Category.SECURITY, "Active", NET, ISABEL, 2, 3, False, "SRX data-centre firewalls"),
    ("Server", None, Category.SERVER, "Active", SRV, NADIA, 1, 3, False, "Servers as a knowledge area"),
    ("Linux", "Server", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "Linux administration"),
    ("Red Hat Enterprise Linux", "Linux", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "RHEL 8 and 9"),
    ("Windows Server", "Server", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "Windows Server 2019/2022"),
    ("Active Directory", "Windows Server", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "Directory"),
    ("Dell PowerEdge", "Server", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "Dell server hardware"),
    ("HPE ProLiant", "Server", Category.SERVER, "Active", SRV, NADIA, 2, 3, False, "HPE server hardware"),
    ("Virtualization", "Server", Category.SERVER, "Active", SRV, NADIA, 1, 3, False, "Server virtualisation"),
    ("VMware vSphere", "Virtualization", Category.SERVER, "Active", SRV, NADIA, 2, 3, True, "ESXi and vCenter"),
    ("Storage", None, Category.STORAGE, "Active", STO, UMA, 1, 3, False, "Storage as a knowledge area"),
    ("NetApp ONTAP", "Storage", Category.STORAGE, "Active", STO, UMA, 2, 3, True, "AFF arrays, NFS and iSCSI"),
    ("Pure Storage FlashArray", "Storage", Category.STORAGE, "Active", STO, UMA, 2, 4, False, "FlashArray//X"),
    ("Veeam Backup & Replication", "Storage", Category.STORAGE, "Active", STO, UMA, 2, 3, False, "Backup"),
    ("Database", None, Category.DATABASE, "Active", DBA, YASMIN, 1, 3, False, "Databases as a knowledge area"),
    ("PostgreSQL", "Database", Category.DATABASE, "Active", DBA, YASMIN, 2, 3, False, "PostgreSQL 15 clusters"),
    ("Microsoft SQL Server", "Database", Category.DATABASE, "Active", DBA, YASMIN, 2, 3, False, "SQL Server 2019"),
    (
        "Oracle Database",
        "Database",
        Category.DATABASE,
        "Retiring",
        DBA,
        YASMIN,
        1,
        3,
        False,
        "Last instance migrated to PostgreSQL; kept for restores of archived data",
    ),
    ("Cloud", None, Category.CLOUD, "Active", APP, CHLOE, 1, 3, False, "Public cloud as a knowledge area"),
    ("Amazon Web Services", "Cloud", Category.CLOUD, "Active", APP, CHLOE, 2, 3, False, "AWS via Direct Connect"),
    (
        "Microsoft Azure",
        "Cloud",
        Category.CLOUD,
        "Planned",
        None,
        CHLOE,
        2,
        3,
        False,
        "Evaluated for the 2027 workplace programme; nothing deployed yet",
    ),
    ("Red Hat OpenShift", "Cloud", Category.CLOUD, "Active", APP, CHLOE, 2, 3, False, "Container platform"),
    ("Application", None, Category.APPLICATION, "Active", APP, CHLOE, 1, 3, False, "Application platforms"),
    (
        "Apache Kafka",
        "Application",
        Category.APPLICATION,
        "Active",
        APP,
        CHLOE,
        2,
        3,
        False,
        "Shipment event streaming; the engineer who built it left",
    ),
    ("Desktop", None, Category.DESKTOP, "Active", None, HELEN, 1, 3, False, "End-user computing"),
    (
        "Windows 11 Enterprise",
        "Desktop",
        Category.DESKTOP,
        "Active",
        None,
        HELEN,
        2,
        3,
        False,
        "Office desktops; custodianship not reassigned since desktop support was outsourced",
    ),
)

# technology -> [(target field, estate attribute, key)]
SCOPES = {
    "Routing": [("device_role", "roles", "Router")],
    "Junos": [("platform", "platforms", "junos")],
    "Cisco IOS-XE": [("platform", "platforms", "ios-xe")],
    "BGP": [("device_type", "device_types", "MX204")],
    "Switching": [("device_role", "roles", "Switch")],
    "Arista EOS": [("manufacturer", "manufacturers", "Arista")],
    "EVPN-VXLAN Fabric": [
        ("device_type", "device_types", "DCS-7280SR3-48YC8"),
        ("device_type", "device_types", "DCS-7050SX3-48YC8"),
    ],
    "WAN": [("provider", "providers", "Colt Technology Services")],
    "MPLS VPN": [("circuit_type", "circuit_types", "MPLS VPN")],
    "Internet Transit": [("circuit_type", "circuit_types", "Internet Transit")],
    "Firewalls": [("dynamic_group", "dynamic_groups", "All firewalls")],
    "Palo Alto PAN-OS": [("platform", "platforms", "panos")],
    "Juniper SRX": [("device_type", "device_types", "SRX4600")],
    "Red Hat Enterprise Linux": [("platform", "platforms", "rhel")],
    "Windows Server": [("platform", "platforms", "windows-server")],
    "Active Directory": [
        ("virtual_machine", "virtual_machines", name) for name in ("ams-dc-01", "fra-dc-01", "nyc-dc-01")
    ],
    "Dell PowerEdge": [("manufacturer", "manufacturers", "Dell")],
    "HPE ProLiant": [("manufacturer", "manufacturers", "HPE")],
    "VMware vSphere": [
        ("cluster_type", "cluster_types", "VMware vSphere"),
        ("platform", "platforms", "vmware-esxi"),
    ],
    "Storage": [("dynamic_group", "dynamic_groups", "Storage arrays")],
    "NetApp ONTAP": [("platform", "platforms", "ontap")],
    "Pure Storage FlashArray": [("platform", "platforms", "purity")],
    "Veeam Backup & Replication": [("device", "devices", "ams-bkp-01"), ("device", "devices", "nyc-bkp-01")],
    "PostgreSQL": [
        *(
            ("virtual_machine", "virtual_machines", name)
            for name in ("ams-pg-01", "ams-pg-02", "fra-pg-01", "nyc-pg-01")
        ),
        # Managed PostgreSQL: every RDS instance, whichever account it runs in.
        ("cloud_resource_type", "cloud_resource_types", "Amazon RDS for PostgreSQL"),
    ],
    "Microsoft SQL Server": [
        ("virtual_machine", "virtual_machines", name) for name in ("ams-sql-01", "fra-sql-01", "nyc-sql-01")
    ],
    "Amazon Web Services": [
        ("provider", "providers", "Amazon Web Services"),
        # Object storage is run as AWS knowledge: no storage team of its own.
        ("cloud_resource_type", "cloud_resource_types", "Amazon S3 bucket"),
    ],
    "Red Hat OpenShift": [("cluster_type", "cluster_types", "Red Hat OpenShift")],
    "Apache Kafka": [
        ("virtual_machine", "virtual_machines", name) for name in ("nyc-kafka-01", "nyc-kafka-02", "nyc-kafka-03")
    ],
    # Not the location London Office: that would put a desktop operating system on the office routers too.
    "Windows 11 Enterprise": [("dynamic_group", "dynamic_groups", "London Office desktops")],
}


def load(loader, estate, staff):
    """Create or update the technologies and their scopes; return {name: Technology}."""
    status = {s.name: s for s in Status.objects.filter(name__in=("Active", "Planned", "Retiring"))}
    technology = {}
    for name, parent, category, status_name, team, manager, required, level, certified, description in TECHNOLOGIES:
        technology[name] = loader.ensure(
            Technology,
            {"name": name},
            parent=technology[parent] if parent else None,
            category=category,
            status=status[status_name],
            custodian_team=staff.teams[team] if team else None,
            technical_manager=staff.contacts[manager],
            required_experts=required,
            qualified_level=level,
            certification_required=certified,
            description=description,
        )
    for name, targets in SCOPES.items():
        for field_name, attribute, key in targets:
            loader.ensure(
                TechnologyScope, {"technology": technology[name], field_name: getattr(estate, attribute)[key]}
            )
    return technology
