"""The computed endpoints appear in the OpenAPI schema with their real response shapes."""

from django.urls import reverse
from nautobot.apps.testing import APITestCase

PREFIX = "/plugins/techmgmt/"


class OpenAPISchemaTest(APITestCase):
    @classmethod
    def setUpTestData(cls):
        cls.schema = None

    def get_schema(self):
        response = self.client.get(reverse("schema_json"), **self.header)
        self.assertHttpStatus(response, 200)
        return response.json()

    def response_schema(self, schema, path, method="get"):
        content = schema["paths"][PREFIX + path][method]["responses"]["200"]["content"]["application/json"]
        ref = content["schema"].get("$ref") or content["schema"]["items"]["$ref"]
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    @staticmethod
    def component(schema, reference):
        """The component a {"$ref": ...} points at."""
        return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]

    def test_computed_endpoints_document_their_fields(self):
        schema = self.get_schema()
        coverage = self.response_schema(schema, "coverage/technologies/")
        self.assertEqual(
            set(coverage["properties"]),
            {
                "technology",
                "in_use",
                "bus_factor",
                "required_experts",
                "qualified_experts",
                "custodian_team",
                "gaps",
                "risk",
            },
        )
        gaps = self.response_schema(schema, "gaps/")
        self.assertEqual(
            set(gaps["properties"]), {"kind", "severity", "technology", "affected_objects", "detail", "risk"}
        )
        what_if = self.response_schema(schema, "what-if/", "post")
        self.assertEqual(
            set(what_if["properties"]),
            {"removed_experts", "new_gaps", "resolved_gaps", "bus_factor_changes", "cover_options"},
        )
        cover = self.component(schema, what_if["properties"]["cover_options"]["items"])
        self.assertEqual(
            set(cover["properties"]),
            {
                "technology",
                "qualified_level",
                "one_level_short",
                "training_plans",
                "responsibilities",
                "contracts",
                "hidden_experts",
                "candidates",
            },
        )
        responsibility = self.component(schema, cover["properties"]["responsibilities"]["items"])
        self.assertEqual(
            set(responsibility["properties"]),
            {"id", "display", "url", "edit_url", "expert", "role", "tier", "target_type", "target"},
        )
        contract = self.component(schema, cover["properties"]["contracts"]["items"])
        self.assertEqual(
            set(contract["properties"]),
            {"id", "reference", "supplier", "support_level", "start_date", "end_date", "in_force", "url"},
        )
        plan = self.component(schema, cover["properties"]["training_plans"]["items"])
        self.assertEqual(
            set(plan["properties"]), {"id", "display", "url", "expert", "target_level", "due_date", "status"}
        )
        truck = self.response_schema(schema, "truck-factor/")
        self.assertEqual(set(truck["properties"]), {"truck_factor", "experts", "threshold"})
        obj = self.response_schema(schema, "coverage/objects/{model}/{id}/")
        self.assertEqual(set(obj["properties"]), {"object", "technologies", "escalation_paths"})
        path = self.component(schema, obj["properties"]["escalation_paths"]["items"])
        self.assertEqual(set(path["properties"]), {"technology", "steps", "assessors", "gaps"})
        step = self.component(schema, path["properties"]["steps"]["items"])
        self.assertEqual(
            set(step["properties"]),
            {"position", "role", "tier", "kind", "assignee", "phone", "email", "qualified", "source"},
        )
        for method in ("get", "post"):
            assessors = self.response_schema(schema, "assessors/", method)
            self.assertEqual(set(assessors["properties"]), {"objects", "technologies"}, method)
        per_technology = self.component(schema, assessors["properties"]["technologies"]["items"])
        self.assertEqual(set(per_technology["properties"]), {"technology", "objects", "without_assessor", "assessors"})
        params = {p["name"] for p in schema["paths"][PREFIX + "gaps/"]["get"]["parameters"]}
        self.assertTrue({"kind", "severity", "technology", "team"} <= params)
