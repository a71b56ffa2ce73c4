"""Demo data: the small estate of Meridian Freight, a fictional logistics company.

Loaded by `nautobot-server load_techmgmt_demo`. Core inventory (5 sites in 2 regions, 161 devices,
15 circuits, 4 clusters, 30 virtual machines, 3 dynamic groups), 6 teams, 31 experts, 40 technologies
and everything around them; every contact, team and supplier has a (fictional) phone number and e-mail address. Every
date is relative to the day of loading, so what is "expiring within 90 days" stays so. Loading twice changes nothing.

Which technology shows which knowledge gap (DESIGN.md, "The knowledge engine"); worked out by hand
against the data in `people`, `technologies`, `suppliers` and `custodianship`:

* no_expert - **Apache Kafka**: in use on nyc-kafka-01..03; nobody is qualified (Chloe Martin and
  Daniel Fischer at level 2, Tomasz Nowak at 1; qualified level 3); the Confluent contract that
  covered it ended 60 days ago, so it is not vendor_only. Also custodian_lacks_skill: its custodian
  team, Application Platforms, has no qualified member - necessarily, with nobody qualified.
* single_expert - **Cisco IOS-XE**: required 2; only Dev Patel (level 4) is qualified; Farid Haddad
  and Hiro Tanaka are at level 2 (Hiro's training to level 3 is planned). The Cisco Systems contract SNTC-4471902
  covers it: were Dev to leave, it would be vendor_only, not no_expert.
* below_target - **Arista EOS**: required 3; Carla Mendes and Farid Haddad (contractor) qualified;
  Grace O'Neill (level 5) is On Leave and does not count.
* custodian_lacks_skill - **Juniper SRX**: custodian team Network Engineering, whose only SRX skill
  is Anna Kowalski's level 2; the qualified experts, Isabel Romero and Kemal Aydin, are in Security
  Operations (which holds backup support only).
* no_custodian - **Windows 11 Enterprise**: in use on the 6 London Office desktops, by its scope on the
  dynamic group "London Office desktops" (role Desktop and location London Office together); no custodian
  team, no custodian responsibility for it (or for every technology) on any London object or rule target,
  and no core custodian association there.
* certification_expiring - **NetApp ONTAP**: certification required; Victor Huang's NetApp NCDA,
  his only certification evidencing ONTAP, expires in 40 days (Uma Reddy's in 430).
* no_capacity - **Veeam Backup & Replication**: qualified Victor Huang and Wendy Clarke; Victor's
  agreement is still marked Agreed but ended 20 days ago, Wendy has an Expired and a Proposed one.
* vendor_only - **Pure Storage FlashArray**: qualified level 4; Uma Reddy is at 3, Victor Huang and
  Wendy Clarke at 2, so nobody is qualified, but the Pure Storage contract PS-EG-2291 is in force.
  Also custodian_lacks_skill (custodian team Storage & Backup, nobody qualified).
* no_primary_support - **Pure Storage FlashArray** again: no primary support responsibility for it, or for every
  technology, on fra-pure-01/02 or any rule target they match; its support path is the Pure Storage contract alone.
* unqualified_escalation - **Apache Kafka**: its primary support, Daniel Fischer, is at level 2 of the qualified 3
  (he is on the Confluent course).

These two are the support-path gaps of Kafka and FlashArray, not of Windows 11 Enterprise (no_custodian): nobody is
qualified for Kafka or FlashArray, so whoever takes their first call holds an unqualified tier, and without anyone the
first call is missing - each shows one of the two. Windows 11 has a qualified primary support, Elif Yilmaz.

Every other technology in use has no gap: enough qualified experts, a custodian team (or rule
custodian) with a qualified member, an agreed agreement in force for at least one qualified expert,
no qualifying certification lapsing within 90 days, a primary support on every object and only qualified assignees on
its support path (`custodianship`): Network Engineering, by device role, for every technology of the routers and
switches; the custodian team of the technology elsewhere, but Kemal Aydin for Juniper SRX (Security Operations, which
gives its backup support, holds the SRX skills) and Elif Yilmaz for Windows 11. Xavier Moreau, Junos escalation tier 3,
holds JNCIP-SP: Junos requires a certification. Other held certifications that lapse soon (Dev
Patel's CCNP Enterprise in 75 days, Wendy Clarke's Veeam VMCE in 35) belong to technologies that do
not require certification; Jonas Weber's PCNSE expired 70 days ago, so he does not count for PAN-OS.

Whom to call (`ESCALATION_DEVICE`): for Cisco IOS-XE on chi-isr-01 the path is Network Engineering (primary support, by
the device role Router), then Dev Patel (escalation tier 1, on the location Chicago Office), then the Cisco Systems
contract SNTC-4471902 (24x7). Who assesses a change to the WAN edge routers ams-rtr-01, nyc-rtr-01 and chi-isr-01
(`CHANGED_ROUTERS`): Network Engineering for every technology on them (change assessor by the device role Router),
Ben Okafor for Routing on ams-rtr-01 only (change assessor tier 2, on the region EMEA) and Anna Kowalski (design
authority of Routing).

Not in use (no scope matches anything): **Microsoft Azure** (Planned; nobody qualified, no custodian:
still no gap, since it is not in use), **Oracle Database** (Retiring), and the knowledge areas
Network, Security, Server, Linux, Virtualization, Database, Cloud, Application and Desktop.

The gap register has a past (`register`). The load ends with a rebuild of the knowledge state, so the register holds
today's gaps at once, without a Celery worker; each is then dated back to the day the data says it appeared (Kafka's
no_expert 60 days ago, when the Confluent retainer ended, and its unqualified_escalation 118 days ago, when Daniel
Fischer took the calls of the engineer who built the platform; Arista EOS below_target 40 days ago, when Farid Haddad
joined; Victor Huang's NCDA entered the 90-day window 50 days ago; his Veeam agreement ended 20 days ago), between 20
and 120 days ago. People work on three of them: Cisco IOS-XE single_expert is Acknowledged by Network Engineering
(Hiro Tanaka's training plan), Apache Kafka no_expert Acknowledged by Chloe Martin (the two Confluent training plans),
Juniper SRX custodian_lacks_skill Risk accepted for 60 days (Isabel Romero; Security Operations' backup support).
Eight closed records end where today's data begins:

* single_expert - **Arista EOS** and **EVPN-VXLAN Fabric**, 110 to 40 days ago: Grace O'Neill's leave left Carla
  Mendes alone until contractor Farid Haddad joined (his backup support responsibility).
* vendor_only - **Apache Kafka**, 118 to 60 days ago: covered only by the Confluent retainer CF-PS-1187 until it
  ended, when the no_expert gap opened.
* no_capacity - **Palo Alto PAN-OS** and **Firewalls**, 160 to 60 days ago: from Mateo Silva's departure to the
  Security Operations agreements; **Amazon Web Services**, 75 to 30 days ago, until Chloe Martin's and Daniel
  Fischer's agreements.
* certification_expiring - **Palo Alto PAN-OS**, 160 to 70 days ago: Jonas Weber's PCNSE, which lapsed (Laura
  Bianchi's training plan); **VMware vSphere**, 125 to 50 days ago, until Quentin Dubois renewed his VCP-DCV.

Median days to close: single_expert 70, vendor_only 58, no_capacity 100, certification_expiring 82.5.

The change log has a past too (`history`): 22 users (21 people and the unmapped account `inventory-sync`) changed
devices, interfaces, circuits and virtual machines over the last nine months, and the load computes the activity from
it. It shows one candidate expert, **Ben Okafor** on **Cisco IOS-XE** (he changes the London office routers and
switches every week and has no IOS-XE skill), and one fading skill, **Kemal Aydin**'s Palo Alto PAN-OS.

Expert hours (`capacity`): an effort model per category in use and one of a technology's own give the demand; the
agreements, responsibilities' hours and the Kestrel Open Systems contract's 24 hours a month the supply (figures in
hours per week, worked out in tests/test_demo_capacity.py):

* buy - **MPLS VPN**: five circuits need 3.15; Anna Kowalski, the network architect at 95 an hour (the most expensive
  employee with agreed hours), commits 6 to them as their escalation: supply 7.57, surplus 4.42. Under 8, so buying is
  recommended; a contractor for the whole demand costs 18,040 a year.
* build - **Red Hat Enterprise Linux**: 58 systems on a monthly patch cycle (its own effort model) need 28; Tomasz
  Nowak, Nadia Petrova and Oliver Grant give 17.99 and Kestrel 5.54: a shortfall of 4.47. Its coverage snapshots of
  the last 13 weeks say it had at least 55 systems (26.76 h): at least 20 h for 90 days, so building inside is
  recommended (Sven Larsen, one level short, has a training plan).
* a line manager approving hours - **Nadia Petrova** agrees her people's hours through the approval workflow "Hours
  agreed by Nadia Petrova" (her agreements that start from 30 days ago; the group "Server & Virtualisation line
  management", her user `npetrova`, approves its one stage). She approved Tomasz Nowak's 4 more hours for the Linux
  estate 12 days ago (Agreed, counted); Oliver Grant's 4 hours for Application Platforms await her (Proposed, not
  counted: approved, they bring RHEL's shortfall to 1.39). Her earlier agreements and other line managers' were
  agreed by hand. Loading again proposes Oliver's hours again if they were decided since, and approves Tomasz's
  again on another day (what was approved, the start included, cannot change).
"""

from nautobot_techmgmt.demo.capacity import BUILD_STORY, BUY_STORY
from nautobot_techmgmt.demo.history import CANDIDATE_EXPERT, FADING_SKILL, UNMAPPED_USER
from nautobot_techmgmt.demo.loader import DemoLoader, load_demo
from nautobot_techmgmt.knowledge.capacity import BUILD, BUY

# Gap kind -> the technology that demonstrates it.
GAP_DEMONSTRATIONS = {
    "no_expert": "Apache Kafka",
    "single_expert": "Cisco IOS-XE",
    "below_target": "Arista EOS",
    "custodian_lacks_skill": "Juniper SRX",
    "no_custodian": "Windows 11 Enterprise",
    "certification_expiring": "NetApp ONTAP",
    "no_capacity": "Veeam Backup & Replication",
    "vendor_only": "Pure Storage FlashArray",
    "no_primary_support": "Pure Storage FlashArray",
    "unqualified_escalation": "Apache Kafka",
}
NOT_IN_USE = "Microsoft Azure"
# Make-or-buy recommendation -> the technology that demonstrates it.
CAPACITY_STORIES = {BUY: BUY_STORY, BUILD: BUILD_STORY}
# The device whose escalation path the walkthrough follows, and the routers of its change.
ESCALATION_DEVICE = "chi-isr-01"
CHANGED_ROUTERS = ("ams-rtr-01", "nyc-rtr-01", "chi-isr-01")

__all__ = (
    "CANDIDATE_EXPERT",
    "CAPACITY_STORIES",
    "CHANGED_ROUTERS",
    "ESCALATION_DEVICE",
    "FADING_SKILL",
    "GAP_DEMONSTRATIONS",
    "NOT_IN_USE",
    "UNMAPPED_USER",
    "DemoLoader",
    "load_demo",
)
