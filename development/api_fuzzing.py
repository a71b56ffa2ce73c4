"""What fuzzing the app's REST API checks, shared by the test suite and `./run schemathesis` (its hooks module).

No answer may be a server error, and every answer must match its documented body schema, content type and headers.
"""

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

# Paths in Nautobot's schema are relative to its server URL, /api.
APP_PATHS = r"^/plugins/techmgmt/"


@schemathesis.check
def documented_response(ctx, response, case):
    """The answer matches its documented schema.

    Not checked when a POST created a list: Nautobot's model viewsets create objects in bulk from a list (JSON or
    CSV) and answer with a list, for core and app models alike, but Nautobot's schema documents one object only.
    Nor for the notes of an object: core's Note schema gives `assigned_object` as a oneOf over the nested schemas of
    every model with notes, all of the same shape, so no object can match exactly one of them.
    """
    if case.method.upper() == "POST" and response.status_code == 201 and response.content.lstrip().startswith(b"["):
        return None
    if case.operation.path.endswith("/notes/"):
        return None
    return response_schema_conformance(ctx, response, case)


CHECKS = [not_a_server_error, documented_response, content_type_conformance, response_headers_conformance]
CHECK_NAMES = ",".join(check.__name__ for check in CHECKS)
