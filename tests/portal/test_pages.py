from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory, VehicleFactory
from tests.status.factories import ApplicationFactory, ViolationFactory
from vmo.core.clock import OFFICE_TZ
from vmo.core.services import data_access_record
from vmo.registry.models import PointsEntry

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


def assert_csp_clean(html: str) -> None:
    # The CSP forbids inline script and style attributes; the pages must not rely on them.
    assert "<script" not in html and 'style="' not in html and "onclick" not in html


def test_home_for_visitors(client):
    response = client.get(reverse("portal:home"), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Changji Prefecture Vehicle Management Office" in html
    assert reverse("accounts:login") in html and reverse("accounts:signup") in html
    assert f"{reverse('catalog:index')}#category-vehicle" in html
    assert reverse("catalog:detail", args=["V01"]) in html
    assert_csp_clean(html)


def test_home_in_chinese_by_default(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "昌吉州公安局交通警察支队车辆管理所" in html and 'lang="zh-Hans"' in html


def test_home_for_a_signed_in_citizen_points_to_my_status(client):
    client.force_login(CitizenFactory())
    html = client.get(reverse("portal:home"), **EN).content.decode()
    assert reverse("portal:my_status") in html and reverse("accounts:signup") not in html


def test_my_status_needs_a_citizen(client):
    url = reverse("portal:my_status")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    client.force_login(OfficerFactory())
    assert client.get(url).status_code in (302, 403)  # an officer is never shown a citizen page


def test_my_status_shows_licence_vehicles_counts_and_next_steps(client):
    citizen = CitizenFactory()
    licence = LicenceFactory(holder=citizen.person, classes="C1", valid_to=date(2025, 8, 1))
    PointsEntry.objects.create(
        licence=licence,
        cycle_start=date(2025, 6, 1),
        occurred_on=date(2025, 6, 2),
        points=9,
        kind="violation",
    )
    vehicle = VehicleFactory(
        owner_person=citizen.person,
        plate="新B12345",
        inspection_valid_until=date(2025, 6, 1),
        mortgagee="昌吉农商银行",
    )
    ViolationFactory(vehicle=vehicle, fine_fen=20000)
    ApplicationFactory(applicant=citizen, status="review")
    client.force_login(citizen)
    response = client.get(reverse("portal:my_status"), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "新B·12345" in html and "Mortgaged to 昌吉农商银行" in html
    assert "inspection overdue" in html and reverse("catalog:detail", args=["V10"]) in html
    assert "9 of 12" in html and reverse("catalog:detail", args=["E01"]) in html
    assert reverse("catalog:detail", args=["D02"]) in html  # renewal window open
    assert "¥200.00" in html
    assert citizen.person.id_number not in html  # masked
    assert_csp_clean(html)


def test_my_status_never_shows_another_citizens_records(client):
    me, other = CitizenFactory(), CitizenFactory()
    LicenceFactory(holder=me.person, file_number="652300000001")
    LicenceFactory(holder=other.person, file_number="652399999999")
    VehicleFactory(owner_person=me.person, plate="新B11111")
    theirs = VehicleFactory(owner_person=other.person, plate="新B99999", brand="丰田")
    ViolationFactory(vehicle=theirs, fine_fen=88800)
    ApplicationFactory(applicant=other)
    client.force_login(me)
    html = client.get(reverse("portal:my_status"), **EN).content.decode()
    assert "新B·11111" in html
    assert "新B·99999" not in html and "丰田" not in html and "¥888.00" not in html
    assert "9999" not in html  # the other licence's file number, even masked


def make_busy_citizen(vehicles: int, violations_each: int, applications: int):
    citizen = CitizenFactory()
    licence = LicenceFactory(holder=citizen.person)
    PointsEntry.objects.create(
        licence=licence,
        cycle_start=date(2025, 6, 1),
        occurred_on=date(2025, 6, 2),
        points=3,
        kind="violation",
    )
    for _ in range(vehicles):
        vehicle = VehicleFactory(
            owner_person=citizen.person, inspection_valid_until=date(2025, 8, 1)
        )
        for _ in range(violations_each):
            ViolationFactory(vehicle=vehicle)
    for _ in range(applications):
        ApplicationFactory(applicant=citizen)
    return citizen


def page_queries(client, citizen) -> int:
    client.force_login(citizen)
    client.get(reverse("portal:my_status"))  # warm the office-configuration cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:my_status"))
    assert response.status_code == 200
    return len(queries)


def test_my_status_page_query_count_does_not_grow(client):
    small = make_busy_citizen(vehicles=1, violations_each=0, applications=0)
    large = make_busy_citizen(vehicles=8, violations_each=5, applications=7)
    assert page_queries(client, small) == page_queries(client, large)


def test_data_access_lists_the_persons_rows_in_office_time(client):
    citizen, officer = CitizenFactory(), OfficerFactory(first_name="李警官")
    data_access_record(
        officer=officer,
        person_id=citizen.person_id,
        screen="office.person_detail",
        purpose="counter enquiry",
    )
    data_access_record(
        officer=officer,
        person_id=CitizenFactory().person_id,
        screen="office.secret_screen",
        purpose="someone else",
    )
    client.force_login(citizen)
    response = client.get(reverse("portal:data_access"), **EN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span lang="zh-Hans">李警官</span> (clerk)' in html and "counter enquiry" in html
    assert (
        "person record in the officers&#x27; workbench" in html
    )  # the screen in words, not its code
    assert "2025-06-15 10:00" in html  # 02:00 UTC shown in Asia/Shanghai
    assert "office.secret_screen" not in html and "someone else" not in html
    assert_csp_clean(html)


def test_data_access_is_paginated_by_twenty(client):
    citizen, officer = CitizenFactory(), OfficerFactory()
    for n in range(25):
        data_access_record(officer=officer, person_id=citizen.person_id, screen=f"screen-{n:02d}")
    client.force_login(citizen)
    first = client.get(reverse("portal:data_access"), **EN)
    second = client.get(reverse("portal:data_access") + "?page=2", **EN)
    assert (
        len(first.context["page"].object_list) == 20
        and len(second.context["page"].object_list) == 5
    )
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_data_access_needs_a_citizen(client):
    response = client.get(reverse("portal:data_access"))
    assert response.status_code == 302


def test_data_access_empty(client):
    client.force_login(CitizenFactory())
    assert (
        "No officer has viewed your data."
        in client.get(reverse("portal:data_access"), **EN).content.decode()
    )
