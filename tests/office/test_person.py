"""Person search and the person record: masked results, full record for a purpose, logged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LicenceFactory, PersonFactory, VehicleFactory
from vmo.core.models import DataAccess
from vmo.registry import validators
from vmo.registry.models import Plate
from vmo.violations.choices import HandlingStatus

from .factories import ViolationFactory

pytestmark = pytest.mark.django_db

SEARCH = "office:person_search"


def _detail(person, **params):
    return reverse("office:person_detail", args=[person.pk]), params


@pytest.fixture
def clerk(officer_client):
    return officer_client("clerk")


@pytest.fixture
def owner():
    licence = LicenceFactory()
    VehicleFactory(owner_person=licence.holder, plate="新B7K3M2")
    return licence.holder


def test_search_form_shows_on_get(clerk):
    response = clerk.get(reverse(SEARCH))
    assert response.status_code == 200
    assert response.context["results"] is None


@pytest.mark.parametrize(
    "criteria",
    [
        lambda p: {"id_number": p.id_number.lower()},
        lambda p: {"phone": f"+86 {p.phone}"},
        lambda p: {"plate": "新b·7k3m2"},
        lambda p: {"id_number": p.id_number, "plate": "新B7K3M2"},
    ],
    ids=["id", "phone", "plate", "id+plate"],
)
def test_search_finds_the_person_and_shows_them_masked(clerk, owner, criteria):
    PersonFactory()  # someone else, never found
    response = clerk.post(reverse(SEARCH), {**criteria(owner), "purpose": "application V13-0001"})
    assert response.status_code == 200
    assert response.context["results"] == [owner]
    # The form keeps what the officer typed; the results below it are masked.
    body = response.content.decode().split('id="results-title"')[1]
    assert owner.id_number not in body
    assert owner.name not in body
    assert owner.id_number[:6] + "********" + owner.id_number[-4:] in body
    detail_link = (
        reverse("office:person_detail", args=[owner.pk]) + "?purpose=application%20V13-0001"
    )
    assert detail_link in body
    assert not DataAccess.objects.exists()  # masked results are not a view of the record


def test_search_criteria_combine(clerk, owner):
    other = PersonFactory()
    response = clerk.post(
        reverse(SEARCH), {"id_number": other.id_number, "plate": "新B7K3M2", "purpose": "check"}
    )
    assert response.context["results"] == []
    assert "No person matches" in response.content.decode()


def test_bad_search_input_lists_every_problem(clerk):
    response = clerk.post(
        reverse(SEARCH),
        {"id_number": "652301199013011234", "phone": "12345", "plate": "新B1234I", "purpose": "  "},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"id_number", "phone", "plate", "purpose"}
    assert [e.code for e in form.errors.as_data()["id_number"]] == ["id_birth_date"]
    body = response.content.decode()
    assert body.count('<p class="error"') == 4
    assert "State the purpose" in body
    assert response.context["results"] is None


def test_id_number_with_a_wrong_check_digit_is_refused(clerk):
    first17 = "65230119900101123"
    wrong = "0" if validators.id_check_char(first17) != "0" else "1"
    response = clerk.post(reverse(SEARCH), {"id_number": first17 + wrong, "purpose": "x"})
    assert [e.code for e in response.context["form"].errors.as_data()["id_number"]] == [
        "id_check_digit"
    ]


def test_empty_search_asks_for_a_criterion_and_a_purpose(clerk):
    response = clerk.post(
        reverse(SEARCH), {"id_number": "", "phone": "", "plate": "", "purpose": ""}
    )
    form = response.context["form"]
    assert "purpose" in form.errors
    assert [e.code for e in form.non_field_errors().as_data()] == ["no_criteria"]


def test_clerk_view_of_a_person_records_exactly_one_access(clerk, owner):
    vehicle = owner.vehicles.get()
    ViolationFactory(vehicle=vehicle)
    ViolationFactory(vehicle=vehicle, handling_status=HandlingStatus.HANDLED)
    url, params = _detail(owner, purpose="application V13-0001")
    response = clerk.get(url, params)
    assert response.status_code == 200
    body = response.content.decode()
    for value in (
        owner.name,
        owner.id_number,
        owner.phone,
        owner.address,
        "新B·7K3M2",
        vehicle.vin,
        "C1",
    ):
        assert value in body
    assert len(response.context["record"].unhandled_violations) == 1
    access = DataAccess.objects.get()
    assert (access.officer_id, access.person_id, access.screen, access.purpose) == (
        clerk.officer.pk,
        owner.pk,
        "office.person_detail",
        "application V13-0001",
    )
    clerk.get(url, params)
    assert DataAccess.objects.count() == 2  # every view is recorded


@pytest.mark.parametrize("params", [{}, {"purpose": ""}, {"purpose": "   "}])
def test_no_record_without_a_purpose(clerk, owner, params):
    response = clerk.get(reverse("office:person_detail", args=[owner.pk]), params)
    assert response.status_code == 200
    assert "record" not in response.context
    assert owner.id_number not in response.content.decode()
    assert not DataAccess.objects.exists()
    if params:
        assert "purpose" in response.context["form"].errors


def test_overlong_purpose_is_refused(clerk, owner):
    response = clerk.get(reverse("office:person_detail", args=[owner.pk]), {"purpose": "x" * 201})
    assert "purpose" in response.context["form"].errors
    assert not DataAccess.objects.exists()


def test_unknown_person_is_404_and_not_logged(clerk):
    response = clerk.get(reverse("office:person_detail", args=[999999]), {"purpose": "case"})
    assert response.status_code == 404
    assert not DataAccess.objects.exists()


def test_person_without_licence_or_vehicles(clerk):
    person = PersonFactory()
    response = clerk.get(reverse("office:person_detail", args=[person.pk]), {"purpose": "case"})
    assert response.status_code == 200
    assert response.context["record"].licence is None
    assert "No driving licence on record." in response.content.decode()


def _owner_with(vehicles: int):
    licence = LicenceFactory()
    for _ in range(vehicles):
        vehicle = VehicleFactory(owner_person=licence.holder)
        ViolationFactory(vehicle=vehicle)
    # A void old plate must not show up, nor cost a query.
    first = licence.holder.vehicles.first()
    Plate.objects.create(
        vehicle=first,
        number="新B0000A",
        plate_type="02",
        status="void",
        issued_on=first.registration_date,
    )
    return licence.holder


def _queries_for(client, person) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(
            reverse("office:person_detail", args=[person.pk]), {"purpose": "count"}
        )
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_person_record_query_count_does_not_grow_with_vehicles(
    clerk, django_assert_max_num_queries
):
    one, eight = _owner_with(1), _owner_with(8)
    assert (
        len(
            clerk.get(reverse("office:person_detail", args=[eight.pk]), {"purpose": "warm"})
            .context["record"]
            .vehicles
        )
        == 8
    )
    with django_assert_max_num_queries(14):
        baseline = _queries_for(clerk, one)
    assert _queries_for(clerk, eight) == baseline
