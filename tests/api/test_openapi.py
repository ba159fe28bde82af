import json

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("/api/v1/announcements", "get"),
    ("/api/v1/announcements/{announcement_id}", "get"),
    ("/api/v1/checks", "post"),
    ("/api/v1/applications/", "get"),
    ("/api/v1/applications/", "post"),
    ("/api/v1/applications/{reference}", "get"),
    ("/api/v1/applications/{reference}", "put"),
    ("/api/v1/applications/{reference}/documents/{document_id}", "get"),
    ("/api/v1/applications/{reference}/fee", "post"),
    ("/api/v1/applications/{reference}/files/{file_id}", "get"),
    ("/api/v1/applications/{reference}/materials/{material}", "post"),
    ("/api/v1/applications/{reference}/submit", "post"),
    ("/api/v1/applications/{reference}/withdraw", "post"),
    ("/api/v1/appointments/bookings", "get"),
    ("/api/v1/appointments/bookings", "post"),
    ("/api/v1/appointments/bookings/{booking_id}/cancel", "post"),
    ("/api/v1/appointments/bookings/{booking_id}/reschedule", "post"),
    ("/api/v1/appointments/sessions", "get"),
    ("/api/v1/auth/signup", "post"),
    ("/api/v1/auth/signup/verify", "post"),
    ("/api/v1/auth/token", "post"),
    ("/api/v1/bindings", "get"),
    ("/api/v1/bindings", "post"),
    ("/api/v1/bindings/code", "post"),
    ("/api/v1/bindings/{binding_id}", "delete"),
    ("/api/v1/intake/violations", "post"),
    ("/api/v1/learn/courses", "get"),
    ("/api/v1/learn/courses/{code}/start", "post"),
    ("/api/v1/learn/enrolments/{pk}/lessons/{code}/done", "post"),
    ("/api/v1/learn/enrolments/{pk}/lessons/{code}/open", "post"),
    ("/api/v1/learn/enrolments/{pk}/quiz", "post"),
    ("/api/v1/learn/enrolments/{pk}/reduction", "post"),
    ("/api/v1/learn/overview", "get"),
    ("/api/v1/learn/quiz/{nonce}/answers", "post"),
    ("/api/v1/learn/warnings", "get"),
    ("/api/v1/credentials/verify", "post"),
    ("/api/v1/me/credentials/licence", "get"),
    ("/api/v1/me/credentials/vehicles/{pk}", "get"),
    ("/api/v1/me/data-access", "get"),
    ("/api/v1/me/messages/", "get"),
    ("/api/v1/me/messages/preferences", "get"),
    ("/api/v1/me/messages/preferences", "put"),
    ("/api/v1/me/messages/read", "post"),
    ("/api/v1/me/messages/unread-count", "get"),
    ("/api/v1/me/messages/{message_id}", "get"),
    ("/api/v1/me/status", "get"),
    ("/api/v1/nominations", "get"),
    ("/api/v1/nominations/{nomination_id}/confirm", "post"),
    ("/api/v1/nominations/{nomination_id}/decline", "post"),
    ("/api/v1/plates/check", "post"),
    ("/api/v1/plates/draws", "post"),
    ("/api/v1/plates/draws/{draw_id}", "get"),
    ("/api/v1/plates/reservations", "get"),
    ("/api/v1/plates/reservations", "post"),
    ("/api/v1/plates/reservations/{reservation_id}/release", "post"),
    ("/api/v1/plates/verify/{draw_id}", "get"),
    ("/api/v1/publications", "get"),
    ("/api/v1/publications/{publication_id}", "get"),
    ("/api/v1/violations", "get"),
    ("/api/v1/violations/{violation_id}", "get"),
    ("/api/v1/violations/{violation_id}/decision.pdf", "get"),
    ("/api/v1/violations/{violation_id}/handle", "post"),
    ("/api/v1/violations/{violation_id}/pay", "post"),
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
