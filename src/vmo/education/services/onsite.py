"""On-site days of the full-score study (R163 Art 19), recorded by the officer at the study
site: one date once, more than three continuous hours, within the open study, never ahead of
the office's clock. The record and the completion it may bring are in the history."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .. import rules
from ..models import FullScoreStudy, OnsiteStudyDay
from .full_score import full_score_progress_check

if TYPE_CHECKING:
    from vmo.accounts.models import User


def _problems(study: FullScoreStudy, day: date, starts: time, ends: time) -> dict[str, str]:
    problems: dict[str, str] = {}
    if study.closed_at is not None:
        problems["__all__"] = _("This full-score study is closed: its exam was passed.")
    if day > clock.today():
        problems["day"] = _("The date cannot be in the future.")
    elif day < clock.local(study.assigned_at).date():
        problems["day"] = _("The date is before the full-score study was assigned.")
    elif OnsiteStudyDay.objects.filter(study=study, day=day).exists():
        problems["day"] = _("An on-site day is already recorded on this date; a day counts once.")
    if ends <= starts or not rules.onsite_day_counts(starts, ends):
        problems["ends_at"] = _(
            "A day on site counts with more than three continuous hours (R163 Art 19)."
        )
    return problems


def onsite_day_record(
    *, study: FullScoreStudy, actor: User, day: date, site: str, starts_at: time, ends_at: time
) -> OnsiteStudyDay:
    """Record one on-site day of the study; ValidationError by field when it may not count."""
    with transaction.atomic():
        study = FullScoreStudy.objects.select_for_update().get(pk=study.pk)
        problems = _problems(study, day, starts_at, ends_at)
        if not site.strip():
            problems["site"] = _("Enter the study site.")
        if problems:
            raise ValidationError(problems)
        try:
            with transaction.atomic():
                record = OnsiteStudyDay.objects.create(
                    study=study,
                    day=day,
                    site=site.strip(),
                    starts_at=starts_at,
                    ends_at=ends_at,
                    recorded_by=actor,
                    recorded_at=clock.now(),
                )
        except IntegrityError:  # the same date recorded at once by two officers
            raise ValidationError(
                {"day": _("An on-site day is already recorded on this date; a day counts once.")}
            ) from None
        event_record(
            actor=actor,
            subject=study,
            action="full_score.onsite_day",
            after={
                "day": day.isoformat(),
                "site": record.site,
                "from": starts_at.isoformat("minutes"),
                "until": ends_at.isoformat("minutes"),
            },
            reason="R163 Art 19",
        )
    full_score_progress_check(study_id=study.pk, actor=actor)
    return record
