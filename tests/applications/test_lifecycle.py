"""The state machine, the one-time notice, claims and uploads."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_fsm import TransitionNotAllowed

from tests.factories import OfficerFactory
from tests.pdfs import build_pdf
from vmo.applications import services
from vmo.applications.models import Application, ApplicationFile, CorrectionItem
from vmo.core.selectors import events_for

from .conftest import photo, start, verified
from .helpers import fill, pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def submitted(holder):
    app = start(holder, "D02")
    fill(holder, app)
    app = services.application_submit(actor=holder, application=app)
    pay(services.fee_order(actor=holder, application=app))
    app.refresh_from_db()
    assert app.paid_at is not None
    return app


def test_illegal_transitions_are_refused(holder, reviewer):
    app = start(holder, "D02")
    with pytest.raises(TransitionNotAllowed):
        app.approve()
    with pytest.raises(ValidationError):
        services.application_approve(actor=reviewer, application=app)
    app.refresh_from_db()
    assert app.status == "draft"


def test_officer_correction_lists_everything_and_repeat_needs_a_reason(holder, clerk):
    app = submitted(holder)
    with pytest.raises(ValidationError):
        services.application_request_correction(actor=clerk, application=app, items=[])
    app = services.application_request_correction(
        actor=clerk,
        application=app,
        items=[
            {"item": "material:photo", "message": "照片背景不是白色"},
            {"item": "material:medical", "message": "体检证明不清晰"},
        ],
    )
    assert app.status == "correction" and app.correction_round == 1
    # The applicant re-uploads only the photo and resubmits.
    services.material_upload(actor=holder, application=app, material_code="photo", upload=photo())
    app = services.application_submit(actor=holder, application=app)
    assert app.status == "resubmitted"
    # The medical certificate did not change: asking again needs a recorded reason.
    with pytest.raises(ValidationError) as caught:
        services.application_request_correction(
            actor=clerk,
            application=app,
            items=[{"item": "material:medical", "message": "体检证明不清晰"}],
        )
    assert "already asked" in str(caught.value)
    app = services.application_request_correction(
        actor=clerk,
        application=app,
        items=[
            {
                "item": "material:medical",
                "message": "体检证明不清晰",
                "repeat_reason": "上次未重新上传",
            }
        ],
    )
    item = CorrectionItem.objects.get(application=app, round=2)
    assert item.repeat_reason == "上次未重新上传"
    # The re-uploaded photo may be asked about again without a reason: it changed.
    assert CorrectionItem.objects.filter(application=app).count() == 3


def test_two_officers_never_work_one_application(holder, clerk):
    app = submitted(holder)
    services.application_claim(actor=clerk, application=app)
    other = verified(OfficerFactory(role="clerk"))
    with pytest.raises(ValidationError):
        services.application_claim(actor=other, application=app)
    with pytest.raises(ValidationError):
        services.application_pass_check(actor=other, application=app)


def test_the_checking_clerk_cannot_decide(holder):
    supervisor = verified(OfficerFactory(role="supervisor"))
    app = submitted(holder)
    services.application_pass_check(actor=supervisor, application=app)
    with pytest.raises(ValidationError):
        services.application_approve(actor=supervisor, application=app)


def test_a_clerk_cannot_approve(holder, clerk):
    app = submitted(holder)
    services.application_pass_check(actor=clerk, application=app)
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=clerk, application=app)


def test_unpaid_applications_wait_for_payment(holder, clerk):
    app = start(holder, "D02")
    fill(holder, app)
    app = services.application_submit(actor=holder, application=app)
    with pytest.raises(ValidationError):
        services.application_pass_check(actor=clerk, application=app)


def test_counter_handling_needs_a_reason_and_tells_the_applicant(holder, clerk):
    app = submitted(holder)
    with pytest.raises(ValidationError):
        services.application_to_counter(actor=clerk, application=app, reason=" ")
    app = services.application_to_counter(actor=clerk, application=app, reason="照片疑似非本人")
    assert app.counter_reason == "照片疑似非本人"
    assert holder.messages.filter(kind="applications.counter").exists()


def test_withdraw_refunds_a_paid_fee(holder):
    app = submitted(holder)
    app = services.application_withdraw(actor=holder, application=app)
    assert app.status == "withdrawn"
    from vmo.payments.models import Refund

    assert Refund.objects.filter(amount_fen=1000).exists()


def test_every_change_is_in_the_history(holder, clerk, reviewer):
    app = submitted(holder)
    services.application_pass_check(actor=clerk, application=app)
    actions = list(events_for(app).values_list("action", flat=True))
    for action in (
        "application.start",
        "application.submit",
        "application.accept",
        "application.check",
    ):
        assert action in actions


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100), "not a readable image"),
        (SimpleUploadedFile("photo.jpg", b""), "empty"),
    ],
)
def test_renamed_executable_is_refused(holder, upload, message):
    app = start(holder, "D02")
    with pytest.raises(ValidationError) as caught:
        services.material_upload(
            actor=holder, application=app, material_code="photo", upload=upload
        )
    assert message in str(caught.value)
    assert not ApplicationFile.objects.exists()


def test_a_50_mb_image_is_refused_without_reading_it_all(holder):
    app = start(holder, "D02")
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        services.material_upload(actor=holder, application=app, material_code="photo", upload=big)
    assert "larger than 2 MB" in str(caught.value)


def test_a_small_photo_is_refused_with_its_size(holder):
    app = start(holder, "D02")
    with pytest.raises(ValidationError) as caught:
        services.material_upload(
            actor=holder, application=app, material_code="photo", upload=photo(100, 120)
        )
    assert "100×120" in str(caught.value)


def test_images_are_re_encoded_without_metadata(holder):
    from PIL import Image

    buffer = BytesIO()
    image = Image.new("RGB", (400, 500), "white")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    image.save(buffer, format="JPEG", exif=exif)
    app = start(holder, "D02")
    stored = services.material_upload(
        actor=holder,
        application=app,
        material_code="photo",
        upload=SimpleUploadedFile("p.jpg", buffer.getvalue()),
    )
    assert b"SecretCam" not in stored.file.read()


def test_pdf_with_javascript_is_refused(holder):
    app = start(holder, "D02")
    bad = SimpleUploadedFile(
        "c.pdf",
        build_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>", catalog_extra=b"/OpenAction 4 0 R"),
    )
    with pytest.raises(ValidationError):
        services.material_upload(
            actor=holder, application=app, material_code="medical", upload=bad, issued_on=None
        )
    assert Application.objects.get().files.count() == 0
