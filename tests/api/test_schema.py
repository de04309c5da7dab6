"""The OpenAPI description: fetched from the API itself, valid, and every list endpoint's
response (and each report's) validates against it."""

import pytest
from django.core.management import call_command
from django.test import Client
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.django_db

LISTS = [
    "outcomes", "population-indicators", "services", "committees", "measures", "periods", "targets",
    "values", "comparators", "risks", "snapshots",
]


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def response_schema(schema, path):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    return content["application/json"]["schema"]


def validate(schema, path, body):
    # The response schema's $refs point into the document's components.
    Draft202012Validator({**response_schema(schema, path), "components": schema["components"]}).validate(body)


def test_the_schema_is_openapi_3_and_lists_every_resource(schema):
    assert schema["openapi"].startswith("3.")
    for resource in LISTS:
        assert f"/api/v1/{resource}/" in schema["paths"]
    assert {"status", "returned_comment"} <= set(schema["components"]["schemas"]["Value"]["properties"])
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http", "scheme": "bearer", "description": "A token from your API tokens page.",
    }


@pytest.mark.parametrize("resource", LISTS)
def test_every_list_response_validates_against_the_schema(framework, bi_api, member_api, schema, resource):
    for api in (bi_api, member_api):
        body = api.get(f"/api/v1/{resource}/").json()
        assert body["results"]
        validate(schema, f"/api/v1/{resource}/", body)


def test_the_schema_would_catch_a_wrong_type(framework, member_api, schema):
    body = member_api.get("/api/v1/values/").json()
    body["results"][0]["value"] = "80.5"
    with pytest.raises(Exception, match="is not of type"):
        validate(schema, "/api/v1/values/", body)


def test_the_reports_validate_against_the_schema(framework, member_api, schema):
    report = member_api.get("/api/v1/reports/exception/?committee=people-and-health&as_at=2020-10").json()
    validate(schema, "/api/v1/reports/exception/", report)
    outcome = member_api.get("/api/v1/reports/outcomes/independent/?as_at=2020-10").json()
    validate(schema, "/api/v1/reports/outcomes/{slug}/", outcome)


def test_the_docs_page_loads_swagger_ui_from_our_static_files_with_no_inline_script(db):
    response = Client().get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "http" not in page.split("<body>")[1].replace("http-equiv", "")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_schema_generates_with_no_warning_and_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "openapi: 3.1.0" in (tmp_path / "schema.yaml").read_text()
