"""Every kind that sends SMS has its own template entry, and the sign-up SMS for a number that
already has an account goes out under its own template (it has no code to send)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import CitizenFactory, make_id_number
from vmo.accounts import services as accounts
from vmo.notices import delivery, kinds
from vmo.notices.models import Attempt, Message
from vmo.notices.sms_providers import template_problems

from .tencent_server import TencentSmsServer


def test_every_kind_that_sends_sms_is_in_the_catalogue_with_its_texts_parameters():
    catalogue = kinds.sms_template_catalogue()
    sms_kinds = {k.code for k in kinds.all_kinds() if k.sms and "sms" in k.channels}
    assert sms_kinds <= set(catalogue)
    # The one-time codes, each with its own entry: the "already has an account" text is not
    # the code's (it used to share code.signup's template and fail for want of a code).
    assert catalogue["code.signup"]["params"] == ("code",)
    assert catalogue["code.signup_taken"]["params"] == ()
    assert catalogue["checks.code_used"]["params"] == ("time",)
    assert catalogue["violation.binding_code"]["params"] == ("name", "plate", "code")
    # %(points)d counts too, not only %(x)s.
    assert catalogue["warnings.driver_points"]["params"] == ("points",)


def test_the_json_skeleton_has_one_entry_per_kind(capsys):
    call_command("sms_templates", "--json")
    skeleton = json.loads(capsys.readouterr().out)
    assert set(skeleton) == set(kinds.sms_template_catalogue())
    assert skeleton["checks.code_used"] == {"template": "", "params": ["time"]}


def _complete_map() -> dict[str, dict[str, object]]:
    return {
        code: {"template": str(100000 + n), "params": list(entry["params"])}
        for n, (code, entry) in enumerate(kinds.sms_template_catalogue().items())
    }


def test_the_check_names_missing_unknown_and_shared_templates(settings, capsys):
    templates = _complete_map()
    assert template_problems(templates) == []
    templates.pop("checks.code_used")
    templates["code.signup"]["params"] = ["code", "plate"]
    templates["code.signup_taken"] = {"template": templates["code.password_reset"]["template"]}
    problems = template_problems(templates)
    assert "checks.code_used: no approved template" in problems
    assert "code.signup: the kind has no parameter plate" in problems
    assert any("shared by code.password_reset, code.signup_taken" in p for p in problems)
    settings.VMO_SMS_TEMPLATES = templates
    with pytest.raises(CommandError):
        call_command("sms_templates", "--check")


@pytest.mark.django_db
def test_a_taken_number_gets_its_own_template_under_tencent(settings):
    with TencentSmsServer() as server:
        settings.VMO_SMS_BACKEND = "tencent"
        settings.VMO_SMS_TEMPLATES = _complete_map()
        settings.VMO_SMS_SIGN_NAME = "昌吉车管所"
        settings.VMO_SMS_TENCENT_SECRET_ID = server.secret_id
        settings.VMO_SMS_TENCENT_SECRET_KEY = server.secret_key
        settings.VMO_SMS_TENCENT_SDK_APP_ID = "1400000001"
        settings.VMO_SMS_TENCENT_ENDPOINT = server.endpoint
        settings.VMO_SMS_TENCENT_SCHEME = "http"
        citizen = CitizenFactory()
        accounts.signup_start(name="张伟", id_number=make_id_number(8), phone=citizen.person.phone)
        message = Message.objects.get(channel="sms")
        assert message.kind == "code.signup_taken"
        message = delivery.message_deliver(message_id=message.pk)
        assert message is not None and message.status == "sent"
        assert Attempt.objects.get(message=message).outcome == "sent"
        [sent] = server.requests
        assert sent["TemplateId"] == settings.VMO_SMS_TEMPLATES["code.signup_taken"]["template"]
        assert sent["TemplateParamSet"] == []
