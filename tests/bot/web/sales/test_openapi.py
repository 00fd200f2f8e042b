"""The OpenAPI description matches the app's routes and what the API really answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest
from sanic import Sanic

from bot.web.sales.openapi import openapi_document
from tests.bot.web.sales.conftest import SEEDED_WINDOW, SeededLead

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def app_operations(app: Sanic) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every route of the app; ``<name:type>`` becomes ``{name}``.

    The HEAD of a GET route is left out: the document says once that every GET has one.
    """
    operations = {
        (method.lower(), "/" + re.sub(r"<(\w+):\w+>", r"{\1}", route.path))
        for route in app.router.routes
        for method in route.methods
    }
    return {
        (method, path)
        for method, path in operations
        if method != "head" or ("get", path) not in operations
    }


def document_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolve(document: dict[str, Any], reference: str) -> Any:
    assert reference.startswith("#/")
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part]
    return node


def as_json_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a null type."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        converted["type"] = [node["type"], "null"]
    if "$ref" in converted:
        converted["$ref"] = converted["$ref"].replace("#/components/schemas/", "#/definitions/")
    return converted


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def validator(document: dict[str, Any], name: str) -> jsonschema.Draft7Validator:
    schemas = as_json_schema(document["components"]["schemas"])
    return jsonschema.Draft7Validator({"$ref": f"#/definitions/{name}", "definitions": schemas})


def test_the_document_describes_exactly_the_apps_api_routes(
    app: Sanic, document: dict[str, Any]
) -> None:
    in_app = {(method, path) for method, path in app_operations(app) if path.startswith("/api/")}

    in_document = {(m, p) for m, p in document_operations(document) if p.startswith("/api/")}
    assert in_document == in_app
    assert document_operations(document) <= app_operations(app)


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for reference in references(document):
        assert resolve(document, reference) is not None, reference


def test_every_path_parameter_is_declared(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for operation in item.values():
            declared = {
                resolve(document, parameter["$ref"])["name"]
                if "$ref" in parameter
                else parameter["name"]
                for parameter in operation.get("parameters", [])
            }
            assert set(re.findall(r"{(\w+)}", path)) <= declared, path


def test_every_operation_wants_the_bearer_token(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert document["security"] == [{"bearerAuth": []}]
    for path, item in document["paths"].items():
        for operation in item.values():
            assert "security" not in operation, path
            assert "401" in operation["responses"], path


def test_the_schemas_are_valid_json_schema(document: dict[str, Any]) -> None:
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft7Validator.check_schema(as_json_schema(schema))


def test_the_served_document_is_the_one_in_the_code(
    client: httpx.Client, document: dict[str, Any]
) -> None:
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json() == document
    assert response.json()["openapi"].startswith("3.0")


def test_the_lead_list_matches_its_schema(client: httpx.Client, document: dict[str, Any]) -> None:
    page = client.get("/api/leads", params=SEEDED_WINDOW).json()

    validator(document, "LeadList").validate(page)
    lead_schema = document["components"]["schemas"]["Lead"]
    for lead in page["leads"]:
        assert set(lead) == set(lead_schema["properties"])


def test_a_lead_matches_the_detail_schema(
    client: httpx.Client, document: dict[str, Any], seeded: dict[str, SeededLead]
) -> None:
    lead = client.get(f"/api/leads/{seeded['ada'].lead.id}").json()

    validator(document, "LeadDetail").validate(lead)
    listed = set(document["components"]["schemas"]["Lead"]["properties"])
    assert set(lead) == listed | {"transcript", "deliveries"}
    delivery_schema = document["components"]["schemas"]["Delivery"]
    for delivery in lead["deliveries"]:
        assert set(delivery) == set(delivery_schema["properties"])


def test_errors_match_the_error_schema(client: httpx.Client, document: dict[str, Any]) -> None:
    for response in (client.get("/api/leads?limit=0"), client.get("/api/leads/999999")):
        validator(document, "Error").validate(response.json())
