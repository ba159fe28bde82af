"""Issue 15 finding 3: "check your answers" before submission. The page lists everything given
with a Change link to where it is answered, and every problem the engine's own checks find at
once; only a complete application has a submit button, and the applicant's own incomplete
submission is refused there, changing nothing (no 待补正, no SMS, no correction round)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from tests.factories import CitizenFactory
from vmo.applications import services
from vmo.applications.models import Application, CorrectionItem
from vmo.core.selectors import events_for
from vmo.notices.models import Message

from .conftest import pdf, photo, start
from .workbench_helpers import submitted_renewal

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
SUBMIT_FORM = re.compile(r'<form method="post" action="/applications/[^/]+/submit/"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _complete(user, app):
    services.material_upload(actor=user, application=app, material_code="photo", upload=photo())
    services.material_upload(
        actor=user,
        application=app,
        material_code="medical",
        upload=pdf(),
        issued_on=date(2026, 11, 1),
    )
    services.application_update(actor=user, application=app, data={}, delivery={"method": "pickup"})


def test_the_applications_page_leads_to_the_check_not_to_a_submit_button(holder):
    app = start(holder, "D02")
    text = signed_in(holder).get(f"/applications/{app.reference}/", **EN).content.decode()
    assert f'href="/applications/{app.reference}/check/"' in text
    assert "Check your answers and submit" in text
    assert not SUBMIT_FORM.search(text)


def test_an_empty_draft_lists_every_missing_item_with_where_to_fix_it(holder):
    app = start(holder, "D02")
    client = signed_in(holder)
    text = client.get(f"/applications/{app.reference}/check/", **EN).content.decode()
    detail = f"/applications/{app.reference}/"
    assert "Check your answers before submitting" in text
    begin = text.index('class="error-summary"')
    summary = text[begin : text.index("</div>", begin)]
    assert f'href="{detail}#material-photo"' in summary
    assert f'href="{detail}#material-medical"' in summary
    assert "Correct these 2 items, then check again" in summary
    # Each row of the summary list has its Change link, named for screen readers.
    assert f'<a href="{detail}#material-photo">Change<span class="visually-hidden">' in text
    assert f'<a href="{detail}#delivery">Change' in text
    assert "Not uploaded" in text
    assert not SUBMIT_FORM.search(text)


def test_the_incomplete_submission_is_refused_on_the_page_and_changes_nothing(holder):
    app = start(holder, "D02")
    services.material_upload(actor=holder, application=app, material_code="photo", upload=photo())
    response = signed_in(holder).post(f"/applications/{app.reference}/submit/", **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "The application was not submitted" in text
    assert "Correct this 1 item, then check again" in text
    assert f'href="/applications/{app.reference}/#material-medical"' in text
    app.refresh_from_db()
    assert app.status == "draft" and app.correction_round == 0
    assert not CorrectionItem.objects.exists()
    assert not Message.objects.filter(user=holder).exists()  # no notice, no SMS
    assert not events_for(app).filter(action__in=["application.submit", "application.correction"])


@pytest.mark.parametrize(("lang", "words"), [(EN, "Submit the application"), (ZH, "提交申请")])
def test_a_complete_application_shows_its_answers_and_can_be_sent(holder, lang, words):
    app = start(holder, "D02")
    _complete(holder, app)
    client = signed_in(holder)
    text = client.get(f"/applications/{app.reference}/check/", **lang).content.decode()
    assert 'class="error-summary"' not in text
    assert SUBMIT_FORM.search(text) and words in text
    assert text.count('class="summary-row') == 3  # delivery, photo, certificate
    response = client.post(f"/applications/{app.reference}/submit/", **lang)
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{app.reference}/"
    app.refresh_from_db()
    assert app.status == "submitted" and app.accepted_at is not None
    # Submitted: the check page has nothing left to send and no Change links.
    text = client.get(f"/applications/{app.reference}/check/", **lang).content.decode()
    assert not SUBMIT_FORM.search(text) and ">Change<" not in text


def test_after_the_offices_notice_the_check_page_sends_the_corrections(holder, clerk):
    app = submitted_renewal(holder)
    services.application_request_correction(
        actor=clerk,
        application=app,
        items=[{"item": "material:photo", "message": "The background must be white."}],
    )
    client = signed_in(holder)
    text = client.get(f"/applications/{app.reference}/check/", **EN).content.decode()
    assert "Submit the corrections" in text
    client.post(f"/applications/{app.reference}/submit/", **EN)
    assert Application.objects.get(pk=app.pk).status == "resubmitted"


def test_someone_elses_check_page_is_not_found(holder):
    app = start(holder, "D02")
    client = signed_in(CitizenFactory())
    assert client.get(f"/applications/{app.reference}/check/").status_code == 404
    assert client.post(f"/applications/{app.reference}/submit/").status_code == 404
