"""Client mistakes that Nautobot's REST machinery answers with a server error, answered here as client errors."""

from django.db import DataError, OperationalError
from nautobot.core.settings_funcs import is_truthy
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer

# MySQL/MariaDB error codes for a regular expression the server cannot compile (PostgreSQL raises a DataError).
MYSQL_REGEXP_ERRORS = frozenset({1139, *range(3685, 3700)})


def refuse_unusable_query_parameters(query_params):
    """Raise a 400 for query parameters that would fail as a 500 further on.

    A NUL character: PostgreSQL cannot compare text with one. An `exclude_m2m` that is not a boolean: Nautobot's
    serializers raise on it.
    """
    if any("\x00" in name or "\x00" in value for name, values in query_params.lists() for value in values):
        raise ValidationError("Query parameters cannot contain NUL (0x00) characters.")
    for value in query_params.getlist("exclude_m2m"):
        try:
            is_truthy(value)
        except ValueError as error:
            raise ValidationError({"exclude_m2m": [f"{value!r} is not a boolean (true or false)."]}) from error


def refused_by_the_database(error):
    """Whether a database error is about a value in the request: a malformed regular expression, a date out of range."""
    if isinstance(error, DataError):
        return True
    return isinstance(error, OperationalError) and bool(error.args) and error.args[0] in MYSQL_REGEXP_ERRORS


class ClientMistakesMixin:
    """For REST views: answer with a 4xx the client mistakes that Nautobot's REST machinery answers with a 500."""

    def initial(self, request, *args, **kwargs):
        """Check the query parameters, go on as usual, then refuse CSV where Nautobot cannot render it.

        The query parameters first: Nautobot's permission check already builds the serializer, which reads
        `exclude_m2m`; the check looks at the query string only and tells nothing about the data.
        """
        refuse_unusable_query_parameters(request.query_params)
        super().initial(request, *args, **kwargs)
        csv = getattr(request.accepted_renderer, "format", None) == "csv"
        if csv and (request.method not in SAFE_METHODS or getattr(self, "action", None) == "notes"):
            # CSV is an export of lists; the refusal itself is answered in JSON.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
            raise NotAcceptable("CSV is available for reading lists only.")

    def handle_exception(self, exc):
        """A value the database refuses to work with is the client's mistake: a 400 that says which."""
        if refused_by_the_database(exc):
            exc = ValidationError(f"The database cannot use a value of this request: {str(exc).splitlines()[0]}")
        return super().handle_exception(exc)
