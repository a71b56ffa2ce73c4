"""Core inventory of Meridian Freight: locations, hardware, devices, circuits, clusters, VMs, groups, cloud services."""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.cloud.models import CloudAccount, CloudResourceType, CloudService
from nautobot.dcim.models import Device, DeviceType, Location, LocationType, Manufacturer, Platform, SoftwareVersion
from nautobot.extras.models import DynamicGroup, Role, Status
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

# Region -> [(site, facility code, description)]
REGIONS = {
    "EMEA": [
        ("Amsterdam DC", "AMS", "Primary European data centre"),
        ("Frankfurt DC", "FRA", "Secondary European data centre"),
        ("London Office", "LON", "UK head office"),
    ],
    "Americas": [
        ("New York DC", "NYC", "North American data centre"),
        ("Chicago Office", "CHI", "Midwest operations office"),
    ],
}

MANUFACTURERS = ("Juniper", "Cisco", "Arista", "Palo Alto Networks", "Dell", "HPE", "NetApp", "Pure Storage", "Lenovo")

# model -> manufacturer
DEVICE_TYPES = {
    "MX204": "Juniper",
    "SRX4600": "Juniper",
    "EX4300-48T": "Juniper",
    "ISR4451-X": "Cisco",
    "C9300-48P": "Cisco",
    "DCS-7280SR3-48YC8": "Arista",
    "DCS-7050SX3-48YC8": "Arista",
    "PA-3220": "Palo Alto Networks",
    "PA-460": "Palo Alto Networks",
    "PowerEdge R750": "Dell",
    "PowerEdge R650": "Dell",
    "ProLiant DL380 Gen10 Plus": "HPE",
    "AFF A400": "NetApp",
    "FlashArray//X70": "Pure Storage",
    "ThinkCentre M90q": "Lenovo",
}

# name -> (manufacturer or None, network driver, description)
PLATFORMS = {
    "junos": ("Juniper", "juniper_junos", "Juniper Junos OS"),
    "ios-xe": ("Cisco", "cisco_xe", "Cisco IOS XE"),
    "eos": ("Arista", "arista_eos", "Arista EOS"),
    "panos": ("Palo Alto Networks", "paloalto_panos", "Palo Alto Networks PAN-OS"),
    "rhel": (None, "", "Red Hat Enterprise Linux"),
    "windows-server": (None, "", "Microsoft Windows Server"),
    "vmware-esxi": (None, "", "VMware ESXi hypervisor"),
    "ontap": ("NetApp", "", "NetApp ONTAP"),
    "purity": ("Pure Storage", "", "Pure Storage Purity//FA"),
    "windows-11": (None, "", "Microsoft Windows 11 Enterprise"),
    "windows-10": (None, "", "Microsoft Windows 10 Enterprise"),
}

# (platform, version, status)
SOFTWARE_VERSIONS = (
    ("junos", "22.4R3-S2", "Active"),
    ("junos", "21.4R3-S5", "End-of-Life"),
    ("ios-xe", "17.9.4a", "Active"),
    ("eos", "4.30.2F", "Active"),
    ("panos", "10.2.9", "Active"),
    ("ontap", "9.13.1", "Active"),
    ("vmware-esxi", "8.0 U2", "Active"),
)

# name -> models whose role field may use it
ROLES = {
    "Router": ("dcim.device",),
    "Switch": ("dcim.device",),
    "Firewall": ("dcim.device",),
    "Server": ("dcim.device", "virtualization.virtualmachine"),
    "Hypervisor": ("dcim.device",),
    "Storage Array": ("dcim.device",),
    "Desktop": ("dcim.device",),
    # Core contact associations with this role count as custodianship (app setting "custodian_roles").
    "Custodian": ("extras.contactassociation",),
}

# kind -> (device type, platform, software version or None, role)
DEVICE_KINDS = {
    "rtr": ("MX204", "junos", "22.4R3-S2", "Router"),
    "srx": ("SRX4600", "junos", "22.4R3-S2", "Firewall"),
    "pa": ("PA-3220", "panos", "10.2.9", "Firewall"),
    "spn": ("DCS-7280SR3-48YC8", "eos", "4.30.2F", "Switch"),
    "lf": ("DCS-7050SX3-48YC8", "eos", "4.30.2F", "Switch"),
    "oob": ("EX4300-48T", "junos", "21.4R3-S5", "Switch"),
    "mgmt": ("C9300-48P", "ios-xe", "17.9.4a", "Switch"),
    "lnx": ("PowerEdge R750", "rhel", None, "Server"),
    "win": ("PowerEdge R650", "windows-server", None, "Server"),
    "bkp": ("PowerEdge R650", "windows-server", None, "Server"),
    "esx": ("ProLiant DL380 Gen10 Plus", "vmware-esxi", "8.0 U2", "Hypervisor"),
    "nas": ("AFF A400", "ontap", "9.13.1", "Storage Array"),
    "pure": ("FlashArray//X70", "purity", None, "Storage Array"),
    "isr": ("ISR4451-X", "ios-xe", "17.9.4a", "Router"),
    "pao": ("PA-460", "panos", "10.2.9", "Firewall"),
    "acc": ("C9300-48P", "ios-xe", "17.9.4a", "Switch"),
    # Office desktops: London is on Windows 11, Chicago not yet.
    "pc": ("ThinkCentre M90q", "windows-11", None, "Desktop"),
    "pcw10": ("ThinkCentre M90q", "windows-10", None, "Desktop"),
}

# site code -> {kind: how many}; devices are named "<site>-<kind>-NN".
DEVICES_PER_SITE = {
    "AMS": {"rtr": 2, "srx": 2, "spn": 2, "lf": 8, "oob": 2, "lnx": 10, "win": 5, "bkp": 1, "esx": 6, "nas": 2},
    "FRA": {"rtr": 2, "srx": 2, "spn": 2, "lf": 8, "oob": 2, "lnx": 10, "win": 5, "esx": 6, "pure": 2},
    "NYC": {"rtr": 2, "pa": 2, "spn": 2, "lf": 8, "mgmt": 2, "lnx": 10, "win": 5, "bkp": 1, "esx": 6, "nas": 2},
    "LON": {"isr": 2, "pao": 2, "acc": 8, "win": 2, "lnx": 2, "pc": 6},
    "CHI": {"isr": 2, "pao": 2, "acc": 8, "win": 2, "lnx": 2, "pcw10": 4},
}

PROVIDERS = {
    "Colt Technology Services": "https://www.colt.net",
    "Lumen": "https://www.lumen.com",
    "Zayo": "https://www.zayo.com",
    "Verizon Business": "https://www.verizon.com/business",
    "Amazon Web Services": "https://aws.amazon.com",
}
CIRCUIT_TYPES = ("Internet Transit", "MPLS VPN", "Dark Fibre", "Cloud Interconnect")

# (provider, circuit id, circuit type, status, description)
CIRCUITS = (
    ("Colt Technology Services", "COLT-IT-40211", "Internet Transit", "Active", "Amsterdam DC internet, 10G"),
    ("Colt Technology Services", "COLT-IT-40212", "Internet Transit", "Active", "Frankfurt DC internet, 10G"),
    ("Colt Technology Services", "COLT-IT-40213", "Internet Transit", "Active", "London Office internet, 1G"),
    ("Colt Technology Services", "COLT-MPLS-77801", "MPLS VPN", "Active", "Amsterdam DC MPLS access"),
    ("Colt Technology Services", "COLT-MPLS-77802", "MPLS VPN", "Active", "Frankfurt DC MPLS access"),
    ("Colt Technology Services", "COLT-MPLS-77803", "MPLS VPN", "Active", "London Office MPLS access"),
    ("Colt Technology Services", "COLT-DF-1201", "Dark Fibre", "Active", "Amsterdam - Frankfurt DCI"),
    ("Lumen", "LMN-IT-880012", "Internet Transit", "Active", "New York DC internet, 10G"),
    ("Lumen", "LMN-IT-880013", "Internet Transit", "Active", "Chicago Office internet, 1G"),
    ("Lumen", "LMN-MPLS-55101", "MPLS VPN", "Active", "New York DC MPLS access"),
    ("Lumen", "LMN-MPLS-55102", "MPLS VPN", "Active", "Chicago Office MPLS access"),
    ("Zayo", "ZAYO-WAV-3301", "Dark Fibre", "Active", "New York - Chicago 10G wave"),
    ("Verizon Business", "VZB-IT-99120", "Internet Transit", "Provisioning", "New York DC second internet feed"),
    ("Amazon Web Services", "dxcon-fg5ty7h1", "Cloud Interconnect", "Active", "Direct Connect, New York"),
    ("Amazon Web Services", "dxcon-fh2kq9ab", "Cloud Interconnect", "Active", "Direct Connect, Amsterdam"),
)

CLUSTER_TYPES = ("VMware vSphere", "Red Hat OpenShift")
# name -> (cluster type, site)
CLUSTERS = {
    "ams-vsphere-01": ("VMware vSphere", "Amsterdam DC"),
    "fra-vsphere-01": ("VMware vSphere", "Frankfurt DC"),
    "nyc-vsphere-01": ("VMware vSphere", "New York DC"),
    "nyc-ocp-01": ("Red Hat OpenShift", "New York DC"),
}
# cluster -> [(vm name, platform)]
VIRTUAL_MACHINES = {
    "ams-vsphere-01": [
        ("ams-pg-01", "rhel"),
        ("ams-pg-02", "rhel"),
        ("ams-sql-01", "windows-server"),
        ("ams-dc-01", "windows-server"),
        ("ams-app-01", "rhel"),
        ("ams-app-02", "rhel"),
        ("ams-app-03", "rhel"),
        ("ams-web-01", "rhel"),
        ("ams-web-02", "rhel"),
    ],
    "fra-vsphere-01": [
        ("fra-dc-01", "windows-server"),
        ("fra-sql-01", "windows-server"),
        ("fra-pg-01", "rhel"),
        ("fra-app-01", "rhel"),
        ("fra-app-02", "rhel"),
        ("fra-web-01", "rhel"),
    ],
    "nyc-vsphere-01": [
        ("nyc-pg-01", "rhel"),
        ("nyc-sql-01", "windows-server"),
        ("nyc-dc-01", "windows-server"),
        ("nyc-app-01", "rhel"),
        ("nyc-app-02", "rhel"),
        ("nyc-kafka-01", "rhel"),
        ("nyc-kafka-02", "rhel"),
        ("nyc-kafka-03", "rhel"),
    ],
    "nyc-ocp-01": [
        ("nyc-ocp-master-01", "rhel"),
        ("nyc-ocp-master-02", "rhel"),
        ("nyc-ocp-master-03", "rhel"),
        ("nyc-ocp-worker-01", "rhel"),
        ("nyc-ocp-worker-02", "rhel"),
        ("nyc-ocp-worker-03", "rhel"),
        ("nyc-ocp-worker-04", "rhel"),
    ],
}

# Cloud: the provider is a manufacturer in Nautobot; accounts and resource types belong to it.
CLOUD_PROVIDER = "Amazon Web Services"
# name -> (account number, description)
CLOUD_ACCOUNTS = {
    "meridian-prod": ("210987654321", "Production AWS account (eu-central-1, us-east-1)"),
    "meridian-data": ("210987650000", "Analytics and archive AWS account"),
}
# name -> description
CLOUD_RESOURCE_TYPES = {
    "Amazon RDS for PostgreSQL": "Managed PostgreSQL database instance",
    "Amazon S3 bucket": "Object storage bucket",
}
# name -> (account, resource type, description)
CLOUD_SERVICES = {
    "shipments-db": ("meridian-prod", "Amazon RDS for PostgreSQL", "Shipment booking database (Multi-AZ)"),
    "tracking-db": ("meridian-prod", "Amazon RDS for PostgreSQL", "Parcel tracking database"),
    "customs-documents": ("meridian-prod", "Amazon S3 bucket", "Scanned customs documents"),
    "archive-2019-2024": ("meridian-data", "Amazon S3 bucket", "Closed shipments archive (Glacier tiering)"),
}

# name -> (description, device filter)
DYNAMIC_GROUPS = {
    "All firewalls": ("Every device with the Firewall role", {"role": ["Firewall"]}),
    "Storage arrays": ("Every device with the Storage Array role", {"role": ["Storage Array"]}),
    # Role and location together: a location scope would also take in the office's routers and switches.
    "London Office desktops": (
        "Desktops in the London Office",
        {"role": ["Desktop"], "location": ["London Office"]},
    ),
}


def content_type(label):
    """The ContentType of an "app_label.model" label."""
    return ContentType.objects.get_by_natural_key(*label.split("."))


def load(loader):
    """Create or update the core inventory; return it as a namespace of {name: object} dicts."""
    status = {s.name: s for s in Status.objects.all()}
    estate = SimpleNamespace(
        locations={},
        manufacturers={},
        device_types={},
        platforms={},
        software_versions={},
        roles={},
        devices={},
        providers={},
        circuit_types={},
        circuits={},
        cluster_types={},
        clusters={},
        virtual_machines={},
        dynamic_groups={},
        cloud_accounts={},
        cloud_resource_types={},
        cloud_services={},
    )
    _load_locations(loader, estate, status)
    _load_hardware(loader, estate, status)
    _load_devices(loader, estate, status)
    _load_circuits(loader, estate, status)
    _load_virtualization(loader, estate, status)
    _load_dynamic_groups(loader, estate)
    _load_cloud(loader, estate)
    return estate


def _load_locations(loader, estate, status):
    region_type = loader.ensure(LocationType, {"name": "Region"}, description="Geographic region")
    site_type = loader.ensure(LocationType, {"name": "Site"}, parent=region_type, description="Data centre or office")
    loader.ensure_related(
        site_type, "content_types", [content_type("dcim.device"), content_type("virtualization.cluster")]
    )
    for region_name, sites in REGIONS.items():
        region = loader.ensure(
            Location, {"name": region_name, "parent": None}, location_type=region_type, status=status["Active"]
        )
        estate.locations[region_name] = region
        for site_name, code, description in sites:
            estate.locations[code] = estate.locations[site_name] = loader.ensure(
                Location,
                {"name": site_name, "parent": region},
                location_type=site_type,
                status=status["Active"],
                facility=code,
                description=description,
            )


def _load_hardware(loader, estate, status):
    for name in MANUFACTURERS:
        estate.manufacturers[name] = loader.ensure(Manufacturer, {"name": name})
    for model, manufacturer in DEVICE_TYPES.items():
        estate.device_types[model] = loader.ensure(
            DeviceType, {"manufacturer": estate.manufacturers[manufacturer], "model": model}
        )
    for name, (manufacturer, driver, description) in PLATFORMS.items():
        estate.platforms[name] = loader.ensure(
            Platform,
            {"name": name},
            manufacturer=estate.manufacturers[manufacturer] if manufacturer else None,
            network_driver=driver,
            description=description,
        )
    for platform, version, status_name in SOFTWARE_VERSIONS:
        estate.software_versions[(platform, version)] = loader.ensure(
            SoftwareVersion,
            {"platform": estate.platforms[platform], "version": version},
            status=status[status_name],
        )
    for name, labels in ROLES.items():
        role = loader.ensure(Role, {"name": name})
        loader.ensure_related(role, "content_types", [content_type(label) for label in labels])
        estate.roles[name] = role


def _load_devices(loader, estate, status):
    for code, kinds in DEVICES_PER_SITE.items():
        for kind, count in kinds.items():
            device_type, platform, version, role = DEVICE_KINDS[kind]
            for number in range(1, count + 1):
                name = f"{code.lower()}-{kind}-{number:02d}"
                estate.devices[name] = loader.ensure(
                    Device,
                    {"name": name, "location": estate.locations[code]},
                    device_type=estate.device_types[device_type],
                    platform=estate.platforms[platform],
                    software_version=estate.software_versions[(platform, version)] if version else None,
                    role=estate.roles[role],
                    status=status["Active"],
                )


def _load_circuits(loader, estate, status):
    for name, url in PROVIDERS.items():
        estate.providers[name] = loader.ensure(Provider, {"name": name}, portal_url=url)
    for name in CIRCUIT_TYPES:
        estate.circuit_types[name] = loader.ensure(CircuitType, {"name": name})
    for provider, cid, circuit_type, status_name, description in CIRCUITS:
        estate.circuits[cid] = loader.ensure(
            Circuit,
            {"provider": estate.providers[provider], "cid": cid},
            circuit_type=estate.circuit_types[circuit_type],
            status=status[status_name],
            description=description,
        )


def _load_virtualization(loader, estate, status):
    for name in CLUSTER_TYPES:
        estate.cluster_types[name] = loader.ensure(ClusterType, {"name": name})
    for name, (cluster_type, site) in CLUSTERS.items():
        estate.clusters[name] = loader.ensure(
            Cluster, {"name": name}, cluster_type=estate.cluster_types[cluster_type], location=estate.locations[site]
        )
    for cluster, machines in VIRTUAL_MACHINES.items():
        for name, platform in machines:
            estate.virtual_machines[name] = loader.ensure(
                VirtualMachine,
                {"name": name, "cluster": estate.clusters[cluster]},
                platform=estate.platforms[platform],
                role=estate.roles["Server"],
                status=status["Active"],
            )


def _load_dynamic_groups(loader, estate):
    device_type = content_type("dcim.device")
    for name, (description, device_filter) in DYNAMIC_GROUPS.items():
        group = loader.ensure(
            DynamicGroup,
            {"name": name},
            content_type=device_type,
            group_type="dynamic-filter",
            filter=device_filter,
            description=description,
        )
        # Membership is cached; refresh it now that every device exists (cheap, and a no-op when unchanged).
        group.update_cached_members()
        estate.dynamic_groups[name] = group


def _load_cloud(loader, estate):
    provider = estate.manufacturers[CLOUD_PROVIDER] = loader.ensure(Manufacturer, {"name": CLOUD_PROVIDER})
    for name, (number, description) in CLOUD_ACCOUNTS.items():
        estate.cloud_accounts[name] = loader.ensure(
            CloudAccount, {"name": name}, provider=provider, account_number=number, description=description
        )
    for name, description in CLOUD_RESOURCE_TYPES.items():
        resource_type = loader.ensure(CloudResourceType, {"name": name}, provider=provider, description=description)
        loader.ensure_related(resource_type, "content_types", [content_type("cloud.cloudservice")])
        estate.cloud_resource_types[name] = resource_type
    for name, (account, resource_type, description) in CLOUD_SERVICES.items():
        estate.cloud_services[name] = loader.ensure(
            CloudService,
            {"name": name},
            cloud_account=estate.cloud_accounts[account],
            cloud_resource_type=estate.cloud_resource_types[resource_type],
            description=description,
        )
