"""Filter sets of experts, skills, certifications, availability agreements and training plans."""

from datetime import date
from decimal import Decimal

from nautobot.apps.testing import FilterTestCases

from nautobot_techmgmt import filters, models
from tests import fixtures


def filter_estate():  # pylint: disable=too-many-locals  # one name per object keeps the estate readable
    """Five experts with different teams, managers, skills, certifications, agreements and training plans.

    Returns the experts by first name.
    """
    junos, linux, postgres, ansible = (fixtures.technology(n) for n in ("Junos", "Linux", "PostgreSQL", "Ansible"))
    network, servers, databases = (fixtures.team(n) for n in ("Network", "Servers", "Databases"))
    mia, max_, moe = (fixtures.contact(n) for n in ("Mia Manager", "Max Manager", "Moe Manager"))
    alice = fixtures.expert(
        "Alice Archer", home_team=network, line_manager=mia, hourly_cost=Decimal("80"), description="Routing lead"
    )
    bob = fixtures.expert(
        "Bob Baker",
        "On Leave",
        employment_type="contractor",
        home_team=servers,
        line_manager=max_,
        hourly_cost=Decimal("95"),
        description="Linux contractor",
    )
    carol = fixtures.expert(
        "Carol Cook",
        "Departed",
        employment_type="supplier-staff",
        home_team=databases,
        line_manager=moe,
        hourly_cost=Decimal("120"),
        description="DBA from the supplier",
    )
    dan = fixtures.expert("Dan Dale")
    eve = fixtures.expert("Eve East")

    fixtures.skill(alice, junos, 5, last_assessed=date(2025, 1, 1), assessed_by=mia, comments="Lab exam")
    fixtures.skill(alice, linux, 2, comments="Self-assessed")
    fixtures.skill(bob, linux, 3, last_assessed=date(2025, 2, 1), assessed_by=max_, comments="Interview")
    fixtures.skill(carol, postgres, 1, last_assessed=date(2025, 3, 1), assessed_by=moe, comments="Shadowing")
    fixtures.skill(dan, ansible, 4)

    jncia = fixtures.certification("JNCIA-Junos", [junos], issuer="Juniper", validity_months=36, description="Entry")
    lpic = fixtures.certification("LPIC-1", [linux], issuer="LPI", validity_months=60, description="Linux admin")
    pg = fixtures.certification("PostgreSQL Associate", [postgres, linux], issuer="EDB", description="Database")
    fixtures.certification("CKA", issuer="CNCF", validity_months=24)
    fixtures.held_certification(alice, jncia, date(2024, 1, 1), credential_id="J-1")
    fixtures.held_certification(bob, lpic, date(2020, 1, 1), credential_id="L-2")
    fixtures.held_certification(carol, pg, date(2023, 6, 1), credential_id="P-3")

    fixtures.agreement(alice, servers, Decimal("8"), date(2026, 1, 1), line_manager=mia, comments="Quarterly")
    fixtures.agreement(
        bob,
        network,
        Decimal("4"),
        date(2025, 1, 1),
        "Proposed",
        line_manager=max_,
        valid_until=date(2025, 12, 31),
        comments="Trial",
    )
    fixtures.agreement(
        carol,
        network,
        Decimal("12.5"),
        date(2024, 1, 1),
        "Expired",
        line_manager=moe,
        valid_until=date(2024, 6, 30),
        comments="Project",
    )

    suppliers = [models.Supplier.objects.create(name=n) for n in ("Trainers Ltd", "Academy BV", "Vendor Inc")]
    fixtures.training_plan(
        alice, postgres, 3, due_date=date(2026, 9, 1), supplier=suppliers[0], cost=Decimal("1000"), comments="Course"
    )
    fixtures.training_plan(
        bob, junos, 2, "In Progress", due_date=date(2026, 7, 1), supplier=suppliers[1], cost=Decimal("500")
    )
    fixtures.training_plan(carol, linux, 4, "Cancelled", due_date=date(2026, 12, 1), cost=Decimal("1500"))
    fixtures.training_plan(eve, ansible, 5, supplier=suppliers[2], comments="Bootcamp")

    return {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "eve": eve}


class ExpertFilterSetTest(FilterTestCases.FilterTestCase):
    """Expert filters."""

    queryset = models.Expert.objects.all()
    filterset = filters.ExpertFilterSet
    generic_filter_tests = (
        ["certification", "certifications__certification__id"],
        ["certification", "certifications__certification__name"],
        ["contact", "contact__id"],
        ["contact", "contact__name"],
        ["description"],
        ["employment_type"],
        ["home_team", "home_team__id"],
        ["home_team", "home_team__name"],
        ["hourly_cost"],
        ["line_manager", "line_manager__id"],
        ["line_manager", "line_manager__name"],
        ["status", "status__id"],
        ["status", "status__name"],
        ["technology", "skills__technology__id"],
        ["technology", "skills__technology__name"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()

    def test_q_finds_by_contact_name_email_and_description(self):
        for query, expected in (
            ("archer", {"Alice Archer"}),
            ("bob.baker@example", {"Bob Baker"}),
            ("supplier", {"Carol Cook"}),
        ):
            with self.subTest(query=query):
                result = self.filterset({"q": query}, self.queryset).qs
                self.assertEqual({str(expert) for expert in result}, expected)

    def test_has_skills(self):
        result = self.filterset({"has_skills": False}, self.queryset).qs
        self.assertEqual([str(expert) for expert in result], ["Eve East"])

    def test_status_excludes_departed_and_on_leave(self):
        result = self.filterset({"status": ["Active"]}, self.queryset).qs
        self.assertEqual({str(expert) for expert in result}, {"Alice Archer", "Dan Dale", "Eve East"})


class SkillFilterSetTest(FilterTestCases.FilterTestCase):
    """Skill filters."""

    queryset = models.Skill.objects.all()
    filterset = filters.SkillFilterSet
    generic_filter_tests = (
        ["assessed_by", "assessed_by__id"],
        ["assessed_by", "assessed_by__name"],
        ["expert", "expert__id"],
        ["expert", "expert__contact__name"],
        ["home_team", "expert__home_team__id"],
        ["home_team", "expert__home_team__name"],
        ["last_assessed"],
        ["level"],
        ["comments"],
        ["technology", "technology__id"],
        ["technology", "technology__name"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()

    def test_level_at_least(self):
        result = self.filterset({"level__gte": [4]}, self.queryset).qs
        self.assertEqual({(str(s.expert), s.level) for s in result}, {("Alice Archer", 5), ("Dan Dale", 4)})

    def test_level_at_most(self):
        result = self.filterset({"level__lte": [2]}, self.queryset).qs
        self.assertEqual({s.level for s in result}, {1, 2})

    def test_assessed_between(self):
        params = {"last_assessed_after": "2025-01-15", "last_assessed_before": "2025-02-15"}
        result = self.filterset(params, self.queryset).qs
        self.assertEqual([str(s.expert) for s in result], ["Bob Baker"])

    def test_q_finds_by_expert_technology_and_notes(self):
        for query, expected in (("carol", 1), ("linux", 2), ("lab exam", 1)):
            with self.subTest(query=query):
                self.assertEqual(self.filterset({"q": query}, self.queryset).qs.count(), expected)


class CertificationFilterSetTest(FilterTestCases.FilterTestCase):
    """Certification filters."""

    queryset = models.Certification.objects.all()
    filterset = filters.CertificationFilterSet
    generic_filter_tests = (
        ["description"],
        ["holder", "holders__expert__id"],
        ["holder", "holders__expert__contact__name"],
        ["issuer"],
        ["name"],
        ["technologies", "technologies__id"],
        ["technologies", "technologies__name"],
        ["validity_months"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()

    def test_technologies_by_name(self):
        result = self.filterset({"technologies": ["Linux"]}, self.queryset).qs
        self.assertEqual({c.name for c in result}, {"LPIC-1", "PostgreSQL Associate"})

    def test_never_expires(self):
        self.assertEqual(
            [c.name for c in self.filterset({"never_expires": True}, self.queryset).qs], ["PostgreSQL Associate"]
        )
        self.assertEqual(self.filterset({"never_expires": False}, self.queryset).qs.count(), 3)

    def test_has_holders(self):
        self.assertEqual([c.name for c in self.filterset({"has_holders": False}, self.queryset).qs], ["CKA"])


class ExpertCertificationFilterSetTest(FilterTestCases.FilterTestCase):
    """Held-certification filters."""

    queryset = models.ExpertCertification.objects.all()
    filterset = filters.ExpertCertificationFilterSet
    generic_filter_tests = (
        ["certification", "certification__id"],
        ["certification", "certification__name"],
        ["credential_id"],
        ["expert", "expert__id"],
        ["expert", "expert__contact__name"],
        ["expires_on"],
        ["obtained_on"],
        ["technology", "certification__technologies__id"],
        ["technology", "certification__technologies__name"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()
        # A fourth holder, so that expiry dates have three distinct values next to a blank one.
        fixtures.held_certification(
            cls.experts["dan"], models.Certification.objects.get(name="CKA"), date(2025, 5, 1), credential_id="K-4"
        )

    def test_expires_before_and_after(self):
        before = self.filterset({"expires_before": "2026-01-01"}, self.queryset).qs
        self.assertEqual([held.credential_id for held in before], ["L-2"])
        after = self.filterset({"expires_after": "2026-01-01"}, self.queryset).qs
        self.assertEqual({held.credential_id for held in after}, {"J-1", "K-4"})

    def test_expires_on_is_null(self):
        result = self.filterset({"expires_on__isnull": True}, self.queryset).qs
        self.assertEqual([held.credential_id for held in result], ["P-3"])

    def test_technology_through_the_certification(self):
        result = self.filterset({"technology": ["Linux"]}, self.queryset).qs
        self.assertEqual({held.credential_id for held in result}, {"L-2", "P-3"})


class AvailabilityAgreementFilterSetTest(FilterTestCases.FilterTestCase):
    """Availability-agreement filters."""

    queryset = models.AvailabilityAgreement.objects.all()
    filterset = filters.AvailabilityAgreementFilterSet
    generic_filter_tests = (
        ["expert", "expert__id"],
        ["expert", "expert__contact__name"],
        ["hours_per_week"],
        ["line_manager", "line_manager__id"],
        ["line_manager", "line_manager__name"],
        ["comments"],
        ["status", "status__id"],
        ["status", "status__name"],
        ["team", "team__id"],
        ["team", "team__name"],
        ["valid_from"],
        ["valid_until"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()
        fixtures.agreement(cls.experts["dan"], fixtures.team("Storage"), Decimal("2"), date(2026, 3, 1))

    def test_in_force_on(self):
        result = self.filterset({"in_force_on": "2025-06-01"}, self.queryset).qs
        self.assertEqual([str(a.expert) for a in result], ["Bob Baker"])
        result = self.filterset({"in_force_on": "2026-04-01"}, self.queryset).qs
        self.assertEqual({str(a.expert) for a in result}, {"Alice Archer", "Dan Dale"})

    def test_hours_at_least(self):
        result = self.filterset({"hours_per_week__gte": ["8"]}, self.queryset).qs
        self.assertEqual({str(a.expert) for a in result}, {"Alice Archer", "Carol Cook"})


class TrainingPlanFilterSetTest(FilterTestCases.FilterTestCase):
    """Training-plan filters."""

    queryset = models.TrainingPlan.objects.all()
    filterset = filters.TrainingPlanFilterSet
    generic_filter_tests = (
        ["cost"],
        ["due_date"],
        ["expert", "expert__id"],
        ["expert", "expert__contact__name"],
        ["comments"],
        ["status", "status__id"],
        ["status", "status__name"],
        ["supplier", "supplier__id"],
        ["supplier", "supplier__name"],
        ["target_level"],
        ["technology", "technology__id"],
        ["technology", "technology__name"],
    )

    @classmethod
    def setUpTestData(cls):
        cls.experts = filter_estate()

    def test_due_between(self):
        result = self.filterset({"due_after": "2026-08-01", "due_before": "2026-10-01"}, self.queryset).qs
        self.assertEqual([str(plan.expert) for plan in result], ["Alice Archer"])

    def test_target_level_at_least(self):
        result = self.filterset({"target_level__gte": [4]}, self.queryset).qs
        self.assertEqual({plan.target_level for plan in result}, {4, 5})

    def test_has_supplier(self):
        result = self.filterset({"has_supplier": False}, self.queryset).qs
        self.assertEqual([str(plan.expert) for plan in result], ["Carol Cook"])

    def test_q_finds_by_supplier_name(self):
        result = self.filterset({"q": "academy"}, self.queryset).qs
        self.assertEqual([str(plan.expert) for plan in result], ["Bob Baker"])
