"""The Job that reads the change log and notes into activity per person and technology (candidate experts)."""

from nautobot.apps.jobs import Job

from nautobot_techmgmt.jobs.common import GROUPING
from nautobot_techmgmt.knowledge import activity

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`


class ComputeActivity(Job):
    """Replace the activity state: who changed the objects of each technology, and how much, in the window."""

    class Meta:
        """Job metadata."""

        name = "Compute activity from the change log"
        description = (
            "Read the change log and notes of the activity window (setting activity_window_days) and record, per "
            "person and technology, the objects touched, first authorships, own and others' changes and the degree "
            "of authorship, from which candidate experts and fading skills are worked out. Schedule it daily."
        )
        has_sensitive_variables = False

    def run(self):  # pylint: disable=arguments-differ
        """Compute the activity, logging each step."""
        if not activity.enabled():
            self.logger.warning("Candidate experts are turned off (setting candidate_experts_enabled): nothing done.")
            return {"rows": 0, "people": 0, "retired_purged": 0}
        counts = activity.compute_activity(log=self.logger.info)
        self.logger.info(
            "Activity computed: %(rows)d rows for %(people)d people; %(retired_purged)d technologies of objects "
            "deleted before the window forgotten.",
            counts,
        )
        return counts
