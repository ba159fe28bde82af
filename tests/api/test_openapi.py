import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("/api/v1/me/status", "get"),
    ("/api/v1/me/data-access", "get"),
    ("/api/v1/auth/token", "post"),
    ("/api/v1/auth/signup", "post"),
    ("/api/v1/auth/signup/verify", "post"),
    ("/api/v1/intake/violations", "post"),
    ("/api/v1/violations", "get"),
    ("/api/v1/violations/{violation_id}", "get"),
    ("/api/v1/violations/{violation_id}/handle", "post"),
    ("/api/v1/violations/{violation_id}/pay", "post"),
    ("/api/v1/violations/{violation_id}/decision.pdf", "get"),
    ("/api/v1/nominations", "get"),
    ("/api/v1/nominations/{nomination_id}/confirm", "post"),
    ("/api/v1/nominations/{nomination_id}/decline", "post"),
    ("/api/v1/bindings", "get"),
    ("/api/v1/bindings", "post"),
    ("/api/v1/bindings/code", "post"),
    ("/api/v1/bindings/{binding_id}", "delete"),
}


def test_openapi_json_is_valid_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and "errors" in spec["info"]["description"]
    listed = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert listed == ENDPOINTS  # the 404 fallback stays out of the schema
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    status_op = spec["paths"]["/api/v1/me/status"]["get"]
    assert {"200", "401", "403"} <= set(status_op["responses"])
    token_op = spec["paths"]["/api/v1/auth/token"]["post"]
    assert "security" not in token_op or token_op["security"] in ([], [{}])


def test_docs_page_uses_local_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui-init.js" in html
    )
    assert "cdn" not in html.lower() and "https://" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    for path in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(path), path
