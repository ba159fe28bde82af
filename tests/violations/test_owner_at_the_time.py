"""Who sees a record as its owner is the vehicle's owner when the record was entered, kept on
the record: after a sale (R164 Arts 25-30) the buyer does not read the seller's records and
decisions, and the seller still does; a record entered after the transfer is the buyer's. The
decision is the owner's to read (RTSL Art 114: the owner answers for a camera record). Tested
with records entered the day before, the day of and the day after the transfer."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from tests.factories import CitizenFactory, CompanyFactory, LicenceFactory, VehicleFactory
from vmo.core import clock
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.registry.models import CompanyRepresentative, PastOwner
from vmo.registry.services import vehicle_transfer
from vmo.violations import selectors, services
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records
from vmo.violations.models import VehicleBinding, Violation

from .intake_helpers import csv_rows, record

pytestmark = pytest.mark.django_db

SALE = date(2026, 3, 10)


def at(day: date, hour: int = 12) -> time_machine.travel:
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), clock.OFFICE_TZ) + timedelta(hours=hour),
        tick=False,
    )


def _enter(day: date, n: int, occurred: datetime | None = None) -> Violation:
    """A camera record on 新B12345 entered on ``day`` (by default it happened the day before at
    09:30)."""
    when = occurred or datetime.combine(day - timedelta(days=1), time(9, 30), clock.OFFICE_TZ)
    occurred_at = clock.local(when).isoformat()
    with at(day):
        intake_records(
            rows=csv_rows([record(n, occurred_at=occurred_at)]),
            channel=IntakeChannel.COMMAND,
            source_name=f"t{n}.csv",
        )
    return Violation.objects.get(record_id=record(n)["record_id"])


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clock.OFFICE_TZ)


def _ids(person) -> set[int]:
    return set(selectors.violations_visible_to(person).values_list("pk", flat=True))


def test_after_a_sale_the_buyer_does_not_see_the_sellers_records_r164_art_25():
    """R164 Art 25: the seller's record, decided online before the sale, stays the seller's
    (the list, the page, the decision); the buyer sees those of offences after the transfer."""
    seller, buyer = CitizenFactory(), CitizenFactory()
    LicenceFactory(holder=seller.person, first_issue_date=date(2015, 6, 1))
    car = VehicleFactory(owner_person=seller.person, plate="新B12345")
    before = _enter(SALE - timedelta(days=1), 1)
    with at(SALE - timedelta(days=1), 15):
        decision = services.violation_handle(violation=before, actor=seller)
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=SALE
        )
    # Entered the day of the sale, of an offence that evening, after the transfer registered.
    on_the_day = _enter(SALE, 2, occurred=_moment(SALE - timedelta(days=1), 18))
    after = _enter(SALE + timedelta(days=1), 3)
    assert before.owner_person_id == seller.person.pk
    assert {on_the_day.owner_person_id, after.owner_person_id} == {buyer.person.pk}
    with at(SALE + timedelta(days=1)):
        assert _ids(seller.person) == {before.pk}
        assert _ids(buyer.person) == {on_the_day.pk, after.pk}
        with pytest.raises(Violation.DoesNotExist):
            selectors.violation_detail(buyer, before.pk)
        assert selectors.violation_detail(seller, before.pk).row.role == "owner"
        assert selectors.violation_detail(buyer, after.pk).row.role == "owner"
        assert selectors.may_read_decision(seller, decision)
        assert not selectors.may_read_decision(buyer, decision)


def test_a_record_written_without_its_owner_follows_the_vehicles_owner_now():
    """A record written without the owner at the time (before it was kept, or by a writer
    that does not set it) is read as before the change: the vehicle's owner now."""
    seller, buyer = CitizenFactory(), CitizenFactory()
    VehicleFactory(owner_person=seller.person, plate="新B12345")
    record_ = _enter(SALE - timedelta(days=1), 4)
    Violation.objects.filter(pk=record_.pk).update(owner_person=None)
    assert _ids(seller.person) == {record_.pk} and _ids(buyer.person) == set()


def test_after_a_sale_the_seller_names_the_driver_of_a_record_before_it_rtsl_art_114():
    """The owner answers for a camera record (RTSL Art 114), so the seller names who drove on
    a record from before the sale, as the detail page offers; the buyer, who cannot see it,
    is refused by the service too (one rule: violations.visibility.answers_for_owner)."""
    seller, buyer, driver = CitizenFactory(), CitizenFactory(), CitizenFactory()
    LicenceFactory(holder=driver.person, first_issue_date=date(2015, 6, 1))
    car = VehicleFactory(owner_person=seller.person, plate="新B12345")
    before = _enter(SALE - timedelta(days=1), 5)
    with at(SALE - timedelta(days=1), 15):
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=SALE
        )
    with at(SALE + timedelta(days=1)):
        assert selectors.violation_detail(seller, before.pk).can_nominate
        assert selectors.answers_for_owner(seller.person, before)
        assert not selectors.answers_for_owner(buyer.person, before)
        services.nomination_create(
            violation=before,
            actor=seller,
            driver_name=driver.person.name,
            driver_id_number=driver.person.id_number,
        )
        assert before.nominations.filter(driver=driver.person).exists()


def _company_truck(plate: str = "新B12345"):
    """A company, its legal representative and a truck it owns."""
    company = CompanyFactory()
    legal = CitizenFactory()
    CompanyRepresentative.objects.create(company=company, person=legal.person, role="legal")
    truck = VehicleFactory(owner_person=None, owner_company=company, plate=plate)
    return company, legal, truck


def test_a_companys_vehicle_sold_to_a_person_leaves_its_records_with_the_company_r164_art_25():
    """A company answers for the records of its vehicle (R164 Art 86) until the transfer
    (R164 Art 25): its legal representative still sees, and answers for, the record entered
    before the sale, and the buyer does not; the record of an offence after the transfer is the
    buyer's."""
    company, legal, truck = _company_truck()
    buyer = CitizenFactory()
    before = _enter(SALE - timedelta(days=1), 11)
    with at(SALE - timedelta(days=1), 15):
        vehicle_transfer(
            vehicle=truck, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=SALE
        )
    on_the_day = _enter(SALE, 12, occurred=_moment(SALE - timedelta(days=1), 18))
    assert (before.owner_person_id, before.owner_company_id) == (None, company.pk)
    assert (on_the_day.owner_person_id, on_the_day.owner_company_id) == (buyer.person.pk, None)
    with at(SALE + timedelta(days=1)):
        assert _ids(legal.person) == {before.pk}
        assert _ids(buyer.person) == {on_the_day.pk}
        assert selectors.answers_for_owner(legal.person, before)
        assert not selectors.answers_for_owner(buyer.person, before)
        assert selectors.violation_detail(legal, before.pk).row.role == "company"
        with pytest.raises(Violation.DoesNotExist):
            selectors.violation_detail(buyer, before.pk)
        assert [v.pk for v in selectors.unhandled_of_owner(buyer.person)] == [on_the_day.pk]


def test_a_companys_record_written_without_its_owner_follows_the_owning_company_now():
    """The same fallback for a company's vehicle: a record written without an owner is the
    company's while the vehicle is."""
    _company, legal, _truck = _company_truck()
    record_ = _enter(SALE - timedelta(days=1), 13)
    Violation.objects.filter(pk=record_.pk).update(owner_company=None)
    assert _ids(legal.person) == {record_.pk}


def test_after_a_sale_the_reminders_go_to_the_seller_rp_art_20():
    """The 15-day reminder and the next day's SMS digest of a record entered before the sale go
    to the seller, who answers for it; the buyer is told of neither (RP Art 20)."""
    seller, buyer = CitizenFactory(), CitizenFactory()
    car = VehicleFactory(owner_person=seller.person, plate="新B12345")
    record_ = _enter(SALE - timedelta(days=1), 14)
    with at(SALE - timedelta(days=1), 15):
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=SALE
        )
    with at(SALE):
        assert scans_run(day=SALE, codes=["violations.new_digest"]) == {"violations.new_digest": 1}
    digest = Message.objects.get(kind="violations.new_digest", channel="sms")
    assert digest.recipient == seller.person.phone
    reminder_day = SALE - timedelta(days=1) + timedelta(days=15)
    with at(reminder_day):
        scans_run(day=reminder_day, codes=["violations.unhandled_15_days"])
    reminders = Message.objects.filter(kind="violations.unhandled_15_days", channel="inapp")
    assert [(m.user_id, record_.record_id in m.body) for m in reminders] == [(seller.pk, True)]


def test_a_sale_ends_the_vehicles_bindings_w03():
    """A binding is made with the owner's consent (W03); the buyer never gave it, so the
    transfer (V14) ends it: the driver no longer reads the vehicle's records (the seller answers
    for those before the sale, the buyer for the rest), the history says why, and a binding to
    another vehicle stays."""
    owner, driver = CitizenFactory(), CitizenFactory()
    car = VehicleFactory(owner_person=owner.person, plate="新B12345")
    other = VehicleFactory(owner_person=CitizenFactory().person, plate="新B54321")
    with at(SALE - timedelta(days=10)):
        bound = VehicleBinding.objects.create(
            person=driver.person, vehicle=car, bound_at=clock.now()
        )
        kept = VehicleBinding.objects.create(
            person=driver.person, vehicle=other, bound_at=clock.now()
        )
    while_bound = _enter(SALE - timedelta(days=1), 15)
    assert _ids(driver.person) == {while_bound.pk}
    with at(SALE, 9):
        assert services.bindings_end_on_transfer(vehicle=car, actor=None) == 1
    bound.refresh_from_db()
    kept.refresh_from_db()
    assert bound.ended_at == datetime.combine(
        SALE, datetime.min.time(), clock.OFFICE_TZ
    ) + timedelta(hours=9)
    assert kept.ended_at is None
    assert Event.objects.get(action="binding.end", subject_id=str(bound.pk)).after == {
        "cause": "transfer"
    }
    _enter(SALE + timedelta(days=1), 16)
    assert _ids(driver.person) == set()


def test_an_offence_before_the_sale_that_arrives_after_it_is_the_sellers_rtsl_art_114():
    """The owner at the time of the offence answers for it (RTSL Art 114), however late the
    camera record arrives: the transfer registered at 12:00 on the day of the sale leaves the
    offences of the day before and of 11:59 with the seller, who is told of them and sees them,
    and those of 12:00 and of the day after with the buyer. The transfer keeps the owner it
    ended and when (the registry's past owners)."""
    seller, buyer = CitizenFactory(), CitizenFactory()
    car = VehicleFactory(owner_person=seller.person, plate="新B12345")
    with at(SALE, 12):
        vehicle_transfer(
            vehicle=car, actor=None, reason="R164 Art 25", new_owner=buyer.person, on=SALE
        )
    (past,) = PastOwner.objects.filter(vehicle=car)
    assert (past.owner_person_id, past.until) == (seller.person.pk, _moment(SALE, 12))
    arrives = SALE + timedelta(days=3)
    offences = {
        "day before": _moment(SALE - timedelta(days=1), 12),
        "a minute before": _moment(SALE, 11, 59),
        "the moment": _moment(SALE, 12),
        "day after": _moment(SALE + timedelta(days=1), 12),
    }
    records = {
        name: _enter(arrives, 20 + n, occurred=when)
        for n, (name, when) in enumerate(offences.items())
    }
    owners = {name: row.owner_person_id for name, row in records.items()}
    assert owners == {
        "day before": seller.person.pk,
        "a minute before": seller.person.pk,
        "the moment": buyer.person.pk,
        "day after": buyer.person.pk,
    }
    with at(arrives):
        assert _ids(seller.person) == {records["day before"].pk, records["a minute before"].pk}
        assert _ids(buyer.person) == {records["the moment"].pk, records["day after"].pk}

    def told(user) -> set[str]:
        # The body is encrypted at rest: read, then searched.
        bodies = " ".join(
            Message.objects.filter(user=user, kind="violation.new", channel="inapp").values_list(
                "body", flat=True
            )
        )
        return {name for name, row in records.items() if row.record_id in bodies}

    assert told(seller) == {"day before", "a minute before"}
    assert told(buyer) == {"the moment", "day after"}
