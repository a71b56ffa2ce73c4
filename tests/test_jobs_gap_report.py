"""The gap report export Job: CSV and Markdown files on the Job result, filtered, expert names only when allowed."""

import csv
import io
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from nautobot.apps.choices import JobResultStatusChoices
from nautobot.users.models import ObjectPermission

from nautobot_techmgmt.jobs import ExportGapReport
from nautobot_techmgmt.models import Technology, TechnologyScope
from tests import fixtures

HEADER = [
    "kind",
    "severity",
    "technology",
    "category",
    "custodian team",
    "bus factor",
    "required experts",
    "affected objects",
    "risk",
    "detail",
    "experts",
]


class GapReportJobTest(fixtures.JobTestCase):
    def setUp(self):
        super().setUp()
        fixtures.small_estate(self)
        # PostgreSQL runs on everything in Amsterdam: two devices, the cluster and its VM; nobody knows it.
        self.postgres = fixtures.technology("PostgreSQL", category="database", required_experts=1)
        TechnologyScope.objects.create(technology=self.postgres, location=self.inv["site"])
        self.csv_name = f"knowledge-gaps-{date.today().isoformat()}.csv"
        self.md_name = f"knowledge-gaps-{date.today().isoformat()}.md"

    def export(self, **kwargs):
        result = fixtures.run_job(ExportGapReport, **kwargs)
        self.assertEqual(result.status, JobResultStatusChoices.STATUS_SUCCESS, fixtures.job_log(result))
        return result

    def csv_rows(self, result):
        reader = csv.DictReader(io.StringIO(fixtures.job_file(result, self.csv_name)))
        self.assertEqual(reader.fieldnames, HEADER)
        return [(row["technology"], row["kind"], row["severity"], int(row["risk"]), row["experts"]) for row in reader]

    def test_csv_lists_every_gap_worst_risk_first(self):
        result = self.export()
        self.assertEqual(set(result.files.values_list("name", flat=True)), {self.csv_name, self.md_name})
        self.assertEqual(
            self.csv_rows(result),
            [
                ("PostgreSQL", "no_expert", "critical", 40, ""),
                ("Linux", "no_expert", "critical", 10, ""),
                ("Junos", "single_expert", "high", 10, "Ada"),
                ("PostgreSQL", "no_custodian", "medium", 8, ""),
                ("PostgreSQL", "no_primary_support", "medium", 8, ""),
                ("Junos", "no_primary_support", "medium", 4, ""),
                ("Linux", "no_custodian", "medium", 2, ""),
                ("Linux", "no_primary_support", "medium", 2, ""),
            ],
        )
        junos = next(
            row
            for row in csv.DictReader(io.StringIO(fixtures.job_file(result, self.csv_name)))
            if row["technology"] == "Junos"
        )
        self.assertEqual(
            (junos["category"], junos["custodian team"], junos["bus factor"], junos["required experts"]),
            ("Network", "Network", "1", "2"),
        )
        self.assertEqual(junos["affected objects"], "2")
        self.assertEqual(junos["detail"], "Only one expert is qualified for Junos; 2 needed.")

    def test_markdown_summarises_by_severity_then_one_table_each(self):
        report = fixtures.job_file(self.export(), self.md_name)
        self.assertIn(f"# Knowledge gaps on {date.today().isoformat()}", report)
        self.assertIn("| Critical | 2 | 50 |", report)
        self.assertIn("| High | 1 | 10 |", report)
        self.assertIn("| Medium | 5 | 24 |", report)
        self.assertIn("| Low | 0 | 0 |", report)
        self.assertIn("| **Total** | **8** | **84** |", report)
        self.assertIn("## Critical (2)", report)
        self.assertNotIn("## Low", report)
        critical = report.split("## Critical (2)")[1].split("## High")[0]
        self.assertLess(critical.index("| PostgreSQL | No expert |"), critical.index("| Linux | No expert |"))
        self.assertIn("| Junos | Single expert | Network | 1 of 2 | 2 | 10 |", report)
        self.assertIn("Experts: Ada.", report)

    def test_filters_by_severity_kind_and_category(self):
        result = self.export(severity=["critical", "high"], category=["server", "network"])
        self.assertEqual(
            [row[:2] for row in self.csv_rows(result)], [("Linux", "no_expert"), ("Junos", "single_expert")]
        )
        self.assertIn(
            "Filters: severity: critical, high; technology category: server, network.",
            fixtures.job_file(result, self.md_name),
        )
        result = self.export(kind=["no_custodian"])
        self.assertEqual(
            [row[:2] for row in self.csv_rows(result)], [("PostgreSQL", "no_custodian"), ("Linux", "no_custodian")]
        )

    def test_user_sees_only_permitted_technologies_and_no_expert_names(self):
        viewer = get_user_model().objects.create_user(username="viewer")
        permission = ObjectPermission.objects.create(
            name="network technologies", actions=["view"], constraints={"category": "network"}
        )
        permission.object_types.add(ContentType.objects.get_for_model(Technology))
        permission.users.add(viewer)
        result = self.export(username="viewer")
        self.assertEqual(
            self.csv_rows(result),
            [("Junos", "single_expert", "high", 10, ""), ("Junos", "no_primary_support", "medium", 4, "")],
        )
        self.assertNotIn("Ada", fixtures.job_file(result, self.md_name))
        self.assertIn(
            "Expert names are left out of the report: you may not view experts.", fixtures.job_log(result, "info")
        )
