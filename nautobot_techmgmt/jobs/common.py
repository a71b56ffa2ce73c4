"""What the app's Jobs share: their grouping, a date variable and small output helpers."""

import csv
import io
from datetime import date

from django import forms
from nautobot.apps.forms import DatePicker
from nautobot.apps.jobs import ScriptVariable

GROUPING = "Technical Management"


class DateVar(ScriptVariable):
    """A calendar date, picked in the Job form (YYYY-MM-DD)."""

    form_field = forms.DateField

    def __init__(self, *args, **kwargs):
        """A date field with Nautobot's date picker."""
        kwargs.setdefault("widget", DatePicker())
        super().__init__(*args, **kwargs)


def as_date(value, default=None):
    """The date a DateVar arrived as: a date from the form, an ISO string from the queue or a schedule, or blank."""
    if not value:
        return default or date.today()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def csv_text(header, rows):
    """CSV text (header first) of rows given as sequences of cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def summarize(counts):
    """'created: 2, updated: 1' from a dict of counts; any other value as text."""
    if isinstance(counts, dict):
        return ", ".join(f"{key}: {value}" for key, value in counts.items()) or "nothing"
    return str(counts)
