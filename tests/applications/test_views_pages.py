"""The applicant's pages: each renders for its owner in Chinese and English, anyone else gets a
404, every wrong answer is listed at once, refused uploads store nothing, and the list page
reads a fixed number of rows however many applications there are."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from tests.factories import CitizenFactory, OfficerFactory, VehicleFactory
from tests.office.conftest import sign_in_verified
from tests.pdfs import build_pdf
from vmo.applications import services
from vmo.applications.models import Application, ApplicationFile, Delivery
from vmo.core.models import DataAccess

from .conftest import pdf, photo, start

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _key(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([^"]+)"', html)
    assert found, "the start form carries an idempotency key"
    return found.group(1)


@pytest.mark.parametrize("lang", [ZH, EN], ids=["zh", "en"])
def test_every_page_renders_for_the_owner(holder, lang):
    client = signed_in(holder)
    response = client.get("/applications/new/D02/", **lang)
    assert response.status_code == 200
    text = response.content.decode()
    # The conditions, evaluated against the holder's record, each with its legal basis.
    assert "《机动车驾驶证申领和使用规定》第六十三条" in text
    assert text.count("condition-met") == 4
    app = start(holder, "D02")
    response = client.get(f"/applications/{app.reference}/", **lang)
    assert response.status_code == 200
    text = response.content.decode()
    assert app.reference in text and 'enctype="multipart/form-data"' in text
    response = client.get("/applications/", **lang)
    assert response.status_code == 200 and app.reference in response.content.decode()
    if lang is EN:
        assert "Renewal of a driving licence" in text and "Photo for the licence" in text
    else:
        assert 'lang="zh-Hans"' in text


def test_unmet_condition_is_shown_red_and_starting_is_still_possible(citizen):
    # No licence at all: every licence condition fails, with its reason.
    client = signed_in(citizen)
    text = client.get("/applications/new/D02/", **EN).content.decode()
    assert "condition-unmet" in text and "Not met" in text
    response = client.post("/applications/new/D02/", {"idempotency_key": _key(text)}, **EN)
    assert response.status_code == 200
    assert "You have no driving licence on record with this office." in response.content.decode()
    assert Application.objects.count() == 0


def test_vehicle_business_asks_which_of_my_vehicles(owner):
    client = signed_in(owner)
    vehicle = owner.person.vehicles.get()
    plate = vehicle.plates.get().display
    text = client.get("/applications/new/V03/", **EN).content.decode()
    assert plate in text and "condition-met" in text
    key = _key(text)
    response = client.post("/applications/new/V03/", {"idempotency_key": key}, **EN)
    assert "Choose the vehicle this application is for." in response.content.decode()
    other = VehicleFactory()  # not theirs
    response = client.post(
        "/applications/new/V03/", {"idempotency_key": key, "vehicle": other.pk}, **EN
    )
    assert "Choose one of your vehicles." in response.content.decode()
    response = client.post(
        "/applications/new/V03/", {"idempotency_key": key, "vehicle": vehicle.pk}, **EN
    )
    app = Application.objects.get()
    assert response.status_code == 302 and app.vehicle == vehicle
    assert plate in client.get(response["Location"], **EN).content.decode()


def test_double_submit_of_the_start_form_makes_one_application(holder):
    client = signed_in(holder)
    key = _key(client.get("/applications/new/D02/").content.decode())
    first = client.post("/applications/new/D02/", {"idempotency_key": key})
    second = client.post("/applications/new/D02/", {"idempotency_key": key})
    assert first["Location"] == second["Location"]
    assert Application.objects.filter(applicant=holder).count() == 1


def test_unknown_or_non_engine_business_is_not_found(holder):
    client = signed_in(holder)
    assert client.get("/applications/new/XYZ/").status_code == 404
    assert client.get("/applications/new/V01/").status_code == 404  # plates: its own pages


def test_someone_elses_application_is_not_found_anywhere(holder):
    app = start(holder, "D02")
    stored = services.material_upload(
        actor=holder, application=app, material_code="photo", upload=photo()
    )
    client = signed_in(CitizenFactory())
    base = f"/applications/{app.reference}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}files/{stored.pk}/").status_code == 404
    for action in ("form/", "submit/", "withdraw/", "pay/", "materials/photo/"):
        assert client.post(base + action, {}).status_code == 404, action
    app.refresh_from_db()
    assert app.status == "draft"


def test_pages_need_a_signed_in_citizen(holder):
    app = start(holder, "D02")
    response = Client().get(f"/applications/{app.reference}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    officer = OfficerFactory(role="clerk")
    assert signed_in(officer).get("/applications/").status_code == 403


def test_every_wrong_answer_is_listed_at_once_and_nothing_changes(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    client = signed_in(owner)
    response = client.post(
        f"/applications/{app.reference}/form/",
        {
            "loss_reason": "burnt",
            "delivery_method": "mail",
            "delivery_recipient": "",
            "delivery_phone": "12",
            "delivery_address": "",
        },
        **EN,
    )
    assert response.status_code == 200
    text = response.content.decode()
    summary = text[text.index("error-summary") : text.index("</ul>", text.index("error-summary"))]
    for expected in (
        "Choose one of the options for What happened.",
        "The recipient&#x27;s name is required.",
        "The postal address is required.",
    ):
        assert expected in summary, expected
    app.refresh_from_db()
    assert app.data == {} and app.data_version == 1
    assert not Delivery.objects.exists()
    # The answers typed are kept for correcting.
    assert 'value="burnt"' in text or '<option value="burnt"' not in text


def test_a_wrong_delivery_phone_is_refused(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    response = signed_in(owner).post(
        f"/applications/{app.reference}/form/",
        {
            "loss_reason": "lost",
            "delivery_method": "mail",
            "delivery_recipient": "张三",
            "delivery_phone": "12",
            "delivery_address": "昌吉市延安北路1号",
        },
        **EN,
    )
    assert "The recipient&#x27;s mobile number is not valid." in response.content.decode()
    assert not Delivery.objects.exists()


def test_answers_and_delivery_are_saved(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    client = signed_in(owner)
    response = client.post(
        f"/applications/{app.reference}/form/",
        {
            "loss_reason": "stolen",
            "delivery_method": "mail",
            "delivery_recipient": "张三",
            "delivery_phone": "13800138000",
            "delivery_address": "昌吉市延安北路1号",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.data == {"loss_reason": "stolen"}
    assert Delivery.objects.get(application=app).address == "昌吉市延安北路1号"
    text = client.get(f"/applications/{app.reference}/").content.decode()
    assert "昌吉市延安北路1号" in text


def _upload(client, app, material, upload, **extra):
    data = {f"m-{material}-file": upload}
    data.update({f"m-{material}-{k}": v for k, v in extra.items()})
    return client.post(
        f"/applications/{app.reference}/materials/{material}/", data, format="multipart", **EN
    )


def test_upload_of_a_good_photo_and_certificate(holder):
    app = start(holder, "D02")
    client = signed_in(holder)
    assert _upload(client, app, "photo", photo()).status_code == 302
    response = _upload(client, app, "medical", pdf(), issued_on="2026-11-01")
    assert response.status_code == 302
    files = ApplicationFile.objects.filter(application=app)
    assert {f.material for f in files} == {"photo", "medical"}
    text = client.get(f"/applications/{app.reference}/", **EN).content.decode()
    assert "View version 1" in text and "dated 2026-11-01" in text


@pytest.mark.parametrize(
    ("material", "upload", "extra", "expected"),
    [
        (
            "photo",
            pdf(name="me.jpg").__class__("me.jpg", b"MZ\x90\x00" + b"\x00" * 500, "image/jpeg"),
            {},
            "The file is not a readable image.",
        ),
        ("photo", photo(width=100, height=123), {}, "at least 358×441 are needed"),
        (
            "medical",
            pdf().__class__(
                "cert.pdf",
                build_pdf(
                    b"<< /S /J#61vaScript /JS (app.alert(1)) >>",
                    catalog_extra=b"/OpenAction 4 0 R",
                ),
                "application/pdf",
            ),
            {"issued_on": "2026-11-01"},
            "PDF files with scripts, actions or embedded files are not accepted.",
        ),
        ("medical", pdf(), {}, "Give the date on the certificate."),
    ],
    ids=["exe-renamed-jpg", "too-small-photo", "pdf-javascript", "certificate-without-date"],
)
def test_refused_uploads_say_why_and_store_nothing(holder, material, upload, extra, expected):
    app = start(holder, "D02")
    client = signed_in(holder)
    response = _upload(client, app, material, upload, **extra)
    assert response.status_code == 200
    assert expected in response.content.decode().replace("&#x27;", "'")
    assert not ApplicationFile.objects.exists()


def test_a_50_mb_image_is_refused_without_error(holder):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = start(holder, "D02")
    client = signed_in(holder)
    big = photo().read() + b"\x00" * (50 * 1024 * 1024)
    response = _upload(client, app, "photo", SimpleUploadedFile("big.jpg", big, "image/jpeg"))
    assert response.status_code == 200
    assert "The file is larger than 2 MB." in response.content.decode()
    assert not ApplicationFile.objects.exists()


def test_full_submission_then_pay_goes_to_the_payment_page(holder):
    app = start(holder, "D02")
    client = signed_in(holder)
    _upload(client, app, "photo", photo())
    _upload(client, app, "medical", pdf(), issued_on="2026-11-01")
    client.post(f"/applications/{app.reference}/form/", {"delivery_method": "pickup"})
    client.post(f"/applications/{app.reference}/submit/")
    app.refresh_from_db()
    assert app.status == "submitted" and app.due_on == date(2026, 11, 25)
    text = client.get(f"/applications/{app.reference}/", **EN).content.decode()
    assert "Pay ¥10.00" in text and "Decision by" in text
    # A second press of submit changes nothing.
    client.post(f"/applications/{app.reference}/submit/")
    assert Application.objects.get().status == "submitted"
    response = client.post(f"/applications/{app.reference}/pay/")
    assert response.status_code == 302 and "/payments/sandbox/pay/" in response["Location"]


def test_acting_in_the_wrong_state_gives_a_clear_message(holder):
    app = start(holder, "D02")
    client = signed_in(holder)
    client.post(f"/applications/{app.reference}/withdraw/")
    app.refresh_from_db()
    assert app.status == "withdrawn"
    response = client.post(
        f"/applications/{app.reference}/form/", {"delivery_method": "pickup"}, follow=True, **EN
    )
    assert "This application can no longer be changed." in response.content.decode()
    response = _upload(client, app, "photo", photo())
    assert response.status_code == 302
    response = client.post(f"/applications/{app.reference}/pay/", follow=True, **EN)
    assert "There is nothing to pay for this application." in response.content.decode()
    response = client.post(f"/applications/{app.reference}/submit/", follow=True, **EN)
    assert "There is nothing to submit: the application is withdrawn." in (
        response.content.decode()
    )


def test_files_are_served_to_the_owner_and_checking_officers_only(holder):
    app = start(holder, "D02")
    image = services.material_upload(
        actor=holder, application=app, material_code="photo", upload=photo()
    )
    cert = services.material_upload(
        actor=holder,
        application=app,
        material_code="medical",
        upload=pdf(),
        issued_on=date(2026, 11, 1),
    )
    owner = signed_in(holder)
    response = owner.get(f"/applications/{app.reference}/files/{image.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    response = owner.get(f"/applications/{app.reference}/files/{cert.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert not DataAccess.objects.exists()

    clerk = Client()
    sign_in_verified(clerk, OfficerFactory(role="clerk"))
    assert clerk.get(f"/applications/{app.reference}/files/{cert.pk}/").status_code == 200
    access = DataAccess.objects.get()
    assert access.person_id == holder.person.pk and access.purpose == app.reference

    unverified = signed_in(OfficerFactory(role="clerk"))
    assert unverified.get(f"/applications/{app.reference}/files/{cert.pk}/").status_code == 404
    editor = Client()
    sign_in_verified(editor, OfficerFactory(role="editor"))
    assert editor.get(f"/applications/{app.reference}/files/{cert.pk}/").status_code == 404
    assert owner.get(f"/applications/{app.reference}/files/999999/").status_code == 404


def test_refusal_shows_reasons_and_the_letter(holder, reviewer):
    app = start(holder, "D02")
    services.material_upload(actor=holder, application=app, material_code="photo", upload=photo())
    services.material_upload(
        actor=holder,
        application=app,
        material_code="medical",
        upload=pdf(),
        issued_on=date(2026, 11, 1),
    )
    services.application_update(
        actor=holder, application=app, data={}, delivery={"method": "pickup"}
    )
    app = services.application_submit(actor=holder, application=app)
    app = services.application_refuse(
        actor=reviewer,
        application=app,
        reasons=[{"reason": "照片与本人不符", "basis": "《机动车驾驶证申领和使用规定》第六十三条"}],
    )
    client = signed_in(holder)
    text = client.get(f"/applications/{app.reference}/", **EN).content.decode()
    assert "照片与本人不符" in text and "Download the written notice of refusal" in text
    letter = app.documents.get()
    response = client.get(f"/applications/{app.reference}/documents/{letter.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        signed_in(CitizenFactory())
        .get(f"/applications/{app.reference}/documents/{letter.pk}/")
        .status_code
        == 404
    )


def _list_queries(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/applications/", **EN)
    return len(queries), response.content.decode()


def test_list_page_queries_do_not_grow(holder, django_assert_max_num_queries):
    vehicle = VehicleFactory(owner_person=holder.person)
    start(holder, "V03", vehicle_id=vehicle.pk)
    client = signed_in(holder)
    client.get("/applications/")  # the session is read the same way each time
    one, text = _list_queries(client)
    assert text.count("Open the application") == 1
    # One open application per business and record: the earlier ones are withdrawn.
    for _ in range(9):
        services.application_withdraw(actor=holder, application=start(holder, "D02"))
    start(holder, "V05", vehicle_id=vehicle.pk)
    with django_assert_max_num_queries(one):
        response = client.get("/applications/", **EN)
    assert response.content.decode().count("Open the application") == 11
    assert one <= 8, one


def test_list_page_is_paginated(holder):
    for _ in range(21):  # one open at a time per business and record: withdraw each
        services.application_withdraw(actor=holder, application=start(holder, "D02"))
    client = signed_in(holder)
    text = client.get("/applications/", **EN).content.decode()
    assert text.count("Open the application") == 20 and "Page 1 of 2" in text
    text = client.get("/applications/?page=2", **EN).content.decode()
    assert text.count("Open the application") == 1


def test_detail_page_queries_do_not_grow_with_versions(holder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = start(holder, "D02")
    client = signed_in(holder)
    services.material_upload(actor=holder, application=app, material_code="photo", upload=photo())
    client.get(f"/applications/{app.reference}/")
    with CaptureQueriesContext(connection) as first:
        client.get(f"/applications/{app.reference}/")
    for n in range(1, 6):  # five different photos: the same one again is no new version
        services.material_upload(
            actor=holder,
            application=app,
            material_code="photo",
            upload=photo(width=358 + 2 * n, height=441 + 2 * n),
        )
    with CaptureQueriesContext(connection) as later:
        text = client.get(f"/applications/{app.reference}/", **EN).content.decode()
    assert "View version 6" in text
    assert len(later) == len(first) <= 16, [q["sql"] for q in later.captured_queries]
