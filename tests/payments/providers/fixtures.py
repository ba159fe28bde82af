"""pytest fixtures: a local WeChat Pay server, configured as the office's provider."""

from __future__ import annotations

import pytest

from .keys import WeChatKeys
from .wechat_server import WeChatPayServer


@pytest.fixture
def wechat(settings, tmp_path):
    keys = WeChatKeys()
    server = WeChatPayServer(keys=keys).start()
    settings.VMO_PAYMENT_WECHAT = keys.settings(tmp_path, server.url)
    settings.VMO_PAYMENT_GATEWAYS = settings.VMO_PAYMENT_GATEWAYS | {
        "wechat": "vmo.payments.gateways.wechat.WeChatPayGateway"
    }
    yield server
    server.stop()
