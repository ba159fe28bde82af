"""History lines credit the right people, in the reader's language (issue 15, finding 8): no
account usernames, the acceptance by the engine rather than the applicant."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import OfficerFactory
from vmo.applications import selectors, services, workbench
from vmo.core.models import Event

from .conftest import verified
from .workbench_helpers import submitted_renewal

pytestmark = pytest.mark.django_db


def _lines(application) -> list[str]:
    return [f"{row.what} · {row.who}" for row in workbench.history(application)]


def test_acceptance_is_the_systems_and_officers_are_named_with_their_role_in_the_readers_language():
    clerk = verified(OfficerFactory(role="clerk", username="c2", first_name="李娜"))
    application = submitted_renewal()
    accept = Event.objects.get(subject_id=str(application.pk), action="application.accept")
    assert accept.actor_id is None
    services.application_claim(actor=clerk, application=application)

    with translation.override("en"):
        english = _lines(application)
    assert "accepted; time limit set · the system" in english
    # The name marked Chinese on an English page; the role in the reader's words.
    assert 'claimed by an officer · <span lang="zh-Hans">李娜</span> (clerk)' in english
    assert "submitted · the applicant" in english
    assert not any("c2" in line or "受理员" in line for line in english)

    with translation.override("zh-hans"):
        chinese = _lines(application)
    assert any(line.endswith('<span lang="zh-Hans">李娜</span>（受理员）') for line in chinese), (
        chinese
    )
    assert not any("(clerk)" in line or "c2" in line for line in chinese)

    with translation.override("en"):
        timeline = {row.what: row.who for row in selectors.timeline(application)}
    assert timeline["Accepted; the time limit runs"] == "The system"
    assert timeline["Submitted"] == "You"
