"""Client mistakes that Nautobot's REST machinery answers with a server error, answered here as client errors."""

from nautobot.core.settings_funcs import is_truthy
from rest_framework.exceptions import ValidationError


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


class UsableQueryParametersMixin:
    """For REST views: query parameters that could only end in a server error are a 400, before any work is done."""

    def initial(self, request, *args, **kwargs):
        """Check the query parameters, then go on as usual.

        First, because Nautobot's permission check already builds the serializer, which reads `exclude_m2m`; the
        check looks at the query string only and tells nothing about the data.
        """
        refuse_unusable_query_parameters(request.query_params)
        super().initial(request, *args, **kwargs)
