"""The demo outbox page: what the console SMS and e-mail backends "sent" (one-time codes
included), so a newcomer to `make run` signs up without reading the server log.

Answers 404 unless the setting is on and both backends really are the console ones, so a
deployment that configures a real gateway cannot expose its messages here by mistake.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vmo.notices.selectors import demo_outbox


def demo_outbox_enabled() -> bool:
    email_backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    return bool(
        settings.VMO_DEMO_OUTBOX
        and settings.VMO_SMS_BACKEND == "console"
        and email_backend in {"console", "locmem"}
    )


def outbox(request: HttpRequest) -> HttpResponse:
    if not demo_outbox_enabled():
        raise Http404
    return render(request, "demo/outbox.html", {"messages_sent": list(demo_outbox())})
