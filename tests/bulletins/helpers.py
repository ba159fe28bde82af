from __future__ import annotations

from datetime import date

from vmo.bulletins import services
from vmo.bulletins.models import Announcement


def published(
    editor, reviewer, *, title="延安北路封闭施工公告", kind="road_closure", **changes
) -> Announcement:
    draft = services.announcement_create(
        actor=editor, kind=kind, title=title, body="<p>5月20日起封闭施工。</p>", **changes
    )
    services.announcement_submit(actor=editor, announcement=draft)
    return services.announcement_approve(actor=reviewer, announcement=draft)


def upload(editor):
    return services.publication_upload(
        actor=editor,
        kind="accident_stats",
        data_date=date(2025, 4, 30),
        title="",
        note="",
        data="month,area,accidents,deaths,injuries\n2025-04,昌吉市,12,1,9\n2025-04,=cmd|' /C calc'!A0,1,0,0\n".encode(),
    )
