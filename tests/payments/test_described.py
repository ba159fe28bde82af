"""An order's description is read in its reader's language (issue 15): it is kept as its
message id and values, the gateway is sent it in the office's language, and an order made
before it was kept reads as stored."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from vmo.catalog.businesses import BUSINESSES
from vmo.core.phrases import phrase
from vmo.payments import services
from vmo.payments.gateways.sandbox import checkout_pay
from vmo.payments.models import PaymentOrder, SandboxCheckout

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


def _fee_order(payer):
    return services.order_create(
        payer=payer,
        purpose="test.fee",
        subject_type="tests.application",
        subject_id="7",
        amount_fen=1000,
        description=phrase(gettext_noop("Fee for %(business)s (%(reference)s)"))
        % {"business": BUSINESSES["D02"].name, "reference": "SQ2026120400007"},
    )


def _page(client, order, language):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client.get(reverse("payments:order_detail", args=[order.reference])).content.decode()


def _title(html):
    return re.search(r'<h2 id="order-title">(.*?)</h2>', html, re.S).group(1)


def test_each_reader_reads_the_description_in_their_language(payer, payer_client):
    order = _fee_order(payer)  # made while the payer reads English (the conftest)
    english = _title(_page(payer_client, order, "en"))
    assert english == "Fee for Renewal of a driving licence (SQ2026120400007)"
    with translation.override("zh-hans"):
        name = str(BUSINESSES["D02"].name)
    assert HAN.search(name)
    chinese = _title(_page(payer_client, order, "zh-hans"))
    assert chinese == f"{name}申请费用（SQ2026120400007）"
    # The gateway is sent the office's language, whoever made the order.
    assert HAN.search(order.description) and "SQ2026120400007" in order.description


def test_a_fine_order_made_by_an_english_reader_reads_chinese_to_a_chinese_one(payer):
    order = services.order_create(
        payer=payer,
        purpose="test.fine",
        subject_type="tests.fine",
        subject_id="9",
        amount_fen=20000,
        description=phrase(gettext_noop("Traffic fine, decision %(number)s"))
        % {"number": "6523010000001"},
    )
    assert order.description == "交通违法罚款，决定书编号6523010000001"
    order = PaymentOrder.objects.get(pk=order.pk)
    with translation.override("en"):
        assert order.shown_description == "Traffic fine, decision 6523010000001"
    with translation.override("zh-hans"):
        assert order.shown_description == "交通违法罚款，决定书编号6523010000001"


def test_an_order_made_before_reads_as_stored(payer, payer_client):
    order = _fee_order(payer)
    PaymentOrder.objects.filter(pk=order.pk).update(
        description="期满换证 SQ2026120400007", description_values=""
    )
    assert _title(_page(payer_client, order, "en")) == "期满换证 SQ2026120400007"


def test_the_english_receipt_says_what_was_paid_for_in_english(payer, payer_client, committing):
    order = _fee_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    with committing():
        checkout_pay(token=SandboxCheckout.objects.get().token)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    payer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    pdf = payer_client.get(reverse("payments:order_receipt", args=[order.reference])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    said = " ".join(text.stdout.decode().split())
    assert "Paid for: Fee for" in said and "(SQ2026120400007)" in said
    assert "期满换证" not in said
