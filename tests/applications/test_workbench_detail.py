"""One application in the workbench: what the officer sees, what is logged, each action
through its form, and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.applications import services
from vmo.applications.models import Application, CorrectionItem
from vmo.core.models import DataAccess
from vmo.notices.models import Message

from .conftest import pdf, verified
from .workbench_helpers import checked_renewal, submitted_renewal

pytestmark = pytest.mark.django_db


def _client(officer) -> Client:
    return sign_in_verified(Client(), officer)


def _url(name, application, *args):
    return reverse(f"applications_office:{name}", args=[application.reference, *args])


def test_page_shows_records_materials_checks_and_logs_the_view(clerk):
    application = submitted_renewal()
    person = application.person
    client = _client(clerk)
    response = client.get(_url("detail", application))
    assert response.status_code == 200
    body = response.content.decode()
    # The licence beside the materials, the photo inline from the applicant-side file view.
    assert "C1" in body and "2026-12-24" in body
    photo = application.files.get(material="photo")
    assert (
        f'<img class="wb-image" src="/applications/{application.reference}/files/{photo.pk}/"'
        in body
    )
    # The applicant-side file view lets the officer in: the image really shows.
    served = client.get(f"/applications/{application.reference}/files/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert body.count("status status-ok") >= 4  # four conditions of a renewal pass
    assert "status status-bad" not in body.split('id="checks-title"')[1].split("</table>")[0]
    # Masked ID number until asked; the view is logged for the person to see.
    assert person.id_number not in body
    log = DataAccess.objects.filter(person_id=person.pk).order_by("pk").first()
    assert log.officer_id == clerk.pk and log.screen == "office.application"
    assert application.reference in log.purpose


def test_showing_personal_details_is_logged_separately(clerk):
    application = submitted_renewal()
    client = _client(clerk)
    client.get(_url("detail", application))
    body = client.get(_url("detail", application), {"show": "personal"}).content.decode()
    assert application.person.id_number in body
    rows = list(DataAccess.objects.order_by("pk").values_list("screen", "purpose"))
    # Stored as data (the screen's code, the reference), said in the reader's language.
    assert rows == [
        ("office.application", application.reference),
        ("office.application.full", application.reference),
    ]


def test_a_failing_material_shows_as_failed(clerk):
    application = submitted_renewal()
    # The medical certificate is now seven months old: the check fails.
    application.files.filter(material="medical").update(issued_on=date(2026, 4, 1))
    body = _client(clerk).get(_url("detail", application)).content.decode()
    checks = body.split('id="checks-title"')[1].split("</table>")[0]
    assert checks.count("status status-bad") == 1
    assert "6" in checks  # "within the last 6 months"


def test_second_officer_cannot_claim_and_is_told_who_has_it(clerk):
    application = submitted_renewal()
    other = OfficerFactory(role="clerk", first_name="Wang", last_name="")
    first = _client(other)
    assert first.post(_url("claim", application)).status_code == 302
    second = _client(clerk)
    response = second.post(_url("claim", application), follow=True)
    body = response.content.decode()
    assert "is working on this application" in body and "Wang" in body
    assert Application.objects.get(pk=application.pk).claimed_by_id == other.pk
    # The action buttons are gone for the second officer.
    assert _url("check", application) not in body


def test_clerk_passes_check_reviewer_approves_and_completes(clerk, reviewer):
    application = submitted_renewal()
    assert _client(clerk).post(_url("check", application)).status_code == 302
    reviewer_client = _client(reviewer)
    page = reviewer_client.get(_url("detail", application)).content.decode()
    assert _url("approve", application) in page
    # The workbench's button asks for confirmation first (issue 15 finding 15): nothing yet.
    confirm = reviewer_client.post(_url("approve", application), HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"Approve {application.reference}?" in text and 'name="confirm" value="yes"' in text
    assert Application.objects.get(pk=application.pk).status == "review"
    reviewer_client.post(_url("approve", application), {"confirm": "yes"})
    assert Application.objects.get(pk=application.pk).status == "approved"
    reviewer_client.post(_url("complete", application))
    application.refresh_from_db()
    assert application.status == "completed" and application.decided_by_id == reviewer.pk


def test_clerk_cannot_approve_refuse_or_complete(clerk):
    application = checked_renewal(verified(OfficerFactory(role="clerk")))
    client = _client(clerk)
    for name in ("approve", "complete", "refuse"):
        assert client.post(_url(name, application)).status_code == 403
    assert client.post(_url("approve", application), {"confirm": "yes"}).status_code == 403
    assert Application.objects.get(pk=application.pk).status == "review"
    assert (
        _url("approve", application) not in client.get(_url("detail", application)).content.decode()
    )


def test_citizen_cannot_open_or_act():
    application = submitted_renewal()
    client = Client()
    client.force_login(application.applicant)
    response = client.get(_url("detail", application))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(_url("claim", application)).status_code == 302
    assert Application.objects.get(pk=application.pk).claimed_by_id is None


def test_unknown_reference_is_404(clerk):
    assert _client(clerk).get("/office/applications/SQNOPE/").status_code == 404


def _row_numbers(response) -> dict[str, int]:
    form = response.context["correction_form"]
    return {row.item: row.n for row in form.rows}


def test_correction_form_sends_all_items_in_one_notice(clerk):
    application = submitted_renewal()
    client = _client(clerk)
    rows = _row_numbers(client.get(_url("detail", application)))
    n_photo, n_medical = rows["material:photo"], rows["material:medical"]
    response = client.post(
        _url("correct", application),
        {
            f"c{n_photo}_pick": "on",
            f"c{n_photo}_message": "照片背景不是白色",
            f"c{n_photo}_basis": "《机动车驾驶证申领和使用规定》第六十三条",
            f"c{n_medical}_pick": "on",
            f"c{n_medical}_message": "体检证明看不清",
            f"c{n_medical}_basis": "",
            "o1_message": "请补充联系电话",
            "o1_basis": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    items = list(CorrectionItem.objects.filter(application=application, round=1))
    assert {i.item for i in items} == {"material:photo", "material:medical", "other:r1n1"}
    notices = Message.objects.filter(user=application.applicant, kind="applications.correction")
    assert notices.filter(channel="inapp").count() == 1
    assert "照片背景不是白色" in notices.get(channel="inapp").body
    application.refresh_from_db()
    assert application.status == "correction"


def test_correction_form_lists_every_problem_and_changes_nothing(clerk):
    application = submitted_renewal()
    client = _client(clerk)
    rows = _row_numbers(client.get(_url("detail", application)))
    response = client.post(_url("correct", application), {f"c{rows['material:photo']}_pick": "on"})
    assert response.status_code == 422
    assert "Say what is wrong with" in response.content.decode()
    response = client.post(_url("correct", application), {})
    assert "Choose or write at least one thing to correct." in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_repeat_reason_is_asked_for_an_unchanged_item(clerk):
    application = submitted_renewal()
    holder = application.applicant
    services.application_request_correction(
        actor=clerk,
        application=application,
        items=[{"item": "material:photo", "message": "照片模糊", "basis": ""}],
    )
    # The applicant uploads a new medical certificate but keeps the same photo.
    services.material_upload(
        actor=holder,
        application=application,
        material_code="medical",
        upload=pdf(),
        issued_on=date(2026, 11, 20),
    )
    application = services.application_submit(actor=holder, application=application)
    assert application.status == "resubmitted"
    client = _client(clerk)
    response = client.get(_url("detail", application))
    body = response.content.decode()
    assert "asked in round 1, unchanged" in body
    n = _row_numbers(response)["material:photo"]
    assert f'name="c{n}_repeat"' in body
    post = {f"c{n}_pick": "on", f"c{n}_message": "照片仍然模糊", f"c{n}_basis": ""}
    response = client.post(_url("correct", application), post)
    assert response.status_code == 422
    assert "give the reason for asking again" in response.content.decode()
    assert CorrectionItem.objects.filter(application=application).count() == 1
    post[f"c{n}_repeat"] = "新照片未上传，原照片仍不清晰"
    assert client.post(_url("correct", application), post).status_code == 302
    repeat = CorrectionItem.objects.get(application=application, round=2)
    assert repeat.repeat_reason == "新照片未上传，原照片仍不清晰"


def test_refusal_with_chosen_basis_creates_the_letter(clerk, reviewer):
    application = checked_renewal(clerk)
    client = _client(reviewer)
    form = client.get(_url("detail", application)).context["refusal_form"]
    basis = form.fields["r1_basis"].choices[1][0]
    assert basis.startswith("《机动车驾驶证申领和使用规定》")
    response = client.post(
        _url("refuse", application),
        {"r1_reason": "", "r1_basis": basis, "r2_reason": "照片与本人不符", "r2_basis": ""},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Give at least one reason." in body and "Reason 2 needs its legal basis." in body
    response = client.post(
        _url("refuse", application),
        {
            "r1_reason": "照片与本人不符",
            "r1_basis": basis,
            "r2_reason": "体检证明系伪造",
            "r2_basis_typed": "《中华人民共和国道路交通安全法》第九十六条",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "refused"
    assert [r.basis for r in application.refusal_reasons.all()] == [
        basis,
        "《中华人民共和国道路交通安全法》第九十六条",
    ]
    letter = application.documents.get()
    # The officer reads it through the one permission-checked download of the engine.
    download = client.get(reverse("applications:document", args=[application.reference, letter.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_counter_handling_needs_a_reason(clerk):
    application = submitted_renewal()
    client = _client(clerk)
    response = client.post(_url("counter", application), {"reason": ""})
    assert response.status_code == 422
    assert "Give the reason for counter handling." in response.content.decode()
    client.post(_url("counter", application), {"reason": "照片与身份证照片不一致"})
    application.refresh_from_db()
    assert application.counter_reason == "照片与身份证照片不一致"
    assert Message.objects.filter(kind="applications.counter").exists()


def test_delivery_ready_then_collected(clerk, reviewer):
    application = checked_renewal(clerk)
    services.application_approve(actor=reviewer, application=application)
    services.application_complete(actor=reviewer, application=application)
    client = _client(clerk)
    body = client.get(_url("detail", application)).content.decode()
    assert _url("delivery", application) in body
    assert client.post(_url("delivery", application), {"status": "mailed"}).status_code == 422
    assert client.post(_url("delivery", application), {"status": "ready"}).status_code == 302
    client.post(_url("delivery", application), {"status": "collected"})
    assert application.delivery.__class__.objects.get(application=application).status == "collected"


def test_detail_queries_are_bounded(clerk, django_assert_max_num_queries):
    application = submitted_renewal()
    client = _client(clerk)
    with django_assert_max_num_queries(25):
        assert client.get(_url("detail", application)).status_code == 200


def test_anyone_else_is_refused():
    application = submitted_renewal()
    client = _client(OfficerFactory(role="editor"))
    assert client.get(_url("detail", application)).status_code == 403
    citizen = Client()
    citizen.force_login(CitizenFactory())
    assert citizen.get(_url("detail", application)).status_code == 302
