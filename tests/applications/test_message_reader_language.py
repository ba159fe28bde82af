"""Issue 15 finding 2, stored messages: an in-app message keeps its kind's values, and is
rendered when read, in the language its reader reads the site in then. Chinese-speaking
officers act on a citizen's renewal; the citizen reads the approval in English, then switches
the site to Chinese and reads the same row in Chinese (page and API). A row written before
values were kept still reads as it was sent."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from tests.factories import CitizenFactory, OfficerFactory
from vmo.applications import services
from vmo.core.phrases import phrase
from vmo.notices import selectors, values
from vmo.notices.models import Message
from vmo.notices.services import inbox_post

from .conftest import verified
from .workbench_helpers import renewal_holder, submitted_renewal

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _approved_by_chinese_officers():
    citizen = renewal_holder()  # no notice preference: the office's default, Chinese
    application = submitted_renewal(citizen)
    clerk = verified(OfficerFactory(role="clerk", first_name="李娜"))
    reviewer = verified(OfficerFactory(role="reviewer", first_name="马永福"))
    with translation.override("zh-hans"):
        services.application_pass_check(actor=clerk, application=application)
        services.application_approve(actor=reviewer, application=application)
    message = Message.objects.get(user=citizen, channel="inapp", kind="applications.approved")
    return citizen, application, message


def test_read_in_english_then_in_chinese_after_switching(client):
    citizen, application, message = _approved_by_chinese_officers()
    ref = application.reference
    # Sent in the citizen's notice language (Chinese), with its values kept as data.
    assert message.subject == f"申请{ref}已核准"
    assert values.decode(message.context, "en")["reference"] == ref

    client.force_login(citizen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("portal_inbox:detail", args=[message.pk])
    english = _main(client.get(url))
    assert f'<h1 lang="en">Application {ref} approved</h1>' in english
    assert "Your application for " in english and f"({ref}) was approved." in english
    assert not HAN.search(english), HAN.findall(english)
    listed = _main(client.get(reverse("portal_inbox:list")))
    assert f'<span lang="en">Application {ref} approved</span>' in listed
    api = client.get(f"/api/v1/me/messages/{message.pk}").json()
    assert api["subject"] == f"Application {ref} approved" and not HAN.search(api["body"])

    # The reader switches the site to Chinese: the same row now reads in Chinese.
    client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    chinese = _main(client.get(url))
    assert f'<h1 lang="zh-hans">申请{ref}已核准</h1>' in chinese
    assert "已核准。" in chinese and "was approved" not in chinese


def test_a_row_without_kept_values_reads_as_it_was_sent(client):
    citizen = CitizenFactory()
    old = inbox_post(user=citizen, kind="applications.approved", subject="旧通知", body="旧正文")
    client.force_login(citizen)
    page = _main(
        client.get(reverse("portal_inbox:detail", args=[old.pk]), HTTP_ACCEPT_LANGUAGE="en")
    )
    # Marked with the language it was written in (none kept: the office's default, Chinese).
    assert '<h1 lang="zh-Hans">旧通知</h1>' in page and "旧正文" in page


def test_values_keep_phrases_labels_dates_and_per_language_contexts():
    with translation.override("zh-hans"):
        result = phrase("the licence is renewed, valid until %(day)s.") % {
            "day": date(2036, 11, 25)
        }
        label = gettext_lazy("Application approved")
        kept = values.encode({"result": result, "label": label, "count": 2})
    assert "the licence is renewed" in kept  # the message id, not the actor's sentence
    english = values.decode(kept, "en")
    with translation.override("en"):
        assert english["result"].again() == "the licence is renewed, valid until 2036-11-25."
    with translation.override("zh-hans"):
        assert english["result"].again() == "驾驶证已换发，有效期至2036-11-25。"
    assert english["label"] == "Application approved" and english["count"] == 2
    assert values.decode(kept, "zh-hans")["label"] == "申请已核准"

    both = values.encode(lambda language: {"offence": "Speeding" if language == "en" else "超速"})
    assert values.decode(both, "en") == {"offence": "Speeding"}
    assert values.decode(both, "zh-hans") == {"offence": "超速"}
    assert values.decode("", "en") is None and values.decode('{"v": 99}', "en") is None


def test_a_kind_whose_texts_no_longer_fit_reads_as_sent():
    citizen = CitizenFactory()
    row = inbox_post(user=citizen, kind="applications.approved", subject="旧", body="正文")
    row.context = values.encode({"unrelated": 1})  # the kind needs reference and business
    assert selectors.shown(row, "en").subject == "旧"
