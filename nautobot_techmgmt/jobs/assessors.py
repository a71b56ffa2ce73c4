"""Change assessors: who must assess a change to a set of objects, as a Markdown report and a CSV file."""

from datetime import date

from nautobot.apps.jobs import Job, MultiObjectVar

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.jobs.common import GROUPING, csv_text
from nautobot_techmgmt.object_types import OBJECT_TYPES

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`

CSV_HEADER = (
    "technology",
    "objects",
    "without change assessor",
    "role",
    "assignee",
    "kind",
    "qualified",
    "phone",
    "email",
    "objects assessed",
    "why",
)


class ListChangeAssessorsBase(Job):
    """List who must assess a change to the chosen objects: per technology, change assessors and design authority."""

    class Meta:
        """Job metadata."""

        name = "Change assessors"
        description = (
            "Who must assess a change to the chosen devices, circuits, virtual machines, clusters or cloud services: "
            "per technology in use on them, the change assessors and design authority, with why and whether they "
            'are qualified. The "Change assessors" button of those lists runs it for the selected objects.'
        )
        has_sensitive_variables = False

    def run(self, **selected):  # pylint: disable=arguments-differ
        """Resolve the assessors, log them and write change-assessors-<date>.md and .csv."""
        objects = {key: [obj.pk for obj in found] for key, found in selected.items() if found}
        if not objects:
            self.logger.warning("No object was chosen.")
            return {"technologies": 0}
        # As in the REST API: only technologies the user may view, and only the experts and contacts the user may view.
        answers = Answers(self.user)
        technologies = answers.assessors(objects)
        today = date.today()
        rows = [
            (
                answer.technology.name,
                answer.objects,
                answer.without_assessor,
                assessor.role_label,
                assessor.assignee_name or f"(an {assessor.kind} you may not view)",
                assessor.kind,
                "yes" if assessor.qualified else "no",
                assessor.phone,
                assessor.email,
                assessor.objects,
                "; ".join(assessor.sources),
            )
            for answer in technologies
            for assessor in answer.assessors
        ]
        self.create_file(f"change-assessors-{today.isoformat()}.csv", csv_text(CSV_HEADER, rows))
        self.create_file(f"change-assessors-{today.isoformat()}.md", markdown_report(today, objects, technologies))
        for answer in technologies:
            names = ", ".join(
                f"{assessor.assignee_name or 'someone you may not view'} ({assessor.role_label.lower()})"
                for assessor in answer.assessors
            )
            self.logger.info(
                "%s, on %d of the objects: %s.", answer.technology, answer.objects, names or "nobody is assigned"
            )
            if answer.without_assessor:
                self.logger.warning(
                    "%s: %d object(s) have no change assessor.", answer.technology, answer.without_assessor
                )
        return {"technologies": len(technologies), "objects": sum(len(ids) for ids in objects.values())}


def _cell(value):
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_report(day, objects, technologies):
    """A Markdown report: the objects, then one table per technology."""
    counted = ", ".join(f"{len(ids)} {key.replace('_', ' ')}" for key, ids in objects.items())
    lines = [f"# Change assessors on {day.isoformat()}", "", f"Objects of the change: {counted}.", ""]
    if not technologies:
        lines.append("No technology you may view is in use on these objects.")
    for answer in technologies:
        lines += ["", f"## {answer.technology.name} ({answer.objects} object(s))", ""]
        if answer.without_assessor:
            lines += [f"**{answer.without_assessor} object(s) have no change assessor.**", ""]
        lines += ["| Role | Who | Qualified | Reach | Objects | Why |", "| --- | --- | --- | --- | ---: | --- |"]
        for assessor in answer.assessors:
            who = assessor.assignee_name or f"an {assessor.kind} you may not view"
            reach = " / ".join(part for part in (assessor.phone, assessor.email) if part) or "-"
            cells = (
                assessor.role_label,
                who,
                "yes" if assessor.qualified else "no",
                reach,
                assessor.objects,
                "; ".join(assessor.sources),
            )
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


# One optional multi-object variable per object type of the registry, named by its key ("devices", ...).
ListChangeAssessors = type(
    "ListChangeAssessors",
    (ListChangeAssessorsBase,),
    {
        "__module__": __name__,
        "__doc__": ListChangeAssessorsBase.__doc__,
        **{
            object_type.key: MultiObjectVar(
                model=object_type.model, required=False, label=object_type.verbose_name_plural.capitalize()
            )
            for object_type in OBJECT_TYPES
        },
    },
)
