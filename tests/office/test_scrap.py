"""Compulsory scrapping after three missed inspection cycles (机动车强制报废标准规定 Art 4(4)),
and the office's announcement that the certificates are void when the owner does not cancel
(R164 Art 41(1)), with the office's period of 30 days from the notice [U].

A yearly truck whose validity ended on 2022-03-31 reaches compulsory scrapping on 2025-04-01;
the daily scan tells the owner that day; the owner may apply for cancellation until 2025-05-01
(the 30th day); the office may declare the certificates void from 2025-05-02.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory, VehicleFactory
from vmo.bulletins.models import Announcement, AnnouncementItem
from vmo.core import clock
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.notices.notice_scans import scan_compulsory_scrap_reached
from vmo.office import scrap
from vmo.registry.models import Plate, VehicleLicence
from vmo.registry.services import vehicle_cancel, vehicle_update_dates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TOLD = date(2025, 4, 1)
LAST_DAY = date(2025, 5, 1)  # the owner's 30th day
FIRST_VOID_DAY = date(2025, 5, 2)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=clock.OFFICE_TZ), tick=False
    )


def _truck(**fields):
    owner = CitizenFactory()
    truck = VehicleFactory(
        owner_person=owner.person,
        vehicle_type="H21",
        use_nature="F",
        registration_date=date(2018, 3, 15),
        inspection_valid_until=date(2022, 3, 31),
        **fields,
    )
    return owner, truck


def _told(day: date = TOLD) -> None:
    with at(day):
        assert scan_compulsory_scrap_reached(day=day) >= 1


def test_not_on_the_worklist_before_the_owner_is_told_art_41():
    """R164 Art 41(1): the period runs from the notice; a vehicle whose owner was never told is
    not listed, even long after it reached compulsory scrapping (Art 4(4))."""
    _owner, truck = _truck()
    with at(date(2025, 6, 1)):
        assert scrap.scrap_worklist() == []
        with pytest.raises(ValidationError) as refused:
            scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor"))
    assert refused.value.code == "not_on_worklist"


def test_the_day_before_the_period_ends_the_owner_may_still_cancel_art_41():
    """R164 Art 41(1) "逾期不办理": on 2025-05-01, the 30th day after the notice, the vehicle is
    listed as waiting and the confirmation is refused."""
    _owner, truck = _truck()
    _told()
    with at(LAST_DAY):
        (case,) = scrap.scrap_worklist()
        assert case.vehicle.pk == truck.pk and case.told_on == TOLD
        assert case.reached_on == date(2025, 4, 1)
        assert case.last_cancel_day == LAST_DAY and not case.due(LAST_DAY)
        with pytest.raises(ValidationError) as refused:
            scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor"))
    assert refused.value.code == "period_running"
    truck.refresh_from_db()
    assert "P" not in truck.status
    assert Plate.objects.get(vehicle=truck).status == "active"


def test_the_day_after_the_period_the_officer_declares_the_certificates_void_art_41():
    """R164 Art 41(1): on 2025-05-02 the confirmation sets status P, voids the plates and the
    vehicle licence on the record, writes the history, drafts the announcement of void plates
    and tells the owner."""
    owner, truck = _truck()
    plate = Plate.objects.get(vehicle=truck)
    _told()
    officer = OfficerFactory(role="supervisor")
    with at(FIRST_VOID_DAY):
        (case,) = scrap.scrap_worklist()
        assert case.due(FIRST_VOID_DAY)
        vehicle, announcement = scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=officer)
    truck.refresh_from_db()
    assert "P" in truck.status
    plate.refresh_from_db()
    assert plate.status == "void"
    assert not VehicleLicence.objects.filter(vehicle=truck, is_valid=True).exists()
    event = Event.objects.get(action="vehicle.scrap_void", subject_id=str(truck.pk))
    assert event.actor_id == officer.pk and plate.number in event.before["plates"]
    assert "R164 Art 41(1)" in event.reason
    assert Event.objects.filter(action="vehicle.status", subject_id=str(truck.pk)).exists()
    # The announcement: a draft of the void-plates kind that lists this plate, for review.
    assert announcement is not None and announcement.kind == "plates_void"
    assert announcement.state == "draft" and announcement.data_date == FIRST_VOID_DAY
    assert AnnouncementItem.objects.filter(
        announcement=announcement, subject_type="registry.plate", subject_id=plate.pk
    ).exists()
    # The owner's notice, in the inbox and by SMS, once.
    told = Message.objects.filter(kind="vehicle.scrap_void")
    assert {m.channel for m in told} == {"inapp", "sms"}
    assert told.get(channel="inapp").user_id == owner.pk
    # Off the worklist, and a second confirmation is refused.
    with at(FIRST_VOID_DAY):
        assert scrap.scrap_worklist() == []
        with pytest.raises(ValidationError):
            scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=officer)
    assert Announcement.objects.filter(kind="plates_void").count() == 1


def test_two_days_after_the_period_it_is_still_due_art_41():
    """The day after the first possible day: still listed, still confirmable."""
    _owner, truck = _truck()
    _told()
    with at(date(2025, 5, 3)):
        (case,) = scrap.scrap_worklist()
        assert case.due(date(2025, 5, 3))
        scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor"))
    truck.refresh_from_db()
    assert "P" in truck.status


def test_the_period_runs_from_a_late_notice_not_from_the_day_reached_art_41():
    """A scan that first ran on 2025-04-10 gives the owner until 2025-05-10."""
    _owner, _truck_ = _truck()
    _told(date(2025, 4, 10))
    with at(date(2025, 5, 10)):
        (case,) = scrap.scrap_worklist()
        assert case.told_on == date(2025, 4, 10) and not case.due(date(2025, 5, 10))
    with at(date(2025, 5, 11)):
        assert scrap.scrap_worklist()[0].due(date(2025, 5, 11))


def test_an_owner_who_cancelled_or_inspected_is_not_listed_art_41():
    """Art 41(1) applies only when the owner does not cancel; an inspection (a new validity)
    ends the missed cycles (强制报废标准 Art 4(4))."""
    _a, cancelled = _truck()
    _b, inspected = _truck()
    _told()
    with at(date(2025, 4, 20)):
        vehicle_cancel(vehicle=cancelled, actor=None, reason="报废注销")
        vehicle_update_dates(
            vehicle=inspected,
            actor=None,
            reason="检验合格",
            inspection_valid_until=date(2026, 4, 30),
        )
    with at(FIRST_VOID_DAY):
        assert scrap.scrap_worklist() == []


# --- The pages --------------------------------------------------------------------------------


def test_the_worklist_and_the_confirmation_pages(officer_client):
    _owner, truck = _truck()
    _told()
    with at(FIRST_VOID_DAY):
        clerk = officer_client("clerk")
        assert clerk.get(reverse("office:scrap_list")).status_code == 403
        client = officer_client("supervisor")
        page = client.get(reverse("office:scrap_list")).content.decode()
        assert "Ready to declare void" in page and "2025-05-01" in page
        url = reverse("office:scrap_confirm", kwargs={"pk": truck.pk})
        assert url in page
        confirm = client.get(url).content.decode()
        assert "Declare void" in confirm and truck.vin in confirm
        response = client.post(url)
        assert response.status_code == 302
        done = client.get(response["Location"]).content.decode()
        assert "Certificates declared void" in done
        drafted = Announcement.objects.get(kind="plates_void")
        assert reverse("bulletins_office:detail", kwargs={"pk": drafted.pk}) in done
        # Done: the confirmation page of another vehicle, or again, is not found.
        assert client.get(url).status_code == 404


def test_the_confirmation_page_refuses_before_the_period_ends(officer_client):
    _owner, truck = _truck()
    _told()
    with at(LAST_DAY):
        client = officer_client("supervisor")
        url = reverse("office:scrap_confirm", kwargs={"pk": truck.pk})
        page = client.get(url).content.decode()
        assert "Declare void" not in page and "until 2025-05-01" in page
        response = client.post(url)
        assert response.status_code == 422 and "error-summary" in response.content.decode()
    truck.refresh_from_db()
    assert "P" not in truck.status


def test_an_owner_who_applied_for_cancellation_in_time_is_not_listed_art_41():
    """Art 41(1) is for an owner who does not apply: a submitted cancellation (V17) keeps the
    vehicle off the worklist while the office decides it; a mere draft does not."""
    from vmo.applications import services as application_services
    from vmo.applications.models import Application

    owner, truck = _truck()
    _told()
    with at(date(2025, 4, 30)):
        application = application_services.application_start(
            actor=owner, business_code="V17", idempotency_key="v17-" + "x" * 20, vehicle_id=truck.pk
        )
    with at(FIRST_VOID_DAY):
        assert [c.vehicle.pk for c in scrap.scrap_worklist()] == [truck.pk]  # a draft only
        Application.objects.filter(pk=application.pk).update(status="submitted")
        assert scrap.scrap_worklist() == []
        with pytest.raises(ValidationError):
            scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor"))


def test_void_certificates_are_the_one_status_p_named_in_the_readers_language(officer_client):
    """R164 Art 41(1): after the announcement the vehicle's status is P alone (达到报废标准公告
    牌证作废): it may not be inspected, so the overdue inspection no longer adds Q ("PQ"); the
    officers' pages name it in the reader's language."""
    from tests.office.factories import ViolationFactory
    from vmo.violations.models import ViolationCode

    _owner, truck = _truck()
    _told()
    with at(FIRST_VOID_DAY):
        scrap.scrap_void_confirm(vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor"))
    truck.refresh_from_db()
    assert truck.status == "P"
    violation = ViolationFactory(
        vehicle=truck, record_id="R900001", code=ViolationCode.objects.get(code="1625")
    )
    url = reverse("violations_office:violation_detail", args=[violation.pk])
    with at(FIRST_VOID_DAY):
        client = officer_client("clerk")
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").text
        assert "达到报废标准公告牌证作废" in page and "逾期未检验" not in page
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "scrap age reached, certificates void" in page and "inspection overdue" not in page
