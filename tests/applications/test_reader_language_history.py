"""Issue 15 findings 2 and 8, on read: the history keeps who acted as data (an officer's name
and role code, "citizen", or nobody for the system), and the words are said when read, in the
reader's language. An officer acting in Chinese, a citizen reading in English: no Chinese
outside elements marked lang="zh-Hans" (the officer's name); and the other way round."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.applications import services
from vmo.core.models import Event
from vmo.core.selectors import events_for
from vmo.notices.models import Preference

from .conftest import verified
from .workbench_helpers import renewal_holder, submitted_renewal

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff08\uff09\uff0c\uff1a\uff1b]")
MARKED = re.compile(r"<(\w+)[^>]*\blang=\"zh-Hans\"[^>]*>.*?</\1>", re.S | re.I)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _unmarked_chinese(html: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", MARKED.sub(" ", html))
    return sorted({m.group(0) for m in HAN.finditer(text)})


def _officer(role: str, name: str):
    return verified(OfficerFactory(role=role, first_name=name))


@pytest.fixture
def acted():
    """A renewal the clerk 李娜 looked at and checked, and the reviewer 马永福 approved,
    both working in Chinese; the applicant reads English."""
    clerk, reviewer = _officer("clerk", "李娜"), _officer("reviewer", "马永福")
    applicant = renewal_holder()
    Preference.objects.create(user=applicant, language="en")
    application = submitted_renewal(applicant)
    sign_in_verified(Client(), clerk).get(f"/office/applications/{application.reference}/", **ZH)
    with translation.override("zh-hans"):
        services.application_pass_check(actor=clerk, application=application)
        services.application_approve(actor=reviewer, application=application)
    return application, clerk, reviewer


def test_events_store_who_as_data_not_words(acted):
    application, clerk, _reviewer = acted
    rows = {e.action: (e.actor_id, e.actor_label, e.actor_role) for e in events_for(application)}
    assert rows["application.check"] == (clerk.pk, "李娜", "clerk")
    assert rows["application.accept"] == (None, "system", "")
    assert rows["application.submit"][1:] == ("", "citizen")  # no internal username


def test_the_citizen_reads_english_after_chinese_officers(acted):
    application, _clerk, _reviewer = acted
    client = Client()
    client.force_login(application.applicant)
    for url in (
        f"/applications/{application.reference}/",
        "/me/messages/",
        "/me/data-access/",
    ):
        main = _main(client.get(url, **EN).content.decode())
        assert _unmarked_chinese(main) == [], url
    data_access = _main(client.get("/me/data-access/", **EN).content.decode())
    assert '<span lang="zh-Hans">李娜</span> (clerk)' in data_access
    assert "application file in the officers" in data_access
    timeline = _main(client.get(f"/applications/{application.reference}/", **EN).content.decode())
    assert "(You)" in timeline and "(The office)" in timeline and "(The system)" in timeline


def test_officers_read_the_history_in_their_own_language(acted):
    application, _clerk, reviewer = acted
    client = sign_in_verified(Client(), verified(OfficerFactory(role="supervisor")))
    url = f"/office/applications/{application.reference}/"
    english = _main(client.get(url, **EN).content.decode())
    history = english[english.index('id="history') :]
    assert '<span lang="zh-Hans">李娜</span> (clerk)' in history
    assert '<span lang="zh-Hans">马永福</span> (reviewer)' in history
    assert "the applicant" in history and "the system" in history
    assert _unmarked_chinese(history) == []
    chinese = _main(client.get(url, **ZH).content.decode())
    history = chinese[chinese.index('id="history') :]
    assert '<span lang="zh-Hans">李娜</span>（受理员）' in history
    assert "(clerk)" not in history and "(reviewer)" not in history


def test_rows_written_before_the_role_was_kept_are_said_again(acted):
    """An old row says "马永福 (reviewer)" (the English label of its day) or an internal
    username: read in Chinese, the role is in Chinese, the username never shown."""
    application, _clerk, reviewer = acted
    for label in ("马永福 (reviewer)", "c2"):
        Event.objects.create(
            occurred_at=events_for(application).last().occurred_at,
            actor_id=reviewer.pk if "(" in label else application.applicant_id + 1000,
            actor_label=label,
            subject_type="applications.application",
            subject_id=str(application.pk),
            action="application.release",
        )
    client = sign_in_verified(Client(), verified(OfficerFactory(role="supervisor")))
    page = client.get(f"/office/applications/{application.reference}/", **ZH).content.decode()
    history = _main(page)[_main(page).index('id="history') :]
    assert '<span lang="zh-Hans">马永福</span>（审核员）' in history
    assert "(reviewer)" not in history and "c2" not in history and "群众" in history
