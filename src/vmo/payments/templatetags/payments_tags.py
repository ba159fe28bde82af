"""The pay forms' second button: the other flow than the one the browser suggests."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors
from ..devices import device_of

register = template.Library()


@register.inclusion_tag("payments/_other_device.html", takes_context=True)
def pay_other_device(context: dict[str, Any]) -> dict[str, Any]:
    """Inside a pay form: a button for the flow the browser did not suggest (a phone payer may
    want the QR code, an iPad that says "Macintosh" the phone cashier), when the office's
    gateway has a phone flow of its own. The form's main button leaves the choice to the
    browser's User-Agent, on the server, as this page did."""
    request = context.get("request")
    if request is None or not selectors.gateway_has_phone_flow():
        return {"other": ""}
    return {"other": "desktop" if device_of(request) == "phone" else "phone"}
