"""Issue 15 finding 2: a notice is in its reader's language, whoever acted. A Chinese-speaking
officer completes an English-reading citizen's renewal: the citizen's message names the
business and the result in English (they were the officer's Chinese words before)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from vmo.applications import services
from vmo.notices.choices import Channel
from vmo.notices.models import Message, Preference

from .conftest import start
from .helpers import fill, submit_paid

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")


def test_the_citizen_reads_the_officers_decision_in_english(holder, clerk, reviewer):
    Preference.objects.create(user=holder, language="en")
    app = start(holder, "D02")
    fill(holder, app)
    app = submit_paid(holder, app)
    with translation.override("zh-hans"):  # the officers work in Chinese
        services.application_pass_check(actor=clerk, application=app)
        services.application_approve(actor=reviewer, application=app)
        services.application_complete(actor=reviewer, application=app)
    done = Message.objects.get(user=holder, kind="applications.completed", channel=Channel.IN_APP)
    assert done.language == "en"
    assert "the licence is renewed" in done.body, done.body
    assert not HAN.search(done.subject + done.body), (done.subject, done.body)
    for message in Message.objects.filter(user=holder, channel=Channel.IN_APP):
        assert not HAN.search(message.subject + message.body), (message.kind, message.body)


def test_a_chinese_reader_still_reads_chinese_after_an_english_officer(holder, clerk, reviewer):
    app = start(holder, "D02")
    fill(holder, app)
    app = submit_paid(holder, app)
    with translation.override("en"):
        services.application_pass_check(actor=clerk, application=app)
        services.application_approve(actor=reviewer, application=app)
        services.application_complete(actor=reviewer, application=app)
    done = Message.objects.get(user=holder, kind="applications.completed", channel=Channel.IN_APP)
    assert "驾驶证" in done.body and "renewed" not in done.body, done.body
