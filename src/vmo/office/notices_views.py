"""The notice catalogue for officers (every kind, its trigger, texts and counts) and the list
of permanent delivery failures. Capability notices.view."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vmo.accounts.permissions import officer_required
from vmo.core.masking import mask_phone
from vmo.notices import kinds
from vmo.notices import selectors as notice_selectors
from vmo.notices.choices import Channel
from vmo.notices.kinds import sms_segments
from vmo.notices.services import sms_signed

FAILURES_PER_PAGE = 50


def _preview(kind: kinds.NoticeKind, counts: dict[str, int]) -> dict[str, Any]:
    texts = {lang: kind.render(kind.example, lang) for lang in ("zh-hans", "en")}
    return {
        "kind": kind,
        "texts": texts,
        "segments": {
            lang: sms_segments(sms_signed(text=t["sms"])) if t["sms"] else 0
            for lang, t in texts.items()
        },
        "channels": [Channel(c).label for c in kind.channels],
        "counts": counts,
        "total": sum(counts.values()),
        "scheduled": kind.code in kinds.all_scans(),
    }


@officer_required("notices.view")
def catalogue(request: HttpRequest) -> HttpResponse:
    counts = notice_selectors.sent_counts()
    rows = [_preview(kind, counts.get(kind.code, {})) for kind in kinds.all_kinds()]
    return render(
        request,
        "office/notices/catalogue.html",
        {"rows": rows, "scans": list(kinds.all_scans())},
    )


@officer_required("notices.view")
def failures(request: HttpRequest) -> HttpResponse:
    page = Paginator(notice_selectors.failed_messages(), FAILURES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for message in page.object_list:
        message.masked = (
            mask_phone(message.recipient)
            if message.channel == Channel.SMS
            else f"{message.recipient[:2]}***"
        )
    return render(request, "office/notices/failures.html", {"page": page})
