"""Jobs that record coverage over time and rebuild the knowledge state."""

from nautobot.apps.jobs import Job

from nautobot_techmgmt.jobs.common import GROUPING, DateVar, as_date, summarize
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import CoverageSnapshot, KnowledgeRefresh

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`


class TakeCoverageSnapshot(Job):
    """Write one day's coverage figures of every technology in use, from the knowledge state."""

    as_of = DateVar(
        label="As of",
        required=False,
        description="Day the figures hold for (certification expiry and agreements are judged on it). Blank: today.",
    )

    class Meta:
        """Job metadata."""

        name = "Coverage snapshot"
        description = "Record bus factor, gaps and risk of every technology in use for one day."
        has_sensitive_variables = False

    def run(self, *, as_of=None):  # pylint: disable=arguments-differ
        """Write one CoverageSnapshot per technology in use."""
        day = as_date(as_of)
        written, created, removed = CoverageSnapshot.objects.record(Knowledge(as_of=day))
        summary = {
            "date": day.isoformat(),
            "technologies": len(written),
            "created": created,
            "updated": len(written) - created,
            "removed": removed,
            "with_gaps": sum(1 for snapshot in written if snapshot.gaps),
            "without_expert": sum(1 for snapshot in written if snapshot.bus_factor == 0),
            "risk": sum(snapshot.risk for snapshot in written),
        }
        self.logger.info(
            "Coverage snapshot for %(date)s: %(technologies)d technologies in use (%(created)d new, %(updated)d "
            "updated, %(removed)d no longer in use removed); %(with_gaps)d with gaps, %(without_expert)d with "
            "nobody qualified, total risk %(risk)d.",
            summary,
        )
        return summary


class RebuildKnowledgeState(Job):
    """Recompute the whole knowledge state: every object's technologies and custodian, every technology's experts."""

    class Meta:
        """Job metadata."""

        name = "Rebuild knowledge state"
        description = (
            "Recompute from scratch what the app knows: technologies in use and effective custodian of every device, "
            "circuit, virtual machine, cluster and cloud service, and the qualified experts and gaps of every "
            "technology. Runs by itself after install and upgrade; run it by hand to repair."
        )
        has_sensitive_variables = False

    def run(self):  # pylint: disable=arguments-differ
        """Run the oldest asked-for rebuild (or a new one), logging its progress."""
        from nautobot_techmgmt.knowledge.materialize import (  # pylint: disable=import-outside-toplevel
            rebuild_knowledge,  # imported when run: listing the Jobs never depends on the engine
        )

        record = KnowledgeRefresh.objects.filter(status=KnowledgeRefresh.STATUS_PENDING).order_by("requested").first()
        counts = rebuild_knowledge(
            record, progress=lambda percent, message: self.logger.info("%d%%: %s", percent, message)
        )
        self.logger.info("Rebuilt the knowledge state: %s.", summarize(counts))
        return counts
