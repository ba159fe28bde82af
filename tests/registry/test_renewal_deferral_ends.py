"""A renewal deferral (D04, R162 Art 75) holds up to its end date, that day included, and no
longer: from the next day the licence's letter N ("renewal deferred") no longer applies, the
status page calls the renewal overdue, and education's overdue-licence warning counts from the
deferral's end, all by the registry's one rule (`rules.renewal_deferral_in_force`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.factories import CitizenFactory, LicenceFactory
from vmo.core import clock
from vmo.education import services as education
from vmo.education.models import WarningHit
from vmo.registry import rules
from vmo.registry import selectors as registry
from vmo.registry.models import DriverLicence
from vmo.registry.services import licence_recompute_status
from vmo.status.selectors import status_for_person

EXPIRED = date(2024, 5, 31)
UNTIL = date(2026, 3, 2)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), clock.OFFICE_TZ) + timedelta(hours=10),
        tick=False,
    )


def test_the_rule_holds_to_the_end_date_inclusive_and_not_after():
    assert rules.renewal_deferral_in_force(flags="N", deferred_until=UNTIL, on=UNTIL)
    assert not rules.renewal_deferral_in_force(
        flags="N", deferred_until=UNTIL, on=UNTIL + timedelta(days=1)
    )
    # Recorded before the end date was kept: no date to end on.
    assert rules.renewal_deferral_in_force(flags="N", deferred_until=None, on=date(2040, 1, 1))
    assert not rules.renewal_deferral_in_force(flags="", deferred_until=UNTIL, on=UNTIL)
    base = {"flags": "N", "points": 0, "valid_to": EXPIRED, "verification_due": None}
    assert rules.licence_status(**base, renewal_deferred_until=UNTIL, today=UNTIL) == "N"
    after = rules.licence_status(
        **base, renewal_deferred_until=UNTIL, today=UNTIL + timedelta(days=1)
    )
    assert after == "M"  # N gone, so the expired licence is overdue again


@pytest.mark.django_db
def test_the_filter_is_the_same_rule():
    running = LicenceFactory(flags="N", valid_to=EXPIRED, renewal_deferred_until=UNTIL)
    undated = LicenceFactory(flags="N", valid_to=EXPIRED, renewal_deferred_until=None)
    LicenceFactory(flags="", valid_to=EXPIRED)
    for day, expected in ((UNTIL, {running.pk, undated.pk}), (UNTIL + timedelta(1), {undated.pk})):
        held = DriverLicence.objects.filter(registry.renewal_deferral_in_force_q(on=day))
        assert set(held.values_list("pk", flat=True)) == expected, day
        for licence in DriverLicence.objects.all():
            in_force = rules.renewal_deferral_in_force(
                flags=licence.flags, deferred_until=licence.renewal_deferred_until, on=day
            )
            assert in_force == (licence.pk in expected)


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_the_status_page_and_the_stored_status_drop_n_after_the_end_date():
    holder = CitizenFactory().person
    licence = LicenceFactory(
        holder=holder, flags="N", valid_to=EXPIRED, renewal_deferred_until=UNTIL, status="N"
    )
    with at(UNTIL), translation.override("en"):
        status = status_for_person(holder)
        assert [w.code for w in status.licence.statuses] == ["N"]
        assert "renewal_overdue" not in {step.kind for step in status.next_steps}
    with at(UNTIL + timedelta(days=1)), translation.override("en"):
        status = status_for_person(holder)
        assert [w.code for w in status.licence.statuses] == ["M"]
        step = {step.kind: step for step in status.next_steps}["renewal_overdue"]
        assert (step.severity, step.business_code) == ("bad", "D02")
        assert licence_recompute_status(licence=licence, reason="test").status == "M"


@pytest.mark.django_db
def test_the_overdue_licence_warning_counts_from_the_deferrals_end():
    """The warning comes 90 days past the day the renewal was due: the expiry, or the end of
    a deferral that put it off; never while a deferral holds."""
    ended_long_ago, ended_lately, undated = (CitizenFactory() for _ in range(3))
    LicenceFactory(
        holder=ended_long_ago.person,
        flags="N",
        valid_to=EXPIRED,
        renewal_deferred_until=UNTIL - timedelta(days=91),
    )
    LicenceFactory(
        holder=ended_lately.person,
        flags="N",
        valid_to=EXPIRED,
        renewal_deferred_until=UNTIL - timedelta(days=10),
    )
    LicenceFactory(holder=undated.person, flags="N", valid_to=EXPIRED)
    with at(UNTIL):
        assert education.warnings_scan(today=UNTIL) == {"licence_overdue": 1}
    hit = WarningHit.objects.get(rule="licence_overdue")
    assert hit.person == ended_long_ago.person and hit.context == {"until": EXPIRED.isoformat()}
