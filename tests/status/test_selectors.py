from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import CitizenFactory, LicenceFactory, PersonFactory, VehicleFactory
from tests.status.factories import ApplicationFactory, ViolationFactory
from vmo.catalog.selectors import business
from vmo.core import clock
from vmo.core.clock import OFFICE_TZ
from vmo.registry.choices import LicenceStatus, VehicleStatus
from vmo.registry.models import PointsEntry
from vmo.status.selectors import licence_words, status_for_person, vehicle_words
from vmo.status.texts import LICENCE_TEXTS, VEHICLE_TEXTS

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def points(licence, value, cycle_start, occurred_on=None):
    return PointsEntry.objects.create(
        licence=licence,
        cycle_start=cycle_start,
        occurred_on=occurred_on or cycle_start,
        points=value,
        kind="violation",
    )


def steps_by_kind(status):
    return {step.kind: step for step in status.next_steps}


def test_every_status_letter_has_words_and_a_real_business():
    assert set(LICENCE_TEXTS) == set(LicenceStatus.values)
    assert set(VEHICLE_TEXTS) == set(VehicleStatus.values)
    for text in [*LICENCE_TEXTS.values(), *VEHICLE_TEXTS.values()]:
        assert str(text.meaning) and str(text.what_to_do)
    # The business that resolves a letter says so in its definition; it is a real one.
    for word in [*licence_words("".join(LICENCE_TEXTS)), *vehicle_words("".join(VEHICLE_TEXTS))]:
        if word.business_code:
            business(word.business_code)  # raises for a code the catalogue does not have


def test_normal_licence_in_words():
    licence = LicenceFactory(classes="C1E")
    status = status_for_person(licence.holder)
    info = status.licence
    assert [(w.code, w.name, w.severity) for w in info.statuses] == [("A", "normal", "ok")]
    assert [c.code for c in info.classes] == ["C1", "E"]
    assert info.classes[0].name == "C1 small car"
    assert info.number.startswith(licence.holder.id_number[:6]) and "*" in info.number
    assert licence.holder.id_number not in info.number
    assert (info.valid_to, info.long_term, info.days_to_expiry) == (
        date(2031, 6, 1),
        False,
        (date(2031, 6, 1) - TODAY).days,
    )
    assert status.next_steps == []
    assert status.name.startswith(licence.holder.name[0]) and "*" in status.name


def test_decided_letters_come_in_words_with_their_business():
    licence = LicenceFactory(flags="HU", status="HU")
    words = {w.code: w for w in status_for_person(licence.holder).licence.statuses}
    assert set(words) == {"H", "U"}
    assert words["H"].name == "violations not handled"
    assert words["H"].business_code == "W01" and words["H"].business_url == "/guide/W01/"
    assert words["H"].business_name == str(business("W01").name)
    assert "15 days" in words["U"].what_to_do


def test_points_count_only_the_cycle_containing_today():
    licence = LicenceFactory(first_issue_date=date(2015, 6, 1))
    points(licence, 6, date(2024, 6, 1), date(2025, 5, 20))  # previous cycle
    points(licence, 3, date(2025, 6, 1), date(2025, 6, 2))
    points(licence, 1, date(2025, 6, 1), date(2025, 6, 10))
    info = status_for_person(licence.holder).licence
    assert (info.points, info.cycle_start, info.cycle_end) == (
        4,
        date(2025, 6, 1),
        date(2026, 5, 31),
    )


def test_points_across_a_cycle_boundary():
    licence = LicenceFactory(first_issue_date=date(2015, 6, 1))
    points(licence, 9, date(2024, 6, 1), date(2025, 1, 5))
    points(licence, 2, date(2025, 6, 1), date(2025, 6, 1))
    with time_machine.travel(datetime(2025, 5, 31, 23, 59, tzinfo=OFFICE_TZ), tick=False):
        before = status_for_person(licence.holder)
    with time_machine.travel(datetime(2025, 6, 1, 0, 1, tzinfo=OFFICE_TZ), tick=False):
        after = status_for_person(licence.holder)
    assert (before.licence.points, before.licence.cycle_start, before.licence.cycle_end) == (
        9,
        date(2024, 6, 1),
        date(2025, 5, 31),
    )
    assert "points_warning" in steps_by_kind(before)
    assert (after.licence.points, after.licence.cycle_start) == (2, date(2025, 6, 1))
    assert "points_warning" not in steps_by_kind(after)


def test_nine_points_warn_and_point_to_learning_to_reduce():
    licence = LicenceFactory()
    points(licence, 9, date(2025, 6, 1))
    step = steps_by_kind(status_for_person(licence.holder))["points_warning"]
    assert (step.severity, step.business_code, step.business_url) == ("warn", "E01", "/guide/E01/")
    assert "9 points" in step.message


def test_full_score_shows_letter_b_and_full_score_education():
    licence = LicenceFactory()
    points(licence, 6, date(2025, 6, 1))
    points(licence, 6, date(2025, 6, 1), date(2025, 6, 12))
    status = status_for_person(licence.holder)
    assert [w.code for w in status.licence.statuses] == ["B"]
    assert status.licence.statuses[0].business_code == "E02"
    kinds = steps_by_kind(status)
    assert kinds["full_score"].business_code == "E02" and "points_warning" not in kinds


def test_renewal_window_opens_90_days_before_expiry():
    closed = LicenceFactory(valid_to=date(2025, 9, 14))  # 91 days ahead
    opened = LicenceFactory(valid_to=date(2025, 9, 13))  # 90 days ahead
    assert not status_for_person(closed.holder).licence.renewal_window_open
    assert "renewal_window" not in steps_by_kind(status_for_person(closed.holder))
    status = status_for_person(opened.holder)
    assert status.licence.renewal_window_open and status.licence.days_to_expiry == 90
    step = steps_by_kind(status)["renewal_window"]
    assert (step.business_code, step.due) == ("D02", date(2025, 9, 13))


def test_expired_licence_is_renewal_overdue_even_before_the_nightly_recompute():
    licence = LicenceFactory(valid_to=date(2025, 6, 1), status="A")
    status = status_for_person(licence.holder)
    assert [w.code for w in status.licence.statuses] == ["M"]
    step = steps_by_kind(status)["renewal_overdue"]
    assert (step.severity, step.business_code) == ("bad", "D02")


def test_long_term_licence_has_no_expiry():
    licence = LicenceFactory(valid_to=None)
    info = status_for_person(licence.holder).licence
    assert info.long_term and info.days_to_expiry is None and not info.renewal_window_open


def test_verification_and_physical_proof_due_and_overdue():
    due = LicenceFactory(
        classes="A1", verification_due=date(2025, 7, 1), physical_due=date(2025, 8, 1)
    )
    kinds = steps_by_kind(status_for_person(due.holder))
    assert (kinds["verification_due"].business_code, kinds["verification_due"].severity) == (
        "E03",
        "warn",
    )
    assert (kinds["physical_due"].business_code, kinds["physical_due"].due) == (
        "D06",
        date(2025, 8, 1),
    )

    late = LicenceFactory(
        classes="A1", verification_due=date(2025, 6, 1), physical_due=date(2025, 6, 10)
    )
    status = status_for_person(late.holder)
    kinds = steps_by_kind(status)
    assert "S" in [w.code for w in status.licence.statuses]
    assert (
        kinds["verification_overdue"].severity == "bad"
        and kinds["physical_overdue"].business_code == "D06"
    )

    far = LicenceFactory(verification_due=date(2026, 3, 1))
    assert "verification_due" not in steps_by_kind(status_for_person(far.holder))


def test_deferred_verification_is_not_called_overdue():
    licence = LicenceFactory(flags="T", status="T", verification_due=date(2025, 6, 1))
    status = status_for_person(licence.holder)
    assert [w.code for w in status.licence.statuses] == ["T"]
    assert "verification_overdue" not in steps_by_kind(status)


def test_probation():
    licence = LicenceFactory(probation_until=date(2025, 12, 1))
    status = status_for_person(licence.holder)
    assert status.licence.in_probation
    assert steps_by_kind(status)["probation"].due == date(2025, 12, 1)


def test_cancelled_licence_gets_no_renewal_steps():
    licence = LicenceFactory(flags="G", status="G", valid_to=date(2025, 7, 1))
    status = status_for_person(licence.holder)
    assert [w.code for w in status.licence.statuses] == ["G"]
    assert status.next_steps == []


def test_person_without_licence_or_vehicles():
    status = status_for_person(PersonFactory())
    assert status.licence is None and status.vehicles == [] and status.next_steps == []
    assert (
        status.unhandled_violations,
        status.unhandled_fines_fen,
        status.pending_applications,
    ) == (0, 0, 0)


def test_inspection_window_is_the_three_months_before_expiry():
    person = PersonFactory()
    closed = VehicleFactory(owner_person=person, inspection_valid_until=date(2025, 9, 16))
    opened = VehicleFactory(owner_person=person, inspection_valid_until=date(2025, 9, 15))
    overdue = VehicleFactory(owner_person=person, inspection_valid_until=date(2025, 6, 14))
    vehicles = {v.id: v for v in status_for_person(person).vehicles}
    assert not vehicles[closed.pk].inspection_window_open
    assert (
        vehicles[opened.pk].inspection_window_open
        and vehicles[opened.pk].inspection_days_left == 92
    )
    assert (
        vehicles[overdue.pk].inspection_overdue and not vehicles[overdue.pk].inspection_window_open
    )
    words = {w.code: w for w in vehicles[overdue.pk].statuses}
    assert set(words) == {"Q"}
    assert (words["Q"].name, words["Q"].business_code, words["Q"].business_url) == (
        "inspection overdue",
        "V10",
        "/guide/V10/",
    )
    kinds = [(s.kind, s.business_code) for s in status_for_person(person).next_steps]
    assert ("inspection_overdue", "V10") in kinds and ("inspection_window", "V10") in kinds
    assert kinds[0] == ("inspection_overdue", "V10")  # the most urgent first


def test_vehicle_facts_plate_mortgage_insurance():
    person = PersonFactory()
    vehicle = VehicleFactory(
        owner_person=person,
        plate="新B12345",
        mortgagee="昌吉农商银行",
        insurance_valid_until=date(2025, 7, 1),
    )
    info = status_for_person(person).vehicles[0]
    assert (info.plate, info.brand, info.model_name) == ("新B·12345", "大众", "朗逸")
    assert (info.mortgaged, info.mortgagee) == (True, "昌吉农商银行")
    assert (info.insurance_valid_until, info.insurance_days_left) == (date(2025, 7, 1), 16)
    assert [w.code for w in info.statuses] == ["A"]
    assert info.id == vehicle.pk
    assert "insurance_ending" in steps_by_kind(status_for_person(person))


def test_vehicle_decided_letters_in_words():
    person = PersonFactory()
    VehicleFactory(owner_person=person, flags="G", status="G")
    words = status_for_person(person).vehicles[0].statuses
    assert [(w.code, w.business_code) for w in words] == [("G", "W01")]


def test_unhandled_violations_and_fines_per_vehicle_and_overall():
    person = PersonFactory()
    first, second = VehicleFactory(owner_person=person), VehicleFactory(owner_person=person)
    ViolationFactory(vehicle=first, fine_fen=20000)
    ViolationFactory(vehicle=first, fine_fen=5000)
    ViolationFactory(vehicle=first, fine_fen=9900, handling_status=1)  # handled: not counted
    ViolationFactory(vehicle=second, fine_fen=10000)
    ViolationFactory(vehicle=VehicleFactory(), fine_fen=77700)  # someone else's vehicle
    status = status_for_person(person)
    by_id = {v.id: v for v in status.vehicles}
    assert (by_id[first.pk].unhandled_violations, by_id[first.pk].unhandled_fines_fen) == (2, 25000)
    assert (by_id[second.pk].unhandled_violations, by_id[second.pk].unhandled_fines_fen) == (
        1,
        10000,
    )
    assert (status.unhandled_violations, status.unhandled_fines_fen) == (3, 35000)
    messages = [s.message for s in status.next_steps if s.kind == "violations"]
    assert len(messages) == 2 and any("¥250.00" in m for m in messages)


def test_pending_applications_are_the_persons_own_in_pending_states():
    citizen = CitizenFactory()
    for state in ("submitted", "correction", "review", "approved", "draft", "completed", "refused"):
        ApplicationFactory(applicant=citizen, status=state)
    ApplicationFactory(applicant=CitizenFactory(), status="submitted")
    assert status_for_person(citizen.person).pending_applications == 4


def test_messages_follow_the_active_language():
    licence = LicenceFactory(valid_to=date(2025, 7, 1))
    with translation.override("zh-hans"):
        zh = status_for_person(licence.holder)
    assert "2025年7月1日" in steps_by_kind(zh)["renewal_window"].message


def make_busy_person(vehicles: int, violations_each: int, applications: int, temporary: int = 0):
    from tests.factories import make_vin
    from vmo.registry.services import temporary_plate_issue

    citizen = CitizenFactory()
    for n in range(temporary):
        today = clock.today()
        temporary_plate_issue(
            actor=None,
            vin=make_vin(9900 + n + 100 * vehicles),
            case="testing",
            valid_from=today,
            valid_to=today + timedelta(days=9),
            insurance_valid_until=today + timedelta(days=99),
            holder_person=citizen.person,
            reason="test",
        )
    licence = LicenceFactory(holder=citizen.person)
    points(licence, 3, date(2025, 6, 1))
    for _ in range(vehicles):
        vehicle = VehicleFactory(owner_person=citizen.person, mortgagee="昌吉农商银行")
        for _ in range(violations_each):
            ViolationFactory(vehicle=vehicle)
    for _ in range(applications):
        ApplicationFactory(applicant=citizen)
    # Read afresh, as a page would without the signed-in user's joins (the licence is not loaded).
    return type(citizen.person).objects.get(pk=citizen.person.pk)


def test_query_count_does_not_grow_with_vehicles_violations_and_applications():
    small = make_busy_person(vehicles=1, violations_each=0, applications=0)
    large = make_busy_person(vehicles=8, violations_each=4, applications=6, temporary=3)
    with CaptureQueriesContext(connection) as small_queries:
        status_for_person(small)
    with CaptureQueriesContext(connection) as large_queries:
        large_status = status_for_person(large)
    assert len(large_status.vehicles) == 8 and large_status.unhandled_violations == 32
    assert large_status.pending_applications == 6 and len(large_status.temporary_plates) == 3
    # The licence, its points, the vehicles with totals, their plates, the temporary plates
    # (with their VINs' registration, one query), the pending count.
    assert len(small_queries) == len(large_queries) == 6


def test_a_vehicle_whose_certificates_are_void_is_not_sent_to_inspection_or_insurance():
    """R164 Art 41: once its plates and licence are announced void (scrap age reached, P) a
    vehicle goes back on the road by no inspection and no insurance; its owner is not told to
    book or renew either."""
    person = PersonFactory()
    VehicleFactory(
        owner_person=person,
        status="P",
        inspection_valid_until=date(2025, 6, 14),
        insurance_valid_until=date(2025, 7, 1),
    )
    status = status_for_person(person)
    assert [w.code for w in status.vehicles[0].statuses] == ["P"]
    kinds = steps_by_kind(status)
    assert not {"inspection_overdue", "inspection_window", "insurance_ending"} & set(kinds)
