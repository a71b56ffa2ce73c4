"""Core inventory of the benchmark estate: a location tree, hardware catalogue, devices, circuits, clusters, VMs."""

from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from nautobot.circuits.models import Circuit, CircuitType, Provider
from nautobot.dcim.models import Device, DeviceType, Location, LocationType, Manufacturer, Platform, SoftwareVersion
from nautobot.extras.models import DynamicGroup, Role, StaticGroupAssociation
from nautobot.virtualization.models import Cluster, ClusterType, VirtualMachine

# Region -> [(city, site code)]; sites are numbered per city ("Amsterdam 03", AMS03) as the estate needs them.
REGIONS = {
    "Northern Europe": [
        ("Amsterdam", "AMS"), ("Frankfurt", "FRA"), ("London", "LON"), ("Dublin", "DUB"), ("Stockholm", "STO"),
        ("Copenhagen", "CPH"), ("Oslo", "OSL"), ("Helsinki", "HEL"), ("Hamburg", "HAM"), ("Brussels", "BRU"),
    ],
    "Southern Europe": [
        ("Madrid", "MAD"), ("Milan", "MIL"), ("Paris", "PAR"), ("Lisbon", "LIS"), ("Rome", "ROM"),
        ("Barcelona", "BCN"), ("Marseille", "MRS"), ("Athens", "ATH"), ("Zurich", "ZRH"), ("Vienna", "VIE"),
    ],
    "North America": [
        ("New York", "NYC"), ("Chicago", "CHI"), ("Dallas", "DFW"), ("Ashburn", "IAD"), ("San Jose", "SJC"),
        ("Toronto", "YYZ"), ("Atlanta", "ATL"), ("Seattle", "SEA"), ("Denver", "DEN"), ("Montreal", "YUL"),
    ],
    "Latin America": [
        ("Sao Paulo", "GRU"), ("Mexico City", "MEX"), ("Bogota", "BOG"), ("Santiago", "SCL"), ("Lima", "LIM"),
        ("Buenos Aires", "EZE"), ("Panama City", "PTY"), ("Monterrey", "MTY"), ("Quito", "UIO"), ("Rio", "GIG"),
    ],
    "Asia Pacific": [
        ("Singapore", "SIN"), ("Tokyo", "TYO"), ("Sydney", "SYD"), ("Hong Kong", "HKG"), ("Mumbai", "BOM"),
        ("Seoul", "SEL"), ("Melbourne", "MEL"), ("Osaka", "OSA"), ("Jakarta", "JKT"), ("Auckland", "AKL"),
    ],
}  # fmt: skip
DEVICES_PER_SITE = 400
DATA_CENTRE_EVERY = 5  # every fifth site is a data centre, five times the size of an office

# Platform -> (manufacturer or None, network driver, software versions)
PLATFORMS = {
    "junos": ("Juniper", "juniper_junos", ("22.4R3-S2", "23.2R2", "21.4R3-S5")),
    "ios-xe": ("Cisco", "cisco_xe", ("17.9.4a", "17.12.2", "16.12.10")),
    "ios-xr": ("Cisco", "cisco_xr", ("7.9.2", "7.5.2")),
    "nx-os": ("Cisco", "cisco_nxos", ("10.3(4a)", "9.3(12)")),
    "eos": ("Arista", "arista_eos", ("4.30.2F", "4.31.1F", "4.28.5M")),
    "aos-cx": ("HPE Aruba", "aruba_aoscx", ("10.12.1000", "10.10.1080")),
    "panos": ("Palo Alto Networks", "paloalto_panos", ("10.2.9", "11.1.2")),
    "fortios": ("Fortinet", "fortinet", ("7.2.8", "7.4.3")),
    "tmos": ("F5", "f5_tmsh", ("17.1.1", "16.1.4")),
    "sros": ("Nokia", "nokia_sros", ("23.10.R1",)),
    "rhel": (None, "", ("9.3", "8.9")),
    "ubuntu": (None, "", ("22.04", "24.04")),
    "windows-server": (None, "", ("2022", "2019")),
    "vmware-esxi": (None, "", ("8.0 U2", "7.0 U3")),
    "hyper-v": (None, "", ("2022",)),
    "nutanix-ahv": ("Nutanix", "", ("20230302",)),
    "ontap": ("NetApp", "", ("9.13.1", "9.14.1")),
    "purity": ("Pure Storage", "", ("6.5.3",)),
    "powerstore": ("Dell", "", ("3.6",)),
}

# (name prefix, manufacturer, model, platforms, role, weight)
DEVICE_KINDS = (
    ("rtr", "Juniper", "MX204", ("junos",), "Router", 2),
    ("rtr", "Juniper", "MX480", ("junos",), "Router", 1),
    ("sw", "Juniper", "EX4300-48T", ("junos",), "Switch", 4),
    ("sw", "Juniper", "QFX5120-48Y", ("junos",), "Switch", 3),
    ("fw", "Juniper", "SRX4600", ("junos",), "Firewall", 1),
    ("fw", "Juniper", "SRX1500", ("junos",), "Firewall", 1),
    ("rtr", "Cisco", "ISR4451-X", ("ios-xe",), "Router", 2),
    ("rtr", "Cisco", "ASR1001-X", ("ios-xe",), "Router", 1),
    ("rtr", "Cisco", "ASR-9901", ("ios-xr",), "Router", 1),
    ("rtr", "Cisco", "NCS-55A1-24H", ("ios-xr",), "Router", 0.5),
    ("sw", "Cisco", "C9300-48P", ("ios-xe",), "Switch", 8),
    ("sw", "Cisco", "C9500-48Y4C", ("ios-xe",), "Switch", 2),
    ("sw", "Cisco", "N9K-C93180YC-FX", ("nx-os",), "Switch", 5),
    ("sw", "Arista", "DCS-7050SX3-48YC8", ("eos",), "Switch", 5),
    ("sw", "Arista", "DCS-7280SR3-48YC8", ("eos",), "Switch", 2),
    ("sw", "Arista", "DCS-7060CX-32S", ("eos",), "Switch", 1),
    ("sw", "HPE Aruba", "Aruba 6300M", ("aos-cx",), "Switch", 4),
    ("sw", "HPE Aruba", "Aruba 8360", ("aos-cx",), "Switch", 1),
    ("fw", "Palo Alto Networks", "PA-3220", ("panos",), "Firewall", 1),
    ("fw", "Palo Alto Networks", "PA-5220", ("panos",), "Firewall", 0.5),
    ("fw", "Palo Alto Networks", "PA-460", ("panos",), "Firewall", 1.5),
    ("fw", "Fortinet", "FortiGate-600E", ("fortios",), "Firewall", 1),
    ("fw", "Fortinet", "FortiGate-100F", ("fortios",), "Firewall", 1.5),
    ("lb", "F5", "BIG-IP i5800", ("tmos",), "Load Balancer", 1),
    ("lb", "F5", "BIG-IP i10800", ("tmos",), "Load Balancer", 0.5),
    ("rtr", "Nokia", "7750 SR-1", ("sros",), "Router", 0.5),
    ("srv", "Dell", "PowerEdge R750", ("rhel", "ubuntu", "windows-server"), "Server", 10),
    ("srv", "Dell", "PowerEdge R650", ("rhel", "ubuntu", "windows-server"), "Server", 8),
    ("esx", "Dell", "PowerEdge R760", ("vmware-esxi",), "Hypervisor", 4),
    ("srv", "HPE", "ProLiant DL360 Gen10", ("rhel", "windows-server"), "Server", 6),
    ("esx", "HPE", "ProLiant DL380 Gen10 Plus", ("vmware-esxi",), "Hypervisor", 4),
    ("hv", "HPE", "Synergy 480 Gen10", ("hyper-v",), "Hypervisor", 1),
    ("srv", "Lenovo", "ThinkSystem SR650", ("rhel", "ubuntu", "windows-server"), "Server", 5),
    ("srv", "Lenovo", "ThinkSystem SR630", ("ubuntu", "windows-server"), "Server", 3),
    ("ahv", "Nutanix", "NX-3170-G8", ("nutanix-ahv",), "Hypervisor", 2),
    ("nas", "NetApp", "AFF A400", ("ontap",), "Storage Array", 1),
    ("nas", "NetApp", "AFF A800", ("ontap",), "Storage Array", 0.5),
    ("nas", "NetApp", "FAS8300", ("ontap",), "Storage Array", 0.5),
    ("pure", "Pure Storage", "FlashArray//X70", ("purity",), "Storage Array", 0.7),
    ("pure", "Pure Storage", "FlashArray//C60", ("purity",), "Storage Array", 0.3),
    ("ps", "Dell", "PowerStore 1000T", ("powerstore",), "Storage Array", 0.5),
)

DEVICE_ROLES = ("Router", "Switch", "Firewall", "Load Balancer", "Server", "Hypervisor", "Storage Array")
VM_ROLES = {"Server": ("app", 60), "Database Server": ("db", 20), "Web Server": ("web", 20)}
VM_PLATFORMS = {"rhel": 45, "ubuntu": 20, "windows-server": 35}

# Provider -> circuit id prefix
PROVIDERS = {
    "Colt Technology Services": "COLT", "Lumen": "LMN", "Zayo": "ZAYO", "Verizon Business": "VZB",
    "AT&T Business": "ATT", "BT Global Services": "BT", "Orange Business": "OBS", "Arelion": "ARE", "NTT": "NTT",
    "Cogent": "COG", "GTT": "GTT", "Tata Communications": "TATA", "Telstra": "TLS", "Deutsche Telekom": "DTAG",
    "Vodafone Business": "VDF", "Equinix Fabric": "EQX", "Megaport": "MGP", "Amazon Web Services": "dxcon",
    "Microsoft Azure": "er", "Google Cloud": "gci",
}  # fmt: skip
CIRCUIT_TYPES = {
    "Internet Transit": 25,
    "MPLS VPN": 30,
    "Dark Fibre": 5,
    "Wavelength": 10,
    "Cloud Interconnect": 10,
    "SD-WAN Underlay": 20,
}
CLUSTER_TYPES = {
    "VMware vSphere": ("vsphere", 55),
    "Nutanix AHV": ("ahv", 15),
    "Red Hat OpenShift": ("ocp", 15),
    "Microsoft Hyper-V": ("hyperv", 15),
}

# name -> (description, device filter); membership is cached by Nautobot in StaticGroupAssociation rows.
DYNAMIC_GROUPS = {
    "All firewalls": ("Every device with the Firewall role", {"role": ["Firewall"]}),
    "Storage arrays": ("Every device with the Storage Array role", {"role": ["Storage Array"]}),
    "Load balancers": ("Every device with the Load Balancer role", {"role": ["Load Balancer"]}),
    "Northern Europe devices": ("Every device in Northern Europe", {"location": ["Northern Europe"]}),
}

DEVICE_STATUSES = {"Active": 92, "Planned": 4, "Offline": 2, "Decommissioning": 2}
CIRCUIT_STATUSES = {"Active": 90, "Provisioning": 5, "Planned": 3, "Decommissioned": 2}
VM_STATUSES = {"Active": 94, "Offline": 3, "Planned": 3}


def content_type(label):
    """The ContentType of an "app_label.model" label."""
    return ContentType.objects.get_by_natural_key(*label.split("."))


def build(builder):
    """Create the core inventory; return a namespace of what later steps point at (objects and id lists)."""
    estate = SimpleNamespace()
    _locations(builder, estate)
    _catalogue(builder, estate)
    _devices(builder, estate)
    _circuits(builder, estate)
    _virtualization(builder, estate)
    _dynamic_groups(builder, estate)
    return estate


# One estate table built step by step, each count named.
def _locations(builder, estate):  # pylint: disable=too-many-locals
    region_type, _ = LocationType.objects.get_or_create(name="Region", defaults={"description": "Geographic region"})
    site_type, _ = LocationType.objects.get_or_create(
        name="Site", defaults={"parent": region_type, "description": "Data centre or office"}
    )
    site_type.content_types.add(content_type("dcim.device"), content_type("virtualization.cluster"))
    site_count = max(2, builder.counts["devices"] // DEVICES_PER_SITE)
    # Cities taken region by region in turn, so that even a small estate spans several regions.
    per_region = [[(region, city, code) for city, code in cities] for region, cities in REGIONS.items()]
    cities = [entry for row in zip(*per_region, strict=True) for entry in row]
    active = builder.status("Active")
    regions = {}
    sites = []
    for index in range(site_count):
        region_name, city, code = cities[index % len(cities)]
        if region_name not in regions:
            regions[region_name] = Location(
                id=builder.new_id(), name=region_name, location_type=region_type, status=active
            )
        number = index // len(cities) + 1
        is_data_centre = (index // len(REGIONS)) % DATA_CENTRE_EVERY == 0  # a round of sites in every region
        sites.append(
            Location(
                id=builder.new_id(),
                name=f"{city} {number:02d}",
                facility=f"{code}{number:02d}",
                location_type=site_type,
                parent=regions[region_name],
                status=active,
                description="Data centre" if is_data_centre else "Office",
            )
        )
    estate.regions = builder.insert(Location, regions.values())
    estate.sites = builder.insert(Location, sites)
    estate.site_weights = [5 if site.description == "Data centre" else 1 for site in estate.sites]


def _catalogue(builder, estate):
    manufacturers = sorted(
        {kind[1] for kind in DEVICE_KINDS} | {m for m, _, _ in PLATFORMS.values() if m}, key=str.lower
    )
    estate.manufacturers = {
        m.name: m
        for m in builder.insert(Manufacturer, (Manufacturer(id=builder.new_id(), name=n) for n in manufacturers))
    }
    estate.platforms = {
        p.name: p
        for p in builder.insert(
            Platform,
            (
                Platform(
                    id=builder.new_id(),
                    name=name,
                    manufacturer=estate.manufacturers.get(manufacturer),
                    network_driver=driver,
                )
                for name, (manufacturer, driver, _) in PLATFORMS.items()
            ),
        )
    }
    active = builder.status("Active")
    estate.software_versions = {}
    versions = []
    for name, (_, _, numbers) in PLATFORMS.items():
        for number in numbers:
            version = SoftwareVersion(
                id=builder.new_id(), platform=estate.platforms[name], version=number, status=active
            )
            estate.software_versions.setdefault(name, []).append(version)
            versions.append(version)
    builder.insert(SoftwareVersion, versions)
    estate.device_types = {
        dt.model: dt
        for dt in builder.insert(
            DeviceType,
            (
                DeviceType(id=builder.new_id(), manufacturer=estate.manufacturers[manufacturer], model=model)
                for _, manufacturer, model, _, _, _ in DEVICE_KINDS
            ),
        )
    }
    estate.roles = {}
    labels = {name: ["dcim.device"] for name in DEVICE_ROLES}
    for name in VM_ROLES:
        labels.setdefault(name, []).append("virtualization.virtualmachine")
    labels["Custodian"] = ["extras.contactassociation"]  # core associations with it count as custodianship
    for name, model_labels in labels.items():
        role, _ = Role.objects.get_or_create(name=name)
        role.content_types.add(*(content_type(label) for label in model_labels))
        estate.roles[name] = role


def _devices(builder, estate):
    kinds = {kind: kind[5] for kind in DEVICE_KINDS}
    statuses = {name: builder.status(name) for name in DEVICE_STATUSES}
    numbers = {}
    estate.device_ids = []
    batch = []
    for _ in range(builder.counts["devices"]):
        prefix, _, model, platforms, role, _ = builder.pick(kinds)
        site = builder.rng.choices(estate.sites, weights=estate.site_weights)[0]
        platform = builder.rng.choice(platforms)
        versions = estate.software_versions[platform]
        numbers[(site.facility, prefix)] = number = numbers.get((site.facility, prefix), 0) + 1
        device = Device(
            id=builder.new_id(),
            name=f"{site.facility.lower()}-{prefix}-{number:04d}",
            device_type=estate.device_types[model],
            platform=estate.platforms[platform],
            software_version=builder.rng.choice(versions) if builder.rng.random() < 0.8 else None,
            role=estate.roles[role],
            location=site,
            status=statuses[builder.pick(DEVICE_STATUSES)],
            serial=f"SN{builder.rng.getrandbits(40):010X}",
        )
        estate.device_ids.append(device.id)
        batch.append(device)
        if len(batch) == 5000:
            builder.insert(Device, batch)
            batch = []
    builder.insert(Device, batch)


def _circuits(builder, estate):
    estate.providers = builder.insert(Provider, (Provider(id=builder.new_id(), name=name) for name in PROVIDERS))
    estate.circuit_types = builder.insert(
        CircuitType, (CircuitType(id=builder.new_id(), name=name) for name in CIRCUIT_TYPES)
    )
    types = dict(zip(estate.circuit_types, CIRCUIT_TYPES.values(), strict=True))
    statuses = {name: builder.status(name) for name in CIRCUIT_STATUSES}
    circuits = []
    for number in range(1, builder.counts["circuits"] + 1):
        provider = builder.rng.choice(estate.providers)
        circuits.append(
            Circuit(
                id=builder.new_id(),
                cid=f"{PROVIDERS[provider.name]}-{number:06d}",
                provider=provider,
                circuit_type=builder.pick(types),
                status=statuses[builder.pick(CIRCUIT_STATUSES)],
                commit_rate=builder.rng.choice((100_000, 1_000_000, 10_000_000)),
            )
        )
    estate.circuit_ids = [circuit.id for circuit in builder.insert(Circuit, circuits)]


def _virtualization(builder, estate):
    estate.cluster_types = builder.insert(
        ClusterType, (ClusterType(id=builder.new_id(), name=name) for name in CLUSTER_TYPES)
    )
    types = {cluster_type: CLUSTER_TYPES[cluster_type.name][1] for cluster_type in estate.cluster_types}
    clusters, numbers = [], {}
    for _ in range(builder.counts["clusters"]):
        cluster_type = builder.pick(types)
        site = builder.rng.choices(estate.sites, weights=estate.site_weights)[0]
        short = CLUSTER_TYPES[cluster_type.name][0]
        numbers[(site.facility, short)] = number = numbers.get((site.facility, short), 0) + 1
        clusters.append(
            Cluster(
                id=builder.new_id(),
                name=f"{site.facility.lower()}-{short}-{number:02d}",
                cluster_type=cluster_type,
                location=site,
            )
        )
    estate.clusters = builder.insert(Cluster, clusters)
    roles = {estate.roles[name]: weight for name, (_, weight) in VM_ROLES.items()}
    statuses = {name: builder.status(name) for name in VM_STATUSES}
    machines, numbers = [], {}
    for _ in range(builder.counts["virtual_machines"]):
        role = builder.pick(roles)
        platform = builder.pick(VM_PLATFORMS)
        prefix = VM_ROLES[role.name][0]
        numbers[prefix] = number = numbers.get(prefix, 0) + 1
        machines.append(
            VirtualMachine(
                id=builder.new_id(),
                name=f"{prefix}-{number:05d}",
                cluster=builder.rng.choice(estate.clusters),
                platform=estate.platforms[platform],
                software_version=builder.rng.choice(estate.software_versions[platform]),
                role=role,
                status=statuses[builder.pick(VM_STATUSES)],
            )
        )
    estate.vm_ids = [vm.id for vm in builder.insert(VirtualMachine, machines)]


def _dynamic_groups(builder, estate):
    groups = builder.insert(
        DynamicGroup,
        (
            DynamicGroup(
                id=builder.new_id(),
                name=name,
                description=description,
                content_type=content_type("dcim.device"),
                group_type="dynamic-filter",
                filter=device_filter,
            )
            for name, (description, device_filter) in DYNAMIC_GROUPS.items()
        ),
    )
    for group in groups:
        group.update_cached_members()  # bulk inserts of StaticGroupAssociation, no signals
    builder.created[StaticGroupAssociation._meta.label] = StaticGroupAssociation.all_objects.count()
    estate.dynamic_groups = groups
