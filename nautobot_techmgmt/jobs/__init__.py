"""The app's Jobs, grouped as "Technical Management"; they install disabled until an administrator enables them."""

from nautobot.apps.jobs import register_jobs

from nautobot_techmgmt.jobs.activity import ComputeActivity
from nautobot_techmgmt.jobs.assessors import ListChangeAssessors
from nautobot_techmgmt.jobs.capacity_report import CapacityReport
from nautobot_techmgmt.jobs.certification_expiry import CheckCertificationExpiry
from nautobot_techmgmt.jobs.coverage import RebuildKnowledgeState, TakeCoverageSnapshot
from nautobot_techmgmt.jobs.gap_report import ExportGapReport
from nautobot_techmgmt.jobs.skills_import import ImportSkillsMatrix

jobs = [
    TakeCoverageSnapshot,
    RebuildKnowledgeState,
    ExportGapReport,
    ImportSkillsMatrix,
    CheckCertificationExpiry,
    ListChangeAssessors,
    ComputeActivity,
    CapacityReport,
]
register_jobs(*jobs)
