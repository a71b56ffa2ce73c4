"""The coverage snapshot and knowledge refresh Jobs, and how the app's Jobs are registered."""

from datetime import date

from django.core.exceptions import ValidationError
from nautobot.apps.choices import JobResultStatusChoices
from nautobot.extras.models import Job as JobModel

from nautobot_techmgmt.jobs import RebuildKnowledgeState, TakeCoverageSnapshot
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import CoverageSnapshot, KnowledgeRefresh, ObjectKnowledge
from tests import fixtures

TODAY = fixtures.TODAY


class JobRegistrationTest(fixtures.JobTestCase):
    def test_eight_jobs_install_disabled_under_one_grouping(self):
        rows = JobModel.objects.filter(module_name__startswith="nautobot_techmgmt.jobs")
        self.assertEqual(
            sorted(rows.values_list("name", flat=True)),
            [
                "Capacity report",
                "Certification expiry check",
                "Change assessors",
                "Compute activity from the change log",
                "Coverage snapshot",
                "Gap report export",
                "Rebuild knowledge state",
                "Skills matrix import",
            ],
        )
        self.assertEqual(set(rows.values_list("grouping", flat=True)), {"Technical Management"})
        self.assertFalse(rows.filter(enabled=True).exists())

    def test_scheduled_jobs_have_no_sensitive_variables(self):
        for name in (
            "Coverage snapshot",
            "Rebuild knowledge state",
            "Certification expiry check",
            "Compute activity from the change log",
            "Capacity report",
        ):
            with self.subTest(name):
                self.assertFalse(JobModel.objects.get(name=name).has_sensitive_variables)

    def test_as_of_accepts_an_iso_date_from_form_or_api(self):
        self.assertEqual(TakeCoverageSnapshot.validate_data({"as_of": "2026-06-01"}), {"as_of": TODAY})
        with self.assertRaises(ValidationError):
            TakeCoverageSnapshot.validate_data({"as_of": "next monday"})


class CoverageSnapshotJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        fixtures.small_estate(self)

    def snapshots(self, day=TODAY):
        return {s.technology.name: s for s in CoverageSnapshot.objects.filter(date=day).select_related("technology")}

    def test_writes_figures_of_each_technology_in_use(self):
        result = fixtures.run_job(TakeCoverageSnapshot, as_of=TODAY)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        snapshots = self.snapshots()
        self.assertEqual(set(snapshots), {"Junos", "Linux"})  # Oracle is not in use
        junos, linux = snapshots["Junos"], snapshots["Linux"]
        # Junos: two routers, Ada alone qualified of the two needed; her team is custodian and has hours; nobody
        # has primary support: high (5) + medium (2) on each router.
        self.assertEqual(
            (junos.objects_in_use, junos.bus_factor, junos.required_experts, junos.gaps, junos.risk),
            (2, 1, 2, ["single_expert", "no_primary_support"], 5 * 2 + 2 * 2),
        )
        # Linux: one server, nobody qualified, no custodian, no primary support: critical (10) + 2 x medium (2).
        self.assertEqual((linux.objects_in_use, linux.bus_factor, linux.required_experts), (1, 0, 1))
        self.assertEqual(sorted(linux.gaps), ["no_custodian", "no_expert", "no_primary_support"])
        self.assertEqual(linux.risk, 14)
        self.assertEqual(linux.risk, Knowledge(as_of=TODAY).risk[self.linux.pk])

    def test_second_run_on_the_same_day_updates_instead_of_adding(self):
        fixtures.run_job(TakeCoverageSnapshot, as_of=TODAY)
        first_ids = {name: s.pk for name, s in self.snapshots().items()}
        self.linux_scope.delete()  # Linux leaves the estate
        bob_junos = self.bob.skills.get(technology=self.junos)
        bob_junos.level = 5
        bob_junos.save()

        result = fixtures.run_job(TakeCoverageSnapshot, as_of=TODAY)

        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        snapshots = self.snapshots()
        self.assertEqual(set(snapshots), {"Junos"})
        self.assertEqual(snapshots["Junos"].pk, first_ids["Junos"])
        # Bob qualifies: only the missing primary support of the two routers is left.
        self.assertEqual(
            (snapshots["Junos"].bus_factor, snapshots["Junos"].gaps, snapshots["Junos"].risk),
            (2, ["no_primary_support"], 2 * 2),
        )
        self.assertEqual(CoverageSnapshot.objects.count(), 1)
        self.assertEqual(result.result["updated"], 1)
        self.assertEqual(result.result["removed"], 1)

    def test_days_are_kept_apart_and_default_to_today(self):
        fixtures.run_job(TakeCoverageSnapshot, as_of=TODAY)
        result = fixtures.run_job(TakeCoverageSnapshot)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        self.assertEqual(set(self.snapshots(date.today())), {"Junos", "Linux"})
        self.assertEqual(CoverageSnapshot.objects.count(), 4)

    def test_reads_the_knowledge_state_and_logs_a_summary(self):
        result = fixtures.run_job(TakeCoverageSnapshot, as_of=TODAY)
        messages = fixtures.job_log(result, "info")
        self.assertIn(
            f"Coverage snapshot for {TODAY}: 2 technologies in use (2 new, 0 updated, 0 no longer in use removed); "
            "2 with gaps, 1 with nobody qualified, total risk 28.",
            messages,
        )


class RebuildKnowledgeStateJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        fixtures.small_estate(self)

    def test_rebuilds_rows_and_logs_progress_and_counts(self):
        ObjectKnowledge.objects.all().delete()  # a damaged state: the rebuild repairs it
        result = fixtures.run_job(RebuildKnowledgeState)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        self.assertEqual(
            set(ObjectKnowledge.objects.values_list("technology__name", "device__name")),
            {("Junos", "ams-rtr-1"), ("Junos", "ber-rtr-1"), ("Linux", "ams-srv-1")},
        )
        messages = fixtures.job_log(result, "info")
        self.assertIn("2%: reading inventory", messages)
        self.assertIn("100%: done", messages)
        self.assertTrue(
            any(m.startswith("Rebuilt the knowledge state: deleted: 0, created: 3, devices: 3,") for m in messages),
            messages,
        )
        self.assertEqual(fixtures.run_job(RebuildKnowledgeState).result["deleted"], 3)

    def test_runs_the_rebuild_a_migration_asked_for(self):
        asked = KnowledgeRefresh.objects.create(status=KnowledgeRefresh.STATUS_PENDING, reason="upgrade")
        fixtures.run_job(RebuildKnowledgeState)
        asked.refresh_from_db()
        self.assertEqual((asked.status, asked.progress), (KnowledgeRefresh.STATUS_COMPLETED, 100))
