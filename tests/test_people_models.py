"""Model rules of experts, skills, certifications, availability agreements and training plans."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from nautobot.apps.testing import ModelTestCases, TestCase

from nautobot_techmgmt import models
from tests import fixtures


class PeopleEstateMixin:
    """Two experts, two technologies and a team, built once per test class."""

    @classmethod
    def setUpTestData(cls):
        """Create the shared objects."""
        cls.junos = fixtures.technology("Junos")
        cls.linux = fixtures.technology("Linux")
        cls.team = fixtures.team("Network Operations")
        cls.alice = fixtures.expert("Alice Archer")
        cls.bob = fixtures.expert("Bob Baker")


class ExpertModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """Expert rules: one expert per contact, not their own line manager."""

    model = models.Expert

    def test_str_is_contact_name(self):
        self.assertEqual(str(self.alice), "Alice Archer")

    def test_own_line_manager_is_rejected_on_the_field(self):
        self.alice.line_manager = self.alice.contact
        with self.assertRaises(ValidationError) as ctx:
            self.alice.validated_save()
        self.assertEqual(ctx.exception.message_dict["line_manager"], ["An expert cannot be their own line manager."])

    def test_other_line_manager_is_accepted(self):
        self.alice.line_manager = self.bob.contact
        self.alice.validated_save()
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.line_manager, self.bob.contact)

    def test_one_expert_per_contact(self):
        duplicate = models.Expert(contact=self.alice.contact, status=fixtures.status("Active"))
        with self.assertRaises(ValidationError) as ctx:
            duplicate.validated_save()
        self.assertIn("contact", ctx.exception.message_dict)


class SkillModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """Skill rules: one per expert and technology, level 1-5, no future assessment."""

    model = models.Skill

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fixtures.skill(cls.alice, cls.junos, 4)

    def test_str_shows_expert_technology_and_level(self):
        self.assertEqual(str(models.Skill.objects.get(expert=self.alice)), "Alice Archer - Junos (4)")

    def test_unique_per_expert_and_technology(self):
        duplicate = models.Skill(expert=self.alice, technology=self.junos, level=2)
        with self.assertRaises(ValidationError) as ctx:
            duplicate.validated_save()
        self.assertIn("Skill with this Expert and Technology already exists.", str(ctx.exception))
        self.assertEqual(models.Skill.objects.filter(expert=self.alice, technology=self.junos).count(), 1)

    def test_same_technology_for_another_expert_is_allowed(self):
        models.Skill(expert=self.bob, technology=self.junos, level=2).validated_save()
        self.assertEqual(models.Skill.objects.filter(technology=self.junos).count(), 2)

    def test_assessment_in_the_future_is_rejected(self):
        skill = models.Skill(expert=self.bob, technology=self.linux, level=3, last_assessed=date.today() + timedelta(1))
        with self.assertRaises(ValidationError) as ctx:
            skill.validated_save()
        self.assertEqual(ctx.exception.message_dict["last_assessed"], ["The assessment date cannot be in the future."])

    def test_assessment_today_is_accepted(self):
        skill = models.Skill(expert=self.bob, technology=self.linux, level=3, last_assessed=date.today())
        skill.validated_save()
        self.assertEqual(skill.last_assessed, date.today())

    def test_level_outside_scale_is_rejected(self):
        for level in (0, 6):
            with self.subTest(level=level):
                skill = models.Skill(expert=self.bob, technology=self.linux, level=level)
                with self.assertRaises(ValidationError) as ctx:
                    skill.validated_save()
                self.assertIn("level", ctx.exception.message_dict)


class CertificationModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """The certification catalogue."""

    model = models.Certification

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jncia = fixtures.certification("JNCIA-Junos", technologies=[cls.junos], issuer="Juniper")

    def test_evidences_its_technologies(self):
        self.assertEqual(list(self.junos.certifications.all()), [self.jncia])

    def test_name_is_unique(self):
        with self.assertRaises(ValidationError) as ctx:
            models.Certification(name="JNCIA-Junos").validated_save()
        self.assertIn("name", ctx.exception.message_dict)


class ExpertCertificationModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """Held certifications: expiry from the catalogue, dates in order, one per expert."""

    model = models.ExpertCertification

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jncia = fixtures.certification("JNCIA-Junos", technologies=[cls.junos], validity_months=36)
        cls.lpic = fixtures.certification("LPIC-1", technologies=[cls.linux])
        fixtures.held_certification(cls.alice, cls.jncia, date(2024, 1, 31))

    def test_expiry_is_filled_from_validity(self):
        held = models.ExpertCertification.objects.get(expert=self.alice, certification=self.jncia)
        self.assertEqual(held.expires_on, date(2027, 1, 31))

    def test_expiry_from_validity_handles_month_ends(self):
        self.jncia.validity_months = 1
        self.jncia.save()
        held = fixtures.held_certification(self.bob, self.jncia, date(2024, 1, 31))
        self.assertEqual(held.expires_on, date(2024, 2, 29))

    def test_explicit_expiry_is_kept(self):
        held = fixtures.held_certification(self.bob, self.jncia, date(2024, 1, 1), expires_on=date(2025, 6, 30))
        self.assertEqual(held.expires_on, date(2025, 6, 30))

    def test_no_validity_means_no_expiry(self):
        held = fixtures.held_certification(self.bob, self.lpic, date(2024, 1, 1))
        self.assertIsNone(held.expires_on)

    def test_expiry_before_obtained_is_rejected_on_the_field(self):
        held = models.ExpertCertification(
            expert=self.bob, certification=self.lpic, obtained_on=date(2024, 5, 1), expires_on=date(2024, 4, 30)
        )
        with self.assertRaises(ValidationError) as ctx:
            held.validated_save()
        self.assertEqual(
            ctx.exception.message_dict["expires_on"], ["The expiry date cannot be before the date it was obtained."]
        )
        self.assertFalse(models.ExpertCertification.objects.filter(expert=self.bob).exists())

    def test_unique_per_expert_and_certification(self):
        duplicate = models.ExpertCertification(
            expert=self.alice, certification=self.jncia, obtained_on=date(2025, 1, 1)
        )
        with self.assertRaises(ValidationError) as ctx:
            duplicate.validated_save()
        self.assertIn("Expert certification with this Expert and Certification already exists.", str(ctx.exception))

    def test_valid_on(self):
        valid = models.ExpertCertification.objects.valid_on
        self.assertEqual(valid(date(2026, 1, 1)).count(), 1)
        self.assertEqual(valid(date(2027, 2, 1)).count(), 0)
        self.assertEqual(valid(date(2023, 12, 31)).count(), 0)


class AvailabilityAgreementModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """Agreed hours: more than 0 and at most 60, a period that does not end before it starts."""

    model = models.AvailabilityAgreement

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        fixtures.agreement(cls.alice, cls.team, Decimal("8.0"), date(2026, 1, 1))

    def _agreement(self, **fields):
        values = {
            "expert": self.bob,
            "team": self.team,
            "hours_per_week": Decimal("10"),
            "valid_from": date(2026, 1, 1),
            "status": fixtures.status("Proposed"),
        }
        values.update(fields)
        return models.AvailabilityAgreement(**values)

    def test_hours_must_be_positive_and_at_most_sixty(self):
        for hours in ("0", "-1", "60.5", "61"):
            with self.subTest(hours=hours):
                with self.assertRaises(ValidationError) as ctx:
                    self._agreement(hours_per_week=Decimal(hours)).validated_save()
                self.assertEqual(
                    ctx.exception.message_dict["hours_per_week"],
                    ["Hours per week must be more than 0 and at most 60."],
                )
        self.assertFalse(models.AvailabilityAgreement.objects.filter(expert=self.bob).exists())

    def test_hours_bounds_that_are_accepted(self):
        for hours, start in (("0.5", date(2026, 1, 1)), ("60", date(2026, 2, 1))):
            self._agreement(hours_per_week=Decimal(hours), valid_from=start).validated_save()
        self.assertEqual(models.AvailabilityAgreement.objects.filter(expert=self.bob).count(), 2)

    def test_end_before_start_is_rejected_on_the_field(self):
        with self.assertRaises(ValidationError) as ctx:
            self._agreement(valid_until=date(2025, 12, 31)).validated_save()
        self.assertEqual(ctx.exception.message_dict["valid_until"], ["The end date cannot be before the start date."])

    def test_one_day_period_is_accepted(self):
        agreement = self._agreement(valid_until=date(2026, 1, 1))
        agreement.validated_save()
        self.assertEqual(agreement.valid_until, agreement.valid_from)

    def test_str(self):
        agreement = models.AvailabilityAgreement.objects.get(expert=self.alice)
        self.assertEqual(str(agreement), "Alice Archer for Network Operations: 8.0 h/week")


class TrainingPlanModelTest(PeopleEstateMixin, ModelTestCases.BaseModelTestCase):
    """Completing a training plan raises, never lowers, the expert's skill."""

    model = models.TrainingPlan

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = fixtures.training_plan(cls.alice, cls.junos, 4)

    def _complete(self, plan):
        plan.status = fixtures.status("Completed")
        plan.validated_save()

    def test_completing_raises_the_skill_to_the_target(self):
        fixtures.skill(self.alice, self.junos, 2, last_assessed=date(2020, 1, 1))
        self._complete(self.plan)
        skill = models.Skill.objects.get(expert=self.alice, technology=self.junos)
        self.assertEqual(skill.level, 4)
        self.assertEqual(skill.last_assessed, date.today())

    def test_completing_never_lowers_the_skill(self):
        fixtures.skill(self.alice, self.junos, 5, last_assessed=date(2020, 1, 1))
        self._complete(self.plan)
        skill = models.Skill.objects.get(expert=self.alice, technology=self.junos)
        self.assertEqual(skill.level, 5)
        self.assertEqual(skill.last_assessed, date(2020, 1, 1))

    def test_completing_creates_the_missing_skill(self):
        self.assertFalse(models.Skill.objects.filter(expert=self.alice, technology=self.junos).exists())
        self._complete(self.plan)
        skill = models.Skill.objects.get(expert=self.alice, technology=self.junos)
        self.assertEqual(skill.level, 4)
        self.assertIn("completed training plan", skill.comments)

    def test_a_plan_not_completed_leaves_skills_alone(self):
        fixtures.skill(self.alice, self.junos, 2)
        for status_name in ("In Progress", "Cancelled"):
            with self.subTest(status=status_name):
                self.plan.status = fixtures.status(status_name)
                self.plan.validated_save()
                self.assertEqual(models.Skill.objects.get(expert=self.alice, technology=self.junos).level, 2)

    def test_completed_plan_created_directly_raises_the_skill(self):
        fixtures.training_plan(self.bob, self.linux, 3, status_name="Completed")
        self.assertEqual(models.Skill.objects.get(expert=self.bob, technology=self.linux).level, 3)

    def test_unique_per_expert_technology_and_target(self):
        duplicate = models.TrainingPlan(
            expert=self.alice, technology=self.junos, target_level=4, status=fixtures.status("Planned")
        )
        with self.assertRaises(ValidationError):
            duplicate.validated_save()


class StatusSeedTest(TestCase):
    """The statuses each model needs are available to it."""

    def test_statuses_per_model(self):
        from nautobot.extras.models import Status  # pylint: disable=import-outside-toplevel

        expected = {
            models.Expert: {"Active", "On Leave", "Departed"},
            models.AvailabilityAgreement: {"Proposed", "Agreed", "Expired"},
            models.TrainingPlan: {"Planned", "In Progress", "Completed", "Cancelled"},
        }
        for model, names in expected.items():
            with self.subTest(model=model.__name__):
                available = set(Status.objects.get_for_model(model).values_list("name", flat=True))
                self.assertTrue(names <= available, f"missing {names - available}")
