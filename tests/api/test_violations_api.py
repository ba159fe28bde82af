"""The citizens' violations API: one's own records only, thin handlers over the services, every
refusal in the API's error shape and the request's language, and a fixed number of queries."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import OfficerFactory, VehicleFactory
from tests.violations.online_factories import (
    NO_PLATES,
    SEAT_BELT,
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.core import clock
from vmo.notices.selectors import latest_sms_to
from vmo.payments.models import PaymentOrder
from vmo.registry.models import PointsEntry
from vmo.violations import services
from vmo.violations.models import (
    DriverNomination,
    PenaltyDecision,
    VehicleBinding,
    Violation,
    ViolationCode,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)
BASE = "/api/v1"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _frozen(settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 1
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner():
    return owner_with_vehicle()


@pytest.fixture
def as_owner(owner, bearer):
    return {**bearer(owner.user), **EN}


def _messages(response) -> list[str]:
    return [item["message"] for item in response.json()["errors"]]


def _ineligible(owner) -> Violation:
    """A record that fails four rules at once (as in the services' tests)."""
    violation = camera_violation(owner.vehicle, code=NO_PLATES, fine_fen=50000)
    ViolationCode.objects.filter(code=NO_PLATES).update(online_handleable=False)
    owner.licence.valid_to = date(2025, 8, 1)
    owner.licence.status = "AD"
    owner.licence.save()
    return violation


# --- The list ----------------------------------------------------------------------------


def test_the_list_shows_each_record_in_full(client, owner, as_owner):
    violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 7)))
    response = client.get(f"{BASE}/violations", **as_owner)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == violation.pk and item["plate_number"] == owner.plate
    assert item["occurred_at"] == "2025-08-07T10:05:00+08:00"
    assert item["place"] == violation.place and item["device"] == "CJ-CAM-101"
    assert item["code"]["code"] == "1625" and item["code"]["description"]
    assert item["code"]["description"] == violation.code.description_en
    assert (item["points"], item["fine_fen"], item["fine"]) == (6, 20000, "¥200.00")
    assert item["evidence"] == ["evidence/20250807/CJ-CAM-101-1.jpg"]
    assert item["handling_status"] == {"code": "unhandled", "label": "not handled"}
    assert item["payment_status"] == {"code": "unpaid", "label": "unpaid"}
    assert item["source"]["code"] == "camera" and item["role"] == "owner"
    assert item["online_handling"] == {"possible": True, "reasons": []}
    assert item["decision"] is None and item["amount_due"] is None
    assert owner.person.id_number not in response.content.decode()


def test_a_record_that_cannot_be_handled_online_lists_every_reason(client, owner, as_owner):
    _ineligible(owner)
    (item,) = client.get(f"{BASE}/violations", **as_owner).json()["items"]
    handling = item["online_handling"]
    assert handling["possible"] is False
    codes = {reason["code"] for reason in handling["reasons"]}
    assert codes == {"code_counter", "fine_limit", "licence_expired", "licence_status"}
    by_code = {reason["code"]: reason for reason in handling["reasons"]}
    assert "general procedure" in by_code["fine_limit"]["message"]
    assert "service hall" in by_code["fine_limit"]["where"]
    assert "Renew the licence" in by_code["licence_expired"]["where"]


def test_handled_records_show_their_decision_and_amount(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    (item,) = client.get(f"{BASE}/violations", **as_owner).json()["items"]
    assert item["handling_status"]["code"] == "handled"
    assert item["online_handling"] == {"possible": False, "reasons": []}
    assert item["decision"]["number"] == PenaltyDecision.objects.get().number
    assert item["decision"]["payment_due"] == "2025-08-25" and item["decision"]["paid"] is False
    assert item["amount_due"]["total_fen"] == 20000 and item["amount_due"]["days_late"] == 0


def test_only_my_records_and_bound_ones_from_the_binding_on(client, owner, bearer):
    mine = camera_violation(owner.vehicle, occurred_at=at(date(2025, 7, 20)))
    camera_violation(VehicleFactory(), place="别人的路口")
    driver, _ = driver_account()
    VehicleBinding.objects.create(
        person=driver.person, vehicle=owner.vehicle, bound_at=at(date(2025, 8, 1), 12)
    )
    camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1), 9), place="绑定前")
    after = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 2)), place="绑定后")

    owner_items = client.get(f"{BASE}/violations", **bearer(owner.user)).json()["items"]
    assert "别人的路口" not in {i["place"] for i in owner_items}
    assert mine.pk in {i["id"] for i in owner_items} and len(owner_items) == 3

    driver_items = client.get(f"{BASE}/violations", **bearer(driver)).json()["items"]
    assert [(i["id"], i["role"]) for i in driver_items] == [(after.pk, "bound")]


def test_the_list_is_paginated_newest_first(client, owner, as_owner):
    for n in range(23):
        camera_violation(owner.vehicle, code=SEAT_BELT, occurred_at=NOW - timedelta(hours=n + 1))
    first = client.get(f"{BASE}/violations", **as_owner).json()
    second = client.get(f"{BASE}/violations?page=2", **as_owner).json()
    assert first["count"] == 23 and len(first["items"]) == 20 and len(second["items"]) == 3
    times = [i["occurred_at"] for i in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)


def _list_queries(client, headers) -> tuple[int, int]:
    client.get(f"{BASE}/violations", **headers)  # token last_used_at, office config cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{BASE}/violations", **headers)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_the_list_costs_the_same_queries_for_1_and_20_records(client, bearer):
    small, large, other = owner_with_vehicle(), owner_with_vehicle(), owner_with_vehicle()
    camera_violation(small.vehicle)
    # 20 records of every kind: own (half handled, with amounts), bound, and named.
    for n in range(16):
        violation = camera_violation(large.vehicle, code=SEAT_BELT)
        if n % 2:
            services.violation_handle(violation=violation, actor=large.user)
    VehicleBinding.objects.create(
        person=large.person, vehicle=other.vehicle, bound_at=at(date(2025, 8, 1))
    )
    for _ in range(2):
        camera_violation(other.vehicle, code=SEAT_BELT)
        services.nomination_create(
            violation=camera_violation(
                other.vehicle, code=SEAT_BELT, occurred_at=at(date(2025, 7, 1))
            ),
            actor=other.user,
            driver_id_number=large.person.id_number,
            driver_name=large.person.name,
        )
    one, count_one = _list_queries(client, bearer(small.user))
    twenty, count_twenty = _list_queries(client, bearer(large.user))
    assert (count_one, count_twenty) == (1, 20)
    roles = {
        i["role"]
        for i in client.get(f"{BASE}/violations?page=1", **bearer(large.user)).json()["items"]
    }
    assert roles == {"owner", "bound", "named"}
    assert one == twenty <= 8


# --- One record ------------------------------------------------------------------------------


def test_the_detail_shows_the_amount_owed_today_with_the_calculation(client, owner, bearer):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    url = f"{BASE}/violations/{violation.pk}"
    with time_machine.travel(NOW + timedelta(days=20), tick=False):
        body = client.get(url, **bearer(owner.user), **EN).json()
    amount = body["amount_due"]
    # Due 2025-08-25; on 2025-08-30 five days late at 3 % (¥6.00) a day.
    assert (amount["due"], amount["on"], amount["days_late"]) == ("2025-08-25", "2025-08-30", 5)
    assert (amount["per_day_fen"], amount["late_fee_fen"], amount["total_fen"]) == (
        600,
        3000,
        23000,
    )
    assert amount["capped"] is False and amount["total"] == "¥230.00"
    assert "5 × ¥6.00" in amount["calculation"] and "¥230.00" in amount["calculation"]
    assert body["can_pay"] is True and body["can_handle"] is False

    with time_machine.travel(NOW + timedelta(days=80), tick=False):
        amount = client.get(url, **bearer(owner.user), **EN).json()["amount_due"]
    assert amount["capped"] is True and amount["late_fee_fen"] == 20000
    assert amount["total_fen"] == 40000 and "capped" in amount["calculation"]


def test_the_detail_says_what_i_may_do(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    body = client.get(f"{BASE}/violations/{violation.pk}", **as_owner).json()
    assert (body["can_handle"], body["can_nominate"], body["can_pay"]) == (True, True, False)
    assert body["pending_nomination"] is None and body["payment_order"] is None


# --- Handling ----------------------------------------------------------------------------------


def test_handle_myself_issues_a_decision_and_twice_is_refused(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    url = f"{BASE}/violations/{violation.pk}/handle"
    response = client.post(url, {}, content_type="application/json", **as_owner)
    assert response.status_code == 201
    decision = PenaltyDecision.objects.get(violation=violation)
    assert response.json()["decision"]["number"] == decision.number
    assert response.json()["nomination"] is None
    assert decision.licence == owner.licence and decision.decided_by == owner.user
    owner.vehicle.refresh_from_db()
    assert "G" not in owner.vehicle.flags

    again = client.post(url, {}, content_type="application/json", **as_owner)
    assert again.status_code == 422
    assert _messages(again) == ["This record has already been handled."]
    assert PenaltyDecision.objects.count() == 1


def test_handle_without_a_body_means_myself(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    response = client.generic("POST", f"{BASE}/violations/{violation.pk}/handle", b"", **as_owner)
    assert response.status_code == 201, response.content
    assert response.json()["decision"]["number"] == PenaltyDecision.objects.get().number


def test_a_record_not_eligible_is_refused_with_every_reason(client, owner, as_owner):
    violation = _ineligible(owner)
    response = client.post(
        f"{BASE}/violations/{violation.pk}/handle", {}, content_type="application/json", **as_owner
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert len(errors) == 4 and all(e["field"] is None for e in errors)
    text = " | ".join(_messages(response))
    for fragment in ("in person", "¥200.00", "expired", "status D"):
        assert fragment in text
    violation.refresh_from_db()
    assert violation.handling_status == 0
    assert not PenaltyDecision.objects.exists() and not PointsEntry.objects.exists()


def test_naming_the_driver_who_confirms(client, owner, as_owner, bearer):
    violation = camera_violation(owner.vehicle)
    driver, licence = driver_account()
    url = f"{BASE}/violations/{violation.pk}/handle"
    response = client.post(
        url,
        {"driver_id_number": driver.person.id_number.lower(), "driver_name": driver.person.name},
        content_type="application/json",
        **as_owner,
    )
    assert response.status_code == 202, response.content
    nomination = response.json()["nomination"]
    assert response.json()["decision"] is None
    assert nomination["status"]["code"] == "pending" and nomination["violation_id"] == violation.pk
    assert nomination["driver"] == driver.person.name[0] + "*" * (len(driver.person.name) - 1)

    detail = client.get(f"{BASE}/violations/{violation.pk}", **as_owner).json()
    assert detail["awaiting_driver"] is True and detail["can_handle"] is False
    assert detail["pending_nomination"]["addressed_to_me"] is False
    blocked = client.post(url, {}, content_type="application/json", **as_owner)
    assert blocked.status_code == 422 and "not answered" in _messages(blocked)[0]

    as_driver = {**bearer(driver), **EN}
    listed = client.get(f"{BASE}/nominations", **as_driver).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == nomination["id"]
    assert listed["items"][0]["place"] == violation.place
    assert client.get(f"{BASE}/nominations", **as_owner).json()["count"] == 0

    confirm = f"{BASE}/nominations/{nomination['id']}/confirm"
    assert client.post(confirm, **as_owner).status_code == 404  # not addressed to the owner
    response = client.post(confirm, **as_driver)
    assert response.status_code == 201
    decision = PenaltyDecision.objects.get(violation=violation)
    assert response.json()["number"] == decision.number and decision.licence == licence

    again = client.post(confirm, **as_driver)
    assert again.status_code == 422
    assert _messages(again) == ["This nomination has already been answered."]


def test_the_named_driver_declines(client, owner, bearer):
    violation = camera_violation(owner.vehicle)
    driver, _ = driver_account()
    nomination = services.nomination_create(
        violation=violation,
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    response = client.post(f"{BASE}/nominations/{nomination.pk}/decline", **bearer(driver), **EN)
    assert response.status_code == 200
    assert response.json()["status"]["code"] == "declined"
    nomination.refresh_from_db()
    assert nomination.status == "declined" and not PenaltyDecision.objects.exists()


def test_naming_problems_are_listed_on_the_field(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    response = client.post(
        f"{BASE}/violations/{violation.pk}/handle",
        {"driver_id_number": owner.person.id_number, "driver_name": owner.person.name},
        content_type="application/json",
        **as_owner,
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "driver_id_number" and "your own ID number" in error["message"]
    too_long = client.post(
        f"{BASE}/violations/{violation.pk}/handle",
        {"driver_id_number": "1" * 19},
        content_type="application/json",
        **as_owner,
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "driver_id_number"
    assert not DriverNomination.objects.exists()


# --- Paying ---------------------------------------------------------------------------------


def _pay(client, violation, headers, return_url="/violations/paid/"):
    return client.post(
        f"{BASE}/violations/{violation.pk}/pay",
        {"return_url": return_url},
        content_type="application/json",
        **headers,
    )


def test_pay_in_the_sandbox_then_it_is_paid_and_paying_again_is_refused(
    client, owner, as_owner, django_capture_on_commit_callbacks
):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    response = _pay(client, violation, as_owner)
    assert response.status_code == 200, response.content
    payment_url = response.json()["payment_url"]
    assert payment_url.startswith("http://testserver/payments/sandbox/pay/")
    order = PaymentOrder.objects.get()
    assert (order.amount_fen, order.purpose) == (20000, "fine")

    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(payment_url, {"action": "pay"})
    assert back["Location"] == "http://testserver/violations/paid/"
    body = client.get(f"{BASE}/violations/{violation.pk}", **as_owner).json()
    assert body["decision"]["paid"] is True and body["decision"]["paid_fen"] == 20000
    assert body["payment_status"]["code"] == "paid" and body["amount_due"] is None
    assert body["can_pay"] is False

    again = _pay(client, violation, as_owner)
    assert again.status_code == 422
    assert _messages(again) == ["This fine has already been paid."]
    assert PaymentOrder.objects.count() == 1


def test_a_paid_fine_shows_paid_on_return_before_any_callback(
    client, owner, as_owner, settings, django_capture_on_commit_callbacks
):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the gateway's callback is lost
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    payment_url = _pay(client, violation, as_owner).json()["payment_url"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(payment_url, {"action": "pay"})
    assert PenaltyDecision.objects.get().paid_at is None
    body = client.get(f"{BASE}/violations/{violation.pk}", **as_owner).json()
    assert body["decision"]["paid"] is True
    assert PenaltyDecision.objects.get().paid_at is not None


def test_pay_refuses_a_foreign_return_address_and_an_unhandled_record(client, owner, as_owner):
    violation = camera_violation(owner.vehicle)
    response = _pay(client, violation, as_owner)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_handled"
    services.violation_handle(violation=violation, actor=owner.user)
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = _pay(client, violation, as_owner, return_url=url)
        assert response.status_code == 422, url
        assert response.json()["errors"][0]["field"] == "return_url"
    missing = client.post(
        f"{BASE}/violations/{violation.pk}/pay", {}, content_type="application/json", **as_owner
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "return_url", "code": "missing", "message": "This field is required."}
    ]
    assert not PaymentOrder.objects.exists()


# --- The decision PDF -------------------------------------------------------------------------


def test_the_decision_pdf_for_the_handler_and_the_owner_only(client, owner, as_owner, bearer):
    driver, _ = driver_account()
    VehicleBinding.objects.create(
        person=driver.person, vehicle=owner.vehicle, bound_at=at(date(2025, 8, 1))
    )
    violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 5)))
    url = f"{BASE}/violations/{violation.pk}/decision.pdf"
    assert client.get(url, **as_owner).status_code == 404  # no decision yet
    services.violation_handle(violation=violation, actor=owner.user)
    response = client.get(url, **as_owner)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    number = PenaltyDecision.objects.get().number
    assert f"decision-{number}.pdf" in response["Content-Disposition"]
    # The bound driver sees the record but the owner's decision is not theirs.
    refused = client.get(url, **bearer(driver), **EN)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "not_handler"


# --- Bound vehicles ---------------------------------------------------------------------------


def test_binding_a_vehicle_with_the_owners_code_then_ending_it(client, owner, bearer):
    driver, _ = driver_account()
    as_driver = {**bearer(driver), **EN}
    unknown = client.post(
        f"{BASE}/bindings/code",
        {"plate_number": "新B99999"},
        content_type="application/json",
        **as_driver,
    )
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "plate_number"

    plate = owner.plate[:2] + "·" + owner.plate[2:].lower()  # typed as printed, any case
    sent = client.post(
        f"{BASE}/bindings/code",
        {"plate_number": plate},
        content_type="application/json",
        **as_driver,
    )
    assert sent.status_code == 202, sent.content
    assert sent.json()["plate_number"].replace("·", "") == owner.plate
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", latest_sms_to(owner.person.phone).body).group(1)

    wrong = "000000" if code != "000000" else "111111"
    response = client.post(
        f"{BASE}/bindings",
        {"plate_number": owner.plate, "owner_code": wrong},
        content_type="application/json",
        **as_driver,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "owner_code", "code": "invalid", "message": "The code is wrong."}
    ]
    assert not VehicleBinding.objects.exists()

    response = client.post(
        f"{BASE}/bindings",
        {"plate_number": owner.plate, "owner_code": code},
        content_type="application/json",
        **as_driver,
    )
    assert response.status_code == 201
    binding = VehicleBinding.objects.get()
    assert response.json()["id"] == binding.pk and response.json()["active"] is True
    listed = client.get(f"{BASE}/bindings", **as_driver).json()
    assert [b["id"] for b in listed] == [binding.pk]
    assert client.get(f"{BASE}/bindings", **bearer(owner.user)).json() == []

    stranger, _ = driver_account()
    assert client.delete(f"{BASE}/bindings/{binding.pk}", **bearer(stranger)).status_code == 404
    ended = client.delete(f"{BASE}/bindings/{binding.pk}", **as_driver)
    assert ended.status_code == 200 and ended.json()["active"] is False
    binding.refresh_from_db()
    assert binding.ended_at == clock.now()
    again = client.delete(f"{BASE}/bindings/{binding.pk}", **as_driver)
    assert again.status_code == 422
    assert _messages(again) == ["This binding has already ended."]


def test_binding_refusals_name_every_problem(client, owner, bearer):
    response = client.post(
        f"{BASE}/bindings/code",
        {"plate_number": owner.plate},
        content_type="application/json",
        **bearer(owner.user),
        **EN,
    )
    assert response.status_code == 422
    assert "your own" in _messages(response)[0]
    bad = client.post(
        f"{BASE}/bindings",
        {"plate_number": "B1", "owner_code": "12"},
        content_type="application/json",
        **bearer(owner.user),
        **EN,
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"plate_number", "owner_code"}
    unknown = client.post(
        f"{BASE}/bindings",
        {"plate_number": "新B99999", "owner_code": "123456"},
        content_type="application/json",
        **bearer(owner.user),
        **EN,
    )
    # A well-formed plate that is on no record: no such vehicle (404), naming the field.
    assert unknown.status_code == 404
    (error,) = unknown.json()["errors"]
    assert error["field"] == "plate_number"
    assert error["message"] == "No vehicle with this plate number is on record."
    assert not VehicleBinding.objects.exists()


# --- Who may call ----------------------------------------------------------------------------


def _every_operation(violation_id: int, nomination_id: int, binding_id: int):
    json_body = {"content_type": "application/json"}
    return [
        ("get", f"{BASE}/violations", {}),
        ("get", f"{BASE}/violations/{violation_id}", {}),
        ("post", f"{BASE}/violations/{violation_id}/handle", {"data": {}, **json_body}),
        (
            "post",
            f"{BASE}/violations/{violation_id}/pay",
            {"data": {"return_url": "/"}, **json_body},
        ),
        ("get", f"{BASE}/violations/{violation_id}/decision.pdf", {}),
        ("get", f"{BASE}/nominations", {}),
        ("post", f"{BASE}/nominations/{nomination_id}/confirm", {}),
        ("post", f"{BASE}/nominations/{nomination_id}/decline", {}),
        ("get", f"{BASE}/bindings", {}),
        (
            "post",
            f"{BASE}/bindings",
            {"data": {"plate_number": "新B12345", "owner_code": "123456"}, **json_body},
        ),
        ("post", f"{BASE}/bindings/code", {"data": {"plate_number": "新B12345"}, **json_body}),
        ("delete", f"{BASE}/bindings/{binding_id}", {}),
    ]


def test_unauthenticated_is_401_and_officers_are_403_everywhere(client, owner, bearer):
    violation = camera_violation(owner.vehicle)
    officer = OfficerFactory()
    for method, path, kwargs in _every_operation(violation.pk, 1, 1):
        anonymous = getattr(client, method)(path, **kwargs, **EN)
        assert anonymous.status_code == 401, (method, path)
        assert anonymous.json()["errors"][0]["code"] == "not_authenticated"
        refused = getattr(client, method)(path, **kwargs, **bearer(officer), **EN)
        assert refused.status_code == 403, (method, path)
        assert refused.json()["errors"][0]["code"] == "citizens_only"
    assert not PenaltyDecision.objects.exists()


def test_someone_elses_records_are_404(client, owner, bearer):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    driver, _ = driver_account()
    nomination = services.nomination_create(
        violation=camera_violation(owner.vehicle),
        actor=owner.user,
        driver_id_number=driver.person.id_number,
        driver_name=driver.person.name,
    )
    binding = VehicleBinding.objects.create(
        person=driver.person, vehicle=VehicleFactory(), bound_at=clock.now()
    )
    stranger, _ = driver_account()
    collections = {f"{BASE}/violations", f"{BASE}/nominations", f"{BASE}/bindings"}
    operations = [
        op
        for op in _every_operation(violation.pk, nomination.pk, binding.pk)
        if op[1] not in collections and not op[1].endswith("/code")
    ]
    assert len(operations) == 7
    for method, path, kwargs in operations:
        response = getattr(client, method)(path, **kwargs, **bearer(stranger), **EN)
        assert response.status_code == 404, (method, path)
        assert response.json()["errors"] == [
            {"field": None, "code": "not_found", "message": "Not found."}
        ]
    assert PaymentOrder.objects.count() == 0
    nomination.refresh_from_db()
    binding.refresh_from_db()
    assert nomination.status == "pending" and binding.ended_at is None


def test_the_browser_session_needs_the_csrf_token(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    violation = camera_violation(owner.vehicle)
    assert browser.get(f"{BASE}/violations").json()["count"] == 1
    refused = browser.post(f"{BASE}/violations/{violation.pk}/handle", **EN)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "csrf_failed"
    assert not PenaltyDecision.objects.exists()


# --- Languages and the schema -----------------------------------------------------------------


def test_chinese_by_default_and_english_on_request(client, owner, bearer):
    violation = camera_violation(owner.vehicle)
    headers = bearer(owner.user)
    zh = client.get(f"{BASE}/violations", **headers)
    en = client.get(f"{BASE}/violations", **headers, **EN)
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"
    assert zh.json()["items"][0]["code"]["description"] == violation.code.description_zh
    assert en.json()["items"][0]["code"]["description"] == violation.code.description_en

    anonymous = client.get(f"{BASE}/violations")
    assert _messages(anonymous) == ["请登录，或提供有效的API令牌。"]
    assert _messages(client.get(f"{BASE}/violations/999999", **headers)) == ["未找到。"]
    officer = client.get(f"{BASE}/violations", **bearer(OfficerFactory()))
    assert _messages(officer) == ["仅限群众用户本人账号查看。"]
    services.violation_handle(violation=violation, actor=owner.user)
    missing = client.post(
        f"{BASE}/violations/{violation.pk}/pay", {}, content_type="application/json", **headers
    )
    assert _messages(missing) == ["这个字段是必填项。"]
    assert _messages(
        client.post(
            f"{BASE}/violations/{violation.pk}/pay",
            {},
            content_type="application/json",
            **headers,
            **EN,
        )
    ) == ["This field is required."]


def test_the_openapi_schema_lists_the_new_operations(client):
    spec = json.loads(client.get(f"{BASE}/openapi.json").content)
    listed = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    expected = {
        (f"{BASE}/violations", "get"),
        (f"{BASE}/violations/{{violation_id}}", "get"),
        (f"{BASE}/violations/{{violation_id}}/handle", "post"),
        (f"{BASE}/violations/{{violation_id}}/pay", "post"),
        (f"{BASE}/violations/{{violation_id}}/decision.pdf", "get"),
        (f"{BASE}/nominations", "get"),
        (f"{BASE}/nominations/{{nomination_id}}/confirm", "post"),
        (f"{BASE}/nominations/{{nomination_id}}/decline", "post"),
        (f"{BASE}/bindings", "get"),
        (f"{BASE}/bindings", "post"),
        (f"{BASE}/bindings/code", "post"),
        (f"{BASE}/bindings/{{binding_id}}", "delete"),
    }
    assert expected <= listed
    handle = spec["paths"][f"{BASE}/violations/{{violation_id}}/handle"]["post"]
    assert {"201", "202", "401", "403", "404", "422"} <= set(handle["responses"])
    pdf = spec["paths"][f"{BASE}/violations/{{violation_id}}/decision.pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    detail = spec["components"]["schemas"]["ViolationDetailOut"]["properties"]
    assert {"amount_due", "online_handling", "can_pay", "evidence"} <= set(detail)
