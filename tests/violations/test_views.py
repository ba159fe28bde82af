"""The citizen's violation pages: only one's own records, thin views over the services, a fixed
number of queries, and the whole handle-and-pay path through the sandbox."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
import time_machine

from tests.factories import VehicleFactory
from tests.violations.online_factories import (
    SEAT_BELT,
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.core import clock
from vmo.notices.selectors import latest_sms_to
from vmo.violations import services
from vmo.violations.models import PenaltyDecision, VehicleBinding

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 1
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner(db):
    return owner_with_vehicle()


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/violations/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_is_chinese_by_default(client, owner):
    client.force_login(owner.user)
    camera_violation(owner.vehicle)
    response = client.get("/violations/")
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()


def test_the_list_shows_my_records_and_no_one_elses(owner_client, owner):
    mine = camera_violation(owner.vehicle)
    theirs = camera_violation(VehicleFactory(), place="别人的路口")
    page = _main(owner_client.get("/violations/"))
    assert mine.place in page and f"/violations/{mine.pk}/" in page
    assert theirs.place not in page and f"/violations/{theirs.pk}/" not in page
    assert "Can be handled online" in page
    assert "¥200.00" in page and "1625" in page


def test_a_bound_vehicle_shows_records_from_the_binding_on(client, owner):
    driver, _ = driver_account()
    VehicleBinding.objects.create(
        person=driver.person, vehicle=owner.vehicle, bound_at=at(date(2025, 8, 1), 12)
    )
    before = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1), 9), place="绑定前")
    after = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 2)), place="绑定后")
    client.force_login(driver)
    page = _main(client.get("/violations/"))
    assert after.place in page and before.place not in page
    assert client.get(f"/violations/{before.pk}/").status_code == 404
    assert client.get(f"/violations/{after.pk}/").status_code == 200


def test_why_a_record_cannot_be_handled_online_and_where_to_go(owner_client, owner):
    camera_violation(owner.vehicle, fine_fen=50000)
    page = _main(owner_client.get("/violations/"))
    assert "Cannot be handled online" in page
    assert "general procedure" in page
    assert "service hall" in page


def test_the_list_costs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
):
    camera_violation(owner.vehicle)
    owner_client.get("/violations/")  # warm the office configuration cache
    with django_assert_max_num_queries(9) as one:
        owner_client.get("/violations/")
    for n in range(6):
        violation = camera_violation(owner.vehicle, code=SEAT_BELT)
        if n % 2:
            services.violation_handle(violation=violation, actor=owner.user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = owner_client.get("/violations/")
    assert _main(response).count('<li>\n    <h2 id="v-') == 7


def test_someone_elses_record_is_a_404_everywhere(client, owner):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    stranger, _ = driver_account()
    client.force_login(stranger)
    for method, path in [
        ("get", f"/violations/{violation.pk}/"),
        ("post", f"/violations/{violation.pk}/handle/"),
        ("post", f"/violations/{violation.pk}/pay/"),
        ("get", f"/violations/{violation.pk}/paid/"),
        ("get", f"/violations/{violation.pk}/decision.pdf"),
    ]:
        assert getattr(client, method)(path).status_code == 404, path


def test_handle_then_pay_in_the_sandbox_then_it_shows_paid(owner_client, owner):
    violation = camera_violation(owner.vehicle)
    assert owner_client.get(f"/violations/{violation.pk}/handle/").status_code == 405

    response = owner_client.post(f"/violations/{violation.pk}/handle/", follow=True)
    decision = PenaltyDecision.objects.get(violation=violation)
    page = _main(response)
    assert decision.number in page
    assert "Pay ¥200.00" in page
    assert "Owed today" in page

    response = owner_client.post(f"/violations/{violation.pk}/pay/")
    assert response.status_code == 302
    hosted = response["Location"]
    assert "/payments/sandbox/pay/" in hosted
    back = owner_client.post(hosted, {"action": "pay"})
    assert back["Location"].endswith(f"/violations/{violation.pk}/paid/")
    page = _main(owner_client.get(back["Location"], follow=True))
    decision.refresh_from_db()
    assert decision.paid_at is not None
    assert "Payment received" in page and "Paid" in page
    assert "Pay ¥" not in page


def test_the_amount_owed_is_shown_with_its_calculation(owner_client, owner):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    with time_machine.travel(NOW + timedelta(days=20), tick=False):
        owner_client.force_login(owner.user)  # sessions last 30 minutes
        page = _main(owner_client.get(f"/violations/{violation.pk}/"))
    # Due 2025-08-25; on 2025-08-30 five days late at ¥6.00 a day.
    assert "5 × ¥6.00" in page and "¥30.00" in page and "¥230.00" in page


def test_the_decision_pdf(owner_client, owner, tmp_path):
    violation = camera_violation(owner.vehicle, speed_kmh=None)
    services.violation_handle(violation=violation, actor=owner.user)
    owner_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    response = owner_client.get(f"/violations/{violation.pk}/decision.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "decision.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        number = PenaltyDecision.objects.get().number
        assert number in text
        assert owner.plate in text.replace("\n", "")
        for fragment in ("60", "6", "2025-08-25", "1625"):
            assert fragment in text


def test_binding_a_vehicle_with_the_owners_code(client, owner):
    driver, _ = driver_account()
    client.force_login(driver)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/violations/bindings/", {"plate_number": "新B99999"})
    assert "No vehicle with this plate number" in _main(response)
    response = client.post("/violations/bindings/", {"plate_number": owner.plate})
    assert response.status_code == 302
    confirm = response["Location"]
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", latest_sms_to(owner.person.phone).body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert "The code is wrong" in _main(client.post(confirm, {"code": wrong}))
    response = client.post(confirm, {"code": code}, follow=True)
    binding = VehicleBinding.objects.get()
    assert binding.person == driver.person
    assert "End the binding" in _main(response)
    client.post(f"/violations/bindings/{binding.pk}/end/")
    binding.refresh_from_db()
    assert binding.ended_at is not None


def test_the_confirm_page_is_only_for_who_asked(client, owner):
    driver, _ = driver_account()
    client.force_login(driver)
    assert client.get(f"/violations/bindings/{owner.vehicle.pk}/confirm/").status_code == 404


def test_naming_the_driver_who_confirms_from_their_account(client, owner_client, owner):
    violation = camera_violation(owner.vehicle)
    driver, licence = driver_account()
    bad = owner_client.post(f"/violations/{violation.pk}/", {"driver_id_number": "652301"})
    assert "error-summary" in _main(bad)
    response = owner_client.post(
        f"/violations/{violation.pk}/",
        {"driver_id_number": driver.person.id_number, "driver_name": driver.person.name},
        follow=True,
    )
    assert "once they confirm" in _main(response)

    client.force_login(driver)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = _main(client.get("/violations/nominations/"))
    assert violation.place in page
    nomination = violation.nominations.get()
    response = client.post(
        f"/violations/nominations/{nomination.pk}/answer/", {"answer": "confirm"}, follow=True
    )
    decision = PenaltyDecision.objects.get(violation=violation)
    assert decision.licence == licence
    assert decision.number in _main(response)
    # Answered: a second answer finds nothing to answer.
    assert (
        client.post(
            f"/violations/nominations/{nomination.pk}/answer/", {"answer": "decline"}
        ).status_code
        == 404
    )


def test_the_detail_page_costs_a_fixed_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
):
    violation = camera_violation(owner.vehicle)
    services.violation_handle(violation=violation, actor=owner.user)
    owner_client.get(f"/violations/{violation.pk}/")  # warm the office configuration cache
    with django_assert_max_num_queries(10):
        response = owner_client.get(f"/violations/{violation.pk}/")
    assert response.status_code == 200
