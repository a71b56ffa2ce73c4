"""UI views of experts, skills, certifications, availability agreements and training plans."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from nautobot.apps.testing import TestCase, ViewTestCases, post_data
from nautobot.extras.models import Contact

from nautobot_techmgmt import forms, models, views
from tests import fixtures


class PageAssertionsMixin:
    """Assertions on rendered pages that report the missing text, not the whole page."""

    def assertShows(self, content, text):  # noqa: N802  # pylint: disable=invalid-name
        """Fail unless `text` is in the page."""
        self.assertTrue(text in content, f"{text!r} is not on the page")

    def assertHides(self, content, text):  # noqa: N802  # pylint: disable=invalid-name
        """Fail if `text` is in the page."""
        self.assertFalse(text in content, f"{text!r} is on the page")


class ExpertViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Expert list, detail, add/edit, delete and bulk views."""

    model = models.Expert

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        new_contact = fixtures.contact("Dana Dev")
        cls.form_data = {
            "contact": new_contact.pk,
            "status": fixtures.status("Active").pk,
            "employment_type": "supplier-staff",
            "home_team": cls.estate.teams[0].pk,
            "line_manager": cls.estate.managers[0].pk,
            "hourly_cost": Decimal("95.50"),
            "description": "Automation contractor",
        }
        cls.update_data = {
            "contact": cls.estate.experts[0].contact.pk,
            "status": fixtures.status("On Leave").pk,
            "employment_type": "contractor",
            "home_team": cls.estate.teams[1].pk,
            "line_manager": cls.estate.managers[1].pk,
            "description": "Back in spring",
        }
        cls.bulk_edit_data = {
            "employment_type": "supplier-staff",
            "home_team": cls.estate.teams[2].pk,
            "line_manager": cls.estate.managers[1].pk,
            "description": "Bulk edited",
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_own_line_manager_error_is_shown_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_expert")
        contact = Contact.objects.create(name="Self Managed")
        data = {**self.form_data, "contact": contact.pk, "line_manager": contact.pk}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(
            response.context["form"].errors["line_manager"], ["An expert cannot be their own line manager."]
        )
        self.assertFalse(models.Expert.objects.filter(contact=contact).exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_add_form_preselects_active_status(self):
        self.add_permissions("nautobot_techmgmt.add_expert")
        response = self.client.get(self._get_url("add"))
        self.assertHttpStatus(response, 200)
        status_field = response.context["form"]["status"]
        active = fixtures.status("Active").pk
        self.assertEqual(str(status_field.value()), str(active))
        self.assertRegex(str(status_field), rf'<option value="{active}"\s+selected\s*>Active</option>')

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_edit_form_keeps_the_experts_status(self):
        self.add_permissions("nautobot_techmgmt.change_expert")
        expert = self.estate.experts[0]
        expert.status = fixtures.status("On Leave")
        expert.validated_save()
        response = self.client.get(self._get_url("edit", expert))
        self.assertEqual(str(response.context["form"]["status"].value()), str(fixtures.status("On Leave").pk))

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_shows_contact_details_and_related_records(self):
        alice, bob = self.estate.experts[0], self.estate.experts[1]
        alice.contact.phone = "+31 20 555 0101"
        alice.contact.save()
        fixtures.skill(alice, self.estate.technologies[0], 4)
        fixtures.held_certification(alice, self.estate.certifications[1], date(2024, 3, 1), credential_id="LPI-778")
        fixtures.agreement(alice, self.estate.teams[1], Decimal("6.5"), date(2026, 1, 1))
        fixtures.training_plan(alice, self.estate.technologies[3], 3, supplier=self.estate.supplier)
        fixtures.skill(bob, self.estate.technologies[1], 2)

        response = self.client.get(alice.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode(response.charset)
        self.assertShows(content, 'href="mailto:alice.archer@example.com"')
        self.assertShows(content, "+31 20 555 0101")
        self.assertShows(content, "4 - Expert")
        self.assertShows(content, "LPI-778")
        self.assertShows(content, self.estate.certifications[1].get_absolute_url())
        self.assertShows(content, "6.5")
        self.assertShows(content, self.estate.technologies[3].get_absolute_url())
        self.assertShows(content, self.estate.supplier.get_absolute_url())
        # Bob's skill is not Alice's.
        self.assertHides(content, "2 - Working knowledge")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_lists_responsibilities(self):
        alice = self.estate.experts[0]
        responsibility = models.Responsibility.objects.create(
            expert=alice, technology=self.estate.technologies[2], role="backup-support"
        )
        response = self.client.get(alice.get_absolute_url())
        self.assertHttpStatus(response, 200)
        content = response.content.decode(response.charset)
        self.assertShows(content, responsibility.get_absolute_url())
        self.assertShows(content, "Backup support")

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_list_queries_do_not_grow_with_experts(self):
        def list_queries():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(self._get_url("list"), headers={"HX-Request": "true"})
            self.assertHttpStatus(response, 200)
            return len(queries)

        list_queries()  # warm the caches (content types, statuses) that a first request fills
        three_experts = list_queries()
        for name in ("Gina Green", "Hugo Hill", "Ida Ives"):
            new_expert = fixtures.expert(name, home_team=self.estate.teams[0], line_manager=self.estate.managers[0])
            fixtures.skill(new_expert, self.estate.technologies[0], 3)
            fixtures.held_certification(new_expert, self.estate.certifications[0], date(2025, 1, 1))
        self.assertEqual(list_queries(), three_experts)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_list_shows_contact_email_and_skill_count(self):
        fixtures.skill(self.estate.experts[0], self.estate.technologies[0], 3)
        fixtures.skill(self.estate.experts[0], self.estate.technologies[1], 2)
        response = self.client.get(self._get_url("list"), headers={"HX-Request": "true"})
        content = response.content.decode(response.charset)
        self.assertShows(content, "bob.baker@example.com")
        self.assertShows(content, "Contractor")
        skills_url = reverse("plugins:nautobot_techmgmt:skill_list") + f"?expert={self.estate.experts[0].pk}"
        self.assertShows(content, f'<a href="{skills_url}" class="badge bg-primary">2</a>')


class SkillViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Skill list, detail, add/edit, delete and bulk views."""

    model = models.Skill

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        junos, linux, postgres, _ = cls.estate.technologies
        fixtures.skill(alice, junos, 4, last_assessed=date(2025, 1, 10))
        fixtures.skill(bob, linux, 2)
        fixtures.skill(carol, postgres, 3, assessed_by=cls.estate.managers[0])
        cls.form_data = {
            "expert": alice.pk,
            "technology": linux.pk,
            "level": 3,
            "last_assessed": date(2025, 11, 30),
            "assessed_by": cls.estate.managers[1].pk,
            "comments": "Assessed in lab",
        }
        cls.bulk_edit_data = {
            "level": 5,
            "last_assessed": date(2025, 12, 1),
            "assessed_by": cls.estate.managers[1].pk,
            "comments": "Reassessed",
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_future_assessment_error_is_shown_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_skill")
        data = {**self.form_data, "last_assessed": (date.today() + timedelta(days=3)).isoformat()}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(
            response.context["form"].errors["last_assessed"], ["The assessment date cannot be in the future."]
        )

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_duplicate_skill_is_refused_with_a_message(self):
        self.add_permissions("nautobot_techmgmt.add_skill")
        data = {**self.form_data, "technology": self.estate.technologies[0].pk}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertIn(
            "Skill with this Expert and Technology already exists.", response.context["form"].non_field_errors()
        )
        self.assertEqual(models.Skill.objects.filter(expert=self.estate.experts[0]).count(), 1)

    def test_level_is_a_select_of_the_five_levels(self):
        field = forms.SkillForm().fields["level"]
        self.assertEqual(
            [label for _, label in field.choices],
            ["1 - Awareness", "2 - Working knowledge", "3 - Practitioner", "4 - Expert", "5 - Authority"],
        )

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_list_shows_readable_level(self):
        response = self.client.get(self._get_url("list"), headers={"HX-Request": "true"})
        content = response.content.decode(response.charset)
        for label in ("4 - Expert", "2 - Working knowledge", "3 - Practitioner"):
            self.assertShows(content, label)


class CertificationViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Certification list, detail, add/edit, delete and bulk views."""

    model = models.Certification

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        cls.form_data = {
            "name": "RHCSA",
            "issuer": "Red Hat",
            "technologies": [cls.estate.technologies[1].pk, cls.estate.technologies[3].pk],
            "validity_months": 36,
            "description": "Red Hat Certified System Administrator",
        }
        cls.bulk_edit_data = {"issuer": "Certification Board", "validity_months": 24, "description": "Renewed"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_list_queries_do_not_grow_with_certifications(self):
        def list_queries():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(self._get_url("list"), headers={"HX-Request": "true"})
            self.assertHttpStatus(response, 200)
            return len(queries), response.content.decode(response.charset)

        list_queries()  # warm the caches that a first request fills
        before, _ = list_queries()
        for number, expert in enumerate(self.estate.experts):
            new_cert = fixtures.certification(f"Extra {number}", self.estate.technologies[:2], issuer="Extra")
            fixtures.held_certification(expert, new_cert, date(2025, 1, 1))
        after, content = list_queries()
        self.assertEqual(after, before)
        # A single holder is shown by name.
        self.assertShows(content, self.estate.experts[2].contact.get_absolute_url())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_shows_technologies_and_holders(self):
        jncia = self.estate.certifications[0]
        fixtures.held_certification(self.estate.experts[1], jncia, date(2025, 2, 1))
        fixtures.held_certification(self.estate.experts[0], self.estate.certifications[1], date(2025, 2, 1))
        response = self.client.get(jncia.get_absolute_url())
        content = response.content.decode(response.charset)
        self.assertShows(content, self.estate.technologies[0].get_absolute_url())
        self.assertHides(content, self.estate.technologies[1].get_absolute_url())
        self.assertShows(content, self.estate.experts[1].get_absolute_url())
        self.assertHides(content, self.estate.experts[0].get_absolute_url())
        self.assertShows(content, "2028-02-01")

    def test_bulk_edit_adds_and_removes_technologies(self):
        form = forms.CertificationBulkEditForm(
            models.Certification,
            data={
                "pk": [cert.pk for cert in self.estate.certifications[:2]],
                "add_technologies": [self.estate.technologies[3].pk],
                "remove_technologies": [self.estate.technologies[0].pk],
            },
        )
        self.assertTrue(form.is_valid(), form.errors)
        for cert in self.estate.certifications[:2]:
            form.post_save(cert)
        self.assertEqual(list(self.estate.certifications[0].technologies.all()), [self.estate.technologies[3]])
        self.assertEqual(
            set(self.estate.certifications[1].technologies.all()),
            {self.estate.technologies[1], self.estate.technologies[3]},
        )


class ExpertCertificationViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Held-certification list, detail, add/edit, delete and bulk views."""

    model = models.ExpertCertification

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        jncia, lpic, pg_cert = cls.estate.certifications
        fixtures.held_certification(alice, jncia, date(2024, 1, 15), credential_id="J-1")
        fixtures.held_certification(bob, lpic, date(2020, 6, 1), expires_on=date(2021, 6, 1))
        fixtures.held_certification(carol, pg_cert, date(2025, 3, 1))
        cls.form_data = {
            "expert": bob.pk,
            "certification": jncia.pk,
            "obtained_on": date(2025, 5, 20),
            "expires_on": date(2028, 5, 20),
            "credential_id": "JN-42",
        }
        cls.bulk_edit_data = {"obtained_on": date(2025, 1, 2), "expires_on": date(2030, 1, 2), "credential_id": "X-1"}

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_expiry_before_obtained_error_is_shown_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_expertcertification")
        data = {**self.form_data, "obtained_on": "2025-05-20", "expires_on": "2025-05-19"}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(
            response.context["form"].errors["expires_on"],
            ["The expiry date cannot be before the date it was obtained."],
        )
        self.assertFalse(models.ExpertCertification.objects.filter(credential_id="JN-42").exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_blank_expiry_is_filled_in_from_the_catalogue(self):
        self.add_permissions("nautobot_techmgmt.add_expertcertification")
        data = {**self.form_data, "expires_on": ""}
        self.assertHttpStatus(self.client.post(self._get_url("add"), data=post_data(data)), 302)
        held = models.ExpertCertification.objects.get(credential_id="JN-42")
        self.assertEqual(held.expires_on, date(2028, 5, 20))

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_list_flags_expired_certifications(self):
        response = self.client.get(self._get_url("list"), headers={"HX-Request": "true"})
        content = response.content.decode(response.charset)
        self.assertShows(content, "2021-06-01 (expired)")
        self.assertShows(content, "2027-01-15")
        self.assertHides(content, "2027-01-15 (expired)")
        self.assertShows(content, "Never")


class AvailabilityAgreementViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Availability-agreement list, detail, add/edit, delete and bulk views."""

    model = models.AvailabilityAgreement

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        fixtures.agreement(
            alice, cls.estate.teams[1], Decimal("8"), date(2026, 1, 1), line_manager=cls.estate.managers[0]
        )
        fixtures.agreement(bob, cls.estate.teams[0], Decimal("4"), date(2025, 7, 1), status_name="Proposed")
        fixtures.agreement(
            carol, cls.estate.teams[0], Decimal("12.5"), date(2024, 1, 1), valid_until=date(2024, 12, 31)
        )
        cls.form_data = {
            "expert": bob.pk,
            "team": cls.estate.teams[2].pk,
            "line_manager": cls.estate.managers[1].pk,
            "hours_per_week": Decimal("16.0"),
            "valid_from": date(2026, 2, 1),
            "valid_until": date(2026, 12, 31),
            "status": fixtures.status("Agreed").pk,
            "comments": "Agreed in the quarterly review",
        }
        cls.bulk_edit_data = {
            "status": fixtures.status("Expired").pk,
            "hours_per_week": Decimal("2.5"),
            "valid_until": date(2027, 1, 31),
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_hours_error_is_shown_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_availabilityagreement")
        for hours in ("0", "61"):
            with self.subTest(hours=hours):
                data = {**self.form_data, "hours_per_week": hours}
                response = self.client.post(self._get_url("add"), data=post_data(data))
                self.assertHttpStatus(response, 200)
                self.assertEqual(
                    response.context["form"].errors["hours_per_week"],
                    ["Hours per week must be more than 0 and at most 60."],
                )
        self.assertFalse(models.AvailabilityAgreement.objects.filter(team=self.estate.teams[2]).exists())

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_end_before_start_error_is_shown_on_the_field(self):
        self.add_permissions("nautobot_techmgmt.add_availabilityagreement")
        data = {**self.form_data, "valid_from": "2026-02-01", "valid_until": "2026-01-31"}
        response = self.client.post(self._get_url("add"), data=post_data(data))
        self.assertHttpStatus(response, 200)
        self.assertEqual(
            response.context["form"].errors["valid_until"], ["The end date cannot be before the start date."]
        )


class TrainingPlanViewTest(PageAssertionsMixin, ViewTestCases.PrimaryObjectViewTestCase):
    """Training-plan list, detail, add/edit, delete and bulk views."""

    model = models.TrainingPlan

    @classmethod
    def setUpTestData(cls):
        cls.estate = fixtures.people_estate()
        alice, bob, carol = cls.estate.experts
        junos, linux, postgres, ansible = cls.estate.technologies
        fixtures.training_plan(alice, ansible, 3, due_date=date(2026, 9, 30), supplier=cls.estate.supplier)
        fixtures.training_plan(bob, junos, 2, status_name="In Progress", due_date=date(2026, 7, 1))
        fixtures.training_plan(carol, linux, 4, cost=Decimal("1200"))
        cls.form_data = {
            "expert": alice.pk,
            "technology": postgres.pk,
            "target_level": 3,
            "due_date": date(2026, 10, 31),
            "status": fixtures.status("Planned").pk,
            "supplier": cls.estate.supplier.pk,
            "cost": Decimal("2500.00"),
            "comments": "Vendor course",
        }
        cls.bulk_edit_data = {
            "target_level": 5,
            "due_date": date(2027, 3, 31),
            "supplier": cls.estate.supplier.pk,
            "cost": Decimal("99.99"),
        }

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_completing_in_the_form_raises_the_skill(self):
        plan = models.TrainingPlan.objects.get(expert=self.estate.experts[1])
        fixtures.skill(self.estate.experts[1], plan.technology, 1)
        self.add_permissions("nautobot_techmgmt.change_trainingplan")
        data = {
            "expert": plan.expert.pk,
            "technology": plan.technology.pk,
            "target_level": 2,
            "status": fixtures.status("Completed").pk,
        }
        response = self.client.post(self._get_url("edit", plan), data=post_data(data))
        self.assertHttpStatus(response, 302)
        self.assertEqual(models.Skill.objects.get(expert=self.estate.experts[1], technology=plan.technology).level, 2)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"])
    def test_detail_shows_readable_target_level(self):
        plan = models.TrainingPlan.objects.get(expert=self.estate.experts[2])
        response = self.client.get(plan.get_absolute_url())
        self.assertShows(response.content.decode(response.charset), "4 - Expert")


class FilterFormsMatchFilterSetsTest(TestCase):
    """Every field of a list view's filter form is a filter its filterset knows, and the list accepts it."""

    VIEWSETS = (
        views.ExpertUIViewSet,
        views.SkillUIViewSet,
        views.CertificationUIViewSet,
        views.ExpertCertificationUIViewSet,
        views.AvailabilityAgreementUIViewSet,
        views.TrainingPlanUIViewSet,
    )

    def test_filter_form_fields_have_filters(self):
        for viewset in self.VIEWSETS:
            with self.subTest(viewset=viewset.__name__):
                form_fields = set(viewset.filterset_form_class().fields)
                filter_names = set(viewset.filterset_class.base_filters)
                self.assertEqual(form_fields - filter_names, set())
                self.assertIn("q", form_fields)

    @override_settings(EXEMPT_VIEW_PERMISSIONS=["*"], STRICT_FILTERING=True)
    def test_filter_form_values_are_accepted_by_the_list(self):
        estate = fixtures.people_estate()
        fixtures.training_plan(estate.experts[0], estate.technologies[0], 3, supplier=estate.supplier)
        samples = {
            "q": "a",
            "employment_type": "contractor",
            "level": "3",
            "target_level": "3",
            "has_skills": "True",
            "has_holders": "False",
            "issuer": "Juniper",
            "expires_before": "2026-01-01",
            "expires_after": "2026-01-01",
            "in_force_on": "2026-01-01",
            "due_before": "2026-01-01",
            "due_after": "2026-01-01",
            "tags": "none",
        }
        for viewset in self.VIEWSETS:
            model = viewset.queryset.model
            url = reverse(f"plugins:nautobot_techmgmt:{model._meta.model_name}_list")
            for name, field in viewset.filterset_form_class().fields.items():
                if name in samples:
                    value = samples[name]
                elif hasattr(field, "queryset"):
                    value = field.queryset.first().pk
                else:
                    value = field.choices[-1][0]
                with self.subTest(model=model.__name__, field=name):
                    response = self.client.get(url, {name: value})
                    self.assertHttpStatus(response, 200)
                    self.assertNotContains(response, "Invalid filters were specified")
