"""Skills-matrix CSV import: create or update Skills row by row, reporting bad rows by line number."""

import csv
import io
import re
from collections import Counter, namedtuple
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from nautobot.apps.jobs import DryRunVar, FileVar, Job, TextVar

from nautobot_techmgmt.jobs.common import GROUPING, summarize
from nautobot_techmgmt.models import Expert, Skill, Technology

name = GROUPING  # pylint: disable=invalid-name  # Nautobot groups a module's Jobs under its `name`

REQUIRED_COLUMNS = ("email", "technology", "level")
OPTIONAL_COLUMNS = ("last_assessed", "comments")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LEVEL = re.compile(r"[1-5]")

# A data row of the file: its line number, {column: cell}, and why it cannot be read at all ("" if it can).
Row = namedtuple("Row", "line cells problem")


class CannotImport(Exception):
    """The file, or one row of it, cannot be imported; the message says why."""


class ImportSkillsMatrix(Job):
    """Create or update Skills from a CSV skills matrix: email, technology, level[, last_assessed, comments]."""

    skills_file = FileVar(
        label="Skills matrix file",
        required=False,
        description="CSV with a header row: email,technology,level and optionally last_assessed,comments.",
    )
    skills_csv = TextVar(label="Skills matrix text", required=False, description="Or paste the CSV here.")
    dry_run = DryRunVar(description="Check every row and report what would change, without writing anything.")

    class Meta:
        """Job metadata."""

        name = "Skills matrix import"
        description = (
            "Create or update experts' skills from a CSV skills matrix (email, technology, level 1-5, optional "
            "last_assessed and comments). Bad rows are reported by line number; good rows are kept."
        )
        has_sensitive_variables = False

    def run(self, *, skills_file=None, skills_csv="", dry_run=False):  # pylint: disable=arguments-differ
        """Read the file, then import each row on its own: a bad row never stops or half-writes another."""
        try:
            columns, rows = parse_matrix(read_text(skills_file, skills_csv))
        except CannotImport as error:
            self.fail("The skills matrix cannot be read: %s", error)
            return None
        if ignored := [column for column in columns if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]:
            self.logger.warning("Columns ignored: %s.", ", ".join(ignored))
        counts = self.import_rows(RowImporter(self.user, rows, dry_run), rows, dry_run)
        summary = dict(counts)
        prefix = "Dry run, nothing written" if dry_run else "Skills matrix imported"
        if counts["rejected"] and counts["rejected"] == len(rows):
            self.fail("%s: every row was rejected (%s).", prefix, summarize(summary))
        elif counts["rejected"]:
            self.logger.warning("%s with rejected rows: %s.", prefix, summarize(summary))
        else:
            self.logger.info("%s: %s.", prefix, summarize(summary))
        return summary

    def import_rows(self, importer, rows, dry_run):
        """Import every row, logging each rejection with its line; the counts of each outcome."""
        counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "rejected": 0})
        for row in rows:
            try:
                outcome, skill = importer.import_row(row)
            except CannotImport as reason:
                counts["rejected"] += 1
                self.logger.error("Line %d rejected: %s", row.line, reason, extra={"grouping": "rows"})
                continue
            counts[outcome] += 1
            if dry_run and outcome != "unchanged":
                self.logger.info("Line %d: would be %s: %s.", row.line, outcome, skill, extra={"grouping": "rows"})
            elif outcome != "unchanged":
                self.logger.info(
                    "Line %d: %s %s.", row.line, outcome, skill, extra={"grouping": "rows", "object": skill}
                )
        return counts


def read_text(skills_file, skills_csv):
    """The CSV text from the uploaded file or the pasted text (exactly one of them)."""
    if skills_file and skills_csv:
        raise CannotImport("give either a file or pasted text, not both.")
    if skills_file:
        try:
            return skills_file.read().decode("utf-8-sig")  # -sig: spreadsheets often start with a byte-order mark
        except UnicodeDecodeError as error:
            raise CannotImport("the file is not UTF-8 text.") from error
    if skills_csv:
        return skills_csv.lstrip("\ufeff")
    raise CannotImport("no file or text was given.")


def parse_matrix(text):
    """(columns, [Row]) of the CSV text; the header names the columns.

    Line numbers are those of the file (the header is line 1), so a user finds the row in an editor.
    Column names are matched case-insensitively; "Last assessed" is read as last_assessed.
    """
    reader = csv.reader(io.StringIO(text))
    columns, rows, previous_line = None, [], 0
    for cells in _read_csv(reader):
        line, previous_line = previous_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            columns = [cell.strip().lower().replace(" ", "_") for cell in cells]
            if missing := [column for column in REQUIRED_COLUMNS if column not in columns]:
                raise CannotImport(f"the header row lacks the column(s) {', '.join(missing)}.")
            if duplicated := sorted({column for column in columns if columns.count(column) > 1}):
                raise CannotImport(f"the header row repeats the column(s) {', '.join(duplicated)}.")
            continue
        problem = (
            f"the row has {len(cells)} cells, more than the header's columns." if len(cells) > len(columns) else ""
        )
        rows.append(Row(line, {column: cell.strip() for column, cell in zip(columns, cells, strict=False)}, problem))
    if columns is None:
        raise CannotImport("the file is empty; a header row is required.")
    if not rows:
        raise CannotImport("the file has a header row but no data rows.")
    return columns, rows


def _read_csv(reader):
    """The reader's rows; a malformed file (a NUL byte, an oversized field) as CannotImport with its line."""
    try:
        yield from reader
    except csv.Error as error:
        raise CannotImport(f"line {reader.line_num} is not valid CSV ({error}).") from error


class RowImporter:
    """Imports rows one at a time, with the experts, technologies and skills of the whole file loaded up front."""

    def __init__(self, user, rows, dry_run):
        """Load what the rows refer to, in a fixed number of queries.

        As in the REST API, a row can name only experts and technologies the user may view; the others are
        reported as unknown.
        """
        self.dry_run = dry_run
        emails = {row.cells.get("email", "").lower() for row in rows} - {""}
        names = {row.cells.get("technology", "").lower() for row in rows} - {""}
        self.experts_by_email = {}
        experts = Expert.objects.restrict(user, "view").annotate(email_lower=Lower("contact__email"))
        experts = experts.filter(email_lower__in=emails)
        for expert in experts.select_related("contact"):
            self.experts_by_email.setdefault(expert.email_lower, []).append(expert)
        self.technologies = {}
        technologies = Technology.objects.restrict(user, "view").annotate(name_lower=Lower("name"))
        for technology in technologies.filter(name_lower__in=names):
            self.technologies.setdefault(technology.name_lower, []).append(technology)
        self.skills = {
            (skill.expert_id, skill.technology_id): skill
            for skill in Skill.objects.filter(expert__in=[e for found in self.experts_by_email.values() for e in found])
        }
        self.seen = {}  # (expert id, technology id) -> line that named it first
        # outcome -> (action, whether the user holds the permission at all, the skills its constraints allow)
        self.permissions = {
            outcome: (action, user.has_perm(f"nautobot_techmgmt.{action}_skill"), Skill.objects.restrict(user, action))
            for outcome, action in (("created", "add"), ("updated", "change"))
        }

    def import_row(self, row):
        """Create, update or leave one skill; returns (outcome, skill) or raises CannotImport with the reason."""
        if row.problem:
            raise CannotImport(row.problem)
        cells = row.cells
        expert = self.expert(cells.get("email", ""))
        technology = self.technology(cells.get("technology", ""))
        key = (expert.pk, technology.pk)
        if key in self.seen:
            raise CannotImport(f"{expert} and {technology} already appear on line {self.seen[key]}.")
        self.seen[key] = row.line
        values = {"level": parse_level(cells.get("level", ""))}
        if cells.get("last_assessed"):
            values["last_assessed"] = parse_date(cells["last_assessed"])
        if cells.get("comments"):
            values["comments"] = cells["comments"]
        skill = self.skills.get(key)
        if skill is None:
            outcome, skill = "created", Skill(expert=expert, technology=technology, **values)
        elif all(getattr(skill, field) == value for field, value in values.items()):
            return "unchanged", skill
        else:
            outcome = "updated"
            for field, value in values.items():
                setattr(skill, field, value)
        self.write(skill, outcome)
        return outcome, skill

    def expert(self, email):
        """The expert whose core Contact has this e-mail, ignoring case."""
        if not email:
            raise CannotImport("the email cell is empty.")
        found = self.experts_by_email.get(email.lower(), [])
        if not found:
            raise CannotImport(f"no expert has the e-mail {email}.")
        if len(found) > 1:
            raise CannotImport(f"{len(found)} experts share the e-mail {email}; edit the skill in the UI instead.")
        return found[0]

    def technology(self, technology_name):
        """The technology of this name; a different case matches when it is unambiguous."""
        if not technology_name:
            raise CannotImport("the technology cell is empty.")
        found = self.technologies.get(technology_name.lower(), [])
        exact = [technology for technology in found if technology.name == technology_name]
        if exact or len(found) == 1:
            return (exact or found)[0]
        if not found:
            raise CannotImport(f"no technology is named {technology_name}.")
        raise CannotImport(f"several technologies match {technology_name} when case is ignored.")

    def write(self, skill, outcome):
        """Validate and (unless a dry run) save the skill on its own, within the user's permissions."""
        action, allowed, permitted = self.permissions[outcome]
        if not allowed or (outcome == "updated" and not permitted.filter(pk=skill.pk).exists()):
            raise CannotImport(f"you may not {action} this skill.")
        try:
            if self.dry_run:
                skill.full_clean()
                return
            with transaction.atomic():
                skill.validated_save()  # full_clean + save: the change log and custom validators see every row
                if not permitted.filter(pk=skill.pk).exists():
                    raise CannotImport("your permissions do not allow a skill with these values.")
        except ValidationError as error:
            raise CannotImport(_messages(error)) from error


def parse_level(text):
    """A skill level 1-5 from a cell."""
    if not text:
        raise CannotImport("the level cell is empty.")
    if not LEVEL.fullmatch(text):
        raise CannotImport(f"level {text!r} is not a whole number from 1 to 5.")
    return int(text)


def parse_date(text):
    """A date from a YYYY-MM-DD cell."""
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as error:
        raise CannotImport(f"last_assessed {text!r} is not a date in the form YYYY-MM-DD.") from error


def _messages(error):
    """A ValidationError as one sentence: 'last_assessed: The assessment date cannot be in the future.'."""
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
