"""pytest fixtures: local WeChat Pay and Alipay servers, configured as the office's providers."""

from __future__ import annotations

import pytest

from .alipay_server import AlipayServer
from .keys import AlipayKeys, WeChatKeys
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


@pytest.fixture
def alipay(settings, tmp_path):
    keys = AlipayKeys()
    server = AlipayServer(keys=keys).start()
    settings.VMO_PAYMENT_ALIPAY = keys.settings(tmp_path, server.gateway_url)
    settings.VMO_PAYMENT_GATEWAYS = settings.VMO_PAYMENT_GATEWAYS | {
        "alipay": "vmo.payments.gateways.alipay.AlipayGateway"
    }
    yield server
    server.stop()
