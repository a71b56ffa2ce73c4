"""Jobs that record coverage over time and keep the materialised per-object knowledge fresh."""

from django.db import transaction
from nautobot.apps.jobs import Job

from nautobot_techmgmt.jobs.common import GROUPING, DateVar, as_date, summarize
from nautobot_techmgmt.knowledge import Knowledge
from nautobot_techmgmt.models import CoverageSnapshot

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`


class TakeCoverageSnapshot(Job):
    """Refresh the per-object knowledge, then write one day's coverage figures of every technology in use."""

    as_of = DateVar(
        label="As of",
        required=False,
        description="Day the figures hold for (certification expiry and agreements are judged on it). Blank: today.",
    )

    class Meta:
        """Job metadata."""

        name = "Coverage snapshot"
        description = (
            "Refresh the knowledge shown on device, circuit, VM and cluster lists, then record bus factor, gaps "
            "and risk of every technology in use for one day (the coverage trend)."
        )
        has_sensitive_variables = False

    def run(self, *, as_of=None):  # pylint: disable=arguments-differ
        """Refresh the materialised knowledge, then write one CoverageSnapshot per technology in use."""
        from nautobot_techmgmt.knowledge.materialize import (  # pylint: disable=import-outside-toplevel
            refresh_object_knowledge,  # imported when run: listing the Jobs never depends on the refresh module
        )

        day = as_date(as_of)
        # Refresh first: the snapshot then reads the inventory side just counted instead of counting it again.
        refreshed = refresh_object_knowledge(day)
        self.logger.info("Refreshed object knowledge: %s.", summarize(refreshed))
        written, created, removed = write_snapshots(Knowledge(as_of=day), day)
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


class RefreshObjectKnowledge(Job):
    """Recompute the materialised knowledge (custodian, gaps, risk) of every device, circuit, VM and cluster."""

    class Meta:
        """Job metadata."""

        name = "Refresh object knowledge"
        description = (
            "Recompute custodian, bus factor, gaps and risk per technology on every device, circuit, "
            "virtual machine and cluster (the list columns and filters read these)."
        )
        has_sensitive_variables = False

    def run(self):  # pylint: disable=arguments-differ
        """Call the engine's refresh and log what it did."""
        from nautobot_techmgmt.knowledge.materialize import (  # pylint: disable=import-outside-toplevel
            refresh_object_knowledge,  # imported when run: listing the Jobs never depends on the refresh module
        )

        refreshed = refresh_object_knowledge()
        self.logger.info("Refreshed object knowledge: %s.", summarize(refreshed))
        return refreshed


@transaction.atomic
def write_snapshots(knowledge, day):
    """Create or update the day's snapshot of each technology in use; drop the day's rows of unused ones.

    Returns (snapshots written, how many were new, how many stale rows were removed).
    """
    written = []
    created_count = 0
    for technology_id, technology in sorted(knowledge.technologies.items(), key=lambda item: item[1].name):
        if not knowledge.is_in_use(technology_id):
            continue
        snapshot, created = CoverageSnapshot.objects.update_or_create(
            date=day,
            technology=technology,
            defaults={
                "objects_in_use": sum(knowledge.in_use[technology_id].values()),
                "bus_factor": knowledge.bus_factor(technology_id),
                "required_experts": technology.required_experts,
                "gaps": list(dict.fromkeys(gap.kind for gap in knowledge.gaps_of(technology_id))),
                "risk": knowledge.risk.get(technology_id, 0),
            },
        )
        created_count += created
        written.append(snapshot)
    # A re-run on the same day replaces the day: a technology no longer in use keeps no row for it.
    removed, _ = CoverageSnapshot.objects.filter(date=day).exclude(pk__in=[s.pk for s in written]).delete()
    return written, created_count, removed
