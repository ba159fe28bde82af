"""pytest fixture: a local Tencent Cloud SMS server, configured as the office's SMS provider
with an approved template for every kind that sends SMS (for journeys that send any)."""

from __future__ import annotations

import pytest

from vmo.notices import kinds

from .tencent_server import TencentSmsServer


@pytest.fixture
def tencent_sms(settings):
    with TencentSmsServer() as server:
        settings.VMO_SMS_BACKEND = "tencent"
        settings.VMO_SMS_TEMPLATES = {
            code: {"template": str(100000 + n), "params": list(entry["params"])}
            for n, (code, entry) in enumerate(kinds.sms_template_catalogue().items())
        }
        settings.VMO_SMS_SIGN_NAME = "昌吉车管所"
        settings.VMO_SMS_TENCENT_SECRET_ID = server.secret_id
        settings.VMO_SMS_TENCENT_SECRET_KEY = server.secret_key
        settings.VMO_SMS_TENCENT_SDK_APP_ID = "1400000001"
        settings.VMO_SMS_TENCENT_ENDPOINT = server.endpoint
        settings.VMO_SMS_TENCENT_SCHEME = "http"
        settings.VMO_SMS_TENCENT_TIMEOUT = 5
        yield server
