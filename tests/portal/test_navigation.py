"""Finding 10 of issue 15: the navigation reaches every service a citizen has."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

CITIZEN_SERVICES = [
    "portal:my_status",
    "applications:index",
    "violations:list",
    "plates:index",
    "appointments:mine",
    "education:index",
    "portal_inbox:list",
    "portal:data_access",
]


def test_every_citizen_service_is_in_the_main_navigation(client):
    client.force_login(CitizenFactory())
    html = client.get(reverse("portal:home")).content.decode()
    navs = re.findall(r'<nav class="site-nav[^"]*" aria-label="[^"]*">(.*?)</nav>', html, re.S)
    assert navs, "no main navigation"
    for nav in navs:
        for name in CITIZEN_SERVICES:
            assert f'href="{reverse(name)}"' in nav, name
