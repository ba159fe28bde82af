"""SMS providers that send approved templates (Alibaba Cloud, Tencent Cloud) rather than text.

Both take a signature name and a template code approved by the provider beforehand, plus the
template's parameters. The parameters come from the message's stored context values (the kind's
``%(name)s`` variables), never from the rendered sentence: the provider renders the template.
Which template serves which notice kind is the office's configuration:
``VMO_SMS_TEMPLATES = {"code.signup": {"template": "1234567", "params": ["code"]}, ...}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ..models import Message
from ..sms import SmsError


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
