"""Architecture rules (after GOV.UK Notify): every page needs authentication unless it is on
the public allow-list, and every scheduled task names a task that exists."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "portal:home",
    "catalog:index",
    "catalog:detail",
    "catalog:regulations",
    "catalog:downloads",
    "catalog:form_pdf",
    "accounts:signup",
    "accounts:signup_verify",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_verify",
    "accounts:officer_login",
    "healthz",
    "readyz",
    "set_language",
    "payments:callback",  # the gateway calls it; the signature is its authentication
    "payments:sandbox_pay",  # stands for the gateway's own hosted page
    "bulletins:announcement_list",
    "bulletins:announcement_archive",
    "bulletins:announcement_feed",
    "bulletins:publication_list",
    "bulletins:publication_archive",
    "bulletins:publication_feed",
    "appointments:exam_results",
    "plates:verify",
    "plates:results",
}
PUBLIC_PREFIXES = (
    "django-admin/",
    "api/v1/",
    "static/",
)  # admin: own login; API: tested in tests/api
NEEDS_SIGN_IN = {302, 401, 403, 404, 405}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else "",
                prefix + str(pattern.pattern),
            )


def _concrete(route: str) -> str:
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:str|slug):\w+>", "x", route)
    route = re.sub(r"<\w+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


ROUTES = sorted({(name, route) for name, route in _walk(get_resolver().url_patterns)})


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[r or n for n, r in ROUTES])
def test_every_page_needs_sign_in_unless_public(client, name, route):
    if name in PUBLIC or route.startswith(PUBLIC_PREFIXES) or "(?P" in route:
        return
    response = client.get(_concrete(route))
    assert response.status_code in NEEDS_SIGN_IN, (
        f"{name or route} answered {response.status_code} to an anonymous visitor"
    )
    if response.status_code == 302:
        assert "/accounts/" in response["Location"], response["Location"]


def test_every_scheduled_task_exists():
    from vmo.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, (
            f"beat schedules {entry['task']}, which no module defines"
        )
