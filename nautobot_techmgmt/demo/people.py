"""People of Meridian Freight: teams, experts, skills, certifications, agreed hours and training."""

from decimal import Decimal
from types import SimpleNamespace

from nautobot.extras.models import Contact, Status, Team

from nautobot_techmgmt.choices import EmploymentTypeChoices
from nautobot_techmgmt.models import (
    AvailabilityAgreement,
    Certification,
    Expert,
    ExpertCertification,
    Skill,
    TrainingPlan,
)

DOMAIN = "meridianfreight.example"
HEAD_OF_INFRASTRUCTURE = "Helen Price"

# Telephone numbers are from the ranges kept for fiction: +44 20 7946 0xxx (London) and 555-01xx (North America).
# name -> (team lead, phone of the team's desk or on-call rota, description)
TEAMS = {
    "Network Engineering": ("Anna Kowalski", "+44 20 7946 0200", "WAN, data-centre and office networks"),
    "Security Operations": ("Isabel Romero", "+44 20 7946 0300", "Firewalls and network security"),
    "Server & Virtualisation": (
        "Nadia Petrova",
        "+44 20 7946 0400",
        "Linux and Windows servers, hypervisors, directory services",
    ),
    "Storage & Backup": ("Uma Reddy", "+44 20 7946 0500", "Storage arrays and backup"),
    "Database Services": ("Yasmin Farouk", "+44 20 7946 0600", "PostgreSQL and Microsoft SQL Server estates"),
    "Application Platforms": ("Chloe Martin", "+1 212 555 0160", "Container platform, messaging, cloud and workplace"),
}

EMPLOYEE = EmploymentTypeChoices.EMPLOYEE
CONTRACTOR = EmploymentTypeChoices.CONTRACTOR
SUPPLIER_STAFF = EmploymentTypeChoices.SUPPLIER_STAFF

# name -> (home team, employment type, expert status, hourly cost, description)
EXPERTS = {
    "Anna Kowalski": ("Network Engineering", EMPLOYEE, "Active", "95.00", "Network architect, team lead"),
    "Ben Okafor": ("Network Engineering", EMPLOYEE, "Active", "80.00", "Senior network engineer, WAN edge"),
    "Carla Mendes": ("Network Engineering", EMPLOYEE, "Active", "78.00", "Data-centre fabric engineer"),
    "Dev Patel": ("Network Engineering", EMPLOYEE, "Active", "72.00", "Campus and office network engineer"),
    "Emma Lindqvist": ("Network Engineering", EMPLOYEE, "Active", "55.00", "Junior network engineer"),
    "Farid Haddad": ("Network Engineering", CONTRACTOR, "Active", "110.00", "Contract fabric engineer"),
    "Grace O'Neill": ("Network Engineering", EMPLOYEE, "On Leave", "82.00", "Fabric engineer, on parental leave"),
    "Hiro Tanaka": ("Network Engineering", EMPLOYEE, "Active", "76.00", "Carrier and WAN engineer"),
    "Xavier Moreau": ("Network Engineering", SUPPLIER_STAFF, "Active", "140.00", "Northgate Networks resident"),
    "Isabel Romero": ("Security Operations", EMPLOYEE, "Active", "92.00", "Security architect, team lead"),
    "Jonas Weber": ("Security Operations", EMPLOYEE, "Active", "70.00", "Firewall engineer"),
    "Kemal Aydin": ("Security Operations", EMPLOYEE, "Active", "74.00", "Firewall engineer"),
    "Laura Bianchi": ("Security Operations", EMPLOYEE, "Active", "65.00", "Security analyst"),
    "Mateo Silva": ("Security Operations", EMPLOYEE, "Departed", "80.00", "Former firewall lead"),
    "Nadia Petrova": ("Server & Virtualisation", EMPLOYEE, "Active", "90.00", "Infrastructure architect, team lead"),
    "Oliver Grant": ("Server & Virtualisation", EMPLOYEE, "Active", "70.00", "Linux engineer"),
    "Priya Sharma": ("Server & Virtualisation", EMPLOYEE, "Active", "70.00", "Windows and directory engineer"),
    "Quentin Dubois": ("Server & Virtualisation", EMPLOYEE, "Active", "74.00", "Virtualisation engineer"),
    "Rosa Jimenez": ("Server & Virtualisation", CONTRACTOR, "Active", "105.00", "Contract Windows engineer"),
    "Sven Larsen": ("Server & Virtualisation", EMPLOYEE, "Active", "62.00", "Server hardware engineer"),
    "Tomasz Nowak": ("Server & Virtualisation", EMPLOYEE, "Active", "68.00", "Linux and container engineer"),
    "Uma Reddy": ("Storage & Backup", EMPLOYEE, "Active", "88.00", "Storage architect, team lead"),
    "Victor Huang": ("Storage & Backup", EMPLOYEE, "Active", "72.00", "Storage and backup engineer"),
    "Wendy Clarke": ("Storage & Backup", EMPLOYEE, "Active", "64.00", "Backup engineer"),
    "Yasmin Farouk": ("Database Services", EMPLOYEE, "Active", "90.00", "Principal DBA, team lead"),
    "Zoltan Kiss": ("Database Services", EMPLOYEE, "Active", "75.00", "DBA, PostgreSQL and Oracle"),
    "Aisha Bello": ("Database Services", EMPLOYEE, "Active", "72.00", "DBA, SQL Server"),
    "Bruno Costa": ("Database Services", EMPLOYEE, "Active", "58.00", "Junior DBA"),
    "Chloe Martin": ("Application Platforms", EMPLOYEE, "Active", "92.00", "Platform architect, team lead"),
    "Daniel Fischer": ("Application Platforms", EMPLOYEE, "Active", "72.00", "Platform engineer"),
    "Elif Yilmaz": ("Application Platforms", EMPLOYEE, "Active", "66.00", "Workplace engineer"),
}
# Members of a second team besides their home team.
EXTRA_MEMBERSHIPS = {"Tomasz Nowak": ("Application Platforms",)}

# name -> direct line: the London head office, the New York data centre (212) or the Chicago office (312).
PHONES = {
    HEAD_OF_INFRASTRUCTURE: "+44 20 7946 0101",
    "Anna Kowalski": "+44 20 7946 0211",
    "Ben Okafor": "+44 20 7946 0212",
    "Carla Mendes": "+44 20 7946 0213",
    "Dev Patel": "+1 312 555 0134",
    "Emma Lindqvist": "+44 20 7946 0215",
    "Farid Haddad": "+44 20 7946 0216",
    "Grace O'Neill": "+44 20 7946 0217",
    "Hiro Tanaka": "+1 212 555 0118",
    "Xavier Moreau": "+44 20 7946 0329",
    "Isabel Romero": "+44 20 7946 0311",
    "Jonas Weber": "+44 20 7946 0312",
    "Kemal Aydin": "+44 20 7946 0313",
    "Laura Bianchi": "+44 20 7946 0314",
    "Mateo Silva": "+44 20 7946 0315",
    "Nadia Petrova": "+44 20 7946 0411",
    "Oliver Grant": "+44 20 7946 0412",
    "Priya Sharma": "+44 20 7946 0413",
    "Quentin Dubois": "+44 20 7946 0414",
    "Rosa Jimenez": "+44 20 7946 0415",
    "Sven Larsen": "+44 20 7946 0416",
    "Tomasz Nowak": "+1 212 555 0121",
    "Uma Reddy": "+44 20 7946 0511",
    "Victor Huang": "+44 20 7946 0512",
    "Wendy Clarke": "+44 20 7946 0513",
    "Yasmin Farouk": "+44 20 7946 0611",
    "Zoltan Kiss": "+44 20 7946 0612",
    "Aisha Bello": "+44 20 7946 0613",
    "Bruno Costa": "+44 20 7946 0614",
    "Chloe Martin": "+1 212 555 0162",
    "Daniel Fischer": "+1 212 555 0163",
    "Elif Yilmaz": "+44 20 7946 0711",
}

# expert -> {technology: level}
SKILLS = {
    "Anna Kowalski": {"Network": 5, "Routing": 5, "Junos": 5, "BGP": 5, "MPLS VPN": 4, "WAN": 4, "Juniper SRX": 2},
    "Ben Okafor": {"Network": 4, "Routing": 4, "Junos": 4, "BGP": 4, "Switching": 3, "Internet Transit": 3},
    "Carla Mendes": {"Switching": 4, "Arista EOS": 4, "EVPN-VXLAN Fabric": 4, "Network": 3},
    "Dev Patel": {"Cisco IOS-XE": 4, "Routing": 3, "Switching": 4},
    "Emma Lindqvist": {"Junos": 3, "Routing": 2, "Switching": 2, "BGP": 2},
    "Farid Haddad": {"Arista EOS": 4, "EVPN-VXLAN Fabric": 3, "Cisco IOS-XE": 2},
    "Grace O'Neill": {"Arista EOS": 5, "EVPN-VXLAN Fabric": 5, "Switching": 4},
    "Hiro Tanaka": {"WAN": 4, "MPLS VPN": 4, "Internet Transit": 4, "BGP": 3, "Routing": 3, "Cisco IOS-XE": 2},
    "Xavier Moreau": {"Junos": 4, "BGP": 4, "Routing": 3},
    "Isabel Romero": {"Security": 5, "Firewalls": 5, "Palo Alto PAN-OS": 5, "Juniper SRX": 4},
    "Jonas Weber": {"Palo Alto PAN-OS": 4, "Firewalls": 3, "Juniper SRX": 2},
    "Kemal Aydin": {"Juniper SRX": 4, "Firewalls": 4, "Palo Alto PAN-OS": 4, "Security": 3},
    "Laura Bianchi": {"Security": 4, "Firewalls": 3, "Palo Alto PAN-OS": 2, "Juniper SRX": 2},
    "Mateo Silva": {"Palo Alto PAN-OS": 5, "Firewalls": 4},
    "Nadia Petrova": {"Server": 5, "Linux": 5, "Red Hat Enterprise Linux": 5, "VMware vSphere": 4, "Virtualization": 4},
    "Oliver Grant": {"Red Hat Enterprise Linux": 4, "Linux": 4, "Dell PowerEdge": 4, "Server": 3},
    "Priya Sharma": {"Windows Server": 4, "Active Directory": 4, "Server": 3, "Microsoft SQL Server": 2},
    "Quentin Dubois": {"VMware vSphere": 4, "Virtualization": 4, "HPE ProLiant": 4, "Server": 3},
    "Rosa Jimenez": {"Windows Server": 4, "Windows 11 Enterprise": 3, "VMware vSphere": 3, "Active Directory": 3},
    "Sven Larsen": {
        "Dell PowerEdge": 3,
        "HPE ProLiant": 3,
        "Linux": 3,
        "Red Hat Enterprise Linux": 2,
        "Windows Server": 2,
    },
    "Tomasz Nowak": {"Red Hat Enterprise Linux": 3, "Red Hat OpenShift": 3, "Linux": 3, "Apache Kafka": 1},
    "Uma Reddy": {"Storage": 5, "NetApp ONTAP": 5, "Pure Storage FlashArray": 3},
    "Victor Huang": {"NetApp ONTAP": 4, "Veeam Backup & Replication": 4, "Storage": 3, "Pure Storage FlashArray": 2},
    "Wendy Clarke": {"Veeam Backup & Replication": 4, "Storage": 3, "Pure Storage FlashArray": 2},
    "Yasmin Farouk": {"Database": 5, "PostgreSQL": 5, "Oracle Database": 4, "Microsoft SQL Server": 3},
    "Zoltan Kiss": {"PostgreSQL": 4, "Oracle Database": 4, "Database": 3},
    "Aisha Bello": {"Microsoft SQL Server": 4, "Database": 3, "Windows Server": 2},
    "Bruno Costa": {"PostgreSQL": 3, "Microsoft SQL Server": 2, "Oracle Database": 2},
    "Chloe Martin": {"Application": 4, "Cloud": 4, "Amazon Web Services": 4, "Red Hat OpenShift": 4, "Apache Kafka": 2},
    "Daniel Fischer": {
        "Amazon Web Services": 3,
        "Red Hat OpenShift": 3,
        "Apache Kafka": 2,
        "Cloud": 3,
        "Microsoft Azure": 1,
    },
    "Elif Yilmaz": {"Desktop": 4, "Windows 11 Enterprise": 4, "Application": 3, "Active Directory": 2},
}

# name -> (issuer, validity in months, technologies evidenced, description)
CERTIFICATIONS = {
    "JNCIP-SP": (
        "Juniper Networks",
        36,
        ("Junos", "BGP", "MPLS VPN"),
        "Juniper Networks Certified Professional, Service Provider Routing and Switching",
    ),
    "JNCIS-SEC": ("Juniper Networks", 36, ("Juniper SRX",), "Juniper Networks Certified Specialist, Security"),
    "CCNP Enterprise": ("Cisco", 36, ("Cisco IOS-XE", "Routing", "Switching"), "Cisco Certified Network Professional"),
    "Arista ACE-L3": ("Arista Networks", 24, ("Arista EOS", "EVPN-VXLAN Fabric"), "Arista Certified Engineer L3"),
    "PCNSE": (
        "Palo Alto Networks",
        24,
        ("Palo Alto PAN-OS", "Firewalls"),
        "Palo Alto Networks Certified Network Security Engineer",
    ),
    "NetApp NCDA": ("NetApp", 24, ("NetApp ONTAP",), "NetApp Certified Data Administrator, ONTAP"),
    "Pure Storage FlashArray Architect": (
        "Pure Storage",
        24,
        ("Pure Storage FlashArray",),
        "FlashArray Architect Professional",
    ),
    "RHCE": ("Red Hat", 36, ("Red Hat Enterprise Linux", "Linux"), "Red Hat Certified Engineer"),
    "EX280 OpenShift Administration": (
        "Red Hat",
        36,
        ("Red Hat OpenShift",),
        "Red Hat Certified Specialist in OpenShift Administration",
    ),
    "VCP-DCV": ("VMware", 24, ("VMware vSphere",), "VMware Certified Professional, Data Center Virtualization"),
    "Veeam VMCE": ("Veeam", 12, ("Veeam Backup & Replication",), "Veeam Certified Engineer"),
    "AWS Solutions Architect Associate": (
        "Amazon Web Services",
        36,
        ("Amazon Web Services",),
        "AWS Certified Solutions Architect - Associate",
    ),
    "Azure Administrator Associate": (
        "Microsoft",
        12,
        ("Microsoft Azure",),
        "Microsoft Certified: Azure Administrator Associate (AZ-104)",
    ),
    "Confluent Certified Administrator": (
        "Confluent",
        24,
        ("Apache Kafka",),
        "Confluent Certified Administrator for Apache Kafka",
    ),
}

# (expert, certification, obtained: days from today, expires: days from today, credential id)
HELD_CERTIFICATIONS = (
    ("Anna Kowalski", "JNCIP-SP", -500, 595, "JNCIP-SP-101845"),
    ("Ben Okafor", "JNCIP-SP", -900, 195, "JNCIP-SP-098311"),
    # Northgate's resident engineer: the certification lets him hold the third Junos escalation tier.
    ("Xavier Moreau", "JNCIP-SP", -420, 675, "JNCIP-SP-087652"),
    ("Kemal Aydin", "JNCIS-SEC", -200, 895, "JNCIS-SEC-220417"),
    ("Dev Patel", "CCNP Enterprise", -1020, 75, "CSCO12874411"),
    ("Carla Mendes", "Arista ACE-L3", -300, 430, "ACE-L3-5521"),
    ("Isabel Romero", "PCNSE", -200, 530, "PCNSE-77120"),
    ("Kemal Aydin", "PCNSE", -600, 130, "PCNSE-70931"),
    ("Jonas Weber", "PCNSE", -800, -70, "PCNSE-66002"),
    ("Mateo Silva", "PCNSE", -100, 630, "PCNSE-80114"),
    ("Uma Reddy", "NetApp NCDA", -300, 430, "NCDA-445120"),
    ("Victor Huang", "NetApp NCDA", -690, 40, "NCDA-398807"),
    ("Nadia Petrova", "RHCE", -500, 595, "RHCE-190-115-332"),
    ("Oliver Grant", "RHCE", -100, 995, "RHCE-200-441-907"),
    ("Tomasz Nowak", "EX280 OpenShift Administration", -150, 945, "EX280-200-712-044"),
    ("Nadia Petrova", "VCP-DCV", -250, 480, "VCP-DCV-2023-88412"),
    ("Quentin Dubois", "VCP-DCV", -50, 680, "VCP-DCV-2023-71539"),  # renewed 50 days ago
    ("Wendy Clarke", "Veeam VMCE", -330, 35, "VMCE-2024-11820"),
    ("Chloe Martin", "AWS Solutions Architect Associate", -200, 895, "AWS-SAA-C03-4471920"),
)

# (expert, team served or None for the home team, status, hours per week, from: days, until: days or None, comments)
AGREEMENTS = (
    ("Anna Kowalski", None, "Agreed", "8", -180, 185, ""),
    ("Ben Okafor", None, "Agreed", "6", -180, 185, ""),
    ("Carla Mendes", None, "Agreed", "8", -120, 245, ""),
    ("Dev Patel", None, "Agreed", "6", -90, 275, ""),
    ("Hiro Tanaka", None, "Agreed", "6", -180, 185, ""),
    ("Emma Lindqvist", None, "Proposed", "4", 14, 379, "Starts once her Junos training is under way."),
    ("Grace O'Neill", None, "Agreed", "6", -300, 65, "Paused during leave."),
    ("Isabel Romero", None, "Agreed", "8", -60, 305, ""),
    ("Jonas Weber", None, "Agreed", "4", -60, 305, ""),
    ("Kemal Aydin", None, "Agreed", "6", -60, 305, ""),
    ("Laura Bianchi", None, "Agreed", "4", -60, 305, ""),
    ("Mateo Silva", None, "Expired", "8", -700, -160, "Ended when Mateo left."),
    ("Nadia Petrova", None, "Agreed", "8", -200, None, ""),
    ("Oliver Grant", None, "Agreed", "6", -200, None, ""),
    ("Priya Sharma", None, "Agreed", "6", -200, None, ""),
    ("Quentin Dubois", None, "Agreed", "6", -200, None, ""),
    ("Rosa Jimenez", None, "Agreed", "10", -45, 140, "Contract term."),
    ("Sven Larsen", None, "Agreed", "4", -200, None, ""),
    ("Tomasz Nowak", "Application Platforms", "Agreed", "4", -100, 265, "OpenShift platform support."),
    ("Uma Reddy", None, "Agreed", "8", -150, 215, ""),
    # Agreed once, but the period ended three weeks ago and nobody renewed it.
    ("Victor Huang", None, "Agreed", "6", -385, -20, "Renewal not yet discussed."),
    ("Wendy Clarke", None, "Expired", "6", -500, -135, ""),
    ("Wendy Clarke", None, "Proposed", "6", -10, 355, "Awaiting line manager approval."),
    ("Yasmin Farouk", None, "Agreed", "8", -240, 125, ""),
    ("Zoltan Kiss", None, "Agreed", "6", -240, 125, ""),
    ("Aisha Bello", None, "Agreed", "6", -240, 125, ""),
    ("Bruno Costa", None, "Agreed", "4", -240, 125, ""),
    ("Chloe Martin", None, "Agreed", "8", -30, 335, ""),
    ("Daniel Fischer", None, "Agreed", "6", -30, 335, ""),
    ("Elif Yilmaz", None, "Agreed", "6", -30, 335, ""),
)

# (expert, technology, target level, status, due: days from today, supplier or None, cost, comments)
TRAINING_PLANS = (
    (
        "Daniel Fischer",
        "Apache Kafka",
        3,
        "In Progress",
        45,
        "Confluent Professional Services",
        "2400.00",
        "Confluent administrator course, then shadowing on nyc-kafka.",
    ),
    ("Chloe Martin", "Apache Kafka", 3, "Planned", 120, "Confluent Professional Services", "2400.00", ""),
    (
        "Hiro Tanaka",
        "Cisco IOS-XE",
        3,
        "Planned",
        75,
        "Learning Tree International",
        "1850.00",
        "Second IOS-XE engineer for the offices.",
    ),
    ("Laura Bianchi", "Palo Alto PAN-OS", 4, "In Progress", 60, "Learning Tree International", "2100.00", ""),
    ("Emma Lindqvist", "Junos", 4, "Planned", 150, "Northgate Networks", "3200.00", "Includes JNCIP-SP exam."),
    ("Uma Reddy", "Pure Storage FlashArray", 4, "Planned", 100, "Pure Storage", "1500.00", ""),
    (
        "Sven Larsen",
        "Red Hat Enterprise Linux",
        3,
        "Planned",
        60,
        "Learning Tree International",
        "1750.00",
        "RHCSA course, then the patch cycle with Kestrel's engineer.",
    ),
    ("Bruno Costa", "PostgreSQL", 3, "Completed", -30, None, "900.00", "Internal mentoring by Yasmin."),
    ("Wendy Clarke", "Veeam Backup & Replication", 4, "Completed", -200, "Learning Tree International", "1600.00", ""),
    ("Sven Larsen", "HPE ProLiant", 4, "Cancelled", -20, None, None, "Superseded by the Dell refresh."),
)


def email(name):
    """Company e-mail address of a person."""
    local = name.lower().replace("'", "").replace(" ", ".")
    return f"{local}@{DOMAIN}"


def load_staff(loader):
    """Create or update contacts, teams and experts; return them as a namespace of {name: object} dicts."""
    status = {s.name: s for s in Status.objects.filter(name__in=("Active", "On Leave", "Departed"))}
    staff = SimpleNamespace(contacts={}, teams={}, experts={})
    for name in (HEAD_OF_INFRASTRUCTURE, *EXPERTS):
        staff.contacts[name] = loader.ensure(Contact, {"name": name}, phone=PHONES[name], email=email(name))
    for name, (_, phone, description) in TEAMS.items():
        slug = name.lower().replace(" & ", "-").replace(" ", "-")
        staff.teams[name] = loader.ensure(
            Team, {"name": name}, phone=phone, email=f"{slug}@{DOMAIN}", comments=description
        )
    members = {team: [] for team in TEAMS}
    for name, (home_team, employment_type, status_name, hourly_cost, description) in EXPERTS.items():
        staff.experts[name] = loader.ensure(
            Expert,
            {"contact": staff.contacts[name]},
            status=status[status_name],
            employment_type=employment_type,
            home_team=staff.teams[home_team],
            line_manager=line_manager(staff, name),
            hourly_cost=Decimal(hourly_cost),
            description=description,
        )
        # Departed experts have left their team; membership is core's Team <-> Contact.
        if status_name != "Departed":
            for team in (home_team, *EXTRA_MEMBERSHIPS.get(name, ())):
                members[team].append(staff.contacts[name])
    for team, contacts in members.items():
        loader.ensure_related(staff.teams[team], "contacts", contacts)
    return staff


def line_manager(staff, expert_name):
    """The Contact who is the expert's line manager."""
    lead = TEAMS[EXPERTS[expert_name][0]][0]
    return staff.contacts[HEAD_OF_INFRASTRUCTURE if lead == expert_name else lead]


def load_knowledge(loader, staff, technology):
    """Create or update skills, the certification catalogue, held certifications and availability agreements."""
    for index, (name, levels) in enumerate(SKILLS.items()):
        for number, (technology_name, level) in enumerate(levels.items()):
            loader.ensure(
                Skill,
                {"expert": staff.experts[name], "technology": technology[technology_name]},
                level=level,
                last_assessed=loader.days(-(30 + (index * 41 + number * 17) % 330)),
                assessed_by=line_manager(staff, name),
            )
    catalogue = {}
    for name, (issuer, months, evidenced, description) in CERTIFICATIONS.items():
        catalogue[name] = loader.ensure(
            Certification, {"name": name}, issuer=issuer, validity_months=months, description=description
        )
        loader.ensure_related(catalogue[name], "technologies", [technology[t] for t in evidenced])
    for expert, certification, obtained, expires, credential in HELD_CERTIFICATIONS:
        loader.ensure(
            ExpertCertification,
            {"expert": staff.experts[expert], "certification": catalogue[certification]},
            obtained_on=loader.days(obtained),
            expires_on=loader.days(expires),
            credential_id=credential,
        )
    status = {s.name: s for s in Status.objects.filter(name__in=("Agreed", "Proposed", "Expired"))}
    for expert, team, status_name, hours, start, end, comments in AGREEMENTS:
        # One agreement per expert, team and status, so the dates can follow today without piling up rows.
        loader.ensure(
            AvailabilityAgreement,
            {
                "expert": staff.experts[expert],
                "team": staff.teams[team or EXPERTS[expert][0]],
                "status": status[status_name],
            },
            line_manager=line_manager(staff, expert),
            hours_per_week=Decimal(hours),
            valid_from=loader.days(start),
            valid_until=loader.days(end) if end is not None else None,
            comments=comments,
        )


def load_training(loader, staff, technology, suppliers):
    """Create or update training plans (after skills: completing a plan raises a skill, never lowers it)."""
    status = {s.name: s for s in Status.objects.filter(name__in=("Planned", "In Progress", "Completed", "Cancelled"))}
    for expert, technology_name, level, status_name, due, supplier, cost, comments in TRAINING_PLANS:
        loader.ensure(
            TrainingPlan,
            {"expert": staff.experts[expert], "technology": technology[technology_name], "target_level": level},
            status=status[status_name],
            due_date=loader.days(due),
            supplier=suppliers[supplier] if supplier else None,
            cost=Decimal(cost) if cost else None,
            comments=comments,
        )
