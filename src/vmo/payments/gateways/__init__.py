"""Gateway adapters by name: settings.VMO_PAYMENT_GATEWAYS maps a name to a class path."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Gateway

DEFAULT_GATEWAYS = {"sandbox": "vmo.payments.gateways.sandbox.SandboxGateway"}


class UnknownGateway(LookupError):
    pass


def gateway_names() -> list[str]:
    return list(getattr(settings, "VMO_PAYMENT_GATEWAYS", DEFAULT_GATEWAYS))


def default_gateway_name() -> str:
    return getattr(settings, "VMO_PAYMENT_DEFAULT_GATEWAY", "sandbox")


@cache
def _load(name: str, path: str) -> Gateway:
    gateway = import_string(path)()
    gateway.name = name
    return gateway


def get_gateway(name: str) -> Gateway:
    paths = getattr(settings, "VMO_PAYMENT_GATEWAYS", DEFAULT_GATEWAYS)
    if name not in paths:
        raise UnknownGateway(name)
    return _load(name, paths[name])
