"""Counter handling in the workbench: the form on a record's file for roles with
violations.counter only; the decision made, in the history; a bad ID number is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.violations.online_factories import camera_violation, owner_with_vehicle
from vmo.core.models import Event
from vmo.violations.models import PenaltyDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    owner = owner_with_vehicle()
    return owner, camera_violation(owner.vehicle, code="1712")


def test_a_clerk_sees_no_form_and_may_not_decide(officer_client, record):
    owner, violation = record
    client = officer_client("clerk")
    page = client.get(reverse("violations_office:violation_detail", kwargs={"pk": violation.pk}))
    assert "Decide at the counter" not in page.content.decode()
    response = client.post(
        reverse("violations_office:violation_decide", kwargs={"pk": violation.pk}),
        {"driver_id_number": owner.person.id_number},
    )
    assert response.status_code == 403 and not PenaltyDecision.objects.exists()


def test_a_supervisor_decides_and_the_file_shows_the_decision(officer_client, record):
    owner, violation = record
    client = officer_client("supervisor")
    detail = reverse("violations_office:violation_detail", kwargs={"pk": violation.pk})
    page = client.get(detail).content.decode()
    assert "Decide at the counter" in page and "must be handled in person" in page
    url = reverse("violations_office:violation_decide", kwargs={"pk": violation.pk})
    bad = client.post(url, {"driver_id_number": "123"})
    assert bad.status_code == 422 and "error-summary" in bad.content.decode()
    response = client.post(url, {"driver_id_number": owner.person.id_number, "note": "present"})
    assert response.status_code == 302
    decision = PenaltyDecision.objects.get()
    assert decision.channel == "counter" and decision.decided_by == client.officer
    assert Event.objects.get(action="decision.counter").actor_id == client.officer.pk
    page = client.get(detail).content.decode()
    assert decision.number in page and "at a counter" in page
    assert "Decide at the counter" not in page
