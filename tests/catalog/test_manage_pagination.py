"""The officers' regulation list pages within its state tab: the page links keep the tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.catalog.test_regulations import text
from tests.factories import OfficerFactory
from vmo.catalog import services
from vmo.catalog.office_views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_page_links_stay_in_the_state_tab(editor_client):
    author = OfficerFactory(role="editor")
    for _ in range(PAGE_SIZE + 1):
        services.regulation_create(actor=author, text=text())
    client = editor_client()
    url = reverse("catalog_office:manage")
    first = client.get(url + "?state=draft", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="?state=draft&amp;page=2" rel="next"' in first
    assert "Page 1 of 2" in first
    second = client.get(url + "?state=draft&page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="?state=draft&amp;page=1" rel="prev"' in second
