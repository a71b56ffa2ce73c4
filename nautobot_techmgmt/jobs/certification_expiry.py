"""Certification expiry check: held certifications that lapsed or lapse soon, and whose qualification they carry."""

from datetime import date, timedelta

from nautobot.apps.jobs import BooleanVar, IntegerVar, Job

from nautobot_techmgmt.jobs.common import GROUPING, csv_text
from nautobot_techmgmt.knowledge import Knowledge, app_setting
from nautobot_techmgmt.models import ExpertCertification

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`

CSV_HEADER = (
    "expert",
    "expert status",
    "certification",
    "expires on",
    "days left",
    "technologies evidenced",
    "stops being qualified for",
)


class CheckCertificationExpiry(Job):
    """List held certifications that expired or expire within the window, per expert, with what they cost."""

    days = IntegerVar(
        required=False,
        min_value=0,
        description="Warning window in days. Blank: the app setting certification_warning_days (90 by default).",
    )
    export_csv = BooleanVar(label="Export CSV", description="Also attach the list as a CSV file to the result.")

    class Meta:
        """Job metadata."""

        name = "Certification expiry check"
        description = (
            "Warn about experts' certifications that have expired or expire within the window, and about experts "
            "who stop being qualified for a technology that requires certification."
        )
        has_sensitive_variables = False

    def run(self, *, days=None, export_csv=False):  # pylint: disable=arguments-differ
        """Compare who is qualified today with who is qualified when the window ends; log each lapse."""
        today = date.today()
        days = app_setting("certification_warning_days") if days is None else days
        horizon = today + timedelta(days=days)
        lapsing_experts = Knowledge(as_of=today, warning_days=days).lapsing
        rows, experts, losing = [], set(), set()
        for held_certification in self.lapsing(horizon):
            expert, expires_on = held_certification.expert, held_certification.expires_on
            technologies = sorted(technology.name for technology in held_certification.certification.technologies.all())
            lost = lost_qualifications(held_certification, lapsing_experts)
            experts.add(expert.pk)
            if lost:
                losing.add(expert.pk)
            self.logger.warning(
                "%s: %s %s%s.",
                expert,
                held_certification.certification,
                _when(expires_on, (expires_on - today).days),
                f"; stops being qualified for {', '.join(lost)}" if lost else "",
                extra={"object": held_certification, "grouping": str(expert)},
            )
            rows.append(
                (
                    str(expert),
                    str(expert.status),
                    str(held_certification.certification),
                    expires_on.isoformat(),
                    (expires_on - today).days,
                    "; ".join(technologies),
                    "; ".join(lost),
                )
            )
        self.logger.info(
            "%d certifications of %d experts lapsed or lapse before %s; %d experts stop being qualified for a "
            "technology that requires certification.",
            len(rows),
            len(experts),
            horizon.isoformat(),
            len(losing),
        )
        if export_csv:
            self.create_file(f"certification-expiry-{today.isoformat()}.csv", csv_text(CSV_HEADER, rows))
        return {"certifications": len(rows), "experts": len(experts), "losing_qualification": len(losing)}

    def lapsing(self, horizon):
        """Held certifications the user may view that have lapsed by `horizon`, by expert, soonest first."""
        # expires_on is the last valid day, as the engine reads it: lapsed by the horizon means expires_on < horizon.
        return (
            ExpertCertification.objects.restrict(self.user, "view")
            .filter(expires_on__lt=horizon)
            .select_related("expert__contact", "expert__status", "certification")
            .prefetch_related("certification__technologies")
            .order_by("expert__contact__name", "expires_on", "certification__name")
        )


def lost_qualifications(held_certification, lapsing):
    """Technologies the certification evidences that its holder stops being qualified for, by name.

    Only a technology that requires certification can be lost by a lapse; `lapsing` is the engine's answer
    ({technology_id: experts qualified now but not when the window ends}), so another valid certification keeps the
    expert qualified.
    """
    expert_id = held_certification.expert_id
    return sorted(
        technology.name
        for technology in held_certification.certification.technologies.all()
        if technology.certification_required and expert_id in lapsing.get(technology.pk, ())
    )


def _when(expires_on, days_left):
    """'expires in 12 days (2026-12-07)', 'expired 3 days ago (...)' or 'expires today (...)'."""
    if days_left < 0:
        return f"expired {-days_left} days ago ({expires_on.isoformat()})"
    if days_left == 0:
        return f"expires today ({expires_on.isoformat()})"
    return f"expires in {days_left} days ({expires_on.isoformat()})"
