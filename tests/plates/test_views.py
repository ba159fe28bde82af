"""The applicant's, the public and the office's plate pages, and the API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import CitizenFactory
from tests.office.conftest import officer_client  # noqa: F401 - fixture
from vmo.core import clock
from vmo.plates import rules, services
from vmo.plates.models import Draw, PoolNumber, Reservation

from .helpers import load_pool, new_vin

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 3, 3, 12, 0, tzinfo=clock.OFFICE_TZ)


@time_machine.travel(NOON, tick=False)
def test_draw_choose_and_reserve_through_the_pages(citizen_client, citizen):
    load_pool(80)
    response = citizen_client.post(
        "/plates/start/", {"vin": new_vin(1).lower(), "model_name": "朗逸", "plate_type": "02"}
    )
    draw = Draw.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/plates/draws/{draw.public_id}/"
    )
    page = citizen_client.get(response["Location"])
    body = page.content.decode()
    assert body.count('class="plate-radio"') == 50
    assert "plates.css" in body
    # Nothing chosen: the error is named, nothing reserved.
    assert citizen_client.post(response["Location"], {}).status_code == 422
    chosen = draw.candidates[3]
    done = citizen_client.post(response["Location"], {"number": chosen})
    reservation = Reservation.objects.get()
    assert done["Location"] == f"/plates/reservations/{reservation.pk}/"
    assert reservation.number == chosen
    detail = citizen_client.get(done["Location"]).content.decode()
    assert chosen[2:] in detail
    # Someone else sees a 404, never the reservation or the draw.
    other = CitizenFactory()
    citizen_client.force_login(other)
    assert citizen_client.get(done["Location"]).status_code == 404
    assert citizen_client.get(f"/plates/draws/{draw.public_id}/").status_code == 404
    assert citizen_client.post(f"/plates/reservations/{reservation.pk}/release/").status_code == 404


@time_machine.travel(NOON, tick=False)
def test_bad_vin_and_registered_vehicle_are_refused_on_the_page(citizen_client):
    from tests.factories import VehicleFactory

    load_pool(10)
    vehicle = VehicleFactory()
    response = citizen_client.post(
        "/plates/start/", {"vin": "LSVAB12", "model_name": "", "plate_type": "02"}
    )
    assert response.status_code == 200 and b"error-summary" in response.content
    response = citizen_client.post(
        "/plates/start/", {"vin": vehicle.vin, "model_name": "x", "plate_type": "02"}
    )
    assert "already registered" in response.content.decode()
    assert Draw.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_compose_check_then_reserve(citizen_client):
    load_pool(40)
    data = {"vin": new_vin(2), "model_name": "哈弗", "plate_type": "02", "number": "新BQ0013"}
    check = citizen_client.post("/plates/compose/", {**data, "action": "check"})
    assert "Free: you may reserve it now." in check.content.decode()
    assert Reservation.objects.count() == 0
    reserve = citizen_client.post("/plates/compose/", {**data, "action": "reserve"})
    assert reserve.status_code == 302 and Reservation.objects.get().number == "新BQ0013"
    again = citizen_client.post("/plates/compose/", {**data, "vin": new_vin(3), "action": "check"})
    assert "has just been taken" in again.content.decode()


@time_machine.travel(NOON, tick=False)
def test_redraw_page_and_release(citizen_client, citizen):
    load_pool(80)
    draw = services.draw_create(actor=citizen, vin=new_vin(4), model_name="x", plate_type="02")
    again = citizen_client.post(f"/plates/draws/{draw.public_id}/again/")
    assert Draw.objects.count() == 2 and again["Location"] != f"/plates/draws/{draw.public_id}/"
    r = services.reservation_create(actor=citizen, number=draw.candidates[0], draw=draw)
    citizen_client.post(f"/plates/reservations/{r.pk}/release/")
    assert Reservation.objects.get().status == "released"
    assert PoolNumber.objects.get(number=r.number).status == "free"


def test_verify_and_results_are_public(client, citizen):
    load_pool(80)
    with time_machine.travel(NOON, tick=False):
        draw = services.draw_create(actor=citizen, vin=new_vin(5), model_name="x", plate_type="02")
        services.reservation_create(actor=citizen, number=draw.candidates[0], draw=draw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/plates/verify/?draw={draw.public_id}").content.decode()
    assert "Not verifiable yet" in page and draw.day.commitment in page
    # A wrong number is a form error beside the field (in the error summary), not a 404.
    wrong = client.get("/plates/verify/?draw=nope")
    assert wrong.status_code == 422
    text = wrong.content.decode()
    assert 'class="error-summary"' in text and "No draw has this number." in text
    assert 'href="#id_draw"' in text
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        services.seeds_reveal()
    page = client.get(f"/plates/verify/?draw={draw.public_id}").content.decode()
    assert "Matches" in page and draw.day.seed_hex in page
    results = client.get("/plates/results/?day=2025-03-03").content.decode()
    assert draw.candidates[0] in results and citizen.person.name not in results


def test_verify_command(citizen, capsys):
    load_pool(60)
    with time_machine.travel(NOON, tick=False):
        draw = services.draw_create(actor=citizen, vin=new_vin(6), model_name="x", plate_type="02")
    with pytest.raises(SystemExit) as exc:
        call_command("plates_verify_draw", draw.public_id)
    assert exc.value.code == 2
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        call_command("plates_seeds_reveal")
    call_command("plates_verify_draw", draw.public_id)
    assert "MATCHES" in capsys.readouterr().out


def test_office_loads_a_batch_lists_bad_lines_and_withholds(officer_client):  # noqa: F811
    client = officer_client("supervisor")
    response = client.post(
        "/office/plates/load/", {"plate_type": "02", "numbers": "新BQ1234\n新BQ12I4\n京AQ1235"}
    )
    body = response.content.decode()
    assert response.status_code == 422 and "Line 2" in body and "Line 3" in body
    assert PoolNumber.objects.count() == 0
    response = client.post(
        "/office/plates/load/", {"plate_type": "02", "numbers": "新BQ1234\n新BQ1235"}
    )
    assert response.status_code == 302 and PoolNumber.objects.count() == 2
    assert "新BQ1234" in client.get("/office/plates/").content.decode()
    client.post("/office/plates/withheld/", {"pattern": "新B8888?", "reason": "kept"})
    assert "新B8888?" in client.get("/office/plates/withheld/").content.decode()
    client.post("/office/plates/seeds/commit/")
    assert "Tomorrow" in client.get("/office/plates/").content.decode()


def test_office_pages_need_the_capability(officer_client):  # noqa: F811
    client = officer_client("clerk")
    assert client.get("/office/plates/").status_code == 403


@time_machine.travel(NOON, tick=False)
def test_api_draw_check_reserve_list_and_verify(citizen_client, client):
    load_pool(80)
    post = lambda url, data: citizen_client.post(  # noqa: E731
        f"/api/v1/plates{url}", json.dumps(data), content_type="application/json"
    )
    bad = post("/draws", {"vin": "x", "model_name": "", "plate_type": "99"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"vin", "model_name", "plate_type"}
    drawn = post("/draws", {"vin": new_vin(7), "model_name": "秦", "plate_type": "02"})
    assert drawn.status_code == 201 and len(drawn.json()["candidates"]) == 50
    draw_id = drawn.json()["draw_id"]
    check = post("/check", {"number": "新BQ0013", "plate_type": "02"})
    assert check.json()["available"] is True
    # The same number is composed below for another VIN: take one that a composition may hold,
    # so the refusal can only be that it is taken.
    number = next(c for c in drawn.json()["candidates"] if not rules.compose_problems(c))
    reserved = post("/reservations", {"draw_id": draw_id, "number": number})
    assert reserved.status_code == 201 and reserved.json()["number"] == number
    taken = post(
        "/reservations",
        {"number": number, "vin": new_vin(8), "model_name": "x", "plate_type": "02"},
    )
    # A well-formed request refused for the number's state: a conflict (409), not bad input.
    assert taken.status_code == 409 and taken.json()["errors"][0]["code"] == "taken"
    mine = citizen_client.get("/api/v1/plates/reservations").json()
    assert [r["number"] for r in mine] == [number]
    public = client.get(f"/api/v1/plates/verify/{draw_id}")
    assert public.status_code == 200 and public.json()["matches"] is None
