"""Celery tasks of the application engine: thin, and safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from vmo.core import clock
from vmo.notices.services import notify

from . import workbench

DEADLINE_KIND = "applications.deadline_near"


def deadline_scan(today: date | None = None) -> int:
    """Tell the officer working on each undecided application due within one working day, or
    overdue, and every supervisor about those no one claimed. One notice per application,
    officer and day (the dedup key), so a second run the same day sends nothing. Returns the
    number of notices written or found."""
    today = today or clock.today()
    due = list(workbench.deadline_alerts(today))
    if not due:
        return 0
    supervisors = workbench.supervisors() if any(a.claimed_by_id is None for a in due) else []
    sent = 0
    # The status word goes into the context as text, in the office's language (notify renders
    # the notice itself in the officer's).
    with translation.override("zh-hans"):
        for application in due:
            recipients = [application.claimed_by] if application.claimed_by else supervisors
            context = {
                "reference": application.reference,
                "business": application.business.term_zh,
                "due": f"{application.due_on:%Y-%m-%d}",
                "status": str(application.get_status_display()),
            }
            link = reverse("applications_office:detail", args=[application.reference])
            with transaction.atomic():
                for officer in recipients:
                    notify(
                        kind=DEADLINE_KIND,
                        context=context,
                        dedup_key=f"{DEADLINE_KIND}:{application.pk}:{today:%Y%m%d}:{officer.pk}",
                        user=officer,
                        link=link,
                    )
                    sent += 1
    return sent


@shared_task(name="applications.deadline_scan")
def deadline_scan_task() -> int:
    return deadline_scan()


@shared_task(name="applications.files_prune", ignore_result=True)
def files_prune() -> dict[str, int]:
    """Superseded versions of decided applications past the retention (storage.versions_prune)."""
    from .storage import versions_prune

    return versions_prune()
