"""Uploaded materials take bounded room (issue 14: every version kept in full, identical files
stored again, no quota: one account could write ~1.2 GB a minute within its rate limit).

- **Stored once**: a file is named by its content hash; the same content uploaded again by the
  same applicant points at the stored copy, and sent again for the same material is no new
  version at all.
- **Quotas**: the distinct stored bytes of one application (``VMO_UPLOAD_QUOTA_APPLICATION``)
  and of one applicant's applications still open or decided within the retention
  (``VMO_UPLOAD_QUOTA_PERSON``); over either the upload is refused with a message saying how
  much is used and what the limit is.
- **Retention**: superseded versions of a material are pruned ``VMO_UPLOAD_RETENTION_DAYS``
  after the decision (the current version, the one decided on, stays with the file); a stored
  copy is deleted only when no row names it any more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from vmo.core import clock

from .choices import FINAL_STATUSES
from .models import Application, ApplicationFile

if TYPE_CHECKING:
    from .uploads import CheckedFile

MB = 1024 * 1024


def quota_application() -> int:
    return int(getattr(settings, "VMO_UPLOAD_QUOTA_APPLICATION", 60 * MB))


def quota_person() -> int:
    return int(getattr(settings, "VMO_UPLOAD_QUOTA_PERSON", 200 * MB))


def retention() -> timedelta:
    return timedelta(days=int(getattr(settings, "VMO_UPLOAD_RETENTION_DAYS", 30)))


def _stored_bytes(rows: object) -> int:
    """Bytes actually stored for these rows: each stored name counted once."""
    distinct = rows.values("file").annotate(stored=Max("size"))  # type: ignore[attr-defined]
    return int(sum(row["stored"] or 0 for row in distinct))


def same_content(application: Application, sha256: str) -> ApplicationFile | None:
    """A stored copy of this content among the applicant's own files."""
    return (
        ApplicationFile.objects.filter(application__applicant_id=application.applicant_id)
        .filter(sha256=sha256)
        .exclude(file="")
        .order_by("-uploaded_at")
        .first()
    )


def _mb(size: int) -> str:
    return str(filesizeformat(size))


def quota_check(application: Application, checked: CheckedFile) -> None:
    """Refuse an upload that would take the application or the applicant over their quota.
    Called inside the upload's transaction, which holds the application's row lock; the
    applicant's row is locked too, so that two uploads to two of their applications at once
    cannot both pass the person's quota: the second waits for the first to commit and counts
    its file (PostgreSQL; SQLite has one writer at a time)."""
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk=application.applicant_id)
        .values_list("pk", flat=True)
    )
    if same_content(application, checked.sha256) is not None:
        return  # stored already: takes no room
    size = len(checked.content)
    used = _stored_bytes(ApplicationFile.objects.filter(application=application))
    if used + size > quota_application():
        raise ValidationError(
            {
                "file": [
                    _(
                        "This application already holds %(used)s of files and may hold "
                        "%(limit)s: this file (%(size)s) does not fit. Send smaller scans, "
                        "or ask the office."
                    )
                    % {"used": _mb(used), "limit": _mb(quota_application()), "size": _mb(size)}
                ]
            }
        )
    since = clock.now() - retention()
    mine = ApplicationFile.objects.filter(
        application__applicant_id=application.applicant_id
    ).exclude(application__status__in=FINAL_STATUSES, application__decided_at__lt=since)
    used = _stored_bytes(mine)
    if used + size > quota_person():
        raise ValidationError(
            {
                "file": [
                    _(
                        "Your applications already hold %(used)s of files and may hold "
                        "%(limit)s together: this file (%(size)s) does not fit. Withdraw "
                        "an application you no longer need, or ask the office."
                    )
                    % {"used": _mb(used), "limit": _mb(quota_person()), "size": _mb(size)}
                ]
            }
        )


def versions_prune(*, now: object = None) -> dict[str, int]:
    """Delete superseded versions of decided applications past the retention, and each stored
    copy no row names any more. Safe to run twice (daily from beat)."""
    moment = now or clock.now()
    old = ApplicationFile.objects.filter(
        current=False,
        application__status__in=FINAL_STATUSES,
        application__decided_at__lt=moment - retention(),  # type: ignore[operator]
    )
    names = set(old.values_list("file", flat=True))
    rows, _deleted = old.delete()
    still_named = set(ApplicationFile.objects.filter(file__in=names).values_list("file", flat=True))
    files = 0
    for name in names - still_named:
        if name and default_storage.exists(name):
            default_storage.delete(name)
            files += 1
    return {"versions": rows, "files": files}
