"""Suppliers of external expertise and their support contracts."""

from decimal import Decimal

from nautobot_techmgmt.choices import SupportLevelChoices
from nautobot_techmgmt.models import Supplier, SupportContract

# Support lines are from the telephone ranges kept for fiction, as the staff's (people.PHONES).
# name -> (account manager, phone, e-mail, url, description)
SUPPLIERS = {
    "Pure Storage": (
        "Rachel Stone",
        "+44 20 7946 0810",
        "support@purestorage.example",
        "https://www.purestorage.com",
        "Array vendor; Evergreen subscription with 24x7 support",
    ),
    "NetApp": (
        "Marco Vitali",
        "+44 20 7946 0820",
        "support@netapp.example",
        "https://www.netapp.com",
        "Array vendor support",
    ),
    "Northgate Networks": (
        "Owen Hughes",
        "+44 20 7946 0321",
        "service@northgate-networks.example",
        "https://northgate-networks.example",
        "Juniper elite partner; supplies a resident engineer",
    ),
    "Cisco Systems": (
        "Megan Doyle",
        "+1 408 555 0142",
        "tac@cisco.example",
        "https://www.cisco.com",
        "Router and switch vendor; Smart Net Total Care for the office devices",
    ),
    "Confluent Professional Services": (
        "Sasha Ivanova",
        "+1 650 555 0147",
        "ps@confluent.example",
        "https://www.confluent.io",
        "Kafka consulting and training",
    ),
    "Learning Tree International": (
        "Dana Brooks",
        "+1 703 555 0199",
        "enterprise@learningtree.example",
        "https://www.learningtree.com",
        "Instructor-led technical training",
    ),
    "Kestrel Open Systems": (
        "Tom Ashdown",
        "+44 20 7946 0830",
        "service@kestrel-open.example",
        "https://kestrel-open.example",
        "Red Hat partner; remote Linux administration by the hour",
    ),
}

# (supplier, reference, technologies, support level, start: days from today, end: days or None, cost,
#  hours per month or None, description)
SUPPORT_CONTRACTS = (
    (
        "Pure Storage",
        "PS-EG-2291",
        ("Pure Storage FlashArray",),
        SupportLevelChoices.TWENTY_FOUR_SEVEN,
        -400,
        330,
        "48000.00",
        None,
        "Evergreen//Forever Gold for fra-pure-01/02",
    ),
    (
        "NetApp",
        "NTAP-SE-77810",
        ("NetApp ONTAP",),
        SupportLevelChoices.TWENTY_FOUR_SEVEN,
        -700,
        30,
        "36500.00",
        None,
        "SupportEdge Advisor for the AFF A400 arrays; renewal due",
    ),
    (
        "Northgate Networks",
        "NGN-JUN-0042",
        ("Junos", "Juniper SRX", "BGP"),
        SupportLevelChoices.BUSINESS_HOURS,
        -200,
        530,
        "62000.00",
        None,
        "Juniper partner support and resident engineer",
    ),
    (
        "Cisco Systems",
        "SNTC-4471902",
        ("Cisco IOS-XE",),
        SupportLevelChoices.TWENTY_FOUR_SEVEN,
        -240,
        490,
        "14800.00",
        None,
        "Smart Net Total Care 24x7 for the London and Chicago routers and switches",
    ),
    # Ended two months ago: it no longer covers Kafka.
    (
        "Confluent Professional Services",
        "CF-PS-1187",
        ("Apache Kafka",),
        SupportLevelChoices.BEST_EFFORT,
        -425,
        -60,
        "18000.00",
        None,
        "Kafka health-check retainer, not renewed",
    ),
    # Hours the Linux estate needs and Server & Virtualisation cannot give: the patch cycle, done remotely.
    (
        "Kestrel Open Systems",
        "KOS-LNX-3310",
        ("Red Hat Enterprise Linux",),
        SupportLevelChoices.BUSINESS_HOURS,
        -150,
        215,
        "21600.00",
        "24",
        "Remote Linux administration, 24 hours a month, for the RHEL patch cycle",
    ),
)


def load(loader, technology):
    """Create or update suppliers and support contracts; return {name: Supplier}."""
    suppliers = {}
    for name, (manager, phone, email, url, description) in SUPPLIERS.items():
        suppliers[name] = loader.ensure(
            Supplier,
            {"name": name},
            account_manager=manager,
            phone=phone,
            email=email,
            url=url,
            description=description,
        )
    for supplier, reference, covered, level, start, end, cost, hours, description in SUPPORT_CONTRACTS:
        contract = loader.ensure(
            SupportContract,
            {"supplier": suppliers[supplier], "reference": reference},
            support_level=level,
            start_date=loader.days(start),
            end_date=loader.days(end) if end is not None else None,
            cost=Decimal(cost),
            hours_per_month=Decimal(hours) if hours else None,
            description=description,
        )
        loader.ensure_related(contract, "technologies", [technology[name] for name in covered])
    return suppliers
