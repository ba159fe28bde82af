"""Renewal deferral (D04, R162 Art 75): the end date is a fact of the licence record, shown
where the licence is shown, and a renewal ends the deferral."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from vmo.core.selectors import events_for

from .helpers import run
from .test_licence_businesses import licence

pytestmark = pytest.mark.django_db

UNTIL = date(2028, 6, 30)


def test_the_deferral_end_date_is_stored_on_the_licence_art_75(citizen, clerk, reviewer):
    """R162 Art 75: the deferral runs until a date; the record holds it with the N letter, and
    the history says what it was before."""
    lic = licence(citizen)
    assert lic.renewal_deferred_until is None
    app = run(
        citizen,
        "D04",
        clerk,
        reviewer,
        data={"deferral_reason": "abroad", "defer_until": UNTIL.isoformat()},
    )
    assert app.status == "completed"
    lic.refresh_from_db()
    assert lic.renewal_deferred_until == UNTIL and "N" in lic.status
    dates = events_for(lic).get(action="licence.dates")
    assert dates.before == {"renewal_deferred_until": "None"}
    assert dates.after == {"renewal_deferred_until": UNTIL.isoformat()}


def test_a_refused_deferral_stores_no_date_art_75(citizen, clerk, reviewer):
    """More than 3 years (R162 Art 75): refused, nothing on the record."""
    lic = licence(citizen)
    run(
        citizen,
        "D04",
        clerk,
        reviewer,
        data={"deferral_reason": "abroad", "defer_until": "2029-12-25"},
    )
    lic.refresh_from_db()
    assert lic.renewal_deferred_until is None


def test_the_status_page_shows_the_deferral_end(client, citizen, clerk, reviewer):
    licence(citizen)
    run(
        citizen,
        "D04",
        clerk,
        reviewer,
        data={"deferral_reason": "abroad", "defer_until": UNTIL.isoformat()},
    )
    client.force_login(citizen)
    page = client.get(reverse("portal:my_status"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Renewal deferred until" in page
    assert "2028" in page


def test_a_renewal_ends_the_deferral_art_75(citizen, clerk, reviewer):
    """Renewing after the reason ends clears the letter and the end date."""
    lic = licence(citizen, valid_to=date(2026, 12, 24))
    run(
        citizen,
        "D04",
        clerk,
        reviewer,
        data={"deferral_reason": "abroad", "defer_until": UNTIL.isoformat()},
    )
    run(citizen, "D02", clerk, reviewer)
    lic.refresh_from_db()
    assert lic.renewal_deferred_until is None and "N" not in lic.status
