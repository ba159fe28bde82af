"""Online identity verification through Tencent Cloud FaceID: the SDK against a local server
that checks TC3 signatures. The result is asked of the provider (never taken from the browser's
return), arrives asynchronously, and its failure is shown to the person in their language."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.accounts.test_identity import _person, _signed_up
from vmo.accounts.models import IdentityCheck
from vmo.accounts.services.identity import identity_checks_poll
from vmo.accounts.verification.faceid import reason_for
from vmo.core import clock
from vmo.core.selectors import events_for

from .faceid_server import FaceIdServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def faceid(settings):
    with FaceIdServer() as server:
        settings.VMO_IDENTITY_VERIFIER = "faceid"
        settings.VMO_IDENTITY_FACEID = {
            "secret_id": server.secret_id,
            "secret_key": server.secret_key,
            "rule_id": server.rule_id,
            "region": "ap-guangzhou",
            "endpoint": server.endpoint,
            "scheme": "http",
            "timeout": 1,
        }
        yield server


def _start(client, server):
    response = client.post(reverse("accounts:identity"))
    assert response.status_code == 302
    token = response.url.rsplit("/", 1)[-1]
    assert response.url == f"https://faceid.example/h5/{token}"
    return token, IdentityCheck.objects.get(provider_ref=token)


def test_the_person_goes_to_tencents_page_and_the_result_is_asked_with_the_biztoken(client, faceid):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    token, check = _start(client, faceid)
    assert faceid.refused == []
    action, sent = faceid.requests[0]
    assert action == "DetectAuth"
    assert (sent["RuleId"], sent["IdCard"], sent["Name"]) == ("1", person.id_number, "王芳")
    assert sent["RedirectUrl"].endswith(reverse("accounts:identity"))
    assert sent["Extra"] == check.reference
    # Back on our page before Tencent has a result: still waiting, nothing linked.
    page = client.get(reverse("accounts:identity"))
    assert page.status_code == 200
    assert faceid.requests[-1][0] == "GetDetectInfoEnhanced"
    assert faceid.requests[-1][1]["BizToken"] == token
    check.refresh_from_db()
    assert check.status == "pending"
    # The person finishes; coming back asks again and links the records.
    faceid.finish(token, 0)
    page = client.get(reverse("accounts:identity"))
    check.refresh_from_db()
    user.refresh_from_db()
    assert check.status == "passed" and user.person == person
    assert user.identity_claim.method == "online"
    assert "account.identity_verified" in [e.action for e in events_for(user)]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "The face did not match the photo"), ("zh-hans", "人脸与身份证档案照片不一致")],
)
def test_a_failure_is_shown_to_the_person_in_their_language(client, faceid, language, words):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    token, check = _start(client, faceid)
    faceid.finish(token, 3004, "人脸比对未通过")
    client.cookies["django_language"] = language
    page = client.get(reverse("accounts:identity"), HTTP_ACCEPT_LANGUAGE=language)
    assert words in page.content.decode()
    check.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "face_mismatch")
    assert "3004" in check.detail  # the provider's own code, kept for the officers
    user.refresh_from_db()
    assert user.person is None


def test_the_result_arrives_by_the_periodic_ask_when_the_person_never_returns(client, faceid):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    token, _check = _start(client, faceid)
    assert identity_checks_poll() == 0  # not finished yet
    faceid.finish(token, 0)
    assert identity_checks_poll() == 1
    user.refresh_from_db()
    assert user.person == person
    assert identity_checks_poll() == 0  # asked once, applied once


def test_an_unfinished_check_expires(client, faceid):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    _token, check = _start(client, faceid)
    with time_machine.travel(clock.now() + timedelta(hours=3)):
        assert identity_checks_poll() == 1
    check.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "expired")


def test_a_result_for_another_id_number_links_nothing(client, faceid):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    token, check = _start(client, faceid)
    faceid.finish(token, 0, id_card="110101199003074514")
    client.get(reverse("accounts:identity"))
    check.refresh_from_db()
    user.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "id_changed") and user.person is None


@pytest.mark.parametrize("answer", ["500", "sleep", "api:InternalError", "api:AuthFailure"])
def test_a_provider_that_does_not_answer_the_start_is_recorded_and_the_person_told(
    client, faceid, answer
):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    faceid.answers = [answer]
    page = client.post(reverse("accounts:identity"), follow=True)
    assert page.status_code == 200
    assert "did not answer" in page.content.decode() or "未响应" in page.content.decode()
    check = IdentityCheck.objects.get()
    assert (check.status, check.reason) == ("failed", "unavailable")


def test_a_provider_fault_while_asking_leaves_the_check_pending(client, faceid):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    token, check = _start(client, faceid)
    faceid.finish(token, 0)
    faceid.answers = ["500", "ok"]
    assert identity_checks_poll() == 0
    check.refresh_from_db()
    assert check.status == "pending"
    assert identity_checks_poll() == 1  # the next ask gets it


def test_a_wrong_secret_key_is_refused_by_the_server(client, faceid, settings):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    settings.VMO_IDENTITY_FACEID = settings.VMO_IDENTITY_FACEID | {"secret_key": "not-the-key"}
    client.post(reverse("accounts:identity"))
    assert faceid.refused == ["AuthFailure.SignatureFailure"]
    assert IdentityCheck.objects.get().reason == "unavailable"


def test_a_page_origin_the_csp_does_not_allow_is_reported(client, faceid, settings, caplog):
    """The browser would refuse the redirect to Tencent's page (CSP form-action): the log says
    which origin VMO_FACEID_PAGE_ORIGINS lacks; an allowed one logs nothing."""
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    origins = {"page_origins": ["https://faceid.example"]}
    settings.VMO_IDENTITY_FACEID = settings.VMO_IDENTITY_FACEID | origins
    _start(client, faceid)
    assert "not in VMO_FACEID_PAGE_ORIGINS" not in caplog.text
    IdentityCheck.objects.all().delete()
    settings.VMO_IDENTITY_FACEID = settings.VMO_IDENTITY_FACEID | {"page_origins": []}
    _start(client, faceid)
    assert "https://faceid.example is not in VMO_FACEID_PAGE_ORIGINS" in caplog.text


def test_a_forged_callback_to_the_faceid_route_changes_nothing(client, faceid):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    _token, check = _start(client, faceid)
    url = reverse("accounts:identity_callback", args=["faceid"])
    body = f'{{"reference": "{check.reference}", "result": "pass"}}'
    assert client.post(url, body, content_type="application/json").status_code == 400
    check.refresh_from_db()
    assert check.status == "pending"


def test_error_code_families():
    assert reason_for(15) == "expired"
    assert reason_for(1003) == "photo_unclear"
    assert reason_for(2004) == "id_card_invalid"
    assert reason_for(3004) == "face_mismatch"
    assert reason_for(3005) == "name_mismatch"


def test_the_counter_shows_the_officer_why_the_online_check_failed(client, faceid):
    from django.test import Client

    from tests.factories import OfficerFactory
    from tests.office.conftest import sign_in_verified

    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    token, _check = _start(client, faceid)
    faceid.finish(token, 3004, "人脸比对未通过")
    identity_checks_poll()
    officer_client = sign_in_verified(Client(), OfficerFactory(role="clerk"))
    officer_client.cookies["django_language"] = "en"
    url = reverse("accounts_office:identity")
    page = officer_client.get(url, {"id_number": person.id_number}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "The face did not match the photo" in text and "3004" in text
    # The officer, with the ID card in hand, still links the account at the counter.
    officer_client.post(url, {"id_number": person.id_number, "claim": user.identity_claim.pk})
    user.refresh_from_db()
    assert user.person == person
