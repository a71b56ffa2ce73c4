"""REST API, GraphQL and CSV import of experts, skills, certifications, agreements and training plans."""

import logging
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse
from nautobot.apps.testing import APITestCase, APIViewTestCases, run_job_for_testing
from nautobot.extras.choices import JobResultStatusChoices
from nautobot.extras.models import Job

from nautobot_techmgmt import models
from tests import fixtures


class ExpertAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of experts."""

    model = models.Expert
    choices_fields = ["employment_type"]

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        active = fixtures.status("Active")
        cls.create_data = [
            {
                "contact": fixtures.contact("Dana Dev").pk,
                "status": active.pk,
                "employment_type": "contractor",
                "home_team": cls.estate.teams[0].pk,
                "line_manager": cls.estate.managers[0].pk,
                "hourly_cost": Decimal("90.00"),
            },
            {"contact": fixtures.contact("Erin Ops").pk, "status": fixtures.status("On Leave").pk},
            {
                "contact": fixtures.contact("Finn Fox").pk,
                "status": active.pk,
                "employment_type": "supplier-staff",
                "description": "Vendor engineer",
            },
        ]
        cls.bulk_update_data = {"employment_type": "contractor", "description": "Bulk updated"}


class SkillAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of skills."""

    model = models.Skill
    choices_fields = ["level"]

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        junos, linux, postgres, ansible = cls.estate.technologies
        fixtures.skill(alice, junos, 4)
        fixtures.skill(bob, linux, 2)
        fixtures.skill(carol, postgres, 3)
        cls.create_data = [
            {"expert": alice.pk, "technology": linux.pk, "level": 3, "last_assessed": date(2025, 4, 1)},
            {"expert": bob.pk, "technology": ansible.pk, "level": 1, "assessed_by": cls.estate.managers[0].pk},
            {"expert": carol.pk, "technology": junos.pk, "level": 5, "comments": "Authority on MPLS"},
        ]
        cls.bulk_update_data = {"level": 5, "comments": "Reassessed"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_future_assessment_is_rejected_with_the_field_message(self):
        self.add_permissions("nautobot_techmgmt.add_skill")
        data = {**self.create_data[0], "last_assessed": date(2999, 1, 1)}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertEqual(response.json()["last_assessed"], ["The assessment date cannot be in the future."])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_duplicate_skill_is_rejected(self):
        self.add_permissions("nautobot_techmgmt.add_skill")
        data = {"expert": self.estate.experts[0].pk, "technology": self.estate.technologies[0].pk, "level": 1}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertEqual(response.json()["non_field_errors"], ["The fields expert, technology must make a unique set."])


class CertificationAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of the certification catalogue."""

    model = models.Certification

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        cls.create_data = [
            {"name": "RHCSA", "issuer": "Red Hat", "validity_months": 36},
            {"name": "CKA", "issuer": "CNCF", "validity_months": 24, "description": "Kubernetes administrator"},
            {"name": "Internal Junos Check"},
        ]
        cls.bulk_update_data = {"issuer": "Certification Board", "validity_months": 12}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_technologies_are_written_and_read_with_m2m(self):
        self.add_permissions("nautobot_techmgmt.add_certification", "nautobot_techmgmt.view_certification")
        junos, linux = self.estate.technologies[:2]
        data = {"name": "Network Automation", "technologies": [junos.pk, linux.pk]}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 201)
        certification = models.Certification.objects.get(name="Network Automation")
        self.assertEqual(set(certification.technologies.all()), {junos, linux})
        url = self._get_detail_url(certification) + "?exclude_m2m=false"
        technologies = self.client.get(url, **self.header).json()["technologies"]
        self.assertEqual({item["id"] for item in technologies}, {str(junos.pk), str(linux.pk)})


class ExpertCertificationAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of held certifications."""

    model = models.ExpertCertification

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        jncia, lpic, pg_cert = cls.estate.certifications
        fixtures.held_certification(alice, jncia, date(2024, 1, 1))
        fixtures.held_certification(bob, lpic, date(2023, 1, 1))
        fixtures.held_certification(carol, pg_cert, date(2025, 1, 1))
        cls.create_data = [
            {
                "expert": alice.pk,
                "certification": lpic.pk,
                "obtained_on": date(2025, 1, 1),
                "expires_on": date(2030, 1, 1),
            },
            {"expert": bob.pk, "certification": pg_cert.pk, "obtained_on": date(2025, 2, 1), "credential_id": "PG-9"},
            {
                "expert": carol.pk,
                "certification": jncia.pk,
                "obtained_on": date(2025, 3, 1),
                "expires_on": date(2028, 3, 1),
            },
        ]
        cls.bulk_update_data = {"credential_id": "UPDATED"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_expiry_before_obtained_is_rejected_with_the_field_message(self):
        self.add_permissions("nautobot_techmgmt.add_expertcertification")
        data = {**self.create_data[0], "expires_on": date(2024, 12, 31)}
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 400)
        self.assertEqual(response.json()["expires_on"], ["The expiry date cannot be before the date it was obtained."])

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_blank_expiry_is_filled_in_from_the_catalogue(self):
        """A blank expiry sent over REST (and so CSV) is filled in from the catalogue, as in the UI form."""
        self.add_permissions("nautobot_techmgmt.add_expertcertification")
        data = {
            "expert": self.estate.experts[2].pk,
            "certification": self.estate.certifications[0].pk,
            "obtained_on": date(2025, 3, 1),
        }
        response = self.client.post(self._get_list_url(), data, format="json", **self.header)
        self.assertHttpStatus(response, 201)
        self.assertEqual(response.json()["expires_on"], "2028-03-01")


class AvailabilityAgreementAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of availability agreements."""

    model = models.AvailabilityAgreement

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        network, servers, databases = cls.estate.teams
        fixtures.agreement(alice, servers, Decimal("8"), date(2026, 1, 1))
        fixtures.agreement(bob, network, Decimal("4"), date(2025, 1, 1), "Proposed")
        fixtures.agreement(carol, databases, Decimal("12.5"), date(2024, 1, 1), "Expired")
        agreed = fixtures.status("Agreed").pk
        cls.create_data = [
            {
                "expert": alice.pk,
                "team": network.pk,
                "hours_per_week": Decimal("6.0"),
                "valid_from": date(2026, 2, 1),
                "status": agreed,
            },
            {
                "expert": bob.pk,
                "team": databases.pk,
                "line_manager": cls.estate.managers[1].pk,
                "hours_per_week": Decimal("60.0"),
                "valid_from": date(2026, 1, 1),
                "valid_until": date(2026, 6, 30),
                "status": fixtures.status("Proposed").pk,
            },
            {
                "expert": carol.pk,
                "team": servers.pk,
                "hours_per_week": Decimal("0.5"),
                "valid_from": date(2026, 3, 1),
                "status": agreed,
            },
        ]
        cls.bulk_update_data = {"hours_per_week": Decimal("10.0"), "comments": "Reviewed"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_hours_out_of_range_are_rejected_with_the_field_message(self):
        self.add_permissions("nautobot_techmgmt.add_availabilityagreement")
        for hours in ("0", "60.5"):
            with self.subTest(hours=hours):
                data = {**self.create_data[0], "hours_per_week": hours}
                response = self.client.post(self._get_list_url(), data, format="json", **self.header)
                self.assertHttpStatus(response, 400)
                self.assertEqual(
                    response.json()["hours_per_week"], ["Hours per week must be more than 0 and at most 60."]
                )


class TrainingPlanAPITest(APIViewTestCases.APIViewTestCase):
    """REST API of training plans."""

    model = models.TrainingPlan
    choices_fields = ["target_level"]

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        junos, linux, postgres, ansible = cls.estate.technologies
        fixtures.training_plan(alice, ansible, 3)
        fixtures.training_plan(bob, junos, 2, "In Progress")
        fixtures.training_plan(carol, linux, 4, "Cancelled")
        planned = fixtures.status("Planned").pk
        cls.create_data = [
            {"expert": alice.pk, "technology": postgres.pk, "target_level": 2, "status": planned},
            {
                "expert": bob.pk,
                "technology": linux.pk,
                "target_level": 4,
                "status": planned,
                "supplier": cls.estate.supplier.pk,
                "cost": Decimal("1500.00"),
                "due_date": date(2026, 12, 31),
            },
            {"expert": carol.pk, "technology": junos.pk, "target_level": 1, "status": fixtures.status("Cancelled").pk},
        ]
        cls.bulk_update_data = {"due_date": date(2027, 1, 31), "comments": "Rescheduled"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_completing_through_the_api_raises_the_skill(self):
        self.add_permissions("nautobot_techmgmt.change_trainingplan")
        plan = models.TrainingPlan.objects.get(expert=self.estate.experts[0])
        fixtures.skill(self.estate.experts[0], plan.technology, 1)
        response = self.client.patch(
            self._get_detail_url(plan), {"status": fixtures.status("Completed").pk}, format="json", **self.header
        )
        self.assertHttpStatus(response, 200)
        self.assertEqual(models.Skill.objects.get(expert=self.estate.experts[0], technology=plan.technology).level, 3)


class PeopleGraphQLTest(APITestCase):
    """List and single-object GraphQL queries for every model of the people domain."""

    model = models.Expert

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        fixtures.skill(alice, cls.estate.technologies[0], 4)
        fixtures.skill(bob, cls.estate.technologies[1], 2)
        fixtures.held_certification(alice, cls.estate.certifications[0], date(2024, 1, 1), credential_id="J-1")
        fixtures.agreement(bob, cls.estate.teams[0], Decimal("4"), date(2026, 1, 1))
        fixtures.training_plan(carol, cls.estate.technologies[2], 3, supplier=cls.estate.supplier)

    def setUp(self):
        super().setUp()
        self.user.is_superuser = True
        self.user.save()

    def query(self, text):
        """Run a GraphQL query as the test user; fail on errors; return its data."""
        response = self.client.post(reverse("graphql-api"), {"query": text}, format="json", **self.header)
        self.assertHttpStatus(response, 200)
        body = response.json()
        self.assertNotIn("errors", body, body.get("errors"))
        return body["data"]

    def test_experts(self):
        data = self.query(
            '{ experts(employment_type: "contractor") { contact { name email } status { name } home_team { name }'
            " skills { level technology { name } } } }"
        )
        self.assertEqual(
            data["experts"],
            [
                {
                    "contact": {"name": "Bob Baker", "email": "bob.baker@example.com"},
                    "status": {"name": "Active"},
                    "home_team": {"name": "Servers"},
                    "skills": [{"level": "A_2", "technology": {"name": "Linux"}}],
                }
            ],
        )
        single = self.query(
            f'{{ expert(id: "{self.estate.experts[2].pk}") {{ contact {{ name }} status {{ name }} }} }}'
        )
        self.assertEqual(single["expert"], {"contact": {"name": "Carol Cook"}, "status": {"name": "On Leave"}})

    def test_skills(self):
        data = self.query("{ skills(level__gte: 3) { expert { contact { name } } technology { name } } }")
        self.assertEqual(
            data["skills"], [{"expert": {"contact": {"name": "Alice Archer"}}, "technology": {"name": "Junos"}}]
        )
        skill = models.Skill.objects.get(expert=self.estate.experts[1])
        single = self.query(f'{{ skill(id: "{skill.pk}") {{ technology {{ name }} }} }}')
        self.assertEqual(single["skill"], {"technology": {"name": "Linux"}})

    def test_certifications_and_holders(self):
        data = self.query(
            '{ certifications(name: "JNCIA-Junos") { issuer technologies { name } holders { credential_id } } }'
        )
        self.assertEqual(
            data["certifications"],
            [{"issuer": "Juniper", "technologies": [{"name": "Junos"}], "holders": [{"credential_id": "J-1"}]}],
        )
        single = self.query(f'{{ certification(id: "{self.estate.certifications[1].pk}") {{ name validity_months }} }}')
        self.assertEqual(single["certification"], {"name": "LPIC-1", "validity_months": 60})

    def test_expert_certifications(self):
        data = self.query("{ expert_certifications { expert { contact { name } } expires_on } }")
        self.assertEqual(
            data["expert_certifications"],
            [{"expert": {"contact": {"name": "Alice Archer"}}, "expires_on": "2027-01-01"}],
        )
        held = models.ExpertCertification.objects.get()
        single = self.query(f'{{ expert_certification(id: "{held.pk}") {{ certification {{ name }} }} }}')
        self.assertEqual(single["expert_certification"], {"certification": {"name": "JNCIA-Junos"}})

    def test_availability_agreements(self):
        data = self.query('{ availability_agreements(status: "Agreed") { hours_per_week team { name } } }')
        self.assertEqual(data["availability_agreements"], [{"hours_per_week": "4.0", "team": {"name": "Network"}}])
        agreement = models.AvailabilityAgreement.objects.get()
        single = self.query(f'{{ availability_agreement(id: "{agreement.pk}") {{ valid_from }} }}')
        self.assertEqual(single["availability_agreement"], {"valid_from": "2026-01-01"})

    def test_training_plans(self):
        data = self.query(
            '{ training_plans(supplier: "Trainers Ltd") { expert { contact { name } } status { name } } }'
        )
        self.assertEqual(
            data["training_plans"], [{"expert": {"contact": {"name": "Carol Cook"}}, "status": {"name": "Planned"}}]
        )
        plan = models.TrainingPlan.objects.get()
        single = self.query(f'{{ training_plan(id: "{plan.pk}") {{ technology {{ name }} }} }}')
        self.assertEqual(single["training_plan"], {"technology": {"name": "PostgreSQL"}})


class PeopleCSVImportTest(fixtures.JobTestCase):
    """CSV import (the "Import Objects" system job behind every list view's Import button)."""

    def setUp(self):
        super().setUp()
        self.estate = fixtures.people_estate()
        self.import_job = Job.objects.get(module_name="nautobot.core.jobs", job_class_name="ImportObjects")

    def run_import(self, model, csv_data):
        """Run the import; return the job result and the error lines the job logged, as a user reads them."""
        with self.assertLogs("nautobot.core.jobs", level=logging.INFO) as captured:
            job_result = run_job_for_testing(
                self.import_job,
                job_kwargs={
                    "content_type": ContentType.objects.get_for_model(model).pk,
                    "csv_data": csv_data,
                    "roll_back_if_error": True,
                },
            )
        job_result.refresh_from_db()
        errors = [record.getMessage() for record in captured.records if record.levelno >= logging.ERROR]
        return job_result, errors

    def test_experts_by_natural_key_and_by_id(self):
        fixtures.contact("Gina Green")
        fixtures.contact("Hugo Hill")
        csv_data = "\n".join(
            [
                "contact__name,status__name,employment_type,home_team__name,line_manager",
                f"Gina Green,Active,contractor,Network,{self.estate.managers[0].pk}",
                "Hugo Hill,On Leave,employee,Servers,",
            ]
        )
        job_result, errors = self.run_import(models.Expert, csv_data)
        self.assertEqual(errors, [])
        self.assertEqual(job_result.status, JobResultStatusChoices.STATUS_SUCCESS)
        gina = models.Expert.objects.get(contact__name="Gina Green")
        self.assertEqual(
            (gina.status.name, gina.employment_type, gina.home_team, gina.line_manager),
            ("Active", "contractor", self.estate.teams[0], self.estate.managers[0]),
        )
        self.assertEqual(models.Expert.objects.get(contact__name="Hugo Hill").status.name, "On Leave")

    def test_skills_by_expert_name_and_by_expert_id(self):
        by_name = "expert__contact__name,technology__name,level\nAlice Archer,Junos,4\n"
        by_id = f"expert,technology,level\n{self.estate.experts[1].pk},{self.estate.technologies[1].pk},2\n"
        for csv_data in (by_name, by_id):
            _, errors = self.run_import(models.Skill, csv_data)
            self.assertEqual(errors, [])
        self.assertEqual(
            set(models.Skill.objects.values_list("expert__contact__name", "technology__name", "level")),
            {("Alice Archer", "Junos", 4), ("Bob Baker", "Linux", 2)},
        )

    def test_bad_rows_are_reported_and_nothing_is_saved(self):
        csv_data = "\n".join(
            [
                "expert__contact__name,team__name,hours_per_week,valid_from,valid_until,status__name",
                "Alice Archer,Network,8,2026-01-01,,Agreed",
                "Bob Baker,Servers,75,2026-01-01,,Agreed",
                "Carol Cook,Databases,4,2026-05-01,2026-04-01,Proposed",
                "Nobody Known,Network,4,2026-01-01,,Agreed",
            ]
        )
        job_result, errors = self.run_import(models.AvailabilityAgreement, csv_data)
        self.assertEqual(job_result.status, JobResultStatusChoices.STATUS_FAILURE)
        self.assertFalse(models.AvailabilityAgreement.objects.exists())
        self.assertIn("Row 2: `hours_per_week`: `Hours per week must be more than 0 and at most 60.`", errors)
        self.assertIn("Row 3: `valid_until`: `The end date cannot be before the start date.`", errors)
        self.assertTrue(any(message.startswith("Row 4: `expert`:") for message in errors), errors)
        self.assertFalse(any(message.startswith("Row 1:") for message in errors), errors)

    def test_expert_certification_expiry_is_filled_in(self):
        csv_data = "expert__contact__name,certification__name,obtained_on\nBob Baker,JNCIA-Junos,2025-04-30\n"
        _, errors = self.run_import(models.ExpertCertification, csv_data)
        self.assertEqual(errors, [])
        self.assertEqual(models.ExpertCertification.objects.get().expires_on, date(2028, 4, 30))

    def test_expert_certification_with_bad_dates(self):
        csv_data = "\n".join(
            [
                "expert__contact__name,certification__name,obtained_on,expires_on",
                "Alice Archer,LPIC-1,2025-01-01,2024-01-01",
            ]
        )
        _, errors = self.run_import(models.ExpertCertification, csv_data)
        self.assertIn("Row 1: `expires_on`: `The expiry date cannot be before the date it was obtained.`", errors)
        self.assertFalse(models.ExpertCertification.objects.exists())
