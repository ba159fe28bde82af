"""Temporary plates for a vehicle without plates, at every edge (R164 Arts 46-47).

The clock is frozen on 2026-11-24. Validity counts both the first and the last day (natural
days, R164 Appendix), so 30 days from 24 November end on 23 December.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import PersonFactory, VehicleFactory, make_vin
from vmo.core.models import Event
from vmo.registry import temporary_plate_rules as rules
from vmo.registry.models import TemporaryPlate
from vmo.registry.services import temporary_plate_issue

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
INSURED = date(2027, 11, 23)


@pytest.fixture(autouse=True)
def _frozen():
    # The refusals are read in English here (Chinese is the default language).
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False), translation.override("en"):
        yield


def issue(vin, case="unsold", start=TODAY, end=None, insured=INSURED, person=None):
    return temporary_plate_issue(
        actor=None,
        vin=vin,
        case=case,
        valid_from=start,
        valid_to=end or start + timedelta(days=9),
        insurance_valid_until=insured,
        holder_person=person or PersonFactory(),
        reason="test",
    )


@pytest.mark.parametrize(
    ("case", "last_day"),
    [
        ("unsold", date(2026, 12, 23)),  # 30 days
        ("acquired", date(2026, 12, 23)),  # 30 days
        ("export", date(2026, 12, 23)),  # 30 days
        ("testing", date(2027, 5, 23)),  # 6 months
        ("oversize", date(2027, 2, 21)),  # 90 days
    ],
)
def test_longest_validity_of_each_case_r164_art_47(case, last_day):
    assert rules.latest_end(case, TODAY) == last_day
    assert rules.period_within_longest(case, TODAY, last_day - timedelta(days=1))
    assert rules.period_within_longest(case, TODAY, last_day)
    assert not rules.period_within_longest(case, TODAY, last_day + timedelta(days=1))


@pytest.mark.parametrize(
    ("case", "last_day"),
    [
        ("unsold", date(2026, 12, 23)),
        ("testing", date(2027, 5, 23)),
        ("oversize", date(2027, 2, 21)),
    ],
)
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_issue_up_to_the_last_day_allowed_not_one_after_r164_art_47(case, last_day, offset):
    vin = make_vin(7000 + offset + 10 * len(case))
    end = last_day + timedelta(days=offset)
    if offset <= 0:
        plate = issue(vin, case, end=end)
        assert (plate.valid_from, plate.valid_to) == (TODAY, end)
    else:
        with pytest.raises(ValidationError, match="longer than the case allows"):
            issue(vin, case, end=end)
        assert not TemporaryPlate.objects.filter(vin=vin).exists()


@pytest.mark.parametrize(("end_offset", "ok"), [(-1, True), (0, True), (1, False)])
def test_never_beyond_the_compulsory_insurance_r164_art_47(end_offset, ok):
    """The insurance ends on 4 December, before the 30 days (23 December) would."""
    insured = date(2026, 12, 4)
    assert rules.allowed_end("unsold", TODAY, insured) == insured
    vin = make_vin(7100 + end_offset)
    end = insured + timedelta(days=end_offset)
    if ok:
        assert issue(vin, end=end, insured=insured).valid_to == end
    else:
        with pytest.raises(ValidationError, match="after the compulsory insurance"):
            issue(vin, end=end, insured=insured)


def test_insurance_that_ended_yesterday_allows_nothing_r164_art_47():
    assert not rules.period_within_insurance(TODAY, TODAY - timedelta(days=1), TODAY)
    assert rules.period_within_insurance(TODAY, TODAY, TODAY)


@pytest.mark.parametrize(("start", "ok"), [(TODAY - timedelta(days=1), False), (TODAY, True)])
def test_validity_starts_today_or_later_r164_art_47(start, ok):
    assert rules.start_allowed(start, TODAY) is ok
    assert rules.start_allowed(TODAY + timedelta(days=1), TODAY)


@pytest.mark.parametrize("case", ["unsold", "acquired"])
def test_third_issue_allowed_fourth_refused_r164_art_47(case):
    vin = make_vin(7200 + len(case))
    person = PersonFactory()
    for n in range(3):
        assert rules.issues_left(vin, case) == 3 - n
        start = TODAY + timedelta(days=10 * n)
        issue(vin, case, start=start, end=start + timedelta(days=9), person=person)
    assert rules.issues_left(vin, case) == 0
    fourth = TODAY + timedelta(days=30)
    with pytest.raises(ValidationError, match="as many temporary plates"):
        issue(vin, case, start=fourth, end=fourth + timedelta(days=5), person=person)
    assert TemporaryPlate.objects.filter(vin=vin).count() == 3


def test_export_first_issue_allowed_second_refused_r164_art_47():
    vin = make_vin(7300)
    assert rules.issues_left(vin, "export") == 1
    issue(vin, "export", end=TODAY + timedelta(days=4))
    assert rules.issues_left(vin, "export") == 0
    later = TODAY + timedelta(days=5)
    with pytest.raises(ValidationError, match="as many temporary plates"):
        issue(vin, "export", start=later, end=later + timedelta(days=4))


def test_tests_and_oversize_have_no_issue_limit_r164_art_47():
    vin = make_vin(7400)
    for n in range(4):
        start = TODAY + timedelta(days=10 * n)
        issue(vin, "oversize", start=start, end=start + timedelta(days=9))
    assert rules.issues_left(vin, "oversize") is None and rules.may_issue_again(vin, "oversize")


def test_a_registered_vehicle_has_plates_and_gets_none_r164_art_46():
    vin = VehicleFactory().vin
    assert not rules.has_no_plate(vin, TODAY)
    with pytest.raises(ValidationError, match="the vehicle is registered and has its plates"):
        issue(vin)


@pytest.mark.parametrize(("gap", "ok"), [(0, False), (1, True)])
def test_a_new_plate_starts_after_the_last_one_ends_r164_art_46(gap, ok):
    """The day the old plate is still valid: refused; the day after: allowed."""
    vin = make_vin(7500 + gap)
    old = issue(vin, end=TODAY + timedelta(days=4))
    start = old.valid_to + timedelta(days=gap)
    assert rules.has_no_plate(vin, start) is ok


def test_every_problem_is_named_at_once_r164_art_47():
    vin = VehicleFactory().vin
    found = rules.refusals(
        vin=vin,
        case="export",
        valid_from=TODAY - timedelta(days=1),
        valid_to=TODAY + timedelta(days=40),
        insurance_valid_until=TODAY + timedelta(days=20),
        today=TODAY,
    )
    assert len(found) == 4  # registered, starts yesterday, too long, beyond the insurance


def test_the_plate_is_recorded_with_its_number_and_history_r164_art_47():
    vin = make_vin(7600)
    plate = issue(vin, "acquired", end=TODAY + timedelta(days=29))
    assert plate.number.startswith("新B") and len(plate.number) == 8
    assert plate.display == f"新B·{plate.number[2:]}"
    event = Event.objects.get(subject_type="registry.temporaryplate", subject_id=str(plate.pk))
    assert event.action == "temporary_plate.issued"
    assert event.after["number"] == plate.number and event.after["valid_to"] == "2026-12-23"
    assert event.after["issue"] == 1


@pytest.mark.parametrize(
    ("case", "needed"),
    [
        ("unsold", ["conformity"]),
        ("acquired", ["origin", "conformity"]),
        ("export", ["safety_check", "export_proof"]),
        ("testing", ["test_request", "safety_check"]),
        ("oversize", ["conformity"]),
    ],
)
def test_the_documents_of_each_case_r164_art_47(case, needed):
    assert rules.materials_missing(case, []) == needed
    assert rules.materials_missing(case, needed) == []


def test_a_second_issue_for_one_vin_is_refused_naming_the_plate_and_changes_nothing_art_47():
    """Two decisions for one VIN one after the other (the applications were both open): the
    second is a ValidationError naming the plate the first issued, with no row and no event."""
    vin = make_vin(9100)
    first = issue(vin, case="acquired")
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        issue(vin, case="acquired", start=TODAY + timedelta(days=1))
    [message] = refused.value.messages
    assert first.display in message and first.valid_to.isoformat() in message
    assert TemporaryPlate.objects.filter(vin=vin).count() == 1
    assert Event.objects.count() == events
