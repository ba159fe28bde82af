"""Which payment flow suits the payer's device: the phone flows (WeChat Pay H5, Alipay WAP)
open the provider's app or mobile cashier on the same phone; the desktop flows (WeChat Pay's
native QR code, Alipay's page cashier) are scanned or used on a computer.

The rule, in this order: an explicit choice posted from the order page (``device=phone`` or
``device=desktop``, two plain submit buttons: no JavaScript), then the browser's User-Agent
(a phone or tablet browser says so with one of PHONE_MARKERS). Inside WeChat's own browser
(``MicroMessenger``) H5 payment is refused by WeChat, which wants JSAPI there: the desktop flow
is used (docs/operations.md, "Phones").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.http import HttpRequest

from vmo.core.client_address import client_ip

Device = Literal["phone", "desktop"]
DEVICES: tuple[Device, ...] = ("phone", "desktop")

# What mobile browsers put in their User-Agent (Android's, iOS Safari, HarmonyOS, and the
# in-app browsers built on them): "Mobile" alone covers iOS Safari and most Android phones.
PHONE_MARKERS = re.compile(r"Mobile|Android|iPhone|iPod|iPad|HarmonyOS|Windows Phone", re.I)
IN_WECHAT = re.compile(r"MicroMessenger", re.I)


def device_from(user_agent: str, choice: str = "") -> Device:
    """The flow for this request: the payer's explicit choice, else what the browser says."""
    if choice in DEVICES:
        return choice  # type: ignore[return-value]
    if IN_WECHAT.search(user_agent or ""):
        return "desktop"
    return "phone" if PHONE_MARKERS.search(user_agent or "") else "desktop"


@dataclass(frozen=True)
class Payer:
    """What a gateway needs to know of the payer's browser to choose its flow."""

    device: Device = "desktop"
    ip: str = ""  # WeChat Pay H5 wants the payer's address (scene_info.payer_client_ip)


DESKTOP = Payer()


def payer_of(request: HttpRequest) -> Payer:
    """The payer of a pay form's POST: the button they pressed, else what the browser says."""
    user_agent = request.headers.get("User-Agent", "")
    return Payer(
        device=device_from(user_agent, request.POST.get("device", "")), ip=client_ip(request)
    )


def device_of(request: HttpRequest) -> Device:
    """The flow a page offers first (its pay button), from the browser."""
    return device_from(request.headers.get("User-Agent", ""))
