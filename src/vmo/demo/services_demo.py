"""The demo city's services beyond the records: plate pools, appointment sessions, the study
library, an announcement, publications and a few applications in the officers' queues."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image
from pypdf import PdfWriter

from vmo.accounts.models import User
from vmo.applications import services as applications
from vmo.applications.models import Application
from vmo.appointments.demo import demo_sessions_create
from vmo.bulletins import services as bulletins
from vmo.bulletins.models import Announcement
from vmo.checks import org_selectors, org_services
from vmo.core import clock
from vmo.education.services.content import content_load
from vmo.plates import services as plates
from vmo.plates.pool import demo_pool_load
from vmo.registry.models import DriverLicence
from vmo.registry.validators import uscc_check_char


def _photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (358, 441), (250, 250, 250)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


def _pdf() -> SimpleUploadedFile:
    # A real (blank) PDF: uploads are opened by a PDF parser.
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("proof.pdf", buffer.getvalue())


def _application_in_queue(user: User, code: str, data: dict[str, str]) -> None:
    """One submitted application waiting for a clerk (skipped if the citizen has one)."""
    if Application.objects.filter(applicant=user, business_code=code).exists():
        return
    app = applications.application_start(
        actor=user, business_code=code, idempotency_key=secrets.token_hex(16)
    )
    for material in app.business.materials:
        applications.material_upload(
            actor=user,
            application=app,
            material_code=material.code,
            upload=_pdf() if "pdf" in material.kinds else _photo(),
            issued_on=clock.today() - timedelta(days=10) if material.issued_within_months else None,
        )
    delivery = {"method": "pickup"} if app.business.issues else None
    applications.application_update(actor=user, application=app, data=data, delivery=delivery)
    applications.application_submit(actor=user, application=app)


def _announcement(editor: User, reviewer: User) -> None:
    if Announcement.objects.exists():
        return
    draft = bulletins.announcement_create(
        actor=editor,
        kind="service_hall",
        title="关于车辆管理所业务大厅元旦假期办公时间的公告",
        body=(
            "<p>2027年1月1日（星期五）至1月3日（星期日）业务大厅暂停办公，1月4日起恢复正常。"
            "假期内可通过本平台在线办理驾驶证补换领、期满换证、检验标志申领等业务。</p>"
        ),
    )
    bulletins.announcement_submit(actor=editor, announcement=draft)
    bulletins.announcement_approve(actor=reviewer, announcement=draft)


def _organisations() -> None:
    """Two checking organisations (issue 17), without keys: a key is shown only once, so the
    officer issues one in the workbench when trying the check API."""
    admin = User.objects.filter(username="admin").first()
    if admin is None or org_selectors.organisations().exists():
        return
    for name, kind, body in [
        ("中国平安财产保险股份有限公司昌吉中心支公司", "insurer", "91652300MA78P3K2X"),
        ("昌吉市安达汽车租赁有限公司", "car_rental", "91652301MA7A2B3C4"),
    ]:
        org_services.organisation_register(
            actor=admin, name=name, kind=kind, uscc=body + uscc_check_char(body)
        )


@transaction.atomic
def services_ensure(*, today: date, citizens: list[User], editor: User, reviewer: User) -> None:
    _organisations()
    demo_pool_load()
    plates.seed_commit(day=today)
    plates.seed_commit(day=today + timedelta(days=1))
    demo_sessions_create()
    content_load()
    _announcement(editor, reviewer)
    bulletins.publications_generate(day=today)
    ma, ayi = citizens[0], citizens[1]
    # Renewal deferred a year past the expiry of the licence (R162 Art 75: at most 3 years).
    valid_to = DriverLicence.objects.get(holder__account=ma).valid_to
    assert valid_to is not None  # the demo licence is a 16-year one
    defer_until = valid_to + timedelta(days=365)
    _application_in_queue(
        ma, "D04", {"deferral_reason": "abroad", "defer_until": defer_until.isoformat()}
    )
    _application_in_queue(ayi, "D02", {})
