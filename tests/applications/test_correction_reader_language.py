"""Issue 15 finding 2, corrections and refusals: what the office asks or decides reaches the
applicant in the applicant's language, whoever acted. A correction in the engine's own words
(the form offers them for an item that fails now) is kept as their message id and values and
read in its reader's language; an officer's typed words stay as typed. A refusal's reasons stay
as typed, but the brackets around the legal basis and a basis the business cites are said in
the reader's language (they were the officer's words and ASCII or Chinese brackets for all)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from vmo.applications import services
from vmo.applications.checks import all_problems
from vmo.applications.models import CorrectionItem
from vmo.notices.models import Message
from vmo.notices.selectors import shown

from .conftest import start
from .helpers import run
from .workbench_helpers import fill_renewal, pay

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _renewal_with_a_medical_certificate_about_to_age(holder):
    application = start(holder, "D02")
    fill_renewal(holder, application, medical_on=date(2026, 5, 25))
    application = services.application_submit(actor=holder, application=application)
    return pay(holder, application)


def test_an_english_clerks_correction_in_the_engines_words_reads_in_chinese(holder, clerk, client):
    application = _renewal_with_a_medical_certificate_about_to_age(holder)
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False), translation.override("en"):
        (aged,) = all_problems(application)  # the certificate is now older than six months
        offered = str(aged.message)  # what the clerk's form shows, in English
        assert offered == "Physical-condition certificate must be dated within the last 6 months."
        services.application_request_correction(
            actor=clerk,
            application=application,
            items=[
                {"item": aged.item, "message": offered, "basis": aged.basis},
                {"item": "other:r1n1", "message": "Bring the original too.", "basis": ""},
            ],
        )
    message = Message.objects.get(user=holder, kind="applications.correction", channel="inapp")
    chinese = shown(message, "zh-hans").body
    assert "1. 身体条件证明须为近6个月内出具。" in chinese, chinese
    assert "2. Bring the original too." in chinese  # typed words stay as typed
    assert "must be dated" not in message.body  # sent in the reader's language too
    sms = Message.objects.get(user=holder, kind="applications.correction", channel="sms")
    assert HAN.search(sms.body)
    english = shown(message, "en").body
    assert "1. Physical-condition certificate must be dated within the last 6 months." in english

    item = CorrectionItem.objects.get(application=application, item=aged.item)
    with translation.override("zh-hans"):
        assert item.text == "身体条件证明须为近6个月内出具。"
    client.force_login(holder)
    url = reverse("applications:detail", args=[application.reference])
    page = _main(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "身体条件证明须为近6个月内出具" in page and "must be dated" not in page
    page = _main(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Physical-condition certificate must be dated within the last 6 months." in page


def test_a_typed_correction_is_kept_as_typed():
    item = CorrectionItem(message="照片背景不是白色", message_values="")
    with translation.override("en"):
        assert item.text == "照片背景不是白色"


def test_a_refusals_fixed_parts_read_in_the_readers_language(holder, reviewer, client):
    application = _renewal_with_a_medical_certificate_about_to_age(holder)
    basis = application.business.legal_basis[0]
    with translation.override("en"):
        services.application_refuse(
            actor=reviewer,
            application=application,
            reasons=[
                {"reason": "The photo is not the holder", "basis": basis.zh},
                {"reason": "Signed by someone else", "basis": "typed basis"},
            ],
        )
    message = Message.objects.get(user=holder, kind="applications.refused", channel="inapp")
    chinese = shown(message, "zh-hans").body
    assert f"1. The photo is not the holder（{basis.zh}）" in chinese, chinese
    assert "2. Signed by someone else（typed basis）" in chinese
    english = shown(message, "en").body
    assert f"1. The photo is not the holder ({basis.en})" in english, english
    assert not HAN.search(english.replace(application.business.term_zh, "")), english

    client.force_login(holder)
    url = reverse("applications:detail", args=[application.reference])
    page = _main(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert f'<span lang="zh-Hans">{basis.zh}</span> ({basis.en})' in page


def test_an_english_officers_delivery_step_reads_in_chinese(holder, clerk, reviewer):
    # The status is passed as its code's lazy label: a guard that it stays so.
    with translation.override("en"):
        application = run(holder, "D02", clerk, reviewer)
        services.delivery_update(actor=clerk, application=application, status="ready")
    message = Message.objects.get(user=holder, kind="applications.delivery", channel="inapp")
    assert "可以领取" in message.subject and "ready to collect" not in message.body
    assert "ready to collect" in shown(message, "en").subject
