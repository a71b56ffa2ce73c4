"""The app's side of the benchmark estate: technology tree, scopes, responsibilities, suppliers and contracts."""

from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from nautobot.dcim.models import Device, Location
from nautobot.extras.models import ContactAssociation

from development.benchmark.builder import BATCH_SIZE, allocate
from nautobot_techmgmt.choices import ResponsibilityRoleChoices, SupportLevelChoices
from nautobot_techmgmt.models import (
    EffortModel,
    Responsibility,
    Supplier,
    SupportContract,
    Technology,
    TechnologyScope,
)

# Category -> (knowledge areas, products the leaf technologies are named after)
CATEGORIES = {
    "network": (
        ("Routing", "Switching", "WAN", "Wireless", "Data Centre Fabric"),
        ("Junos", "IOS-XE", "IOS-XR", "NX-OS", "Arista EOS", "AOS-CX", "Nokia SR OS", "BGP", "OSPF", "IS-IS",
         "MPLS", "EVPN-VXLAN", "QoS", "Multicast", "SD-WAN", "Wi-Fi 6", "DNS", "DHCP"),
    ),
    "security": (
        ("Firewalls", "Identity & Access", "Remote Access", "Threat Detection", "PKI"),
        ("PAN-OS", "FortiOS", "Juniper SRX", "Active Directory", "Okta", "CyberArk", "GlobalProtect",
         "AnyConnect", "Splunk", "CrowdStrike", "Zscaler", "HashiCorp Vault", "Venafi"),
    ),
    "server": (
        ("Linux", "Windows", "Virtualisation", "Server Hardware", "Automation"),
        ("RHEL", "Ubuntu", "Windows Server", "VMware vSphere", "Hyper-V", "Nutanix AHV", "Dell PowerEdge",
         "HPE ProLiant", "Lenovo ThinkSystem", "Ansible", "Terraform", "Puppet"),
    ),
    "storage": (
        ("Block Storage", "File Storage", "Backup", "Object Storage", "Storage Networking"),
        ("NetApp ONTAP", "Pure FlashArray", "Dell PowerStore", "Veeam", "Commvault", "Cohesity", "MinIO",
         "Brocade FC", "Ceph", "Amazon S3"),
    ),
    "database": (
        ("Relational", "NoSQL", "Data Warehousing", "Caching", "Replication"),
        ("PostgreSQL", "Microsoft SQL Server", "Oracle Database", "MySQL", "MongoDB", "Cassandra", "Redis",
         "Snowflake", "Teradata", "Elasticsearch"),
    ),
    "cloud": (
        ("AWS", "Azure", "Google Cloud", "Kubernetes", "Cloud Networking"),
        ("Amazon EC2", "Amazon EKS", "Azure VNet", "Azure AKS", "Google GKE", "OpenShift", "Rancher", "Istio",
         "Terraform Cloud", "CloudFormation"),
    ),
    "application": (
        ("Messaging", "Web Platforms", "Integration", "Monitoring", "CI/CD"),
        ("Apache Kafka", "RabbitMQ", "Nginx", "Apache HTTP Server", "Tomcat", "MuleSoft", "Prometheus", "Grafana",
         "Jenkins", "GitLab CI", "Argo CD"),
    ),
    "desktop": (
        ("Endpoint Management", "Collaboration", "Office Productivity", "Printing", "Mobile Devices"),
        ("Windows 11", "macOS", "Intune", "Jamf", "Microsoft Teams", "Zoom", "Microsoft 365", "PaperCut", "iOS",
         "Android"),
    ),
}  # fmt: skip
AREAS_PER_ROOT = 5
TECHNOLOGY_STATUSES = {"Active": 90, "Planned": 5, "Retiring": 5}

# Where scopes point, relative weights. At the large scale: about nine technologies per device, eight per VM, four
# per circuit.
SCOPE_SHARES = {
    "device_type": 8,
    "platform": 3,
    "manufacturer": 1.5,
    "software_version": 4,
    "device_role": 0.8,
    "location": 25.5,
    "circuit_type": 1.2,
    "provider": 3,
    "cluster_type": 1,
    "dynamic_group": 0.6,
    "device": 25,
    "virtual_machine": 20,
    "circuit": 4,
    "cluster": 2,
}

CUSTODIAN = ResponsibilityRoleChoices.CUSTODIAN
# (role, target field or None for the technology alone) -> relative weight. Custodians at every resolution step.
RESPONSIBILITY_SHARES = {
    (CUSTODIAN, "device"): 14,
    (CUSTODIAN, "virtual_machine"): 4,
    (CUSTODIAN, "circuit"): 1.5,
    (CUSTODIAN, "cluster"): 0.5,
    (CUSTODIAN, "dynamic_group"): 1,
    (CUSTODIAN, "device_type"): 3,
    (CUSTODIAN, "platform"): 3,
    (CUSTODIAN, "software_version"): 1.5,
    (CUSTODIAN, "device_role"): 1.5,
    (CUSTODIAN, "circuit_type"): 1,
    (CUSTODIAN, "provider"): 2,
    (CUSTODIAN, "cluster_type"): 1,
    (CUSTODIAN, "manufacturer"): 2,
    (CUSTODIAN, "location"): 12,
    (CUSTODIAN, None): 11,
    (ResponsibilityRoleChoices.PRIMARY_SUPPORT, None): 10,
    (ResponsibilityRoleChoices.PRIMARY_SUPPORT, "location"): 4,
    (ResponsibilityRoleChoices.BACKUP_SUPPORT, None): 8,
    (ResponsibilityRoleChoices.ESCALATION, None): 8,
    (ResponsibilityRoleChoices.ESCALATION, "device"): 3,
    (ResponsibilityRoleChoices.DESIGN_AUTHORITY, None): 4,
    (ResponsibilityRoleChoices.CHANGE_ASSESSOR, None): 3,
}
# Effort models: hours per object in use per month, (low, high) by object type; one technology in ten overrides its
# category's model; the gap uplift is one of these percentages.
EFFORT_HOURS = {
    "devices": (0.02, 0.2),
    "circuits": (0.05, 0.3),
    "virtual_machines": (0.02, 0.2),
    "clusters": (0.5, 2.0),
    "cloud_services": (0.1, 0.5),
}
OWN_EFFORT_SHARE = 0.1
GAP_UPLIFTS = {0: 20, 25: 50, 50: 30}
# The share of support contracts that state hours per month, and how many hours.
CONTRACT_HOURS_SHARE = 0.4
CONTRACT_HOURS = (8, 80)
SUPPORT_LEVELS = {
    SupportLevelChoices.TWENTY_FOUR_SEVEN: 30,
    SupportLevelChoices.BUSINESS_HOURS: 55,
    SupportLevelChoices.BEST_EFFORT: 15,
}


# One estate table built step by step, each count named.
def build_technologies(builder, staff):  # pylint: disable=too-many-locals
    """The technology tree: category roots, knowledge areas, then leaf technologies named after products."""
    total = builder.counts["technologies"]
    root_count = min(len(CATEGORIES), max(2, total // 6))
    area_count = min(AREAS_PER_ROOT * root_count, max(root_count, total // 6))
    categories = list(CATEGORIES)[:root_count]
    tree = SimpleNamespace(all=[], leaves=[], areas=[], by_category={})

    def technology(name, parent, category, **fields):
        teams = staff.teams_by_domain.get(category) or staff.teams
        team = builder.rng.choice(teams)
        created = Technology(
            id=builder.new_id(),
            name=name,
            parent=parent,
            category=category,
            status=builder.status(fields.pop("status", "Active")),
            custodian_team=fields.pop("custodian_team", team),
            technical_manager=staff.leads[team.pk],
            **fields,
        )
        tree.all.append(created)
        tree.by_category.setdefault(category, []).append(created)
        return created

    roots = [technology(category.capitalize(), None, category) for category in categories]
    for i in range(area_count):
        root = roots[i % root_count]
        tree.areas.append(technology(CATEGORIES[root.category][0][i // root_count], root, root.category))
    used = {t.name for t in tree.all}
    for i in range(total - root_count - area_count):
        area = tree.areas[i % area_count]
        products = CATEGORIES[area.category][1]
        index = i // area_count
        name = products[index % len(products)]
        edition = 1
        while name in used:
            edition += 1
            name = f"{products[index % len(products)]} {edition}"
        used.add(name)
        team = builder.rng.choice(staff.teams_by_domain.get(area.category) or staff.teams)
        tree.leaves.append(
            technology(
                name,
                area,
                area.category,
                status=builder.pick(TECHNOLOGY_STATUSES),
                custodian_team=team if builder.rng.random() < 0.85 else None,
                required_experts=builder.pick({1: 15, 2: 65, 3: 20}),
                qualified_level=builder.pick({3: 80, 4: 20}),
                certification_required=builder.rng.random() < 0.15,
            )
        )
    builder.insert(Technology, tree.all)
    return tree


def scope_targets(estate):
    """Target field -> ids a scope or responsibility of that kind may point at."""
    return {
        "device_type": [t.pk for t in estate.device_types.values()],
        "platform": [p.pk for p in estate.platforms.values()],
        "manufacturer": [m.pk for m in estate.manufacturers.values()],
        "software_version": [v.pk for versions in estate.software_versions.values() for v in versions],
        "device_role": [r.pk for name, r in estate.roles.items() if name != "Custodian"],
        "location": [s.pk for s in estate.sites] + [r.pk for r in estate.regions],
        "circuit_type": [t.pk for t in estate.circuit_types],
        "provider": [p.pk for p in estate.providers],
        "cluster_type": [t.pk for t in estate.cluster_types],
        "dynamic_group": [g.pk for g in estate.dynamic_groups],
        "device": estate.device_ids,
        "virtual_machine": estate.vm_ids,
        "circuit": estate.circuit_ids,
        "cluster": [c.pk for c in estate.clusters],
    }


def build_scopes(builder, estate, tree):
    """Scopes of leaf technologies (and a few knowledge areas) on every kind of target, distinct per target."""
    targets = scope_targets(estate)
    scopes, taken = [], set()
    for field_name, count in allocate(builder.counts["scopes"], SCOPE_SHARES).items():
        made = 0
        while made < count:
            pool = tree.areas if builder.rng.random() < 0.1 else tree.leaves
            key = (builder.rng.choice(pool).pk, field_name, builder.rng.choice(targets[field_name]))
            if key in taken:
                continue
            taken.add(key)
            scopes.append(TechnologyScope(id=builder.new_id(), technology_id=key[0], **{f"{field_name}_id": key[2]}))
            made += 1
    builder.insert(TechnologyScope, scopes)


# One estate table built step by step, each count named.
def build_responsibilities(builder, estate, staff, tree):  # pylint: disable=too-many-locals
    """Responsibilities in every role; custodians at every step of the resolution order, teams and experts."""
    targets = scope_targets(estate)
    orphans = [t for t in tree.leaves if t.custodian_team is None] or tree.leaves
    rows, taken = [], set()
    for (role, field_name), count in allocate(builder.counts["responsibilities"], RESPONSIBILITY_SHARES).items():
        made = 0
        while made < count:
            if field_name is None:
                # Custodians of the technology alone matter most where the technology has no custodian team.
                pool = orphans if role == CUSTODIAN and builder.rng.random() < 0.5 else tree.leaves
                technology = builder.rng.choice(pool)
            else:
                technology = builder.rng.choice(tree.leaves) if builder.rng.random() < 0.7 else None
            category = technology.category if technology else builder.rng.choice(list(staff.teams_by_domain))
            if builder.rng.random() < (0.9 if field_name is None else 0.8):
                team, expert = builder.rng.choice(staff.teams_by_domain.get(category) or staff.teams), None
            else:
                team, expert = None, builder.rng.choice(staff.experts)
            target = builder.rng.choice(targets[field_name]) if field_name else None
            key = (team and team.pk, expert and expert.pk, role, technology and technology.pk, field_name, target)
            if key in taken:
                continue
            taken.add(key)
            tier = builder.rng.randint(1, 3) if role == ResponsibilityRoleChoices.ESCALATION else 1
            if role == CUSTODIAN and builder.rng.random() < 0.1:
                tier = 2  # a second custodian at the same step: ties are broken by tier
            row = Responsibility(
                id=builder.new_id(),
                team=team,
                expert=expert,
                role=role,
                technology=technology,
                escalation_tier=tier,
                hours_per_week=Decimal(builder.rng.randint(1, 8)) if role != CUSTODIAN else None,
                **({f"{field_name}_id": target} if field_name else {}),
            )
            # What save() derives; bulk inserts skip save().
            row._unique_key = row.assignment_key()  # pylint: disable=protected-access
            rows.append(row)
            made += 1
    builder.insert(Responsibility, rows)
    _custodian_associations(builder, estate, staff)


def _custodian_associations(builder, estate, staff):
    """Core contact associations in the "Custodian" role on devices and sites: custodianship recorded in core."""
    device_type = ContentType.objects.get_for_model(Device)
    location_type = ContentType.objects.get_for_model(Location)
    rows, taken = [], set()
    wanted = max(1, builder.counts["responsibilities"] // 25)
    while len(rows) < wanted:
        on_device = builder.rng.random() < 0.7
        target = builder.rng.choice(estate.device_ids) if on_device else builder.rng.choice(estate.sites).pk
        if target in taken:
            continue
        taken.add(target)
        by_team = builder.rng.random() < 0.8
        rows.append(
            ContactAssociation(
                id=builder.new_id(),
                team=builder.rng.choice(staff.teams) if by_team else None,
                contact=None if by_team else builder.rng.choice(staff.experts).contact,
                associated_object_type=device_type if on_device else location_type,
                associated_object_id=target,
                role=estate.roles["Custodian"],
                status=builder.status("Active"),
            )
        )
    builder.insert(ContactAssociation, rows)


def build_suppliers(builder, tree):
    """Suppliers and their support contracts over leaf technologies; some contracts have ended."""
    suppliers = builder.insert(
        Supplier,
        (
            Supplier(id=builder.new_id(), name=f"Supplier {i + 1:02d}", email=f"support{i + 1:02d}@supplier.example")
            for i in range(max(2, len(tree.all) // 25))
        ),
    )
    contracts, covered = [], []
    for i in range(max(2, len(tree.all) // 10)):
        ended = builder.rng.random() < 0.2
        contract = SupportContract(
            id=builder.new_id(),
            supplier=suppliers[i % len(suppliers)],
            reference=f"SC-{i + 1:05d}",
            support_level=builder.pick(SUPPORT_LEVELS),
            start_date=builder.days(-builder.rng.randint(60, 800)),
            end_date=builder.days(-builder.rng.randint(1, 59) if ended else builder.rng.randint(30, 700)),
            cost=Decimal(builder.rng.randint(5, 80) * 1000),
        )
        contracts.append(contract)
        for technology in builder.rng.sample(tree.leaves, min(len(tree.leaves), builder.rng.randint(2, 6))):
            covered.append(
                SupportContract.technologies.through(supportcontract_id=contract.pk, technology_id=technology.pk)
            )
    builder.insert(SupportContract, contracts)
    builder.insert(SupportContract.technologies.through, covered)
    return suppliers


def build_capacity(builder, tree):
    """Effort models (one per category, a technology's own for one in ten leaves) and hours on some contracts."""

    def hours(keys):
        return {key: round(builder.rng.uniform(*EFFORT_HOURS[key]), 2) for key in keys}

    models = [
        EffortModel(
            id=builder.new_id(),
            category=category,
            base_hours_per_week=Decimal(builder.rng.randint(1, 4)),
            hours_per_object=hours(EFFORT_HOURS),
            gap_uplift_percent=Decimal(builder.pick(GAP_UPLIFTS)),
        )
        for category in sorted(tree.by_category)
    ]
    for technology in tree.leaves:
        if builder.rng.random() < OWN_EFFORT_SHARE:
            # An override of one value or one object type; the rest is inherited from the category.
            own_base = builder.rng.random() < 0.5
            models.append(
                EffortModel(
                    id=builder.new_id(),
                    technology=technology,
                    base_hours_per_week=Decimal(builder.rng.randint(2, 10)) if own_base else None,
                    hours_per_object={} if own_base else hours([builder.rng.choice(list(EFFORT_HOURS))]),
                )
            )
    builder.insert(EffortModel, models)
    contracts = list(SupportContract.objects.order_by("reference"))
    stating = builder.rng.sample(contracts, max(1, round(len(contracts) * CONTRACT_HOURS_SHARE)))
    for contract in stating:
        contract.hours_per_month = Decimal(builder.rng.randint(*CONTRACT_HOURS))
    SupportContract.objects.bulk_update(stating, ["hours_per_month"], batch_size=BATCH_SIZE)
