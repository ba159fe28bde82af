"""Issue 15 finding 14 on the officers' side: an English-reading officer's application page and
queue show Chinese only inside lang="zh-Hans" (the applicant's and officers' names, addresses,
legal titles, the legal term 一次性告知), and each legal basis with its English title too."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OfficerFactory
from tests.htmlhan import stray_han
from tests.office.conftest import sign_in_verified

from .conftest import verified
from .workbench_helpers import renewal_holder, submitted_renewal

pytestmark = pytest.mark.django_db


def test_the_helper_finds_unmarked_han():
    assert stray_han('<p>王<span lang="zh-Hans">李</span></p><div lang="zh">张</div><b>赵</b>') == [
        "p: 王",
        "b: 赵",
    ]


def test_english_application_page_marks_every_chinese_text():
    citizen = renewal_holder()
    citizen.person.name = "马建国"
    citizen.person.save(update_fields=["name"])
    application = submitted_renewal(citizen)
    clerk = verified(OfficerFactory(role="clerk", first_name="李娜"))
    client = sign_in_verified(Client(), clerk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post(reverse("applications_office:claim", args=[application.reference]))
    for url in (
        reverse("applications_office:detail", args=[application.reference]),
        reverse("applications_office:detail", args=[application.reference]) + "?show=personal",
        reverse("applications_office:queue", args=["check"]),
    ):
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert stray_han(main) == [], (url, stray_han(main))
    page = client.get(reverse("applications_office:detail", args=[application.reference]))
    body = page.content.decode()
    assert '<span lang="zh-Hans">马建国</span>' in body
    # The legal basis: the Chinese title marked, its English title beside it.
    assert '<span lang="zh-Hans">《机动车驾驶证申领和使用规定》' in body
    assert "Arts" in body or "Art." in body


def test_a_conditions_text_with_values_is_translated_when_shown():
    """It was formatted when the module was imported, so it stayed in Chinese on English pages."""
    from django.utils import translation

    from vmo.catalog.conditions import defer_limit

    condition = defer_limit("x", "valid_to", 36, None)  # type: ignore[arg-type]
    with translation.override("en"):
        assert str(condition.text).startswith("The new date is after the present due date")
        assert "36 months" in str(condition.problem)
    with translation.override("zh-hans"):
        assert str(condition.text) == "新日期晚于现到期日，且不超过其后36个月。"
