"""SMS providers that send approved templates (Alibaba Cloud, Tencent Cloud) rather than text.

Both take a signature name and a template code approved by the provider beforehand, plus the
template's parameters. The parameters come from the message's stored context values (the kind's
``%(name)s`` variables), never from the rendered sentence: the provider renders the template.
Which template serves which notice kind is the office's configuration:
``VMO_SMS_TEMPLATES = {"code.signup": {"template": "1234567", "params": ["code"]}, ...}``.
"""

from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass
from typing import Any

import requests
import urllib3.exceptions
from django.conf import settings

from ..models import Message
from ..sms import SmsError

# Failures that prove the request never reached the provider: no connection was made.
NEVER_SENT: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectTimeout,
    urllib3.exceptions.NewConnectionError,
    urllib3.exceptions.ConnectTimeoutError,
    urllib3.exceptions.NameResolutionError,
    ConnectionRefusedError,
    socket.gaierror,
)
# Failures after the connection was made and the request written: no answer in time, or the
# connection dropped before the answer was read. The provider may have taken the message.
NO_ANSWER: tuple[type[BaseException], ...] = (
    requests.exceptions.ReadTimeout,
    urllib3.exceptions.ReadTimeoutError,
    urllib3.exceptions.ProtocolError,
    http.client.RemoteDisconnected,
    ConnectionResetError,
    TimeoutError,
)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and every one it wraps: the SDKs re-raise their transport's errors as
    their own (chained, or kept as `inner_exception`, or as the argument of another)."""
    found: list[BaseException] = []
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is seen for seen in found):
            continue
        found.append(item)
        stack += [item.__cause__, item.__context__, getattr(item, "inner_exception", None)]
        stack += [getattr(item, "reason", None), *getattr(item, "args", ())]
    return found


def answer_lost(exc: BaseException) -> bool:
    """Whether a failed call went out and its answer was lost (so the message may have been
    taken): a timeout or a dropped connection after connecting, not a connection never made."""
    chain = _chain(exc)
    if any(isinstance(item, NEVER_SENT) for item in chain):
        return False
    return any(isinstance(item, NO_ANSWER) for item in chain)


@dataclass(frozen=True)
class TemplateMessage:
    kind: str
    template: str
    # The parameter names in the template's order, and their values from the context.
    names: tuple[str, ...]
    values: dict[str, str]

    def ordered(self) -> list[str]:
        """Tencent's TemplateParamSet: the values in the template's {1}, {2}... order."""
        return [self.values[name] for name in self.names]

    def as_json(self) -> str:
        """Alibaba's TemplateParam: a JSON object of the template's ${name} variables."""
        return json.dumps({name: self.values[name] for name in self.names}, ensure_ascii=False)


def template_message(message_id: int) -> TemplateMessage:
    """The template and its parameters for the outbox row; a permanent SmsError if the kind has
    no approved template or its context lacks a parameter (a retry would not change that)."""
    message = Message.objects.filter(pk=message_id).only("kind", "context").first()
    if message is None:
        raise SmsError(f"no message {message_id}", permanent=True)
    templates: dict[str, Any] = dict(settings.VMO_SMS_TEMPLATES)
    entry = templates.get(message.kind)
    if not entry:
        raise SmsError(f"no approved template for {message.kind}", permanent=True)
    context = json.loads(message.context) if message.context else {}
    names = tuple(entry.get("params", ()))
    missing = [name for name in names if name not in context]
    if missing:
        raise SmsError(f"context lacks {', '.join(missing)}", permanent=True)
    return TemplateMessage(
        kind=message.kind,
        template=str(entry["template"]),
        names=names,
        values={name: str(context[name]) for name in names},
    )


def template_problems(templates: dict[str, Any]) -> list[str]:
    """What is wrong with a VMO_SMS_TEMPLATES map: kinds that send SMS without an entry, entries
    that ask for a parameter the kind's text does not have, and template codes shared by kinds
    whose parameters differ (one of them would fail at the provider)."""
    from ..kinds import sms_template_catalogue

    problems: list[str] = []
    catalogue = sms_template_catalogue()
    by_template: dict[str, list[str]] = {}
    for code, entry in catalogue.items():
        configured = templates.get(code)
        if not configured or not configured.get("template"):
            problems.append(f"{code}: no approved template")
            continue
        unknown = [name for name in configured.get("params", ()) if name not in entry["params"]]
        if unknown:
            problems.append(f"{code}: the kind has no parameter {', '.join(unknown)}")
        by_template.setdefault(str(configured["template"]), []).append(code)
    for template, codes in sorted(by_template.items()):
        params = {tuple(templates[code].get("params", ())) for code in codes}
        if len(params) > 1:
            problems.append(f"template {template} is shared by {', '.join(codes)}")
    return problems
